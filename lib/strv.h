/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * strv.h - a growable vector of owned strings, the one kind the tree has.
 *
 * Batch's config lists, plot's category names and figure stems are all
 * the same thing: strings the vector owns (strdup'ed on the way in), in
 * the order they came, released together.  { 0 } is an empty vector.
 */
#ifndef VMLAT_STRV_H
#define VMLAT_STRV_H

#include <stddef.h>

struct strv {
	char **v;
	size_t n;
};

/* strv_push - append a copy of STR: 0 or -ENOMEM. */
int strv_push(struct strv *s, const char *str);

/* strv_find - the index of STR in S, or -1. */
long strv_find(const struct strv *s, const char *str);

/* strv_add - the index of STR, appended first if S lacks it; -ENOMEM. */
long strv_add(struct strv *s, const char *str);

/* strv_release - free every string and the vector; S is empty again. */
void strv_release(struct strv *s);

#endif /* VMLAT_STRV_H */
