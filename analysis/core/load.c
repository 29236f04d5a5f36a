/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * load.c - what kind of input a file is, directory walks, and the labels
 * and helpers every loader shares (see load.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load.h"
#include "memroom.h"
#include "strv.h"
#include "vlog.h"

void load_err_set(struct load_err *e, uint64_t line, const char *fmt, ...)
{
	va_list ap;

	e->line = line;
	e->has_offset = 0;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

void load_err_at(struct load_err *e, uint64_t offset, const char *fmt, ...)
{
	va_list ap;

	e->line = 0;
	e->offset = offset;
	e->has_offset = 1;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

const char *load_ddir_name(unsigned int ddir)
{
	static const char *const names[] = { "read", "write", "trim" };

	return ddir < 3 ? names[ddir] : NULL;
}

/* fio's size suffixes with kb_base=1024 (its default): k, m, g, t, p. */
int load_parse_size(const char *s, uint64_t *bytes)
{
	static const char units[] = "kmgtp";
	char *end;
	unsigned long long v;
	const char *u;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (end == s || errno)
		return -EINVAL;
	if (*end && (u = strchr(units, *end | 0x20)) && *end != ' ') {
		v <<= 10 * (u - units + 1);
		end++;
		if ((*end | 0x20) == 'i')
			end++;
		if ((*end | 0x20) == 'b')
			end++;
	} else if ((*end | 0x20) == 'b') {
		end++;
	}
	if (*end)
		return -EINVAL;
	*bytes = v;
	return 0;
}

int load_common_labels(struct sample_set *s, const char *kind, const char *path,
		       const struct load_opts *o)
{
	int ret = labels_set(&s->labels, "source", kind);

	ret |= labels_set(&s->labels, "file", path);
	if (o && o->labels)
		ret |= labels_merge(&s->labels, o->labels);
	return ret ? -ENOMEM : 0;
}

struct sample_set *load_new_set(const char *source, enum samples_kind kind,
				const struct load_opts *o)
{
	struct sample_set *s = sample_set_new(source, kind);

	if (s && o && o->hist && kind != SAMPLES_SUMMARY && sample_set_use_hist(s)) {
		sample_set_free(s);
		return NULL;
	}
	return s;
}

enum input_kind load_sniff(const unsigned char *head, size_t len)
{
	size_t i;

	if (len >= 8 && !memcmp(head, VLOG_MAGIC, 8))
		return INPUT_VLOG;
	/* fio JSON may follow lines fio or an engine printed: look for a '{' line */
	for (i = 0; i < len; i++) {
		if (head[i] == '{' && (i == 0 || head[i - 1] == '\n'))
			return INPUT_FIOJSON;
		if (!head[i])
			return INPUT_UNKNOWN;
	}
	if (len && head[0] >= '0' && head[0] <= '9') {
		for (i = 0; i < len && head[i] != '\n'; i++)
			if (!strchr("0123456789, x\r", head[i]) && !(head[i] >= 'a' && head[i] <= 'f'))
				return INPUT_UNKNOWN;
		return INPUT_FIOLOG;
	}
	return INPUT_UNKNOWN;
}

static enum input_kind sniff_file(const char *path, int *err, int *empty)
{
	unsigned char head[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*err = 0;
	*empty = 0;
	if (fd < 0) {
		*err = -errno;
		return INPUT_UNKNOWN;
	}
	n = read(fd, head, sizeof(head));
	*empty = n == 0;
	if (n < 0)
		*err = -errno;
	close(fd);
	return n > 0 ? load_sniff(head, (size_t)n) : INPUT_UNKNOWN;
}

static int load_file(struct sample_list *out, const char *path, const struct load_opts *o,
		     int named, load_report_fn report, void *ctx)
{
	struct load_err e = { 0 };
	int ret, empty;
	enum input_kind k = sniff_file(path, &ret, &empty);

	if (!ret && k == INPUT_UNKNOWN && empty) {
		/* fio writes an empty slat log for sync engines: nothing, not an error */
		if (named) {
			load_err_at(&e, 0, "warning: empty file, no samples");
			report(ctx, path, &e, 0);
		}
		return 0;
	}
	if (!ret && k == INPUT_VLOG)
		ret = load_vlog(out, path, o, &e);
	else if (!ret && k == INPUT_FIOJSON)
		ret = load_fiojson(out, path, o, &e);
	else if (!ret && k == INPUT_FIOLOG)
		ret = load_fiolog(out, path, o, &e);
	else if (!ret && !named)
		return 0; /* not ours: a job file or a scratch file in a result directory */
	else if (!ret) {
		ret = -ENOTSUP;
		load_err_at(&e, 0, "not a vmlat log, fio JSON output or fio latency log");
	} else
		snprintf(e.msg, sizeof(e.msg), "cannot open: %s", strerror(-ret));
	if (ret == -ENOTSUP && !named)
		return 0; /* fio's bw, iops or histogram logs, other JSON: not ours */
	if (ret || e.msg[0])
		report(ctx, path, &e, ret);
	return ret;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every entry of DIR but . and .., sorted, as "DIR/NAME". */
static int list_dir(const char *dir, struct strv *names)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char *path;
	int ret = 0;

	if (!d)
		return -errno;
	while (!ret && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (asprintf(&path, "%s/%s", dir, de->d_name) < 0)
			path = NULL;
		ret = path ? strv_push(names, path) : -ENOMEM;
		free(path);
	}
	closedir(d);
	if (ret) {
		strv_release(names);
		return ret;
	}
	if (names->n > 1)
		qsort(names->v, names->n, sizeof(*names->v), name_cmp);
	return 0;
}

static int walk(struct sample_list *out, const char *path, const struct load_opts *o, int named,
		load_report_fn report, void *ctx)
{
	struct stat st;
	struct strv names = { 0 };
	size_t i;
	int ret, first = 0;

	if (stat(path, &st))
		return named ? load_file(out, path, o, named, report, ctx) : 0;
	if (!S_ISDIR(st.st_mode)) /* in a directory, only regular files are inputs */
		return S_ISREG(st.st_mode) || named ? load_file(out, path, o, named, report, ctx)
						    : 0;
	ret = list_dir(path, &names);
	if (ret) {
		struct load_err e = { 0 };

		snprintf(e.msg, sizeof(e.msg), "cannot read directory: %s", strerror(-ret));
		report(ctx, path, &e, ret);
		return ret;
	}
	for (i = 0; i < names.n; i++) {
		ret = walk(out, names.v[i], o, 0, report, ctx);
		if (ret && !first)
			first = ret;
	}
	strv_release(&names);
	return first;
}

int load_path(struct sample_list *out, const char *path, const struct load_opts *o,
	      load_report_fn report, void *ctx)
{
	return walk(out, path, o, 1, report, ctx);
}

int load_check_room(uint64_t nios, const struct load_opts *o, struct load_err *err)
{
	uint64_t need = nios * (o && o->want_time ? 16 : 8), avail;

	if ((o && o->hist) || !mem_room(need, &avail))
		return 0;
	load_err_set(err, 0, "%llu IOs need %llu MiB for exact statistics, and %llu MiB are "
			     "available: use --hist (constant memory)", (unsigned long long)nios,
		     (unsigned long long)(need >> 20) + 1, (unsigned long long)(avail >> 20));
	return -E2BIG;
}

int load_map_file(const char *path, struct load_map *m, struct load_err *err)
{
	struct stat st;
	void *map = NULL;
	int ret, fd = open(path, O_RDONLY | O_CLOEXEC);

	m->buf = NULL;
	m->len = 0;
	m->fd = -1;
	if (fd < 0 || fstat(fd, &st)) {
		ret = -errno;
		load_err_set(err, 0, "cannot open: %s", strerror(-ret));
		if (fd >= 0)
			close(fd);
		return ret;
	}
	if (st.st_size > 0)
		map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	ret = map == MAP_FAILED ? -errno : 0;
	if (ret) {
		close(fd);
		load_err_set(err, 0, "cannot map: %s", strerror(-ret));
		return ret;
	}
	m->fd = fd;
	if (map)
		madvise(map, (size_t)st.st_size, MADV_SEQUENTIAL);
	m->buf = map;
	m->len = map ? (size_t)st.st_size : 0;
	return 0;
}

void load_unmap_file(struct load_map *m)
{
	if (m->buf)
		munmap((void *)m->buf, m->len);
	if (m->fd >= 0)
		close(m->fd);
	m->buf = NULL;
	m->len = 0;
	m->fd = -1;
}
