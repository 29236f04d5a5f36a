/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * guard_linux.c - the write guard's questions about use (guard_os.h),
 * answered by Linux.
 *
 * Sources of evidence, in the order they are reported:
 *   mounts   /proc/self/mountinfo.  Field 3 is the device of each mounted
 *            superblock, the block device itself for disk filesystems.
 *            btrfs (and any filesystem with an anonymous superblock device)
 *            shows 0:N there instead, so for those the mount source is
 *            stat()ed too.
 *   swap     /proc/swaps, whose paths are stat()ed: it names no devices.
 *   holders  /sys/dev/block/MAJ:MIN/holders: device-mapper, md, bcache and
 *            other drivers stacked on the device.
 *   claims   open(O_EXCL), which the kernel refuses with EBUSY while
 *            anything claims the device or one of its partitions: mounts
 *            and swap in other mount namespaces (a container sees only its
 *            own mountinfo), secondary btrfs devices, ZFS.  It is asked
 *            only when nothing else was found, as it would only repeat
 *            them and it claims the device itself for an instant.
 * Every source is checked for the target and, when it is a whole disk,
 * each of its partitions (guard_os_partitions, from sysfs).
 *
 * A source that cannot be read fails the whole check rather than being
 * skipped: without /proc or /sys we cannot say the device is unused.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "guard_os.h"

#define MOUNTINFO "/proc/self/mountinfo"
#define SWAPS "/proc/swaps"

static int fail_errno(struct guard_why *w, const char *act, const char *what)
{
	int err = errno ? errno : EIO;

	return guard_why_fail(w, -err, "cannot %s '%s': %s", act, what, strerror(err));
}

/* The kernel writes space, tab, newline and backslash in paths as \ooo. */
static char *unescape(char *s)
{
	char *r = s, *o = s;

	while (*r) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
		    r[3] >= '0' && r[3] <= '7') {
			*o++ = (char)((r[1] - '0') << 6 | (r[2] - '0') << 3 | (r[3] - '0'));
			r += 4;
		} else {
			*o++ = *r++;
		}
	}
	*o = '\0';
	return s;
}

static int is_blk(const char *path, dev_t rdev)
{
	struct stat st;

	return !stat(path, &st) && S_ISBLK(st.st_mode) && st.st_rdev == rdev;
}

struct mount_line {
	dev_t dev;	/* field 3 */
	char *point;	/* field 5 */
	char *source;	/* the second field after "-" */
};

/* Splits LINE in place.  Returns 0, or -EINVAL for a line we cannot read. */
static int parse_mount(char *line, struct mount_line *m)
{
	unsigned int maj = 0, min = 0;
	char *save = NULL, *f;
	int i, dash = -1;

	m->point = m->source = NULL;
	for (i = 0, f = strtok_r(line, " \n", &save); f; i++, f = strtok_r(NULL, " \n", &save)) {
		if (i == 2 && sscanf(f, "%u:%u", &maj, &min) != 2)
			return -EINVAL;
		if (i == 4)
			m->point = f;
		if (i > 5 && dash < 0 && !strcmp(f, "-"))
			dash = i;
		if (dash > 0 && i == dash + 2)
			m->source = f;
	}
	if (!m->point)
		return -EINVAL;
	m->dev = makedev(maj, min);
	return 0;
}

static int mount_is_on(struct mount_line *m, dev_t rdev)
{
	if (m->dev == rdev)
		return 1;
	return major(m->dev) == 0 && m->source && m->source[0] == '/' &&
	       is_blk(unescape(m->source), rdev);
}

/* One finding per device, however many places it is mounted on (bind mounts). */
static int dev_mounts(const struct guard_dev *d, struct guard_why *w)
{
	char first[PATH_MAX] = "", *line = NULL;
	struct mount_line m;
	unsigned int n = 0;
	size_t cap = 0;
	FILE *f;
	int err;

	errno = 0;
	f = fopen(MOUNTINFO, "re");
	if (!f)
		return fail_errno(w, "open", MOUNTINFO);
	while (getline(&line, &cap, f) > 0) {
		if (parse_mount(line, &m) || !mount_is_on(&m, d->rdev))
			continue;
		if (!n++)
			snprintf(first, sizeof(first), "%s", unescape(m.point));
	}
	err = ferror(f);
	free(line);
	fclose(f);
	if (err)
		return guard_why_fail(w, -EIO, "cannot read '%s': %s", MOUNTINFO, strerror(EIO));
	if (n > 1)
		return guard_why_add(w, "%s is mounted on %s and %u more places", d->name, first,
				     n - 1);
	return n ? guard_why_add(w, "%s is mounted on %s", d->name, first) : 0;
}

