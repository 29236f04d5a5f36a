/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report_cols.c - the columns of `vmlat report`, one row each, and how
 * their values read in the human formats.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

static void known_ns(const struct rcell *c, unsigned int bit, uint64_t ns, struct rval *v)
{
	v->known = (c->known & bit) != 0;
	v->num = (double)ns;
	v->exact = 1;
	v->u = ns;
}

static void get_n(const struct report *r, const struct rcell *c, struct rval *v)
{
	(void)r;
	v->known = (c->known & RS_N) != 0;
	v->num = (double)c->st.n;
	v->exact = 1;
	v->u = c->st.n;
}

#define NS_GETTER(fn, bit, field)                                                       \
	static void fn(const struct report *r, const struct rcell *c, struct rval *v)   \
	{                                                                               \
		(void)r;                                                                \
		known_ns(c, bit, c->st.field, v);                                       \
	}
NS_GETTER(get_min, RS_MIN, min_ns)
NS_GETTER(get_max, RS_MAX, max_ns)
NS_GETTER(get_median, RS_MEDIAN, median_ns)
NS_GETTER(get_p90, RS_P90, p90_ns)
NS_GETTER(get_p99, RS_P99, p99_ns)
NS_GETTER(get_p999, RS_P999, p999_ns)
#undef NS_GETTER

static void get_mean(const struct report *r, const struct rcell *c, struct rval *v)
{
	(void)r;
	v->known = (c->known & RS_MEAN) != 0;
	v->num = c->st.mean_ns;
}

static void get_sd(const struct report *r, const struct rcell *c, struct rval *v)
{
	(void)r;
	v->known = (c->known & RS_SD) != 0;
	v->num = c->st.stddev_ns;
}

static void get_ratio(const struct report *r, const struct rcell *c, struct rval *v)
{
	(void)r;
	v->known = c->has_cmp;
	v->num = c->boot.ratio;
}

static void get_lo(const struct report *r, const struct rcell *c, struct rval *v)
{
	(void)r;
	v->known = c->has_cmp;
	v->num = c->boot.lo;
}

static void get_hi(const struct report *r, const struct rcell *c, struct rval *v)
{
	(void)r;
	v->known = c->has_cmp;
	v->num = c->boot.hi;
}

static void get_p(const struct report *r, const struct rcell *c, struct rval *v)
{
	(void)r;
	v->known = c->has_cmp;
	v->num = c->mwu.p;
}

static void get_flag(const struct report *r, const struct rcell *c, struct rval *v)
{
	(void)r;
	v->known = c->has_cmp || c->is_base;
	v->str = c->is_base ? "baseline" : c->flag > 0 ? "slower" : c->flag < 0 ? "faster" : "";
}

static void get_moved(const struct report *r, const struct rcell *c, struct rval *v)
{
	(void)r;
	v->known = c->ctx.cpu_known > 0;
	v->num = v->known ? 100.0 * (double)c->ctx.cpu_changed / (double)c->ctx.cpu_known : 0;
}

static void get_rq50(const struct report *r, const struct rcell *c, struct rval *v)
{
	(void)r;
	v->known = c->ctx.rq_n > 0;
	v->num = (double)c->ctx.rq_p50_ns;
}

static void get_rq99(const struct report *r, const struct rcell *c, struct rval *v)
{
	(void)r;
	v->known = c->ctx.rq_n > 0;
	v->num = (double)c->ctx.rq_p99_ns;
}

static void get_tail_rq(const struct report *r, const struct rcell *c, struct rval *v)
{
	(void)r;
	v->known = c->ctx.tail_n > 0;
	v->num = v->known ? 100.0 * (double)c->ctx.tail_rq_n / (double)c->ctx.tail_n : 0;
}

static void get_tail_share(const struct report *r, const struct rcell *c, struct rval *v)
{
	(void)r;
	v->known = c->ctx.tail_n > 0 && c->ctx.tail_lat_ns > 0;
	v->num = v->known ? 100.0 * c->ctx.tail_rq_ns / c->ctx.tail_lat_ns : 0;
}

static void get_data(const struct report *r, const struct rcell *c, struct rval *v)
{
	(void)r;
	v->known = 1;
	v->str = c->data;
}

