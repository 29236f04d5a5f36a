/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_vlog.c - the per-IO log writer and reader (lib/vlog*.c) against
 * answers known independently of them.
 *
 * Records come from a fixed formula (make_rec), so every field read back
 * is compared with a value computed here, not with what the writer
 * stored.  Damaged files are made by patching bytes at offsets taken from
 * the layout table in vlog.h, and the expected error offsets are computed
 * from that table too.  Unclosed logs are made the two ways a writer dies:
 * a child process killed with SIGKILL mid-log, and a copy of the file taken
 * while the writer still holds it (what a reader sees during a run).
 * Each test gets its own mkdtemp() directory, removed in teardown.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vlog.h"
#include "util.h"

/* Offsets of the prefix fields, from the table in vlog.h. */
enum {
	OFF_BOM = 8,
	OFF_MAJOR = 12,
	OFF_MINOR = 14,
	OFF_HEADER_BYTES = 16,
	OFF_RECORD_BYTES = 20,
	OFF_STATE = 28,
};

/* With the small text of make_text(), the header is one 4096-byte page. */
#define HDR 4096u

struct fixture {
	char dir[64];
	char path[128]; /* DIR/log.vmlat */
	char path2[128]; /* DIR/copy.vmlat */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	strcpy(f->dir, "/tmp/test_vlog.XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/log.vmlat", f->dir);
	snprintf(f->path2, sizeof(f->path2), "%s/copy.vmlat", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	DIR *d = opendir(f->dir);
	struct dirent *e;
	char p[512];

	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", f->dir, e->d_name);
		unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* ---- known values ---- */

static void make_rec(uint64_t i, struct vlog_rec *r)
{
	memset(r, 0, sizeof(*r));
	r->offset = i * 4096 + (i % 3) * 512;
	r->issue_ns = 1000000 + i * 1777;
	r->lat_ns = 20000 + (i * 7919) % 100000;
	r->len = 4096u << (i % 4);
	r->ddir = (uint8_t)(i % VLOG_DDIR_COUNT);
	r->ctx_mask = (uint8_t)(i % 8);
	r->error = i % 5 == 4 ? EIO : 0;
	r->cpu_submit = i % 11 == 0 ? VLOG_CPU_UNKNOWN : (uint16_t)(i % 16);
	r->cpu_complete = (uint16_t)((i + 1) % 16);
	r->rq_delay_ns = (uint32_t)(i * 13);
	r->nvcsw = (uint16_t)(i % 7);
	r->nivcsw = (uint16_t)(i % 3);
	r->minflt = (uint16_t)(i % 17);
	r->majflt = (uint16_t)(i % 2);
}

static void expect_rec(const struct vlog_reader *r, uint64_t i)
{
	struct vlog_rec got, want;

	vlog_reader_rec(r, i, &got);
	make_rec(i, &want);
	assert_int_equal(got.seq, i);
	assert_int_equal(got.offset, want.offset);
	assert_int_equal(got.issue_ns, want.issue_ns);
	assert_int_equal(got.lat_ns, want.lat_ns);
	assert_int_equal(got.len, want.len);
	assert_int_equal(got.ddir, want.ddir);
	assert_int_equal(got.ctx_mask, want.ctx_mask);
	assert_int_equal(got.error, want.error);
	assert_int_equal(got.cpu_submit, want.cpu_submit);
	assert_int_equal(got.cpu_complete, want.cpu_complete);
	assert_int_equal(got.rq_delay_ns, want.rq_delay_ns);
	assert_int_equal(got.nvcsw, want.nvcsw);
	assert_int_equal(got.nivcsw, want.nivcsw);
	assert_int_equal(got.minflt, want.minflt);
	assert_int_equal(got.majflt, want.majflt);
	assert_int_equal(got.inflight, want.inflight);
	assert_int_not_equal(got.check, 0);
}

static void expect_recs(const struct vlog_reader *r, uint64_t n)
{
	uint64_t i;

	assert_int_equal(r->nrec, n);
	for (i = 0; i < n; i++)
		expect_rec(r, i);
}

/* Header values that exercise every escape of the text section. */
static const struct {
	const char *key, *value;
} text_keys[] = {
	{ "format", "1.0" },
	{ "fields", VLOG_FIELDS_WRITTEN },
	{ "job_name", "job=with=equals" },
	{ "tag.newline", "line one\nline two\n" },
	{ "tag.backslash", "C:\\dir\\" },
	{ "tag.tab_cr", "a\tb\rc" },
	{ "tag.control", "\x01\x02\x1f\x7f end" },
	{ "tag.utf8", "caf\xc3\xa9 \xff" },
	{ "tag.empty", "" },
	{ "tag.escape_lookalike", "\\n is not a newline, \\x41 is not A" },
};

#define NKEYS (ARRAY_SIZE(text_keys))

static void make_text(struct vlog_text *t)
{
	size_t i;

	vlog_text_init(t);
	for (i = 0; i < NKEYS; i++)
		assert_int_equal(vlog_text_add(t, text_keys[i].key, text_keys[i].value), 0);
}

/* A log of N records at PATH, left open: W is the writer still holding it. */
static void write_log_w(struct vlog_writer *w, const char *path, uint64_t n,
			uint32_t window_bytes)
{
	struct vlog_text t;
	struct vlog_rec r;
	uint64_t i;

	make_text(&t);
	assert_int_equal(vlog_writer_open(w, path, &t, window_bytes, 0), 0);
	vlog_text_release(&t);
	for (i = 0; i < n; i++) {
		make_rec(i, &r);
		r.seq = 12345; /* the writer numbers records itself */
		assert_int_equal(vlog_writer_append(w, &r), 0);
	}
}

/* A closed log of N records at PATH. */
static void write_log(const char *path, uint64_t n, uint32_t window_bytes)
{
	struct vlog_writer w;

	write_log_w(&w, path, n, window_bytes);
	assert_int_equal(vlog_writer_close(&w), 0);
}

/* ---- file surgery ---- */

static void *slurp(const char *path, size_t *len)
{
	struct stat st;
	char *buf;
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	buf = malloc((size_t)st.st_size + 1);
	assert_non_null(buf);
	assert_int_equal(pread(fd, buf, (size_t)st.st_size, 0), st.st_size);
	close(fd);
	*len = (size_t)st.st_size;
	return buf;
}

static void spit(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	close(fd);
}

static void patch(const char *path, off_t off, const void *bytes, size_t len)
{
	int fd = open(path, O_WRONLY);

	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, bytes, len, off), (ssize_t)len);
	close(fd);
}

