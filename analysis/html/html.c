/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * html.c - the page around the tables (html_table.c): head, figures,
 * platform context, and `vmlat plot --html`.
 *
 * Figures are inlined as base64 data: URIs so that the page is one file
 * that opens offline; the SVG that gnuplot wrote is preferred (sharp at
 * any zoom), else the image in the chosen format (PDF cannot be shown
 * inline and is linked by name instead).
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/group.h"
#include "html.h"

void html_escape(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default: fputc(*s, out);
		}
	}
}

void html_begin(FILE *out, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "img-src data:; style-src 'unsafe-inline'\">\n<title>", out);
	html_escape(out, title);
	fputs("</title>\n<style>\n"
	      "body { font-family: sans-serif; margin: 1em 2em; }\n"
	      "table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 90%; }\n"
	      "th, td { border: 1px solid #bbb; padding: 2px 6px; }\n"
	      "td.n { text-align: right; font-variant-numeric: tabular-nums; }\n"
	      "th { background: #eee; }\n"
	      "figure { margin: 1em 0 2em; } figure img { max-width: 100%; }\n"
	      "</style>\n</head>\n<body>\n<h1>", out);
	html_escape(out, title);
	fputs("</h1>\n", out);
}

static const struct {
	const char *id, *title;
} sections[HS_N] = {
	[HS_STATS] = { "statistics", "Statistics per cell" },
	[HS_RUNCTX] = { "run-context", "Run context from the headers" },
	[HS_FIGURES] = { "figures", "Figures" },
	[HS_CONTEXT] = { "platforms", "Platforms: detected context" },
};

void html_heading(FILE *out, enum html_section s)
{
	fprintf(out, "<h2 id=\"%s\">%s</h2>\n", sections[s].id, sections[s].title);
}

/* Figure anchors are "fig-" and the stem: [A-Za-z0-9._-], valid in an id. */
void html_toc(FILE *out, unsigned int which, const struct plot_run *figs)
{
	size_t s, i;

	fputs("<nav class=\"toc\">\n<h2>Contents</h2>\n<ul>\n", out);
	for (s = 0; s < HS_N; s++) {
		if (!(which & 1u << s))
			continue;
		fprintf(out, "<li><a href=\"#%s\">%s</a>", sections[s].id, sections[s].title);
		if (s == HS_FIGURES && figs && figs->nfigs) {
			fputs("\n<ul>\n", out);
			for (i = 0; i < figs->nfigs; i++) {
				fprintf(out, "<li><a href=\"#fig-%s\">", figs->figs[i].stem);
				html_escape(out, figs->figs[i].title);
				fputs("</a></li>\n", out);
			}
			fputs("</ul>\n", out);
		}
		fputs("</li>\n", out);
	}
	fputs("</ul>\n</nav>\n", out);
}

void html_end(FILE *out)
{
	fputs("</body>\n</html>\n", out);
}

static void base64(FILE *out, const unsigned char *p, size_t n)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		unsigned long v = (unsigned long)p[i] << 16 | (unsigned long)p[i + 1] << 8 | p[i + 2];

		fputc(b64[v >> 18], out);
		fputc(b64[(v >> 12) & 63], out);
		fputc(b64[(v >> 6) & 63], out);
		fputc(b64[v & 63], out);
	}
	if (i < n) {
		unsigned long v = (unsigned long)p[i] << 16 | (i + 1 < n ? (unsigned long)p[i + 1] << 8 : 0);

		fputc(b64[v >> 18], out);
		fputc(b64[(v >> 12) & 63], out);
		fputc(i + 1 < n ? b64[(v >> 6) & 63] : '=', out);
		fputc('=', out);
	}
}

/* The contents of NAME in directory DIRFD, or NULL. */
static unsigned char *slurp(int dirfd, const char *name, size_t *len)
{
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	unsigned char *buf = NULL;
	struct stat st;
	ssize_t got = 0;

	if (fd < 0)
		return NULL;
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && (buf = malloc((size_t)st.st_size + 1)))
		got = read(fd, buf, (size_t)st.st_size);
	close(fd);
	if (buf && got != st.st_size) {
		free(buf);
		return NULL;
	}
	*len = (size_t)got;
	return buf;
}

static void one_figure(FILE *out, const struct plot_run *r, const struct plot_fig *f)
{
	static const char *const mime[] = { "image/png", "image/svg+xml", NULL };
	enum plot_fmt fmt = r->svg_too || r->fmt == PF_SVG ? PF_SVG : r->fmt;
	char name[PLOT_STEM_MAX + 8];
	unsigned char *img = NULL;
	size_t len = 0;

	snprintf(name, sizeof(name), "%s.%s", f->stem, plot_fmt_ext(fmt));
	if (f->rendered && mime[fmt])
		img = slurp(r->dirfd, name, &len);
	fprintf(out, "<figure id=\"fig-%s\">\n", f->stem);
	if (img) {
		fprintf(out, "<img alt=\"%s\" src=\"data:%s;base64,", f->stem, mime[fmt]);
		base64(out, img, len);
		fputs("\">\n", out);
	} else {
		fprintf(out, "<p>(image not inlined: see %s.%s)</p>\n", f->stem, plot_fmt_ext(r->fmt));
	}
	fputs("<figcaption><b>", out);
	html_escape(out, f->title);
	fputs("</b>. ", out);
	html_escape(out, f->caption ? f->caption : "");
	if (!r->files_gone)
		fprintf(out, " Files: %s.dat, %s.gp.", f->stem, f->stem);
	fputs("</figcaption>\n</figure>\n", out);
	free(img);
}

