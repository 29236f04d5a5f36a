/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_analysis_stats.c - analysis/core/stats.c and analysis/core/group.c
 * against answers known independently of them: closed forms (mean and standard
 * deviation of 1..n), hand-counted nearest ranks, the exact Mann-Whitney
 * distribution for 5 against 5 (252 orders, counts from the textbook
 * table), a tie-corrected normal approximation worked by hand, and the
 * asymptotic spread of a bootstrap median.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/group.h"
#include "core/samples.h"
#include "core/stats.h"

static uint64_t *seq(size_t n, uint64_t scale)
{
	uint64_t *v = malloc(n * sizeof(*v));
	size_t i;

	for (i = 0; i < n; i++)
		v[i] = (i + 1) * scale;
	return v;
}

/* Nearest rank ceil(p/100 * n), counted by hand. */
static void test_pct_nearest_rank(void **state)
{
	uint64_t *v = seq(10, 1), *w = seq(1000, 1), one = 42;

	(void)state;
	assert_int_equal(stats_pct(v, 10, 50), 5);
	assert_int_equal(stats_pct(v, 10, 90), 9);
	assert_int_equal(stats_pct(v, 10, 99), 10);
	assert_int_equal(stats_pct(v, 10, 0.001), 1);
	assert_int_equal(stats_pct(v, 10, 100), 10);
	assert_int_equal(stats_pct(w, 1000, 50), 500);
	assert_int_equal(stats_pct(w, 1000, 99), 990);
	assert_int_equal(stats_pct(w, 1000, 99.9), 999); /* not 1000: see stats.c */
	assert_int_equal(stats_pct(w, 999, 99.9), 999); /* ceil(998.001) */
	assert_int_equal(stats_pct(&one, 1, 99.9), 42);
	free(v);
	free(w);
}

/* 1..n: mean (n+1)/2, sample sd sqrt(n(n+1)/12). */
static void test_compute_uniform(void **state)
{
	uint64_t *v = seq(1000, 1000);
	struct stats s;

	(void)state;
	stats_compute(v, 1000, &s);
	assert_int_equal(s.n, 1000);
	assert_int_equal(s.min_ns, 1000);
	assert_int_equal(s.max_ns, 1000000);
	assert_true(fabs(s.mean_ns - 500500) < 1e-6);
	assert_true(fabs(s.stddev_ns - 1000 * sqrt(1000.0 * 1001 / 12)) < 1e-3);
	assert_int_equal(s.median_ns, 500000);
	assert_int_equal(s.p90_ns, 900000);
	assert_int_equal(s.p999_ns, 999000);
	free(v);
}

