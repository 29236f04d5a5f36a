/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vlog_read.c - the per-IO log reader (format: vlog.h).
 *
 * The whole file is mapped read-only.  vlog_reader_open() validates it
 * once at open: prefix, text section, then every record's seq and check;
 * after that a record is a copy (plus a byte swap for files from the other
 * byte order).  vlog_reader_open_stream() validates the prefix and text at
 * open and each record as vlog_reader_next() hands it out, in place, in one
 * pass that releases the pages behind it: what lets `vmlat report` read
 * tens of millions of records per second in a window of memory.  Both stop
 * at the same first bad record and judge the tail the same way.  Every
 * failure names the byte offset where the file stops making sense.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vlog.h"

static int fail(struct vlog_reader *r, int ret, uint64_t off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(struct vlog_reader *r, int ret, uint64_t off, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
	r->err_offset = off;
	return ret;
}

static uint16_t sw16(int s, uint16_t v) { return s ? __builtin_bswap16(v) : v; }
static uint32_t sw32(int s, uint32_t v) { return s ? __builtin_bswap32(v) : v; }
static uint64_t sw64(int s, uint64_t v) { return s ? __builtin_bswap64(v) : v; }

static void rec_to_host(int s, struct vlog_rec *r)
{
	r->seq = sw64(s, r->seq);
	r->offset = sw64(s, r->offset);
	r->issue_ns = sw64(s, r->issue_ns);
	r->lat_ns = sw64(s, r->lat_ns);
	r->len = sw32(s, r->len);
	r->error = sw16(s, r->error);
	r->cpu_submit = sw16(s, r->cpu_submit);
	r->cpu_complete = sw16(s, r->cpu_complete);
	r->rq_delay_ns = sw32(s, r->rq_delay_ns);
	r->nvcsw = sw16(s, r->nvcsw);
	r->nivcsw = sw16(s, r->nivcsw);
	r->minflt = sw16(s, r->minflt);
	r->majflt = sw16(s, r->majflt);
	r->inflight = sw32(s, r->inflight);
	r->check = sw32(s, r->check);
}

void vlog_reader_rec(const struct vlog_reader *r, uint64_t i, struct vlog_rec *out)
{
	memcpy(out, r->map + r->prefix.header_bytes + i * r->prefix.record_bytes, sizeof(*out));
	if (r->swap)
		rec_to_host(1, out);
}

static int check_prefix(struct vlog_reader *r)
{
	struct vlog_prefix *p = &r->prefix;
	int s;

	if (r->map_bytes < VLOG_PREFIX_BYTES)
		return fail(r, -EBADMSG, r->map_bytes,
			    "not a vmlat log: %zu bytes, shorter than the %d-byte prefix",
			    r->map_bytes, VLOG_PREFIX_BYTES);
	memcpy(p, r->map, sizeof(*p));
	if (memcmp(p->magic, VLOG_MAGIC, sizeof(p->magic)))
		return fail(r, -EBADMSG, 0, "not a vmlat log (no VMLATLOG magic)");
	if (p->bom != VLOG_BOM && p->bom != __builtin_bswap32(VLOG_BOM))
		return fail(r, -EBADMSG, 8, "bad byte-order mark 0x%08x", p->bom);
	s = r->swap = p->bom != VLOG_BOM;
	p->version_major = sw16(s, p->version_major);
	p->version_minor = sw16(s, p->version_minor);
	p->header_bytes = sw32(s, p->header_bytes);
	p->record_bytes = sw32(s, p->record_bytes);
	p->text_bytes = sw32(s, p->text_bytes);
	p->state = sw32(s, p->state);
	p->record_count = sw64(s, p->record_count);
	return 0;
}

static int check_sizes(struct vlog_reader *r)
{
	const struct vlog_prefix *p = &r->prefix;

	if (p->version_major > VLOG_VERSION_MAJOR)
		return fail(r, -EPROTONOSUPPORT, 12,
			    "format version %u.%u is newer than this vmlat reads (%d.x)",
			    p->version_major, p->version_minor, VLOG_VERSION_MAJOR);
	if (p->version_major == 0)
		return fail(r, -EBADMSG, 12, "format version 0.%u does not exist", p->version_minor);
	/* v1 records are 64 bytes; a later minor may grow them, but never past a page */
	if (p->record_bytes < VLOG_REC_BYTES || VLOG_ALIGN % p->record_bytes)
		return fail(r, -EBADMSG, 20,
			    "record size %u bytes: format 1 needs 64, or a larger power of two up to 4096",
			    p->record_bytes);
	if (p->header_bytes % VLOG_ALIGN || p->header_bytes < VLOG_PREFIX_BYTES + (uint64_t)p->text_bytes)
		return fail(r, -EBADMSG, 16, "header size %u does not hold the %u-byte text section",
			    p->header_bytes, p->text_bytes);
	if (p->header_bytes > r->map_bytes)
		return fail(r, -EBADMSG, r->map_bytes,
			    "truncated: the header is %u bytes but the file ends at byte %zu",
			    p->header_bytes, r->map_bytes);
	if (p->state > VLOG_STATE_CLOSED)
		return fail(r, -EBADMSG, 28, "unknown state %u", p->state);
	return 0;
}

static int add_kv(struct vlog_reader *r, const char *line, size_t len, uint64_t off)
{
	const char *eq = memchr(line, '=', len);
	struct vlog_kv *kv;

	if (!eq || eq == line)
		return fail(r, -EBADMSG, off, "header line is not key=value");
	kv = realloc(r->kv, (r->nkv + 1) * sizeof(*kv));
	if (!kv)
		return fail(r, -ENOMEM, off, "out of memory");
	r->kv = kv;
	kv = &r->kv[r->nkv];
	kv->key = strndup(line, (size_t)(eq - line));
	kv->value = NULL;
	if (!kv->key)
		return fail(r, -ENOMEM, off, "out of memory");
	r->nkv++;
	if (vlog_unescape(eq + 1, len - (size_t)(eq + 1 - line), &kv->value))
		return fail(r, -EBADMSG, off, "bad escape in header value of '%s'", kv->key);
	return 0;
}

static int parse_text(struct vlog_reader *r)
{
	const char *t = (const char *)r->map + VLOG_PREFIX_BYTES;
	size_t len = r->prefix.text_bytes, pos = 0;
	const char *fields;
	int ret;

	while (pos < len) {
		const char *nl = memchr(t + pos, '\n', len - pos);

		if (!nl)
			return fail(r, -EBADMSG, VLOG_PREFIX_BYTES + pos, "header line has no newline");
		ret = add_kv(r, t + pos, (size_t)(nl - t - pos), VLOG_PREFIX_BYTES + pos);
		if (ret)
			return ret;
		pos = (size_t)(nl - t) + 1;
	}
	fields = vlog_reader_get(r, "fields");
	if (!fields || strncmp(fields, VLOG_FIELDS, strlen(VLOG_FIELDS)))
		return fail(r, -EBADMSG, VLOG_PREFIX_BYTES,
			    "header 'fields' does not list the format 1 record layout");
	return 0;
}

static const struct vlog_rec *rec_at(const struct vlog_reader *r, uint64_t i)
{
	return (const struct vlog_rec *)(r->map + r->prefix.header_bytes +
					 i * r->prefix.record_bytes);
}

/* Is record P (host byte order) the good record I? */
static int rec_ok(const struct vlog_rec *p, uint64_t i)
{
	return p->seq == i && p->check == vlog_rec_check(p);
}

static int rec_valid(const struct vlog_reader *r, uint64_t i)
{
	struct vlog_rec rec;

	if (!r->swap)
		return rec_ok(rec_at(r, i), i);
	vlog_reader_rec(r, i, &rec);
	return rec_ok(&rec, i);
}

static int all_zero(const unsigned char *p, size_t n)
{
	return n == 0 || (p[0] == 0 && memcmp(p, p + 1, n - 1) == 0);
}

static int check_closed(struct vlog_reader *r, uint64_t slots, uint64_t extra)
{
	uint64_t want = r->prefix.record_count, rb = r->prefix.record_bytes;
	uint64_t at = r->prefix.header_bytes + r->nrec * rb;

	/* cut short or damaged: the records before the damage are still good */
	if (r->nrec < want) {
		r->tail = VLOG_TAIL_TORN;
		r->tail_offset = at;
		if (r->nrec == slots)
			return fail(r, 0, r->map_bytes,
				    "truncated: the header counts %llu records but the file ends after %llu",
				    (unsigned long long)want, (unsigned long long)r->nrec);
		return fail(r, 0, at, "record %llu fails its check", (unsigned long long)r->nrec);
	}
	if (slots > want || extra)
		return fail(r, -EBADMSG, r->prefix.header_bytes + want * rb,
			    "%llu unexpected bytes after the %llu records the header counts",
			    (unsigned long long)(r->map_bytes - r->prefix.header_bytes - want * rb),
			    (unsigned long long)want);
	r->tail = VLOG_TAIL_CLEAN;
	return 0;
}

static void check_open(struct vlog_reader *r)
{
	uint64_t at = r->prefix.header_bytes + r->nrec * (uint64_t)r->prefix.record_bytes;

	if (all_zero(r->map + at, r->map_bytes - at)) {
		r->tail = VLOG_TAIL_OPEN;
		return;
	}
	r->tail = VLOG_TAIL_TORN;
	r->tail_offset = at;
	fail(r, 0, at, "torn tail: the log was not closed and the bytes after record %llu are not a record",
	     (unsigned long long)r->nrec);
}

/* The records end at r->nrec (no more room, or a bad record): judge the tail. */
static int scan_end(struct vlog_reader *r)
{
	uint64_t extra = (r->map_bytes - r->prefix.header_bytes) % r->prefix.record_bytes;

	if (r->prefix.state == VLOG_STATE_CLOSED)
		return check_closed(r, r->slots, extra);
	check_open(r);
	return 0;
}

static int scan_records(struct vlog_reader *r)
{
	while (r->nrec < r->slots && rec_valid(r, r->nrec))
		r->nrec++;
	return scan_end(r);
}

/*
 * A copy of the first SIZE bytes of FD (fewer when the file shrank) in
 * anonymous memory, so that release_behind() and munmap() treat it as a
 * mapping.  0 or -errno.
 */
static int copy_file(struct vlog_reader *r, int fd, size_t size)
{
	size_t got = 0;
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return fail(r, -errno, 0, "cannot map: %s", strerror(errno));
	while (got < size) {
		ssize_t n = pread(fd, (char *)p + got, size - got, (off_t)got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			munmap(p, size);
			return fail(r, -e, got, "cannot read: %s", strerror(e));
		}
		if (!n)
			break; /* the writer's close cut the file meanwhile */
		got += (size_t)n;
	}
	r->map = p;
	r->map_bytes = got;
	r->copy_bytes = size;
	return 0;
}

/*
 * Is the log at FD still open for writing?  Its writer's close cuts the
 * file to its records (vlog_writer_close), and a page of a shared file
 * mapping past the new end raises SIGBUS on access: such a log is read
 * into memory instead of mapped.  A log marked closed never shrinks.
 */
static int still_open(int fd)
{
	struct vlog_prefix p;

	return pread(fd, &p, sizeof(p), 0) != (ssize_t)sizeof(p) ||
	       (p.state != VLOG_STATE_CLOSED && p.state != __builtin_bswap32(VLOG_STATE_CLOSED));
}

static int map_file(struct vlog_reader *r, const char *path)
{
	struct stat st;
	void *p;
	int ret, fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return fail(r, -errno, 0, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st)) {
		int e = errno;

		close(fd);
		return fail(r, -e, 0, "cannot stat: %s", strerror(e));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return fail(r, -EINVAL, 0, "not a regular file");
	}
	r->map_bytes = (size_t)st.st_size;
	if (r->map_bytes && still_open(fd)) {
		ret = copy_file(r, fd, r->map_bytes);
		close(fd);
		return ret;
	}
	if (r->map_bytes) {
		p = mmap(NULL, r->map_bytes, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED) {
			int e = errno;
			close(fd);
			return fail(r, -e, 0, "cannot map: %s", strerror(e));
		}
		r->map = p;
	}
	close(fd);
	return 0;
}

