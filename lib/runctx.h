/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * runctx.h - the run context: what else shaped the numbers of a run.
 *
 * platform.h says which hypervisor and container a log comes from; this
 * says the rest a reader needs to compare two logs fairly: how many vCPUs
 * the guest had and which ones the job could use, its memory, kernel and
 * OS, the clocksource, the cgroup limits the job ran under, the block
 * device and queue settings under each target, and how much time the
 * hypervisor stole from each vCPU.  The engine writes these keys into
 * every log header; `vmlat detect` prints the machine-wide ones.
 *
 * Every function calls ADD(CTX, key, value) once per key (the callback of
 * platform_emit(), so both can share a printer), stops at the first
 * non-zero return of ADD and returns it, else 0.  A source that does not
 * exist or cannot be read gives no key: absence is evidence too, and a
 * job never fails because of it.  Values are the raw text of their source
 * (first line, or lines joined with ';'), numbers in decimal.
 *
 * Keys of runctx_emit():
 *
 *   run.kernel                   uname -r
 *   run.kernel.version           uname -v
 *   run.arch                     uname -m
 *   run.os                       PRETTY_NAME of /etc/os-release
 *                                (else /usr/lib/os-release)
 *   run.cpus.configured          vCPUs the kernel knows (nproc --all)
 *   run.mem_total_bytes          physical memory
 * and on Linux (runctx_linux.c):
 *   run.cpus.online              /sys/devices/system/cpu/online ("0-3")
 *   run.cpus.online_count        vCPUs in that list
 *   run.cpus.allowed             the calling thread's CPU affinity, as a list
 *   run.cpus.allowed_count       vCPUs in it (nproc)
 *   run.clocksource              .../clocksource0/current_clocksource
 *   run.clocksource.available    .../clocksource0/available_clocksource
 *   run.cgroup                   the process's cgroup v2 path (/proc/self/cgroup
 *                                "0::" line); "v1" on a cgroup v1-only host
 *   run.cgroup.cpu.max           these three files of that cgroup, under
 *   run.cgroup.io.max            /sys/fs/cgroup; io.max lines joined with ';'
 *   run.cgroup.cpuset.cpus.effective   (an empty io.max: no limit)
 *   run.steal_tick_ns            the resolution of the steal counters (USER_HZ)
 *
 * Keys of runctx_emit_target(N, PATH): the block device that holds PATH
 * (PATH itself when it is one; for a file, its filesystem's device
 * st_dev; for a partition, the disk it is on):
 *
 *   target.N.dev                 MAJ:MIN of that device
 *   target.N.fs                  filesystem type (/proc/self/mountinfo),
 *                                only for a file
 *   target.N.partition           the partition's name, when it is one
 *   target.N.disk                the whole disk's name (sda, vda, loop0)
 *   target.N.driver              the first driver found walking the disk's
 *                                device links up (sd, virtio_blk, nvme),
 *                                else the major's name in /proc/devices (loop)
 *   target.N.queue.scheduler     raw, the active one in brackets
 *   target.N.queue.rotational
 *   target.N.queue.write_cache
 *   target.N.queue.nr_requests
 *
 * A file on a filesystem without a block device (tmpfs, overlay) has
 * dev and fs, and nothing below them.
 */
#ifndef VMLAT_RUNCTX_H
#define VMLAT_RUNCTX_H

#include <stdint.h>

typedef int (*runctx_add_fn)(void *ctx, const char *key, const char *value);

/* The run.* keys above, for the calling thread. */
int runctx_emit(runctx_add_fn add, void *ctx);

/* The target.N.* keys above.  A PATH that does not exist yet is judged by
 * its directory (fio creates the file there). */
int runctx_emit_target(unsigned int n, const char *path, runctx_add_fn add, void *ctx);

/*
 * runctx_emit_steal - "NAME.cpuK" = ns the hypervisor has stolen from vCPU
 * K since boot, for every vCPU the kernel reports (Linux: 8th field of
 * /proc/stat, in steps of run.steal_tick_ns).  Costs ~10 us: never per IO.
 */
int runctx_emit_steal(const char *name, runctx_add_fn add, void *ctx);

/*
 * runctx_steal_read - the same counters into NS[K] for vCPU K < MAX
 * (UINT64_MAX where the kernel reports no vCPU K).  Returns the number of
 * slots used (highest vCPU + 1), or -errno (-EOPNOTSUPP where the OS keeps
 * no steal counters).  For a side thread (vmlat_ctx=steal): no per-IO use.
 */
int runctx_steal_read(uint64_t *ns, unsigned int max);

/* The operating system's part of each (runctx_linux.c, runctx_freebsd.c). */
int runctx_os_emit(runctx_add_fn add, void *ctx);
int runctx_os_target(unsigned int n, const char *path, runctx_add_fn add, void *ctx);

#endif /* VMLAT_RUNCTX_H */
