/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hist.h - a log-linear latency histogram, for `vmlat report --hist`:
 * constant memory per sample set however many IOs it holds.
 *
 * Values below 2^HIST_SUB_BITS have a bucket each (exact).  Above, every
 * power of two [2^m, 2^(m+1)) is cut into 2^HIST_SUB_BITS equal buckets of
 * width 2^(m - HIST_SUB_BITS), and a value is represented by its bucket's
 * midpoint: the error of a percentile is at most half a bucket, below
 * 1 / 2^(HIST_SUB_BITS + 1) = 1/256 of the value (fio's own histogram:
 * 1/128 with 64 buckets per power of two).  n, min, max, mean and stddev
 * are exact (kept beside the buckets).  Histograms of the same layout add
 * up, so cells merge their sets' histograms.  7424 buckets, 59 KiB.
 */
#ifndef VMLAT_HIST_H
#define VMLAT_HIST_H

#include <stddef.h>
#include <stdint.h>

#define HIST_SUB_BITS 7
#define HIST_SUB (1u << HIST_SUB_BITS)
#define HIST_BUCKETS (HIST_SUB + (64 - HIST_SUB_BITS) * HIST_SUB)

struct hist {
	uint64_t n;
	uint64_t min;
	uint64_t max;
	long double sum;
	long double sumsq;
	uint64_t counts[HIST_BUCKETS];
};

void hist_init(struct hist *h);
void hist_add(struct hist *h, uint64_t v);
/* COUNT samples of value V at once (fio JSON+ bins). */
void hist_add_n(struct hist *h, uint64_t v, uint64_t count);
void hist_merge(struct hist *to, const struct hist *from);

/* Bucket of V, and the value a bucket stands for (its midpoint). */
size_t hist_bucket(uint64_t v);
uint64_t hist_value(size_t bucket);

/* The value at 1-based RANK (1..n), clamped to [min, max]. */
uint64_t hist_at_rank(const struct hist *h, uint64_t rank);

#endif /* VMLAT_HIST_H */
