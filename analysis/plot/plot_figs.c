/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * plot_figs.c - the figures of the studies, as a table.
 *
 * Each row says which sets a figure uses, which label keys make one
 * figure each, one panel each and one category (or line) each, which
 * template draws it and what one cell of the grouping becomes (a row of
 * statistics, a CDF, a time series...).  One loop (plot_spec) groups the
 * sets by all those keys (group.h: cells sorted by value, so a figure's,
 * then a panel's cells are neighbours) and walks the cells.  Keys no set
 * has are dropped, as `vmlat report` does, so Study A's keys fit any input.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/group.h"
#include "core/stats.h"
#include "plot.h"

enum need {
	NEED_PERIO = 1 << 0,	/* per-IO samples in file order */
	NEED_RQ = 1 << 1,	/* vmlat_ctx=rq */
	NEED_CPU = 1 << 2,	/* vCPU of each IO */
	NEED_CONTRAST = 1 << 3, /* a panel needs two values of the last category key */
};

struct spec;
/* NAME: the cell's category or line in the data file; SHOWN: in the legend */
typedef int (*emit_fn)(struct figout *f, const struct spec *sp, const struct cell *c,
		       const char *name, const char *shown);

struct spec {
	const char *base;	/* file stem before the figure's key values */
	const char *title;
	const char *caption;
	const char *figkeys, *panelkeys, *catkeys;
	int series;		/* layout */
	const char *tmpl;
	emit_fn emit;
	unsigned int need;
	const char *fig;	/* sets tagged fig=FIG are used too */
	int only_fig;		/* and only they, when there are any */
	int zoom;		/* Fig. 8: the user's range, in ms */
	struct figaxes ax;
};

/*
 * Which sets a figure uses: sets tagged fig=N belong to Study A's variant
 * figures (Fig. 5's longer runs, Fig. 6's file cells) and would otherwise
 * fall into the cells of Figs. 2-4 with the same rw, bs and load.  A spec
 * with FIG uses them as well as the untagged sets; with only_fig, only
 * them when there are any.
 */
static int wanted(const struct spec *sp, const struct sample_set *s, int pass)
{
	const char *fig = labels_get(&s->labels, "fig");
	int bits = 0;
	size_t k;

	for (k = 0; s->ctx && k < s->n; k++)
		bits |= s->ctx[k].bits;
	if (fig && (!sp->fig || strcmp(fig, sp->fig)))
		return 0;
	if (sp->only_fig && !pass && !fig)
		return 0;
	return s->n && !((sp->need & NEED_PERIO) && s->kind != SAMPLES_PER_IO) &&
	       !((sp->need & NEED_RQ) && !(bits & IO_CTX_RQ)) &&
	       !((sp->need & NEED_CPU) && !(bits & IO_CTX_CPU));
}

/* A non-owning list of the sets a figure uses. */
static int select_sets(const struct plot_run *r, const struct spec *sp, struct sample_list *v)
{
	size_t i;
	int pass;

	sample_list_init(v);
	for (pass = sp->only_fig ? 0 : 1; pass < 2 && !v->n; pass++)
		for (i = 0; i < r->l->n; i++) {
			if (!wanted(sp, r->l->v[i], pass))
				continue;
			if (v->n == v->alloc) {
				void *nv = realloc(v->v, (v->alloc * 2 + 8) * sizeof(*v->v));

				if (!nv)
					return -ENOMEM;
				v->v = nv;
				v->alloc = v->alloc * 2 + 8;
			}
			v->v[v->n++] = r->l->v[i];
		}
	return 0;
}

/* Append the keys of SPEC (minus SKIP) that some set of V has. */
static int add_keys(const struct sample_list *v, const char *spec, const char *skip,
		    char **keys, size_t *n)
{
	char *dup = strdup(spec), *p, *save = NULL;
	size_t i, before = *n;

	if (!dup)
		return -ENOMEM;
	for (p = strtok_r(dup, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		int have = 0;

		for (i = 0; i < v->n && !have; i++)
			have = labels_get(&v->v[i]->labels, p) != NULL;
		if (have && (!skip || strcmp(p, skip)) && !(keys[*n] = strdup(p)))
			break;
		*n += have && (!skip || strcmp(p, skip));
	}
	free(dup);
	return p ? -ENOMEM : (int)(*n - before);
}

/* The keys of one figure spec: figure, panel, category, and their counts. */
struct keyset {
	char *keys[24];
	size_t n, nfig, npanel, ncat;
};

static int spec_keys(const struct plot_run *r, const struct spec *sp, const struct sample_list *v,
		     struct keyset *k)
{
	const char *cat = sp->catkeys ? sp->catkeys : r->series_key;
	int a, b, c;

	memset(k, 0, sizeof(*k));
	a = add_keys(v, sp->figkeys, cat, k->keys, &k->n);
	b = a < 0 ? a : add_keys(v, sp->panelkeys, sp->catkeys ? NULL : cat, k->keys, &k->n);
	c = b < 0 ? b : add_keys(v, cat, NULL, k->keys, &k->n);
	if (c < 0)
		return -ENOMEM;
	k->nfig = (size_t)a;
	k->npanel = (size_t)b;
	k->ncat = (size_t)c;
	return 0;
}

static void keyset_release(struct keyset *k)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		free(k->keys[i]);
}

/* "k=v, k=v" of keys FROM..TO-1 of cell C: key EQ value, joined by SEP
 * (values only when EQ is NULL).  File stems and the data files' block
 * comments use this form: it is what scripts and tests match. */
static void join(char *buf, size_t len, const struct keyset *k, const struct cell *c, size_t from,
		 size_t to, const char *sep, const char *eq)
{
	size_t i, at = 0;

	buf[0] = 0;
	for (i = from; i < to && at < len; i++) {
		const char *v = *c->values[i] ? c->values[i] : "-";

		at += (size_t)snprintf(buf + at, len - at, "%s%s%s%s", i > from ? sep : "",
				       eq ? k->keys[i] : "", eq ? eq : "", v);
	}
}

/*
 * How Study A's keys read in titles and legends: in words, sizes in KiB,
 * never an internal key name (load_kind=io reads "2 IO load jobs").  A
 * value is put between PRE and ONE (when it is 1) or MANY; keys not in
 * the table stay key=value.
 */
static const struct word {
	const char *key, *pre, *one, *many;
} words[] = {
	{ "rw", "", "", "" },
	{ "platform", "", "", "" },
	{ "cores", "", " vCPU", " vCPUs" },
	{ "vms", "", " VM", " VMs" },
	{ "load", "", " load job", " load jobs" },
	{ "target_kind", "on a ", "", "" },
};

/* 4096 -> "4 KiB": block sizes are powers of two in Study A. */
static void say_bytes(char *buf, size_t len, const char *v)
{
	char *end;
	unsigned long long b = strtoull(v, &end, 10);

	if (*end || end == v)
		snprintf(buf, len, "bs=%s", v);
	else if (b && !(b % (1024 * 1024)))
		snprintf(buf, len, "%llu MiB", b >> 20);
	else if (b && !(b % 1024))
		snprintf(buf, len, "%llu KiB", b >> 10);
	else
		snprintf(buf, len, "%llu bytes", b);
}

/* One key's words; *USED is 2 when the next key (load_kind) was said too. */
static void say(char *buf, size_t len, const char *key, const char *v, const char *next_key,
		const char *next_v, int *used)
{
	size_t i;

	*used = 1;
	if (!strcmp(key, "bs"))
		return say_bytes(buf, len, v);
	if (!strcmp(key, "load") && next_key && !strcmp(next_key, "load_kind")) {
		*used = 2;
		if (!strcmp(v, "0"))
			snprintf(buf, len, "no load");
		else
			snprintf(buf, len, "%s %s load job%s", v,
				 !strcmp(next_v, "io") ? "IO" : !strcmp(next_v, "cpu") ? "CPU" : next_v,
				 strcmp(v, "1") ? "s" : "");
		return;
	}
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(key, words[i].key)) {
			snprintf(buf, len, "%s%s%s", words[i].pre, v,
				 strcmp(v, "1") ? words[i].many : words[i].one);
			return;
		}
	snprintf(buf, len, "%s=%s", key, v);
}

