/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stats_compute.c - a cell's n, min, max, mean, standard deviation and
 * nearest-rank percentiles, from sorted samples or from samples in any
 * order (stats.h).
 *
 * Unsorted, nothing is sorted: one pass (on every core from 2^20 samples)
 * takes the extremes, the exact sums and a histogram of buckets 1/1024 of
 * their value wide; each percentile's rank then falls in one bucket, and
 * only that bucket's samples are copied out and sorted.  A log whose
 * samples crowd into one bucket (more than STATS_GATHER_MAX) has that bucket
 * split again, 2^16 ways a pass, until few enough remain or all are one
 * value.  `vmlat report` on one cell no comparison needs spent a third of
 * its time sorting (issue 15); this is two reads of the samples.
 *
 * The mean and the standard deviation come from exact integer sums (128
 * bits for the sum, 192 for the sum of squares, 256 for the variance's
 * numerator), rounded once: the same numbers in any order and on any
 * number of threads, so sorted and unsorted agree to the last bit.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "par.h"
#include "stats.h"

/*
 * The rank is computed in integers from P in thousandths of a percent, so
 * 99.9% of 1000 samples is rank 999 exactly.  fio compares in long double
 * with the binary value of 99.9 (a hair above it) and so takes rank 1000
 * there: its percentiles can sit one rank higher when p * n / 100 is a
 * whole number.
 */
uint64_t stats_rank(uint64_t n, double p)
{
	unsigned __int128 pm = (unsigned __int128)llround(p * 1000);
	uint64_t rank = (uint64_t)((pm * n + 99999) / 100000);

	return rank < 1 ? 1 : rank > n ? n : rank;
}

uint64_t stats_pct(const uint64_t *sorted, size_t n, double p)
{
	return sorted[stats_rank(n, p) - 1];
}

/* Exact sums of a slice: s1 = sum of x, s2hi:s2 = sum of x * x. */
struct sums {
	unsigned __int128 s1, s2;
	uint64_t s2hi, min, max;
};

static inline void sums_add(struct sums *s, uint64_t x)
{
	unsigned __int128 q = (unsigned __int128)x * x;

	s->s1 += x;
	s->s2 += q;
	s->s2hi += s->s2 < q;
	s->min = x < s->min ? x : s->min;
	s->max = x > s->max ? x : s->max;
}

static void sums_merge(struct sums *to, const struct sums *s)
{
	to->s1 += s->s1;
	to->s2 += s->s2;
	to->s2hi += s->s2hi + (to->s2 < s->s2);
	to->min = s->min < to->min ? s->min : to->min;
	to->max = s->max > to->max ? s->max : to->max;
}

/* R (4 limbs, least significant first) += X << (64 * AT). */
static void u256_add(uint64_t *r, unsigned __int128 x, unsigned int at)
{
	unsigned __int128 c = 0;

	for (; at < 4; at++, x >>= 64) {
		c += (unsigned __int128)r[at] + (uint64_t)x;
		r[at] = (uint64_t)c;
		c >>= 64;
		if (!c && !(x >> 64))
			return;
	}
}

/* R (4 limbs) as a long double: its top 128 bits, scaled (error < 2^-127). */
static long double u256_ld(const uint64_t *r)
{
	int i = 3;

	while (i > 0 && !r[i])
		i--;
	if (i == 0)
		return (long double)r[0];
	return ldexpl((long double)((unsigned __int128)r[i] << 64 | r[i - 1]), 64 * (i - 1));
}

/*
 * Mean and sample standard deviation of N values from their exact sums:
 * the variance is (n * s2 - s1^2) / (n * (n - 1)), its numerator an exact
 * 256-bit integer (never negative), so the one rounding is its conversion.
 */
