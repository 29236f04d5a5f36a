/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pool.h - would a layout pool inputs that should stay apart?
 *
 * A cell pools every set whose values of the layout's keys agree.  That is
 * right for replicates (runs, hosts, files of one condition) and wrong for
 * sets that differ in a condition: read and write IOs, fio's lat and clat,
 * or a label the user or the job gave to tell inputs apart.  The condition
 * keys are "ddir", "metric", every key of a tag (tag.K gives K) and every
 * key of a --label; pool_find() names the first one that takes two values
 * inside one cell, so the caller can add it to the layout or stop.
 */
#ifndef VMLAT_POOL_H
#define VMLAT_POOL_H

#include <stddef.h>

#include "samples.h"

struct pool_hit {
	char *key;	 /* the condition key (malloc'd) */
	char *values[2]; /* two of its values in one cell ("" for none) */
};

/*
 * pool_find - look for a condition key (USER: the --label keys, may be
 * NULL) outside KEYS and ALLOW that takes two values in a cell of L grouped
 * by KEYS.  1 with *HIT filled (pool_hit_release() it), 0 when none,
 * -ENOMEM.
 */
int pool_find(const struct sample_list *l, char *const *keys, size_t nkeys,
	      char *const *allow, size_t nallow, const struct labels *user, struct pool_hit *hit);
void pool_hit_release(struct pool_hit *hit);

#endif /* VMLAT_POOL_H */
