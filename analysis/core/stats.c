/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stats.c - sorting, nearest-rank statistics, the bootstrap CI of a ratio
 * of medians and the Mann-Whitney U test (see stats.h for the methods).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "memroom.h"
#include "par.h"
#include "stats.h"

static void insertion_sort(uint64_t *v, size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		uint64_t x = v[i];

		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/*
 * American flag sort: an in-place MSD radix sort on the byte at SHIFT,
 * each value moved straight to its bucket by cycles, then each bucket
 * sorted on the next byte.  No scratch array, so sorting 100M samples
 * needs no memory beyond the samples.  The first byte is the top 8
 * significant bits of the largest value (not a whole byte of the word):
 * it spreads the samples over all 256 buckets, so the next passes work on
 * slices that fit in a cache instead of going over memory again.
 */
/* Move every value of V to its bucket of the byte at SHIFT; COUNT: the sizes. */
static void flag_partition(uint64_t *v, size_t n, int shift, size_t *count)
{
	size_t next[256], end[256], sum = 0, i;
	unsigned int b;

	memset(count, 0, 256 * sizeof(*count));
	for (i = 0; i < n; i++)
		count[(v[i] >> shift) & 0xff]++;
	for (b = 0; b < 256; b++) {
		next[b] = sum;
		sum += count[b];
		end[b] = sum;
	}
	for (b = 0; b < 256; b++)
		while (next[b] < end[b]) {
			uint64_t x = v[next[b]];
			unsigned int d = (x >> shift) & 0xff;

			while (d != b) { /* x goes to bucket d; take what was there */
				uint64_t y = v[next[d]];

				v[next[d]++] = x;
				x = y;
				d = (x >> shift) & 0xff;
			}
			v[next[b]++] = x;
		}
}

static void flag_sort(uint64_t *v, size_t n, int shift)
{
	size_t count[256], sum;
	unsigned int b;

	if (n < 48) { /* before the counts: most calls are tiny buckets */
		insertion_sort(v, n);
		return;
	}
	flag_partition(v, n, shift, count);
	if (!shift)
		return;
	/* a bucket's bits from SHIFT up are equal, so overlapping bytes are fine */
	for (b = 0, sum = 0; b < 256; sum += count[b++])
		if (count[b] > 1)
			flag_sort(v + sum, count[b], shift >= 8 ? shift - 8 : 0);
}

/*
 * Large arrays on every core: the first partition on one (its cycles go
 * all over the array), then the 256 buckets, independent, handed out to
 * the threads in turn, largest first.  Same order as flag_sort() alone:
 * the sort is exact either way.
 */
struct bucket_work {
	uint64_t *v;
	size_t count[256], start[256];
	unsigned int order[256];
	unsigned int next; /* the next of order[] to take */
	int shift;
};

static void sort_buckets(void *arg, unsigned int i)
{
	struct bucket_work *w = arg;
	unsigned int k;

	(void)i;
	while ((k = __atomic_fetch_add(&w->next, 1, __ATOMIC_RELAXED)) < 256) {
		unsigned int b = w->order[k];

		if (w->count[b] > 1)
			flag_sort(w->v + w->start[b], w->count[b], w->shift);
	}
}

/* W's buckets in the order the threads take them: largest first, so they end together. */
static void bucket_order(struct bucket_work *w)
{
	unsigned int b, k;

	for (b = 0; b < 256; b++)
		w->order[b] = b;
	for (b = 1; b < 256; b++)
		for (k = b; k > 0 && w->count[w->order[k - 1]] < w->count[w->order[k]]; k--) {
			unsigned int t = w->order[k];

			w->order[k] = w->order[k - 1];
			w->order[k - 1] = t;
		}
}

static void flag_sort_par(uint64_t *v, size_t n, int shift, unsigned int threads)
{
	struct bucket_work w = { .v = v, .shift = shift >= 8 ? shift - 8 : 0 };
	size_t sum = 0;
	unsigned int b;

	flag_partition(v, n, shift, w.count);
	for (b = 0; b < 256; sum += w.count[b++])
		w.start[b] = sum;
	bucket_order(&w);
	if (shift)
		par_run(threads, sort_buckets, &w);
}

/*
 * With room for a scratch array (twice the samples' bytes free, and at
 * most SCRATCH_MAX bytes of samples), the first partition on every core
 * too, where flag_sort_par() does it on one: each thread counts the
 * buckets of its slice, the counts give each (bucket, slice) its place,
 * each thread moves its slice to those places in the
 * scratch array (a stream per bucket, not cycles all over the array), and
 * then each bucket is sorted in the scratch array, in turn largest first,
 * and copied back.  Same result: the sort is exact either way.  The cap
 * keeps issue 15's memory promise, 8 bytes a sample and nothing more for
 * a large cell (10^9 samples in under 8.5 GB): its extra is at most 256
 * MiB, and a larger cell is sorted in place, on every core but the first
 * partition.
 */
#define SCRATCH_MAX (256ull << 20)

struct scatter {
	uint64_t *v, *tmp;
	size_t n;
	int shift;
	unsigned int threads;
	size_t cnt[PAR_MAX][256]; /* per slice: its count, then its next place, per bucket */
	struct bucket_work w;
};

static void slice_of(const struct scatter *sc, unsigned int i, size_t *a, size_t *b)
{
	*a = (size_t)((unsigned __int128)sc->n * i / sc->threads);
	*b = (size_t)((unsigned __int128)sc->n * (i + 1) / sc->threads);
}

static void scatter_count(void *arg, unsigned int i)
{
	struct scatter *sc = arg;
	size_t a, b, *cnt = sc->cnt[i];

	slice_of(sc, i, &a, &b);
	memset(cnt, 0, 256 * sizeof(*cnt));
	for (; a < b; a++)
		cnt[(sc->v[a] >> sc->shift) & 0xff]++;
}

static void scatter_move(void *arg, unsigned int i)
{
	struct scatter *sc = arg;
	size_t a, b, *at = sc->cnt[i];

	slice_of(sc, i, &a, &b);
	for (; a < b; a++) {
		uint64_t x = sc->v[a];

		sc->tmp[at[(x >> sc->shift) & 0xff]++] = x;
	}
}

/*
 * LSD radix sort of the N values at SRC into DST, when their bits from BITS
 * up are all equal (a bucket of the first partition): an odd number of
 * passes of at most LSD_DIGIT bits, so the last lands in DST, with every
 * pass's counts taken in one read.  A bucket fits in the cache, where two
 * or three streaming passes cost less than the flag sort's cycles.
 */
#define LSD_DIGIT 11
#define LSD_MAXPASS 7 /* 56 bits (the most a bucket keeps) in 6 passes, made odd */
#define LSD_MIN 4096  /* smaller buckets: flag_sort() */

static void lsd_sort(const uint64_t *src, uint64_t *dst, size_t n, int bits,
		     size_t (*cnt)[1 << LSD_DIGIT])
{
	unsigned int p = (unsigned int)(bits + LSD_DIGIT - 1) / LSD_DIGIT, d, k;
	uint64_t mask, *from = (uint64_t *)src, *to = dst, *t;
	size_t i;

	p += !(p & 1);
	d = ((unsigned int)bits + p - 1) / p;
	mask = (UINT64_C(1) << d) - 1;
	memset(cnt, 0, p * sizeof(*cnt));
	for (i = 0; i < n; i++)
		for (k = 0; k < p; k++)
			cnt[k][(src[i] >> (k * d)) & mask]++;
	for (k = 0; k < p; k++) {
		size_t sum = 0, c;

		for (i = 0; i <= mask; i++) {
			c = cnt[k][i];
			cnt[k][i] = sum;
			sum += c;
		}
	}
	for (k = 0; k < p; k++) {
		for (i = 0; i < n; i++)
			to[cnt[k][(from[i] >> (k * d)) & mask]++] = from[i];
		t = from;
		from = to;
		to = t;
	}
}

static void scatter_sort(void *arg, unsigned int i)
{
	struct scatter *sc = arg;
	struct bucket_work *w = &sc->w;
	size_t (*cnt)[1 << LSD_DIGIT] = malloc(LSD_MAXPASS * sizeof(*cnt));
	unsigned int k;

	(void)i;
	while ((k = __atomic_fetch_add(&w->next, 1, __ATOMIC_RELAXED)) < 256) {
		unsigned int b = w->order[k];
		uint64_t *from = sc->tmp + w->start[b], *to = sc->v + w->start[b];

		if (cnt && sc->shift && w->count[b] >= LSD_MIN) {
			lsd_sort(from, to, w->count[b], sc->shift, cnt);
			continue;
		}
		if (sc->shift && w->count[b] > 1)
			flag_sort(from, w->count[b], w->shift);
		memcpy(to, from, w->count[b] * sizeof(uint64_t));
	}
	free(cnt);
}

/* The places: bucket starts, then each slice's place in each bucket. */
static void scatter_places(struct scatter *sc)
{
	size_t sum = 0;
	unsigned int b, i;

	for (b = 0; b < 256; b++) {
		sc->w.start[b] = sum;
		for (i = 0; i < sc->threads; i++) {
			size_t c = sc->cnt[i][b];

			sc->cnt[i][b] = sum;
			sum += c;
		}
		sc->w.count[b] = sum - sc->w.start[b];
	}
}

/* flag_sort_par() with the first partition on every core; -ENOMEM: no scratch (or too large). */
static int scatter_sort_par(uint64_t *v, size_t n, int shift, unsigned int threads)
{
	struct scatter *sc;
	uint64_t avail;

	if ((uint64_t)n * sizeof(*v) > SCRATCH_MAX || mem_room(2 * (uint64_t)n * sizeof(*v), &avail) ||
	    !(sc = calloc(1, sizeof(*sc))))
		return -ENOMEM;
	sc->tmp = malloc(n * sizeof(*v));
	if (!sc->tmp) {
		free(sc);
		return -ENOMEM;
	}
	mem_huge_pages(sc->tmp, n * sizeof(*v));
	sc->v = v;
	sc->n = n;
	sc->shift = shift;
	sc->threads = threads;
	sc->w.shift = shift >= 8 ? shift - 8 : 0;
	par_run(threads, scatter_count, sc);
	scatter_places(sc);
	par_run(threads, scatter_move, sc);
	bucket_order(&sc->w);
	par_run(threads, scatter_sort, sc);
	free(sc->tmp);
	free(sc);
	return 0;
}

int stats_sort(uint64_t *v, size_t n)
{
	uint64_t max = 0;
	size_t i;
	int shift = 0;
	unsigned int threads = n >= (1u << 20) ? par_cpus() : 1;

	for (i = 0; i < n; i++)
		max = v[i] > max ? v[i] : max;
	while (shift < 56 && max >> (shift + 8))
		shift++;
	if (threads > 1) {
		if (scatter_sort_par(v, n, shift, threads))
			flag_sort_par(v, n, shift, threads); /* no room for scratch */
	} else if (n > 1)
		flag_sort(v, n, shift);
	return 0;
}

/* xoshiro256** seeded by splitmix64: small, fast, and the same everywhere. */
struct rng {
	uint64_t s[4];
};

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static void rng_seed(struct rng *r, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++) {
		uint64_t z = (seed += 0x9e3779b97f4a7c15ull);

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
		r->s[i] = z ^ (z >> 31);
	}
}

static uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s, res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

/* Uniform in (0, 1), never 0 (a log follows). */
static double rng_unit(struct rng *r)
{
	return ((rng_next(r) >> 11) + 0.5) * 0x1.0p-53;
}

static double rng_normal(struct rng *r)
{
	return sqrt(-2 * log(rng_unit(r))) * cos(2 * M_PI * rng_unit(r));
}

/* Gamma(a, 1) for a >= 1, Marsaglia and Tsang (2000). */
static double rng_gamma(struct rng *r, double a)
{
	double d = a - 1.0 / 3, c = 1 / sqrt(9 * d);

	for (;;) {
		double x = rng_normal(r), v = 1 + c * x, u;

		if (v <= 0)
			continue;
		v = v * v * v;
		u = rng_unit(r);
		if (log(u) < 0.5 * x * x + d - d * v + d * log(v))
			return d * v;
	}
}

int stats_view_hist(struct stats_view *v, const struct hist *h)
{
	uint64_t sum = 0;
	size_t i;

	memset(v, 0, sizeof(*v));
	v->h = h;
	v->n = h->n;
	v->cum = malloc(HIST_BUCKETS * sizeof(*v->cum));
	if (!v->cum)
		return -ENOMEM;
	for (i = 0; i < HIST_BUCKETS; i++)
		v->cum[i] = sum += h->counts[i];
	return 0;
}