/* join()'s keys FROM..TO-1 of C in words, joined by ", "; a key the
 * cell has no value for says nothing ("- vCPUs" would read as a count). */
static void join_words(char *buf, size_t len, const struct keyset *k, const struct cell *c,
		       size_t from, size_t to)
{
	char one[256];
	size_t i, at = 0;
	int used = 1;

	buf[0] = 0;
	for (i = from; i < to && at < len; i += (size_t)used) {
		const char *nk = i + 1 < to ? k->keys[i + 1] : NULL;

		used = 1;
		if (!*c->values[i])
			continue;
		say(one, sizeof(one), k->keys[i], c->values[i], nk, nk ? c->values[i + 1] : NULL, &used);
		at += (size_t)snprintf(buf + at, len - at, "%s%s", at ? ", " : "", one);
	}
}

static int same_values(const struct cell *a, const struct cell *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(a->values[i], b->values[i]))
			return 0;
	return 1;
}

/* NEED_CONTRAST: do cells A..B-1 hold two values of the last key (a cell
 * without the key contrasts with nothing)? */
static int has_contrast(const struct grouping *g, size_t a, size_t b, size_t key)
{
	const char *first = NULL;
	size_t i;

	for (i = a; i < b; i++) {
		const char *v = g->cells[i].values[key];

		if (!*v)
			continue;
		if (first && strcmp(v, first))
			return 1;
		first = v;
	}
	return 0;
}