static void patch_u16(const char *path, off_t off, uint16_t v)
{
	patch(path, off, &v, sizeof(v));
}

static void patch_u32(const char *path, off_t off, uint32_t v)
{
	patch(path, off, &v, sizeof(v));
}

static void flip_byte(const char *path, off_t off)
{
	unsigned char c;
	int fd = open(path, O_RDWR);

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &c, 1, off), 1);
	c ^= 0x5a;
	assert_int_equal(pwrite(fd, &c, 1, off), 1);
	close(fd);
}

static void copy_file(const char *from, const char *to)
{
	size_t len;
	void *buf = slurp(from, &len);

	spit(to, buf, len);
	free(buf);
}

/* An unclosed log of K records: a copy taken while the writer holds it. */
static void write_open_log(struct fixture *f, uint64_t k)
{
	struct vlog_writer w;

	write_log_w(&w, f->path, k, 4096);
	copy_file(f->path, f->path2);
	assert_int_equal(vlog_writer_close(&w), 0);
}

/*
 * The streaming reader hands out exactly the records vlog_reader_open()
 * reads, in batches, and ends the same way: same return, tail, offsets and
 * message.
 */
static void expect_stream_agrees(const char *path)
{
	struct vlog_reader a, b;
	const struct vlog_rec *recs;
	int ra = vlog_reader_open(&a, path), rb = vlog_reader_open_stream(&b, path);
	uint64_t seen = 0;
	size_t n, k;

	while (!rb && !(rb = vlog_reader_next(&b, &recs, &n)) && n) {
		assert_true(n <= VLOG_STREAM_BATCH);
		for (k = 0; k < n; k++, seen++) {
			struct vlog_rec want;

			assert_int_equal(recs[k].seq, seen);
			if (ra)
				continue;
			vlog_reader_rec(&a, seen, &want);
			assert_memory_equal(&recs[k], &want, sizeof(want));
		}
	}
	assert_int_equal(rb, ra);
	assert_int_equal(b.err_offset, a.err_offset);
	assert_string_equal(b.err, a.err);
	if (!ra) {
		assert_int_equal(seen, a.nrec);
		assert_int_equal(b.nrec, a.nrec);
		assert_int_equal(b.tail, a.tail);
		assert_int_equal(b.tail_offset, a.tail_offset);
	}
	vlog_reader_release(&a);
	vlog_reader_release(&b);
}

static void expect_rejected(const char *path, int err, uint64_t off, const char *what)
{
	struct vlog_reader r;

	assert_int_equal(vlog_reader_open(&r, path), err);
	assert_int_equal(r.err_offset, off);
	assert_non_null(strstr(r.err, what));
	assert_null(r.map);
	assert_null(r.kv);
	expect_stream_agrees(path);
}

/* ---- tests ---- */

static void closed_log_reads_back_every_field(void **state)
{
	struct fixture *f = *state;
	struct vlog_reader r;
	size_t len;
	void *buf;

	write_log(f->path, 300, 0);
	buf = slurp(f->path, &len);
	free(buf);
	assert_int_equal(len, HDR + 300 * 64); /* cut to its records at close */
	assert_int_equal(vlog_reader_open(&r, f->path), 0);
	assert_int_equal(r.tail, VLOG_TAIL_CLEAN);
	assert_int_equal(r.swap, 0);
	assert_int_equal(r.prefix.state, VLOG_STATE_CLOSED);
	assert_int_equal(r.prefix.record_count, 300);
	assert_int_equal(r.prefix.header_bytes, HDR);
	assert_int_equal(r.prefix.record_bytes, 64);
	expect_recs(&r, 300);
	vlog_reader_release(&r);
}

