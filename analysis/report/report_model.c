/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report_model.c - from grouped sample sets to the numbers a report prints.
 *
 * Per cell: exact statistics of all its samples (report.h).  A cell that
 * has only fio summaries gets fio's numbers: n, min, max, mean and stddev
 * combine exactly across several summaries (weighted mean, pooled sums of
 * squares), percentiles only come from a single summary, since fio's
 * percentiles of two jobs do not give those of both.
 *
 * Baseline: a cell whose values match the --baseline pairs and this cell's
 * other row keys, of those the one that agrees with this cell on the most
 * soft keys: column keys, and keys the candidate has no value for (so bm,
 * which has no "cores" or "vms", is the baseline of every kvm cell of its
 * rw, bs and load, with --by as with --rows/--cols).  A tie between two
 * candidates leaves the cell without a baseline rather than guessing.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static const char *data_kind(unsigned int kinds)
{
	kinds &= ~(1u << SAMPLES_SUMMARY);
	if (kinds == 1u << SAMPLES_PER_IO)
		return "io";
	if (kinds == 1u << SAMPLES_BINNED)
		return "bins";
	if (kinds == 1u << SAMPLES_WINDOWED)
		return "window";
	return kinds ? "mixed" : "summary";
}

static int pct_of(const struct fio_summary *fs, double p, uint64_t *v)
{
	size_t i;

	for (i = 0; i < fs->npct; i++)
		if (fabs(fs->pct[i] - p) < 1e-6) {
			*v = fs->pct_ns[i];
			return 1;
		}
	return 0;
}

/*
 * fio's exact n, min, max, mean and stddev of the sets V[0..N) combined
 * (weighted mean, pooled sums of squares) into ST.
 */
static void combine_fio(struct sample_set *const *v, size_t n, struct stats *st)
{
	double sum = 0, ss = 0;
	size_t i;

	st->n = 0;
	st->min_ns = UINT64_MAX;
	st->max_ns = 0;
	for (i = 0; i < n; i++) {
		const struct fio_summary *fs = &v[i]->summary;

		st->n += fs->n;
		sum += fs->mean_ns * (double)fs->n;
		st->min_ns = fs->min_ns < st->min_ns ? fs->min_ns : st->min_ns;
		st->max_ns = fs->max_ns > st->max_ns ? fs->max_ns : st->max_ns;
	}
	st->mean_ns = st->n ? sum / (double)st->n : 0;
	for (i = 0; i < n; i++) {
		const struct fio_summary *fs = &v[i]->summary;
		double d = fs->mean_ns - st->mean_ns;

		ss += (fs->n ? (double)(fs->n - 1) : 0) * fs->stddev_ns * fs->stddev_ns +
		      (double)fs->n * d * d;
	}
	st->stddev_ns = st->n > 1 ? sqrt(ss / (double)(st->n - 1)) : 0;
}

/*
 * A cell of fio JSON+ bins only: the bins' values are bucket midpoints,
 * but fio wrote the exact n, min, max, mean and stddev beside them; only
 * the percentiles stay bin-derived (the "bins" data kind says so).
 */
static void clamp(uint64_t *v, uint64_t lo, uint64_t hi)
{
	*v = *v < lo ? lo : *v > hi ? hi : *v;
}

static void exact_from_fio(struct rcell *rc)
{
	const struct cell *c = rc->cell;

	if ((c->kinds & ~(1u << SAMPLES_SUMMARY)) != 1u << SAMPLES_BINNED || c->nsummaries)
		return;
	combine_fio(c->sets, c->nsets, &rc->st);
	/* a bin's midpoint can lie past fio's exact extremes */
	clamp(&rc->st.median_ns, rc->st.min_ns, rc->st.max_ns);
	clamp(&rc->st.p90_ns, rc->st.min_ns, rc->st.max_ns);
	clamp(&rc->st.p99_ns, rc->st.min_ns, rc->st.max_ns);
	clamp(&rc->st.p999_ns, rc->st.min_ns, rc->st.max_ns);
}

