/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * probes_bitop.c - ns per integer bit operation (lmbench's "integer bit").
 *
 * lmbench's loop body is r ^= i; s ^= r; r |= s; repeated: each operation
 * needs the result of the one before, so the loop runs at one operation
 * per ALU latency, a property of the CPU alone.  Left to itself GCC 12 -O2
 * reassociates and folds the chain (the loop then reports 0.20 ns/op,
 * below one cycle).  An empty asm statement after each operation, with the
 * variable as an in-out register operand, tells the compiler the value
 * changed in a way it cannot see: it must emit every xor and or, in order,
 * and it adds no instruction.  tests/cli/test_probes.sh disassembles
 * probes_bitop_chain() and counts them.
 */
#include "probes_impl.h"

#define OPAQUE(x) __asm__ volatile("" : "+r"(x))
#define STEP(r, s, i)                                                                              \
	do {                                                                                       \
		r ^= i;                                                                            \
		OPAQUE(r);                                                                         \
		s ^= r;                                                                            \
		OPAQUE(s);                                                                         \
		r |= s;                                                                            \
		OPAQUE(r);                                                                         \
	} while (0)
#define STEP10(r, s, i)                                                                            \
	STEP(r, s, i); STEP(r, s, i); STEP(r, s, i); STEP(r, s, i); STEP(r, s, i);                 \
	STEP(r, s, i); STEP(r, s, i); STEP(r, s, i); STEP(r, s, i); STEP(r, s, i)

#define OPS_PER_ITER 300 /* 100 steps of 3 operations */
#define ITERS 2000	 /* 600,000 operations: ~0.2 ms at one per cycle */
#define REPS 25

static volatile unsigned long sink;

/* noinline and non-static: the test finds it by name in the binary. */
__attribute__((noinline)) unsigned long probes_bitop_chain(unsigned long iters, unsigned long seed);

__attribute__((noinline)) unsigned long probes_bitop_chain(unsigned long iters, unsigned long seed)
{
	unsigned long r = seed, s = seed >> 1, i;

	for (i = 0; i < iters; i++) {
		STEP10(r, s, i);
		STEP10(r, s, i);
		STEP10(r, s, i);
		STEP10(r, s, i);
		STEP10(r, s, i);
		STEP10(r, s, i);
		STEP10(r, s, i);
		STEP10(r, s, i);
		STEP10(r, s, i);
		STEP10(r, s, i);
	}
	return r + s;
}

void probes_bitop(struct probes *p)
{
	uint64_t start = probes_now_ns(), t0;
	double v[REPS];
	size_t n = 0;

	sink = probes_bitop_chain(ITERS, (unsigned long)start); /* warm up: caches, clock speed */
	while (n < REPS && probes_now_ns() - start < PROBES_BITOP_DEADLINE_NS) {
		t0 = probes_now_ns();
		sink = probes_bitop_chain(ITERS, (unsigned long)t0);
		v[n++] = (double)(probes_now_ns() - t0) / ((double)ITERS * OPS_PER_ITER);
	}
	probes_set(&p->bitop, probes_median(v, n));
}
