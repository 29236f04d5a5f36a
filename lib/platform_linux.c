/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * platform_linux.c - gather the platform evidence of a Linux system.
 *
 * The evidence is a list of paths (one table) read in one of four ways:
 * a file's first line, whether a path exists, a link's target, or one
 * variable of PID 1's environment.  Every path is read under a sysroot,
 * so tests point it at a fixture tree (tests/fixtures/platform/NAME/root)
 * and a fake CPUID, and check every rule on any machine.
 *
 * Nothing found is an error: a file that does not exist is ABSENT (most of
 * them exist only on some platforms), one that exists but cannot be read
 * is UNREADABLE (/proc/1/environ and /proc/1/ns/cgroup need
 * CAP_SYS_PTRACE; a sysroot has no /proc at all), and the caller still
 * gets a verdict from what was readable.  Presence is tested as existence,
 * never content: a fixture marks a directory such as /proc/xen with a
 * placeholder file inside, because git cannot store an empty directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platform.h"
#include "util.h"

enum how {
	FIRST_LINE, /* the first line of the file */
	EXISTS,	    /* only whether the path exists */
	LINK,	    /* the target of a symbolic link */
	PID1_ENV,   /* container= in a NUL-separated environment */
};

#define SRC(path, field, how) { path, offsetof(struct platform_evidence, field), how }

static const struct source {
	const char *path;
	size_t off;
	enum how how;
} sources[] = {
	SRC("/sys/class/dmi/id/product_name", dmi.product_name, FIRST_LINE),
	SRC("/sys/class/dmi/id/sys_vendor", dmi.sys_vendor, FIRST_LINE),
	SRC("/sys/class/dmi/id/board_vendor", dmi.board_vendor, FIRST_LINE),
	SRC("/sys/class/dmi/id/bios_vendor", dmi.bios_vendor, FIRST_LINE),
	SRC("/sys/class/dmi/id/product_version", dmi.product_version, FIRST_LINE),
	SRC("/proc/xen", xen.proc_xen, EXISTS),
	SRC("/proc/xen/capabilities", xen.capabilities, FIRST_LINE),
	SRC("/sys/hypervisor/type", hypervisor.type, FIRST_LINE),
	SRC("/sys/hypervisor/guest_type", hypervisor.guest_type, FIRST_LINE),
	SRC("/sys/hypervisor/uuid", hypervisor.uuid, FIRST_LINE),
	SRC("/sys/hypervisor/properties/features", hypervisor.features, FIRST_LINE),
	SRC("/proc/device-tree/hypervisor/compatible", devicetree.hypervisor, FIRST_LINE),
	SRC("/proc/vz", container.proc_vz, EXISTS),
	SRC("/proc/bc", container.proc_bc, EXISTS),
	SRC("/run/host/container-manager", container.host_manager, FIRST_LINE),
	SRC("/run/systemd/container", container.systemd, FIRST_LINE),
	SRC("/proc/1/environ", container.pid1_env, PID1_ENV),
	SRC("/run/.containerenv", container.containerenv, EXISTS),
	SRC("/.dockerenv", container.dockerenv, EXISTS),
	SRC("/proc/self/ns/cgroup", ns.cgroup_self, LINK),
	SRC("/proc/1/ns/cgroup", ns.cgroup_pid1, LINK),
	SRC("/proc/sys/kernel/osrelease", kernel.osrelease, FIRST_LINE),
};

/* ENOENT and ENOTDIR (a file where a directory would be) mean "not there". */
static void set_error(struct platform_item *it, int err)
{
	it->state = err == ENOENT || err == ENOTDIR ? PLATFORM_ABSENT : PLATFORM_UNREADABLE;
}

/* Keep the text up to the first newline or NUL; drop a trailing CR. */
static void keep_line(struct platform_item *it, const char *buf)
{
	size_t len = strcspn(buf, "\n"); /* buf is NUL-terminated: a NUL ends it too */

	if (len && buf[len - 1] == '\r')
		len--;
	memcpy(it->value, buf, len);
	it->value[len] = '\0';
	it->state = PLATFORM_PRESENT;
}

/* Up to LEN - 1 bytes of FD into BUF, NUL-terminated; 0 or an errno. */
static int read_some(int fd, char *buf, size_t len)
{
	size_t n = 0;
	ssize_t r = 1;

	while (n < len - 1 && r > 0) {
		r = read(fd, buf + n, len - 1 - n);
		if (r < 0 && errno != EINTR)
			return errno;
		if (r > 0)
			n += (size_t)r;
		if (r < 0)
			r = 1;
	}
	buf[n] = '\0';
	return 0;
}

static void read_first_line(const char *path, struct platform_item *it)
{
	char buf[PLATFORM_VALUE_BYTES];
	int err, fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0) {
		set_error(it, errno);
		return;
	}
	err = read_some(fd, buf, sizeof(buf));
	close(fd);
	if (err)
		set_error(it, err);
	else
		keep_line(it, buf);
}

static void check_exists(const char *path, struct platform_item *it)
{
	struct stat st;

	if (stat(path, &st)) {
		set_error(it, errno);
		return;
	}
	it->state = PLATFORM_PRESENT;
}

static void read_link(const char *path, struct platform_item *it)
{
	ssize_t n = readlink(path, it->value, sizeof(it->value) - 1);

	if (n < 0) {
		set_error(it, errno);
		return;
	}
	it->value[n] = '\0';
	it->state = PLATFORM_PRESENT;
}

/* container=VALUE among the NUL-separated entries; ABSENT when PID 1 has none. */
static void read_pid1_env(const char *path, struct platform_item *it)
{
	static const char name[] = "container=";
	FILE *f = fopen(path, "re");
	char *entry = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!f) {
		set_error(it, errno);
		return;
	}
	errno = 0;
	while ((n = getdelim(&entry, &cap, '\0', f)) > 0) {
		if (strncmp(entry, name, sizeof(name) - 1))
			continue;
		snprintf(it->value, sizeof(it->value), "%s", entry + sizeof(name) - 1);
		it->state = PLATFORM_PRESENT;
		break;
	}
	if (n < 0 && errno && errno != ENOENT)
		set_error(it, errno); /* EACCES shows on the first read, not at open */
	free(entry);
	fclose(f);
}

static int root_path(char *dst, size_t len, const char *sysroot, const char *path)
{
	int n = snprintf(dst, len, "%s%s", sysroot ? sysroot : "", path);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int gather_files(const char *sysroot, struct platform_evidence *ev)
{
	char path[PATH_MAX];
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(sources); i++) {
		struct platform_item *it = (struct platform_item *)((char *)ev + sources[i].off);

		ret = root_path(path, sizeof(path), sysroot, sources[i].path);
		if (ret)
			return ret;
		if (sources[i].how == FIRST_LINE)
			read_first_line(path, it);
		else if (sources[i].how == EXISTS)
			check_exists(path, it);
		else if (sources[i].how == LINK)
			read_link(path, it);
		else
			read_pid1_env(path, it);
	}
	return 0;
}

int platform_gather(const char *sysroot, const char *cpuid_override,
		    struct platform_evidence *ev)
{
	struct stat st;
	int ret;

	platform_evidence_init(ev);
	if (sysroot && !strcmp(sysroot, "/"))
		sysroot = NULL;
	if (sysroot && stat(sysroot, &st))
		return -errno;
	if (sysroot && !S_ISDIR(st.st_mode))
		return -ENOTDIR;
	ret = platform_cpuid_get(ev, cpuid_override);
	if (ret)
		return ret;
	return gather_files(sysroot, ev);
}