int html_figures(FILE *out, const struct plot_run *r)
{
	size_t i;

	html_heading(out, HS_FIGURES);
	if (!r->nfigs)
		fputs("<p>No figure: the inputs hold none of the data the figures need.</p>\n", out);
	for (i = 0; i < r->nfigs; i++)
		one_figure(out, r, &r->figs[i]);
	return ferror(out) ? -EIO : 0;
}

static int context_key(const char *k)
{
	return !strncmp(k, "platform.", 9) || !strncmp(k, "run.", 4) || !strncmp(k, "clock.", 6);
}

static int cmp_value(const void *a, const void *b)
{
	return group_value_cmp(*(char *const *)a, *(char *const *)b);
}

static const char *plat_of(const struct sample_set *s)
{
	const char *p = labels_get(&s->labels, "platform");

	return p ? p : "-";
}

/*
 * What the inputs of platform PLAT say for KEY, into OUT: the value when
 * they agree; when they differ (a kernel upgraded between runs, steal
 * counters that grow), numbers as their range "lo .. hi", other text as
 * its first few distinct values in order: one input's value would pass
 * for all.
 */
#define CTX_SHOWN 3

static void ctx_cell(FILE *out, const struct sample_list *l, const char *plat, const char *key)
{
	struct strset seen = { 0 };
	double lo = INFINITY, hi = -INFINITY, x;
	const char *lo_s = NULL, *hi_s = NULL, *w; /* as written: exact beyond 2^53 */
	int numeric = 1;
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (strcmp(plat_of(l->v[i]), plat) || !(w = labels_get(&l->v[i]->labels, key)))
			continue;
		if (strset_add(&seen, w) < 0)
			break;
		numeric = numeric && !label_number(w, &x);
		if (numeric && x < lo) {
			lo = x;
			lo_s = w;
		}
		if (numeric && x > hi) {
			hi = x;
			hi_s = w;
		}
	}
	if (seen.n == 1) {
		html_escape(out, seen.v[0]);
	} else if (seen.n > 1 && numeric) {
		html_escape(out, lo_s);
		fputs(" .. ", out);
		html_escape(out, hi_s);
		fprintf(out, " <small>(%zu values)</small>", seen.n);
	} else if (seen.n > 1) {
		qsort(seen.v, seen.n, sizeof(char *), cmp_value);
		for (i = 0; i < seen.n && i < CTX_SHOWN; i++) {
			fputs(i ? " | " : "", out);
			html_escape(out, seen.v[i]);
		}
		if (seen.n > CTX_SHOWN)
			fprintf(out, " <small>(and %zu more)</small>", seen.n - CTX_SHOWN);
		else
			fprintf(out, " <small>(%zu values)</small>", seen.n);
	}
	strset_release(&seen);
}

int html_context(FILE *out, const struct sample_list *l)
{
	struct strset keys = { 0 }, plats = { 0 };
	size_t i, k;
	int ret = 0;

	for (i = 0; i < l->n && !ret; i++)
		for (k = 0; k < l->v[i]->labels.n && !ret; k++)
			if (context_key(l->v[i]->labels.v[k].key) &&
			    (strset_add(&keys, l->v[i]->labels.v[k].key) < 0 ||
			     strset_add(&plats, plat_of(l->v[i])) < 0))
				ret = -ENOMEM;
	if (keys.n) /* qsort wants a base even for none */
		qsort(keys.v, keys.n, sizeof(char *), cmp_value);
	if (plats.n) /* qsort wants a base even for none */
		qsort(plats.v, plats.n, sizeof(char *), cmp_value);
	html_heading(out, HS_CONTEXT);
	if (!keys.n)
		fputs("<p>The inputs carry no platform.*, run.* or clock.* keys.</p>\n", out);
	else
		fputs("<table class=\"context\">\n<tr><th>key</th>", out);
	for (i = 0; keys.n && i < plats.n; i++) {
		fputs("<th>", out);
		html_escape(out, plats.v[i]);
		fputs("</th>", out);
	}
	for (k = 0; k < keys.n; k++) {
		fputs("</tr>\n<tr><th>", out);
		html_escape(out, keys.v[k]);
		fputs("</th>", out);
		for (i = 0; i < plats.n; i++) {
			fputs("<td>", out);
			ctx_cell(out, l, plats.v[i], keys.v[k]);
			fputs("</td>", out);
		}
	}
	if (keys.n)
		fputs("</tr>\n</table>\n", out);
	strset_release(&keys);
	strset_release(&plats);
	return ret ? ret : ferror(out) ? -EIO : 0;
}
