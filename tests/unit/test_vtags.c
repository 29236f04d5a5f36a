/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_vtags.c - the one grammar of vmlat_tags (lib/vtags.h): which lists
 * are accepted, which item is named when one is not, what each tag's key
 * and value are, and that long tags come back whole (the three parsers it
 * replaced cut keys and values at 255, 299 or 1023 bytes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "vtags.h"

/* Every tag as "key=value;" into a growing string. */
struct seen {
	char *text;
	size_t len;
	int calls, stop_at;
};

static int collect(void *ctx, const char *key, const char *value)
{
	struct seen *s = ctx;
	size_t add = strlen(key) + strlen(value) + 2;

	if (++s->calls == s->stop_at)
		return -42;
	s->text = realloc(s->text, s->len + add + 1);
	assert_non_null(s->text);
	s->len += (size_t)sprintf(s->text + s->len, "%s=%s;", key, value);
	return 0;
}

static char *visit(const char *tags, int want)
{
	struct seen s = { .text = strdup(""), .len = 0 };

	assert_int_equal(vtags_each(tags, collect, &s), want);
	return s.text;
}

static void accepted(void **state)
{
	static const struct {
		const char *tags, *seen;
	} cases[] = {
		{ "", "" },
		{ "platform=kvm", "platform=kvm;" },
		{ "platform=kvm,cores=2", "platform=kvm;cores=2;" },
		{ "a=,b=1", "a=;b=1;" },		/* an empty value */
		{ "expr=a=b,c=d", "expr=a=b;c=d;" },	/* '=' in a value */
		{ "x.y-z_9=v w", "x.y-z_9=v w;" },	/* every key byte, a space in a value */
		{ "a=1,", "a=1;" },			/* one trailing comma */
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *got = visit(cases[i].tags, 0);

		assert_string_equal(got, cases[i].seen);
		free(got);
	}
	assert_int_equal(vtags_each(NULL, collect, NULL), 0);
}

static void refused(void **state)
{
	static const struct {
		const char *tags, *bad;
	} cases[] = {
		{ "cores", "cores" },			/* no '=' */
		{ "platform=kvm,cores", "cores" },
		{ "=kvm", "=kvm" },			/* no key */
		{ "a=1,,b=2", "" },			/* an empty item */
		{ ",a=1", "" },
		{ "a b=1", "a b=1" },			/* a byte no key may hold */
		{ "k/x=1", "k/x=1" },
	};
	const char *bad;
	size_t i, n;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *got;

		assert_int_equal(vtags_check(cases[i].tags, &bad, &n), -EINVAL);
		assert_int_equal(n, strlen(cases[i].bad));
		assert_memory_equal(bad, cases[i].bad, n);
		got = visit(cases[i].tags, -EINVAL);
		assert_string_equal(got, ""); /* checked whole before any is visited */
		free(got);
	}
}

static void long_tags_whole(void **state)
{
	size_t klen = 400, vlen = 5000;
	char *tags = malloc(klen + vlen + 16), *want = malloc(klen + vlen + 16), *got;

	(void)state;
	memset(tags, 'k', klen);
	tags[klen] = '=';
	memset(tags + klen + 1, 'v', vlen);
	strcpy(tags + klen + 1 + vlen, ",b=2");
	sprintf(want, "%.*s;b=2;", (int)(klen + 1 + vlen), tags);
	got = visit(tags, 0);
	assert_string_equal(got, want);
	free(got);
	free(tags);
	free(want);
}

static void stops_at_callback_error(void **state)
{
	struct seen s = { .text = strdup(""), .stop_at = 2 };

	(void)state;
	assert_int_equal(vtags_each("a=1,b=2,c=3", collect, &s), -42);
	assert_string_equal(s.text, "a=1;");
	assert_int_equal(s.calls, 2);
	free(s.text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepted),
		cmocka_unit_test(refused),
		cmocka_unit_test(long_tags_whole),
		cmocka_unit_test(stops_at_callback_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
