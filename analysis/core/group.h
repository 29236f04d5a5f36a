/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * group.h - gather sample sets into cells by the values of label keys.
 *
 * group_build() puts every set of a sample_list into the cell of its values
 * of the keys (a set without a key has the value "" there, printed "-"), in
 * order of first appearance, then sorts cells by those values (numbers
 * numerically, "4096" after "512", else bytewise) so tables come out in a
 * stable order whatever the order of the files.  A cell does not copy
 * samples: group_cell_samples() concatenates them on demand, so a report
 * can work one cell at a time and keep only one copy in memory.
 *
 * Sets of different kinds never share a cell's samples: per-IO, binned and
 * windowed samples are concatenated (cell->kinds says which were mixed);
 * summary sets (fio JSON without bins) are kept apart in cell->summaries.
 */
#ifndef VMLAT_GROUP_H
#define VMLAT_GROUP_H

#include <stddef.h>
#include <stdint.h>

#include "samples.h"
#include "stats.h"
#include "strv.h"

struct cell {
	char **values;		  /* one per key; "" when a set lacks the key */
	struct sample_set **sets; /* members with samples */
	size_t nsets;
	struct sample_set **summaries; /* SAMPLES_SUMMARY members */
	size_t nsummaries;
	unsigned int kinds;	  /* bit (1 << kind) per kind present */
	uint64_t nsamples;	  /* sum of the sets' n */
};

struct grouping {
	struct strv keys;
	struct cell *cells;
	size_t ncells;
};

/*
 * Split "a,b,c" into KEYS (empty items refused).  0, or -EINVAL or -ENOMEM
 * with KEYS empty.
 */
int group_parse_keys(const char *spec, struct strv *keys);

/*
 * The keys of DEF that some input of L has, in DEF's order (defaults such
 * as Study A's then fit any input).  As group_parse_keys.
 */
int group_present_keys(const struct sample_list *l, const char *def, struct strv *keys);

/* Group L by KEYS (copied).  0 or -ENOMEM. */
int group_build(struct grouping *g, const struct sample_list *l, char *const *keys,
		size_t nkeys);
void group_release(struct grouping *g);

/* Index of the cell with these VALUES (one per key), or -1. */
long group_find(const struct grouping *g, char *const *values);

/*
 * group_cell_copy - the cell's latencies, concatenated in set order, in a
 * new array (*out, *n; NULL and 0 when it has none).  0 or -ENOMEM.
 */
int group_cell_copy(const struct cell *c, uint64_t **out, size_t *n);

/* group_cell_samples - the same, sorted. */
int group_cell_samples(const struct cell *c, uint64_t **out, size_t *n);

/*
 * group_cell_take - the same, without a copy: the latencies move out of the
 * member sets (their lat_ns becomes NULL and n stays, so t_ns, max_ns and
 * ctx are still there), concatenated in the first set's array in set
 * order, not sorted (the caller sorts only if it must: stats_compute_any).
 * Memory stays at one array of the cell's samples (what lets a report hold
 * 100M samples in under 1 GiB); only for a caller done with the latencies
 * in their sets.  0 or -ENOMEM (then nothing moved).
 */
int group_cell_take(const struct cell *c, uint64_t **out, size_t *n);

/*
 * group_cell_hist - the merged histogram of a cell whose sets are in
 * histogram mode, in a new struct (*out; NULL when none is).  0 or -ENOMEM.
 */
int group_cell_hist(const struct cell *c, struct hist **out);

/* Per-IO context statistics of the cell (zeros when none); before
 * group_cell_take, since the tail pairs latencies with contexts.  0 or -ENOMEM. */
int group_cell_ctx(const struct cell *c, struct ctx_stats *cs);

/* Compare two label values: numbers numerically, else bytewise. */
int group_value_cmp(const char *a, const char *b);

#endif /* VMLAT_GROUP_H */
