/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vsteal.c - write, read and join steal samples (format: vsteal.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vsteal.h"

int vsteal_write_head(FILE *f, uint64_t period_ns, uint64_t tick_ns, unsigned int ncpu)
{
	unsigned int k;

	fprintf(f, "%s\n# period_ns=%llu\n# tick_ns=%llu\ndone,next", VSTEAL_MAGIC,
		(unsigned long long)period_ns, (unsigned long long)tick_ns);
	for (k = 0; k < ncpu; k++)
		fprintf(f, ",cpu%u", k);
	fputc('\n', f);
	return fflush(f) ? -errno : 0;
}

int vsteal_write_sample(FILE *f, uint64_t done, uint64_t next, const uint64_t *steal_ns,
			unsigned int ncpu)
{
	unsigned int k;

	fprintf(f, "%llu,%llu", (unsigned long long)done, (unsigned long long)next);
	for (k = 0; k < ncpu; k++) {
		if (steal_ns[k] == VSTEAL_NONE)
			fputc(',', f);
		else
			fprintf(f, ",%llu", (unsigned long long)steal_ns[k]);
	}
	fputc('\n', f);
	return fflush(f) ? -errno : 0; /* a whole line per write: a kill cuts at most the last */
}

static int bad(struct vsteal *s, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(struct vsteal *s, size_t line, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(s->err, sizeof(s->err), "line %zu: ", line);

	va_start(ap, fmt);
	vsnprintf(s->err + n, sizeof(s->err) - (size_t)n, fmt, ap);
	va_end(ap);
	return -EBADMSG;
}

/* "done,next,cpu0,...,cpuK": the vCPU count. */
static int parse_columns(struct vsteal *s, const char *line, size_t lineno)
{
	const char *p = line + strlen("done,next");
	unsigned int k = 0, got;
	int used;

	if (strncmp(line, "done,next", 9))
		return bad(s, lineno, "want the column line 'done,next,cpu0,...'");
	while (*p == ',' && sscanf(p, ",cpu%u%n", &got, &used) == 1 && got == k) {
		k++;
		p += used;
	}
	if (*p != '\n' && *p)
		return bad(s, lineno, "column %u is not cpu%u", k + 2, k);
	s->ncpu = k;
	return 0;
}

static uint64_t parse_u64(const char **p, int *ok)
{
	char *end;
	unsigned long long v;

	if (**p < '0' || **p > '9') {
		*ok = 0;
		return 0;
	}
	v = strtoull(*p, &end, 10);
	*p = end;
	*ok = 1;
	return v;
}

static int grow(struct vsteal *s, size_t *cap)
{
	size_t want = *cap ? 2 * *cap : 1024;
	uint64_t *d = realloc(s->done, want * sizeof(*d)), *x, *st;

	if (d)
		s->done = d;
	x = d ? realloc(s->next, want * sizeof(*x)) : NULL;
	if (x)
		s->next = x;
	st = x ? realloc(s->steal, want * (s->ncpu ? s->ncpu : 1) * sizeof(*st)) : NULL;
	if (!st)
		return -ENOMEM;
	s->steal = st;
	*cap = want;
	return 0;
}

static int parse_sample(struct vsteal *s, const char *p, size_t lineno)
{
	uint64_t *st = s->steal + s->n * s->ncpu;
	unsigned int k;
	int ok;

	s->done[s->n] = parse_u64(&p, &ok);
	if (!ok || *p++ != ',')
		return bad(s, lineno, "want done,next,...");
	s->next[s->n] = parse_u64(&p, &ok);
	if (!ok)
		return bad(s, lineno, "want done,next,...");
	for (k = 0; k < s->ncpu; k++) {
		if (*p++ != ',')
			return bad(s, lineno, "want %u vCPU columns", s->ncpu);
		st[k] = *p == ',' || *p == '\n' ? VSTEAL_NONE : parse_u64(&p, &ok);
		if (st[k] != VSTEAL_NONE && !ok)
			return bad(s, lineno, "cpu%u is not a number", k);
	}
	if (*p != '\n')
		return bad(s, lineno, "more than %u vCPU columns", s->ncpu);
	if (s->n && (s->done[s->n] < s->done[s->n - 1] || s->next[s->n] < s->next[s->n - 1]))
		return bad(s, lineno, "done or next went backwards");
	s->n++;
	return 0;
}

static int parse_line(struct vsteal *s, const char *line, size_t lineno, int *have_cols,
		      size_t *cap)
{
	unsigned long long v;
	int ret;

	if (lineno == 1)
		return strncmp(line, VSTEAL_MAGIC "\n", sizeof(VSTEAL_MAGIC)) ?
			bad(s, 1, "not a vmlat steal file (want '%s')", VSTEAL_MAGIC) : 0;
	if (line[0] == '#') {
		if (sscanf(line, "# period_ns=%llu", &v) == 1)
			s->period_ns = v;
		return 0;
	}
	if (!*have_cols) {
		*have_cols = 1;
		return parse_columns(s, line, lineno);
	}
	if (s->n == *cap && (ret = grow(s, cap)))
		return ret;
	return parse_sample(s, line, lineno);
}

int vsteal_load(struct vsteal *s, const char *path)
{
	size_t cap = 0, lineno = 0, alloc = 0;
	int have_cols = 0, ret = 0;
	char *line = NULL;
	ssize_t len;
	FILE *f;

	memset(s, 0, sizeof(*s));
	f = fopen(path, "re");
	if (!f) {
		ret = -errno;
		snprintf(s->err, sizeof(s->err), "%s", strerror(errno));
		return ret;
	}
	while (!ret && (len = getline(&line, &alloc, f)) > 0) {
		lineno++;
		if (line[len - 1] != '\n')
			break; /* cut by a killed writer */
		ret = parse_line(s, line, lineno, &have_cols, &cap);
	}
	free(line);
	fclose(f);
	if (!ret && !have_cols)
		ret = bad(s, lineno + 1, "no column line");
	if (ret)
		vsteal_release(s);
	return ret;
}

void vsteal_release(struct vsteal *s)
{
	free(s->done);
	free(s->next);
	free(s->steal);
	s->done = s->next = s->steal = NULL;
	s->n = 0;
}

/* The last sample with next <= seq (the lower bracket), or -1. */
static long lower(const struct vsteal *s, uint64_t seq)
{
	size_t lo = 0, hi = s->n; /* answer: the count of samples with next <= seq, minus 1 */

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->next[mid] <= seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (long)lo - 1;
}

/* The first sample with done > seq (the upper bracket), or s->n. */
static size_t upper(const struct vsteal *s, uint64_t seq)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->done[mid] > seq)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static int grown(const struct vsteal *s, size_t i, size_t j, unsigned int cpu, uint64_t *ns)
{
	uint64_t a, b;

	if (cpu >= s->ncpu)
		return -ENOENT;
	a = s->steal[i * s->ncpu + cpu];
	b = s->steal[j * s->ncpu + cpu];
	if (a == VSTEAL_NONE || b == VSTEAL_NONE)
		return -ENOENT;
	*ns += b > a ? b - a : 0;
	return 0;
}

int vsteal_join(const struct vsteal *s, uint64_t seq, unsigned int cpu_a, unsigned int cpu_b,
		uint64_t *ns)
{
	long i = lower(s, seq);
	size_t j = upper(s, seq);
	int ret = 0;

	*ns = 0;
	if (i < 0 || j >= s->n || (cpu_a == VSTEAL_CPU_UNKNOWN && cpu_b == VSTEAL_CPU_UNKNOWN))
		return -ENOENT;
	if (cpu_a != VSTEAL_CPU_UNKNOWN)
		ret = grown(s, (size_t)i, j, cpu_a, ns);
	if (!ret && cpu_b != VSTEAL_CPU_UNKNOWN && cpu_b != cpu_a)
		ret = grown(s, (size_t)i, j, cpu_b, ns);
	return ret;
}
