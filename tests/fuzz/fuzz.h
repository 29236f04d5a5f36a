/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz.h - one libFuzzer entry point per loader of analysis/core/load*.c.
 *
 * The loaders take a path, so each input is written to a memfd and read
 * back as /proc/self/fd/N: the same code path as a file on disk, with no
 * file system traffic.  Whatever a loader accepts must also survive
 * grouping and statistics, so accepted inputs go through those too.
 * Each input is loaded twice, on one thread and on three (vmlat logs in
 * spans of 7 records, so small inputs take many rounds), and the two
 * loads must agree to the byte: verdict, message, sets, labels, samples
 * (issue 15: the parallel readers trade no exactness for speed).
 * Build the fuzzers with `make fuzz` (clang); tests/cli/test_fuzz_corpus.sh
 * replays tests/fuzz/corpus/ with tests/fuzz/replay.c under ASan and UBSan.
 */
#ifndef VMLAT_FUZZ_H
#define VMLAT_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/group.h"
#include "core/load.h"
#include "core/stats.h"

typedef int (*fuzz_loader)(struct sample_list *, const char *, const struct load_opts *,
			   struct load_err *);

/*
 * stats_compute_any() of cell C's N samples in set order (the build makes
 * its thresholds tiny: every path) must equal WANT, stats_compute() of
 * them sorted.
 */
static inline void fuzz_any(const struct cell *c, size_t n, const struct stats *want)
{
	uint64_t *u;
	struct stats got;
	size_t at;

	if (group_cell_copy(c, &u, &at))
		return;
	if (at != n)
		abort();
	stats_compute_any(u, n, &got);
	if (memcmp(&got, want, sizeof(got)))
		abort(); /* selection and sort disagree */
	free(u);
}

static inline void fuzz_use(const struct sample_list *l)
{
	struct grouping g;
	char *keys[] = { "ddir", "bs" };
	size_t i, n;
	uint64_t *v;
	struct stats st;
	struct ctx_stats cs;

	if (group_build(&g, l, keys, 2))
		return;
	for (i = 0; i < g.ncells; i++) {
		if (group_cell_samples(&g.cells[i], &v, &n))
			continue;
		stats_compute(v, n, &st);
		fuzz_any(&g.cells[i], n, &st);
		free(v);
		group_cell_ctx(&g.cells[i], &cs);
	}
	group_release(&g);
}

/* Are arrays A and B of N elements of SIZE bytes both absent or equal? */
static inline int fuzz_same_array(const void *a, const void *b, size_t n, size_t size)
{
	if (!a || !b)
		return !a == !b;
	return !memcmp(a, b, n * size);
}

static inline int fuzz_same_set(const struct sample_set *a, const struct sample_set *b)
{
	size_t i;

	if (a->kind != b->kind || a->n != b->n || strcmp(a->source, b->source) ||
	    a->labels.n != b->labels.n || !a->hist != !b->hist)
		return 0;
	for (i = 0; i < a->labels.n; i++)
		if (strcmp(a->labels.v[i].key, b->labels.v[i].key) ||
		    strcmp(a->labels.v[i].value, b->labels.v[i].value))
			return 0;
	if (a->hist)
		return 1;
	if (a->ctx && b->ctx)
		for (i = 0; i < a->n; i++) /* field by field: struct padding is not data */
			if (a->ctx[i].rq_delay_ns != b->ctx[i].rq_delay_ns ||
			    a->ctx[i].cpu_submit != b->ctx[i].cpu_submit ||
			    a->ctx[i].cpu_complete != b->ctx[i].cpu_complete ||
			    a->ctx[i].bits != b->ctx[i].bits)
				return 0;
	return fuzz_same_array(a->lat_ns, b->lat_ns, a->n, 8) &&
	       fuzz_same_array(a->t_ns, b->t_ns, a->n, 8) &&
	       fuzz_same_array(a->max_ns, b->max_ns, a->n, 8) && !a->ctx == !b->ctx;
}

/* Load PATH on THREADS threads (vmlat logs in spans of SPAN records, or the default). */
static inline int fuzz_load(fuzz_loader load, const char *path, const char *threads,
			    const char *span, struct sample_list *l, struct load_err *e)
{
	struct load_opts o = { .want_time = 1 };

	setenv("VMLAT_THREADS", threads, 1);
	if (span)
		setenv("VMLAT_VLOG_SPAN", span, 1);
	else
		unsetenv("VMLAT_VLOG_SPAN");
	sample_list_init(l);
	memset(e, 0, sizeof(*e));
	return load(l, path, &o, e);
}

static inline int fuzz_run(fuzz_loader load, const uint8_t *data, size_t size)
{
	struct sample_list l1, l3;
	struct load_err e1, e3;
	char path[64];
	int fd = memfd_create("fuzz", 0), r1, r3;
	size_t i;

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	r1 = fuzz_load(load, path, "1", NULL, &l1, &e1);
	r3 = fuzz_load(load, path, "3", "7", &l3, &e3);
	if (r1 != r3 || strcmp(e1.msg, e3.msg) || e1.line != e3.line || e1.partial != e3.partial ||
	    l1.n != l3.n)
		abort(); /* one thread and three disagree */
	for (i = 0; i < l1.n; i++)
		if (!fuzz_same_set(l1.v[i], l3.v[i]))
			abort();
	if (!r1)
		fuzz_use(&l1);
	sample_list_release(&l1);
	sample_list_release(&l3);
	close(fd);
	return 0;
}

#define FUZZ_ENTRY(loader)                                                      \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);           \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)            \
	{                                                                       \
		return fuzz_run(loader, data, size);                            \
	}

#endif /* VMLAT_FUZZ_H */
