/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * samples.c - labels and labeled sample sets (see samples.h).
 *
 * Label lists are small (tens of keys), so lookups are linear: simpler
 * than a hash and fast enough for thousands of sets.  A vmlat header may
 * still carry tens of thousands of keys (issue 11: 80,000 took 14 s, each
 * insertion scanning all before it), so past LABELS_LINEAR pairs a list
 * grows an open-addressing hash of its positions: linear time overall.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "memroom.h"
#include "samples.h"

void labels_init(struct labels *l)
{
	memset(l, 0, sizeof(*l));
}

#define LABELS_LINEAR 32

static size_t key_hash(const char *key)
{
	size_t h = 1469598103934665603ULL; /* FNV-1a */

	for (; *key; key++)
		h = (h ^ (unsigned char)*key) * 1099511628211ULL;
	return h;
}

/* The index slot of KEY: its position + 1, or the empty slot it would take. */
static size_t *index_slot(const struct labels *l, const char *key)
{
	size_t mask = l->index_cap - 1, i = key_hash(key) & mask;

	while (l->index[i] && strcmp(l->v[l->index[i] - 1].key, key))
		i = (i + 1) & mask;
	return &l->index[i];
}

/* (Re)build the index at twice the load it must carry; 0 or -ENOMEM. */
static int index_build(struct labels *l)
{
	size_t cap = 64, i;

	while (cap < 4 * l->n)
		cap *= 2;
	free(l->index);
	l->index = calloc(cap, sizeof(*l->index));
	l->index_cap = l->index ? cap : 0;
	if (!l->index)
		return -ENOMEM;
	for (i = 0; i < l->n; i++)
		*index_slot(l, l->v[i].key) = i + 1;
	return 0;
}

static struct label *labels_find(const struct labels *l, const char *key)
{
	size_t i;

	if (l->index) {
		i = *index_slot(l, key);
		return i ? &l->v[i - 1] : NULL;
	}
	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].key, key))
			return &l->v[i];
	return NULL;
}

/* After pair N-1 was appended: keep the index, once there is one, whole. */
static int index_add(struct labels *l)
{
	if (l->n <= LABELS_LINEAR)
		return 0;
	if (!l->index || 2 * l->n > l->index_cap)
		return index_build(l);
	*index_slot(l, l->v[l->n - 1].key) = l->n;
	return 0;
}

int labels_set(struct labels *l, const char *key, const char *value)
{
	struct label *p = labels_find(l, key);
	char *v = strdup(value);

	if (!v)
		return -ENOMEM;
	if (p) {
		free(p->value);
		p->value = v;
		return 0;
	}
	if (l->n == l->alloc) {
		size_t alloc = l->alloc ? 2 * l->alloc : 16;
		struct label *nv = realloc(l->v, alloc * sizeof(*nv));

		if (!nv)
			goto nomem;
		l->v = nv;
		l->alloc = alloc;
	}
	l->v[l->n].key = strdup(key);
	if (!l->v[l->n].key)
		goto nomem;
	l->v[l->n++].value = v;
	return index_add(l);
nomem:
	free(v);
	return -ENOMEM;
}

int labels_default(struct labels *l, const char *key, const char *value)
{
	return labels_find(l, key) ? 0 : labels_set(l, key, value);
}

const char *labels_get(const struct labels *l, const char *key)
{
	const struct label *p = labels_find(l, key);

	return p ? p->value : NULL;
}

int labels_merge(struct labels *to, const struct labels *from)
{
	size_t i;
	int ret = 0;

	for (i = 0; from && i < from->n && !ret; i++)
		ret = labels_set(to, from->v[i].key, from->v[i].value);
	return ret;
}

void labels_release(struct labels *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].value);
	}
	free(l->v);
	free(l->index);
	labels_init(l);
}

struct sample_set *sample_set_new(const char *source, enum samples_kind kind)
{
	struct sample_set *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->source = strdup(source);
	if (!s->source) {
		free(s);
		return NULL;
	}
	s->kind = kind;
	labels_init(&s->labels);
	return s;
}

static int grow(void **p, size_t elem, size_t alloc)
{
	void *np = realloc(*p, elem * alloc);

	if (!np)
		return -ENOMEM;
	*p = np;
	mem_huge_pages(np, elem * alloc);
	return 0;
}

/* Grow every array the set keeps to ALLOC entries. */
static int sample_set_grow(struct sample_set *s, size_t alloc)
{
	if (grow((void **)&s->lat_ns, sizeof(uint64_t), alloc))
		return -ENOMEM;
	if (s->t_ns && grow((void **)&s->t_ns, sizeof(uint64_t), alloc))
		return -ENOMEM;
	if (s->max_ns && grow((void **)&s->max_ns, sizeof(uint64_t), alloc))
		return -ENOMEM;
	if (s->ctx && grow((void **)&s->ctx, sizeof(struct io_ctx), alloc))
		return -ENOMEM;
	s->alloc = alloc;
	return 0;
}

