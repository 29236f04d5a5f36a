/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * runctx_freebsd.c - the run context on FreeBSD: for now only the
 * portable keys of runctx.c.
 *
 * What a port adds here (keys as in runctx.h): the affinity from
 * cpuset_getaffinity(), kern.timecounter.hardware and .choice for the
 * clocksource, the disk under a file from statfs() f_mntfromname, the
 * GEOM provider's driver, and per-vCPU steal, which FreeBSD guests do not
 * account (kern.cp_times has no steal column): no key.
 *
 * UNBUILT AND UNTESTED (README, "Building"): no FreeBSD machine or
 * sysroot was at hand; each function emits nothing.
 */
#include <errno.h>

#include "runctx.h"

int runctx_os_emit(runctx_add_fn add, void *ctx)
{
	(void)add;
	(void)ctx;
	return 0;
}

int runctx_os_target(unsigned int n, const char *path, runctx_add_fn add, void *ctx)
{
	(void)n;
	(void)path;
	(void)add;
	(void)ctx;
	return 0;
}


int runctx_steal_read(uint64_t *ns, unsigned int max)
{
	(void)ns;
	(void)max;
	return -EOPNOTSUPP;
}
