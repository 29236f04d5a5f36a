/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report_hdr.c - the run's context from vmlat headers, a table under the
 * statistics: Study B's micro-probe results (every probe.* key with a
 * numeric value, whatever its name, so a new probe needs no change here)
 * and the engine's clock check (clock, clock.*), a row per key, a column
 * per platform.
 *
 * These are values measured once per run, so each file counts once (a
 * log gives a set per direction, all with the same header).  A numeric
 * key of several runs shows their mean and, when they differ, their
 * range; a text key its value, marked when runs disagree.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "group.h"
#include "report.h"
#include "report_grid.h"

static int hdr_key(const char *key, const char *value)
{
	double x;

	if (!strncmp(key, "probe.", 6))
		return !label_number(value, &x);
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
};

static int names_add(struct names *s, const char *name)
{
	char **v;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], name))
			return 0;
	v = realloc(s->v, (s->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	s->v = v;
	return (s->v[s->n] = strdup(name)) ? (s->n++, 0) : -ENOMEM;
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
	qsort(keys->v, keys->n, sizeof(char *), cmp_value);
	qsort(plats->v, plats->n, sizeof(char *), cmp_value);
	return ret;
}

/* KEY of platform PLAT over its files into BUF: "mean", "mean (min..max)", text. */
static void hdr_value(const struct sample_list *l, const char *plat, const char *key, char *buf,
		      size_t len)
{
	const char *first = NULL, *v;
	double x, sum = 0, lo = 0, hi = 0;
	size_t i, n = 0, varies = 0;

	buf[0] = 0;
	for (i = 0; i < l->n; i++) {
		if (strcmp(plat_of(l->v[i]), plat) || sample_list_file_seen(l, i) ||
		    !(v = labels_get(&l->v[i]->labels, key)))
			continue;
		varies |= first && strcmp(first, v);
		first = first ? first : v;
		if (label_number(v, &x))
			continue;
		lo = n && lo < x ? lo : x;
		hi = n && hi > x ? hi : x;
		sum += x;
		n++;
	}
	if (n && hi > lo)
		snprintf(buf, len, "%g (%g..%g)", sum / (double)n, lo, hi);
	else if (n)
		snprintf(buf, len, "%g", sum / (double)n);
	else if (first)
		snprintf(buf, len, "%s%s", first, varies ? " (varies)" : "");
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
