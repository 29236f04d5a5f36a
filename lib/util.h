/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * util.h - the few macros and helpers every part of the tree uses.
 */
#ifndef VMLAT_UTIL_H
#define VMLAT_UTIL_H

#include <stdint.h>
#include <time.h>

/* Elements of array A (an array, not a pointer). */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Nanoseconds from S to E, 0 when E is not after S: the value fio's
 * ntime_since() gives, computed inline, since the engine takes two such
 * differences per IO and a call into fio costs more than the arithmetic.
 * Both must be normalised (0 <= tv_nsec < 10^9), as fio's clock readings are.
 */
static inline uint64_t util_ns_since(const struct timespec *s, const struct timespec *e)
{
	int64_t ns = ((int64_t)e->tv_sec - (int64_t)s->tv_sec) * 1000000000 +
		     ((int64_t)e->tv_nsec - (int64_t)s->tv_nsec);

	return ns > 0 ? (uint64_t)ns : 0;
}

#endif /* VMLAT_UTIL_H */
