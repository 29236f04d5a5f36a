/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mklat.c - write a vmlat log whose latencies have known exact statistics,
 * for the `vmlat report` tests.
 *
 *   mklat PATH DIST N [KEY=VALUE...]
 *
 * DIST (all values in ns; IO i = 0..N-1 gets value v(j) with j = i*7919 mod
 * N, a permutation when N is not a multiple of 7919, so the log is not
 * already sorted):
 *   const:V         v(j) = V
 *   seq:A:S         v(j) = A + j*S                (uniform)
 *   bimodal:A:B:K   v(j) = A for j < K, else B
 *   square:A        v(j) = A * (j+1)^2            (heavy tail)
 * KEY=VALUE pairs go to the header as tag.KEY=VALUE, except keys starting
 * platform., probe. or clock (stored as is).  With ctx=1 the records carry
 * context: cpu_submit 0, cpu_complete 1 for every 4th IO (j % 4 == 0),
 * else 0, and rq_delay_ns = 10 * (j + 1); ctx=2 the same but rq_delay_ns 0
 * for even j.  ddirs=K gives IO i direction j % K (0 read, 1 write, 2
 * trim; default 1: all reads), errors=M error EIO to every IO with
 * j % M == M - 1 (default none).  Goes through lib/vlog, the one format
 * owner.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vlog.h"

static int value_of(const char *dist, uint64_t j, uint64_t *v)
{
	unsigned long long a, b, k;

	if (sscanf(dist, "const:%llu", &a) == 1)
		*v = a;
	else if (sscanf(dist, "seq:%llu:%llu", &a, &b) == 2)
		*v = a + j * b;
	else if (sscanf(dist, "bimodal:%llu:%llu:%llu", &a, &b, &k) == 3)
		*v = j < k ? a : b;
	else if (sscanf(dist, "square:%llu", &a) == 1)
		*v = a * (j + 1) * (j + 1);
	else
		return -1;
	return 0;
}

/* What the records get besides their latency (the KEY=VALUE pairs ctx, ddirs, errors). */
struct shape {
	int ctx;
	unsigned int ddirs, errors;
};

static int header(struct vlog_text *t, int argc, char **argv, struct shape *sh)
{
	char key[256];
	int i, ret = vlog_text_add_format(t);

	ret |= vlog_text_add(t, "engine", "mklat");
	ret |= vlog_text_add(t, "job_name", "mklat");
	for (i = 4; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (!eq)
			return -1;
		snprintf(key, sizeof(key), "%.*s", (int)(eq - argv[i]), argv[i]);
		if (!strcmp(key, "ctx")) {
			sh->ctx = atoi(eq + 1);
			continue;
		}
		if (!strcmp(key, "ddirs") || !strcmp(key, "errors")) {
			*(!strcmp(key, "ddirs") ? &sh->ddirs : &sh->errors) = (unsigned int)atoi(eq + 1);
			continue;
		}
		if (strncmp(key, "platform.", 9) && strncmp(key, "probe.", 6) && strncmp(key, "clock", 5))
			snprintf(key, sizeof(key), "tag.%.*s", (int)(eq - argv[i]), argv[i]);
		ret |= vlog_text_add(t, key, eq + 1);
	}
	return ret;
}

int main(int argc, char **argv)
{
	struct vlog_writer w;
	struct vlog_text t;
	struct vlog_rec r;
	uint64_t n, i, j;
	struct shape sh = { .ddirs = 1 };
	int ctx;

	if (argc < 4 || !(n = strtoull(argv[3], NULL, 10))) {
		fprintf(stderr, "usage: mklat PATH DIST N [KEY=VALUE...]\n");
		return 1;
	}
	vlog_text_init(&t);
	if (header(&t, argc, argv, &sh) || !sh.ddirs || sh.ddirs > 3 ||
	    vlog_writer_open(&w, argv[1], &t, 0, 1)) {
		fprintf(stderr, "mklat: cannot write %s\n", argv[1]);
		return 1;
	}
	vlog_text_release(&t);
	ctx = sh.ctx;
	for (i = 0; i < n; i++) {
		memset(&r, 0, sizeof(r));
		j = i * 7919 % n;
		if (value_of(argv[2], j, &r.lat_ns)) {
			fprintf(stderr, "mklat: bad DIST '%s'\n", argv[2]);
			return 1;
		}
		r.len = 4096;
		r.issue_ns = i * 1000;
		r.cpu_submit = ctx ? 0 : VLOG_CPU_UNKNOWN;
		r.cpu_complete = ctx ? (j % 4 == 0) : VLOG_CPU_UNKNOWN;
		r.ctx_mask = ctx ? VLOG_CTX_RQ_DELAY : 0;
		r.rq_delay_ns = ctx && !(ctx == 2 && j % 2 == 0) ? (uint32_t)(10 * (j + 1)) : 0;
		r.ddir = (uint8_t)(j % sh.ddirs);
		r.error = sh.errors && j % sh.errors == sh.errors - 1 ? 5 : 0; /* EIO */
		if (vlog_writer_append(&w, &r))
			return 1;
	}
	return vlog_writer_close(&w) ? 1 : 0;
}
