/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * util.h - the few macros every part of the tree uses.
 */
#ifndef VMLAT_UTIL_H
#define VMLAT_UTIL_H

/* Elements of array A (an array, not a pointer). */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* VMLAT_UTIL_H */
