/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mkplot.c - write a vmlat log with known latencies and any header keys,
 * for the `vmlat plot` tests.
 *
 *   mkplot PATH A S N [KEY=VALUE...]
 *
 * IO i (0..N-1, in this order) is a read of latency A + i*S ns issued at
 * i*1000 ns, so its statistics are exact: min A, max A+(N-1)S, mean
 * A+(N-1)S/2.  KEY=VALUE pairs go into the header as they are (write
 * tag.platform=x for a tag, probe.bitop_ns=1.5 for a probe), byte for
 * byte, so tests can plant hostile text.  ctx=1 (not a header key) gives
 * every IO a context: submitted on vCPU i%2, completed on 0, run-queue
 * delay 10*(i+1) ns.  Goes through lib/vlog, the one format owner.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vlog.h"

int main(int argc, char **argv)
{
	struct vlog_writer w;
	struct vlog_text t;
	struct vlog_rec r;
	uint64_t a, s, n, i;
	int k, ctx = 0, ret;

	if (argc < 5 || !(n = strtoull(argv[4], NULL, 10))) {
		fprintf(stderr, "usage: mkplot PATH A S N [KEY=VALUE...]\n");
		return 1;
	}
	a = strtoull(argv[2], NULL, 10);
	s = strtoull(argv[3], NULL, 10);
	vlog_text_init(&t);
	ret = vlog_text_add_format(&t);
	ret |= vlog_text_add(&t, "engine", "mkplot");
	ret |= vlog_text_add(&t, "job_name", "mkplot");
	for (k = 5; k < argc; k++) {
		char *eq = strchr(argv[k], '=');

		if (!eq)
			return 1;
		*eq = 0;
		if (!strcmp(argv[k], "ctx"))
			ctx = atoi(eq + 1);
		else
			ret |= vlog_text_add(&t, argv[k], eq + 1);
	}
	if (ret || vlog_writer_open(&w, argv[1], &t, 0, 1)) {
		fprintf(stderr, "mkplot: cannot write %s\n", argv[1]);
		return 1;
	}
	vlog_text_release(&t);
	for (i = 0; i < n; i++) {
		memset(&r, 0, sizeof(r));
		r.lat_ns = a + i * s;
		r.len = 4096;
		r.offset = i * 4096;
		r.issue_ns = i * 1000;
		r.ddir = VLOG_READ;
		r.cpu_submit = ctx ? (uint16_t)(i % 2) : VLOG_CPU_UNKNOWN;
		r.cpu_complete = ctx ? 0 : VLOG_CPU_UNKNOWN;
		r.ctx_mask = ctx ? VLOG_CTX_RQ_DELAY : 0;
		r.rq_delay_ns = ctx ? (uint32_t)(10 * (i + 1)) : 0;
		if (vlog_writer_append(&w, &r))
			return 1;
	}
	return vlog_writer_close(&w) ? 1 : 0;
}
