/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * plot_probe.c - Study B's figures: one panel per micro-probe, one bar
 * per platform.
 *
 * The probes are header keys of vmlat logs, "probe.NAME=VALUE", measured
 * once per run; every key with that prefix and a numeric value is taken,
 * whatever the name, so a new probe needs no change here.  A log gives a
 * sample set per direction, all with the same header: each file counts
 * once.  With several runs per platform the bar is their mean and the
 * whisker their range.  Values are plotted as the log has them (the key
 * says the unit, e.g. _ns).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/group.h"
#include "plot.h"
#include "probes.h"

static int cmp_value(const void *a, const void *b)
{
	return group_value_cmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * A probe value gnuplot can draw: finite, within +-1e15 (11.6 days in ns,
 * far beyond any probe).  A value such as 1e308 overflows gnuplot's
 * autoscale ("all points y value undefined"): the figure, and with it the
 * HTML page, would fail.  Such a value is skipped, with a warning.
 */
#define PROBE_VALUE_MAX 1e15

static int probe_number(const char *val, double *x)
{
	return label_number(val, x) || !(fabs(*x) <= PROBE_VALUE_MAX) ? -1 : 0;
}

/* Says once per file which probe value is out of range. */
static void warn_range(const struct sample_list *l, size_t i, const char *key, const char *val)
{
	const char *file = labels_get(&l->v[i]->labels, "file");
	double x;

	if (!label_number(val, &x) && !sample_list_file_seen(l, i))
		fprintf(stderr, "vmlat: warning: %s: %s=%s is out of range (beyond +-1e15): "
			"not plotted\n", file ? file : l->v[i]->source, key, val);
}

static int collect_names(const struct sample_list *l, struct strset *probes, struct strset *plats)
{
	size_t i, k;
	double x;

	for (i = 0; i < l->n; i++) {
		const struct labels *lb = &l->v[i]->labels;
		const char *plat = labels_get(lb, "platform");
		int any = 0;

		for (k = 0; k < lb->n; k++) {
			if (!probes_key_is_measure(lb->v[k].key))
				continue;
			if (probe_number(lb->v[k].value, &x)) {
				warn_range(l, i, lb->v[k].key, lb->v[k].value);
				continue;
			}
			if (strset_add(probes, lb->v[k].key) < 0)
				return -ENOMEM;
			any = 1;
		}
		if (any && strset_add(plats, plat ? plat : "-") < 0)
			return -ENOMEM;
	}
	if (probes->n) /* qsort wants a base even for none */
		qsort(probes->v, probes->n, sizeof(char *), cmp_value);
	if (plats->n) /* qsort wants a base even for none */
		qsort(plats->v, plats->n, sizeof(char *), cmp_value);
	return 0;
}

/* The row of platform PLAT for probe KEY, when some file has both. */
static int probe_row(struct figout *f, const struct sample_list *l, const char *key,
		     const char *plat, double *v)
{
	struct rowstats s;
	size_t i, n = 0;
	long double sum = 0;

	for (i = 0; i < l->n; i++) {
		const char *p = labels_get(&l->v[i]->labels, "platform");
		const char *val = labels_get(&l->v[i]->labels, key);

		if (!val || strcmp(p ? p : "-", plat) || sample_list_file_seen(l, i) || probe_number(val, &v[n]))
			continue;
		sum += v[n++];
	}
	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	s.n = n;
	s.min = v[0];
	s.max = v[n - 1];
	s.p25 = v[(n - 1) / 4];
	s.median = v[(n - 1) / 2];
	s.p75 = v[(3 * (n - 1)) / 4];
	s.mean = (double)(sum / n);
	return fig_row(f, plat, &s);
}

int plot_probes(struct plot_run *r)
{
	static const struct figaxes ax = { .xlabel = "platform", .ylabel = "value (unit as the key says)",
					   .unit_ns = 1, .unitname = "", .yhi = NAN };
	struct strset probes = { 0 }, plats = { 0 };
	struct figout f;
	double *v = malloc((r->l->n + 1) * sizeof(*v));
	size_t i, j;
	int ret = v ? collect_names(r->l, &probes, &plats) : -ENOMEM;

	if (!ret && probes.n && !(ret = fig_open(&f, r, "probes", 0) ? -EIO : 0)) {
		for (i = 0; i < probes.n && !ret; i++) {
			ret = fig_panel(&f, probes.v[i], probes.v[i]);
			for (j = 0; j < plats.n && !ret; j++)
				ret = probe_row(&f, r->l, probes.v[i], plats.v[j], v);
		}
		if (ret)
			fig_abort(&f);
		else
			ret = fig_close(&f, plot_tmpl_cat, &ax, "Micro-probes per platform",
					"Study B Figs. 2-5: every probe.* header key, one bar per "
					"platform (mean of its runs; whisker: their range).") ? -EIO : 0;
	}
	if (ret == -ENOMEM)
		fprintf(stderr, "vmlat: out of memory\n");
	strset_release(&probes);
	strset_release(&plats);
	free(v);
	return ret ? -1 : 0;
}