/* fio's numbers for a cell of summaries only. */
static void from_summaries(struct rcell *rc)
{
	const struct cell *c = rc->cell;

	memset(&rc->st, 0, sizeof(rc->st));
	combine_fio(c->summaries, c->nsummaries, &rc->st);
	rc->known = RS_N | RS_MIN | RS_MEAN | RS_MAX | RS_SD;
	if (c->nsummaries != 1)
		return;
	rc->known |= pct_of(&c->summaries[0]->summary, 50, &rc->st.median_ns) ? RS_MEDIAN : 0;
	rc->known |= pct_of(&c->summaries[0]->summary, 90, &rc->st.p90_ns) ? RS_P90 : 0;
	rc->known |= pct_of(&c->summaries[0]->summary, 99, &rc->st.p99_ns) ? RS_P99 : 0;
	rc->known |= pct_of(&c->summaries[0]->summary, 99.9, &rc->st.p999_ns) ? RS_P999 : 0;
}

/* The report is the last user of the latencies: take them, no copy. */
static int cell_stats(struct report *r, struct rcell *rc)
{
	int ret = group_cell_ctx(rc->cell, &rc->ctx);

	if (!ret)
		ret = group_cell_take(rc->cell, &rc->lat, &rc->nlat);
	if (ret)
		return ret;
	rc->has_ctx = rc->ctx.cpu_known || rc->ctx.rq_n;
	r->any_ctx |= rc->has_ctx;
	rc->data = data_kind(rc->cell->kinds);
	if (!rc->nlat && (ret = group_cell_hist(rc->cell, &rc->hist)))
		return ret;
	if (rc->nlat) {
		rc->lat_sorted = stats_compute_any(rc->lat, rc->nlat, &rc->st);
		rc->known = RS_ALL;
		exact_from_fio(rc);
	} else if (rc->hist) {
		stats_from_hist(rc->hist, &rc->st);
		rc->known = RS_ALL;
		exact_from_fio(rc);
		rc->data = "hist";
	} else {
		from_summaries(rc);
	}
	if (rc->st.n < 2) /* the sample standard deviation of one IO is undefined */
		rc->known &= ~(unsigned int)RS_SD;
	if (!rc->st.n) /* a cell of failed IOs only */
		rc->known &= RS_N;
	r->any_nonio |= strcmp(rc->data, "io") != 0;
	return 0;
}

/* Index of key K in the grouping, or -1. */
static long key_index(const struct report *r, const char *k)
{
	size_t i;

	for (i = 0; i < r->g.keys.n; i++)
		if (!strcmp(r->g.keys.v[i], k))
			return (long)i;
	return -1;
}

static int matches_baseline(const struct report *r, const struct cell *c)
{
	size_t i;

	for (i = 0; i < r->baseline.n; i++) {
		long k = key_index(r, r->baseline.v[i].key);

		if (k < 0 || strcmp(c->values[k], r->baseline.v[i].value))
			return 0;
	}
	return r->baseline.n > 0;
}

/*
 * How well D fits as C's baseline: -1 when not at all, else the number of
 * soft keys they share.  Soft keys: column keys, and keys D has no value
 * for (bare metal has no "vms"); every other key must be equal.
 */
static int base_score(const struct report *r, const struct cell *c, const struct cell *d)
{
	size_t k;
	int score = 0;

	if (!matches_baseline(r, d))
		return -1;
	for (k = 0; k < r->g.keys.n; k++) {
		int same = !strcmp(c->values[k], d->values[k]);

		if (labels_get(&r->baseline, r->g.keys.v[k]))
			continue;
		if (k < r->ncolkeys || !d->values[k][0])
			score += same;
		else if (!same)
			return -1;
	}
	return score;
}

static long find_base(const struct report *r, size_t i)
{
	long best = -1;
	int best_score = -1, tie = 0;
	size_t j;

	for (j = 0; j < r->ncells; j++) {
		int s = base_score(r, r->cells[i].cell, r->cells[j].cell);

		if (s > best_score) {
			best = (long)j;
			best_score = s;
			tie = 0;
		} else if (s >= 0 && s == best_score) {
			tie = 1;
		}
	}
	return tie ? -1 : best;
}

