/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * probes.c - run Study B's probes in a fixed order and give them as
 * key=value pairs (the contract is in probes.h).
 *
 * The order is the cheapest-to-disturb first: the bit operations touch no
 * memory, then the memory probes, then TCP, which moves this thread
 * between vCPUs.  The scratch file is filled once (so its pages are in the
 * page cache, as lmbench's file is) and unlinked at once: when it is
 * closed its dirty pages are dropped with it, long before the flusher
 * would write them, so the probes put no IO on the disk the job measures.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h> /* isfinite(), a macro */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "probes_impl.h"
#include "util.h"

uint64_t probes_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double probes_median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void probes_set(struct probe_value *p, double ns)
{
	p->state = PROBE_OK;
	p->ns = ns;
	p->why[0] = '\0';
}

void probes_fail(struct probe_value *p, enum probe_state state, const char *fmt, ...)
{
	va_list ap;

	p->state = state;
	p->ns = 0;
	va_start(ap, fmt);
	vsnprintf(p->why, sizeof(p->why), fmt, ap);
	va_end(ap);
}

/*
 * An unlinked file of LEN bytes in DIR, its pages in the page cache; fd or
 * -errno.  Filled through a mapping rather than write(): no write syscall,
 * so a job's /proc/PID/io write count stays its IOs'.  posix_fallocate()
 * first, so a full file system is an error here, not a SIGBUS.
 */
static int scratch_file(const char *dir, size_t len)
{
	char path[PROBES_DIR_BYTES + 32];
	void *m;
	int fd, e;

	snprintf(path, sizeof(path), "%s/.vmlat-probe.XXXXXX", dir);
	fd = mkstemp(path);
	if (fd < 0)
		return -errno;
	unlink(path);
	e = posix_fallocate(fd, 0, (off_t)len);
	if (e && e != EOPNOTSUPP && e != EINVAL)
		goto fail;
	if (e && ftruncate(fd, (off_t)len)) {
		e = errno;
		goto fail;
	}
	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED) {
		e = errno;
		goto fail;
	}
	memset(m, 0x5a, len);
	munmap(m, len);
	return fd;
fail:
	close(fd);
	return -e;
}

static int count_failed(const struct probes *p);

static void file_failed(struct probes *p, int err)
{
	struct probe_value *v[] = { &p->pf_file_page, &p->pf_file_fault, &p->mmap };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(v); i++)
		probes_fail(v[i], PROBE_FAILED, "cannot make a scratch file in '%s': %s", p->dir,
			    strerror(err));
}

int probes_run(const char *dir, struct probes *p)
{
	uint64_t t0 = probes_now_ns();
	int fd;

	memset(p, 0, sizeof(*p));
	p->pagefault_bytes = PROBES_PAGEFAULT_BYTES;
	p->mmap_bytes = PROBES_MMAP_BYTES;
	p->cpu_a = p->cpu_b = -1;
	snprintf(p->dir, sizeof(p->dir), "%s", dir && *dir ? dir : "/tmp");
	probes_bitop(p);
	fd = scratch_file(p->dir, p->mmap_bytes);
	probes_pagefault(fd, p);
	if (fd >= 0) {
		probes_mmap(fd, p);
		close(fd);
	} else {
		file_failed(p, -fd);
	}
	probes_tcp(p);
	p->total_ns = probes_now_ns() - t0;
	return count_failed(p);
}

void probes_format_ns(double ns, char *buf, size_t len)
{
	unsigned long long ps;

	if (!isfinite(ns) || ns < 0)
		ns = 0;
	ps = (unsigned long long)(ns * 1000.0 + 0.5); /* no libm for llround() */
	snprintf(buf, len, "%llu.%03llu", ps / 1000, ps % 1000);
}

#define VALUE(k, f) { k, offsetof(struct probes, f), -1 }
#define RATIO(k, f) { k, -1, offsetof(struct probes, f) }

