/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_analysis_labels.c - analysis/core/samples.c's label lists past the
 * point where they grow a hash index (issue 11, item 7: a header of
 * 80,000 keys): every key found with its own value, a key set twice keeps
 * its first position and the last value, the order of first insertion is
 * kept, absent keys are absent, and release leaves an empty list that can
 * be used again.  Behaviour only; the time this takes is in BENCHMARKS.md.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/samples.h"

#define NKEYS 100000

static void test_many_keys(void **state)
{
	struct labels l;
	char key[32], val[32];
	size_t i;

	(void)state;
	labels_init(&l);
	for (i = 0; i < NKEYS; i++) {
		snprintf(key, sizeof(key), "tag.k%zu", i);
		snprintf(val, sizeof(val), "v%zu", i);
		assert_int_equal(labels_set(&l, key, val), 0);
	}
	/* every third key again: the value changes, the position does not */
	for (i = 0; i < NKEYS; i += 3) {
		snprintf(key, sizeof(key), "tag.k%zu", i);
		snprintf(val, sizeof(val), "again%zu", i);
		assert_int_equal(labels_set(&l, key, val), 0);
		assert_int_equal(labels_default(&l, key, "never"), 0);
	}
	assert_int_equal(l.n, NKEYS);
	for (i = 0; i < NKEYS; i++) {
		snprintf(key, sizeof(key), "tag.k%zu", i);
		snprintf(val, sizeof(val), i % 3 ? "v%zu" : "again%zu", i);
		assert_string_equal(l.v[i].key, key);
		assert_string_equal(labels_get(&l, key), val);
	}
	assert_null(labels_get(&l, "tag.k100000"));
	assert_null(labels_get(&l, "tag.k"));
	assert_null(labels_get(&l, ""));
	labels_release(&l);
	assert_int_equal(l.n, 0);
	assert_null(labels_get(&l, "tag.k1"));
	assert_int_equal(labels_set(&l, "a", "b"), 0);
	assert_string_equal(labels_get(&l, "a"), "b");
	labels_release(&l);
}

/* Copying a big list into another one keeps every pair (labels_merge). */
static void test_merge_big(void **state)
{
	struct labels a, b;
	char key[32];
	size_t i;

	(void)state;
	labels_init(&a);
	labels_init(&b);
	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "k%zu", i);
		assert_int_equal(labels_set(&a, key, "a"), 0);
		if (i % 2)
			assert_int_equal(labels_set(&b, key, "b"), 0);
	}
	assert_int_equal(labels_merge(&b, &a), 0);
	assert_int_equal(b.n, 5000);
	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "k%zu", i);
		assert_string_equal(labels_get(&b, key), "a");
	}
	labels_release(&a);
	labels_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_keys),
		cmocka_unit_test(test_merge_big),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
