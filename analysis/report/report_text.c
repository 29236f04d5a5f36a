/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report_text.c - the human formats of `vmlat report`: aligned text,
 * Markdown and LaTeX.
 *
 * One table per value of the column keys (Study A: one per platform,
 * cores and vms), rows in the order of the row keys, so a table never
 * grows sideways with the number of platforms.  Each table picks its own
 * time unit (report_unit) and says it in its title.  Aligned text that
 * would be wider than --width is cut between column groups (statistics;
 * comparison, context and data kind), the row keys repeated in each part.
 * The cells of a table are first formatted into a grid of strings, then
 * printed by one loop per format.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_grid.h"

/* The table of cells CS[0..N-1]. */
static int fill_grid(struct grid *g, const struct report *r, const struct rcell *const *cs,
		     size_t n, const struct unit *u)
{
	size_t ncols = r->nrowkeys, i, j, k;
	int ret;

	for (j = 0; j < rncols; j++)
		ncols += rcol_shown(r, &rcols[j]);
	if ((ret = grid_alloc(g, n, ncols, RG_DATA + 1)))
		return ret;
	for (k = 0; k < r->nrowkeys; k++) {
		snprintf(g->head[k], CELL_CHARS, "%s", r->g.keys.v[r->ncolkeys + k]);
		g->group[k] = -1;
		for (i = 0; i < n; i++)
			snprintf(g->cells[i * ncols + k], CELL_CHARS, "%s",
				 rkey_value(cs[i], r->ncolkeys + k));
	}
	for (j = 0; j < rncols; j++) {
		struct rval v = { 0 };

		if (!rcol_shown(r, &rcols[j]))
			continue;
		snprintf(g->head[k], CELL_CHARS, "%s", rcols[j].title);
		g->numeric[k] = rcols[j].type != RT_TEXT;
		g->group[k] = rcols[j].group;
		for (i = 0; i < n; i++) {
			memset(&v, 0, sizeof(v));
			rcols[j].get(r, cs[i], &v);
			rval_format(&v, rcols[j].type, u, g->cells[i * ncols + k], CELL_CHARS);
		}
		k++;
	}
	grid_widths(g);
	return 0;
}

/* "platform=kvm, cores=1, vms=1" for the column keys of C. */
static void table_name(const struct report *r, const struct rcell *c, char *buf, size_t len)
{
	size_t k, at = 0;

	buf[0] = 0;
	for (k = 0; k < r->ncolkeys && at < len; k++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s=%s", k ? ", " : "", r->g.keys.v[k],
				       rkey_value(c, k));
	if (!r->ncolkeys)
		snprintf(buf, len, "all");
}

/*
 * The title of a table: its column keys, unit and baseline.  LaTeX gets
 * the pieces escaped but its own unit macro (UNIT_RAW) as is.
 */
static void caption_of(const struct report *r, const struct rcell *c, const char *unit,
		       char *buf, size_t len)
{
	char name[512], base[256] = "";
	size_t i, at = 0;

	table_name(r, c, name, sizeof(name));
	for (i = 0; i < r->baseline.n && at < sizeof(base); i++)
		at += (size_t)snprintf(base + at, sizeof(base) - at, "%s%s=%s", i ? "," : "",
				       r->baseline.v[i].key, r->baseline.v[i].value);
	snprintf(buf, len, "%s (latency in %s%s%s)", name, unit, r->baseline.n ? "; baseline " : "",
		 base);
}

#define UNIT_RAW "\x01" /* stands for the unit in a LaTeX caption */

static int print_table(FILE *out, const struct report *r, const struct rcell *const *cs, size_t n,
		       enum rfmt_kind kind, unsigned int width, int first)
{
	const struct unit *u = report_unit(r, cs, n);
	char caption[800];
	struct grid g;
	int ret = fill_grid(&g, r, cs, n, u);

	if (ret)
		return ret;
	caption_of(r, cs[0], kind == RF_TEXT ? u->name : kind == RF_MARKDOWN ? u->utf8 : UNIT_RAW,
		   caption, sizeof(caption));
	if (!first)
		fputc('\n', out);
	ret = grid_print(out, &g, kind, caption, u->latex, width);
	grid_release(&g);
	return ret;
}

static int same_columns(const struct report *r, const struct rcell *a, const struct rcell *b)
{
	size_t k;

	for (k = 0; k < r->ncolkeys; k++)
		if (strcmp(a->cell->values[k], b->cell->values[k]))
			return 0;
	return 1;
}

/* Is any cell's percentile from fio's JSON+ bins? */
static int any_bins(const struct report *r)
{
	size_t i;

	for (i = 0; i < r->ncells; i++)
		if (r->cells[i].cell->kinds & (1u << SAMPLES_BINNED))
			return 1;
	return 0;
}

void report_print_notes(FILE *out, const struct report *r, enum rfmt_kind kind)
{
	/* how a percentile is defined travels with every table (LaTeX: as a comment) */
	const char *c = kind == RF_LATEX ? "% " : "";

	fprintf(out, "\n%s%s\n", c, REPORT_PCT_DEF);
	if (any_bins(r))
		fprintf(out, "%s%s\n", c, REPORT_BINS_DEF);
	if (!r->baseline.n || kind == RF_LATEX)
		return;
	fprintf(out, "ratio: median / median of the baseline cell; ci95: percentile bootstrap, "
		     "%u resamples, seed %llu;\np(MWU): Mann-Whitney U, two-sided; diff: CI excludes 1 "
		     "and p < %g.\n",
		r->resamples, (unsigned long long)STATS_BOOT_SEED, r->alpha);
}

int report_print_tables(FILE *out, const struct report *r, enum rfmt_kind kind, unsigned int width)
{
	const struct rcell **cs = calloc(r->ncells + 1, sizeof(*cs));
	size_t i, start = 0;
	int ret = 0;

	if (!cs)
		return -ENOMEM;
	for (i = 0; i < r->ncells; i++)
		cs[i] = &r->cells[i];
	for (i = 1; !ret && i <= r->ncells; i++) {
		if (i < r->ncells && same_columns(r, cs[start], cs[i]))
			continue;
		ret = print_table(out, r, cs + start, i - start, kind, width, start == 0);
		start = i;
	}
	free(cs);
	if (!ret)
		report_print_notes(out, r, kind);
	return ret ? ret : ferror(out) ? -EIO : 0;
}
