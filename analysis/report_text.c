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

#define CELL_CHARS 48

struct grid {
	size_t nrows;	/* data rows; the header is separate */
	size_t ncols;
	char (*head)[CELL_CHARS];
	char (*cells)[CELL_CHARS]; /* nrows * ncols */
	int *numeric;		   /* per column: right-aligned */
	int *group;		   /* per column: -1 key, else enum rcol_group */
	size_t *width;
};

static void grid_release(struct grid *g)
{
	free(g->head);
	free(g->cells);
	free(g->numeric);
	free(g->group);
	free(g->width);
}

static int grid_alloc(struct grid *g, size_t nrows, size_t ncols)
{
	memset(g, 0, sizeof(*g));
	g->nrows = nrows;
	g->ncols = ncols;
	g->head = calloc(ncols, CELL_CHARS);
	g->cells = calloc(nrows * ncols + 1, CELL_CHARS);
	g->numeric = calloc(ncols, sizeof(int));
	g->group = calloc(ncols, sizeof(int));
	g->width = calloc(ncols, sizeof(size_t));
	if (g->head && g->cells && g->numeric && g->group && g->width)
		return 0;
	grid_release(g);
	return -ENOMEM;
}

/* UTF-8 characters in S (the unit may be "µs"). */
static size_t text_width(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += (*s & 0xc0) != 0x80;
	return n;
}