/* Map PATH and validate everything before the records; SCAN: the records too. */
static int open_reader(struct vlog_reader *r, const char *path, int scan)
{
	int ret;

	memset(r, 0, sizeof(*r));
	ret = map_file(r, path);
	if (!ret)
		ret = check_prefix(r);
	if (!ret)
		ret = check_sizes(r);
	if (!ret) {
		r->slots = (r->map_bytes - r->prefix.header_bytes) / r->prefix.record_bytes;
		ret = parse_text(r);
	}
	if (!ret && scan)
		ret = scan_records(r);
	if (ret) {
		char keep[sizeof(r->err)];
		uint64_t off = r->err_offset;

		memcpy(keep, r->err, sizeof(keep));
		vlog_reader_release(r);
		memcpy(r->err, keep, sizeof(keep));
		r->err_offset = off;
	}
	return ret;
}

int vlog_reader_open(struct vlog_reader *r, const char *path)
{
	return open_reader(r, path, 1);
}

int vlog_reader_open_stream(struct vlog_reader *r, const char *path)
{
	int ret = open_reader(r, path, 0);

	if (!ret && r->map)
		madvise((void *)r->map, r->map_bytes, MADV_SEQUENTIAL);
	return ret;
}

#define VLOG_DROP_WINDOW (UINT64_C(1) << 26)

