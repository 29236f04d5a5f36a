/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dump_steal.h - loading the steal samples of a log for `vmlat dump`
 * (the column itself: dump.h, dump_steal_get()).
 */
#ifndef VMLAT_DUMP_STEAL_H
#define VMLAT_DUMP_STEAL_H

#include "dump.h"
#include "vsteal.h"

/*
 * dump_steal_open - fill D for the log at PATH read by R: no column when
 * its header names no steal file; else load the samples into S (warning on
 * stderr when they cannot be read).  Returns an exit code: EXIT_OK, or
 * EXIT_BADINPUT for malformed samples (the records are still printed).
 */
int dump_steal_open(struct dump_steal *d, struct vsteal *s, const char *path,
		    const struct vlog_reader *r);
void dump_steal_close(struct dump_steal *d, struct vsteal *s);

#endif /* VMLAT_DUMP_STEAL_H */
