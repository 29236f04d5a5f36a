/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtags.h - the one grammar of the vmlat_tags option, for the engine that
 * checks it and stores it in the log header (tag.KEY=VALUE) and for the
 * fio JSON loader that reads it back from fio's record of the job.
 *
 *   tags  = item *( "," item ) [ "," ]
 *   item  = key "=" value
 *   key   = 1*( ALPHA / DIGIT / "_" / "." / "-" )
 *   value = *( any byte but "," )          ("=" is allowed in a value)
 *
 * There is no length limit: a tag is stored and read back whole, in every
 * place alike (the three copies this replaces cut long keys and values at
 * 255, 299 or 1023 bytes, each differently).
 */
#ifndef VMLAT_VTAGS_H
#define VMLAT_VTAGS_H

#include <stddef.h>

/*
 * vtags_check - 0, or -EINVAL with *BAD and *BAD_LEN set to the first item
 * that is not KEY=VALUE with a key of the grammar above.
 */
int vtags_check(const char *tags, const char **bad, size_t *bad_len);

typedef int (*vtags_fn)(void *ctx, const char *key, const char *value);

/*
 * vtags_each - FN(CTX, KEY, VALUE) for each tag of TAGS in order, with
 * NUL-terminated copies.  TAGS is checked whole first: -EINVAL calls FN for
 * none.  Returns 0, -EINVAL, -ENOMEM, or FN's first nonzero return (the
 * tags after it are not visited).  TAGS NULL or empty: no tags.
 */
int vtags_each(const char *tags, vtags_fn fn, void *ctx);

#endif /* VMLAT_VTAGS_H */
