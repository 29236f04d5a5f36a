/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memroom.c - room for samples before they are stored (see memroom.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "memroom.h"

/* Memory available without swapping, in bytes; UINT64_MAX when unknown. */
static uint64_t mem_available(void)
{
	const char *env = getenv("VMLAT_MEM_AVAIL");
	unsigned long long kb;
	char line[128];
	long pages, size;
	FILE *f;

	if (env && *env)
		return strtoull(env, NULL, 10);
	f = fopen("/proc/meminfo", "re");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1) {
			fclose(f);
			return (uint64_t)kb * 1024;
		}
	if (f)
		fclose(f);
	pages = sysconf(_SC_AVPHYS_PAGES); /* portable fallback: free pages only */
	size = sysconf(_SC_PAGESIZE);
	return pages > 0 && size > 0 ? (uint64_t)pages * (uint64_t)size : UINT64_MAX;
}

/* What RLIMIT_AS leaves above this process's address space; UINT64_MAX: no limit. */
static uint64_t as_left(void)
{
	struct rlimit rl;
	unsigned long long vm_pages = 0;
	FILE *f;

	if (getrlimit(RLIMIT_AS, &rl) || rl.rlim_cur == RLIM_INFINITY)
		return UINT64_MAX;
	f = fopen("/proc/self/statm", "re"); /* Linux; elsewhere the whole limit */
	if (f) {
		if (fscanf(f, "%llu", &vm_pages) != 1)
			vm_pages = 0;
		fclose(f);
	}
	vm_pages *= (unsigned long long)sysconf(_SC_PAGESIZE);
	return rl.rlim_cur > vm_pages ? (uint64_t)(rl.rlim_cur - vm_pages) : 0;
}

int mem_room(uint64_t bytes, uint64_t *avail)
{
	uint64_t a = mem_available(), b = as_left();

	*avail = a < b ? a : b;
	return bytes <= *avail ? 0 : -ENOMEM;
}

/*
 * Large arrays in huge pages where the system has them as an opt-in: one
 * page fault per 2 MiB instead of per 4 KiB as they fill, and far fewer
 * TLB misses when the sort scatters 100M samples.  Only a hint.
 */
void mem_huge_pages(void *p, size_t bytes)
{
#ifdef MADV_HUGEPAGE
	const uintptr_t huge = 2u << 20;
	uintptr_t a = ((uintptr_t)p + huge - 1) & ~(huge - 1), e = ((uintptr_t)p + bytes) & ~(huge - 1);

	if (e > a)
		madvise((void *)a, e - a, MADV_HUGEPAGE);
#else
	(void)p;
	(void)bytes;
#endif
}
