/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * html_table.c - `vmlat report`'s tables as HTML, and the page of
 * `vmlat plot --html`.
 *
 * The tables walk report.h's column table (rcols) exactly as the text
 * format does: one table per value of the column keys (the cells of a
 * report are sorted by the column keys first, so a table's cells are
 * neighbours), the row keys first, then every shown column, each table in
 * its own unit.  Nothing here computes a statistic.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/msg.h"
#include "html.h"
#include "report/report_grid.h"

static int same_table(const struct report *r, const struct rcell *a, const struct rcell *b)
{
	size_t k;

	for (k = 0; k < r->ncolkeys; k++)
		if (strcmp(rkey_value(a, k), rkey_value(b, k)))
			return 0;
	return 1;
}

static void table_head(FILE *out, const struct report *r, const struct rcell *c,
		       const struct unit *u)
{
	size_t k, j;

	fputs("<h3>", out);
	for (k = 0; k < r->ncolkeys; k++) {
		fputs(k ? ", " : "", out);
		html_escape(out, r->g.keys.v[k]);
		fputc('=', out);
		html_escape(out, rkey_value(c, k));
	}
	fprintf(out, "%s (times in %s)</h3>\n<table>\n<tr>", r->ncolkeys ? "" : "all", u->utf8);
	for (k = 0; k < r->nrowkeys; k++) {
		fputs("<th>", out);
		html_escape(out, r->g.keys.v[r->ncolkeys + k]);
		fputs("</th>", out);
	}
	for (j = 0; j < rncols; j++) {
		char title[64], *at;

		if (!rcol_shown(r, &rcols[j]))
			continue;
		snprintf(title, sizeof(title), "%s", rcols[j].title);
		if ((at = strstr(title, "[u]")))
			snprintf(at, sizeof(title) - (size_t)(at - title), "%s%s", u->utf8,
				 strstr(rcols[j].title, "[u]") + 3);
		fputs("<th>", out);
		html_escape(out, title);
		fputs("</th>", out);
	}
	fputs("</tr>\n", out);
}

static void table_row(FILE *out, const struct report *r, const struct rcell *c,
		      const struct unit *u)
{
	char buf[64];
	size_t k, j;

	fputs("<tr>", out);
	for (k = 0; k < r->nrowkeys; k++) {
		fputs("<td>", out);
		html_escape(out, rkey_value(c, r->ncolkeys + k));
		fputs("</td>", out);
	}
	for (j = 0; j < rncols; j++) {
		struct rval v = { 0 };

		if (!rcol_shown(r, &rcols[j]))
			continue;
		memset(&v, 0, sizeof(v));
		rcols[j].get(r, c, &v);
		rval_format(&v, rcols[j].type, u, buf, sizeof(buf));
		fputs(rcols[j].type == RT_TEXT ? "<td>" : "<td class=\"n\">", out);
		html_escape(out, buf);
		fputs("</td>", out);
	}
	fputs("</tr>\n", out);
}

int html_tables(FILE *out, const struct report *r)
{
	const struct rcell **cs = malloc((r->ncells + 1) * sizeof(*cs));
	size_t i, end, j;

	if (!cs)
		return -ENOMEM;
	for (i = 0; i < r->ncells; i = end) {
		const struct unit *u;

		for (end = i + 1; end < r->ncells && same_table(r, &r->cells[i], &r->cells[end]);
		     end++)
			;
		for (j = i; j < end; j++)
			cs[j - i] = &r->cells[j];
		u = report_unit(r, cs, end - i);
		table_head(out, r, &r->cells[i], u);
		for (j = i; j < end; j++)
			table_row(out, r, &r->cells[j], u);
		fputs("</table>\n", out);
	}
	free(cs);
	return ferror(out) ? -EIO : 0;
}

static int write_tables(FILE *out, const struct sample_list *l)
{
	struct strv cols = { 0 }, rows = { 0 };
	struct report rep;
	int ret;

	memset(&rep, 0, sizeof(rep));
	labels_init(&rep.baseline);
	rep.alpha = 0.05;
	rep.resamples = STATS_BOOT_RESAMPLES;
	ret = group_present_keys(l, "platform,cores,vms", &cols);
	if (!ret)
		ret = group_present_keys(l, "rw,bs,load,load_kind,fig", &rows);
	if (!ret && !rows.n) {
		strv_release(&rows);
		ret = group_present_keys(l, "file,job,ddir", &rows);
	}
	if (!ret)
		ret = report_build(&rep, l, cols.v, cols.n, rows.v, rows.n);
	html_heading(out, HS_STATS);
	if (!ret)
		ret = html_tables(out, &rep);
	report_release(&rep);
	strv_release(&cols);
	strv_release(&rows);
	return ret;
}

int html_report_write(struct plot_run *r, const char *name)
{
	FILE *out = plot_create(r, name);
	int ret;

	if (!out)
		return -1;
	html_begin(out, "vmlat report");
	html_toc(out, 1u << HS_STATS | 1u << HS_FIGURES | 1u << HS_CONTEXT, r);
	ret = write_tables(out, r->l);
	if (!ret)
		ret = html_figures(out, r);
	if (!ret)
		ret = html_context(out, r->l);
	html_end(out);
	if (fclose(out) || ret) {
		say_error("cannot write '%s/%s'%s", r->outdir, name,
			ret == -ENOMEM ? ": out of memory" : "");
		return -1;
	}
	return 0;
}

/* A grid of report_grid.h, its group titles spanning their columns. */
void html_grid(FILE *out, const struct grid *g, const char *caption)
{
	size_t i, k, n;

	fputs("<table>\n<caption>", out);
	html_escape(out, caption);
	fputs("</caption>\n", out);
	for (k = 0; g->has_span && k < g->ncols; k += n) {
		for (n = 1; k + n < g->ncols && g->group[k + n] == g->group[k]; n++)
			;
		fprintf(out, "%s<th colspan=\"%zu\">", k ? "" : "<tr>", n);
		html_escape(out, g->group[k] < 0 ? "" : g->span[g->group[k]]);
		fputs(k + n < g->ncols ? "</th>" : "</th></tr>\n", out);
	}
	for (i = 0; i <= g->nrows; i++) {
		fputs("<tr>", out);
		for (k = 0; k < g->ncols; k++) {
			fputs(!i ? "<th>" : g->numeric[k] ? "<td class=\"n\">" : "<td>", out);
			html_escape(out, i ? g->cells[(i - 1) * g->ncols + k] : g->head[k]);
			fputs(i ? "</td>" : "</th>", out);
		}
		fputs("</tr>\n", out);
	}
	fputs("</table>\n", out);
}
