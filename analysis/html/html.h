/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * html.h - one self-contained HTML page: comparison tables, figures and
 * each platform's detected context, readable offline.
 *
 * Every text that came from an input (labels, header values, file names)
 * is HTML-escaped; figures are <img> elements with data: URIs (an SVG shown
 * through <img> runs no script), and the page's Content-Security-Policy
 * allows no script, no network and no frame at all.  `vmlat report` can
 * print its tables here with html_tables(); `vmlat plot --html` writes the
 * whole page with html_report_write().
 */
#ifndef VMLAT_HTML_H
#define VMLAT_HTML_H

#include <stdio.h>

#include "plot/plot.h"
#include "report/report.h"

/* Write S with & < > " ' escaped. */
void html_escape(FILE *out, const char *s);

/* The page's head (with TITLE) and its end. */
void html_begin(FILE *out, const char *title);
void html_end(FILE *out);

/* A page's sections, each an <h2> with an anchor the contents link to. */
enum html_section { HS_STATS, HS_RUNCTX, HS_FIGURES, HS_CONTEXT, HS_N };
void html_heading(FILE *out, enum html_section s);
/* The table of contents: the sections in WHICH (bits 1 << HS_*), and under
 * Figures one link per figure of FIGS (may be NULL). */
void html_toc(FILE *out, unsigned int which, const struct plot_run *figs);

/* One <table> per value of the column keys of R, like the text format. */
int html_tables(FILE *out, const struct report *r);

struct grid;
/* A table of report_grid.h, group titles spanning their columns. */
void html_grid(FILE *out, const struct grid *g, const char *caption);

/* What `vmlat report --html` puts on its page (html_report.c). */
struct report_page {
	const struct report *r;
	const struct sample_list *l;
	const size_t *sel;		/* the pivot's columns */
	size_t nsel;			/* 0: the long form, a table per group */
	const struct plot_run *figs;	/* the figures drawn, or NULL */
};

/* The whole page: tables, run context, figures, detected context. */
int html_report_page(FILE *out, const struct report_page *p);

/*
 * `vmlat report --html FILE` (html_run.c): figures are drawn first,
 * while the sample sets still hold their latencies in file order (into
 * --figures DIR, or a temporary directory removed at the end), then the
 * report is built and the page written.
 */
struct report_html {
	const char *path;	/* the page */
	const char *figdir;	/* --figures DIR; NULL: a temporary one */
	int nofigs;		/* --no-figures */
	char tmpdir[64];	/* the temporary one, "" when none */
	struct plot_run pr;
	int started, have_figs, figs_failed;
};

/* Draw the figures of L (unless nofigs).  0, or -1 after saying why. */
int report_html_figures(struct report_html *h, struct sample_list *l);
/* Write the page.  0, or -1 after saying why. */
int report_html_write(struct report_html *h, const struct report *r, const struct sample_list *l,
		      const size_t *sel, size_t nsel);
/* Close the figures, remove the temporary directory. */
void report_html_release(struct report_html *h);

/* The platform.*, run.* and clock.* header keys, a column per platform. */
int html_context(FILE *out, const struct sample_list *l);

/* Figures of R as <figure> elements, SVG (or the image) inlined. */
int html_figures(FILE *out, const struct plot_run *r);

/*
 * The whole page for R's inputs and figures, as NAME in R's directory.
 * Call it after the figures are drawn: the tables' report_build() moves
 * the latencies out of the sample sets (group_cell_take).
 */
int html_report_write(struct plot_run *r, const char *name);

#endif /* VMLAT_HTML_H */
