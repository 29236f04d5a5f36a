/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report.h - what `vmlat report` shares between its model and its formats.
 *
 * The model is one rcell per group cell: its statistics, its comparison
 * with its baseline cell, its per-IO context.  The columns are one table,
 * rcols[] (report_cols.c): every format walks the same rows, so text,
 * Markdown, LaTeX, CSV and JSON cannot disagree on names, order or on
 * which values are unknown.  Column groups that no cell has (comparison
 * without --baseline, context without vmlat_ctx, the data kind when all
 * data is per-IO) are left out of every format alike.
 */
#ifndef VMLAT_REPORT_H
#define VMLAT_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "core/group.h"
#include "core/samples.h"
#include "core/stats.h"

/* Which statistics a fio summary gave (it may lack some percentiles). */
enum rstat_bits {
	RS_N = 1 << 0, RS_MIN = 1 << 1, RS_MEAN = 1 << 2, RS_MAX = 1 << 3, RS_SD = 1 << 4,
	RS_MEDIAN = 1 << 5, RS_P90 = 1 << 6, RS_P99 = 1 << 7, RS_P999 = 1 << 8,
	RS_ALL = (1 << 9) - 1,
};

struct rcell {
	const struct cell *cell;
	struct stats st;
	unsigned int known;	/* enum rstat_bits */
	const char *data;	/* "io", "bins", "window", "summary", "mixed", "hist" */
	uint64_t *lat;		/* the cell's samples (NULL for summaries), */
	size_t nlat;
	int lat_sorted;		/* sorted once a comparison needs them */
	struct hist *hist;	/* --hist: the merged histogram instead */
	long base;		/* index of the baseline cell, -1 when none */
	int is_base;
	int has_cmp;
	struct stats_boot boot;
	struct stats_mwu mwu;
	int flag;		/* +1 slower, -1 faster, 0 no difference shown */
	int has_ctx;
	struct ctx_stats ctx;
};

struct report {
	struct grouping g;	/* keys: column keys first, then row keys */
	size_t ncolkeys;
	size_t nrowkeys;
	struct rcell *cells;
	size_t ncells;
	struct labels baseline; /* --baseline pairs; empty without */
	double alpha;
	unsigned int resamples;
	int any_cmp, any_ctx, any_nonio;
	const char *unit_override; /* --unit, or NULL: per table */
};

/* The definitions every output states (text footer, JSON "method"). */
#define REPORT_PCT_DEF                                                                  \
	"percentiles: nearest rank, the ceil(p/100*n)-th smallest latency of the cell "  \
	"(fio's own can be one rank higher)"
#define REPORT_BINS_DEF                                                                 \
	"data=bins: percentiles from fio's JSON+ histogram bins (within 1/64); n, min, " \
	"mean, max, stddev are fio's exact values"

/* Build the model of L grouped by COLKEYS then ROWKEYS.  0 or -ENOMEM. */
int report_build(struct report *r, const struct sample_list *l, char **colkeys,
		 size_t ncolkeys, char **rowkeys, size_t nrowkeys);
void report_release(struct report *r);

/* A column of the output. */
enum rcol_type { RT_COUNT, RT_NS, RT_RATIO, RT_P, RT_PCT, RT_TEXT };
enum rcol_group { RG_STATS, RG_CMP, RG_CTX, RG_DATA };

struct rval {
	int known;
	double num;	 /* RT_NS, RT_RATIO, RT_P, RT_PCT, RT_COUNT */
	const char *str; /* RT_TEXT */
	int exact;	 /* an integer count or ns: u holds it exactly */
	uint64_t u;	 /* (a double is exact only up to 2^53 ns, 104 days) */
};

struct rcol {
	const char *name;  /* CSV and JSON name (ns columns end in _ns) */
	const char *title; /* text header; "[u]" stands for the table's unit */
	enum rcol_type type;
	enum rcol_group group;
	void (*get)(const struct report *r, const struct rcell *c, struct rval *v);
	const char *help;
};

extern const struct rcol rcols[];
extern const size_t rncols;

/* Is column C shown at all (its group has data in some cell)? */
int rcol_shown(const struct report *r, const struct rcol *c);

/* Time units: the largest that keeps the smallest median >= 1 of it. */
struct unit {
	const char *name;  /* "ns", "us", "ms", "s" */
	const char *latex; /* "ns", "\\textmu s", ... */
	const char *utf8;  /* "ns", "µs", ... */
	double ns;
};

/* Unit for the cells C[0..N-1] (or the --unit override). */
const struct unit *report_unit(const struct report *r, const struct rcell *const *c, size_t n);
const struct unit *unit_by_name(const char *name);

/* Text of value V of type T in unit U (for the human formats). */
void rval_format(const struct rval *v, enum rcol_type t, const struct unit *u, char *buf,
		 size_t len);

/* A key value as printed: "-" for a cell without the key. */
const char *rkey_value(const struct rcell *c, size_t k);

/* Output formats; each returns 0 or -errno (a failed write, -ENOMEM). */
enum rfmt_kind { RF_TEXT, RF_MARKDOWN, RF_LATEX };
/* The long form: one table per value of the column keys, every column. */
int report_print_tables(FILE *out, const struct report *r, enum rfmt_kind kind, unsigned int width);
/* The pivot (report_pivot.c): one table, a group of the columns
 * rcols[SEL[0..NSEL-1]] per value of the column keys. */
int report_print_pivot(FILE *out, const struct report *r, enum rfmt_kind kind,
		       unsigned int width, const size_t *sel, size_t nsel);
struct grid;
/* The pivot as a grid (report_grid.h) in unit *U.  0 or -ENOMEM. */
int report_pivot_grid(struct grid *g, const struct report *r, const size_t *sel, size_t nsel,
		      const struct unit **u);
/* Its title: "latency in UNIT; columns ...; baseline ...". */
void report_pivot_caption(const struct report *r, const char *unit, char *buf, size_t len);
/* The notes under the tables (what ratio, ci95, p and diff mean). */
void report_print_notes(FILE *out, const struct report *r, enum rfmt_kind kind);
/*
 * The run's context from vmlat headers (report_hdr.c): probe.* and clock
 * keys, a row per key, a column per platform; nothing when no input has
 * them.  0 or -errno.
 */
int report_print_hdr(FILE *out, const struct sample_list *l, enum rfmt_kind kind,
		     unsigned int width);
/* The same table as a grid (report_grid.h); 0 rows when none.  0 or -ENOMEM. */
int report_hdr_grid(struct grid *g, const struct sample_list *l);
/* The same as JSON: {PLATFORM: {KEY: {"mean","min","max","runs"} for a
 * numeric key, {"value","varies"} else}}; NULL when out of memory. */
struct json_t *report_hdr_json(const struct sample_list *l);
/* Index in rcols of the column named NAME (CSV name or title), or -1. */
long rcol_find(const char *name);
int report_print_csv(FILE *out, const struct report *r);
/* JSON; with L, also "run_context" (report_hdr.c) of its headers. */
int report_print_json(FILE *out, const struct report *r, const struct sample_list *l);

#endif /* VMLAT_REPORT_H */
