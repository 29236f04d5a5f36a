/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * html_report.c - the page of `vmlat report --html`: the report's tables
 * (the pivot or the long form, as in text), its notes, the run context
 * from the headers, the figures of `vmlat plot` and each platform's
 * detected context, in one self-contained file.
 *
 * The tables are the grids the text formats print (report_grid.h), so the
 * page and `vmlat report` cannot disagree on a number; figures come from
 * html_figures(), as in `vmlat plot --html`.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "report/report_grid.h"

/* The notes of the text format, escaped ("p < alpha"). */
static int notes(FILE *out, const struct report *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	if (!mem)
		return -ENOMEM;
	report_print_notes(mem, r, RF_TEXT);
	if (fclose(mem)) {
		free(buf);
		return -ENOMEM;
	}
	if (len) {
		fputs("<p class=\"notes\">", out);
		html_escape(out, buf);
		fputs("</p>\n", out);
	}
	free(buf);
	return 0;
}

static int pivot(FILE *out, const struct report_page *p)
{
	const struct unit *u;
	char caption[800];
	struct grid g;
	int ret = report_pivot_grid(&g, p->r, p->sel, p->nsel, &u);

	if (ret)
		return ret;
	report_pivot_caption(p->r, u->utf8, caption, sizeof(caption));
	html_grid(out, &g, caption);
	grid_release(&g);
	return 0;
}

int html_report_page(FILE *out, const struct report_page *p)
{
	unsigned int which = 1u << HS_STATS | 1u << HS_CONTEXT;
	struct grid hdr;
	int ret = report_hdr_grid(&hdr, p->l);

	if (!ret && hdr.nrows)
		which |= 1u << HS_RUNCTX;
	if (p->figs)
		which |= 1u << HS_FIGURES;
	html_begin(out, "vmlat report");
	html_toc(out, which, p->figs);
	html_heading(out, HS_STATS);
	if (!ret)
		ret = p->nsel ? pivot(out, p) : html_tables(out, p->r);
	if (!ret)
		ret = notes(out, p->r);
	if (!ret && hdr.nrows) {
		html_heading(out, HS_RUNCTX);
		html_grid(out, &hdr, "probe.* (mean of the runs, their range when they differ) and "
				     "the clock check, per platform");
	}
	grid_release(&hdr);
	if (!ret && p->figs)
		ret = html_figures(out, p->figs);
	if (!ret)
		ret = html_context(out, p->l);
	html_end(out);
	return ret ? ret : ferror(out) ? -EIO : 0;
}
