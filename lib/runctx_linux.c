/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * runctx_linux.c - the run context on Linux (keys: runctx.h).
 *
 * Everything comes from /proc and /sys, read once per job (at open and at
 * close), never per IO.  Files are small; each is read into a stack
 * buffer, and a value that does not fit is cut (the sources here are a
 * few dozen bytes; io.max grows with the devices it limits).
 *
 * The cgroup is found the way systemd does it: the "0::" line of
 * /proc/self/cgroup is the process's cgroup v2 path, relative to where
 * cgroup2 is mounted (/sys/fs/cgroup, or /sys/fs/cgroup/unified on a
 * hybrid host, where cpu.max and io.max are absent because the
 * controllers stay on v1).  The mount point is taken from
 * /proc/self/mountinfo, not assumed.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "runctx.h"
#include "util.h"

#define VAL_BYTES 1024

/* The whole file, lines joined with ';', no trailing newline.  0 or -errno. */
static int read_value(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	char *p;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	for (p = buf; (p = strchr(p, '\n')); p++)
		*p = ';';
	return 0;
}

/* snprintf that says when it had to cut: 0, or -1 when OUT was too small. */
static int fit(char *out, size_t len, const char *a, const char *b)
{
	return (size_t)snprintf(out, len, "%s%s", a, b) < len ? 0 : -1;
}

/* The value of the file DIR/NAME into BUF: 0 or -1. */
static int file_value(const char *dir, const char *name, char *buf, size_t len)
{
	char path[PATH_MAX];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path) ||
	    read_value(path, buf, len))
		return -1;
	return 0;
}

/* KEY = the file at DIR/NAME, when it can be read. */
static int add_file(runctx_add_fn add, void *ctx, const char *key, const char *dir,
		    const char *name)
{
	char buf[VAL_BYTES];

	return file_value(dir, name, buf, sizeof(buf)) ? 0 : add(ctx, key, buf);
}

static int add_uint(runctx_add_fn add, void *ctx, const char *key, unsigned long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", v);
	return add(ctx, key, buf);
}

/* "0-3,6,8-9" -> 7 */
static unsigned int cpulist_count(const char *list)
{
	unsigned int n = 0, a, b;
	const char *p = list;
	int used;

	while (*p) {
		if (sscanf(p, "%u-%u%n", &a, &b, &used) == 2 && b >= a)
			n += b - a + 1;
		else if (sscanf(p, "%u%n", &a, &used) == 1)
			n++;
		else
			break;
		p += used;
		p += *p == ',';
	}
	return n;
}

/* A CPU set as a list in the kernel's own syntax ("0-3,6"). */
static void cpulist_format(const cpu_set_t *set, char *out, size_t len)
{
	size_t n = 0;
	int cpu, end;

	out[0] = '\0';
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, set))
			continue;
		for (end = cpu; end + 1 < CPU_SETSIZE && CPU_ISSET(end + 1, set); end++)
			;
		n += (size_t)snprintf(out + n, n < len ? len - n : 0, end > cpu ? "%s%d-%d" : "%s%d",
				      n ? "," : "", cpu, end);
		cpu = end;
	}
}

static int add_cpus(runctx_add_fn add, void *ctx)
{
	char buf[VAL_BYTES];
	cpu_set_t set;
	int ret = 0;

	if (!read_value("/sys/devices/system/cpu/online", buf, sizeof(buf))) {
		ret = add(ctx, "run.cpus.online", buf);
		ret = ret ? ret : add_uint(add, ctx, "run.cpus.online_count", cpulist_count(buf));
	}
	if (!ret && !sched_getaffinity(0, sizeof(set), &set)) {
		cpulist_format(&set, buf, sizeof(buf));
		ret = add(ctx, "run.cpus.allowed", buf);
		ret = ret ? ret : add_uint(add, ctx, "run.cpus.allowed_count", (unsigned)CPU_COUNT(&set));
	}
	return ret;
}

enum mount_by { BY_DEV, BY_FSTYPE };

/*
 * Find the first mountinfo line whose MAJ:MIN (field 3, BY_DEV) or
 * filesystem type (after " - ", BY_FSTYPE) is VALUE; copy its mount point
 * and type.  0 when found.
 */
