/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * detect_probes.c - `vmlat detect --probes`: Study B's micro-probes
 * (lib/probes.h) on this machine, printed from the very key=value pairs
 * the engine writes into each log header, so the two cannot disagree.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/msg.h"
#include "detect_probes.h"

/* Each KEY.why line follows a probe that has no value: say which and why. */
static int warn_why(void *ctx, const char *key, const char *value)
{
	size_t n = strlen(key);

	(void)ctx;
	if (n > 4 && !strcmp(key + n - 4, ".why"))
		say_warning("%.*s not measured: %s", (int)(n - 4), key, value);
	return 0;
}

void detect_probes_run(const char *dir, struct probes *p)
{
	struct probes failed_only;

	if (!probes_run(dir, p))
		return;
	/* an n/a that does not apply here (one vCPU) is no failure: no warning */
	failed_only = *p;
	if (failed_only.tcp_cross.state == PROBE_NA)
		failed_only.tcp_cross.state = PROBE_OK;
	probes_emit(&failed_only, warn_why, NULL);
}

static int print_line(void *ctx, const char *key, const char *value)
{
	(void)ctx;
	printf("%s=%s\n", key, value);
	return 0;
}

void detect_probes_text(const struct probes *p)
{
	probes_emit(p, print_line, NULL);
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* Numbers for measurements, null for n/a, strings for the rest. */
static json_t *json_value(const char *key, const char *value)
{
	if (has_suffix(key, "_bytes"))
		return json_integer(strtoll(value, NULL, 10));
	if (has_suffix(key, "_ns") || has_suffix(key, "_ms") || has_suffix(key, "_per_fault") ||
	    has_suffix(key, "_per_page"))
		return strcmp(value, "n/a") ? json_real(strtod(value, NULL)) : json_null();
	return json_string(value);
}

static int json_put(void *ctx, const char *key, const char *value)
{
	json_t *v = json_value(key, value);

	if (!strncmp(key, "probe.", 6))
		key += 6;
	return !v || json_object_set_new(ctx, key, v) ? -ENOMEM : 0;
}

int detect_probes_json(json_t *root, const struct probes *p)
{
	json_t *obj = json_object();

	if (!obj || json_object_set_new(root, "probes", obj))
		return -ENOMEM;
	return probes_emit(p, json_put, obj);
}
