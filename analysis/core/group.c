/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * group.c - cells of sample sets by label values (see group.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "group.h"

int group_parse_keys(const char *spec, struct strv *keys)
{
	const char *p = spec;
	int ret = 0;

	keys->v = NULL;
	keys->n = 0;
	while (!ret) {
		size_t len = strcspn(p, ",");
		char *key = len ? strndup(p, len) : NULL;

		ret = !len ? -EINVAL : !key ? -ENOMEM : strv_push(keys, key);
		free(key);
		if (!p[len])
			break;
		p += len + 1;
	}
	if (ret)
		strv_release(keys);
	return ret;
}

static int any_has(const struct sample_list *l, const char *key)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (labels_get(&l->v[i]->labels, key))
			return 1;
	return 0;
}

int group_present_keys(const struct sample_list *l, const char *def, struct strv *keys)
{
	size_t i, kept = 0;
	int ret = group_parse_keys(def, keys);

	for (i = 0; !ret && i < keys->n; i++) {
		if (any_has(l, keys->v[i]))
			keys->v[kept++] = keys->v[i];
		else
			free(keys->v[i]);
	}
	if (!ret)
		keys->n = kept;
	return ret;
}

/* Numbers (decimal, maybe with a fraction) compare as numbers. */
static int as_number(const char *s, double *d)
{
	char *end;

	if (!*s)
		return 0;
	*d = strtod(s, &end);
	return !*end;
}

int group_value_cmp(const char *a, const char *b)
{
	double x, y;

	if (as_number(a, &x) && as_number(b, &y) && x != y)
		return x < y ? -1 : 1;
	return strcmp(a, b);
}

long group_find(const struct grouping *g, char *const *values)
{
	size_t i, k;

	for (i = 0; i < g->ncells; i++) {
		for (k = 0; k < g->keys.n; k++)
			if (strcmp(g->cells[i].values[k], values[k]))
				break;
		if (k == g->keys.n)
			return (long)i;
	}
	return -1;
}