/* One figure: cells A..B-1 of G, which share their figure keys. */
static int one_figure(struct plot_run *r, const struct spec *sp, const struct keyset *k,
		      const struct grouping *g, size_t a, size_t b)
{
	char base[600], title[700], panel[512], shown[512], name[512], said[512];
	struct figaxes ax = sp->ax;
	struct figout f;
	size_t i, end;
	int ret = 0;

	join(panel, sizeof(panel), k, &g->cells[a], 0, k->nfig, "-", "-");
	snprintf(base, sizeof(base), "%s%s%s", sp->base, k->nfig ? "-" : "", panel);
	join_words(panel, sizeof(panel), k, &g->cells[a], 0, k->nfig);
	snprintf(title, sizeof(title), "%s%s%s", sp->title, k->nfig ? ": " : "", panel);
	if (fig_open(&f, r, base, sp->series))
		return -1;
	for (i = a; i < b && !ret; i = end) {
		for (end = i + 1; end < b && same_values(&g->cells[i], &g->cells[end],
							 k->nfig + k->npanel); end++)
			;
		if ((sp->need & NEED_CONTRAST) && !has_contrast(g, i, end, k->n - 1))
			continue;
		join(panel, sizeof(panel), k, &g->cells[i], k->nfig, k->nfig + k->npanel, ", ", "=");
		join_words(shown, sizeof(shown), k, &g->cells[i], k->nfig, k->nfig + k->npanel);
		ret = fig_panel(&f, k->npanel ? panel : "", k->npanel ? shown : "");
		for (; i < end && !ret; i++) {
			if ((sp->need & NEED_CONTRAST) && !*g->cells[i].values[k->n - 1])
				continue;
			join(name, sizeof(name), k, &g->cells[i], k->nfig + k->npanel, k->n,
			     sp->series ? ", " : "/", sp->series ? "=" : NULL);
			join_words(said, sizeof(said), k, &g->cells[i], k->nfig + k->npanel, k->n);
			ret = sp->emit(&f, sp, &g->cells[i], k->ncat ? name : "all",
				       k->ncat && sp->series ? said : k->ncat ? name : "all");
		}
	}
	if (ret) {
		fprintf(stderr, "vmlat: out of memory\n");
		fig_abort(&f);
		return -1;
	}
	name[0] = 0;
	for (i = k->n - k->ncat, end = 0; i < k->n && end < sizeof(name); i++)
		end += (size_t)snprintf(name + end, sizeof(name) - end, "%s%s", end ? "/" : "",
					k->keys[i]);
	if (!ax.xlabel)
		ax.xlabel = name;
	if (sp->zoom) {
		ax.ylo = r->zoom_lo_ms;
		ax.yhi = r->zoom_hi_ms;
	}
	return fig_close(&f, sp->tmpl, &ax, title, sp->caption);
}

/* NEED_CONTRAST: the last category key of the spec is among the keys. */
static int contrast_key_present(const struct spec *sp, const struct keyset *k)
{
	const char *last = strrchr(sp->catkeys, ',');

	last = last ? last + 1 : sp->catkeys;
	return k->ncat && !strcmp(k->keys[k->n - 1], last);
}

