// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-touch.c - what a log window's pages cost after they are mapped,
 * with 4 KiB pages and with huge pages (BENCHMARKS.md, issue 16).
 *
 * Maps N windows of a file in DIR one after the other, as the log writer
 * does (fallocate, mmap MAP_SHARED, MADV_POPULATE_WRITE), then stores one
 * byte into each 64-byte line, as records would be.  Prints, per 4 KiB of
 * window, the microseconds of the pre-fault and of the stores, and the
 * minor faults the stores took (0: the pre-fault left nothing to do for
 * the guest kernel).  With HUGE=1 each window is mapped at a 2 MiB-aligned
 * address with MADV_HUGEPAGE, as the writer now does.
 *
 *   cc -O2 -o build/bench-touch scripts/bench-touch.c
 *   build/bench-touch DIR [WINDOW_BYTES [N]]     (4194304, 64)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define HUGE_BYTES (2ul << 20)

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static long minflt(void)
{
	struct rusage r;

	getrusage(RUSAGE_SELF, &r);
	return r.ru_minflt;
}

/* An address for LEN bytes, aligned to a huge page when HUGE (the slack
 * stays reserved, address space only, until exit). */
static char *place(size_t len, int huge)
{
	size_t slack = huge ? HUGE_BYTES : 0;
	char *p = mmap(NULL, len + slack, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	return huge ? (char *)(((uintptr_t)p + slack - 1) & ~(uintptr_t)(slack - 1)) : p;
}

int main(int argc, char **argv)
{
	size_t win = argc > 2 ? strtoul(argv[2], NULL, 0) : 4u << 20;
	int n = argc > 3 ? atoi(argv[3]) : 64, huge = getenv("HUGE") && *getenv("HUGE") == '1';
	double t_pop = 0, t_store = 0;
	long faults = 0;
	char path[4096];
	int fd;

	if (argc < 2 || !win || win % 4096)
		return fprintf(stderr, "usage: [HUGE=1] %s DIR [WINDOW_BYTES [N]]\n", argv[0]), 2;
	snprintf(path, sizeof(path), "%s/bench-touch.%d", argv[1], (int)getpid());
	fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return perror(path), 1;
	unlink(path);
	for (int i = 0; i < n; i++) {
		char *at = place(win, huge), *p;
		double t0, t1, t2;
		long f;

		if (!at || posix_fallocate(fd, (off_t)i * win, win))
			return perror("window"), 1;
		p = mmap(at, win, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, (off_t)i * win);
		if (p == MAP_FAILED)
			return perror("mmap"), 1;
		if (huge)
			madvise(p, win, MADV_HUGEPAGE);
		t0 = now_us();
		madvise(p, win, 23 /* MADV_POPULATE_WRITE */);
		t1 = now_us();
		f = minflt();
		for (size_t k = 0; k < win; k += 64)
			((volatile char *)p)[k] = 1;
		t2 = now_us();
		faults += minflt() - f;
		t_pop += t1 - t0;
		t_store += t2 - t1;
		munmap(p, win);
	}
	printf("%s pages, %zu-byte windows x %d: per 4 KiB: pre-fault %.2f us, stores %.2f us; "
	       "faults in the stores %ld\n", huge ? "huge" : "4 KiB", win, n,
	       t_pop / n / (win / 4096), t_store / n / (win / 4096), faults);
	close(fd);
	return 0;
}