static int dev_swap(const struct guard_dev *d, struct guard_why *w)
{
	char *line = NULL, *path, *save;
	size_t cap = 0;
	int n = 0, err;
	FILE *f;

	errno = 0;
	f = fopen(SWAPS, "re");
	if (!f)
		return fail_errno(w, "open", SWAPS);
	/* the first line is the column header */
	while (getline(&line, &cap, f) > 0) {
		path = strtok_r(line, " \t\n", &save);
		if (path && path[0] == '/' && is_blk(unescape(path), d->rdev))
			n = 1;
	}
	err = ferror(f);
	free(line);
	fclose(f);
	if (err)
		return guard_why_fail(w, -EIO, "cannot read '%s': %s", SWAPS, strerror(EIO));
	return n ? guard_why_add(w, "%s is active swap", d->name) : 0;
}

static int dev_holders(const struct guard_dev *d, struct guard_why *w)
{
	char dir[64], names[256] = "";
	struct dirent *e;
	size_t used = 0;
	DIR *dp;
	int n;

	snprintf(dir, sizeof(dir), "/sys/dev/block/%u:%u/holders", major(d->rdev),
		 minor(d->rdev));
	errno = 0;
	dp = opendir(dir);
	if (!dp)
		return fail_errno(w, "open", dir);
	while (used < sizeof(names) && (e = readdir(dp))) {
		if (e->d_name[0] == '.')
			continue;
		n = snprintf(names + used, sizeof(names) - used, "%s%s", used ? ", " : "",
			     e->d_name);
		used += n > 0 ? (size_t)n : 0;
	}
	closedir(dp);
	return used ? guard_why_add(w, "%s is in use by %s (holders)", d->name, names) : 0;
}

static int each_dev(const struct guard_target *t, struct guard_why *w,
		    int (*check)(const struct guard_dev *, struct guard_why *))
{
	int n = 0, ret;
	size_t i;

	for (i = 0; i < t->ndevs; i++) {
		ret = check(&t->devs[i], w);
		if (ret < 0)
			return ret;
		n += ret;
	}
	return n;
}

static int check_mounts(const struct guard_target *t, struct guard_why *w)
{
	return each_dev(t, w, dev_mounts);
}

static int check_swap(const struct guard_target *t, struct guard_why *w)
{
	return each_dev(t, w, dev_swap);
}

static int check_holders(const struct guard_target *t, struct guard_why *w)
{
	return each_dev(t, w, dev_holders);
}

/* Read-only, so closing it does not make udev rescan the device. */
static int check_claims(const struct guard_target *t, struct guard_why *w)
{
	int fd;

	if (w->found)
		return 0;
	errno = 0;
	fd = open(t->path, O_RDONLY | O_EXCL | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (errno == EBUSY)
		return guard_why_add(w, "%s is in use (the kernel refuses an exclusive open)",
				     t->devs[0].name);
	return fail_errno(w, "open", t->path);
}

const guard_check_fn guard_os_checks[] = {
	check_mounts,
	check_swap,
	check_holders,
	check_claims,
	NULL,
};

/* Reads DIRFD/REL, a one-line sysfs attribute, into BUF.  Returns 0 or -errno. */
static int read_attr(int dirfd, const char *rel, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = openat(dirfd, rel, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -EIO;
	buf[n] = '\0';
	return 0;
}

/* ENTRY of the disk's sysfs directory is a partition when it has "partition". */
static int add_partition(struct guard_target *t, int dirfd, const char *entry,
			 struct guard_why *w)
{
	char rel[300], buf[32], name[300], *c;
	unsigned int maj, min;
	int ret;

	snprintf(rel, sizeof(rel), "%s/partition", entry);
	if (faccessat(dirfd, rel, F_OK, 0))
		return 0;
	snprintf(rel, sizeof(rel), "%s/dev", entry);
	ret = read_attr(dirfd, rel, buf, sizeof(buf));
	if (!ret && sscanf(buf, "%u:%u", &maj, &min) != 2)
		ret = -EINVAL;
	if (ret)
		return guard_why_fail(w, ret, "cannot read '%s' of '%s': %s", rel,
				      t->devs[0].name, strerror(-ret));
	/* sysfs writes '/' in device names as '!' (cciss!c0d0p1) */
	snprintf(name, sizeof(name), "/dev/%s", entry);
	for (c = name; (c = strchr(c, '!')); )
		*c = '/';
	ret = guard_target_add(t, makedev(maj, min), name);
	return ret ? guard_why_fail(w, ret, "cannot check '%s': %s", t->path, strerror(-ret)) : 0;
}

int guard_os_partitions(struct guard_target *t, struct guard_why *w)
{
	char dir[64];
	struct dirent *e;
	int ret = 0;
	DIR *dp;

	snprintf(dir, sizeof(dir), "/sys/dev/block/%u:%u", major(t->devs[0].rdev),
		 minor(t->devs[0].rdev));
	errno = 0;
	dp = opendir(dir);
	if (!dp)
		return fail_errno(w, "open", dir);
	/* a partition has no partitions: a write to it destroys only itself */
	if (!faccessat(dirfd(dp), "partition", F_OK, 0)) {
		closedir(dp);
		return 0;
	}
	while (!ret && (e = readdir(dp)))
		if (e->d_name[0] != '.')
			ret = add_partition(t, dirfd(dp), e->d_name, w);
	closedir(dp);
	return ret;
}