/*
 * A later minor version may append fields: records longer than 64 bytes,
 * prefix.record_bytes saying how long.  This reader reads the 64 it knows
 * of each, at the record's own stride, in the open-time scan and in the
 * stream (which then copies, as for a swapped log), and the parallel
 * readers' spans are not offered in place.  (Before, the stream checked
 * such a log at a 64-byte stride: each batch stopped after one record,
 * the second half of record 0 failing as record 1, and a crafted file's
 * 64-byte records were taken for its own; the parallel reader's spans,
 * at the right stride, then disagreed: the fuzzers found it.)
 */
static void longer_records_of_a_later_minor_version_read_at_their_stride(void **state)
{
	struct fixture *f = *state;
	struct vlog_reader r;
	const struct vlog_rec *recs;
	size_t len, n, k, i;
	unsigned char *buf, *wide;
	uint32_t rb = 128;
	uint64_t seen = 0, batches = 0;

	write_log(f->path, 300, 0);
	buf = slurp(f->path, &len);
	assert_int_equal(len, HDR + 300 * 64);
	wide = malloc(HDR + 300 * rb);
	assert_non_null(wide);
	memcpy(wide, buf, HDR);
	memcpy(wide + offsetof(struct vlog_prefix, record_bytes), &rb, sizeof(rb));
	for (i = 0; i < 300; i++) {
		memcpy(wide + HDR + i * rb, buf + HDR + i * 64, 64);
		memset(wide + HDR + i * rb + 64, 0xab, rb - 64); /* the appended fields */
	}
	spit(f->path, wide, HDR + 300 * rb);
	free(wide);
	free(buf);
	assert_int_equal(vlog_reader_open(&r, f->path), 0);
	assert_int_equal(r.prefix.record_bytes, rb);
	assert_int_equal(r.tail, VLOG_TAIL_CLEAN);
	expect_recs(&r, 300);
	vlog_reader_release(&r);
	assert_int_equal(vlog_reader_open_stream(&r, f->path), 0);
	assert_false(vlog_reader_in_place(&r));
	assert_int_equal(vlog_reader_span(&r, 0, 300, &recs), 0);
	while (!vlog_reader_next(&r, &recs, &n) && n) {
		batches++;
		for (k = 0; k < n; k++, seen++) {
			struct vlog_rec want;

			make_rec(seen, &want);
			assert_int_equal(recs[k].seq, seen);
			assert_int_equal(recs[k].lat_ns, want.lat_ns);
			assert_int_equal(recs[k].offset, want.offset);
		}
	}
	assert_int_equal(seen, 300);
	assert_int_equal(batches, 1); /* not one batch per record */
	assert_int_equal(r.tail, VLOG_TAIL_CLEAN);
	vlog_reader_release(&r);
	expect_stream_agrees(f->path);
}

static void header_values_with_special_bytes_round_trip(void **state)
{
	struct fixture *f = *state;
	struct vlog_reader r;
	size_t i;

	write_log(f->path, 1, 0);
	assert_int_equal(vlog_reader_open(&r, f->path), 0);
	assert_int_equal(r.nkv, NKEYS);
	for (i = 0; i < NKEYS; i++) {
		assert_string_equal(r.kv[i].key, text_keys[i].key); /* file order kept */
		assert_string_equal(vlog_reader_get(&r, text_keys[i].key), text_keys[i].value);
	}
	assert_null(vlog_reader_get(&r, "no.such.key"));
	vlog_reader_release(&r);
}

static void text_section_is_one_line_per_key(void **state)
{
	struct vlog_text t;
	size_t i, lines = 0;

	(void)state;
	make_text(&t);
	for (i = 0; i < t.len; i++)
		lines += t.buf[i] == '\n';
	assert_int_equal(lines, NKEYS);
	assert_non_null(strstr(t.buf, "tag.newline=line one\\nline two\\n\n"));
	assert_non_null(strstr(t.buf, "tag.backslash=C:\\\\dir\\\\\n"));
	assert_non_null(strstr(t.buf, "tag.control=\\x01\\x02\\x1f\\x7f end\n"));
	vlog_text_release(&t);
}

/* The window helper's modes (lib/vlog_prep.h): on, off, and late. */
static const char *const prep_modes[] = { "thread", "inline", "slow" };

static void window_changes_keep_every_record(void **state)
{
	static const uint64_t counts[] = { 0, 1, 63, 64, 65, 128, 1000, 1024, 2049 };
	struct fixture *f = *state;
	struct vlog_reader r;
	size_t i, m;

	for (m = 0; m < ARRAY_SIZE(prep_modes); m++) {
		setenv("VMLAT_LOG_PREP", prep_modes[m], 1);
		for (i = 0; i < ARRAY_SIZE(counts); i++) {
			unlink(f->path);
			write_log(f->path, counts[i], 4096); /* 64 records per window */
			assert_int_equal(vlog_reader_open(&r, f->path), 0);
			assert_int_equal(r.tail, VLOG_TAIL_CLEAN);
			assert_int_equal(r.map_bytes, HDR + counts[i] * 64);
			expect_recs(&r, counts[i]);
			vlog_reader_release(&r);
			expect_stream_agrees(f->path);
		}
	}
	unsetenv("VMLAT_LOG_PREP");
}

