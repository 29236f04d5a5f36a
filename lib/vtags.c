/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtags.c - see vtags.h.  One walker over the items serves both the check
 * and the visit, so the two cannot disagree on where an item ends.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vtags.h"

static int key_ok(const char *k, size_t n)
{
	size_t i;

	if (!n)
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)k[i]) && !strchr("_.-", k[i]))
			return 0;
	return 1;
}

/* The item at *P: its length, and the offset of its '=' in *EQ (or -1). */
static size_t next_item(const char **p, long *eq)
{
	size_t n = strcspn(*p, ",");
	const char *e = memchr(*p, '=', n);

	*eq = e && key_ok(*p, (size_t)(e - *p)) ? e - *p : -1;
	return n;
}

int vtags_check(const char *tags, const char **bad, size_t *bad_len)
{
	const char *p = tags;
	long eq;

	while (p && *p) {
		size_t n = next_item(&p, &eq);

		if (eq < 0) {
			*bad = p;
			*bad_len = n;
			return -EINVAL;
		}
		p += n + (p[n] == ',');
	}
	return 0;
}

int vtags_each(const char *tags, vtags_fn fn, void *ctx)
{
	const char *bad;
	size_t bad_len;
	char *dup, *p;
	long eq;
	int ret = vtags_check(tags, &bad, &bad_len);

	if (ret || !tags || !*tags)
		return ret;
	dup = strdup(tags);
	if (!dup)
		return -ENOMEM;
	for (p = dup; !ret && *p;) {
		size_t n = next_item((const char **)&p, &eq);
		int last = !p[n];

		p[n] = '\0';
		p[eq] = '\0';
		ret = fn(ctx, p, p + eq + 1);
		p += n + !last;
	}
	free(dup);
	return ret;
}