static int plot_spec(struct plot_run *r, const struct spec *sp)
{
	struct sample_list v;
	struct grouping g;
	struct keyset k;
	size_t i, end;
	int ret, bad = 0, skip = 0;

	memset(&g, 0, sizeof(g));
	if ((ret = select_sets(r, sp, &v)) || !v.n) {
		free(v.v);
		return ret ? -1 : 0;
	}
	if (!sp->catkeys && !r->series_key) {
		free(v.v);
		return 0;
	}
	ret = spec_keys(r, sp, &v, &k);
	if (!ret && (sp->need & NEED_CONTRAST) && !contrast_key_present(sp, &k))
		skip = 1; /* no set says what the contrast is: no figure */
	if (!ret && !skip)
		ret = group_build(&g, &v, k.keys, k.n);
	if (ret)
		fprintf(stderr, "vmlat: out of memory\n");
	for (i = 0; !ret && i < g.ncells; i = end) {
		for (end = i + 1; end < g.ncells && same_values(&g.cells[i], &g.cells[end], k.nfig);
		     end++)
			;
		bad |= one_figure(r, sp, &k, &g, i, end) != 0;
	}
	group_release(&g);
	keyset_release(&k);
	free(v.v);
	return ret || bad ? -1 : 0;
}

/* Category layout: minimum, mean and maximum (and quartiles) of the cell. */
static int emit_stats(struct figout *f, const struct spec *sp, const struct cell *c,
		      const char *name, const char *shown)
{
	struct rowstats s;
	uint64_t *v;
	size_t n;
	int ret;

	(void)sp;
	(void)shown;
	if ((ret = group_cell_samples(c, &v, &n)) || !n)
		return ret;
	rowstats_of(&s, v, n);
	free(v);
	return fig_row(f, name, &s);
}

/* Category layout: one box per vCPU the IOs were submitted on. */
static int emit_cpu(struct figout *f, const struct spec *sp, const struct cell *c,
		    const char *name, const char *shown)
{
	uint64_t *v = malloc((c->nsamples + 1) * sizeof(*v));
	char label[600];
	unsigned int cpu, next, any = 1;
	struct rowstats s;
	size_t i, j, n;
	int ret = 0;

	(void)sp;
	(void)shown;
	if (!v)
		return -ENOMEM;
	for (cpu = 0; any && !ret; cpu = next) {
		any = 0;
		next = ~0u;
		for (n = 0, i = 0; i < c->nsets; i++)
			for (j = 0; c->sets[i]->ctx && j < c->sets[i]->n; j++) {
				const struct io_ctx *x = &c->sets[i]->ctx[j];

				if (!(x->bits & IO_CTX_CPU) || x->cpu_submit < cpu)
					continue;
				if (x->cpu_submit == cpu)
					v[n++] = c->sets[i]->lat_ns[j];
				else if (x->cpu_submit < next)
					next = x->cpu_submit;
				any = 1;
			}
		if (!n)
			continue;
		snprintf(label, sizeof(label), "%s cpu%u", name, cpu);
		if (!(ret = stats_sort(v, n))) {
			rowstats_of(&s, v, n);
			ret = fig_row(f, label, &s);
		}
	}
	free(v);
	return ret;
}

/* Series layout: the CDF, thinned to about 2000 steps for large cells. */
static int emit_cdf(struct figout *f, const struct spec *sp, const struct cell *c,
		    const char *name, const char *shown)
{
	uint64_t *v = NULL;
	size_t n, i, step;
	int ret;

	(void)sp;
	if ((ret = group_cell_samples(c, &v, &n)) || !n || (ret = fig_series(f, name, shown))) {
		free(v);
		return ret;
	}
	step = n > 2000 ? n / 2000 : 1;
	for (i = 0; i < n; i += step)
		fig_point(f, (double)v[i], (double)(i + 1) / (double)n);
	if ((n - 1) % step)
		fig_point(f, (double)v[n - 1], 1.0);
	if (v[n / 2] > 0 && v[n / 2] < f->typical)
		f->typical = (double)v[n / 2];
	free(v);
	return 0;
}

/* Series layout: every IO in file order (sets one after another). */
static int emit_index(struct figout *f, const struct spec *sp, const struct cell *c,
		      const char *name, const char *shown)
{
	size_t i, j, at = 0;
	int ret = fig_series(f, name, shown);

	(void)sp;
	for (i = 0; !ret && i < c->nsets; i++)
		for (j = 0; j < c->sets[i]->n; j++) {
			uint64_t lat = c->sets[i]->lat_ns[j];

			fig_point(f, (double)at++, (double)lat);
			if (lat > 0 && lat < f->typical)
				f->typical = (double)lat;
		}
	return ret;
}