/* Threads of this process named NAME (/proc/self/task/TID/comm). */
static int threads_named(const char *name)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	char path[300], comm[64];
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d))) {
		FILE *f;

		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", e->d_name);
		if (e->d_name[0] == '.' || !(f = fopen(path, "r")))
			continue;
		if (fgets(comm, sizeof(comm), f) && !strncmp(comm, name, strlen(name)))
			n++;
		fclose(f);
	}
	closedir(d);
	return n;
}

/*
 * A writer has its window helper while open (one thread, named for top and
 * ps), none with VMLAT_LOG_PREP=inline, and none left after close.
 */
static void window_helper_runs_while_open_unless_inline(void **state)
{
	struct fixture *f = *state;
	struct vlog_writer w;
	size_t m;

	for (m = 0; m < 2; m++) {
		setenv("VMLAT_LOG_PREP", prep_modes[m], 1);
		unlink(f->path);
		write_log_w(&w, f->path, 200, 4096);
		assert_int_equal(threads_named("vmlat-logprep"), m == 0 ? 1 : 0);
		assert_int_equal(vlog_writer_close(&w), 0);
		assert_int_equal(threads_named("vmlat-logprep"), 0);
	}
	unsetenv("VMLAT_LOG_PREP");
}

/*
 * Windows of a huge page multiple cover file ranges aligned to their size
 * (so the kernel can map them with huge pages): the first holds the header
 * and fewer records, and a window change lands on the range boundary.
 */
static void huge_windows_are_aligned_to_the_file_and_keep_every_record(void **state)
{
	static const uint32_t win = 2u << 20;
	static const uint64_t first = ((2u << 20) - HDR) / 64; /* records in window 0 */
	static const uint64_t counts[] = { first - 1, first, first + 1, first + 32768 + 5 };
	struct fixture *f = *state;
	struct vlog_writer w;
	struct vlog_reader r;
	struct stat st;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(counts); i++) {
		unlink(f->path);
		write_log_w(&w, f->path, counts[i], win);
		assert_int_equal(stat(f->path, &st), 0);
		assert_int_equal(st.st_size % win, 0); /* reserved up to a range's end */
		assert_true((uint64_t)st.st_size >= HDR + counts[i] * 64);
		/* the current window's range, and the next one's, which the helper reserves ahead */
		assert_true((uint64_t)st.st_size < HDR + counts[i] * 64 + 3 * (uint64_t)win);
		assert_int_equal(vlog_writer_close(&w), 0);
		assert_int_equal(vlog_reader_open(&r, f->path), 0);
		assert_int_equal(r.tail, VLOG_TAIL_CLEAN);
		expect_recs(&r, counts[i]);
		vlog_reader_release(&r);
	}
}

