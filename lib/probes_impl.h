/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * probes_impl.h - what the probe files share, and the OS seam.
 *
 * probes.c runs the probes and formats them; probes_bitop.c, probes_mem.c
 * and probes_tcp.c each measure one kind; the functions marked OS live in
 * probes_linux.c or probes_freebsd.c (the Makefile picks by uname), so a
 * port is one new file.  Nothing here is for callers outside lib/probes*.
 */
#ifndef VMLAT_PROBES_IMPL_H
#define VMLAT_PROBES_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "probes.h"

/*
 * Each probe repeats until its deadline (or its number of repetitions),
 * and always does at least the repetitions its median needs.  Measured on
 * the development machine (2 vCPUs, idle): bitop 10 ms, faults 2 x 40 ms,
 * mmap 60 ms, tcp 20 + 60 ms; under a load of 4 these deadlines decide.
 */
#define PROBES_BITOP_DEADLINE_NS 30000000ull
#define PROBES_PAGEFAULT_DEADLINE_NS 80000000ull /* each: file, anonymous */
#define PROBES_MMAP_DEADLINE_NS 100000000ull
#define PROBES_TCP_SAME_DEADLINE_NS 80000000ull
#define PROBES_TCP_CROSS_DEADLINE_NS 120000000ull

/* CLOCK_MONOTONIC in ns. */
uint64_t probes_now_ns(void);

/* Median of V[0..N-1] (sorts V); N >= 1. */
double probes_median(double *v, size_t n);

/* Set P to PROBE_OK with NS, or to STATE with a printf-style reason. */
void probes_set(struct probe_value *p, double ns);
void probes_fail(struct probe_value *p, enum probe_state state, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The measurements, each bounded by its own deadline (see probes.c). */
void probes_bitop(struct probes *p);
void probes_pagefault(int fd, struct probes *p);
void probes_mmap(int fd, struct probes *p);
void probes_tcp(struct probes *p);

/* ---- OS seam --------------------------------------------------------- */

/* A CPU affinity mask, large enough for 1024 CPUs. */
struct probes_mask {
	uint64_t bits[16];
};

/* OS: the calling thread's affinity into M.  0 or -errno. */
int probes_os_mask_get(struct probes_mask *m);

/* OS: make M the calling thread's affinity.  0 or -errno. */
int probes_os_mask_set(const struct probes_mask *m);

/* OS: whether CPU is in M, for CPU in [0, probes_os_mask_max()). */
int probes_os_mask_isset(const struct probes_mask *m, int cpu);
int probes_os_mask_max(void);

/* OS: pin the calling thread to CPU.  0 or -errno. */
int probes_os_pin(int cpu);

/* OS: the CPU the calling thread runs on now, or -1. */
int probes_os_cpu_now(void);

/* OS: minor faults of the calling thread so far, or -1 if unknown. */
long probes_os_minflt(void);

/* OS: keep [ADDR, ADDR+LEN) in base pages (no transparent huge pages). */
void probes_os_no_huge(void *addr, size_t len);

#endif /* VMLAT_PROBES_IMPL_H */