static void sums_finish(const struct sums *s, uint64_t n, struct stats *st)
{
	uint64_t a[4] = { 0 }, b[4] = { 0 }, d[4], borrow = 0;
	unsigned int i;

	st->mean_ns = (double)((long double)s->s1 / n);
	if (n < 2)
		return;
	u256_add(a, (unsigned __int128)(uint64_t)s->s2 * n, 0);
	u256_add(a, (unsigned __int128)(uint64_t)(s->s2 >> 64) * n, 1);
	u256_add(a, (unsigned __int128)s->s2hi * n, 2);
	u256_add(b, (unsigned __int128)(uint64_t)s->s1 * (uint64_t)s->s1, 0);
	u256_add(b, (unsigned __int128)(uint64_t)s->s1 * (uint64_t)(s->s1 >> 64), 1);
	u256_add(b, (unsigned __int128)(uint64_t)s->s1 * (uint64_t)(s->s1 >> 64), 1);
	u256_add(b, (unsigned __int128)(uint64_t)(s->s1 >> 64) * (uint64_t)(s->s1 >> 64), 2);
	for (i = 0; i < 4; i++) {
		unsigned __int128 t = (unsigned __int128)a[i] - b[i] - borrow;

		d[i] = (uint64_t)t;
		borrow = (uint64_t)(t >> 64) & 1;
	}
	st->stddev_ns = (double)sqrtl(u256_ld(d) / ((long double)n * (long double)(n - 1)));
}

/* The four percentiles every table shows, in ascending order. */
static const double pcts[] = { 50, 90, 99, 99.9 };
#define NPCT (sizeof(pcts) / sizeof(pcts[0]))

static void set_pcts(struct stats *st, const uint64_t *val)
{
	st->median_ns = val[0];
	st->p90_ns = val[1];
	st->p99_ns = val[2];
	st->p999_ns = val[3];
}

#ifndef STATS_PAR_MIN
#define STATS_PAR_MIN (1u << 20) /* fewer samples: one thread */
#endif

static unsigned int threads_for(size_t n)
{
	return n >= STATS_PAR_MIN ? par_cpus() : 1;
}

static void slice_of(size_t n, unsigned int threads, unsigned int t, size_t *a, size_t *b)
{
	*a = (size_t)((unsigned __int128)n * t / threads);
	*b = (size_t)((unsigned __int128)n * (t + 1) / threads);
}

/*
 * The first pass's buckets: values below 2^11 one each, above that 1024
 * per power of two (a bucket is 1/1024 to 1/2048 of its values wide), in
 * value order.  key_of(UINT64_MAX) = 56319.
 */
#define KEYS 56320u
#define SUB_BITS 16 /* a refining pass splits a range 2^16 ways */
/* The fuzz builds set these tiny (with STATS_PAR_MIN), so small inputs take every path. */
#ifndef STATS_GATHER_MAX
#define STATS_GATHER_MAX (1u << 21) /* samples copied out for one rank, at most (16 MiB) */
#endif
#ifndef STATS_SELECT_MIN
#define STATS_SELECT_MIN (1u << 16) /* fewer samples: sorting them costs less */
#endif

static inline unsigned int key_of(uint64_t x)
{
	unsigned int e = 63 - (unsigned int)__builtin_clzll(x | 1), s = e > 10 ? e - 10 : 0;

	return (s << 10) + (unsigned int)(x >> s);
}

/* The values of bucket K: [*lo, *hi]. */
static void key_range(unsigned int k, uint64_t *lo, uint64_t *hi)
{
	unsigned int s = k < 2048 ? 0 : (k >> 10) - 1;

	*lo = (uint64_t)(k - (s << 10)) << s;
	*hi = *lo + ((UINT64_C(1) << s) - 1);
}

/* The values that hold one rank: how many, per thread, and its rank among them. */
struct range {
	uint64_t lo, hi, rank, n;
	uint64_t cnt[PAR_MAX];
	uint64_t *out; /* the gathered samples, or NULL */
};

struct sel {
	const uint64_t *v;
	size_t n;
	unsigned int threads;
	uint32_t *hist[PAR_MAX]; /* per thread, 2^SUB_BITS >= KEYS counts (NULL: sums only) */
	struct sums s[PAR_MAX];
	const struct range *split; /* a refining pass: the range, */
	int shift;		   /* and its buckets' width (bits) */
	struct range *g[NPCT];	   /* the gathering pass: distinct ranges */
	unsigned int ng;
};

