/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * probes.h - Study B's four micro-probes (lmbench 3 style), measured where
 * the IO runs.
 *
 * Study B's lesson is that a single "overhead %" of a platform means
 * nothing: each class of OS operation pays its own price.  So next to every
 * per-IO log the engine records four such prices, measured in the same
 * guest a moment before the first IO, and `vmlat detect --probes` measures
 * the same on the command line:
 *
 *   bitop     ns per dependent integer bit operation.  Runs natively on
 *             every platform, so it is the yardstick: a bitop that differs
 *             between two logs says the CPUs differ, not the hypervisors.
 *             The chain r ^= i; s ^= r; r |= s; is lmbench's, with an
 *             empty asm barrier after each operation: GCC 12 -O2 otherwise
 *             reassociates the chain (0.20 ns/op on a ~3 GHz CPU, less
 *             than a cycle) and the number is the compiler's, not the CPU's.
 *   pagefault the cost of first touching a page, both of a page-cache file
 *             mapped PROT_READ, MAP_SHARED (touched in a fixed random
 *             order) and of anonymous memory (written; transparent huge
 *             pages refused with madvise where the OS has them).  Each is
 *             time(map, touch, unmap) minus time(map, unmap), divided per
 *             page touched and per fault taken: Linux's fault-around maps up
 *             to 16 page-cache pages per read fault (fault_around_bytes),
 *             so per page and per fault differ by that factor.  Faults are
 *             the calling thread's minor-fault count (getrusage).
 *   mmap      ns per cycle of: map the same file read-write MAP_SHARED,
 *             write one byte every 16 KiB in its first tenth, unmap
 *             (lmbench's lat_mmap; probe.mmap_bytes gives the size).
 *   tcp       ns per 1-byte round trip between two threads over a
 *             127.0.0.1 TCP connection (no TCP_NODELAY, as lmbench),
 *             with both threads pinned to one vCPU, and then to two
 *             different vCPUs.  Placement dominates the result (on a KVM
 *             guest here: ~15 us vs ~75 us), so both are recorded, with
 *             the vCPUs used; the caller's affinity is restored after.
 *
 * Every value is the median of several repetitions (interrupts and
 * preemption only ever add time; the median ignores a few of them), and
 * every probe stops at its own deadline (probes_impl.h: 490 ms in all,
 * plus at most one repetition each past it), so all of them together
 * take a few hundred ms, under PROBES_BUDGET_MS on an idle machine.  The
 * scratch file (PROBES_MMAP_BYTES; its first PROBES_PAGEFAULT_BYTES for
 * the fault probe) is created in a caller-given directory and unlinked at
 * once: its file system is part of what the file probes measure.
 *
 * OS-specific parts (pinning, fault counting, madvise) are behind
 * probes_os.h: probes_linux.c, probes_freebsd.c.
 */
#ifndef VMLAT_PROBES_H
#define VMLAT_PROBES_H

#include <stddef.h>
#include <stdint.h>

#define PROBES_WHY_BYTES 160
#define PROBES_DIR_BYTES 256
#define PROBES_MMAP_BYTES (8u << 20)	   /* lmbench's summary size */
#define PROBES_PAGEFAULT_BYTES (2u << 20) /* 512 pages: 32 faults with fault-around */
#define PROBES_BUDGET_MS 1000

enum probe_state {
	PROBE_FAILED = 0, /* could not measure: why says why (an error) */
	PROBE_OK = 1,	  /* ns holds the value */
	PROBE_NA = 2,	  /* does not apply here (one vCPU): why says why */
};

struct probe_value {
	enum probe_state state;
	double ns;
	char why[PROBES_WHY_BYTES];
};

/* The results; probes_emit() gives the keys in this order. */
struct probes {
	struct probe_value bitop;	      /* ns per operation */
	struct probe_value pf_file_page;      /* ns per page touched */
	struct probe_value pf_file_fault;     /* ns per minor fault taken */
	struct probe_value pf_anon_page;
	struct probe_value pf_anon_fault;
	struct probe_value mmap;	      /* ns per map-touch-unmap cycle */
	struct probe_value tcp_same;	      /* ns per round trip, one vCPU */
	struct probe_value tcp_cross;	      /* ns per round trip, two vCPUs */
	double pf_file_pages_per_fault;	      /* 0 when unknown */
	double pf_anon_pages_per_fault;
	uint64_t pagefault_bytes;	      /* size of each fault region */
	uint64_t mmap_bytes;		      /* size mapped per mmap cycle */
	int cpu_a, cpu_b;		      /* vCPUs of the tcp probes; -1 unknown */
	char dir[PROBES_DIR_BYTES];	      /* where the scratch file was */
	uint64_t total_ns;		      /* wall time of probes_run() */
};

/*
 * probes_run - measure all four probes into P.  DIR: directory for the
 * scratch file (NULL: "/tmp").  Never fails as a whole: a probe that cannot
 * run is PROBE_FAILED (or PROBE_NA) with a reason, and the others still run.
 * The calling thread's CPU affinity is the same on return.  Returns the
 * number of PROBE_FAILED values (0 when everything was measured or n/a).
 * Not thread-safe with itself: callers run it once (see engine/probes.c).
 */
int probes_run(const char *dir, struct probes *p);

/*
 * probes_emit - call ADD(CTX, key, value) for every result, in this order;
 * stop at the first non-zero return of ADD and return it, else return 0.
 *
 *   probe.bitop_ns                        ns per integer bit operation
 *   probe.bitop_build                     compiler, and "optimized" or not
 *   probe.pagefault_file_ns_per_page
 *   probe.pagefault_file_ns_per_fault
 *   probe.pagefault_file_pages_per_fault  fault-around: ~16 on Linux
 *   probe.pagefault_anon_ns_per_page
 *   probe.pagefault_anon_ns_per_fault
 *   probe.pagefault_anon_pages_per_fault  1 without huge pages
 *   probe.pagefault_bytes                 size of the touched regions
 *   probe.mmap_ns                         ns per map-touch-unmap cycle
 *   probe.mmap_bytes                      size mapped in each cycle
 *   probe.tcp_rtt_same_cpu_ns
 *   probe.tcp_rtt_same_cpu_cpus           the vCPU of both ends: "0"
 *   probe.tcp_rtt_cross_cpu_ns
 *   probe.tcp_rtt_cross_cpu_cpus          the two vCPUs: "0,1"
 *   probe.dir                             directory of the scratch file
 *   probe.total_ms                        wall time of all probes
 *
 * Times are decimal numbers with three decimals ("0.312", "15023.500"),
 * written without the locale.  A value that was not measured is "n/a",
 * and the key KEY.why follows it with the reason (for example
 * "probe.tcp_rtt_cross_cpu_ns.why=only one vCPU (0) is allowed");
 * *_pages_per_fault and *_cpus keys are left out when unknown.
 */
int probes_emit(const struct probes *p, int (*add)(void *ctx, const char *key, const char *value),
		void *ctx);

/* probes_format_ns - "%.3f" of NS without the locale, into BUF (>= 32 bytes). */
void probes_format_ns(double ns, char *buf, size_t len);

/*
 * probes_key_is_measure - whether header key KEY is a probe's measured
 * value (probe.bitop_ns, probe.pagefault_file_pages_per_fault, ...), as
 * opposed to what describes the measurement: which vCPUs (*_cpus), sizes
 * (*_bytes), reasons (*.why), probe.dir, probe.bitop_build.  Readers that
 * tabulate or plot the probes take only these.
 */
int probes_key_is_measure(const char *key);

#endif /* VMLAT_PROBES_H */