/* A writer of K records in windows of WIN bytes, killed: every record is there. */
static void expect_killed_writer_keeps(const char *path, uint64_t k, uint32_t win)
{
	struct vlog_reader r;
	struct vlog_writer w;
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		write_log_w(&w, path, k, win);
		kill(getpid(), SIGKILL);
		_exit(1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	assert_int_equal(vlog_reader_open(&r, path), 0);
	assert_int_equal(r.tail, VLOG_TAIL_OPEN);
	assert_int_equal(r.prefix.state, VLOG_STATE_OPEN);
	expect_recs(&r, k);
	vlog_reader_release(&r);
	expect_stream_agrees(path);
}

/*
 * The same windows, killed right after a window change: every record is
 * there, with the helper, without it, and when it is late.
 */
static void killed_writer_with_huge_windows_keeps_every_record(void **state)
{
	struct fixture *f = *state;
	size_t m;

	for (m = 0; m < ARRAY_SIZE(prep_modes); m++) {
		setenv("VMLAT_LOG_PREP", prep_modes[m], 1);
		unlink(f->path);
		expect_killed_writer_keeps(f->path, ((2u << 20) - HDR) / 64 + 32768 + 3, 2u << 20);
	}
	unsetenv("VMLAT_LOG_PREP");
}

static void killed_writer_leaves_an_open_log_with_every_record(void **state)
{
	struct fixture *f = *state;

	/* two window changes, then a part window */
	expect_killed_writer_keeps(f->path, 150, 4096);
}

static void copy_of_a_running_log_reads_as_open(void **state)
{
	struct fixture *f = *state;
	struct vlog_reader r;

	write_open_log(f, 100);
	assert_int_equal(vlog_reader_open(&r, f->path2), 0);
	assert_int_equal(r.tail, VLOG_TAIL_OPEN);
	expect_recs(&r, 100);
	vlog_reader_release(&r);
	expect_stream_agrees(f->path2);
}

static void expect_torn(const char *path, uint64_t k)
{
	struct vlog_reader r;

	assert_int_equal(vlog_reader_open(&r, path), 0);
	assert_int_equal(r.tail, VLOG_TAIL_TORN);
	assert_int_equal(r.tail_offset, HDR + k * 64);
	assert_int_equal(r.err_offset, HDR + k * 64);
	assert_non_null(strstr(r.err, "torn"));
	expect_recs(&r, k);
	vlog_reader_release(&r);
	expect_stream_agrees(path);
}

static void partial_record_after_open_log_is_a_torn_tail(void **state)
{
	static const uint64_t k = 70;
	struct fixture *f = *state;
	unsigned char junk[30];

	memset(junk, 0xa5, sizeof(junk));
	write_open_log(f, k);
	patch(f->path2, HDR + k * 64, junk, sizeof(junk));
	expect_torn(f->path2, k);
}

static void closed_log_reopened_with_junk_is_a_torn_tail(void **state)
{
	static const uint64_t k = 5;
	struct fixture *f = *state;
	unsigned char junk[30];

	memset(junk, 0x11, sizeof(junk));
	write_log(f->path, k, 0);
	patch_u32(f->path, OFF_STATE, VLOG_STATE_OPEN);
	patch(f->path, HDR + k * 64, junk, sizeof(junk)); /* extends the file */
	expect_torn(f->path, k);
}

static void damaged_last_record_of_open_log_is_a_torn_tail(void **state)
{
	static const uint64_t k = 10;
	struct fixture *f = *state;

	write_open_log(f, k);
	flip_byte(f->path2, HDR + (k - 1) * 64 + 20); /* issue_ns of the last record */
	expect_torn(f->path2, k - 1);
}

/* A closed log cut short or damaged: K good records, then ERR_OFF and WHAT. */
static void expect_cut(const char *path, uint64_t k, uint64_t err_off, const char *what)
{
	struct vlog_reader r;

	assert_int_equal(vlog_reader_open(&r, path), 0);
	assert_int_equal(r.tail, VLOG_TAIL_TORN);
	assert_int_equal(r.tail_offset, HDR + k * 64);
	assert_int_equal(r.err_offset, err_off);
	assert_non_null(strstr(r.err, what));
	expect_recs(&r, k);
	vlog_reader_release(&r);
	expect_stream_agrees(path);
}

static void closed_log_with_damaged_record_3_keeps_records_0_to_2(void **state)
{
	struct fixture *f = *state;

	write_log(f->path, 10, 0);
	flip_byte(f->path, HDR + 3 * 64 + 9); /* offset of record 3 */
	expect_cut(f->path, 3, HDR + 3 * 64, "record 3");
}

static void record_out_of_sequence_ends_the_good_records(void **state)
{
	struct fixture *f = *state;
	unsigned char rec2[64];
	int fd;

	write_log(f->path, 10, 0);
	fd = open(f->path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, rec2, sizeof(rec2), HDR + 2 * 64), 64);
	close(fd);
	/* record 2 copied over record 3: its check is right, its seq is not */
	patch(f->path, HDR + 3 * 64, rec2, sizeof(rec2));
	expect_cut(f->path, 3, HDR + 3 * 64, "record 3");
}

static void truncated_closed_log_keeps_its_intact_records(void **state)
{
	struct fixture *f = *state;

	write_log(f->path, 10, 0);
	assert_int_equal(truncate(f->path, HDR + 5 * 64 + 10), 0); /* mid-record */
	expect_cut(f->path, 5, HDR + 5 * 64 + 10, "truncated");
	assert_int_equal(truncate(f->path, HDR + 5 * 64), 0);
	expect_cut(f->path, 5, HDR + 5 * 64, "truncated");
	assert_int_equal(truncate(f->path, 1000), 0); /* inside the header */
	expect_rejected(f->path, -EBADMSG, 1000, "truncated");
}

/*
 * The writer's close cuts an open log to its records (issue 11.5): a reader
 * that opened the log before must not touch the pages the cut removed
 * (SIGBUS on a mapping).  The cut here goes down to the header, the worst
 * case; the reader hands out the records that were there when it opened.
 */
static void log_shrunk_by_its_writer_while_read_never_faults(void **state)
{
	static const uint64_t k = 20000; /* several windows of 64 KiB */
	struct fixture *f = *state;
	const struct vlog_rec *recs;
	struct vlog_writer w;
	struct vlog_reader r;
	uint64_t seen = 0;
	size_t n;

	write_log_w(&w, f->path, k, 65536);
	assert_int_equal(vlog_reader_open_stream(&r, f->path), 0);
	assert_int_equal(truncate(f->path, HDR), 0);
	while (!vlog_reader_next(&r, &recs, &n) && n)
		seen += n;
	assert_int_equal(seen, k);
	assert_int_equal(r.tail, VLOG_TAIL_OPEN);
	vlog_reader_release(&r);
	assert_int_equal(vlog_writer_close(&w), 0);
}