/* A slice's sums, and its histogram unless the thread has none (stats_compute). */
static void first_slice(void *arg, unsigned int t)
{
	struct sel *sl = arg;
	struct sums s = { .min = UINT64_MAX };
	uint32_t *h = sl->hist[t];
	size_t i, e;

	slice_of(sl->n, sl->threads, t, &i, &e);
	if (!h) {
		for (; i < e; i++)
			sums_add(&s, sl->v[i]);
	} else {
		memset(h, 0, KEYS * sizeof(*h));
		for (; i < e; i++) {
			sums_add(&s, sl->v[i]);
			h[key_of(sl->v[i])]++;
		}
	}
	sl->s[t] = s;
}

/* The first pass on every slice; then SL->s[0] holds the sums of all. */
static void first_pass(struct sel *sl)
{
	unsigned int t;

	par_run(sl->threads, first_slice, sl);
	for (t = 1; t < sl->threads; t++)
		sums_merge(&sl->s[0], &sl->s[t]);
}

static void split_slice(void *arg, unsigned int t)
{
	struct sel *sl = arg;
	uint32_t *h = sl->hist[t];
	uint64_t lo = sl->split->lo, w = sl->split->hi - lo;
	size_t i, e;

	memset(h, 0, (1u << SUB_BITS) * sizeof(*h));
	for (slice_of(sl->n, sl->threads, t, &i, &e); i < e; i++)
		if (sl->v[i] - lo <= w)
			h[(sl->v[i] - lo) >> sl->shift]++;
}

/*
 * Each thread's samples of each range go to that range's array, in thread
 * order.  The ranges in locals: the stores through OUT could alias them.
 * Every range is tested on every sample, without a branch (ranges apart:
 * one hit at most, and it is rare): a loop that stopped at the first
 * match took twice the first pass's time.
 */
static void gather_slice(void *arg, unsigned int t)
{
	const struct sel *sl = arg;
	uint64_t *out[NPCT], lo[NPCT] = { 0 }, w[NPCT] = { 0 };
	const uint64_t *v = sl->v;
	unsigned int j, u, ng = sl->ng, valid = (1u << ng) - 1;
	size_t i, e;

	for (j = 0; j < ng; j++) {
		out[j] = sl->g[j]->out;
		lo[j] = sl->g[j]->lo;
		w[j] = sl->g[j]->hi - lo[j];
		for (u = 0; u < t; u++)
			out[j] += sl->g[j]->cnt[u];
	}
	for (slice_of(sl->n, sl->threads, t, &i, &e); i < e; i++) {
		uint64_t x = v[i];
		unsigned int hit = 0;

#pragma GCC unroll 4
		for (j = 0; j < NPCT; j++)
			hit |= (unsigned int)(x - lo[j] <= w[j]) << j;
		if (__builtin_expect((hit &= valid) != 0, 0))
			*out[__builtin_ctz(hit)]++ = x;
	}
}

/* A walk up the buckets, the threads' counts summed: where it is, what is below. */
struct walk {
	unsigned int k;
	uint64_t below, here;
};

static uint64_t bucket_n(const struct sel *sl, unsigned int k, uint64_t *cnt)
{
	uint64_t n = 0;
	unsigned int t;

	for (t = 0; t < sl->threads; t++) {
		n += sl->hist[t][k];
		if (cnt)
			cnt[t] = sl->hist[t][k];
	}
	return n;
}

/* Walk W on (never back) to the bucket holding R's rank; R then holds that bucket. */
static unsigned int find_rank(const struct sel *sl, struct walk *w, struct range *r)
{
	while (w->below + w->here < r->rank)
		w->below += w->here, w->here = bucket_n(sl, ++w->k, NULL);
	r->rank -= w->below;
	r->n = bucket_n(sl, w->k, r->cnt);
	return w->k;
}

/* Narrow R to a 2^16th of itself a pass, until it is small or one value. */
static void refine(struct sel *sl, struct range *r)
{
	while (r->n > STATS_GATHER_MAX && r->lo < r->hi) {
		uint64_t w = r->hi - r->lo, b;

		sl->split = r;
		for (sl->shift = 0; w >> sl->shift >> SUB_BITS; sl->shift++)
			;
		par_run(sl->threads, split_slice, sl);
		b = find_rank(sl, &(struct walk){ .here = bucket_n(sl, 0, NULL) }, r);
		r->lo += b << sl->shift;
		if (r->hi - r->lo > (UINT64_C(1) << sl->shift) - 1)
			r->hi = r->lo + ((UINT64_C(1) << sl->shift) - 1);
	}
}

