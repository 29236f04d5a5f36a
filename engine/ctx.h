/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ctx.h - what happened to the IO thread while one IO ran.
 *
 * A latency spike means little until you know whether the thread sat on a
 * run queue, was switched out, or faulted while its IO was in flight.  The
 * engine samples these counters of its own thread just before and just
 * after each IO and stores the differences in the record (lib/vlog.h,
 * ctx_mask says which).  Each sample is a syscall, so every field is opt-in
 * (vmlat_ctx=); their costs are in BENCHMARKS.md.
 *
 * Parsing and arithmetic are portable (ctx.c); reading the counters is the
 * operating system's business (ctx_linux.c: /proc/thread-self/schedstat
 * and getrusage(RUSAGE_THREAD)).
 */
#ifndef VMLAT_CTX_H
#define VMLAT_CTX_H

#include <stddef.h>
#include <stdint.h>

#include "../lib/vlog.h"

/*
 * vmlat_ctx=steal is not a record field: a side thread samples steal and
 * `vmlat dump` joins it (steal.h).  Its bit lies above the record's
 * ctx_mask bits, so it never reaches a record.
 */
#define VMLAT_CTX_STEAL (1u << 8)

struct vmlat_ctx {
	unsigned int mask; /* enum vlog_ctx bits */
	int schedstat_fd;  /* -1 unless VLOG_CTX_RQ_DELAY */
};

struct vmlat_ctx_sample {
	uint64_t rq_wait_ns;
	long nvcsw, nivcsw, minflt, majflt;
};

/*
 * vmlat_ctx_parse - "none", "all", or a comma list of rq, csw, faults,
 * steal ("all" is the three per-IO counters; steal is asked for by name).
 * Returns 0 with *mask set, or -EINVAL with a message naming the option.
 */
int vmlat_ctx_parse(const char *spec, unsigned int *mask, char *err, size_t err_len);

/* Names of the bits in MASK, comma-separated ("none" for 0), into OUT. */
void vmlat_ctx_names(unsigned int mask, char *out, size_t len);

/*
 * vmlat_ctx_open - prepare sampling MASK for the calling thread (call it
 * from the thread that does the IO).  Returns 0, or -errno with ERR set.
 */
int vmlat_ctx_open(struct vmlat_ctx *c, unsigned int mask, char *err, size_t err_len);
void vmlat_ctx_close(struct vmlat_ctx *c);

/* Sample the counters c->mask asks for (per IO: no allocation, no lock). */
void vmlat_ctx_sample(const struct vmlat_ctx *c, struct vmlat_ctx_sample *s);

/* Store the differences AFTER - BEFORE in REC, saturating, and set ctx_mask. */
void vmlat_ctx_fill(unsigned int mask, const struct vmlat_ctx_sample *before,
		    const struct vmlat_ctx_sample *after, struct vlog_rec *rec);

#endif /* VMLAT_CTX_H */
