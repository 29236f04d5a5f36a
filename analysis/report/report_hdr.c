/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report_hdr.c - the run's context from vmlat headers, a table under the
 * statistics: Study B's micro-probe results (every probe.* key that
 * probes_key_is_measure() accepts, with a numeric value, so a new probe
 * needs no change here)
 * and the engine's clock check (clock, clock.*), a row per key, a column
 * per platform.
 *
 * These are values measured once per run, so each file counts once (a
 * log gives a set per direction, all with the same header).  A numeric
 * key of several runs shows their mean and, when they differ, their
 * range; a text key its value, marked when runs disagree.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/group.h"
#include "probes.h"
#include "report.h"
#include "report_grid.h"

static int hdr_key(const char *key, const char *value)
{
	double x;

	if (!strncmp(key, "probe.", 6))
		return probes_key_is_measure(key) && !label_number(value, &x);
	return !strcmp(key, "clock") || !strncmp(key, "clock.", 6);
}

static const char *plat_of(const struct sample_set *s)
{
	const char *p = labels_get(&s->labels, "platform");

	return p ? p : "-";
}

static int cmp_value(const void *a, const void *b)
{
	return group_value_cmp(*(char *const *)a, *(char *const *)b);
}

/* A sorted list of distinct strings. */
struct names {
	char **v;
	size_t n;
	size_t alloc;
};

/*
 * Added with repeats, then sorted and made distinct (names_sort): a header
 * of 80,000 probe keys, each checked against all before it, took seconds.
 */
