/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz.h - one libFuzzer entry point per loader of analysis/core/load*.c.
 *
 * The loaders take a path, so each input is written to a memfd and read
 * back as /proc/self/fd/N: the same code path as a file on disk, with no
 * file system traffic.  Whatever a loader accepts must also survive
 * grouping and statistics, so accepted inputs go through those too.
 * Build the fuzzers with `make fuzz` (clang); tests/cli/test_fuzz_corpus.sh
 * replays tests/fuzz/corpus/ with tests/fuzz/replay.c under ASan and UBSan.
 */
#ifndef VMLAT_FUZZ_H
#define VMLAT_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/group.h"
#include "core/load.h"
#include "core/stats.h"

typedef int (*fuzz_loader)(struct sample_list *, const char *, const struct load_opts *,
			   struct load_err *);

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
		free(v);
		group_cell_ctx(&g.cells[i], &cs);
	}
	group_release(&g);
}

static inline int fuzz_run(fuzz_loader load, const uint8_t *data, size_t size)
{
	struct sample_list l;
	struct load_opts o = { .want_time = 1 };
	struct load_err e;
	char path[64];
	int fd = memfd_create("fuzz", 0);

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	sample_list_init(&l);
	if (!load(&l, path, &o, &e))
		fuzz_use(&l);
	sample_list_release(&l);
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
