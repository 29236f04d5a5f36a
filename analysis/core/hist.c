/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hist.c - the log-linear histogram of hist.h.
 */
#include <string.h>

#include "hist.h"

void hist_init(struct hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

size_t hist_bucket(uint64_t v)
{
	unsigned int msb;

	if (v < HIST_SUB)
		return (size_t)v;
	msb = 63u - (unsigned int)__builtin_clzll(v);
	return HIST_SUB + (size_t)(msb - HIST_SUB_BITS) * HIST_SUB +
	       (size_t)((v >> (msb - HIST_SUB_BITS)) & (HIST_SUB - 1));
}

uint64_t hist_value(size_t bucket)
{
	unsigned int shift;
	uint64_t low;

	if (bucket < HIST_SUB)
		return bucket;
	shift = (unsigned int)((bucket - HIST_SUB) / HIST_SUB);
	low = (uint64_t)(HIST_SUB + (bucket - HIST_SUB) % HIST_SUB) << shift;
	return low + ((1ull << shift) - 1) / 2;
}

void hist_add(struct hist *h, uint64_t v)
{
	h->counts[hist_bucket(v)]++;
	h->n++;
	h->min = v < h->min ? v : h->min;
	h->max = v > h->max ? v : h->max;
	h->sum += v;
	h->sumsq += (long double)v * v;
}

void hist_add_n(struct hist *h, uint64_t v, uint64_t count)
{
	if (!count)
		return;
	h->counts[hist_bucket(v)] += count;
	h->n += count;
	h->min = v < h->min ? v : h->min;
	h->max = v > h->max ? v : h->max;
	h->sum += (long double)v * count;
	h->sumsq += (long double)v * v * count;
}

void hist_merge(struct hist *to, const struct hist *from)
{
	size_t i;

	for (i = 0; i < HIST_BUCKETS; i++)
		to->counts[i] += from->counts[i];
	to->n += from->n;
	to->min = from->min < to->min ? from->min : to->min;
	to->max = from->max > to->max ? from->max : to->max;
	to->sum += from->sum;
	to->sumsq += from->sumsq;
}

uint64_t hist_at_rank(const struct hist *h, uint64_t rank)
{
	uint64_t seen = 0, v;
	size_t i;

	if (rank <= 1)
		return h->min;
	if (rank >= h->n)
		return h->max;
	for (i = 0; i < HIST_BUCKETS; i++) {
		seen += h->counts[i];
		if (seen >= rank)
			break;
	}
	v = hist_value(i < HIST_BUCKETS ? i : HIST_BUCKETS - 1);
	return v < h->min ? h->min : v > h->max ? h->max : v;
}