/*
 * The first sample decides which optional arrays the set keeps (made as
 * large as what sample_set_reserve() already reserved).
 */
static int sample_set_first(struct sample_set *s, const uint64_t *t_ns, const uint64_t *max_ns,
			    const struct io_ctx *ctx)
{
	size_t n = s->alloc ? s->alloc : 1;

	if ((t_ns && !s->t_ns && !(s->t_ns = malloc(n * sizeof(uint64_t)))) ||
	    (max_ns && !s->max_ns && !(s->max_ns = malloc(n * sizeof(uint64_t)))) ||
	    (ctx && !s->ctx && !(s->ctx = malloc(n * sizeof(struct io_ctx)))))
		return -ENOMEM;
	return 0;
}

int sample_set_push(struct sample_set *s, uint64_t lat_ns, const uint64_t *t_ns,
		    const uint64_t *max_ns, const struct io_ctx *ctx)
{
	int ret;

	if (s->hist) {
		hist_add(s->hist, lat_ns);
		s->n++;
		return 0;
	}
	if (!s->n && (ret = sample_set_first(s, t_ns, max_ns, ctx)))
		return ret;
	if (!t_ns != !s->t_ns || !max_ns != !s->max_ns || !ctx != !s->ctx)
		return -EINVAL;
	if (s->n == s->alloc && (ret = sample_set_grow(s, s->alloc ? 2 * s->alloc : 1024)))
		return ret;
	s->lat_ns[s->n] = lat_ns;
	if (t_ns)
		s->t_ns[s->n] = *t_ns;
	if (max_ns)
		s->max_ns[s->n] = *max_ns;
	if (ctx)
		s->ctx[s->n] = *ctx;
	s->n++;
	return 0;
}

int sample_set_reserve(struct sample_set *s, size_t more, int with_t)
{
	if (s->hist)
		return 0;
	if (!s->n && with_t && !s->t_ns && !(s->t_ns = malloc(sizeof(uint64_t))))
		return -ENOMEM;
	if (s->alloc - s->n >= more)
		return 0;
	return sample_set_grow(s, s->n + more);
}

void sample_set_adopt(struct sample_set *s, uint64_t *lat, uint64_t *t, size_t n)
{
	free(s->lat_ns);
	free(s->t_ns);
	s->lat_ns = lat;
	s->t_ns = t;
	s->n = s->alloc = n;
}

int sample_set_ctx_on(struct sample_set *s)
{
	if (s->ctx || s->hist)
		return 0;
	s->ctx = calloc(s->alloc ? s->alloc : 1, sizeof(*s->ctx));
	return s->ctx ? 0 : -ENOMEM;
}

int sample_set_use_hist(struct sample_set *s)
{
	if (s->n)
		return -EINVAL;
	s->hist = malloc(sizeof(*s->hist));
	if (!s->hist)
		return -ENOMEM;
	hist_init(s->hist);
	return 0;
}

void sample_set_free(struct sample_set *s)
{
	if (!s)
		return;
	labels_release(&s->labels);
	free(s->source);
	free(s->lat_ns);
	free(s->t_ns);
	free(s->max_ns);
	free(s->ctx);
	free(s->hist);
	free(s);
}

void sample_list_init(struct sample_list *l)
{
	memset(l, 0, sizeof(*l));
}

int sample_list_add(struct sample_list *l, struct sample_set *s)
{
	if (l->n == l->alloc) {
		size_t alloc = l->alloc ? 2 * l->alloc : 16;
		struct sample_set **nv = realloc(l->v, alloc * sizeof(*nv));

		if (!nv) {
			sample_set_free(s);
			return -ENOMEM;
		}
		l->v = nv;
		l->alloc = alloc;
	}
	l->v[l->n++] = s;
	return 0;
}

void sample_list_release(struct sample_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		sample_set_free(l->v[i]);
	free(l->v);
	sample_list_init(l);
}

int sample_list_file_seen(const struct sample_list *l, size_t i)
{
	const char *f = labels_get(&l->v[i]->labels, "file");
	size_t j;

	for (j = 0; f && j < i; j++) {
		const char *g = labels_get(&l->v[j]->labels, "file");

		if (g && !strcmp(f, g))
			return 1;
	}
	return 0;
}

int label_number(const char *value, double *out)
{
	char *end;

	if (!*value)
		return -1;
	*out = strtod(value, &end);
	return *end || !isfinite(*out) ? -1 : 0;
}
