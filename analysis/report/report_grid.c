/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report_grid.c - print a grid of strings (report_grid.h) as aligned
 * text, Markdown or LaTeX.  Nothing here knows what the cells mean.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report_grid.h"

void grid_release(struct grid *g)
{
	free(g->span);
	free(g->head);
	free(g->cells);
	free(g->numeric);
	free(g->group);
	free(g->width);
	memset(g, 0, sizeof(*g));
}

int grid_alloc(struct grid *g, size_t nrows, size_t ncols, size_t ngroups)
{
	memset(g, 0, sizeof(*g));
	g->nrows = nrows;
	g->ncols = ncols;
	g->ngroups = ngroups;
	g->span = calloc(ngroups + 1, CELL_CHARS);
	g->head = calloc(ncols + 1, CELL_CHARS);
	g->cells = calloc(nrows * ncols + 1, CELL_CHARS);
	g->numeric = calloc(ncols + 1, sizeof(int));
	g->group = calloc(ncols + 1, sizeof(int));
	g->width = calloc(ncols + 1, sizeof(size_t));
	if (g->span && g->head && g->cells && g->numeric && g->group && g->width)
		return 0;
	grid_release(g);
	return -ENOMEM;
}

char *grid_cell(struct grid *g, size_t row, size_t col)
{
	return g->cells[row * g->ncols + col];
}

/* UTF-8 characters in S (the unit may be "µs"). */
static size_t text_width(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += (*s & 0xc0) != 0x80;
	return n;
}

/* Columns of group GRP: first and count. */
static size_t group_cols(const struct grid *g, int grp, size_t *first)
{
	size_t k, n = 0;

	for (k = 0; k < g->ncols; k++)
		if (g->group[k] == grp && !n++)
			*first = k;
	return n;
}

/* A group title wider than its columns widens the last of them. */
static void fit_span(struct grid *g, int grp)
{
	size_t first = 0, n = group_cols(g, grp, &first), k, total = 0, want;

	if (!n)
		return;
	for (k = first; k < first + n; k++)
		total += g->width[k] + (k > first ? 2 : 0);
	want = text_width(g->span[grp]);
	if (want > total)
		g->width[first + n - 1] += want - total;
}

/*
 * Labels and header values come from other machines' logs.  A control
 * character (ESC and the terminal sequence it starts, a newline that
 * would break a row) is shown as \xNN in every format, as `vmlat dump`
 * shows it; in place, cut at CELL_CHARS like every cell, before the widths.
 */
static void cell_sanitize(char *s)
{
	char out[CELL_CHARS];
	size_t i, n = 0;

	for (i = 0; s[i] && n < CELL_CHARS - 1; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c != 0x7f)
			out[n++] = (char)c;
		else if (n + 4 < CELL_CHARS)
			n += (size_t)snprintf(out + n, CELL_CHARS - n, "\\x%02x", c);
		else
			break;
	}
	out[n] = 0;
	memcpy(s, out, n + 1);
}

static void grid_sanitize(struct grid *g)
{
	size_t i;

	for (i = 0; i < g->ngroups; i++)
		cell_sanitize(g->span[i]);
	for (i = 0; i < g->ncols; i++)
		cell_sanitize(g->head[i]);
	for (i = 0; i < g->nrows * g->ncols; i++)
		cell_sanitize(g->cells[i]);
}

void grid_widths(struct grid *g)
{
	size_t i, k;

	grid_sanitize(g);
	for (k = 0; k < g->ncols; k++) {
		g->width[k] = text_width(g->head[k]);
		for (i = 0; i < g->nrows; i++)
			if (text_width(g->cells[i * g->ncols + k]) > g->width[k])
				g->width[k] = text_width(g->cells[i * g->ncols + k]);
	}
	for (k = 0; g->has_span && k < g->ngroups; k++)
		fit_span(g, (int)k);
}

static int in_part(const struct grid *g, size_t col, const int *part_of, int part)
{
	return g->group[col] < 0 || part_of[g->group[col]] == part;
}

/* S padded to W, right-aligned when RIGHT, at BUF + AT. */
static size_t put_cell(char *buf, size_t at, size_t len, const char *s, size_t w, int right)
{
	size_t pad = w > text_width(s) ? w - text_width(s) : 0;

	return at + (size_t)snprintf(buf + at, len - at, "%s%*s%s%*s", at ? "  " : "",
				     right ? (int)pad : 0, "", s, right ? 0 : (int)pad, "");
}

/* The group titles of part PART, each over its columns. */
static void span_line(const struct grid *g, const int *part_of, int part, char *buf, size_t len)
{
	size_t k, at = 0;

	for (k = 0; k < g->ncols && at + 2 * CELL_CHARS < len; k++) {
		size_t first = 0, n, w = 0, j;

		if (!in_part(g, k, part_of, part))
			continue;
		if (g->group[k] < 0) {
			at = put_cell(buf, at, len, "", g->width[k], 0);
			continue;
		}
		n = group_cols(g, g->group[k], &first);
		if (k != first)
			continue;
		for (j = first; j < first + n; j++)
			w += g->width[j] + (j > first ? 2 : 0);
		at = put_cell(buf, at, len, g->span[g->group[k]], w, 0);
	}
	buf[at] = 0;
}

