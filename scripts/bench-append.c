// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-append.c - what the log costs per IO, finer than fio can say on a
 * loaded machine (BENCHMARKS.md, issue 16).
 *
 * The engine's psync path without fio: 4 KiB random preads from a
 * page-cached FILE, a clock read and two sched_getcpu() each, in blocks of
 * BLOCK IOs, alternately with and without a vlog_writer_append() of the
 * record (order swapped every pair).  A pair's ratio is the block's thread
 * CPU time without the log over the time with it (IOPS with / without, as
 * far as the CPU is concerned); printed: median and quartiles of PAIRS
 * ratios.  Short alternated blocks and CPU time rather than wall time make
 * other tenants' load cancel out far better than 5 s fio jobs do.
 *
 *   cc -O2 -std=gnu11 -D_GNU_SOURCE -Ilib -o build/bench-append \
 *       scripts/bench-append.c lib/vlog_write.c lib/vlog_prep.c lib/vlog.c -pthread
 *   taskset -c 1 build/bench-append FILE [PAIRS [BLOCK [WINDOW_BYTES]]]
 */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "vlog.h"

static double cpu_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return t.tv_sec + t.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* One block of N IOs; returns its thread CPU seconds, or -1. */
static double block(int fd, off_t pages, struct vlog_writer *w, int n, unsigned long long *x)
{
	static char buf[4096] __attribute__((aligned(4096)));
	double t0 = cpu_s();

	for (int i = 0; i < n; i++) {
		struct vlog_rec rec = { 0 };
		struct timespec a, b;
		off_t off;

		*x ^= *x << 13, *x ^= *x >> 7, *x ^= *x << 17;
		off = (off_t)(*x % (unsigned long long)pages) * 4096;
		clock_gettime(CLOCK_MONOTONIC, &a);
		rec.cpu_submit = (uint16_t)sched_getcpu();
		if (pread(fd, buf, sizeof(buf), off) != (ssize_t)sizeof(buf))
			return -1;
		clock_gettime(CLOCK_MONOTONIC, &b);
		rec.cpu_complete = (uint16_t)sched_getcpu();
		rec.lat_ns = (uint64_t)(b.tv_sec - a.tv_sec) * 1000000000u + (uint64_t)(b.tv_nsec - a.tv_nsec);
		rec.offset = (uint64_t)off;
		rec.len = 4096;
		if (w && vlog_writer_append(w, &rec))
			return -1;
		__asm__ volatile("" : : "r"(&rec) : "memory"); /* the record is built either way */
	}
	return cpu_s() - t0;
}

int main(int argc, char **argv)
{
	int pairs = argc > 2 ? atoi(argv[2]) : 200, n = argc > 3 ? atoi(argv[3]) : 20000;
	uint32_t window = argc > 4 ? (uint32_t)strtoul(argv[4], NULL, 0) : 0;
	unsigned long long x = 88172645463325252ull;
	struct vlog_writer w;
	struct vlog_text t;
	char path[4200];
	double *r;
	off_t pages;
	int fd;

	if (argc < 2 || pairs < 4 || n < 1)
		return fprintf(stderr, "usage: %s FILE [PAIRS [BLOCK [WINDOW_BYTES]]]\n", argv[0]), 2;
	fd = open(argv[1], O_RDONLY);
	pages = fd < 0 ? 0 : lseek(fd, 0, SEEK_END) / 4096;
	r = calloc((size_t)pairs, sizeof(*r));
	if (pages < 1 || !r)
		return perror(argv[1]), 1;
	snprintf(path, sizeof(path), "%s.bench-append.%d.vmlat", argv[1], (int)getpid());
	vlog_text_init(&t);
	if (vlog_text_add_format(&t) || vlog_writer_open(&w, path, &t, window, 0))
		return perror(path), 1;
	for (int p = 0; p < pairs; p++) {
		double with, without;

		if (p & 1) {
			with = block(fd, pages, &w, n, &x);
			without = block(fd, pages, NULL, n, &x);
		} else {
			without = block(fd, pages, NULL, n, &x);
			with = block(fd, pages, &w, n, &x);
		}
		if (with <= 0 || without < 0)
			return fprintf(stderr, "%s: IO or log failed\n", argv[0]), 1;
		r[p] = without / with;
	}
	qsort(r, (size_t)pairs, sizeof(*r), cmp);
	printf("log/no-log IOPS (thread CPU time), %d pairs of %d IOs: median %.4f, quartiles %.4f %.4f\n",
	       pairs, n, r[pairs / 2], r[pairs / 4], r[3 * pairs / 4]);
	vlog_writer_close(&w);
	unlink(path);
	vlog_text_release(&t);
	free(r);
	return 0;
}