void vlog_reader_drop_before(struct vlog_reader *r, uint64_t i)
{
	uint64_t off = (r->prefix.header_bytes + i * r->prefix.record_bytes) & ~(VLOG_DROP_WINDOW - 1);

	if (off < r->next_window)
		return;
	if (off)
		madvise((void *)r->map, off, MADV_DONTNEED);
	r->next_window = off + VLOG_DROP_WINDOW;
}

/*
 * Unmap the pages before record I from this process, 64 MiB at a time
 * (they stay in the page cache, and a later access maps them again): a log
 * read once counts in RSS by a window, not by its size.  Where the system
 * can, map the next window in one call instead of a page fault per few
 * pages (a fault is dear in a VM).
 */
static void release_behind(struct vlog_reader *r, uint64_t i)
{
	uint64_t was = r->next_window, off;

	vlog_reader_drop_before(r, i);
	if (r->next_window == was)
		return;
	off = r->next_window - VLOG_DROP_WINDOW;
#ifdef MADV_POPULATE_READ
	madvise((void *)(r->map + off),
		off + VLOG_DROP_WINDOW < r->map_bytes ? VLOG_DROP_WINDOW : r->map_bytes - off,
		MADV_POPULATE_READ);
#endif
}

/* Good records of a host-order log from FROM, up to the first bad one or TO. */
static size_t good_run(const struct vlog_reader *r, uint64_t from, uint64_t to)
{
	const struct vlog_rec *p = rec_at(r, from);
	uint64_t i = from;

	/* the loads wait on memory, not the check: ask for records ahead */
	while (i < to && (__builtin_prefetch(p + (i - from) + 32), rec_ok(p + (i - from), i)))
		i++;
	return (size_t)(i - from);
}

