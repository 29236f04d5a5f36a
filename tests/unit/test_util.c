/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_util.c - util_ns_since() (lib/util.h), the engine's per-IO time
 * difference: the values fio's ntime_since() gives for the same two
 * stamps, worked out by hand here, including the borrow from tv_sec, an
 * end before the start (fio's "time warp": 0) and spans of years.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <time.h>

#include "util.h"

static uint64_t since(time_t s_sec, long s_nsec, time_t e_sec, long e_nsec)
{
	struct timespec s = { .tv_sec = s_sec, .tv_nsec = s_nsec };
	struct timespec e = { .tv_sec = e_sec, .tv_nsec = e_nsec };

	return util_ns_since(&s, &e);
}

static void same_second(void **state)
{
	(void)state;
	assert_int_equal(since(7, 100, 7, 100), 0);
	assert_int_equal(since(7, 100, 7, 2600), 2500);
	assert_int_equal(since(0, 0, 0, 999999999), 999999999);
}

static void borrows_from_the_seconds(void **state)
{
	(void)state;
	/* 10.999999000 to 11.000001000: 2 us, though tv_nsec fell */
	assert_int_equal(since(10, 999999000, 11, 1000), 2000);
	assert_int_equal(since(10, 5, 12, 4), 1999999999);
	assert_int_equal(since(10, 5, 12, 5), 2000000000);
}

static void end_before_start_is_zero(void **state)
{
	(void)state;
	assert_int_equal(since(7, 2600, 7, 100), 0);
	assert_int_equal(since(11, 1000, 10, 999999000), 0);
	assert_int_equal(since(11, 0, 10, 999999999), 0);
}

static void long_spans(void **state)
{
	(void)state;
	/* a job epoch ten years before the IO: 315360000 s, no overflow */
	assert_int_equal(since(1000, 250, 315361000, 750), 315360000000000500ull);
	/* CLOCK_MONOTONIC stamps of a machine up for 200 days */
	assert_int_equal(since(17280000, 999999999, 17280001, 0), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_second),
		cmocka_unit_test(borrows_from_the_seconds),
		cmocka_unit_test(end_before_start_is_zero),
		cmocka_unit_test(long_spans),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