static void bytes_after_the_counted_records_are_rejected(void **state)
{
	struct fixture *f = *state;
	unsigned char zero[64] = { 0 };

	write_log(f->path, 10, 0);
	patch(f->path, HDR + 10 * 64, zero, sizeof(zero));
	expect_rejected(f->path, -EBADMSG, HDR + 10 * 64, "unexpected bytes");
}

static void bad_magic_is_rejected_at_byte_0(void **state)
{
	struct fixture *f = *state;

	write_log(f->path, 3, 0);
	patch(f->path, 0, "VMLATLOX", 8);
	expect_rejected(f->path, -EBADMSG, 0, "magic");
}

static void short_and_empty_files_are_rejected(void **state)
{
	struct fixture *f = *state;
	char buf[63];

	write_log(f->path, 3, 0);
	assert_int_equal(truncate(f->path, 63), 0);
	expect_rejected(f->path, -EBADMSG, 63, "not a vmlat log");
	spit(f->path2, buf, 0);
	expect_rejected(f->path2, -EBADMSG, 0, "not a vmlat log");
	memset(buf, 0, sizeof(buf));
	spit(f->path2, buf, 10);
	expect_rejected(f->path2, -EBADMSG, 10, "not a vmlat log");
}

static void newer_major_version_is_refused(void **state)
{
	struct fixture *f = *state;

	write_log(f->path, 3, 0);
	patch_u16(f->path, OFF_MAJOR, 2);
	expect_rejected(f->path, -EPROTONOSUPPORT, OFF_MAJOR, "newer");
}

static void newer_minor_version_is_still_read(void **state)
{
	struct fixture *f = *state;
	struct vlog_reader r;

	write_log(f->path, 3, 0);
	patch_u16(f->path, OFF_MINOR, 7);
	assert_int_equal(vlog_reader_open(&r, f->path), 0);
	assert_int_equal(r.prefix.version_minor, 7);
	expect_recs(&r, 3);
	vlog_reader_release(&r);
}

static void wrong_record_size_is_rejected(void **state)
{
	struct fixture *f = *state;

	write_log(f->path, 3, 0);
	patch_u32(f->path, OFF_RECORD_BYTES, 48);
	expect_rejected(f->path, -EBADMSG, OFF_RECORD_BYTES, "record size 48");
	patch_u32(f->path, OFF_RECORD_BYTES, 96);
	expect_rejected(f->path, -EBADMSG, OFF_RECORD_BYTES, "record size 96");
}

static void nonexistent_and_non_regular_files_are_system_errors(void **state)
{
	struct fixture *f = *state;
	struct vlog_reader r;

	assert_int_equal(vlog_reader_open(&r, f->path), -ENOENT);
	assert_int_equal(vlog_reader_open(&r, f->dir), -EINVAL);
	assert_null(r.map);
}

/* ---- the other byte order, built here field by field from vlog.h ---- */

static void swap_at(unsigned char *p, size_t size)
{
	size_t i;

	for (i = 0; i < size / 2; i++) {
		unsigned char c = p[i];

		p[i] = p[size - 1 - i];
		p[size - 1 - i] = c;
	}
}

static void swap_prefix(unsigned char *p)
{
	static const struct { size_t off, size; } ints[] = {
		{ 8, 4 }, { 12, 2 }, { 14, 2 }, { 16, 4 }, { 20, 4 }, { 24, 4 }, { 28, 4 }, { 32, 8 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ints); i++)
		swap_at(p + ints[i].off, ints[i].size);
}

static void swap_record(unsigned char *p)
{
	static const struct { size_t off, size; } ints[] = {
		{ 0, 8 },  { 8, 8 },  { 16, 8 }, { 24, 8 }, { 32, 4 }, { 38, 2 }, { 40, 2 },
		{ 42, 2 }, { 44, 4 }, { 48, 2 }, { 50, 2 }, { 52, 2 }, { 54, 2 }, { 56, 4 },
		{ 60, 4 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ints); i++)
		swap_at(p + ints[i].off, ints[i].size);
}

static void byte_swapped_log_reads_back_the_same_values(void **state)
{
	static const uint64_t n = 2100; /* more than two stream batches */
	struct fixture *f = *state;
	struct vlog_reader r;
	unsigned char *buf;
	size_t len;
	uint64_t i;

	write_log(f->path, n, 0);
	buf = slurp(f->path, &len);
	swap_prefix(buf);
	for (i = 0; i < n; i++)
		swap_record(buf + HDR + i * 64);
	spit(f->path2, buf, len);
	free(buf);
	assert_int_equal(vlog_reader_open(&r, f->path2), 0);
	assert_int_equal(r.swap, 1);
	assert_int_equal(r.tail, VLOG_TAIL_CLEAN);
	assert_int_equal(r.prefix.header_bytes, HDR);
	assert_int_equal(r.prefix.record_count, n);
	assert_string_equal(vlog_reader_get(&r, "tag.newline"), "line one\nline two\n");
	expect_recs(&r, n);
	vlog_reader_release(&r);
	expect_stream_agrees(f->path2);
}

