/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * probes_linux.c - the OS seam of the probes on Linux (see probes_impl.h).
 *
 * Affinity is the calling thread's (sched_{get,set}affinity with pid 0
 * act on the thread, not the process), so pinning the probe thread never
 * moves fio's other threads.  Faults come from getrusage(RUSAGE_THREAD):
 * the fault handler's own count, which is how fault-around shows.
 */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "probes_impl.h"

_Static_assert(sizeof(cpu_set_t) <= sizeof(struct probes_mask), "cpu_set_t too big");

int probes_os_mask_get(struct probes_mask *m)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	if (sched_getaffinity(0, sizeof(set), &set))
		return -errno;
	memset(m, 0, sizeof(*m));
	memcpy(m->bits, &set, sizeof(set));
	return 0;
}

int probes_os_mask_set(const struct probes_mask *m)
{
	cpu_set_t set;

	memcpy(&set, m->bits, sizeof(set));
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

int probes_os_mask_isset(const struct probes_mask *m, int cpu)
{
	cpu_set_t set;

	memcpy(&set, m->bits, sizeof(set));
	return cpu >= 0 && cpu < CPU_SETSIZE && CPU_ISSET(cpu, &set);
}

int probes_os_mask_max(void)
{
	return CPU_SETSIZE;
}

int probes_os_pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0 || cpu >= CPU_SETSIZE)
		return -EINVAL;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

int probes_os_cpu_now(void)
{
	return sched_getcpu();
}

long probes_os_minflt(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_THREAD, &ru) ? -1 : ru.ru_minflt;
}

/* A 2 MiB huge page would make the whole region one fault. */
void probes_os_no_huge(void *addr, size_t len)
{
	madvise(addr, len, MADV_NOHUGEPAGE);
}
