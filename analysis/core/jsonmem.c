/* SPDX-License-Identifier: GPL-2.0-or-later */
/* jsonmem.c - jansson's allocations, counted (see jsonmem.h). */
#include <jansson.h>
#include <stdlib.h>
#ifdef __FreeBSD__
#include <malloc_np.h>
#else
#include <malloc.h>
#endif

#include "jsonmem.h"

/*
 * Blocks are counted at their usable size, which free() learns back from
 * the allocator, so no header grows jansson's many small blocks (most of
 * a fio JSON tree is 24-byte numbers).  Relaxed atomics: loads run on one
 * thread, but jansson may be used on others (batch), and a count must not
 * tear.
 */
static uint64_t live, cap;
static int capped;

static void *counted_malloc(size_t n)
{
	uint64_t c = __atomic_load_n(&cap, __ATOMIC_RELAXED);
	void *p;

	if (c && __atomic_load_n(&live, __ATOMIC_RELAXED) + n > c) {
		__atomic_store_n(&capped, 1, __ATOMIC_RELAXED);
		return NULL;
	}
	p = malloc(n);
	if (p)
		__atomic_add_fetch(&live, malloc_usable_size(p), __ATOMIC_RELAXED);
	return p;
}

static void counted_free(void *p)
{
	if (p)
		__atomic_sub_fetch(&live, malloc_usable_size(p), __ATOMIC_RELAXED);
	free(p);
}

/* Before main(): jansson's rule is that no block it made is freed by another pair. */
__attribute__((constructor)) static void jsonmem_install(void)
{
	json_set_alloc_funcs(counted_malloc, counted_free);
}

uint64_t jsonmem_live(void)
{
	return __atomic_load_n(&live, __ATOMIC_RELAXED);
}

void jsonmem_cap(uint64_t c)
{
	if (c)
		__atomic_store_n(&capped, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&cap, c, __ATOMIC_RELAXED);
}

int jsonmem_capped(void)
{
	return __atomic_load_n(&capped, __ATOMIC_RELAXED);
}