static void writer_refuses_an_existing_path_and_leaves_it_intact(void **state)
{
	static const char old[] = "an earlier run's log, not to be lost\n";
	struct fixture *f = *state;
	struct vlog_writer w;
	struct vlog_text t;
	struct vlog_reader r;
	size_t len;
	char *buf;

	spit(f->path, old, sizeof(old));
	make_text(&t);
	assert_int_equal(vlog_writer_open(&w, f->path, &t, 0, 0), -EEXIST);
	buf = slurp(f->path, &len);
	assert_int_equal(len, sizeof(old));
	assert_memory_equal(buf, old, sizeof(old));
	free(buf);
	assert_int_equal(vlog_writer_open(&w, f->path, &t, 0, 1), 0);
	vlog_text_release(&t);
	assert_int_equal(vlog_writer_close(&w), 0);
	assert_int_equal(vlog_reader_open(&r, f->path), 0);
	expect_recs(&r, 0);
	vlog_reader_release(&r);
}

static void refused_writer_closes_without_touching_fd_0(void **state)
{
	struct fixture *f = *state;
	struct vlog_writer w;
	struct vlog_text t;
	struct stat before, after;
	int saved = dup(0);

	/* fd 0 is a file of ours, so a stray ftruncate or close would show */
	spit(f->path2, "stdin", 5);
	assert_true(saved >= 0);
	close(0);
	assert_int_equal(open(f->path2, O_RDWR), 0);
	assert_int_equal(fstat(0, &before), 0);
	make_text(&t);
	assert_int_equal(vlog_writer_open(&w, f->path, &t, 1000, 0), -EINVAL); /* not 4096-aligned */
	vlog_text_release(&t);
	assert_int_equal(vlog_writer_close(&w), 0);
	assert_int_equal(fstat(0, &after), 0);
	assert_int_equal(after.st_ino, before.st_ino);
	assert_int_equal(after.st_size, 5);
	assert_int_equal(access(f->path, F_OK), -1); /* and nothing was created */
	assert_int_equal(dup2(saved, 0), 0);
	close(saved);
}

/* Lines added at close land in the reserved pad and read as ordinary keys. */
static void closing_text_is_read_back_after_the_open_text(void **state)
{
	struct fixture *f = *state;
	struct vlog_writer w;
	struct vlog_text t, end;
	struct vlog_reader r;
	struct vlog_rec rec;

	make_text(&t);
	t.reserve = 8192; /* more than one page: header_bytes must grow */
	assert_int_equal(vlog_writer_open(&w, f->path, &t, 0, 0), 0);
	assert_true(w.header_bytes >= VLOG_PREFIX_BYTES + t.len + 8192);
	make_rec(0, &rec);
	assert_int_equal(vlog_writer_append(&w, &rec), 0);
	vlog_text_init(&end);
	assert_int_equal(vlog_text_add(&end, "end.key", "at close\n"), 0);
	assert_int_equal(vlog_writer_close_text(&w, &end), 0);
	assert_int_equal(vlog_reader_open(&r, f->path), 0);
	assert_int_equal(r.tail, VLOG_TAIL_CLEAN);
	assert_int_equal(r.prefix.text_bytes, t.len + end.len);
	assert_string_equal(vlog_reader_get(&r, "end.key"), "at close\n");
	assert_string_equal(vlog_reader_get(&r, "job_name"), "job=with=equals");
	expect_recs(&r, 1);
	vlog_reader_release(&r);
	vlog_text_release(&t);
	vlog_text_release(&end);
}

/* A closing text larger than the pad is dropped, and the log still closes. */
static void closing_text_that_does_not_fit_is_dropped(void **state)
{
	struct fixture *f = *state;
	struct vlog_writer w;
	struct vlog_text t, end;
	struct vlog_reader r;
	char big[5000];

	make_text(&t);
	assert_int_equal(vlog_writer_open(&w, f->path, &t, 0, 0), 0);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	vlog_text_init(&end);
	assert_int_equal(vlog_text_add(&end, "end.big", big), 0);
	assert_int_equal(vlog_writer_close_text(&w, &end), -EMSGSIZE);
	assert_int_equal(vlog_reader_open(&r, f->path), 0);
	assert_int_equal(r.tail, VLOG_TAIL_CLEAN);
	assert_null(vlog_reader_get(&r, "end.big"));
	assert_int_equal(r.prefix.text_bytes, t.len);
	vlog_reader_release(&r);
	vlog_text_release(&t);
	vlog_text_release(&end);
}

/*
 * Lines added while open are vouched for at once (a killed writer's log
 * has them), the closing lines follow them, and KEEP is honoured.
 */