const struct rcol rcols[] = {
	{ "n", "n", RT_COUNT, RG_STATS, get_n, "IOs in the cell (failed IOs left out)" },
	{ "min_ns", "min", RT_NS, RG_STATS, get_min, "smallest latency" },
	{ "mean_ns", "mean", RT_NS, RG_STATS, get_mean, "arithmetic mean" },
	{ "max_ns", "max", RT_NS, RG_STATS, get_max, "largest latency" },
	{ "stddev_ns", "stddev", RT_NS, RG_STATS, get_sd, "sample standard deviation (n - 1)" },
	{ "median_ns", "median", RT_NS, RG_STATS, get_median, "50th percentile (nearest rank)" },
	{ "p90_ns", "p90", RT_NS, RG_STATS, get_p90, "90th percentile" },
	{ "p99_ns", "p99", RT_NS, RG_STATS, get_p99, "99th percentile" },
	{ "p99_9_ns", "p99.9", RT_NS, RG_STATS, get_p999, "99.9th percentile" },
	{ "ratio", "ratio", RT_RATIO, RG_CMP, get_ratio, "median / median of the baseline cell" },
	{ "ci_lo", "ci95.lo", RT_RATIO, RG_CMP, get_lo, "bootstrap 95% CI of the ratio, low end" },
	{ "ci_hi", "ci95.hi", RT_RATIO, RG_CMP, get_hi, "high end" },
	{ "p_mwu", "p(MWU)", RT_P, RG_CMP, get_p, "Mann-Whitney U two-sided p-value" },
	{ "diff", "diff", RT_TEXT, RG_CMP, get_flag,
	  "slower/faster when the CI excludes 1 and p < alpha; baseline for baseline cells" },
	{ "vcpu_moved_pct", "vcpu moved%", RT_PCT, RG_CTX, get_moved,
	  "share of IOs that ended on another vCPU than they started on" },
	{ "rq_p50_ns", "rq p50", RT_NS, RG_CTX, get_rq50, "run-queue delay during the IO, median" },
	{ "rq_p99_ns", "rq p99", RT_NS, RG_CTX, get_rq99, "run-queue delay, 99th percentile" },
	{ "tail_rq_pct", "tail rq%", RT_PCT, RG_CTX, get_tail_rq,
	  "the tail: IOs with rq context whose latency is above the p99 of theirs;\n"
	  "                  the share of the tail with a run-queue delay > 0" },
	{ "tail_rq_time_pct", "tail rq time%", RT_PCT, RG_CTX, get_tail_share,
	  "the tail's run-queue delay over its latency, both summed" },
	{ "data", "data", RT_TEXT, RG_DATA, get_data,
	  "io (per-IO log), bins (fio JSON+), window (fio log_avg_msec), summary (fio JSON),\n"
	  "                  hist (--hist)" },
};

const size_t rncols = sizeof(rcols) / sizeof(rcols[0]);

long rcol_find(const char *name)
{
	size_t i;

	for (i = 0; i < rncols; i++)
		if (!strcmp(rcols[i].name, name) || !strcmp(rcols[i].title, name))
			return (long)i;
	return -1;
}

int rcol_shown(const struct report *r, const struct rcol *c)
{
	switch (c->group) {
	case RG_CMP:
		return r->baseline.n > 0;
	case RG_CTX:
		return r->any_ctx;
	case RG_DATA:
		return r->any_nonio;
	default:
		return 1;
	}
}

static const struct unit units[] = {
	{ "ns", "ns", "ns", 1 },
	{ "us", "\\textmu s", "\xc2\xb5s", 1e3 },
	{ "ms", "ms", "ms", 1e6 },
	{ "s", "s", "s", 1e9 },
};

const struct unit *unit_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(units[i].name, name))
			return &units[i];
	return NULL;
}

const struct unit *report_unit(const struct report *r, const struct rcell *const *c, size_t n)
{
	double smallest = INFINITY;
	size_t i, u = 0;

	if (r->unit_override)
		return unit_by_name(r->unit_override);
	for (i = 0; i < n; i++)
		if (c[i]->known & RS_MEDIAN && (double)c[i]->st.median_ns < smallest)
			smallest = (double)c[i]->st.median_ns;
	while (u + 1 < sizeof(units) / sizeof(units[0]) && smallest >= units[u + 1].ns)
		u++;
	return &units[u];
}

void rval_format(const struct rval *v, enum rcol_type t, const struct unit *u, char *buf,
		 size_t len)
{
	if (!v->known) {
		snprintf(buf, len, "-");
		return;
	}
	switch (t) {
	case RT_COUNT:
		snprintf(buf, len, "%.0f", v->num);
		break;
	case RT_NS:
		if (v->exact && u->ns == 1)
			snprintf(buf, len, "%llu", (unsigned long long)v->u);
		else
			snprintf(buf, len, "%.*f", u->ns == 1 ? 0 : 2, v->num / u->ns);
		break;
	case RT_RATIO:
		snprintf(buf, len, "%.3f", v->num);
		break;
	case RT_P:
		if (v->num < 0.0001)
			snprintf(buf, len, "<0.0001");
		else
			snprintf(buf, len, "%.4f", v->num);
		break;
	case RT_PCT:
		snprintf(buf, len, "%.1f", v->num);
		break;
	case RT_TEXT:
		snprintf(buf, len, "%s", v->str);
		break;
	}
}

const char *rkey_value(const struct rcell *c, size_t k)
{
	return c->cell->values[k][0] ? c->cell->values[k] : "-";
}
