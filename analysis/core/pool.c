/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pool.c - find a condition key that a layout would pool (see pool.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "group.h"
#include "pool.h"

static int in(char *const *v, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i], key))
			return 1;
	return 0;
}

/* Add KEY to the candidates unless it is there, a layout key or allowed. */
static int add_cand(struct labels *c, const char *key, char *const *keys, size_t nkeys,
		    char *const *allow, size_t nallow)
{
	if (labels_get(c, key) || in(keys, nkeys, key) || in(allow, nallow, key))
		return 0;
	return labels_set(c, key, "");
}

static int candidates(struct labels *c, const struct sample_list *l, char *const *keys,
		      size_t nkeys, char *const *allow, size_t nallow, const struct labels *user)
{
	size_t i, k;
	int ret = add_cand(c, "ddir", keys, nkeys, allow, nallow);

	ret = ret ? ret : add_cand(c, "metric", keys, nkeys, allow, nallow);
	for (k = 0; user && !ret && k < user->n; k++)
		ret = add_cand(c, user->v[k].key, keys, nkeys, allow, nallow);
	for (i = 0; !ret && i < l->n; i++)
		for (k = 0; !ret && k < l->v[i]->labels.n; k++) {
			const char *key = l->v[i]->labels.v[k].key;

			if (!strncmp(key, "tag.", 4) && key[4])
				ret = add_cand(c, key + 4, keys, nkeys, allow, nallow);
		}
	return ret;
}

static const char *value(const struct sample_set *s, const char *key)
{
	const char *v = labels_get(&s->labels, key);

	return v ? v : "";
}

/* Does KEY take two values in cell C?  1 with them in HIT. */
static int split(const struct cell *c, const char *key, struct pool_hit *hit)
{
	const char *first = NULL;
	size_t i, n = c->nsets + c->nsummaries;

	for (i = 0; i < n; i++) {
		const struct sample_set *s = i < c->nsets ? c->sets[i] : c->summaries[i - c->nsets];
		const char *v = value(s, key);

		if (!first)
			first = v;
		else if (strcmp(first, v)) {
			hit->key = strdup(key);
			hit->values[0] = strdup(first);
			hit->values[1] = strdup(v);
			return 1;
		}
	}
	return 0;
}

int pool_find(const struct sample_list *l, char *const *keys, size_t nkeys,
	      char *const *allow, size_t nallow, const struct labels *user, struct pool_hit *hit)
{
	struct grouping g;
	struct labels cand;
	size_t k, i;
	int ret, found = 0;

	memset(hit, 0, sizeof(*hit));
	labels_init(&cand);
	ret = candidates(&cand, l, keys, nkeys, allow, nallow, user);
	if (!ret)
		ret = group_build(&g, l, keys, nkeys);
	for (k = 0; !ret && !found && k < cand.n; k++) {
		for (i = 0; !found && i < g.ncells; i++)
			found = split(&g.cells[i], cand.v[k].key, hit);
	}
	if (!ret)
		group_release(&g);
	labels_release(&cand);
	if (found && (!hit->key || !hit->values[0] || !hit->values[1])) {
		pool_hit_release(hit);
		return -ENOMEM;
	}
	return ret ? ret : found;
}

void pool_hit_release(struct pool_hit *hit)
{
	free(hit->key);
	free(hit->values[0]);
	free(hit->values[1]);
	memset(hit, 0, sizeof(*hit));
}
