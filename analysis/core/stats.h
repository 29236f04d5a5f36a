/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stats.h - exact statistics of latency samples, and the two tests a
 * comparison rests on.
 *
 * Percentiles are fio's nearest rank: the value at 1-based rank
 * ceil(p/100 * n) of the sorted samples (rank 1 when that is 0), so they
 * are always samples, never interpolations, and agree with fio's JSON up
 * to fio's histogram error.  Sorting is a radix sort of uint64_t (linear;
 * 100M samples sort in seconds; stats.c), and a cell's statistics alone
 * need no sort at all (stats_compute_any): only comparisons sort.
 *
 * Comparison of a cell B against a baseline A:
 *   - ratio of medians med(B)/med(A) with a percentile bootstrap 95% CI.
 *     A resample's median is drawn exactly without building the resample:
 *     the k-th smallest of n uniform indices into the sorted samples is
 *     floor(n * U(k)) with U(k) ~ Beta(k, n-k+1), so each of the
 *     STATS_BOOT_RESAMPLES draws is O(1) whatever n.  The generator is a
 *     fixed-seed xoshiro256**: the same inputs give the same interval.
 *   - Mann-Whitney U, two-sided: exact distribution when there are no ties
 *     and na * nb <= STATS_MWU_EXACT_MAX, else the normal approximation
 *     with tie correction and a 0.5 continuity correction.
 * A difference is flagged only when the CI excludes 1 and p < alpha.
 */
#ifndef VMLAT_STATS_H
#define VMLAT_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "hist.h"

#define STATS_BOOT_RESAMPLES 10000
#define STATS_BOOT_SEED 0x766d6c6174ull /* "vmlat" */
#define STATS_MWU_EXACT_MAX 400

/* Sort V (N values) ascending, in place.  Returns 0. */
int stats_sort(uint64_t *v, size_t n);

/* The 1-based nearest rank of percentile P (0 < P <= 100) among N > 0. */
uint64_t stats_rank(uint64_t n, double p);

/* Nearest-rank percentile P (0 < P <= 100) of SORTED (N > 0). */
uint64_t stats_pct(const uint64_t *sorted, size_t n, double p);

struct stats {
	uint64_t n;
	uint64_t min_ns;
	uint64_t max_ns;
	double mean_ns;
	double stddev_ns; /* sample standard deviation (n - 1); 0 when n < 2 */
	uint64_t median_ns;
	uint64_t p90_ns;
	uint64_t p99_ns;
	uint64_t p999_ns;
};

/* Statistics of SORTED (N values; all zero when N = 0). */
void stats_compute(const uint64_t *sorted, size_t n, struct stats *s);

/*
 * stats_compute_any - the same statistics of V (N values in any order),
 * equal to the last bit to stats_compute() of V sorted, without sorting
 * a large V (stats_compute.c: a histogram pass, then only the samples
 * near each percentile are sorted).  Returns 0 when V was only read, 1
 * when it was sorted in place instead (fewer than 2^16 values, where a
 * sort costs less, or no memory for the histograms).
 */
int stats_compute_any(uint64_t *v, size_t n, struct stats *s);

struct stats_boot {
	double ratio; /* med(b) / med(a) */
	double lo;    /* 2.5th percentile of the bootstrap ratios */
	double hi;    /* 97.5th */
};

/*
 * stats_boot_median_ratio - bootstrap CI of med(B)/med(A) from the sorted
 * samples, RESAMPLES draws from SEED.  -EINVAL when a side is empty or a
 * median is 0 (no ratio); -ENOMEM.
 */
int stats_boot_median_ratio(const uint64_t *a, size_t na, const uint64_t *b, size_t nb,
			    unsigned int resamples, uint64_t seed, struct stats_boot *out);

struct stats_mwu {
	double u;     /* U of B: pairs (a, b) with b > a, ties counting 1/2 */
	double z;     /* normal score (0 when exact) */
	double p;     /* two-sided p-value */
	int exact;    /* p from the exact distribution */
};

/* Mann-Whitney U of sorted A and B.  -EINVAL when a side is empty, -ENOMEM. */
int stats_mwu(const uint64_t *a, size_t na, const uint64_t *b, size_t nb, struct stats_mwu *out);

/*
 * A sorted sample as the comparisons read it: an array, or a histogram
 * (--hist) with its cumulative counts (stats_view_hist fills them).
 */
struct stats_view {
	const uint64_t *sorted; /* or NULL: */
	const struct hist *h;
	uint64_t *cum;		/* HIST_BUCKETS cumulative counts of h */
	size_t n;
};

/* A view of H; 0 or -ENOMEM.  stats_view_release() frees what it made. */
int stats_view_hist(struct stats_view *v, const struct hist *h);
void stats_view_release(struct stats_view *v);

/* The value at 1-based RANK of a view (a bucket's value for histograms). */
uint64_t stats_view_at(const struct stats_view *v, uint64_t rank);

/* stats_boot_median_ratio() on views. */
int stats_boot_view(const struct stats_view *a, const struct stats_view *b,
		    unsigned int resamples, uint64_t seed, struct stats_boot *out);

/* stats_mwu() on histograms: values in one bucket count as ties. */
int stats_mwu_hist(const struct hist *a, const struct hist *b, struct stats_mwu *out);

/* Statistics of a histogram (n, min, max, mean, stddev exact; percentiles
 * within half a bucket). */
void stats_from_hist(const struct hist *h, struct stats *s);

/* Share of IOs whose vCPU changed, and run-queue delay percentiles. */
struct ctx_stats {
	uint64_t cpu_known;   /* IOs with both vCPUs known */
	uint64_t cpu_changed; /* of those, submit != complete */
	uint64_t rq_n;	      /* IOs with a measured run-queue delay */
	uint64_t rq_p50_ns;
	uint64_t rq_p99_ns;
	uint64_t rq_max_ns;
	/*
	 * The tail: of the IOs with a measured run-queue delay, those whose
	 * latency is above the p99 (nearest rank) of those IOs' latencies.
	 */
	uint64_t tail_n;	/* IOs in the tail */
	uint64_t tail_rq_n;	/* of those, rq_delay_ns > 0 */
	double tail_rq_ns;	/* their rq_delay_ns, summed */
	double tail_lat_ns;	/* their latencies, summed */
};

#endif /* VMLAT_STATS_H */