/* Line ROW of part PART (0 header, 1 rule, 2... data), no trailing blanks. */
static void text_line(FILE *out, const struct grid *g, const int *part_of, int part, size_t row,
		      char *buf, size_t len)
{
	char rule[CELL_CHARS];
	size_t k, at = 0;

	for (k = 0; k < g->ncols && at + CELL_CHARS + 4 < len; k++) {
		const char *s = row == 0 ? g->head[k] : row == 1 ? NULL : g->cells[(row - 2) * g->ncols + k];

		if (!in_part(g, k, part_of, part))
			continue;
		if (!s) {
			size_t w = g->width[k] < CELL_CHARS - 1 ? g->width[k] : CELL_CHARS - 1;

			memset(rule, '-', w);
			rule[w] = 0;
			s = rule;
		}
		at = put_cell(buf, at, len, s, g->width[k], g->numeric[k]);
	}
	buf[at] = 0;
	while (at && buf[at - 1] == ' ')
		buf[--at] = 0;
	fprintf(out, "%s\n", buf);
}

static void text_part(FILE *out, const struct grid *g, const int *part_of, int part)
{
	char line[8192];
	size_t i, at;

	if (g->has_span) {
		span_line(g, part_of, part, line, sizeof(line));
		for (at = strlen(line); at && line[at - 1] == ' ';)
			line[--at] = 0;
		fprintf(out, "%s\n", line);
	}
	for (i = 0; i <= g->nrows + 1; i++)
		text_line(out, g, part_of, part, i, line, sizeof(line));
}

/* Pack groups into parts no wider than WIDTH (keys in every part). */
static int plan_parts(const struct grid *g, unsigned int width, int *part_of, size_t *gw)
{
	size_t keys = 0, used, k, grp;
	int part = 0;

	for (k = 0; k < g->ncols; k++) {
		if (g->group[k] < 0)
			keys += g->width[k] + 2;
		else
			gw[g->group[k]] += g->width[k] + 2;
	}
	used = keys;
	for (grp = 0; grp < g->ngroups; grp++) {
		if (!gw[grp])
			continue;
		if (used > keys && used + gw[grp] > width + 2) { /* +2: no gap after the last */
			part++;
			used = keys;
		}
		part_of[grp] = part;
		used += gw[grp];
	}
	return part + 1;
}

int grid_print_text(FILE *out, const struct grid *g, unsigned int width)
{
	int *part_of = calloc(g->ngroups + 1, sizeof(int)), nparts, p;
	size_t *gw = calloc(g->ngroups + 1, sizeof(size_t));
	int ret = part_of && gw ? 0 : -ENOMEM;

	nparts = ret ? 0 : plan_parts(g, width ? width : (unsigned int)-3, part_of, gw);
	for (p = 0; p < nparts; p++) {
		if (p)
			fputc('\n', out);
		text_part(out, g, part_of, p);
	}
	free(gw);
	free(part_of);
	return ret;
}

/*
 * S in a Markdown table cell: '|' would end the cell, '\\' escape the next
 * character, '`' open a code span; '<' before a letter, '/', '!' or '?'
 * opens raw HTML (a <script> from a label) and '&' before a letter or '#'
 * an entity, so those become &lt; and &amp; (a p-value "<0.0001" stays as
 * it is).  Control characters are \xNN already (grid_sanitize).
 */
static void md_escape(FILE *out, const char *s)
{
	for (; *s; s++) {
		unsigned char next = (unsigned char)s[1];

		if (*s == '<' && (isalpha(next) || (next && strchr("/!?", next))))
			fputs("&lt;", out);
		else if (*s == '&' && (isalnum(next) || next == '#'))
			fputs("&amp;", out);
		else if (strchr("|\\`", *s))
			fprintf(out, "\\%c", *s);
		else
			fputc(*s, out);
	}
}

void grid_print_markdown(FILE *out, const struct grid *g)
{
	size_t i, k;

	for (k = 0; k < g->ncols; k++) {
		fputs("| ", out);
		if (g->has_span && g->group[k] >= 0) {
			md_escape(out, g->span[g->group[k]]);
			fputc(' ', out);
		}
		md_escape(out, g->head[k]);
		fputc(' ', out);
	}
	fputs("|\n", out);
	for (k = 0; k < g->ncols; k++)
		fputs(g->numeric[k] ? "|---:" : "|:---", out);
	fputs("|\n", out);
	for (i = 0; i < g->nrows; i++) {
		for (k = 0; k < g->ncols; k++) {
			fputs("| ", out);
			md_escape(out, g->cells[i * g->ncols + k]);
			fputc(' ', out);
		}
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

/* The row of group titles: \multicolumn over each group. */
static void latex_span(FILE *out, const struct grid *g)
{
	size_t k, first = 0, n;

	for (k = 0; k < g->ncols; k++) {
		if (g->group[k] < 0) {
			fputs(k ? " & " : "", out);
			continue;
		}
		n = group_cols(g, g->group[k], &first);
		if (k != first)
			continue;
		fprintf(out, "%s\\multicolumn{%zu}{c}{", k ? " & " : "", n);
		latex_escape(out, g->span[g->group[k]], NULL);
		fputc('}', out);
	}
	fputs(" \\\\\n", out);
}

void grid_print_latex(FILE *out, const struct grid *g, const char *caption, const char *unit)
{
	size_t i, k;

	fputs("\\begin{table}\n\\centering\n\\begin{tabular}{", out);
	for (k = 0; k < g->ncols; k++)
		fputc(g->numeric[k] ? 'r' : 'l', out);
	fputs("}\n\\hline\n", out);
	if (g->has_span)
		latex_span(out, g);
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

int grid_print(FILE *out, const struct grid *g, enum rfmt_kind kind, const char *caption,
	       const char *latex_unit, unsigned int width)
{
	if (kind == RF_TEXT) {
		fprintf(out, "%s\n\n", caption);
		return grid_print_text(out, g, width);
	}
	if (kind == RF_MARKDOWN) {
		fputs("**", out);
		md_escape(out, caption);
		fputs("**\n\n", out);
		grid_print_markdown(out, g);
	} else {
		grid_print_latex(out, g, caption, latex_unit);
	}
	return 0;
}
