/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pair.c - count each IO once when a run left two records of it.
 *
 * A fio run with the vmlat engine leaves the engine's per-IO log and, when
 * fio was asked for it, fio's JSON of the same jobs (`make demo` keeps both
 * in build/study-a).  Read together they are two sources of the same IOs,
 * and the JSON adds the run's other jobs (a warmup, background load),
 * which are context of the measurement, not measurements.  So a fio JSON
 * job is dropped when a vmlat log of the same run is loaded:
 *
 *   same job     the JSON's jobname is the log's job_name, and the job ran
 *                the vmlat engine (ioengine names vmlat.so);
 *   same host    the JSON's hostname (fio --client), when it has one, is
 *                the log's hostname;
 *   same run     same fio_version, and the log started within the JSON's
 *                run: no later than fio wrote the JSON (timestamp_ms), no
 *                earlier than the longest job's elapsed seconds (+2 s for
 *                rounding and setup) before it.
 *
 * The per-IO log is kept (exact statistics, per-IO context).  Once one job
 * of a JSON file is paired, the file's jobs that wrote no per-IO log
 * (another engine, or vmlat_log=0) are dropped too, as that run's
 * background.  Jobs with a log of their own that was not loaded are kept:
 * nothing else counts their IOs.  Every drop is reported, once per file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pair.h"

static int is(const struct sample_set *s, const char *key, const char *value)
{
	const char *v = labels_get(&s->labels, key);

	return v && !strcmp(v, value);
}

/* Did the JSON job of S run the vmlat engine with its log on? */
static int logs_per_io(const struct sample_set *s)
{
	const char *eng = labels_get(&s->labels, "ioengine");

	return eng && strstr(eng, "vmlat") && !is(s, "vmlat_log", "0");
}

static int same_text(const struct sample_set *a, const struct sample_set *b, const char *key)
{
	const char *x = labels_get(&a->labels, key), *y = labels_get(&b->labels, key);

	return !x || !y || !strcmp(x, y);
}

/* Did the vmlat log V start within the run the JSON set J describes? */
static int same_run(const struct sample_set *j, const struct sample_set *v)
{
	double end_ms, elapsed_s, start_ns;

	if (label_number(labels_get(&j->labels, "fio_timestamp_ms"), &end_ms) ||
	    label_number(labels_get(&j->labels, "fio_elapsed_s"), &elapsed_s) ||
	    label_number(labels_get(&v->labels, "start_realtime_ns"), &start_ns))
		return 0;
	return start_ns / 1e6 <= end_ms + 1000 && start_ns / 1e6 >= end_ms - (elapsed_s + 2) * 1000;
}

/* The vmlat log set that holds the IOs of JSON set J, or NULL. */
static const struct sample_set *twin(const struct sample_list *l, const struct sample_set *j)
{
	const char *job = labels_get(&j->labels, "job");
	size_t i;

	if (!job || !logs_per_io(j))
		return NULL;
	for (i = 0; i < l->n; i++) {
		const struct sample_set *v = l->v[i];

		if (is(v, "source", "vlog") && is(v, "job_name", job) && same_text(j, v, "hostname") &&
		    same_text(j, v, "fio_version") && same_run(j, v))
			return v;
	}
	return NULL;
}

struct drops {
	const char **why;	/* per set: NULL kept, else the log it defers to */
	int *background;	/* per set: dropped as the run's background */
};

/* Mark the JSON sets of FILE that wrote no per-IO log as background of LOG. */
static void drop_background(const struct sample_list *l, struct drops *d, const char *file,
			    const char *log)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!d->why[i] && is(l->v[i], "source", "fiojson") && is(l->v[i], "file", file) &&
		    !logs_per_io(l->v[i])) {
			d->why[i] = log;
			d->background[i] = 1;
		}
}

/* Append "NAME" to the list in BUF unless it is there already. */
static void add_name(char *buf, size_t len, const char *name)
{
	size_t at = strlen(buf), nl = strlen(name);
	const char *p;

	for (p = buf; (p = strstr(p, name)); p += nl)
		if ((p == buf || p[-1] == ' ') && (p[nl] == ',' || !p[nl]))
			return;
	snprintf(buf + at, len - at, "%s%s", at ? ", " : "", name);
}

/* One note per file: which jobs went, and why. */
static void say_file(const struct sample_list *l, const struct drops *d, size_t first,
		     pair_note_fn note, void *ctx)
{
	const char *file = labels_get(&l->v[first]->labels, "file");
	char paired[512] = "", bg[512] = "", msg[1400];
	size_t i;

	for (i = first; i < l->n; i++) {
		if (!d->why[i] || !is(l->v[i], "file", file))
			continue;
		add_name(d->background[i] ? bg : paired, sizeof(paired),
			 labels_get(&l->v[i]->labels, "job"));
	}
	snprintf(msg, sizeof(msg), "skipped, the same run as %s, read per IO from it: job %s%s%s",
		 d->why[first], paired, bg[0] ? "; its background (no per-IO log): " : "", bg);
	note(ctx, file, msg);
}

static void remove_dropped(struct sample_list *l, const struct drops *d, pair_note_fn note,
			   void *ctx)
{
	size_t i, k = 0, j;

	for (i = 0; i < l->n; i++) {
		const char *file = labels_get(&l->v[i]->labels, "file");
		int said = 0;

		for (j = 0; j < i && d->why[i] && !said; j++)
			said = d->why[j] && is(l->v[j], "file", file);
		if (d->why[i] && !said)
			say_file(l, d, i, note, ctx);
	}
	for (i = 0; i < l->n; i++) {
		if (d->why[i])
			sample_set_free(l->v[i]);
		else
			l->v[k++] = l->v[i];
	}
	l->n = k;
}

int pair_inputs(struct sample_list *l, pair_note_fn note, void *ctx)
{
	struct drops d;
	size_t i;

	d.why = calloc(l->n + 1, sizeof(*d.why));
	d.background = calloc(l->n + 1, sizeof(*d.background));
	if (!d.why || !d.background) {
		free(d.why);
		free(d.background);
		return -ENOMEM;
	}
	for (i = 0; i < l->n; i++) {
		const struct sample_set *v;

		if (!is(l->v[i], "source", "fiojson") || !(v = twin(l, l->v[i])))
			continue;
		d.why[i] = labels_get(&v->labels, "file");
		drop_background(l, &d, labels_get(&l->v[i]->labels, "file"), d.why[i]);
	}
	remove_dropped(l, &d, note, ctx);
	free(d.why);
	free(d.background);
	return 0;
}