/* The keys of probes.h in order; -1 = not this kind. */
static const struct key {
	const char *key;
	long value; /* a struct probe_value */
	long ratio; /* a double, left out when 0 */
} keys[] = {
	VALUE("probe.bitop_ns", bitop),
	VALUE("probe.pagefault_file_ns_per_page", pf_file_page),
	VALUE("probe.pagefault_file_ns_per_fault", pf_file_fault),
	RATIO("probe.pagefault_file_pages_per_fault", pf_file_pages_per_fault),
	VALUE("probe.pagefault_anon_ns_per_page", pf_anon_page),
	VALUE("probe.pagefault_anon_ns_per_fault", pf_anon_fault),
	RATIO("probe.pagefault_anon_pages_per_fault", pf_anon_pages_per_fault),
	VALUE("probe.mmap_ns", mmap),
	VALUE("probe.tcp_rtt_same_cpu_ns", tcp_same),
	VALUE("probe.tcp_rtt_cross_cpu_ns", tcp_cross),
};

static int count_failed(const struct probes *p)
{
	const struct probe_value *v;
	int n = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		if (keys[i].value < 0)
			continue;
		v = (const void *)((const char *)p + keys[i].value);
		n += v->state == PROBE_FAILED;
	}
	return n;
}

static int emit_key(const struct probes *p, const struct key *k,
		    int (*add)(void *, const char *, const char *), void *ctx)
{
	const char *base = (const char *)p;
	const struct probe_value *v;
	char buf[64], why[128];
	double r;
	int ret;

	if (k->ratio >= 0) {
		memcpy(&r, base + k->ratio, sizeof(r));
		if (r <= 0)
			return 0;
		probes_format_ns(r, buf, sizeof(buf));
		return add(ctx, k->key, buf);
	}
	v = (const void *)(base + k->value);
	if (v->state == PROBE_OK) {
		probes_format_ns(v->ns, buf, sizeof(buf));
		return add(ctx, k->key, buf);
	}
	ret = add(ctx, k->key, "n/a");
	snprintf(why, sizeof(why), "%s.why", k->key);
	return ret ? ret : add(ctx, why, v->why[0] ? v->why : "not measured");
}

static const char *build(void)
{
#ifdef __clang__
	return "clang " __clang_version__
#else
	return "gcc " __VERSION__
#endif
#ifdef __OPTIMIZE__
		", optimized, asm barriers";
#else
		", not optimized, asm barriers";
#endif
}

/* The keys that say how and where: after the values they belong to. */
static int emit_where(const struct probes *p, const struct key *k,
		      int (*add)(void *, const char *, const char *), void *ctx)
{
	char buf[64];
	int ret = 0;

	if (!strcmp(k->key, "probe.bitop_ns"))
		return add(ctx, "probe.bitop_build", build());
	if (!strcmp(k->key, "probe.pagefault_anon_pages_per_fault")) {
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)p->pagefault_bytes);
		return add(ctx, "probe.pagefault_bytes", buf);
	}
	if (!strcmp(k->key, "probe.mmap_ns")) {
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)p->mmap_bytes);
		return add(ctx, "probe.mmap_bytes", buf);
	}
	if (!strcmp(k->key, "probe.tcp_rtt_same_cpu_ns") && p->cpu_a >= 0) {
		snprintf(buf, sizeof(buf), "%d", p->cpu_a);
		ret = add(ctx, "probe.tcp_rtt_same_cpu_cpus", buf);
	}
	if (!strcmp(k->key, "probe.tcp_rtt_cross_cpu_ns") && p->cpu_b >= 0) {
		snprintf(buf, sizeof(buf), "%d,%d", p->cpu_a, p->cpu_b);
		ret = add(ctx, "probe.tcp_rtt_cross_cpu_cpus", buf);
	}
	return ret;
}

int probes_emit(const struct probes *p, int (*add)(void *ctx, const char *key, const char *value),
		void *ctx)
{
	char buf[64];
	size_t i;
	int ret = 0;

	for (i = 0; !ret && i < ARRAY_SIZE(keys); i++) {
		ret = emit_key(p, &keys[i], add, ctx);
		if (!ret)
			ret = emit_where(p, &keys[i], add, ctx);
	}
	if (!ret)
		ret = add(ctx, "probe.dir", p->dir);
	probes_format_ns((double)p->total_ns / 1e6, buf, sizeof(buf));
	return ret ? ret : add(ctx, "probe.total_ms", buf);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

int probes_key_is_measure(const char *key)
{
	if (strncmp(key, "probe.", 6) || !strcmp(key, "probe.dir") ||
	    !strcmp(key, "probe.bitop_build"))
		return 0;
	return !ends_with(key, "_cpus") && !ends_with(key, "_bytes") && !ends_with(key, ".why");
}