/* Validate records from r->nrec on, at most up to END; the number that pass. */
static size_t next_batch(struct vlog_reader *r, uint64_t end, const struct vlog_rec **recs)
{
	uint64_t i = r->nrec;
	const struct vlog_rec *p = rec_at(r, i);

	if (vlog_reader_in_place(r)) {
		*recs = p;
		return good_run(r, i, end);
	}
	for (; i < end; i++) {
		struct vlog_rec *b = &r->buf[i - r->nrec];

		vlog_reader_rec(r, i, b);
		if (!rec_ok(b, i))
			break;
	}
	*recs = r->buf;
	return (size_t)(i - r->nrec);
}

/* Map the pages of records [FROM, TO) in one call (a fault is dear in a VM). */
static void populate(const struct vlog_reader *r, uint64_t from, uint64_t to)
{
#ifdef MADV_POPULATE_READ
	uintptr_t a = (uintptr_t)rec_at(r, from), b = (uintptr_t)rec_at(r, to);
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);

	a &= ~(page - 1);
	if (b > a)
		madvise((void *)a, b - a, MADV_POPULATE_READ);
#else
	(void)r, (void)from, (void)to;
#endif
}

size_t vlog_reader_span(const struct vlog_reader *r, uint64_t from, uint64_t to,
			const struct vlog_rec **recs)
{
	to = to < r->slots ? to : r->slots;
	*recs = NULL;
	if (!vlog_reader_in_place(r) || from >= to)
		return 0;
	populate(r, from, to);
	*recs = rec_at(r, from);
	return good_run(r, from, to);
}

int vlog_reader_end(struct vlog_reader *r, uint64_t nrec)
{
	r->nrec = nrec;
	return scan_end(r);
}

int vlog_reader_in_place(const struct vlog_reader *r)
{
	return !r->swap && r->prefix.record_bytes == VLOG_REC_BYTES;
}

int vlog_reader_next(struct vlog_reader *r, const struct vlog_rec **recs, size_t *n)
{
	uint64_t end = r->nrec + VLOG_STREAM_BATCH;

	*recs = NULL;
	*n = 0;
	if (!vlog_reader_in_place(r) && !r->buf && !(r->buf = malloc(VLOG_STREAM_BATCH * sizeof(*r->buf))))
		return fail(r, -ENOMEM, 0, "out of memory");
	release_behind(r, r->nrec);
	*n = next_batch(r, end < r->slots ? end : r->slots, recs);
	r->nrec += *n;
	return *n ? 0 : scan_end(r);
}

const char *vlog_reader_get(const struct vlog_reader *r, const char *key)
{
	size_t i;

	for (i = 0; i < r->nkv; i++)
		if (!strcmp(r->kv[i].key, key))
			return r->kv[i].value;
	return NULL;
}

void vlog_reader_release(struct vlog_reader *r)
{
	size_t i;

	for (i = 0; i < r->nkv; i++) {
		free(r->kv[i].key);
		free(r->kv[i].value);
	}
	free(r->kv);
	free(r->buf);
	if (r->map)
		munmap((void *)r->map, r->copy_bytes ? r->copy_bytes : r->map_bytes);
	memset(r, 0, sizeof(*r));
}
