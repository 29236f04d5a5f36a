/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memroom.h - is there memory for the samples a loader is about to store?
 *
 * Exact statistics keep 8 bytes per IO (more with times or context); a log
 * of 10^9 IOs needs 8 GB.  A loader asks before it reserves, so a cell too
 * large for the machine is refused with the number needed (and --hist, at
 * constant memory, named as the way out) instead of the process touching
 * pages until the OOM killer ends it.
 */
#ifndef VMLAT_MEMROOM_H
#define VMLAT_MEMROOM_H

#include <stddef.h>
#include <stdint.h>

/*
 * mem_room - may BYTES more be stored?  0 if so; -ENOMEM if not, with the
 * bytes there are room for in *AVAIL.  Room is the smaller of the memory
 * the kernel says is available without swapping (Linux: MemAvailable of
 * /proc/meminfo, elsewhere free physical pages) and what RLIMIT_AS leaves
 * above the process's current size.  VMLAT_MEM_AVAIL=BYTES stands for the
 * first (the tests' way to be a small machine).
 */
int mem_room(uint64_t bytes, uint64_t *avail);

/*
 * mem_huge_pages - ask for huge pages under the BYTES at P (a large array
 * about to be filled): one page fault per 2 MiB instead of per 4 KiB, and
 * in a VM that shadows page tables, one shadow entry.  Only a hint.
 */
void mem_huge_pages(void *p, size_t bytes);

#endif /* VMLAT_MEMROOM_H */
