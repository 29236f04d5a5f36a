/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * plot_fig.c - one figure: its data file as it is filled, then the
 * variables its template needs and the drawing.
 *
 * Two layouts, matching the templates:
 *   category  one data block per panel, one row per category (x = the
 *             category's index, the same in every panel of the figure);
 *   series    one data block per line; panel p owns the lines from
 *             pfirst[p] up to the next panel's first.
 * Data files hold nanoseconds as the input had them (%.15g: integers exact), so
 * a reader can check them against `vmlat report`; the script divides by
 * the unit.  Every label string goes into the script through
 * plot_gp_quote() and into the data file through plot_tsv_text() only.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/msg.h"
#include "core/stats.h"
#include "plot.h"

void rowstats_of(struct rowstats *s, const uint64_t *sorted, size_t n)
{
	long double sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum += sorted[i];
	s->n = n;
	s->min = (double)sorted[0];
	s->max = (double)sorted[n - 1];
	s->p25 = (double)stats_pct(sorted, n, 25);
	s->median = (double)stats_pct(sorted, n, 50);
	s->p75 = (double)stats_pct(sorted, n, 75);
	s->mean = (double)(sum / n);
}

int fig_open(struct figout *f, struct plot_run *r, const char *base, int series)
{
	char name[PLOT_STEM_MAX + 8];

	memset(f, 0, sizeof(*f));
	f->r = r;
	f->series = series;
	f->typical = INFINITY;
	if (plot_names_claim(&r->names, base, f->stem)) {
		say_nomem();
		return -1;
	}
	snprintf(name, sizeof(name), "%s.dat", f->stem);
	if (!(f->dat = plot_create(r, name)))
		return -1;
	fprintf(f->dat, "# %s.dat - written by vmlat plot, drawn by %s.gp; times in ns.\n",
		f->stem, f->stem);
	fprintf(f->dat, series ? "# One block (gnuplot index) per line.\n"
			       : "# One block (gnuplot index) per panel; columns:\n"
				 "# x\tn\tmin\tp25\tmedian\tp75\tmax\tmean\tlabel\n");
	return 0;
}

/* Two blank lines end a gnuplot index block. */
static void new_block(struct figout *f, const char *what, const char *title)
{
	size_t blocks = f->series ? f->nb : f->np;

	if (blocks)
		fputs("\n\n", f->dat);
	fprintf(f->dat, "# %s %zu: ", what, blocks);
	plot_tsv_text(f->dat, title);
	fputc('\n', f->dat);
}

/* Room for one more panel's bounds, the new one empty. */
static int grow_bounds(struct figout *f)
{
	double *lo = realloc(f->plo, (f->np + 1) * sizeof(*lo)), *hi;

	if (lo)
		f->plo = lo;
	hi = lo ? realloc(f->phi, (f->np + 1) * sizeof(*hi)) : NULL;
	if (!hi)
		return -ENOMEM;
	f->phi = hi;
	f->plo[f->np] = INFINITY;
	f->phi[f->np] = 0;
	return 0;
}

int fig_panel(struct figout *f, const char *title, const char *shown)
{
	size_t *pf = realloc(f->pfirst, (f->np + 1) * sizeof(*pf));

	if (!pf)
		return -ENOMEM;
	f->pfirst = pf;
	pf[f->np] = f->nb + 1;
	if (grow_bounds(f))
		return -ENOMEM;
	if (!f->series)
		new_block(f, "panel", title);
	if (strv_push(&f->ptitle, shown))
		return -ENOMEM;
	f->np++;
	return 0;
}

int fig_row(struct figout *f, const char *cat, const struct rowstats *s)
{
	long x = strv_add(&f->cats, cat);

	if (x < 0)
		return -ENOMEM;
	fprintf(f->dat, "%ld\t%llu\t%.15g\t%.15g\t%.15g\t%.15g\t%.15g\t%.15g\t", x,
		(unsigned long long)s->n, s->min, s->p25, s->median, s->p75, s->max, s->mean);
	plot_tsv_text(f->dat, cat);
	fputc('\n', f->dat);
	if (s->mean > 0 && s->mean < f->typical)
		f->typical = s->mean;
	if (f->np && s->min > 0 && s->min < f->plo[f->np - 1])
		f->plo[f->np - 1] = s->min;
	if (f->np && s->max > f->phi[f->np - 1])
		f->phi[f->np - 1] = s->max;
	return 0;
}

int fig_series(struct figout *f, const char *title, const char *shown)
{
	new_block(f, "line", title);
	if (strv_push(&f->btitle, shown))
		return -ENOMEM;
	f->nb++;
	return 0;
}

void fig_point(struct figout *f, double x, double y)
{
	fprintf(f->dat, "%.17g\t%.17g\n", x, y);
}

void fig_abort(struct figout *f)
{
	if (f->dat)
		fclose(f->dat);
	strv_release(&f->ptitle);
	strv_release(&f->btitle);
	free(f->pfirst);
	free(f->plo);
	free(f->phi);
	strv_release(&f->cats);
	memset(f, 0, sizeof(*f));
}

/* gnuplot: array NAME[N] = ['a', 'b'] (an array has at least one slot);
 * strings cut after MAX bytes. */
static void gp_array(FILE *h, const char *name, char *const *v, size_t n, size_t max)
{
	size_t i;

	fprintf(h, "array %s[%zu] = [", name, n ? n : 1);
	for (i = 0; i < n; i++) {
		fputs(i ? ", " : "", h);
		plot_gp_quote_max(h, v[i], max);
	}
	fputs(n ? "]\n" : "'']\n", h);
}

static void gp_index_array(FILE *h, const char *name, const size_t *v, size_t n)
{
	size_t i;

	fprintf(h, "array %s[%zu] = [", name, n + 1);
	for (i = 0; i < n; i++)
		fprintf(h, "%zu, ", v[i]);
	fprintf(h, "%zu]\n", (size_t)0);
}

/*
 * A panel whose values span LOG_SPAN (a decade) or more is drawn on a
 * log axis (cat.gp's logy[p]): on a linear axis up to a 15 ms maximum a
 * 0.5 ms mean is a sliver and a 20 us minimum cannot be seen.  Per panel,
 * not per figure: the probes' panels each have a unit of their own.
 */
#define LOG_SPAN 10.0

/* logy[p]: panel p on a log axis; over[p]: with a fixed top (YHI in UNIT),
 * panel p has a value above it, which cat.gp marks. */
static void gp_panel_axes(FILE *h, const struct figout *f, double yhi, double unit)
{
	size_t p;

	fprintf(h, "array logy[%zu] = [", f->np ? f->np : 1);
	for (p = 0; p < f->np; p++)
		fprintf(h, "%s%d", p ? ", " : "",
			f->plo[p] > 0 && f->phi[p] >= f->plo[p] * LOG_SPAN);
	fprintf(h, "%s]\narray over[%zu] = [", f->np ? "" : "0", f->np ? f->np : 1);
	for (p = 0; p < f->np; p++)
		fprintf(h, "%s%d", p ? ", " : "", !isnan(yhi) && f->phi[p] / unit > yhi);
	fputs(f->np ? "]\n" : "0]\n", h);
}

/* The largest of ns, us, ms, s that keeps the typical value >= 1. */
static void pick_unit(const struct figout *f, const struct figaxes *ax, double *unit,
		      const char **name)
{
	*unit = ax->unit_ns;
	*name = ax->unitname;
	if (*unit > 0)
		return;
	*unit = f->typical >= 1e9 ? 1e9 : f->typical >= 1e6 ? 1e6 : f->typical >= 1e3 ? 1e3 : 1;
	*name = *unit == 1e9 ? "s" : *unit == 1e6 ? "ms" : *unit == 1e3 ? "us" : "ns";
}

static void write_header(FILE *h, const struct figout *f, const struct figaxes *ax,
			 const char *title)
{
	char ylabel[128];
	const char *uname, *at;
	double unit;

	pick_unit(f, ax, &unit, &uname);
	at = strstr(ax->ylabel, "[u]");
	if (at)
		snprintf(ylabel, sizeof(ylabel), "%.*s%s%s", (int)(at - ax->ylabel), ax->ylabel,
			 uname, at + 3);
	else
		snprintf(ylabel, sizeof(ylabel), "%s", ax->ylabel);
	fprintf(h, "stem = '%s'\ndata = stem . '.dat'\nfigtitle = ", f->stem);
	plot_gp_quote(h, title);
	fprintf(h, "\nunit = %.17g\nunitname = '%s'\nylabel = ", unit, uname);
	plot_gp_quote(h, ylabel);
	fputs("\nxlabel = ", h);
	plot_gp_quote(h, ax->xlabel ? ax->xlabel : "");
	fprintf(h, "\nylo = %.17g\n", ax->ylo);
	if (isnan(ax->yhi))
		fputs("yhi = NaN\n", h);
	else
		fprintf(h, "yhi = %.17g\n", ax->yhi);
	fprintf(h, "npanels = %zu\n", f->np);
	gp_array(h, "ptitle", f->ptitle.v, f->np, 120);
	if (f->series) {
		fprintf(h, "nblocks = %zu\n", f->nb);
		gp_array(h, "stitle", f->btitle.v, f->nb, 60);
		gp_index_array(h, "pfirst", f->pfirst, f->np);
		fputs("array plast[npanels]\n"
		      "do for [p = 1 : npanels] { plast[p] = p < npanels ? pfirst[p + 1] - 1 : nblocks }\n",
		      h);
	} else {
		fprintf(h, "ncat = %zu\n", f->cats.n);
		gp_array(h, "cat", f->cats.v, f->cats.n, 32);
		gp_panel_axes(h, f, ax->yhi, unit);
	}
}

int fig_close(struct figout *f, const char *tmpl, const struct figaxes *ax, const char *title,
	      const char *caption)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *h;
	int bad = ferror(f->dat), ret = -1;

	bad |= fclose(f->dat);
	f->dat = NULL;
	if (bad) {
		say_error("cannot write '%s/%s.dat'", f->r->outdir, f->stem);
		f->r->failed = 1;
	} else if (!f->np) {
		char name[PLOT_STEM_MAX + 8];

		snprintf(name, sizeof(name), "%s.dat", f->stem);
		unlinkat(f->r->dirfd, name, 0); /* nothing to draw */
		ret = 0;
	} else if ((h = open_memstream(&buf, &len))) {
		write_header(h, f, ax, title);
		if (!fclose(h))
			ret = plot_render(f->r, f->stem, buf, tmpl, title, caption);
	}
	if (ret && !buf)
		say_nomem();
	free(buf);
	fig_abort(f);
	return ret;
}