static int names_add(struct names *s, const char *name)
{
	char **v;

	if (s->n == s->alloc) {
		s->alloc = s->alloc ? 2 * s->alloc : 16;
		v = realloc(s->v, s->alloc * sizeof(*v));
		if (!v)
			return -ENOMEM;
		s->v = v;
	}
	return (s->v[s->n] = strdup(name)) ? (s->n++, 0) : -ENOMEM;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Distinct (by bytes), then in value order (numbers as numbers). */
static void names_sort(struct names *s)
{
	size_t i, n = 0;

	if (!s->n) /* qsort wants a base even for none */
		return;
	qsort(s->v, s->n, sizeof(char *), cmp_str);
	for (i = 0; i < s->n; i++) {
		if (n && !strcmp(s->v[n - 1], s->v[i]))
			free(s->v[i]);
		else
			s->v[n++] = s->v[i];
	}
	s->n = n;
	qsort(s->v, s->n, sizeof(char *), cmp_value);
}

static void names_release(struct names *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

static int collect(const struct sample_list *l, struct names *keys, struct names *plats)
{
	size_t i, k;
	int ret = 0;

	for (i = 0; i < l->n && !ret; i++) {
		const struct labels *lb = &l->v[i]->labels;

		for (k = 0; k < lb->n && !ret; k++)
			if (hdr_key(lb->v[k].key, lb->v[k].value))
				ret = names_add(keys, lb->v[k].key) || names_add(plats, plat_of(l->v[i]))
					      ? -ENOMEM : 0;
	}
	names_sort(keys);
	names_sort(plats);
	return ret;
}

/* KEY of platform PLAT over its files, each once. */
struct hdr_val {
	const char *first;	/* the first run's value; NULL: no run has KEY */
	int varies;		/* another run says otherwise */
	size_t n;		/* runs with a numeric value */
	double sum, lo, hi;
};

static void hdr_of(const struct sample_list *l, const char *plat, const char *key,
		   struct hdr_val *h)
{
	const char *v;
	double x;
	size_t i;

	memset(h, 0, sizeof(*h));
	for (i = 0; i < l->n; i++) {
		if (strcmp(plat_of(l->v[i]), plat) || sample_list_file_seen(l, i) ||
		    !(v = labels_get(&l->v[i]->labels, key)))
			continue;
		h->varies |= h->first && strcmp(h->first, v);
		h->first = h->first ? h->first : v;
		if (label_number(v, &x))
			continue;
		h->lo = h->n && h->lo < x ? h->lo : x;
		h->hi = h->n && h->hi > x ? h->hi : x;
		h->sum += x;
		h->n++;
	}
}

/*
 * One number as a reader wants it: whole numbers from 100 up (ns, bytes),
 * four significant digits below; %g alone would print 8 MiB as 8.38861e+06.
 */
static int hdr_num(char *buf, size_t len, double x)
{
	return snprintf(buf, len, fabs(x) >= 100 ? "%.0f" : "%.4g", x);
}

/* As shown: "mean", "mean (min..max)", or the text ("... (varies)"). */
static void hdr_value(const struct sample_list *l, const char *plat, const char *key, char *buf,
		      size_t len)
{
	struct hdr_val h;

	hdr_of(l, plat, key, &h);
	buf[0] = 0;
	if (h.n && h.hi > h.lo) {
		char mean[16], lo[16], hi[16];

		hdr_num(mean, sizeof(mean), h.sum / (double)h.n);
		hdr_num(lo, sizeof(lo), h.lo);
		hdr_num(hi, sizeof(hi), h.hi);
		if (snprintf(buf, len, "%s (%s..%s)", mean, lo, hi) >= (int)len)
			hdr_num(buf, len, h.sum / (double)h.n); /* the range does not fit: the mean */
	} else if (h.n) {
		hdr_num(buf, len, h.sum / (double)h.n);
	}
	else if (h.first)
		snprintf(buf, len, "%s%s", h.first, h.varies ? " (varies)" : "");
}

int report_hdr_grid(struct grid *g, const struct sample_list *l)
{
	struct names keys = { 0 }, plats = { 0 };
	size_t i, j;
	int ret;

	memset(g, 0, sizeof(*g));
	ret = collect(l, &keys, &plats);

	if (!ret)
		ret = grid_alloc(g, keys.n, plats.n + 1, plats.n);
	for (j = 0; !ret && j <= plats.n; j++) {
		snprintf(g->head[j], CELL_CHARS, "%s", j ? plats.v[j - 1] : "key");
		g->group[j] = (int)j - 1;
		g->numeric[j] = j > 0;
		for (i = 0; i < keys.n; i++) {
			if (!j)
				snprintf(grid_cell(g, i, j), CELL_CHARS, "%s", keys.v[i]);
			else
				hdr_value(l, plats.v[j - 1], keys.v[i], grid_cell(g, i, j), CELL_CHARS);
		}
	}
	if (!ret)
		grid_widths(g);
	names_release(&keys);
	names_release(&plats);
	return ret;
}

int report_print_hdr(FILE *out, const struct sample_list *l, enum rfmt_kind kind,
		     unsigned int width)
{
	static const char caption[] =
		"run context from vmlat headers, per platform: probe.* (mean of the runs, "
		"their range when they differ) and the clock check";
	struct grid g;
	int ret = report_hdr_grid(&g, l);

	if (ret || !g.nrows) {
		grid_release(&g);
		return ret;
	}
	if (kind == RF_TEXT) {
		fprintf(out, "\n%s\n\n", caption);
		ret = grid_print_text(out, &g, width);
	} else if (kind == RF_MARKDOWN) {
		fprintf(out, "\n**%s**\n\n", caption);
		grid_print_markdown(out, &g);
	} else {
		grid_print_latex(out, &g, caption, NULL);
	}
	grid_release(&g);
	return ret ? ret : ferror(out) ? -EIO : 0;
}

/* {"mean","min","max","runs"} of a numeric key, {"value","varies"} else. */
static json_t *hdr_json_value(const struct sample_list *l, const char *plat, const char *key)
{
	struct hdr_val h;

	hdr_of(l, plat, key, &h);
	if (!h.first)
		return NULL;
	if (!h.n)
		return json_pack("{s:s,s:b}", "value", h.first, "varies", h.varies);
	return json_pack("{s:f,s:f,s:f,s:I}", "mean", h.sum / (double)h.n, "min", h.lo, "max",
			 h.hi, "runs", (json_int_t)h.n);
}

json_t *report_hdr_json(const struct sample_list *l)
{
	struct names keys = { 0 }, plats = { 0 };
	json_t *root = json_object(), *p, *v;
	size_t i, j;

	if (collect(l, &keys, &plats) || !root) {
		json_decref(root);
		root = NULL;
	}
	for (j = 0; root && j < plats.n; j++) {
		p = json_object();
		for (i = 0; p && i < keys.n; i++)
			if ((v = hdr_json_value(l, plats.v[j], keys.v[i])))
				json_object_set_new(p, keys.v[i], v);
		json_object_set_new(root, plats.v[j], p);
	}
	names_release(&keys);
	names_release(&plats);
	return root;
}
