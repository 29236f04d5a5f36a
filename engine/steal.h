/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * steal.h - vmlat_ctx=steal: per-vCPU steal sampled beside the IOs.
 *
 * Reading steal costs ~10 us (/proc/stat), far too much per IO, and the
 * counter moves in 10 ms ticks anyway.  So a side thread of the job reads
 * it every VMLAT_STEAL_PERIOD_NS into a sidecar file next to the log
 * (format and join: lib/vsteal.h), noting the log's record count around
 * each read; `vmlat dump` joins the samples to the records.  The IO path
 * is untouched: the thread only reads the writer's record count.
 */
#ifndef VMLAT_STEAL_H
#define VMLAT_STEAL_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include "../lib/vlog.h"

#define VMLAT_STEAL_PERIOD_NS 10000000ull /* the counters' own resolution (USER_HZ) */
#define VMLAT_STEAL_SUFFIX ".steal"

struct vmlat_steal {
	const struct vlog_writer *log; /* whose record count brackets each sample */
	FILE *f;
	unsigned int ncpu;
	uint64_t *ns;	/* one sample, ncpu slots */
	pthread_t thread;
	int running;
	int stop;	/* set by vmlat_steal_stop(), read by the thread */
	int err;	/* first write error of the thread (-errno): it stopped */
	uint64_t lost_at; /* records in the log at that error */
};

/*
 * vmlat_steal_start - create PATH (the log's path + VMLAT_STEAL_SUFFIX;
 * replaced like the log when REPLACE), write its head and the first
 * sample (no IO has started: next = 0), start the thread.  Returns 0 or
 * -errno with ERR set.
 */
int vmlat_steal_start(struct vmlat_steal *s, const struct vlog_writer *log, const char *path,
		      int replace, char *err, size_t err_len);

/*
 * Stop the thread after one last sample (after the last IO), close the
 * file.  Returns 0 or the first -errno of a write; the thread stops
 * sampling at its first failed write, and then *LOST_AT says how many
 * records the log held: the samples of later IOs are missing.
 */
int vmlat_steal_stop(struct vmlat_steal *s, uint64_t *lost_at);

#endif /* VMLAT_STEAL_H */
