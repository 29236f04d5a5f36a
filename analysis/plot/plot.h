/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * plot.h - what the parts of `vmlat plot` share.
 *
 * A figure is three files in the output directory, all named after one
 * stem: STEM.dat (the numbers, tab-separated, one gnuplot "index" block per
 * panel or line), STEM.gp (a header of variables written here, then a
 * fixed template from analysis/plot/gp/) and STEM.png|svg|pdf, which gnuplot
 * draws from the other two.  Users restyle a figure by editing STEM.gp and
 * running `gnuplot STEM.gp` in that directory.
 *
 * Labels come from files made on other machines, so none of their text
 * ever reaches gnuplot as code:
 *   - in STEM.gp a label is only ever a single-quoted string literal
 *     (plot_gp_quote: quotes doubled, control characters replaced, so it
 *     cannot end the literal or the line; gnuplot expands neither
 *     backquotes nor @macros inside single quotes);
 *   - in STEM.dat, label text is a trailing comment column for readers
 *     (tabs, newlines and double quotes replaced), never read as a title;
 *   - file names are stems of [A-Za-z0-9._-] only, not starting with a
 *     dot, bounded, made unique (plot_names_claim), and gnuplot runs in
 *     the output directory, so every output stays inside it.
 */
#ifndef VMLAT_PLOT_H
#define VMLAT_PLOT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/samples.h"
#include "strv.h"

enum plot_fmt { PF_PNG, PF_SVG, PF_PDF };

#define PLOT_STEM_MAX 96

/* One figure written, for the summary line and the HTML page. */
struct plot_fig {
	char stem[PLOT_STEM_MAX];
	char *title;	/* label text: escape before showing */
	const char *caption;
	int rendered;	/* the image exists */
	int svg;	/* STEM.svg exists too */
};

struct plot_run {
	int dirfd;		 /* the output directory */
	const char *outdir;
	enum plot_fmt fmt;
	const char *gnuplot;	 /* program; NULL: write data and scripts only */
	double zoom_lo_ms, zoom_hi_ms;
	const char *series_key;	 /* Fig. 7: NULL when not asked for */
	int svg_too;		 /* also render an SVG of every figure (HTML) */
	int files_gone;		 /* the files are removed after the page: unnamed */
	struct sample_list *l;
	struct strv names;	 /* stems handed out so far: never reused */
	struct plot_fig *figs;
	size_t nfigs;
	int failed;		 /* a figure could not be written or drawn */
};

/* plot_run.c: a plot run's life, for vmlat plot and vmlat report --html. */
/* Defaults of vmlat plot (PNG, "gnuplot", zoom 0:2 ms) for the sets of L. */
void plot_run_init(struct plot_run *r, struct sample_list *l);
/* Create OUTDIR when missing and open it.  0, or -1 after saying why. */
int plot_run_open(struct plot_run *r, const char *outdir);
/* Figures drawn (their images exist). */
size_t plot_run_drawn(const struct plot_run *r);
void plot_run_release(struct plot_run *r);

/* plot_name.c */
/*
 * plot_names_claim - a unique stem from BASE: bytes other than
 * [A-Za-z0-9._-] become '_', leading dots too, cut to fit, then "-2",
 * "-3", ... while taken.  Written into OUT (PLOT_STEM_MAX).  0 or -ENOMEM.
 */
int plot_names_claim(struct strv *n, const char *base, char *out);
/* Write S as a single-quoted gnuplot string literal (see the top). */
void plot_gp_quote(FILE *f, const char *s);
/* The same, cut after about MAX bytes (marked "..."): for tick labels. */
void plot_gp_quote_max(FILE *f, const char *s, size_t max);
/* Write S as a data-file comment field: no tab, newline or '"'. */
void plot_tsv_text(FILE *f, const char *s);

/* plot_gp.c */
/* Extension of FMT ("png", "svg", "pdf"). */
const char *plot_fmt_ext(enum plot_fmt fmt);
/* Open NAME for writing in the output directory (no symlinks followed). */
FILE *plot_create(struct plot_run *r, const char *name);
/*
 * plot_render - write STEM.gp (HEADER's text, then template TMPL) and run
 * gnuplot on it in the output directory, in FMT and, with svg_too, in SVG.
 * Records the figure.  0, or -1 after saying why on stderr.
 */
int plot_render(struct plot_run *r, const char *stem, const char *header, const char *tmpl,
		const char *title, const char *caption);

/* plot_fig.c: one figure, panel by panel, into STEM.dat and STEM.gp. */
struct rowstats {
	uint64_t n;
	double min, p25, median, p75, max, mean;
};

/* Statistics of SORTED (N > 0 values). */
void rowstats_of(struct rowstats *s, const uint64_t *sorted, size_t n);

struct figout {
	struct plot_run *r;
	char stem[PLOT_STEM_MAX];
	FILE *dat;
	int series;		/* layout: one block per line, not per panel */
	struct strv ptitle;	/* panel titles, np of them */
	size_t *pfirst;		/* series layout: first block of each panel (1-based) */
	size_t np;
	struct strv cats;	/* category layout: x tick names */
	struct strv btitle;	/* series titles, nb of them */
	size_t nb;
	double typical;		/* smallest mean or median seen: picks the unit */
	double *plo, *phi;	/* category layout: each panel's smallest min > 0, largest max */
};

/* The axes of a figure: text is fixed by the program, never label text. */
struct figaxes {
	const char *xlabel;	/* category layout: names the categories */
	const char *ylabel;	/* "[u]" stands for the unit */
	double unit_ns;		/* 0: the unit of the smallest typical value */
	const char *unitname;
	double ylo, yhi;	/* yhi NaN: automatic */
};

/* Start figure BASE (a stem is claimed from it).  0 or -1 (said why). */
int fig_open(struct figout *f, struct plot_run *r, const char *base, int series);
/* Start panel TITLE (in the data file; SHOWN on the figure); in the
 * category layout, its data block too. */
int fig_panel(struct figout *f, const char *title, const char *shown);
/* Category layout: a row for category CAT. */
int fig_row(struct figout *f, const char *cat, const struct rowstats *s);
/* Series layout: start a line (data block) named TITLE (SHOWN in the key). */
int fig_series(struct figout *f, const char *title, const char *shown);
void fig_point(struct figout *f, double x, double y);
/*
 * fig_close - write the script and draw it (nothing when no panel was
 * started: the figure and its stem are dropped).  0 or -1.
 */
int fig_close(struct figout *f, const char *tmpl, const struct figaxes *ax, const char *title,
	      const char *caption);
void fig_abort(struct figout *f);

/* plot_probe.c: Study B, one bar per platform for every probe.* key. */
int plot_probes(struct plot_run *r);

/* plot_tmpl.c: the templates of gp/, built into the program. */
extern const char plot_tmpl_cat[], plot_tmpl_box[], plot_tmpl_cdf[], plot_tmpl_index[],
	plot_tmpl_rq[];

/* plot_figs.c: every figure of the studies; 0, or -1 when one failed. */
int plot_all(struct plot_run *r);

#endif /* VMLAT_PLOT_H */