/* Copy out the ranges that still hold more than one value, sort each, read the ranks. */
static int gather(struct sel *sl, struct range *r, uint64_t *val)
{
	int slot[NPCT], ret = 0; /* each rank's range in g[], -1 for one value */
	unsigned int i, j;

	for (i = 0; i < NPCT; i++) { /* ranges are equal (same lo) or apart */
		for (j = 0; j < sl->ng && sl->g[j]->lo != r[i].lo; j++)
			;
		slot[i] = r[i].lo == r[i].hi ? -1 : (int)j;
		if (slot[i] < 0 || j < sl->ng)
			continue;
		if (!(r[i].out = malloc(r[i].n * sizeof(uint64_t))))
			ret = -1;
		sl->g[sl->ng++] = &r[i];
	}
	if (!ret && sl->ng)
		par_run(sl->threads, gather_slice, sl);
	for (j = 0; !ret && j < sl->ng; j++)
		stats_sort(sl->g[j]->out, sl->g[j]->n);
	for (i = 0; !ret && i < NPCT; i++)
		val[i] = slot[i] < 0 ? r[i].lo : sl->g[slot[i]]->out[r[i].rank - 1];
	for (j = 0; j < sl->ng; j++)
		free(sl->g[j]->out);
	return ret;
}

/* The percentiles of V by selection; -1 when memory ran out (nothing is changed). */
static int select_pcts(struct sel *sl, struct stats *st)
{
	struct range r[NPCT];
	struct walk w = { 0 };
	uint64_t val[NPCT];
	unsigned int i;

	first_pass(sl);
	w.here = bucket_n(sl, 0, NULL);
	for (i = 0; i < NPCT; i++) { /* the ranks ascend: one walk */
		memset(&r[i], 0, sizeof(r[i]));
		r[i].rank = stats_rank(sl->n, pcts[i]);
		key_range(find_rank(sl, &w, &r[i]), &r[i].lo, &r[i].hi);
	}
	for (i = 0; i < NPCT; i++) /* after: refining overwrites the counts */
		refine(sl, &r[i]);
	if (gather(sl, r, val))
		return -1;
	st->n = sl->n;
	st->min_ns = sl->s[0].min;
	st->max_ns = sl->s[0].max;
	sums_finish(&sl->s[0], sl->n, st);
	set_pcts(st, val);
	return 0;
}

void stats_compute(const uint64_t *sorted, size_t n, struct stats *s)
{
	struct sel sl = { .v = sorted, .n = n, .threads = threads_for(n) }; /* no histograms */
	uint64_t val[NPCT];
	unsigned int i;

	memset(s, 0, sizeof(*s));
	if (!n)
		return;
	first_pass(&sl);
	s->n = n;
	s->min_ns = sorted[0];
	s->max_ns = sorted[n - 1];
	sums_finish(&sl.s[0], n, s);
	for (i = 0; i < NPCT; i++)
		val[i] = stats_pct(sorted, n, pcts[i]);
	set_pcts(s, val);
}

int stats_compute_any(uint64_t *v, size_t n, struct stats *s)
{
	struct sel sl = { .v = v, .n = n, .threads = threads_for(n) };
	unsigned int t;
	/* 32-bit counts: a thread's slice must not reach 2^32 samples */
	int ret = n >= STATS_SELECT_MIN && n / sl.threads < UINT32_MAX ? 0 : -1;

	memset(s, 0, sizeof(*s));
	for (t = 0; !ret && t < sl.threads; t++)
		if (!(sl.hist[t] = malloc((1u << SUB_BITS) * sizeof(uint32_t))))
			ret = -1;
	if (!ret)
		ret = select_pcts(&sl, s);
	for (t = 0; t < sl.threads; t++)
		free(sl.hist[t]);
	if (!ret)
		return 0;
	stats_sort(v, n); /* few samples, or no memory for the histograms: sort */
	stats_compute(v, n, s);
	return 1;
}