void stats_view_release(struct stats_view *v)
{
	free(v->cum);
	v->cum = NULL;
}

uint64_t stats_view_at(const struct stats_view *v, uint64_t rank)
{
	size_t lo = 0, hi = HIST_BUCKETS - 1;
	uint64_t x;

	if (v->sorted)
		return v->sorted[rank - 1];
	if (rank <= 1)
		return v->h->min;
	if (rank >= v->n)
		return v->h->max;
	while (lo < hi) { /* first bucket whose cumulative count reaches rank */
		size_t mid = lo + (hi - lo) / 2;

		if (v->cum[mid] >= rank)
			hi = mid;
		else
			lo = mid + 1;
	}
	x = hist_value(lo);
	return x < v->h->min ? v->h->min : x > v->h->max ? v->h->max : x;
}

/* The nearest-rank median of a bootstrap resample of V, in O(1). */
static uint64_t boot_median(struct rng *r, const struct stats_view *v)
{
	size_t n = v->n, k = (n + 1) / 2; /* ceil(n/2): fio's nearest rank of 50% */
	double x = rng_gamma(r, (double)k), y = rng_gamma(r, (double)(n - k + 1));
	size_t idx = (size_t)((double)n * (x / (x + y)));

	return stats_view_at(v, (idx < n ? idx : n - 1) + 1);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int stats_boot_view(const struct stats_view *a, const struct stats_view *b,
		    unsigned int resamples, uint64_t seed, struct stats_boot *out)
{
	uint64_t ma = a->n ? stats_view_at(a, (a->n + 1) / 2) : 0, mb;
	struct rng r;
	double *ratios;
	unsigned int i;

	if (!a->n || !b->n || !resamples || !ma)
		return -EINVAL;
	ratios = malloc(resamples * sizeof(*ratios));
	if (!ratios)
		return -ENOMEM;
	rng_seed(&r, seed);
	for (i = 0; i < resamples; i++) {
		ma = boot_median(&r, a);
		mb = boot_median(&r, b);
		ratios[i] = ma ? (double)mb / (double)ma : INFINITY;
	}
	qsort(ratios, resamples, sizeof(*ratios), cmp_double);
	out->ratio = (double)stats_view_at(b, (b->n + 1) / 2) / (double)stats_view_at(a, (a->n + 1) / 2);
	out->lo = ratios[(size_t)ceil(0.025 * resamples - 1e-9) - 1];
	out->hi = ratios[(size_t)ceil(0.975 * resamples - 1e-9) - 1];
	free(ratios);
	return 0;
}

int stats_boot_median_ratio(const uint64_t *a, size_t na, const uint64_t *b, size_t nb,
			    unsigned int resamples, uint64_t seed, struct stats_boot *out)
{
	struct stats_view va = { .sorted = a, .n = na }, vb = { .sorted = b, .n = nb };

	return stats_boot_view(&va, &vb, resamples, seed, out);
}

/*
 * U of B from the merged sorted samples, and the tie term sum(t^3 - t)
 * over groups of equal values.
 */
static void mwu_count(const uint64_t *a, size_t na, const uint64_t *b, size_t nb, double *u,
		      double *ties)
{
	size_t i = 0, j = 0;

	*u = 0;
	*ties = 0;
	while (i < na || j < nb) {
		uint64_t v = j >= nb || (i < na && a[i] < b[j]) ? a[i] : b[j];
		size_t ta = 0, tb = 0;

		while (i < na && a[i] == v)
			i++, ta++;
		while (j < nb && b[j] == v)
			j++, tb++;
		/* each b here beats the i - ta a's below and ties with ta */
		*u += (double)tb * ((double)(i - ta) + 0.5 * (double)ta);
		*ties += pow((double)(ta + tb), 3) - (double)(ta + tb);
	}
}

/*
 * P(U <= u) and P(U >= u) under H0, no ties: f(i, j, u), the number of
 * orders of i a's and j b's with U = u, obeys f(i, j, u) = f(i - 1, j, u)
 * + f(i, j - 1, u - i) (the largest value is an a, or a b above i a's).
 */
static int mwu_exact(size_t na, size_t nb, double u, double *p)
{
	size_t m = na * nb, i, j, k;
	double *f = calloc((na + 1) * (m + 1), sizeof(*f)), lo = 0, hi = 0, tot = 0;

	if (!f)
		return -ENOMEM;
	/* rows i = 0..na for the current j; j = 0: only U = 0 */
	for (i = 0; i <= na; i++)
		f[i * (m + 1)] = 1;
	for (j = 1; j <= nb; j++)
		for (i = 0; i <= na; i++)
			for (k = m + 1; k-- > 0;) {
				double v = i ? f[(i - 1) * (m + 1) + k] : 0;

				/* f[i][k] still holds f(i, j - 1, .) for k >= i */
				v += k >= i ? f[i * (m + 1) + k - i] : 0;
				f[i * (m + 1) + k] = v;
			}
	for (k = 0; k <= m; k++) {
		double c = f[na * (m + 1) + k];

		tot += c;
		if ((double)k <= u + 1e-9)
			lo += c;
		if ((double)k >= u - 1e-9)
			hi += c;
	}
	free(f);
	*p = fmin(1, 2 * fmin(lo, hi) / tot);
	return 0;
}

/* p of U with tie term TIES (sum of t^3 - t) for samples of NA and NB. */
static int mwu_p(size_t na, size_t nb, double ties, struct stats_mwu *out)
{
	double n = (double)na + (double)nb, mu = (double)na * (double)nb / 2, var, d;

	if (ties == 0 && na * nb <= STATS_MWU_EXACT_MAX) {
		out->exact = 1;
		return mwu_exact(na, nb, out->u, &out->p);
	}
	var = (double)na * (double)nb / 12 * ((n + 1) - ties / (n * (n - 1)));
	if (var <= 0) { /* every value equal: no evidence of a difference */
		out->p = 1;
		return 0;
	}
	d = fmax(fabs(out->u - mu) - 0.5, 0);
	out->z = (out->u - mu < 0 ? -d : d) / sqrt(var);
	out->p = erfc(fabs(out->z) / M_SQRT2);
	return 0;
}

int stats_mwu(const uint64_t *a, size_t na, const uint64_t *b, size_t nb, struct stats_mwu *out)
{
	double ties;

	if (!na || !nb)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	mwu_count(a, na, b, nb, &out->u, &ties);
	return mwu_p(na, nb, ties, out);
}

int stats_mwu_hist(const struct hist *a, const struct hist *b, struct stats_mwu *out)
{
	double below = 0, ties = 0;
	size_t i;

	if (!a->n || !b->n)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	for (i = 0; i < HIST_BUCKETS; i++) {
		double ca = (double)a->counts[i], cb = (double)b->counts[i], t = ca + cb;

		out->u += cb * (below + 0.5 * ca);
		ties += t * t * t - t;
		below += ca;
	}
	return mwu_p((size_t)a->n, (size_t)b->n, ties, out);
}

void stats_from_hist(const struct hist *h, struct stats *s)
{
	struct stats_view v = { .h = h, .n = h->n };
	long double mean, var;

	memset(s, 0, sizeof(*s));
	if (!h->n || stats_view_hist(&v, h))
		return;
	mean = h->sum / h->n;
	var = h->n > 1 ? (h->sumsq - h->sum * mean) / (h->n - 1) : 0;
	s->n = h->n;
	s->min_ns = h->min;
	s->max_ns = h->max;
	s->mean_ns = (double)mean;
	s->stddev_ns = var > 0 ? (double)sqrtl(var) : 0;
	s->median_ns = stats_view_at(&v, stats_rank(h->n, 50));
	s->p90_ns = stats_view_at(&v, stats_rank(h->n, 90));
	s->p99_ns = stats_view_at(&v, stats_rank(h->n, 99));
	s->p999_ns = stats_view_at(&v, stats_rank(h->n, 99.9));
	stats_view_release(&v);
}
