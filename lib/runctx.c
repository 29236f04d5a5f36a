/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * runctx.c - the portable half of the run context (see runctx.h): what
 * POSIX answers the same way everywhere (uname, sysconf, os-release).
 * The rest is the operating system's: runctx_linux.c, runctx_freebsd.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "runctx.h"
#include "util.h"

/* PRETTY_NAME="Debian GNU/Linux 12 (bookworm)" -> Debian GNU/Linux 12 (bookworm) */
static int os_pretty_name(char *out, size_t len)
{
	static const char *const files[] = { "/etc/os-release", "/usr/lib/os-release" };
	char line[512];
	size_t i, n;
	FILE *f;

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		f = fopen(files[i], "re");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			if (strncmp(line, "PRETTY_NAME=", 12))
				continue;
			n = strcspn(line + 12, "\n");
			if (n >= 2 && line[12] == '"' && line[12 + n - 1] == '"')
				snprintf(out, len, "%.*s", (int)(n - 2), line + 13);
			else
				snprintf(out, len, "%.*s", (int)n, line + 12);
			fclose(f);
			return 0;
		}
		fclose(f);
	}
	return -1;
}

int runctx_emit(runctx_add_fn add, void *ctx)
{
	struct utsname u;
	char buf[512];
	long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
	int ret = 0;

	if (!uname(&u)) {
		ret = add(ctx, "run.kernel", u.release);
		ret = ret ? ret : add(ctx, "run.kernel.version", u.version);
		ret = ret ? ret : add(ctx, "run.arch", u.machine);
	}
	if (!ret && !os_pretty_name(buf, sizeof(buf)))
		ret = add(ctx, "run.os", buf);
	snprintf(buf, sizeof(buf), "%ld", sysconf(_SC_NPROCESSORS_CONF));
	ret = ret ? ret : add(ctx, "run.cpus.configured", buf);
	if (!ret && pages > 0 && page > 0) {
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)pages * (unsigned long long)page);
		ret = add(ctx, "run.mem_total_bytes", buf);
	}
	return ret ? ret : runctx_os_emit(add, ctx);
}

int runctx_emit_target(unsigned int n, const char *path, runctx_add_fn add, void *ctx)
{
	return runctx_os_target(n, path, add, ctx);
}

#define STEAL_MAX_CPUS 4096

int runctx_emit_steal(const char *name, runctx_add_fn add, void *ctx)
{
	uint64_t *ns = malloc(STEAL_MAX_CPUS * sizeof(*ns));
	char key[256], val[32];
	int n = ns ? runctx_steal_read(ns, STEAL_MAX_CPUS) : 0, k, ret = 0;

	for (k = 0; !ret && k < n; k++) {
		if (ns[k] == UINT64_MAX)
			continue;
		snprintf(key, sizeof(key), "%s.cpu%d", name, k);
		snprintf(val, sizeof(val), "%llu", (unsigned long long)ns[k]);
		ret = add(ctx, key, val);
	}
	free(ns);
	return ret;
}