static void test_compute_constant(void **state)
{
	uint64_t v[7] = { 5, 5, 5, 5, 5, 5, 5 };
	struct stats s;

	(void)state;
	stats_compute(v, 7, &s);
	assert_true(s.mean_ns == 5 && s.stddev_ns == 0 && s.median_ns == 5 && s.p999_ns == 5);
	stats_compute(v, 0, &s);
	assert_int_equal(s.n, 0);
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The radix sort agrees with qsort on values spread over every byte. */
static void test_sort_matches_qsort(void **state)
{
	size_t n = 200000, i;
	uint64_t *a = malloc(n * 8), *b = malloc(n * 8), x = 88172645463325252ull;

	(void)state;
	for (i = 0; i < n; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		a[i] = b[i] = i % 3 ? x >> (i % 50) : i % 1000;
	}
	assert_int_equal(stats_sort(a, n), 0);
	qsort(b, n, 8, cmp);
	assert_memory_equal(a, b, n * 8);
	free(a);
	free(b);
}

/*
 * Arrays of 2^20 samples and more are sorted on every core: the first
 * partition through a scratch array where there is room for one (then each
 * bucket by LSD passes, or the flag sort when small), in place where there
 * is not (VMLAT_MEM_AVAIL=1000).  The same result as qsort on 1, 2 and 5
 * threads, with values skewed into few buckets and spread over all 64
 * bits, and with values of 28 bits in even buckets (a log's latencies).
 */
static void fill_skewed(uint64_t *b, size_t n)
{
	uint64_t x = 2463534242ull;
	size_t i;

	for (i = 0; i < n; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		b[i] = i % 4 ? 50000 + x % 5000000 : x >> (i % 60); /* 3/4 in few top buckets */
	}
}

static void fill_narrow(uint64_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = 50000 + (i * 7919 % n) * 7; /* mklat's seq:50000:7 */
}

static void test_sort_parallel_matches_qsort(void **state)
{
	size_t n = (1u << 20) + 12345;
	uint64_t *a = malloc(n * 8), *b = malloc(n * 8), *c = malloc(n * 8);
	void (*fill[])(uint64_t *, size_t) = { fill_skewed, fill_narrow };
	const char *threads[] = { "1", "2", "5" }, *room[] = { NULL, "1000" };
	unsigned int t, f, m;

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	for (f = 0; f < 2; f++) {
		fill[f](b, n);
		memcpy(c, b, n * 8);
		qsort(c, n, 8, cmp);
		for (m = 0; m < 2; m++)
			for (t = 0; t < 3; t++) {
				memcpy(a, b, n * 8);
				setenv("VMLAT_THREADS", threads[t], 1);
				if (room[m])
					setenv("VMLAT_MEM_AVAIL", room[m], 1);
				else
					unsetenv("VMLAT_MEM_AVAIL");
				assert_int_equal(stats_sort(a, n), 0);
				assert_memory_equal(a, c, n * 8);
			}
	}
	unsetenv("VMLAT_THREADS");
	unsetenv("VMLAT_MEM_AVAIL");
	free(a);
	free(b);
	free(c);
}

/*
 * From 2^20 samples the sums are taken on every core: the mean is that of
 * the exact sum whatever the threads (here the sum is below 2^64, so the
 * same as one long double sum in order), the standard deviation that of
 * one pass in order to the last few bits.
 */
static void test_compute_parallel(void **state)
{
	size_t n = (1u << 20) + 777, i;
	uint64_t *v = malloc(n * 8);
	const char *threads[] = { "1", "2", "5" };
	long double sum = 0, ss = 0, mean;
	struct stats s;
	unsigned int t;

	(void)state;
	assert_non_null(v);
	fill_skewed(v, n);
	for (i = 0; i < n; i++)
		v[i] >>= 20; /* sums below 2^64 */
	qsort(v, n, 8, cmp);
	for (i = 0; i < n; i++)
		sum += v[i];
	mean = sum / n;
	for (i = 0; i < n; i++)
		ss += ((long double)v[i] - mean) * ((long double)v[i] - mean);
	for (t = 0; t < 3; t++) {
		setenv("VMLAT_THREADS", threads[t], 1);
		stats_compute(v, n, &s);
		assert_true(s.mean_ns == (double)mean);
		assert_true(fabs(s.stddev_ns - (double)sqrtl(ss / (n - 1))) <= 1e-12 * s.stddev_ns);
		assert_int_equal(s.min_ns, v[0]);
		assert_int_equal(s.max_ns, v[n - 1]);
		assert_int_equal(s.median_ns, v[(n + 1) / 2 - 1]);
	}
	unsetenv("VMLAT_THREADS");
	free(v);
}

/*
 * The mean and standard deviation come from exact integer sums: values
 * near 2^63, whose sum a long double cannot hold, still give the hand
 * answers (mean 2^63 + 1 and sd 1 for 2^63 + {0, 1, 2}; sd |a - b| / sqrt 2
 * for two values a, b, also where a^2 + b^2 passes 2^128), sorted or not.
 */
static void test_compute_exact_sums(void **state)
{
	uint64_t big[3] = { (1ull << 63) + 2, 1ull << 63, (1ull << 63) + 1 };
	uint64_t two[2] = { UINT64_MAX, 0 };
	struct stats s;

	(void)state;
	assert_int_equal(stats_compute_any(big, 3, &s), 1); /* few: sorted in place */
	assert_true(big[0] == 1ull << 63 && big[2] == (1ull << 63) + 2);
	assert_true(s.stddev_ns == 1.0);
	assert_true(s.mean_ns == 9223372036854775808.0); /* 2^63 + 1 rounds to 2^63 as a double */
	assert_int_equal(s.median_ns, (1ull << 63) + 1);
	stats_compute(two, 2, &s); /* not sorted: stats_compute reads the ends as min and max */
	assert_true(s.stddev_ns == (double)(UINT64_MAX / sqrtl(2)));
	assert_true(s.mean_ns == 9223372036854775807.5);
	two[1] = UINT64_MAX - 2; /* the sum of squares passes 2^128 */
	stats_compute(two, 2, &s);
	assert_true(fabs(s.stddev_ns - sqrt(2.0)) < 1e-15);
}

static void check_any(uint64_t *v, size_t n, const char *what)
{
	uint64_t *sorted = malloc(n * 8), *copy = malloc(n * 8);
	struct stats want, got;
	int ret;

	assert_non_null(sorted);
	assert_non_null(copy);
	memcpy(sorted, v, n * 8);
	memcpy(copy, v, n * 8);
	qsort(sorted, n, 8, cmp);
	stats_compute(sorted, n, &want);
	ret = stats_compute_any(copy, n, &got);
	if (memcmp(&want, &got, sizeof(want)))
		fail_msg("%s, n %zu: stats_compute_any differs from stats_compute of the sorted samples",
			 what, n);
	/* from 2^16 samples nothing moves; fewer are sorted in place, and it says so */
	assert_int_equal(ret, n < (1u << 16));
	assert_memory_equal(copy, ret ? sorted : v, n * 8);
	free(sorted);
	free(copy);
}

static void fill_wide(uint64_t *b, size_t n) /* 7 to 12 digits, as mkfiolog writes */
{
	uint64_t x = 88172645463325252ull, p;
	size_t i;
	int d;

	for (i = 0; i < n; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		for (d = 7 + (int)(x % 6), p = 1; d--;)
			p *= 10;
		b[i] = x % p;
	}
}

static void fill_crowded(uint64_t *b, size_t n) /* all in one first-pass bucket */
{
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = 1000000000000ull + (i * 7919 % n) % 100003;
}

static void fill_tiny(uint64_t *b, size_t n) /* below 2048: buckets of one value */
{
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = i * 2654435761u % 2000;
}

static void fill_top(uint64_t *b, size_t n) /* the last buckets, sums past 2^128 */
{
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = UINT64_MAX - (i * 2654435761u % 5000) * (i % 3 ? 1 : 1000000007);
}

static void fill_constant(uint64_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = 123456789;
}

/*
 * stats_compute_any() gives stats_compute() of the sorted samples to the
 * last bit, on 1, 2 and 5 threads: values spread over six decades, skewed,
 * a log's narrow latencies, more than GATHER_MAX (2^21) in one first-pass
 * bucket (split again), values below 2048, values near 2^64, one value;
 * at 2^16 samples (the smallest it does not sort) and one fewer (sorted).
 */
static void test_compute_any(void **state)
{
	void (*fill[])(uint64_t *, size_t) = { fill_wide, fill_skewed, fill_narrow, fill_crowded,
					       fill_tiny, fill_top, fill_constant };
	const char *name[] = { "wide", "skewed", "narrow", "crowded", "tiny", "top", "constant" };
	size_t sizes[] = { (1u << 16) - 1, 1u << 16, (1u << 20) + 777, (1u << 21) + 4099 };
	const char *threads[] = { "1", "2", "5" };
	uint64_t *v = malloc(sizes[3] * 8);
	unsigned int f, z, t;

	(void)state;
	assert_non_null(v);
	for (f = 0; f < sizeof(fill) / sizeof(fill[0]); f++)
		for (z = 0; z < 4; z++) {
			if (z == 3 && fill[f] != fill_crowded && fill[f] != fill_constant)
				continue; /* past GATHER_MAX only where a bucket gets that many */
			fill[f](v, sizes[z]);
			for (t = 0; t < 3; t++) {
				setenv("VMLAT_THREADS", threads[t], 1);
				check_any(v, sizes[z], name[f]);
			}
		}
	unsetenv("VMLAT_THREADS");
	free(v);
}

/*
 * 5 against 5, no ties: of the 252 orders, 1, 1, 2, 3 have U = 0, 1, 2, 3,
 * so two-sided p = 2/252 for U = 0, 8/252 for U = 2, 14/252 for U = 3.
 */
static void test_mwu_exact_5x5(void **state)
{
	uint64_t a[5] = { 10, 20, 30, 40, 50 };
	uint64_t b0[5] = { 60, 70, 80, 90, 100 }, b2[5] = { 1, 2, 3, 4, 25 },
		 b3[5] = { 1, 2, 3, 15, 25 };
	struct stats_mwu m;

	(void)state;
	assert_int_equal(stats_mwu(a, 5, b0, 5, &m), 0);
	assert_true(m.exact && m.u == 25 && fabs(m.p - 2.0 / 252) < 1e-12);
	assert_int_equal(stats_mwu(b0, 5, a, 5, &m), 0);
	assert_true(m.u == 0 && fabs(m.p - 2.0 / 252) < 1e-12);
	assert_int_equal(stats_mwu(a, 5, b2, 5, &m), 0);
	assert_true(m.u == 2 && fabs(m.p - 8.0 / 252) < 1e-12);
	assert_int_equal(stats_mwu(a, 5, b3, 5, &m), 0);
	assert_true(m.u == 3 && fabs(m.p - 14.0 / 252) < 1e-12);
	assert_int_equal(stats_mwu(a, 5, a, 5, &m), 0); /* ties: normal, U = 12.5 */
	assert_true(!m.exact && m.u == 12.5 && m.p == 1);
}

/*
 * Ties, by hand: A = {1,2,2,3}, B = {2,3,3,4}.  U(B) = 2 + 3.5 + 3.5 + 4 =
 * 13, mean 8; ties 1,3,3,1 give sum(t^3 - t) = 48, so var = 16/12 * (9 -
 * 48/56) = 10.857143; z = (13 - 8 - 0.5)/sqrt(var) = 1.365698, p = 0.17203.
 */
static void test_mwu_ties_normal(void **state)
{
	uint64_t a[4] = { 1, 2, 2, 3 }, b[4] = { 2, 3, 3, 4 }, c[3] = { 9, 9, 9 };
	struct stats_mwu m;

	(void)state;
	assert_int_equal(stats_mwu(a, 4, b, 4, &m), 0);
	assert_false(m.exact);
	assert_true(m.u == 13);
	assert_true(fabs(m.z - 1.365698) < 1e-5);
	assert_true(fabs(m.p - 0.17203) < 1e-4);
	assert_int_equal(stats_mwu(c, 3, c, 3, &m), 0);
	assert_true(m.p == 1);
	assert_int_equal(stats_mwu(a, 0, b, 4, &m), -EINVAL);
}

/* Large samples: the normal p agrees with the exact one where both apply. */
static void test_mwu_normal_near_exact(void **state)
{
	uint64_t a[20], b[20];
	struct stats_mwu m;
	double exact;
	int i;

	(void)state;
	for (i = 0; i < 20; i++) {
		a[i] = 2 * i + 1;	     /* odd */
		b[i] = 2 * i + 6 + 2 * (i > 10); /* even, shifted up */
	}
	assert_int_equal(stats_mwu(a, 20, b, 20, &m), 0);
	assert_true(m.exact);
	exact = m.p;
	assert_int_equal(stats_mwu(a, 20, b, 20, &m), 0);
	/* same data, one tie added: normal approximation */
	b[0] = a[0];
	assert_int_equal(stats_mwu(a, 20, b, 20, &m), 0);
	assert_false(m.exact);
	assert_true(fabs(m.p - exact) < 0.02);
}

/*
 * Bootstrap of med(2a)/med(a), a = 1..10001: a resample median has sd
 * 0.5 * sqrt(n) = 50 ranks, so the ratio has sd 2 * sqrt(2) * 50 / 5001 =
 * 0.02828 and the 95% interval is 2 -+ 0.0554.  Checks the Beta shortcut
 * against the large-sample theory, and that the interval is reproducible.
 */
static void test_boot_ratio(void **state)
{
	uint64_t *a = seq(10001, 1), *b = seq(10001, 2);
	struct stats_boot r, r2;

	(void)state;
	assert_int_equal(stats_boot_median_ratio(a, 10001, b, 10001, STATS_BOOT_RESAMPLES,
						 STATS_BOOT_SEED, &r), 0);
	assert_true(r.ratio == 2);
	assert_true(fabs(r.lo - (2 - 0.0554)) < 0.006);
	assert_true(fabs(r.hi - (2 + 0.0554)) < 0.006);
	assert_int_equal(stats_boot_median_ratio(a, 10001, b, 10001, STATS_BOOT_RESAMPLES,
						 STATS_BOOT_SEED, &r2), 0);
	assert_memory_equal(&r, &r2, sizeof(r));
	assert_int_equal(stats_boot_median_ratio(a, 10001, a, 10001, 2000, 1, &r), 0);
	assert_true(r.ratio == 1 && r.lo < 1 && r.hi > 1);
	free(a);
	free(b);
}

static struct sample_set *mkset(const char *platform, const char *bs, uint64_t base, size_t n)
{
	struct sample_set *s = sample_set_new("mem", SAMPLES_PER_IO);
	size_t i;

	if (platform)
		assert_int_equal(labels_set(&s->labels, "platform", platform), 0);
	assert_int_equal(labels_set(&s->labels, "bs", bs), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(sample_set_push(s, base + i, NULL, NULL, NULL), 0);
	return s;
}

/* Cells by label values, numbers in numeric order, missing keys as "". */
static void test_group_cells(void **state)
{
	struct sample_list l;
	struct grouping g;
	struct strv keys;
	size_t n;
	uint64_t *v;
	char *want[2] = { "kvm", "4096" };

	(void)state;
	sample_list_init(&l);
	sample_list_add(&l, mkset("kvm", "16384", 100, 3));
	sample_list_add(&l, mkset("kvm", "4096", 10, 2));
	sample_list_add(&l, mkset("bm", "4096", 1, 4));
	sample_list_add(&l, mkset("kvm", "4096", 5, 1));
	sample_list_add(&l, mkset(NULL, "4096", 7, 1));
	assert_int_equal(group_parse_keys("platform,bs", &keys), 0);
	assert_int_equal(keys.n, 2);
	assert_int_equal(group_build(&g, &l, keys.v, keys.n), 0);
	assert_int_equal(g.ncells, 4);
	assert_string_equal(g.cells[0].values[0], "");
	assert_string_equal(g.cells[1].values[0], "bm");
	assert_string_equal(g.cells[2].values[1], "4096");
	assert_string_equal(g.cells[3].values[1], "16384");
	assert_int_equal(group_find(&g, want), 2);
	assert_int_equal(g.cells[2].nsets, 2);
	assert_int_equal(group_cell_samples(&g.cells[2], &v, &n), 0);
	assert_int_equal(n, 3);
	assert_true(v[0] == 5 && v[1] == 10 && v[2] == 11);
	free(v);
	assert_int_equal(group_cell_take(&g.cells[2], &v, &n), 0);
	assert_int_equal(n, 3);
	assert_true(v[0] == 10 && v[1] == 11 && v[2] == 5); /* in set order, not sorted */
	assert_null(g.cells[2].sets[0]->lat_ns);
	assert_null(g.cells[2].sets[1]->lat_ns);
	assert_int_equal(g.cells[2].sets[0]->n, 2);
	free(v);
	group_release(&g);
	strv_release(&keys);
	/* defaults: only the keys some input has, in the given order */
	assert_int_equal(group_present_keys(&l, "cores,bs,vms,platform", &keys), 0);
	assert_int_equal(keys.n, 2);
	assert_string_equal(keys.v[0], "bs");
	assert_string_equal(keys.v[1], "platform");
	strv_release(&keys);
	/* an empty item anywhere is refused, and nothing is left to free */
	assert_int_equal(group_parse_keys("a,,b", &keys), -EINVAL);
	assert_true(keys.n == 0 && keys.v == NULL);
	assert_int_equal(group_parse_keys("a,", &keys), -EINVAL);
	assert_true(keys.n == 0 && keys.v == NULL);
	assert_int_equal(group_parse_keys(",a", &keys), -EINVAL);
	assert_int_equal(group_parse_keys("", &keys), -EINVAL);
	sample_list_release(&l);
}

/* Context: vCPU changes and run-queue delays of every member. */
static void test_group_ctx(void **state)
{
	struct sample_list l;
	struct sample_set *s = sample_set_new("mem", SAMPLES_PER_IO);
	struct grouping g;
	struct ctx_stats cs;
	struct io_ctx c;
	uint32_t i;

	(void)state;
	sample_list_init(&l);
	for (i = 0; i < 100; i++) {
		memset(&c, 0, sizeof(c));
		c.bits = (i % 4 ? IO_CTX_CPU : 0) | IO_CTX_RQ; /* 75 known */
		c.cpu_submit = 1;
		c.cpu_complete = i % 5 ? 1 : 2; /* 20 changed; of those, 15 known */
		c.rq_delay_ns = (i + 1) * 10;
		assert_int_equal(sample_set_push(s, 1000, NULL, NULL, &c), 0);
	}
	sample_list_add(&l, s);
	assert_int_equal(group_build(&g, &l, NULL, 0), 0);
	assert_int_equal(group_cell_ctx(&g.cells[0], &cs), 0);
	assert_int_equal(cs.cpu_known, 75);
	assert_int_equal(cs.cpu_changed, 15);
	assert_int_equal(cs.rq_n, 100);
	assert_int_equal(cs.rq_p50_ns, 500);
	assert_int_equal(cs.rq_p99_ns, 990);
	assert_int_equal(cs.rq_max_ns, 1000);
	group_release(&g);
	sample_list_release(&l);
}

/* Every value is within half a bucket, at most 1/256 of it, of its bucket's value. */
static void test_hist_error_bound(void **state)
{
	uint64_t v, x = 88172645463325252ull;
	size_t b, last = 0;
	int i;

	(void)state;
	for (v = 0; v < 100000; v++) {
		b = hist_bucket(v);
		assert_true(b >= last); /* monotonic */
		last = b;
		assert_true(fabs((double)hist_value(b) - (double)v) <= (double)v / 256 + 0.5);
	}
	for (i = 0; i < 100000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		v = x >> (i % 60);
		b = hist_bucket(v);
		assert_true(b < HIST_BUCKETS);
		assert_true(fabs((double)hist_value(b) - (double)v) <= (double)v / 256 + 0.5);
	}
	assert_int_equal(hist_bucket(UINT64_MAX), HIST_BUCKETS - 1);
}

/*
 * Values below 128 have a bucket each, so a histogram of them is exact:
 * its statistics, bootstrap and U test equal those of the sorted array.
 */
static void test_hist_equals_exact(void **state)
{
	uint64_t a[300], b[200];
	struct hist ha, hb;
	struct stats sa, sh;
	struct stats_view va = { .sorted = a, .n = 300 }, vb = { .sorted = b, .n = 200 }, wa, wb;
	struct stats_boot r1, r2;
	struct stats_mwu m1, m2;
	int i;

	(void)state;
	hist_init(&ha);
	hist_init(&hb);
	for (i = 0; i < 300; i++)
		hist_add(&ha, a[i] = (uint64_t)(i * 37 % 100) + 1);
	for (i = 0; i < 200; i++)
		hist_add(&hb, b[i] = (uint64_t)(i * 53 % 120) + 5);
	stats_sort(a, 300);
	stats_sort(b, 200);
	stats_compute(a, 300, &sa);
	stats_from_hist(&ha, &sh);
	assert_true(sa.n == sh.n && sa.min_ns == sh.min_ns && sa.max_ns == sh.max_ns);
	assert_true(fabs(sa.mean_ns - sh.mean_ns) < 1e-9 && fabs(sa.stddev_ns - sh.stddev_ns) < 1e-6);
	assert_true(sa.median_ns == sh.median_ns && sa.p90_ns == sh.p90_ns && sa.p999_ns == sh.p999_ns);
	assert_int_equal(stats_view_hist(&wa, &ha), 0);
	assert_int_equal(stats_view_hist(&wb, &hb), 0);
	assert_int_equal(stats_boot_view(&va, &vb, 2000, 7, &r1), 0);
	assert_int_equal(stats_boot_view(&wa, &wb, 2000, 7, &r2), 0);
	assert_memory_equal(&r1, &r2, sizeof(r1));
	assert_int_equal(stats_mwu(a, 300, b, 200, &m1), 0);
	assert_int_equal(stats_mwu_hist(&ha, &hb, &m2), 0);
	assert_true(m1.u == m2.u && m1.p == m2.p);
	stats_view_release(&wa);
	stats_view_release(&wb);
}

/* Large values: percentiles within 1/256, the rest exact. */
static void test_hist_large(void **state)
{
	uint64_t *v = seq(10000, 1237);
	struct hist h;
	struct stats se, sh;
	size_t i;

	(void)state;
	hist_init(&h);
	for (i = 0; i < 10000; i++)
		hist_add(&h, v[i]);
	stats_compute(v, 10000, &se);
	stats_from_hist(&h, &sh);
	assert_true(se.min_ns == sh.min_ns && se.max_ns == sh.max_ns);
	assert_true(fabs(se.mean_ns - sh.mean_ns) < 1e-6 * se.mean_ns);
	assert_true(fabs(se.stddev_ns - sh.stddev_ns) < 1e-6 * se.stddev_ns);
	assert_true(fabs((double)se.median_ns - (double)sh.median_ns) <= se.median_ns / 256.0);
	assert_true(fabs((double)se.p99_ns - (double)sh.p99_ns) <= se.p99_ns / 256.0);
	free(v);
}

static void test_labels(void **state)
{
	struct labels l, m;

	(void)state;
	labels_init(&l);
	labels_init(&m);
	assert_int_equal(labels_set(&l, "a", "1"), 0);
	assert_int_equal(labels_default(&l, "a", "2"), 0);
	assert_string_equal(labels_get(&l, "a"), "1");
	assert_int_equal(labels_set(&m, "a", "3"), 0);
	assert_int_equal(labels_set(&m, "b", "4"), 0);
	assert_int_equal(labels_merge(&l, &m), 0);
	assert_string_equal(labels_get(&l, "a"), "3");
	assert_string_equal(labels_get(&l, "b"), "4");
	assert_null(labels_get(&l, "c"));
	labels_release(&l);
	labels_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pct_nearest_rank),
		cmocka_unit_test(test_compute_uniform),
		cmocka_unit_test(test_compute_constant),
		cmocka_unit_test(test_sort_matches_qsort),
		cmocka_unit_test(test_sort_parallel_matches_qsort),
		cmocka_unit_test(test_compute_parallel),
		cmocka_unit_test(test_compute_exact_sums),
		cmocka_unit_test(test_compute_any),
		cmocka_unit_test(test_mwu_exact_5x5),
		cmocka_unit_test(test_mwu_ties_normal),
		cmocka_unit_test(test_mwu_normal_near_exact),
		cmocka_unit_test(test_boot_ratio),
		cmocka_unit_test(test_group_cells),
		cmocka_unit_test(test_group_ctx),
		cmocka_unit_test(test_hist_error_bound),
		cmocka_unit_test(test_hist_equals_exact),
		cmocka_unit_test(test_hist_large),
		cmocka_unit_test(test_labels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
