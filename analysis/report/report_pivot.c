/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report_pivot.c - `vmlat report`'s default layout: Study A's figures as
 * one table.
 *
 * Rows are the values of the row keys (rw x bs x load), and each value of
 * the column keys (platform x cores x vms) is a group of columns holding
 * the chosen statistics (--stat; min, mean, max as in Study A's figures,
 * plus ratio and diff with --baseline).  One table means one unit, the
 * largest that keeps the smallest median >= 1.  A row without a cell of
 * some group has empty columns there.  Too wide a table is cut between
 * groups by the grid (report_grid.c), each part repeating the row keys.
 *
 * The cells of a report are sorted by the column keys first, so a group
 * is a run of neighbouring cells; rows are gathered and sorted here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_grid.h"

struct pivot {
	const struct report *r;
	size_t *row_of, *grp_of;	/* per cell */
	const struct rcell **rows;	/* a cell of each row, rows sorted */
	size_t nrows, ngroups;
};

/* Compare the row-key values of A and B. */
static int row_cmp(const struct report *r, const struct rcell *a, const struct rcell *b)
{
	size_t k;
	int c;

	for (k = r->ncolkeys; k < r->g.keys.n; k++)
		if ((c = group_value_cmp(a->cell->values[k], b->cell->values[k])))
			return c;
	return 0;
}

static int same_group(const struct report *r, const struct rcell *a, const struct rcell *b)
{
	size_t k;

	for (k = 0; k < r->ncolkeys; k++)
		if (strcmp(a->cell->values[k], b->cell->values[k]))
			return 0;
	return 1;
}

/* Put C's row in order among the rows so far (insertion: rows are few). */
static void add_row(struct pivot *p, const struct rcell *c)
{
	size_t i = 0;

	while (i < p->nrows && row_cmp(p->r, p->rows[i], c) < 0)
		i++;
	if (i < p->nrows && !row_cmp(p->r, p->rows[i], c))
		return;
	memmove(p->rows + i + 1, p->rows + i, (p->nrows - i) * sizeof(*p->rows));
	p->rows[i] = c;
	p->nrows++;
}

static int pivot_build(struct pivot *p, const struct report *r)
{
	size_t i, j;

	memset(p, 0, sizeof(*p));
	p->r = r;
	p->row_of = calloc(r->ncells + 1, sizeof(size_t));
	p->grp_of = calloc(r->ncells + 1, sizeof(size_t));
	p->rows = calloc(r->ncells + 1, sizeof(*p->rows));
	if (!p->row_of || !p->grp_of || !p->rows)
		return -ENOMEM;
	for (i = 0; i < r->ncells; i++) {
		add_row(p, &r->cells[i]);
		if (i && !same_group(r, &r->cells[i - 1], &r->cells[i]))
			p->ngroups++;
		p->grp_of[i] = p->ngroups;
	}
	p->ngroups += r->ncells > 0;
	for (i = 0; i < r->ncells; i++)
		for (j = 0; j < p->nrows; j++)
			if (!row_cmp(r, p->rows[j], &r->cells[i]))
				p->row_of[i] = j;
	return 0;
}

static void pivot_release(struct pivot *p)
{
	free(p->row_of);
	free(p->grp_of);
	free(p->rows);
}

/* "kvm/1/1": the column-key values of C, "-" where it has none. */
static void group_title(const struct report *r, const struct rcell *c, char *buf, size_t len)
{
	size_t k, at = 0;

	buf[0] = 0;
	for (k = 0; k < r->ncolkeys && at < len; k++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s", k ? "/" : "", rkey_value(c, k));
}

/* The row keys, then per group the columns SEL[0..NSEL-1]. */
static int fill_pivot(struct grid *g, const struct pivot *p, const size_t *sel, size_t nsel,
		      const struct unit *u)
{
	const struct report *r = p->r;
	size_t nk = r->nrowkeys, i, k, j;
	int ret = grid_alloc(g, p->nrows, nk + p->ngroups * nsel, p->ngroups);

	if (ret)
		return ret;
	g->has_span = r->ncolkeys > 0;
	for (k = 0; k < nk; k++) {
		snprintf(g->head[k], CELL_CHARS, "%s", r->g.keys.v[r->ncolkeys + k]);
		g->group[k] = -1;
		for (i = 0; i < p->nrows; i++)
			snprintf(grid_cell(g, i, k), CELL_CHARS, "%s", rkey_value(p->rows[i], r->ncolkeys + k));
	}
	for (k = nk; k < g->ncols; k++) {
		const struct rcol *c = &rcols[sel[(k - nk) % nsel]];

		snprintf(g->head[k], CELL_CHARS, "%s", c->title);
		g->numeric[k] = c->type != RT_TEXT;
		g->group[k] = (int)((k - nk) / nsel);
	}
	for (i = 0; i < r->ncells; i++) {
		size_t at = nk + p->grp_of[i] * nsel;

		group_title(r, &r->cells[i], g->span[p->grp_of[i]], CELL_CHARS);
		for (j = 0; j < nsel; j++) {
			struct rval v = { 0 };

			memset(&v, 0, sizeof(v));
			rcols[sel[j]].get(r, &r->cells[i], &v);
			rval_format(&v, rcols[sel[j]].type, u, grid_cell(g, p->row_of[i], at + j),
				    CELL_CHARS);
		}
	}
	grid_widths(g);
	return 0;
}

/* "latency in us; columns platform/cores/vms; baseline platform=bm" */
static void pivot_caption(const struct report *r, const char *unit, char *buf, size_t len)
{
	size_t k, at;

	at = (size_t)snprintf(buf, len, "latency in %s", unit);
	for (k = 0; k < r->ncolkeys && at < len; k++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s", k ? "/" : "; columns ",
				       r->g.keys.v[k]);
	for (k = 0; k < r->baseline.n && at < len; k++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s=%s", k ? "," : "; baseline ",
				       r->baseline.v[k].key, r->baseline.v[k].value);
}

/* One unit for the whole table. */
static const struct unit *pivot_unit(const struct report *r)
{
	const struct rcell **cs = calloc(r->ncells + 1, sizeof(*cs));
	const struct unit *u;
	size_t i;

	for (i = 0; cs && i < r->ncells; i++)
		cs[i] = &r->cells[i];
	u = report_unit(r, cs, cs ? r->ncells : 0);
	free(cs);
	return u;
}

int report_pivot_grid(struct grid *g, const struct report *r, const size_t *sel, size_t nsel,
		      const struct unit **u)
{
	struct pivot p;
	int ret = pivot_build(&p, r);

	*u = pivot_unit(r);
	memset(g, 0, sizeof(*g));
	if (!ret)
		ret = fill_pivot(g, &p, sel, nsel, *u);
	pivot_release(&p);
	return ret;
}

void report_pivot_caption(const struct report *r, const char *unit, char *buf, size_t len)
{
	pivot_caption(r, unit, buf, len);
}

int report_print_pivot(FILE *out, const struct report *r, enum rfmt_kind kind,
		       unsigned int width, const size_t *sel, size_t nsel)
{
	const struct unit *u;
	char caption[800];
	struct grid g;
	int ret = report_pivot_grid(&g, r, sel, nsel, &u);

	if (ret)
		return ret;
	pivot_caption(r, kind == RF_TEXT ? u->name : kind == RF_MARKDOWN ? u->utf8 : "\x01",
		      caption, sizeof(caption));
	ret = grid_print(out, &g, kind, caption, u->latex, width);
	grid_release(&g);
	if (!ret)
		report_print_notes(out, r, kind);
	return ret ? ret : ferror(out) ? -EIO : 0;
}
