/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * guard_os.h - the questions the write guard asks the operating system.
 *
 * guard.c owns the portable half of the guard: opening the target, reading
 * signatures with libblkid and wording the findings.  Whether a device is
 * mounted, active swap or claimed by another driver, and which partitions a
 * disk has, is answered differently by every kernel, so those questions are
 * asked through this interface and answered by exactly one file per system:
 * guard_linux.c reads /proc/self/mountinfo, /proc/swaps and sysfs; a FreeBSD
 * port adds guard_freebsd.c (getmntinfo(), swapctl, GEOM) and the Makefile
 * builds one or the other.  Nothing outside engine/guard*.c includes this.
 */
#ifndef VMLAT_GUARD_OS_H
#define VMLAT_GUARD_OS_H

#include <stddef.h>
#include <sys/types.h>

/* One device whose use or contents a write to the target would destroy. */
struct guard_dev {
	dev_t rdev;
	char name[512]; /* for messages: "/dev/sda1", or the user's path */
};

/*
 * The target and everything a write to it overwrites: devs[0] is the
 * target itself; when it is a whole disk, its partitions follow (a write
 * to a disk destroys them all, a write to a partition only itself).
 */
struct guard_target {
	const char *path; /* as the user gave it; what probes open */
	struct guard_dev *devs;
	size_t ndevs;
	size_t alloc;
};

/* Where findings accumulate: the caller's buffer, filled as far as it goes. */
struct guard_why {
	char *buf;
	size_t len;
	size_t used;
	unsigned int found; /* findings so far, truncated or not */
};

/* Appends device RDEV, called NAME in messages, to T.  Returns 0 or -ENOMEM. */
int guard_target_add(struct guard_target *t, dev_t rdev, const char *name);

/* Appends one finding, "; "-separated from the previous one.  Returns 1. */
int guard_why_add(struct guard_why *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Replaces the findings with an error message.  Returns ERR (-errno). */
int guard_why_fail(struct guard_why *w, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * guard_os_partitions - append to T the partitions of T->devs[0] when it
 * is a whole disk; nothing when it is itself a partition.  Returns 0 or
 * -errno with the reason in W.
 */
int guard_os_partitions(struct guard_target *t, struct guard_why *w);

/*
 * One source of evidence that a device of T is in use: adds a finding to
 * W for each device it convicts and returns how many (0 when none), or
 * -errno with the reason in W when the source cannot be read.
 */
typedef int (*guard_check_fn)(const struct guard_target *t, struct guard_why *w);

/*
 * This system's sources of evidence of use, in the order their findings
 * are reported; the array ends with NULL.  guard.c runs them after the
 * signature probe.
 */
extern const guard_check_fn guard_os_checks[];

#endif /* VMLAT_GUARD_OS_H */