/* The table of cells CS[0..N-1]. */
static int fill_grid(struct grid *g, const struct report *r, const struct rcell *const *cs,
		     size_t n, const struct unit *u)
{
	size_t ncols = r->nrowkeys, i, j, k;
	int ret;

	for (j = 0; j < rncols; j++)
		ncols += rcol_shown(r, &rcols[j]);
	if ((ret = grid_alloc(g, n, ncols)))
		return ret;
	for (k = 0; k < r->nrowkeys; k++) {
		snprintf(g->head[k], CELL_CHARS, "%s", r->g.keys[r->ncolkeys + k]);
		g->group[k] = -1;
		for (i = 0; i < n; i++)
			snprintf(g->cells[i * ncols + k], CELL_CHARS, "%s",
				 rkey_value(cs[i], r->ncolkeys + k));
	}
	for (j = 0; j < rncols; j++) {
		struct rval v;

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
	for (k = 0; k < ncols; k++) {
		g->width[k] = text_width(g->head[k]);
		for (i = 0; i < n; i++)
			if (text_width(g->cells[i * ncols + k]) > g->width[k])
				g->width[k] = text_width(g->cells[i * ncols + k]);
	}
	return 0;
}

/* "platform=kvm, cores=1, vms=1" for the column keys of C. */
static void table_name(const struct report *r, const struct rcell *c, char *buf, size_t len)
{
	size_t k, at = 0;

	buf[0] = 0;
	for (k = 0; k < r->ncolkeys && at < len; k++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s=%s", k ? ", " : "", r->g.keys[k],
				       rkey_value(c, k));
	if (!r->ncolkeys)
		snprintf(buf, len, "all");
}

/* Columns of part PART: the keys, and the groups packed into it. */
static int in_part(const struct grid *g, size_t col, const int *part_of, int part)
{
	return g->group[col] < 0 || part_of[g->group[col]] == part;
}

/* One line of LINE's cells in part PART, without trailing blanks. */
static void text_line(FILE *out, const struct grid *g, const int *part_of, int part, size_t row,
		      char *buf, size_t len)
{
	size_t k, at = 0, w;

	for (k = 0; k < g->ncols && at + CELL_CHARS + 4 < len; k++) {
		const char *s = row == 0 ? g->head[k] : row == 1 ? NULL : g->cells[(row - 2) * g->ncols + k];
		size_t pad;

		if (!in_part(g, k, part_of, part))
			continue;
		if (at)
			at += (size_t)snprintf(buf + at, len - at, "  ");
		if (!s) { /* the rule under the header */
			for (w = 0; w < g->width[k] && at + 1 < len; w++)
				buf[at++] = '-';
			buf[at] = 0;
			continue;
		}
		pad = g->width[k] - text_width(s);
		at += (size_t)snprintf(buf + at, len - at, "%*s%s%*s", g->numeric[k] ? (int)pad : 0, "",
				       s, g->numeric[k] ? 0 : (int)pad, "");
	}
	while (at && buf[at - 1] == ' ')
		at--;
	buf[at] = 0;
	fprintf(out, "%s\n", buf);
}

static void text_part(FILE *out, const struct grid *g, const int *part_of, int part)
{
	char line[4096];
	size_t i;

	for (i = 0; i <= g->nrows + 1; i++)
		text_line(out, g, part_of, part, i, line, sizeof(line));
}

/* Pack column groups into parts no wider than WIDTH (keys in every part). */
static int plan_parts(const struct grid *g, unsigned int width, int *part_of)
{
	size_t keys = 0, gw[4] = { 0 }, k;
	int part = 0, grp;
	size_t used;

	for (k = 0; k < g->ncols; k++) {
		if (g->group[k] < 0)
			keys += g->width[k] + 2;
		else
			gw[g->group[k]] += g->width[k] + 2;
	}
	used = keys;
	for (grp = 0; grp < 4; grp++) {
		if (!gw[grp])
			continue;
		if (used > keys && used + gw[grp] > width) {
			part++;
			used = keys;
		}
		part_of[grp] = part;
		used += gw[grp];
	}
	return part + 1;
}

static void print_text(FILE *out, const struct grid *g, unsigned int width)
{
	int part_of[4] = { 0 }, nparts = plan_parts(g, width ? width : (unsigned int)-1, part_of), p;

	for (p = 0; p < nparts; p++) {
		if (p)
			fputc('\n', out);
		text_part(out, g, part_of, p);
	}
}

static void print_markdown(FILE *out, const struct grid *g)
{
	size_t i, k;

	for (k = 0; k < g->ncols; k++)
		fprintf(out, "| %s ", g->head[k]);
	fputs("|\n", out);
	for (k = 0; k < g->ncols; k++)
		fputs(g->numeric[k] ? "|---:" : "|:---", out);
	fputs("|\n", out);
	for (i = 0; i < g->nrows; i++) {
		for (k = 0; k < g->ncols; k++)
			fprintf(out, "| %s ", g->cells[i * g->ncols + k]);
		fputs("|\n", out);
	}
}

/* S escaped for LaTeX; the byte 0x01 stands for UNIT, written as is. */
static void latex_escape(FILE *out, const char *s, const char *unit)
{
	for (; *s; s++) {
		if (*s == 1 && unit)
			fputs(unit, out);
		else if (strchr("&%$#_{}", *s))
			fprintf(out, "\\%c", *s);
		else if (*s == '~')
			fputs("\\textasciitilde{}", out);
		else if (*s == '^')
			fputs("\\textasciicircum{}", out);
		else if (*s == '\\')
			fputs("\\textbackslash{}", out);
		else if (*s == '<')
			fputs("$<$", out);
		else
			fputc(*s, out);
	}
}

static void print_latex(FILE *out, const struct grid *g, const char *caption, const char *unit)
{
	size_t i, k;

	fputs("\\begin{table}\n\\centering\n\\begin{tabular}{", out);
	for (k = 0; k < g->ncols; k++)
		fputc(g->numeric[k] ? 'r' : 'l', out);
	fputs("}\n\\hline\n", out);
	for (i = 0; i <= g->nrows; i++) {
		for (k = 0; k < g->ncols; k++) {
			if (k)
				fputs(" & ", out);
			latex_escape(out, i ? g->cells[(i - 1) * g->ncols + k] : g->head[k], NULL);
		}
		fputs(i ? " \\\\\n" : " \\\\\n\\hline\n", out);
	}
	fputs("\\hline\n\\end{tabular}\n\\caption{", out);
	latex_escape(out, caption, unit);
	fputs("}\n\\end{table}\n", out);
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
	if (kind == RF_TEXT) {
		fprintf(out, "%s\n\n", caption);
		print_text(out, &g, width);
	} else if (kind == RF_MARKDOWN) {
		fprintf(out, "**%s**\n\n", caption);
		print_markdown(out, &g);
	} else {
		print_latex(out, &g, caption, u->latex);
	}
	grid_release(&g);
	return 0;
}

static int same_columns(const struct report *r, const struct rcell *a, const struct rcell *b)
{
	size_t k;

	for (k = 0; k < r->ncolkeys; k++)
		if (strcmp(a->cell->values[k], b->cell->values[k]))
			return 0;
	return 1;
}

static void print_notes(FILE *out, const struct report *r, enum rfmt_kind kind)
{
	if (!r->baseline.n || kind == RF_LATEX)
		return;
	fprintf(out, "\nratio: median / median of the baseline cell; ci95: percentile bootstrap, "
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
		print_notes(out, r, kind);
	return ret ? ret : ferror(out) ? -EIO : 0;
}
