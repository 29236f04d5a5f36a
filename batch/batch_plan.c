/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * batch_plan.c - the config expanded into cells, in the order they run.
 *
 * Guest by guest within each matrix (a guest that goes down loses a run of
 * consecutive cells, which the progress lines make plain), then job, then
 * neighbour load.  A cell is named after its job file, plus '+' and the
 * neighbour's load ('+idle', '+load-cpu') under a 2-VM condition; two
 * cells of one guest with one name would share a directory, so that is a
 * config error naming both matrices.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "cmd.h"

void batch_stem(const char *path, char *out, size_t len)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 4 && !strcmp(base + n - 4, ".fio"))
		n -= 4;
	snprintf(out, len, "%.*s", (int)n, base);
}

static int has_key(const struct strv *labels, const char *kv)
{
	size_t i, klen = strcspn(kv, "=");

	for (i = 0; i < labels->n; i++)
		if (!strncmp(labels->v[i], kv, klen) && labels->v[i][klen] == '=')
			return 1;
	return 0;
}

int bcell_labels(const struct bcell *x, struct strv *out)
{
	size_t i;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < x->g->labels.n && !ret; i++)
		if (!has_key(&x->m->labels, x->g->labels.v[i]))
			ret = strv_push(out, x->g->labels.v[i]);
	for (i = 0; i < x->m->labels.n && !ret; i++)
		ret = strv_push(out, x->m->labels.v[i]);
	return ret;
}

int bcell_tags(const struct bcell *x, char *out, size_t len)
{
	struct strv labels;
	size_t i;
	int n;

	if (bcell_labels(x, &labels))
		return -1;
	n = snprintf(out, len, "guest=%s", x->g->name);
	for (i = 0; i < labels.n && n >= 0 && (size_t)n < len; i++)
		n += snprintf(out + n, len - (size_t)n, ",%s", labels.v[i]);
	if (x->nb && n >= 0 && (size_t)n < len) {
		char load[120];

		batch_stem(x->load, load, sizeof(load));
		n += snprintf(out + n, len - (size_t)n, ",neighbour=%s,neighbour_load=%s",
			      x->nb->name, load);
	}
	strv_release(&labels);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

static int clash(const struct bconf *c, const struct bcell *cells, size_t n, const struct bcell *x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (cells[i].g == x->g && !strcmp(cells[i].name, x->name)) {
			say_error("%s:%d: guest '%s' would run cell '%s' twice "
				"(also in [matrix %s], line %d)", c->path, x->m->line, x->g->name,
				x->name, cells[i].m->name, cells[i].m->line);
			return 1;
		}
	return 0;
}

static int add(const struct bconf *c, struct bcell **cells, size_t *n, struct bcell *x)
{
	char job[120], load[120]; /* with '+', fits name[256] */
	struct bcell *a;

	batch_stem(x->job, job, sizeof(job));
	if (x->load) {
		batch_stem(x->load, load, sizeof(load));
		snprintf(x->name, sizeof(x->name), "%s+%s", job, load);
	} else {
		snprintf(x->name, sizeof(x->name), "%s", job);
	}
	if (clash(c, *cells, *n, x))
		return -1;
	a = realloc(*cells, (*n + 1) * sizeof(*a));
	if (!a) {
		say_nomem();
		return -1;
	}
	a[(*n)++] = *x;
	*cells = a;
	return 0;
}

int bplan_make(const struct bconf *c, struct bcell **cells, size_t *ncells)
{
	size_t mi, gi, ji, li;

	*cells = NULL, *ncells = 0;
	for (mi = 0; mi < c->nmats; mi++) {
		const struct bmatrix *m = &c->mats[mi];
		size_t nl = m->neighbour ? m->loads.n : 1;

		for (gi = 0; gi < m->guests.n; gi++)
			for (ji = 0; ji < m->jobs.n; ji++)
				for (li = 0; li < nl; li++) {
					struct bcell x = {
						.g = bconf_guest(c, m->guests.v[gi]),
						.job = m->jobs.v[ji],
						.nb = m->neighbour ? bconf_guest(c, m->neighbour) : NULL,
						.load = m->neighbour ? m->loads.v[li] : NULL,
						.m = m,
					};

					if (add(c, cells, ncells, &x))
						return -1;
				}
	}
	return 0;
}
