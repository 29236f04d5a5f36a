/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ctx.c - the portable half of per-IO context (see ctx.h): which fields the
 * user asked for, and how a before/after pair becomes record fields.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ctx.h"
#include "../lib/util.h"

static const struct {
	const char *name;
	unsigned int bits;
} ctx_names[] = {
	{ "rq", VLOG_CTX_RQ_DELAY },
	{ "csw", VLOG_CTX_CSW },
	{ "faults", VLOG_CTX_FAULTS },
	{ "steal", VMLAT_CTX_STEAL },
	{ "all", VLOG_CTX_RQ_DELAY | VLOG_CTX_CSW | VLOG_CTX_FAULTS },
	{ "none", 0 },
};

static int lookup(const char *word, size_t len, unsigned int *bits)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ctx_names); i++) {
		if (strlen(ctx_names[i].name) == len && !strncmp(ctx_names[i].name, word, len)) {
			*bits = ctx_names[i].bits;
			return 0;
		}
	}
	return -EINVAL;
}

int vmlat_ctx_parse(const char *spec, unsigned int *mask, char *err, size_t err_len)
{
	const char *p = spec ? spec : "";
	unsigned int bits;

	*mask = 0;
	while (*p) {
		size_t n = strcspn(p, ",");

		if (lookup(p, n, &bits)) {
			snprintf(err, err_len, "vmlat_ctx=%s: unknown '%.*s' (known: rq, csw, faults, steal, all, none)",
				 spec, (int)n, p);
			return -EINVAL;
		}
		*mask |= bits;
		p += n + (p[n] == ',');
	}
	return 0;
}

void vmlat_ctx_names(unsigned int mask, char *out, size_t len)
{
	size_t i, n = 0;

	out[0] = '\0';
	for (i = 0; i < 4; i++) /* the single names, before all and none */
		if (mask & ctx_names[i].bits)
			n += (size_t)snprintf(out + n, n < len ? len - n : 0, "%s%s", n ? "," : "",
					      ctx_names[i].name);
	if (!mask)
		snprintf(out, len, "none");
}

static uint16_t sat16(long v)
{
	return v < 0 ? 0 : v > UINT16_MAX ? UINT16_MAX : (uint16_t)v;
}

void vmlat_ctx_fill(unsigned int mask, const struct vmlat_ctx_sample *before,
		    const struct vmlat_ctx_sample *after, struct vlog_rec *rec)
{
	if (mask & VLOG_CTX_RQ_DELAY) {
		uint64_t d = after->rq_wait_ns - before->rq_wait_ns;

		rec->rq_delay_ns = d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
	}
	if (mask & VLOG_CTX_CSW) {
		rec->nvcsw = sat16(after->nvcsw - before->nvcsw);
		rec->nivcsw = sat16(after->nivcsw - before->nivcsw);
	}
	if (mask & VLOG_CTX_FAULTS) {
		rec->minflt = sat16(after->minflt - before->minflt);
		rec->majflt = sat16(after->majflt - before->majflt);
	}
	rec->ctx_mask = (uint8_t)(mask & 0xffu);
}
