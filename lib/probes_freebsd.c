/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * probes_freebsd.c - the OS seam of the probes on FreeBSD (see
 * probes_impl.h): cpuset_{get,set}affinity on the calling thread (id -1),
 * getrusage(RUSAGE_THREAD) for faults.  FreeBSD promotes superpages only
 * for fully populated, aligned 2 MiB runs, which page-by-page touching of
 * a fresh region never produces before the probe ends: no madvise.
 *
 * UNBUILT AND UNTESTED: no FreeBSD machine was at hand, and no FreeBSD
 * sysroot to cross-compile against (README, "Building"); it would only be
 * compiled on FreeBSD (the Makefile picks probes_$(uname -s).c).
 */
#ifdef __FreeBSD__

#include <sys/param.h>
#include <sys/cpuset.h>
#include <sys/resource.h>

#include <errno.h>
#include <sched.h>
#include <string.h>

#include "probes_impl.h"

_Static_assert(sizeof(cpuset_t) <= sizeof(struct probes_mask), "cpuset_t too big");

int probes_os_mask_get(struct probes_mask *m)
{
	cpuset_t set;

	CPU_ZERO(&set);
	if (cpuset_getaffinity(CPU_LEVEL_WHICH, CPU_WHICH_TID, -1, sizeof(set), &set))
		return -errno;
	memset(m, 0, sizeof(*m));
	memcpy(m->bits, &set, sizeof(set));
	return 0;
}

int probes_os_mask_set(const struct probes_mask *m)
{
	cpuset_t set;

	memcpy(&set, m->bits, sizeof(set));
	return cpuset_setaffinity(CPU_LEVEL_WHICH, CPU_WHICH_TID, -1, sizeof(set), &set) ? -errno : 0;
}

int probes_os_mask_isset(const struct probes_mask *m, int cpu)
{
	cpuset_t set;

	memcpy(&set, m->bits, sizeof(set));
	return cpu >= 0 && cpu < CPU_SETSIZE && CPU_ISSET(cpu, &set);
}

int probes_os_mask_max(void)
{
	return CPU_SETSIZE;
}

int probes_os_pin(int cpu)
{
	cpuset_t set;

	if (cpu < 0 || cpu >= CPU_SETSIZE)
		return -EINVAL;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return cpuset_setaffinity(CPU_LEVEL_WHICH, CPU_WHICH_TID, -1, sizeof(set), &set) ? -errno : 0;
}

int probes_os_cpu_now(void)
{
	return sched_getcpu(); /* FreeBSD 13.1+ */
}

long probes_os_minflt(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_THREAD, &ru) ? -1 : ru.ru_minflt;
}

void probes_os_no_huge(void *addr, size_t len)
{
	(void)addr;
	(void)len;
}

#endif /* __FreeBSD__ */
