/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * strv.c - see strv.h.  Grows by one: the vectors hold config lines and
 * figure names, tens of them, never a per-IO quantity.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "strv.h"

int strv_push(struct strv *s, const char *str)
{
	char **v = realloc(s->v, (s->n + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	s->v = v;
	s->v[s->n] = strdup(str);
	if (!s->v[s->n])
		return -ENOMEM;
	s->n++;
	return 0;
}

long strv_find(const struct strv *s, const char *str)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], str))
			return (long)i;
	return -1;
}

long strv_add(struct strv *s, const char *str)
{
	long i = strv_find(s, str);

	if (i >= 0)
		return i;
	return strv_push(s, str) ? -ENOMEM : (long)s->n - 1;
}

void strv_release(struct strv *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}
