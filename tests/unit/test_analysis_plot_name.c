/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_analysis_plot_name.c - the three ways label text leaves vmlat plot
 * (analysis/plot/plot_name.c), against outputs written out by hand: file stems
 * (only [A-Za-z0-9._-], no leading dot, bounded, unique), single-quoted
 * gnuplot literals (quotes doubled, control characters and broken UTF-8
 * replaced, cut at whole characters) and data-file comments.  The file is
 * compiled in whole: the unit test build links only the shared analysis
 * code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot/plot_name.c"

static char *quoted(const char *s, size_t max)
{
	static char buf[1024];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	plot_gp_quote_max(f, s, max);
	fclose(f);
	return buf;
}

static void test_quote(void **state)
{
	(void)state;
	assert_string_equal(quoted("plain", 200), "'plain'");
	assert_string_equal(quoted("a'; system(\"x\"); '", 200), "'a''; system(\"x\"); '''");
	assert_string_equal(quoted("nl\nsystem('x')\r\x7f", 200), "'nl system(''x'')  '");
	assert_string_equal(quoted("`x` @m !y |z", 200), "'`x` @m !y |z'");
	/* µ is two bytes, kept whole; a lone continuation byte becomes '?' */
	assert_string_equal(quoted("5 \xc2\xb5s \x80!", 200), "'5 \xc2\xb5s ?!'");
	assert_string_equal(quoted("abcdef", 3), "'abc...'");
	/* a cut never splits a character: the whole µ follows "ab" */
	assert_string_equal(quoted("ab\xc2\xb5" "cd", 3), "'ab\xc2\xb5...'");
}

static void test_tsv(void **state)
{
	char buf[64];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	(void)state;
	plot_tsv_text(f, "a\tb\n\"c\"");
	fclose(f);
	assert_string_equal(buf, "a b 'c'");
}

static void test_stems(void **state)
{
	struct strv n = { 0 };
	char out[PLOT_STEM_MAX], longest[400];

	(void)state;
	assert_int_equal(plot_names_claim(&n, "minmax-load-0", out), 0);
	assert_string_equal(out, "minmax-load-0");
	assert_int_equal(plot_names_claim(&n, "../../etc/x", out), 0);
	assert_string_equal(out, "_._.._etc_x");
	assert_int_equal(plot_names_claim(&n, ".hidden", out), 0);
	assert_string_equal(out, "_hidden");
	assert_int_equal(plot_names_claim(&n, "a/b", out), 0);
	assert_string_equal(out, "a_b");
	assert_int_equal(plot_names_claim(&n, "a:b", out), 0);
	assert_string_equal(out, "a_b-2");
	assert_int_equal(plot_names_claim(&n, "a b", out), 0);
	assert_string_equal(out, "a_b-3");
	assert_int_equal(plot_names_claim(&n, "", out), 0);
	assert_string_equal(out, "_");
	memset(longest, 'x', sizeof(longest) - 1);
	longest[sizeof(longest) - 1] = 0;
	assert_int_equal(plot_names_claim(&n, longest, out), 0);
	assert_int_equal(strlen(out), STEM_BASE_MAX);
	assert_int_equal(plot_names_claim(&n, longest, out), 0);
	assert_int_equal(strlen(out), STEM_BASE_MAX + 2);
	assert_string_equal(out + STEM_BASE_MAX, "-2");
	strv_release(&n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_tsv),
		cmocka_unit_test(test_stems),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