static void text_added_while_open_is_read_back_before_and_after_close(void **state)
{
	struct fixture *f = *state;
	struct vlog_writer w;
	struct vlog_text t, late, end;
	struct vlog_reader r;

	make_text(&t);
	t.reserve = 1000;
	assert_int_equal(vlog_writer_open(&w, f->path, &t, 0, 0), 0);
	vlog_text_init(&late);
	assert_int_equal(vlog_text_add(&late, "target.1", "/dev/late"), 0);
	/* KEEP larger than the pad: nothing is written */
	assert_int_equal(vlog_writer_add_text(&w, &late, w.header_bytes), -ENOSPC);
	assert_int_equal(vlog_writer_add_text(&w, &late, 900), 0);
	assert_int_equal(vlog_reader_open(&r, f->path), 0);
	assert_int_equal(r.tail, VLOG_TAIL_OPEN);
	assert_int_equal(r.prefix.text_bytes, t.len + late.len);
	assert_string_equal(vlog_reader_get(&r, "target.1"), "/dev/late");
	vlog_reader_release(&r);
	vlog_text_init(&end);
	assert_int_equal(vlog_text_add(&end, "end.key", "e"), 0);
	assert_int_equal(vlog_writer_close_text(&w, &end), 0);
	assert_int_equal(vlog_reader_open(&r, f->path), 0);
	assert_int_equal(r.tail, VLOG_TAIL_CLEAN);
	assert_int_equal(r.prefix.text_bytes, t.len + late.len + end.len);
	assert_string_equal(vlog_reader_get(&r, "target.1"), "/dev/late");
	assert_string_equal(vlog_reader_get(&r, "end.key"), "e");
	assert_int_equal(vlog_writer_add_text(&w, &late, 0), -EBADF);
	vlog_reader_release(&r);
	vlog_text_release(&t);
	vlog_text_release(&late);
	vlog_text_release(&end);
}

static void text_add_rejects_bad_keys(void **state)
{
	static const char *const bad[] = { "a=b", "=", "", "new\nline", "sp ace", "tab\t" };
	struct vlog_text t;
	size_t i;

	(void)state;
	vlog_text_init(&t);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(vlog_text_add(&t, bad[i], "v"), -EINVAL);
	assert_int_equal(t.len, 0);
	assert_int_equal(vlog_text_addf(&t, "n", "%d-%s", 42, "x"), 0);
	assert_string_equal(t.buf, "n=42-x\n");
	vlog_text_release(&t);
}

static void unescape_inverts_escape_for_every_byte(void **state)
{
	char in[256], *out;
	struct vlog_text t;
	const char *v;
	size_t i;

	(void)state;
	for (i = 1; i < 256; i++)
		in[i - 1] = (char)i;
	in[255] = '\0';
	vlog_text_init(&t);
	assert_int_equal(vlog_text_add(&t, "k", in), 0);
	v = t.buf + 2;
	assert_null(memchr(v, '\n', t.len - 3)); /* one line */
	assert_int_equal(vlog_unescape(v, t.len - 3, &out), 0);
	assert_string_equal(out, in);
	free(out);
	vlog_text_release(&t);
}

static void unescape_rejects_bad_escapes(void **state)
{
	static const char *const bad[] = { "\\q", "abc\\", "\\", "\\x4", "\\x", "\\xg0", "a\\x4" };
	char *out = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(vlog_unescape(bad[i], strlen(bad[i]), &out), -EBADMSG);
	assert_null(out);
	assert_int_equal(vlog_unescape("\\x41\\x4a\\\\\\t", 12, &out), 0);
	assert_string_equal(out, "AJ\\\t");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(closed_log_reads_back_every_field),
		T(header_values_with_special_bytes_round_trip),
		T(text_section_is_one_line_per_key),
		T(window_changes_keep_every_record),
	T(window_helper_runs_while_open_unless_inline),
		T(killed_writer_leaves_an_open_log_with_every_record),
		T(huge_windows_are_aligned_to_the_file_and_keep_every_record),
		T(killed_writer_with_huge_windows_keeps_every_record),
		T(copy_of_a_running_log_reads_as_open),
		T(partial_record_after_open_log_is_a_torn_tail),
		T(closed_log_reopened_with_junk_is_a_torn_tail),
		T(damaged_last_record_of_open_log_is_a_torn_tail),
		T(closed_log_with_damaged_record_3_keeps_records_0_to_2),
		T(record_out_of_sequence_ends_the_good_records),
		T(truncated_closed_log_keeps_its_intact_records),
		T(longer_records_of_a_later_minor_version_read_at_their_stride),
		T(log_shrunk_by_its_writer_while_read_never_faults),
		T(bytes_after_the_counted_records_are_rejected),
		T(bad_magic_is_rejected_at_byte_0),
		T(short_and_empty_files_are_rejected),
		T(newer_major_version_is_refused),
		T(newer_minor_version_is_still_read),
		T(wrong_record_size_is_rejected),
		T(nonexistent_and_non_regular_files_are_system_errors),
		T(byte_swapped_log_reads_back_the_same_values),
		T(writer_refuses_an_existing_path_and_leaves_it_intact),
		T(refused_writer_closes_without_touching_fd_0),
		T(closing_text_is_read_back_after_the_open_text),
		T(closing_text_that_does_not_fit_is_dropped),
		T(text_added_while_open_is_read_back_before_and_after_close),
		T(text_add_rejects_bad_keys),
		T(unescape_inverts_escape_for_every_byte),
		T(unescape_rejects_bad_escapes),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
