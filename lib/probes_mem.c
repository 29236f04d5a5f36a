/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * probes_mem.c - page-fault and mmap probes (lmbench's lat_pagefault and
 * lat_mmap), on a page-cache file the caller made and on anonymous memory.
 *
 * Page faults: one pass maps the region, touches one byte per page in a
 * fixed random order (random, as lmbench does, so no hardware prefetch or
 * fault-around pattern is favoured), and unmaps; a baseline pass maps and
 * unmaps only.  Their difference is the cost of the faults, including the
 * unmap's work to tear the new mappings down: per page over the pages
 * touched, per fault over the thread's minor faults in the pass.
 * Page-cache pages are touched with reads (PROT_READ, MAP_SHARED), the
 * case fault-around serves; anonymous ones with writes, since a read of
 * untouched anonymous memory maps the shared zero page and costs little.
 *
 * mmap: one cycle maps the whole file read-write MAP_SHARED, writes one
 * byte every 16 KiB in its first tenth and unmaps (lmbench's lat_mmap).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "probes_impl.h"

#define PF_REPS 7
#define MMAP_STRIDE 16384
#define MMAP_BATCH 10
#define MMAP_REPS 15

static volatile unsigned char sink;

struct region {
	int fd;		     /* -1: anonymous */
	size_t len, page, npages;
	const size_t *order; /* page indices to touch; NULL: the baseline */
};

/* Map, touch in order, unmap: ns and minor faults of the whole cycle. */
static int fault_pass(const struct region *r, uint64_t *ns, long *faults)
{
	int anon = r->fd < 0;
	long f0 = probes_os_minflt();
	uint64_t t0 = probes_now_ns();
	volatile unsigned char *m;
	size_t i;

	m = mmap(NULL, r->len, anon ? PROT_READ | PROT_WRITE : PROT_READ,
		 anon ? MAP_PRIVATE | MAP_ANONYMOUS : MAP_SHARED, r->fd, 0);
	if (m == MAP_FAILED)
		return -errno;
	if (anon)
		probes_os_no_huge((void *)m, r->len);
	for (i = 0; r->order && i < r->npages; i++) {
		if (anon)
			m[r->order[i] * r->page] = 1;
		else
			sink = m[r->order[i] * r->page];
	}
	munmap((void *)m, r->len);
	*ns = probes_now_ns() - t0;
	*faults = probes_os_minflt() - f0;
	return 0;
}

/* Median of the touched passes minus median of the baselines, per page and per fault. */
static void fault_probe(struct region *r, const size_t *order, struct probe_value *per_page,
			struct probe_value *per_fault, double *pages_per_fault)
{
	double touched[PF_REPS], base[PF_REPS], faults[PF_REPS], cost;
	uint64_t start = probes_now_ns(), ns;
	size_t n = 0;
	long f;
	int ret = 0;

	while (!ret && n < PF_REPS && (n < 3 || probes_now_ns() - start < PROBES_PAGEFAULT_DEADLINE_NS)) {
		r->order = NULL;
		ret = fault_pass(r, &ns, &f);
		base[n] = (double)ns;
		r->order = order;
		if (!ret)
			ret = fault_pass(r, &ns, &f);
		touched[n] = (double)ns;
		faults[n++] = (double)f;
	}
	if (ret) {
		probes_fail(per_page, PROBE_FAILED, "mmap of %zu bytes: %s", r->len, strerror(-ret));
		probes_fail(per_fault, PROBE_FAILED, "mmap of %zu bytes: %s", r->len, strerror(-ret));
		return;
	}
	/* the first pass pays for cold caches and page tables: drop it */
	cost = probes_median(touched + 1, n - 1) - probes_median(base + 1, n - 1);
	if (cost <= 0) {
		probes_fail(per_page, PROBE_FAILED, "touching cost no more than the map-only baseline");
		probes_fail(per_fault, PROBE_FAILED, "touching cost no more than the map-only baseline");
		return;
	}
	probes_set(per_page, cost / (double)r->npages);
	f = (long)probes_median(faults + 1, n - 1);
	if (f <= 0) {
		probes_fail(per_fault, PROBE_FAILED, "no minor faults were counted (getrusage)");
		return;
	}
	probes_set(per_fault, cost / (double)f);
	*pages_per_fault = (double)r->npages / (double)f;
}

/* A fixed permutation of 0..n-1 (Fisher-Yates with xorshift64, seed fixed). */
static size_t *shuffled(size_t n)
{
	size_t *v = malloc(n * sizeof(*v)), i, j;
	uint64_t x = 0x9e3779b97f4a7c15ull;

	if (!v)
		return NULL;
	for (i = 0; i < n; i++)
		v[i] = i;
	for (i = n - 1; i > 0; i--) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		j = (size_t)(x % (i + 1));
		size_t t = v[i];
		v[i] = v[j];
		v[j] = t;
	}
	return v;
}

void probes_pagefault(int fd, struct probes *p)
{
	struct region r = { .len = p->pagefault_bytes, .page = (size_t)sysconf(_SC_PAGESIZE) };
	size_t *order;

	r.npages = r.len / r.page;
	order = shuffled(r.npages);
	if (!order) {
		probes_fail(&p->pf_anon_page, PROBE_FAILED, "out of memory");
		probes_fail(&p->pf_anon_fault, PROBE_FAILED, "out of memory");
		probes_fail(&p->pf_file_page, PROBE_FAILED, "out of memory");
		probes_fail(&p->pf_file_fault, PROBE_FAILED, "out of memory");
		return;
	}
	r.fd = -1;
	fault_probe(&r, order, &p->pf_anon_page, &p->pf_anon_fault, &p->pf_anon_pages_per_fault);
	if (fd >= 0) {
		r.fd = fd;
		fault_probe(&r, order, &p->pf_file_page, &p->pf_file_fault,
			    &p->pf_file_pages_per_fault);
	}
	free(order);
}

static int mmap_cycle(int fd, size_t len)
{
	volatile unsigned char *m;
	size_t off;

	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		return -errno;
	for (off = 0; off < len / 10; off += MMAP_STRIDE)
		m[off] = 1;
	munmap((void *)m, len);
	return 0;
}

void probes_mmap(int fd, struct probes *p)
{
	uint64_t start = probes_now_ns(), t0;
	double v[MMAP_REPS];
	size_t n = 0, i;
	int ret = mmap_cycle(fd, p->mmap_bytes); /* warm up, as the fault probe did */

	while (!ret && n < MMAP_REPS && (n < 1 || probes_now_ns() - start < PROBES_MMAP_DEADLINE_NS)) {
		t0 = probes_now_ns();
		for (i = 0; !ret && i < MMAP_BATCH; i++)
			ret = mmap_cycle(fd, p->mmap_bytes);
		v[n++] = (double)(probes_now_ns() - t0) / MMAP_BATCH;
	}
	if (ret)
		probes_fail(&p->mmap, PROBE_FAILED, "mmap of %llu bytes: %s",
			    (unsigned long long)p->mmap_bytes, strerror(-ret));
	else
		probes_set(&p->mmap, probes_median(v, n));
}