/* The cell's samples sorted, the first time a comparison needs them. */
static void sort_lat(struct rcell *rc)
{
	if (!rc->lat_sorted)
		stats_sort(rc->lat, rc->nlat);
	rc->lat_sorted = 1;
}

/* Both sides as views: sorted arrays, or histograms (--hist). */
static int compare_views(struct report *r, struct rcell *c, struct rcell *b)
{
	struct stats_view vb = { .sorted = b->lat, .n = b->nlat },
			  vc = { .sorted = c->lat, .n = c->nlat };
	int ret = 0;

	if (b->hist)
		ret = stats_view_hist(&vb, b->hist);
	if (!ret && c->hist)
		ret = stats_view_hist(&vc, c->hist);
	if (!ret)
		ret = stats_boot_view(&vb, &vc, r->resamples, STATS_BOOT_SEED, &c->boot);
	if (!ret)
		ret = b->hist ? stats_mwu_hist(b->hist, c->hist, &c->mwu)
			      : stats_mwu(b->lat, b->nlat, c->lat, c->nlat, &c->mwu);
	stats_view_release(&vb);
	stats_view_release(&vc);
	return ret;
}

static int compare(struct report *r, struct rcell *c, struct rcell *b)
{
	int ret;

	if (!(c->nlat && b->nlat) && !(c->hist && b->hist))
		return 0;
	if (c->nlat) {
		sort_lat(c);
		sort_lat(b);
	}
	ret = compare_views(r, c, b);
	if (ret == -EINVAL)
		return 0; /* a baseline median of 0: no ratio */
	if (ret)
		return ret;
	c->has_cmp = 1;
	r->any_cmp = 1;
	if (c->mwu.p < r->alpha && (c->boot.lo > 1 || c->boot.hi < 1))
		c->flag = c->boot.lo > 1 ? 1 : -1;
	return 0;
}

static int join_keys(char **a, size_t na, char **b, size_t nb, char ***out)
{
	char **v = calloc(na + nb + 1, sizeof(*v));

	if (!v)
		return -ENOMEM;
	if (na) /* a is NULL with no column keys */
		memcpy(v, a, na * sizeof(*v));
	if (nb)
		memcpy(v + na, b, nb * sizeof(*v));
	*out = v;
	return 0;
}

int report_build(struct report *r, const struct sample_list *l, char **colkeys,
		 size_t ncolkeys, char **rowkeys, size_t nrowkeys)
{
	char **keys = NULL;
	size_t i;
	int ret = join_keys(colkeys, ncolkeys, rowkeys, nrowkeys, &keys);

	if (!ret)
		ret = group_build(&r->g, l, keys, ncolkeys + nrowkeys);
	free(keys);
	if (ret)
		return ret;
	r->ncolkeys = ncolkeys;
	r->nrowkeys = nrowkeys;
	r->ncells = r->g.ncells;
	r->cells = calloc(r->ncells ? r->ncells : 1, sizeof(*r->cells));
	if (!r->cells)
		return -ENOMEM;
	for (i = 0; !ret && i < r->ncells; i++) {
		r->cells[i].cell = &r->g.cells[i];
		r->cells[i].base = -1;
		ret = cell_stats(r, &r->cells[i]);
	}
	for (i = 0; !ret && r->baseline.n && i < r->ncells; i++) {
		r->cells[i].is_base = matches_baseline(r, r->cells[i].cell);
		if (r->cells[i].is_base)
			continue;
		r->cells[i].base = find_base(r, i);
		if (r->cells[i].base >= 0)
			ret = compare(r, &r->cells[i], &r->cells[r->cells[i].base]);
	}
	return ret;
}

void report_release(struct report *r)
{
	size_t i;

	for (i = 0; r->cells && i < r->ncells; i++) {
		free(r->cells[i].lat);
		free(r->cells[i].hist);
	}
	free(r->cells);
	group_release(&r->g);
	labels_release(&r->baseline);
}