/* Series layout: (run-queue delay, latency) of every IO that has one. */
static int emit_rq(struct figout *f, const struct spec *sp, const struct cell *c,
		   const char *name, const char *shown)
{
	size_t i, j;
	int ret = fig_series(f, name, shown);

	(void)sp;
	for (i = 0; !ret && i < c->nsets; i++)
		for (j = 0; c->sets[i]->ctx && j < c->sets[i]->n; j++) {
			const struct io_ctx *x = &c->sets[i]->ctx[j];
			uint64_t lat = c->sets[i]->lat_ns[j];

			if (!(x->bits & IO_CTX_RQ))
				continue;
			fig_point(f, (double)x->rq_delay_ns, (double)lat);
			if (lat > 0 && lat < f->typical)
				f->typical = (double)lat;
		}
	return ret;
}

#define COND "platform,cores,vms"
#define LOAD "load,load_kind"
#define AXES(y) { .ylabel = y, .yhi = NAN }

static const struct spec specs[] = {
	{ "minmax", "Min, mean and max latency", "Study A Figs. 2-4: per platform and condition "
	  "(cores, VMs), one panel per operation and size, one figure per load level.",
	  LOAD, "rw,bs", COND, 0, plot_tmpl_cat, emit_stats, 0, NULL, 0, 0,
	  AXES("latency ([u])") },
	{ "minmax-zoom", "Min, mean and max latency, zoomed", "Study A Fig. 8: Figs. 2-4 zoomed "
	  "to the --zoom range.", LOAD, "rw,bs", COND, 0, plot_tmpl_cat,
	  emit_stats, 0, NULL, 0, 1, { .ylabel = "latency (ms)", .unit_ns = 1e6, .unitname = "ms" } },
	{ "byindex", "Latency of each IO in order", "Study A Fig. 5: the time of each IO in issue "
	  "order, one line per load level (logs tagged fig=5 when there are any).",
	  COND ",rw,bs", "", "load", 1, plot_tmpl_index, emit_index,
	  NEED_PERIO, "5", 1, 0, AXES("latency ([u])") },
	{ "target", "Raw device against file", "Study A Fig. 6: the same IO on a raw device and "
	  "on a regular file (target kind: tag target, else header key target.0.kind).", "",
	  "rw,bs," LOAD, COND ",target_kind", 0, plot_tmpl_cat, emit_stats,
	  NEED_CONTRAST, "6", 0, 0, AXES("latency ([u])") },
	{ "series", "Min, mean and max latency by label", "Study A Fig. 7: one category per "
	  "value of the label named by --series.", "", COND ",rw,bs," LOAD, NULL, 0,
	  plot_tmpl_cat, emit_stats, 0, NULL, 0, 0, AXES("latency ([u])") },
	{ "cdf", "Latency distribution", "Share of IOs at or below each latency (log scale), "
	  "one line per platform and condition.", LOAD, "rw,bs", COND, 1,
	  plot_tmpl_cdf, emit_cdf, 0, NULL, 0, 0, AXES("fraction") },
	{ "rq", "Latency against run-queue delay", "Each IO's latency against the time its "
	  "thread waited in the run queue meanwhile (vmlat_ctx=rq).", LOAD, "rw,bs", COND, 1,
	  plot_tmpl_rq, emit_rq, NEED_RQ, NULL, 0, 0, AXES("latency ([u])") },
	{ "cpu", "Latency per vCPU", "Box plots of latency per vCPU the IO was submitted on "
	  "(vmlat_ctx=cpu): whiskers at min and max.", LOAD, "rw,bs", COND, 0,
	  plot_tmpl_box, emit_cpu, NEED_CPU, NULL, 0, 0,
	  { .xlabel = "vCPU the IO was submitted on", .ylabel = "latency ([u])", .yhi = NAN } },
};

/* The file-vs-device label of Fig. 6, from the tag or from the engine. */
static int add_target_kind(struct sample_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		const char *t = labels_get(&l->v[i]->labels, "target");

		if (!t)
			t = labels_get(&l->v[i]->labels, "target.0.kind");
		if (t && labels_set(&l->v[i]->labels, "target_kind", t))
			return -ENOMEM;
	}
	return 0;
}

int plot_all(struct plot_run *r)
{
	size_t i;
	int bad = 0;

	if (add_target_kind(r->l)) {
		fprintf(stderr, "vmlat: out of memory\n");
		return -1;
	}
	for (i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
		bad |= plot_spec(r, &specs[i]) != 0;
	bad |= plot_probes(r) != 0;
	return bad || r->failed ? -1 : 0;
}
