/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * plot_name.c - the only ways label text leaves `vmlat plot` for gnuplot:
 * as a file stem, as a single-quoted literal, or as a data comment.
 *
 * Why single quotes: in gnuplot 5.4 a single-quoted string has exactly one
 * escape, '' for ', and is left alone by backquote command substitution
 * and by @macro expansion, both of which do act inside double quotes.  A
 * newline would end the command (and start a new one), so every control
 * character becomes a space.  Labels are also cut, to keep titles sane.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "plot.h"

#define LITERAL_MAX 200

static int stem_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-';
}

/* Room is left for "-NNNN" and the longest extension (".png.gp" style). */
#define STEM_BASE_MAX (PLOT_STEM_MAX - 16)

int plot_names_claim(struct strv *n, const char *base, char *out)
{
	char clean[STEM_BASE_MAX + 1];
	size_t i, k = 0;
	unsigned int dup;

	for (i = 0; base[i] && k < STEM_BASE_MAX; i++) {
		unsigned char c = (unsigned char)base[i];
		int keep = stem_char(c) && !(c == '.' && k == 0);

		clean[k++] = keep ? (char)c : '_';
	}
	if (!k)
		clean[k++] = '_';
	clean[k] = 0;
	snprintf(out, PLOT_STEM_MAX, "%s", clean);
	for (dup = 2; strv_find(n, out) >= 0; dup++)
		snprintf(out, PLOT_STEM_MAX, "%s-%u", clean, dup);
	return strv_push(n, out);
}

/*
 * Length of the valid UTF-8 character at S (1 to 4), or 0: a broken
 * sequence would make gnuplot's SVG invalid XML, so it becomes '?'.
 */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	n = s[0] >= 0xf0 && s[0] < 0xf5 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
	if (n == 3 && s[0] >= 0xf0)
		n = 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/* Write S with C0 controls and DEL as spaces, broken UTF-8 as '?', and
 * each QUOTE byte as REPL; about MAX bytes, whole characters. */
static void put_clean(FILE *f, const char *s, int quote, const char *repl, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;

	while (p[i] && i < max) {
		n = utf8_len(p + i);
		if (!n) {
			fputc('?', f);
			i++;
		} else if (n > 1) {
			fwrite(p + i, 1, n, f);
			i += n;
		} else {
			if (p[i] == quote)
				fputs(repl, f);
			else
				fputc(p[i] < 0x20 || p[i] == 0x7f ? ' ' : p[i], f);
			i++;
		}
	}
}

void plot_gp_quote_max(FILE *f, const char *s, size_t max)
{
	fputc('\'', f);
	put_clean(f, s, '\'', "''", max < LITERAL_MAX ? max : LITERAL_MAX);
	if (strlen(s) > max)
		fputs("...", f);
	fputc('\'', f);
}

void plot_gp_quote(FILE *f, const char *s)
{
	plot_gp_quote_max(f, s, LITERAL_MAX);
}

void plot_tsv_text(FILE *f, const char *s)
{
	put_clean(f, s, '"', "'", LITERAL_MAX);
}
