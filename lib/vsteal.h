/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vsteal.h - steal samples: the sidecar of a vmlat log made with
 * vmlat_ctx=steal, and how its samples are joined to the log's IOs.
 *
 * Steal (time the hypervisor ran something else on a vCPU) is a per-vCPU
 * counter in /proc/stat, at 10 ms resolution, and costs ~10 us to read:
 * never per IO.  So a side thread of the engine reads it every
 * period_ns, and `vmlat dump` joins the samples to the records afterwards,
 * when the samples after each IO are known too.
 *
 * THE JOIN IS BY RECORD SEQUENCE, NOT BY CLOCK
 *
 * Each sample notes how many records the log held just before the
 * counters were read (done) and just after (stored).  The engine does one
 * IO at a time and stores its record before the next IO starts, so:
 *
 *   - every IO with seq < done had completed before the sample;
 *   - every IO with seq >= next, next = stored + 1, started after it
 *     (the sample taken at job start, before any IO, has next = 0).
 *
 * For record n, the lower sample is the last one with next <= n and the
 * upper sample the first one with done > n: the two bracket the IO.  Its
 * steal_ns is, for each distinct known vCPU of cpu_submit and
 * cpu_complete, the growth of that vCPU's counter from the lower to the
 * upper sample, summed.  This is the steal of the vCPUs the IO ran on
 * during the sampled window that contains it (about period_ns plus the
 * IO), not the steal of the IO itself: an upper bound at 10 ms
 * resolution.  Counting by sequence needs no clock shared between the two
 * threads and survives fio resetting its epoch (ramp_time).
 *
 * FILE FORMAT (text, one sample per line, "\n" line ends)
 *
 *   # vmlat steal samples 1
 *   # period_ns=10000000
 *   # tick_ns=10000000
 *   done,next,cpu0,cpu1,...
 *   0,0,1200000000,30000000
 *   12,13,1200000000,40000000
 *
 * "#" lines are KEY=VALUE metadata (the first names the format and its
 * version; readers ignore keys they do not know); the first other line
 * names the columns: done, next, then one column per vCPU K known at job
 * start, in order.  Values are decimal; steal is ns since boot; an empty
 * cell is a vCPU the kernel did not report in that sample.  The writer
 * flushes each line whole; a last line without its newline was cut by a
 * killed writer and is ignored.
 */
#ifndef VMLAT_VSTEAL_H
#define VMLAT_VSTEAL_H

#include <stdint.h>
#include <stdio.h>

#define VSTEAL_MAGIC "# vmlat steal samples 1"
#define VSTEAL_NONE UINT64_MAX /* an empty cell */

/* Writer: the metadata and column lines, then one line per sample. */
int vsteal_write_head(FILE *f, uint64_t period_ns, uint64_t tick_ns, unsigned int ncpu);
int vsteal_write_sample(FILE *f, uint64_t done, uint64_t next, const uint64_t *steal_ns,
			unsigned int ncpu);

struct vsteal {
	unsigned int ncpu;
	size_t n;	   /* samples */
	uint64_t *done;	   /* [n] */
	uint64_t *next;	   /* [n] */
	uint64_t *steal;   /* [n * ncpu], VSTEAL_NONE where empty */
	uint64_t period_ns;
	char err[200];	   /* after a failed load: what and on which line */
};

/*
 * vsteal_load - read the samples of PATH.  Returns 0, -EBADMSG (not a
 * steal file, or a malformed line; err says which), -ENOMEM, or -errno.
 */
int vsteal_load(struct vsteal *s, const char *path);
void vsteal_release(struct vsteal *s);

/*
 * vsteal_join - the steal_ns of record SEQ that ran on CPU_A and CPU_B
 * (VSTEAL_CPU_UNKNOWN for an unknown one), by the rule above.  Returns 0
 * with *ns set, or -ENOENT when no pair of samples brackets the record, no
 * vCPU is known, or a vCPU has no value in either sample.
 */
#define VSTEAL_CPU_UNKNOWN 0xffffu
int vsteal_join(const struct vsteal *s, uint64_t seq, unsigned int cpu_a, unsigned int cpu_b,
		uint64_t *ns);

#endif /* VMLAT_VSTEAL_H */