static int mountinfo_find(enum mount_by by, const char *value, char *mnt, size_t mlen, char *fs,
			  size_t flen)
{
	char line[4096], majmin[64], point[PATH_MAX], type[64];
	const char *sep;
	int found = -1;
	FILE *f = fopen("/proc/self/mountinfo", "re");

	if (!f)
		return -1;
	while (found && fgets(line, sizeof(line), f)) {
		sep = strstr(line, " - ");
		if (!sep || sscanf(line, "%*s %*s %63s %*s %4095s", majmin, point) != 2 ||
		    sscanf(sep + 3, "%63s", type) != 1)
			continue;
		if (strcmp(by == BY_DEV ? majmin : type, value))
			continue;
		/* octal escapes (\040) in the mount point are kept as they are */
		found = fit(mnt, mlen, point, "") | fit(fs, flen, type, "");
	}
	fclose(f);
	return found;
}

/* The "0::/path" line of /proc/self/cgroup. */
static int cgroup_v2_path(char *out, size_t len)
{
	char line[PATH_MAX + 8];
	int found = -1;
	FILE *f = fopen("/proc/self/cgroup", "re");

	if (!f)
		return -1;
	while (found && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3))
			continue;
		line[strcspn(line, "\n")] = '\0';
		found = fit(out, len, line + 3, "");
	}
	fclose(f);
	return found;
}

static int add_cgroup(runctx_add_fn add, void *ctx)
{
	char path[PATH_MAX], mnt[PATH_MAX], fs[64], dir[2 * PATH_MAX + 2];
	int ret;

	if (cgroup_v2_path(path, sizeof(path)))
		return access("/proc/self/cgroup", F_OK) ? 0 : add(ctx, "run.cgroup", "v1");
	ret = add(ctx, "run.cgroup", path);
	if (ret || mountinfo_find(BY_FSTYPE, "cgroup2", mnt, sizeof(mnt), fs, sizeof(fs)))
		return ret;
	snprintf(dir, sizeof(dir), "%s%s", mnt, strcmp(path, "/") ? path : "");
	ret = add_file(add, ctx, "run.cgroup.cpu.max", dir, "cpu.max");
	ret = ret ? ret : add_file(add, ctx, "run.cgroup.io.max", dir, "io.max");
	return ret ? ret : add_file(add, ctx, "run.cgroup.cpuset.cpus.effective", dir,
				    "cpuset.cpus.effective");
}

static unsigned long long steal_tick_ns(void)
{
	long hz = sysconf(_SC_CLK_TCK);

	return hz > 0 ? 1000000000ull / (unsigned long long)hz : 10000000ull;
}

int runctx_os_emit(runctx_add_fn add, void *ctx)
{
	static const char cs[] = "/sys/devices/system/clocksource/clocksource0";
	int ret = add_cpus(add, ctx);

	ret = ret ? ret : add_file(add, ctx, "run.clocksource", cs, "current_clocksource");
	ret = ret ? ret : add_file(add, ctx, "run.clocksource.available", cs, "available_clocksource");
	ret = ret ? ret : add_cgroup(add, ctx);
	return ret ? ret : add_uint(add, ctx, "run.steal_tick_ns", steal_tick_ns());
}

/*
 * /proc/stat: "cpu" (all), then "cpuK user nice system idle iowait irq
 * softirq steal ..." for each vCPU, then other lines (one of them, intr,
 * can be kilobytes long: reading stops before it).
 */
int runctx_steal_read(uint64_t *ns, unsigned int max)
{
	unsigned long long tick = steal_tick_ns(), steal;
	unsigned int cpu, used = 0, k;
	char line[512];
	FILE *f = fopen("/proc/stat", "re");

	if (!f)
		return -errno;
	for (k = 0; k < max; k++)
		ns[k] = UINT64_MAX;
	while (fgets(line, sizeof(line), f) && !strncmp(line, "cpu", 3)) {
		if (line[3] < '0' || line[3] > '9' ||
		    sscanf(line, "cpu%u %*u %*u %*u %*u %*u %*u %*u %llu", &cpu, &steal) != 2 ||
		    cpu >= max)
			continue;
		ns[cpu] = steal * tick;
		used = cpu + 1 > used ? cpu + 1 : used;
	}
	fclose(f);
	return (int)used;
}

