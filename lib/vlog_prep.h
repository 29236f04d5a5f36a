/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vlog_prep.h - the log writer's window helper (lib/vlog_prep.c), inside
 * lib only: vlog_write.c is its one user.
 *
 * A window change costs the writer's thread one fallocate, one mmap and
 * the pre-fault of the whole window: on a VM, mostly the kernel zeroing
 * fresh pages and the hypervisor backing them, about all the log costs a
 * page-cached 4 KiB read (BENCHMARKS.md).  A helper thread does that for
 * the next window while the writer fills the current one, in a second
 * slot of address space; the change is then a pointer switch.  The helper
 * runs at SCHED_IDLE on any CPU, on time no other thread wants: on a guest
 * with one vCPU busy with IO it may never run, and the writer then maps
 * the window itself, as without a helper.
 */
#ifndef VMLAT_VLOG_PREP_H
#define VMLAT_VLOG_PREP_H

#include <stdint.h>
#include <sys/types.h>

#include "vlog.h"

/* A mapped window: its records and how many it holds. */
struct vlog_window {
	struct vlog_rec *recs;
	uint32_t cap;
};

/*
 * vlog_window_map - allocate on disk and map at AT (MAP_FIXED) the window
 * of WINDOW_BYTES whose records start at file offset OFF, pre-faulted for
 * writing.  0 or -errno (in vlog_write.c).
 */
int vlog_window_map(int fd, uint32_t window_bytes, off_t off, void *at, struct vlog_window *out);

struct vlog_prep;

/*
 * vlog_prep_start - a helper for the log at FD, or NULL: none wanted
 * (VMLAT_LOG_PREP=inline) or none could start; the writer then maps every
 * window itself.  VMLAT_LOG_PREP=slow makes the helper wait 0.5 ms before
 * each window, so the tests see the writer claim a window the helper has
 * not begun and wait for one it is mapping.
 */
struct vlog_prep *vlog_prep_start(int fd, uint32_t window_bytes);

/* Ask for the window of records from file offset OFF, mapped at AT. */
void vlog_prep_request(struct vlog_prep *p, off_t off, void *at);

/*
 * vlog_prep_take - the window asked for: ready, or being mapped (waits for
 * it), or not begun (maps it now, in the caller).  0 or its -errno.
 */
int vlog_prep_take(struct vlog_prep *p, struct vlog_window *out);

/* Stop and join the helper (after the mapping it is doing, if any). */
void vlog_prep_stop(struct vlog_prep *p);

#endif /* VMLAT_VLOG_PREP_H */
