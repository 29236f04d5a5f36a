/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * batch_render.c - a job file rewritten for one guest.
 *
 * fio 3.33's client sends the text of a job file to the server, which
 * parses an 'include' line's file *name* as job text and drops the job
 * (jobs/README.md).  So the include of vmlat-target.inc or vmlat-file.inc
 * becomes the guest's own lines, in place; any other include is refused,
 * since nothing on the server could resolve it.  The engine line names
 * the guest's copy of vmlat.so, and every vmlat_tags line gains the guest
 * and its labels, so that each log says where it came from by itself.
 * Logs get a name that starts with a token unique to this attempt at this
 * cell: batch fetches exactly those, and a retry never meets the log of a
 * failed attempt (the engine refuses to overwrite one).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"

static const char *after_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static int target_lines(FILE *out, const struct bguest *g, const char *inc, const char *token,
			const char *where, char *err, size_t err_len)
{
	const char *base = strrchr(inc, '/') ? strrchr(inc, '/') + 1 : inc;
	const char *tgt;
	size_t i;

	if (!strcmp(base, "vmlat-target.inc"))
		tgt = g->target;
	else if (!strcmp(base, "vmlat-file.inc"))
		tgt = g->file;
	else {
		snprintf(err, err_len, "%s: 'include %s' cannot be sent to a fio server "
			 "(batch replaces only vmlat-target.inc and vmlat-file.inc)", where, inc);
		return -1;
	}
	if (!tgt) {
		snprintf(err, err_len, "%s: includes %s, but [guest %s] has no '%s'", where, base,
			 g->name, base[6] == 't' ? "target" : "file");
		return -1;
	}
	fprintf(out, "; vmlat batch: 'include %s' replaced by guest %s's lines\n", inc, g->name);
	fprintf(out, "filename=%s\nvmlat_log_dir=%s\nvmlat_log_name=%s.%%j.%%n.vmlat\n", tgt,
		g->log_dir, token);
	for (i = 0; i < g->options.n; i++)
		fprintf(out, "%s\n", g->options.v[i]);
	return 0;
}

static int render_line(FILE *out, const char *line, const struct bguest *g, const char *token,
		       const char *tags, const char *where, char *err, size_t err_len)
{
	const char *s = after_ws(line);
	char inc[512];

	if (!strncmp(s, "include", 7) && (s[7] == ' ' || s[7] == '\t')) {
		snprintf(inc, sizeof(inc), "%s", after_ws(s + 7));
		inc[strcspn(inc, " \t\r\n")] = '\0';
		return target_lines(out, g, inc, token, where, err, err_len);
	}
	if (g->engine && !strncmp(s, "ioengine=external:", 18)) {
		fprintf(out, "ioengine=external:%s\n", g->engine);
		return 0;
	}
	if (!strncmp(s, "vmlat_tags=", 11)) {
		size_t n = strcspn(s, "\r\n");

		fprintf(out, "%.*s%s%s\n", (int)n, s, n > 11 ? "," : "", tags);
		return 0;
	}
	fputs(line, out);
	return 0;
}

int brender(const char *job, const struct bguest *g, const char *token, const char *tags,
	    const char *out_path, char *err, size_t err_len)
{
	FILE *in = fopen(job, "r"), *out;
	char *line = NULL, where[600];
	size_t cap = 0;
	int lineno = 0, ret = 0;

	if (!in) {
		snprintf(err, err_len, "cannot open '%s': %s", job, strerror(errno));
		return -1;
	}
	out = fopen(out_path, "w");
	if (!out) {
		snprintf(err, err_len, "cannot create '%s': %s", out_path, strerror(errno));
		fclose(in);
		return -1;
	}
	fprintf(out, "; Rendered by vmlat batch from %s for guest %s (%s,%u).\n", job, g->name,
		g->host, g->port);
	while (!ret && getline(&line, &cap, in) != -1) {
		snprintf(where, sizeof(where), "%s:%d", job, ++lineno);
		ret = render_line(out, line, g, token, tags, where, err, err_len);
	}
	free(line);
	fclose(in);
	if (fclose(out) && !ret) {
		snprintf(err, err_len, "cannot write '%s': %s", out_path, strerror(errno));
		ret = -1;
	}
	return ret;
}
