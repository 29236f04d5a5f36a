/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * clockcheck.c - measure fio's clock at job start (see clockcheck.h).
 *
 * The clock is read through fio_gettime(), the very function the engine
 * and fio time IOs with, so the numbers describe the clock behind every
 * latency in the run, whatever source fio picked.
 */
#include <time.h>

#include "fio.h"

#include "clockcheck.h"

#define COST_BATCHES 10
#define COST_READS 200
#define STEP_READS 20000

static uint64_t ts_ns(const struct timespec *t)
{
	return (uint64_t)t->tv_sec * 1000000000ull + (uint64_t)t->tv_nsec;
}

/* The best of several batches: a preemption must not pass for a slow clock. */
static uint64_t measure_cost(void)
{
	struct timespec a, b, x;
	uint64_t best = UINT64_MAX;
	int i, j;

	for (j = 0; j < COST_BATCHES; j++) {
		fio_gettime(&a, NULL);
		for (i = 0; i < COST_READS; i++)
			fio_gettime(&x, NULL);
		fio_gettime(&b, NULL);
		if ((ts_ns(&b) - ts_ns(&a)) / COST_READS < best)
			best = (ts_ns(&b) - ts_ns(&a)) / COST_READS;
	}
	return best;
}

/* Smallest non-zero difference between consecutive reads: the clock's step. */
static uint64_t measure_resolution(void)
{
	struct timespec t;
	uint64_t prev, now, step = UINT64_MAX;
	int i;

	fio_gettime(&t, NULL);
	prev = ts_ns(&t);
	for (i = 0; i < STEP_READS; i++) {
		fio_gettime(&t, NULL);
		now = ts_ns(&t);
		if (now > prev && now - prev < step)
			step = now - prev;
		prev = now;
	}
	return step == UINT64_MAX ? 0 : step;
}

void clock_check_run(struct clock_check *c)
{
	c->cost_ns = measure_cost();
	c->resolution_ns = measure_resolution();
	c->slow = c->cost_ns > VMLAT_CLOCK_SLOW_NS;
	c->coarse = c->resolution_ns == 0 || c->resolution_ns > VMLAT_CLOCK_COARSE_NS;
}
