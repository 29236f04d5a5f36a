/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pair.h - drop fio JSON jobs whose IOs a loaded vmlat log already holds
 * (the same job of the same run on the same host), and that run's
 * background jobs; see pair.c for how a pair is recognized.
 */
#ifndef VMLAT_PAIR_H
#define VMLAT_PAIR_H

#include "samples.h"

/* Called once per JSON file with dropped jobs: FILE and what went, why. */
typedef void (*pair_note_fn)(void *ctx, const char *file, const char *msg);

/* Remove (and free) the sets of L that count IOs twice.  0 or -ENOMEM. */
int pair_inputs(struct sample_list *l, pair_note_fn note, void *ctx);

#endif /* VMLAT_PAIR_H */