static int push_set(struct sample_set ***v, size_t *n, struct sample_set *s)
{
	struct sample_set **nv = realloc(*v, (*n + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	nv[(*n)++] = s;
	*v = nv;
	return 0;
}

/* The cell for S's values, made when new. */
static struct cell *cell_for(struct grouping *g, const struct sample_set *s, char **values)
{
	long i = group_find(g, values);
	struct cell *nc, *c;
	size_t k;

	if (i >= 0)
		return &g->cells[i];
	nc = realloc(g->cells, (g->ncells + 1) * sizeof(*nc));
	if (!nc)
		return NULL;
	g->cells = nc;
	c = &nc[g->ncells];
	memset(c, 0, sizeof(*c));
	c->values = calloc(g->keys.n ? g->keys.n : 1, sizeof(char *));
	if (!c->values)
		return NULL;
	g->ncells++;
	for (k = 0; k < g->keys.n; k++)
		if (!(c->values[k] = strdup(values[k])))
			return NULL;
	(void)s;
	return c;
}

static int add_set(struct grouping *g, struct sample_set *s, char **values)
{
	struct cell *c;
	size_t k;

	for (k = 0; k < g->keys.n; k++) {
		const char *v = labels_get(&s->labels, g->keys.v[k]);

		values[k] = (char *)(v ? v : "");
	}
	c = cell_for(g, s, values);
	if (!c)
		return -ENOMEM;
	c->kinds |= 1u << s->kind;
	if (s->kind == SAMPLES_SUMMARY)
		return push_set(&c->summaries, &c->nsummaries, s);
	c->nsamples += s->n;
	return push_set(&c->sets, &c->nsets, s);
}

static size_t sort_nkeys; /* qsort has no context argument */

static int cell_cmp(const void *pa, const void *pb)
{
	const struct cell *a = pa, *b = pb;
	size_t k;
	int r;

	for (k = 0; k < sort_nkeys; k++)
		if ((r = group_value_cmp(a->values[k], b->values[k])))
			return r;
	return 0;
}

int group_build(struct grouping *g, const struct sample_list *l, char *const *keys, size_t nkeys)
{
	char **values;
	size_t i;
	int ret = 0;

	memset(g, 0, sizeof(*g));
	values = calloc(nkeys ? nkeys : 1, sizeof(char *));
	if (!values)
		ret = -ENOMEM;
	for (i = 0; !ret && i < nkeys; i++)
		ret = strv_push(&g->keys, keys[i]);
	for (i = 0; !ret && i < l->n; i++)
		ret = add_set(g, l->v[i], values);
	free(values);
	if (ret) {
		group_release(g);
		return ret;
	}
	sort_nkeys = g->keys.n;
	if (g->ncells > 1) /* qsort wants a non-NULL array even for 0 */
		qsort(g->cells, g->ncells, sizeof(*g->cells), cell_cmp);
	return 0;
}

void group_release(struct grouping *g)
{
	size_t i, k;

	for (i = 0; i < g->ncells; i++) {
		for (k = 0; g->cells[i].values && k < g->keys.n; k++)
			free(g->cells[i].values[k]);
		free(g->cells[i].values);
		free(g->cells[i].sets);
		free(g->cells[i].summaries);
	}
	free(g->cells);
	strv_release(&g->keys);
	memset(g, 0, sizeof(*g));
}

int group_cell_copy(const struct cell *c, uint64_t **out, size_t *n)
{
	uint64_t *v;
	size_t i, at = 0;

	*out = NULL;
	*n = 0;
	if (!c->nsamples)
		return 0;
	v = malloc(c->nsamples * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < c->nsets; i++) {
		if (!c->sets[i]->n) /* an empty set's lat_ns may be NULL: no memcpy from it */
			continue;
		memcpy(v + at, c->sets[i]->lat_ns, c->sets[i]->n * sizeof(*v));
		at += c->sets[i]->n;
	}
	*out = v;
	*n = at;
	return 0;
}

int group_cell_samples(const struct cell *c, uint64_t **out, size_t *n)
{
	int ret = group_cell_copy(c, out, n);

	if (!ret)
		stats_sort(*out, *n);
	return ret;
}

int group_cell_take(const struct cell *c, uint64_t **out, size_t *n)
{
	struct sample_set *first = NULL;
	uint64_t *v;
	size_t i, at;

	*out = NULL;
	*n = 0;
	for (i = 0; i < c->nsets && !first; i++)
		if (c->sets[i]->lat_ns && c->sets[i]->n)
			first = c->sets[i];
	if (!first)
		return 0;
	v = realloc(first->lat_ns, c->nsamples * sizeof(*v));
	if (!v)
		return -ENOMEM;
	first->lat_ns = NULL;
	first->alloc = 0;
	at = first->n;
	for (i = 0; i < c->nsets; i++) {
		struct sample_set *s = c->sets[i];

		if (s == first || !s->lat_ns || !s->n)
			continue;
		memcpy(v + at, s->lat_ns, s->n * sizeof(*v));
		at += s->n;
		free(s->lat_ns);
		s->lat_ns = NULL;
		s->alloc = 0;
	}
	*out = v;
	*n = at;
	return 0;
}

int group_cell_hist(const struct cell *c, struct hist **out)
{
	size_t i;

	*out = NULL;
	for (i = 0; i < c->nsets; i++) {
		if (!c->sets[i]->hist)
			continue;
		if (!*out) {
			*out = malloc(sizeof(**out));
			if (!*out)
				return -ENOMEM;
			hist_init(*out);
		}
		hist_merge(*out, c->sets[i]->hist);
	}
	return 0;
}

/* Run-queue delays of the cell, sorted, in a new array. */
static int cell_rq(const struct cell *c, struct ctx_stats *cs, uint64_t **out)
{
	size_t i, j, with_ctx = 1;
	uint64_t *v;

	for (i = 0; i < c->nsets; i++) /* sets of logs without context have none */
		with_ctx += c->sets[i]->ctx ? c->sets[i]->n : 0;
	v = malloc(with_ctx * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < c->nsets; i++) {
		const struct sample_set *s = c->sets[i];

		for (j = 0; s->ctx && j < s->n; j++) {
			const struct io_ctx *x = &s->ctx[j];

			if (x->bits & IO_CTX_CPU) {
				cs->cpu_known++;
				cs->cpu_changed += x->cpu_submit != x->cpu_complete;
			}
			if (x->bits & IO_CTX_RQ)
				v[cs->rq_n++] = x->rq_delay_ns;
		}
	}
	*out = v;
	return stats_sort(v, cs->rq_n);
}

/* Latencies of the IOs with a run-queue delay, sorted, in a new array. */
static int rq_latencies(const struct cell *c, uint64_t n, uint64_t **out)
{
	uint64_t *v = malloc((n ? n : 1) * sizeof(*v)), at = 0;
	size_t i, j;

	if (!v)
		return -ENOMEM;
	for (i = 0; i < c->nsets; i++)
		for (j = 0; c->sets[i]->ctx && c->sets[i]->lat_ns && j < c->sets[i]->n; j++)
			if (c->sets[i]->ctx[j].bits & IO_CTX_RQ && at < n)
				v[at++] = c->sets[i]->lat_ns[j];
	*out = v;
	return stats_sort(v, at);
}

/* The IOs above the p99 of their latencies: how much was run-queue delay. */
static int rq_tail(const struct cell *c, struct ctx_stats *cs)
{
	uint64_t *lat = NULL, p99;
	size_t i, j;
	int ret = rq_latencies(c, cs->rq_n, &lat);

	if (ret)
		return ret;
	p99 = stats_pct(lat, cs->rq_n, 99);
	free(lat);
	for (i = 0; i < c->nsets; i++) {
		const struct sample_set *s = c->sets[i];

		for (j = 0; s->ctx && s->lat_ns && j < s->n; j++) {
			if (!(s->ctx[j].bits & IO_CTX_RQ) || s->lat_ns[j] <= p99)
				continue;
			cs->tail_n++;
			cs->tail_rq_n += s->ctx[j].rq_delay_ns > 0;
			cs->tail_rq_ns += s->ctx[j].rq_delay_ns;
			cs->tail_lat_ns += (double)s->lat_ns[j];
		}
	}
	return 0;
}

int group_cell_ctx(const struct cell *c, struct ctx_stats *cs)
{
	uint64_t *rq = NULL;
	int ret;

	memset(cs, 0, sizeof(*cs));
	ret = cell_rq(c, cs, &rq);
	if (!ret && cs->rq_n) {
		cs->rq_p50_ns = stats_pct(rq, cs->rq_n, 50);
		cs->rq_p99_ns = stats_pct(rq, cs->rq_n, 99);
		cs->rq_max_ns = rq[cs->rq_n - 1];
	}
	free(rq);
	if (!ret && cs->rq_n)
		ret = rq_tail(c, cs);
	return ret;
}