/* Name of block major MAJ in /proc/devices ("7 loop"). */
static int major_name(unsigned int maj, char *out, size_t len)
{
	char line[256], name[64];
	unsigned int m;
	int block = 0, found = -1;
	FILE *f = fopen("/proc/devices", "re");

	if (!f)
		return -1;
	while (found && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Block devices:", 14))
			block = 1;
		else if (block && sscanf(line, "%u %63s", &m, name) == 2 && m == maj) {
			found = fit(out, len, name, "");
		}
	}
	fclose(f);
	return found;
}

/*
 * The first driver on the way up from DISK/device (virtio_blk, sd, nvme),
 * else the name of the disk's major (the disk's, from DISK/dev: partitions
 * of loop and nvme disks have major 259, "blkext").
 */
static int disk_driver(const char *disk, char *out, size_t len)
{
	char path[PATH_MAX], link[PATH_MAX];
	const char *base;
	unsigned int maj;
	ssize_t n;
	int up;

	if (fit(path, sizeof(path), disk, "/device"))
		return -1;
	for (up = 0; up < 4 && strlen(path) + 16 < sizeof(path); up++) {
		size_t end = strlen(path);

		strcat(path, "/driver");
		n = readlink(path, link, sizeof(link) - 1);
		if (n > 0) {
			link[n] = '\0';
			base = strrchr(link, '/');
			return fit(out, len, base ? base + 1 : link, "");
		}
		strcpy(path + end, "/device");
	}
	if (file_value(disk, "dev", link, sizeof(link)) ||
	    sscanf(link, "%u:", &maj) != 1)
		return -1;
	return major_name(maj, out, len);
}

static int add_disk(unsigned int n, dev_t dev, runctx_add_fn add, void *ctx)
{
	static const char *const queue[] = { "scheduler", "rotational", "write_cache", "nr_requests" };
	char sys[PATH_MAX], real[PATH_MAX], key[96], buf[128];
	char *slash;
	size_t i;
	int ret = 0;

	snprintf(sys, sizeof(sys), "/sys/dev/block/%u:%u", major(dev), minor(dev));
	if (!realpath(sys, real) || !(slash = strrchr(real, '/')))
		return 0;
	/* a partition is .../block/sda/sda1: its disk is the parent directory */
	if (!fit(sys, sizeof(sys), real, "/partition") && !access(sys, F_OK)) {
		snprintf(key, sizeof(key), "target.%u.partition", n);
		ret = add(ctx, key, slash + 1);
		*slash = '\0';
		slash = strrchr(real, '/');
	}
	snprintf(key, sizeof(key), "target.%u.disk", n);
	ret = ret ? ret : add(ctx, key, slash + 1);
	snprintf(key, sizeof(key), "target.%u.driver", n);
	if (!ret && !disk_driver(real, buf, sizeof(buf)))
		ret = add(ctx, key, buf);
	if (ret || fit(sys, sizeof(sys), real, "/queue"))
		return ret;
	for (i = 0; !ret && i < ARRAY_SIZE(queue); i++) {
		snprintf(key, sizeof(key), "target.%u.queue.%s", n, queue[i]);
		ret = add_file(add, ctx, key, sys, queue[i]);
	}
	return ret;
}

/* stat PATH, or its directory when PATH does not exist yet. */
static int stat_target(const char *path, struct stat *st)
{
	char dir[PATH_MAX];
	char *slash;

	if (!stat(path, st))
		return 0;
	if (errno != ENOENT || strlen(path) >= sizeof(dir))
		return -1;
	strcpy(dir, path);
	slash = strrchr(dir, '/');
	if (!slash)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	return stat(dir, st);
}

int runctx_os_target(unsigned int n, const char *path, runctx_add_fn add, void *ctx)
{
	char key[64], val[64], mnt[PATH_MAX], fs[64];
	struct stat st;
	dev_t dev;
	int ret;

	if (stat_target(path, &st))
		return 0;
	dev = S_ISBLK(st.st_mode) ? st.st_rdev : st.st_dev;
	snprintf(key, sizeof(key), "target.%u.dev", n);
	snprintf(val, sizeof(val), "%u:%u", major(dev), minor(dev));
	ret = add(ctx, key, val);
	if (!ret && !S_ISBLK(st.st_mode) && !mountinfo_find(BY_DEV, val, mnt, sizeof(mnt), fs, sizeof(fs))) {
		snprintf(key, sizeof(key), "target.%u.fs", n);
		ret = add(ctx, key, fs);
	}
	return ret ? ret : add_disk(n, dev, add, ctx);
}
