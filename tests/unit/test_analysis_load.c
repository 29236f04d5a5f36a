/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_analysis_load.c - the loaders (analysis/core/load*.c) on small files
 * written here in every layout fio's flush_samples() can produce, on fio
 * JSON shaped as fio 3.33 writes it (standalone and client/server, with
 * text before the JSON, a stats=0 placeholder and an "All clients"
 * aggregate), and on a vmlat log written with lib/vlog's writer.  The
 * expected layout, labels and samples are read off the text written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "core/fiolog_parse.h"
#include "core/fiolog_scan.h"
#include "core/load.h"
#include "vlog.h"
#include "util.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/vmlat-load.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static const char *put(const char *name, const char *text)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

struct result {
	struct sample_list l;
	struct load_err e;
	int rc;
};

/* Options that accept averaged logs (refused by default, issue 13.6). */
static const struct load_opts avg = { .fio_averaged = 1 };

static void load(struct result *r, const char *path, const struct load_opts *o)
{
	sample_list_init(&r->l);
	memset(&r->e, 0, sizeof(r->e));
	r->rc = load_fiolog(&r->l, path, o, &r->e);
}

static void done(struct result *r)
{
	sample_list_release(&r->l);
}

/* fio 3.33 default: time, value, ddir, bs, prio; one set per ddir. */
static void test_fiolog_default(void **state)
{
	struct result r;

	(void)state;
	load(&r, put("j_clat.1.log", "1, 100, 0, 4096, 0\n2, 300, 1, 4096, 0\n3, 200, 0, 4096, 1\n"),
	     NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.l.n, 2);
	assert_string_equal(labels_get(&r.l.v[0]->labels, "ddir"), "read");
	assert_string_equal(labels_get(&r.l.v[0]->labels, "metric"), "clat");
	assert_string_equal(labels_get(&r.l.v[0]->labels, "job_number"), "1");
	assert_string_equal(labels_get(&r.l.v[0]->labels, "bs"), "4096");
	assert_int_equal(r.l.v[0]->n, 2);
	assert_int_equal(r.l.v[0]->lat_ns[1], 200);
	assert_int_equal(r.l.v[1]->lat_ns[0], 300);
	assert_int_equal(r.l.v[0]->kind, SAMPLES_PER_IO);
	done(&r);
}

/* Each layout, told apart by content alone. */
static void test_fiolog_layouts(void **state)
{
	static const struct {
		const char *text;
		uint64_t second_value;
		enum samples_kind kind;
	} cases[] = {
		{ "1, 100, 0, 4096, 8192\n1, 101, 0, 4096, 0\n", 101, SAMPLES_PER_IO },  /* no prio */
		{ "1, 100, 0, 4096, 8192, 0x0000\n1, 102, 0, 4096, 0, 0x2001\n", 102, SAMPLES_PER_IO },
		{ "1, 100, 0, 4096, 8192, 1\n1, 103, 0, 4096, 0, 0\n", 103, SAMPLES_PER_IO },
		{ "1, 100, 0, 4096, 0, 123456\n1, 104, 0, 4096, 1, 223456\n", 104, SAMPLES_PER_IO },
		{ "1, 100, 0, 4096, 4096, 0, 123456\n1, 105, 0, 4096, 0, 0, 5\n", 105, SAMPLES_PER_IO },
		{ "100, 5000, 0, 0, 0\n200, 106, 0, 0, 0\n", 106, SAMPLES_WINDOWED },
		{ "100, 5000, 9000, 0, 0, 0\n200, 107, 200, 0, 0, 0\n", 107, SAMPLES_WINDOWED },
		{ "1, 100, 0, 4096\n2, 108, 0, 512\n", 108, SAMPLES_PER_IO },
	};
	struct result r;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		load(&r, put("x_lat.log", cases[i].text), &avg);
		if (r.rc)
			fail_msg("case %zu: %s", i, r.e.msg);
		assert_int_equal(r.l.n, 1);
		assert_int_equal(r.l.v[0]->n, 2);
		assert_int_equal(r.l.v[0]->lat_ns[1], cases[i].second_value);
		assert_int_equal(r.l.v[0]->kind, cases[i].kind);
		done(&r);
	}
}

/* Window maxima kept next to the means (log_window_value=both). */
static void test_fiolog_window_both(void **state)
{
	struct result r;

	(void)state;
	load(&r, put("w_lat.log", "100, 5000, 9000, 1, 0, 0\n"), NULL);
	assert_int_equal(r.rc, -EBADMSG); /* averaged: refused unless asked for */
	assert_non_null(strstr(r.e.msg, "--fio-averaged"));
	done(&r);
	load(&r, put("w_lat.log", "100, 5000, 9000, 1, 0, 0\n"), &avg);
	assert_int_equal(r.rc, 0);
	assert_non_null(r.l.v[0]->max_ns);
	assert_int_equal(r.l.v[0]->max_ns[0], 9000);
	assert_string_equal(labels_get(&r.l.v[0]->labels, "ddir"), "write");
	done(&r);
}

/* Offset 0/1 or issue time 0/1: undecidable, and the message says what to pass. */
static void test_fiolog_ambiguous(void **state)
{
	struct fiolog_layout forced;
	struct load_opts o = { 0 };
	struct result r;
	const char *p = put("a_lat.log", "1, 100, 0, 4096, 0, 1\n");

	(void)state;
	load(&r, p, NULL);
	assert_int_equal(r.rc, -EBADMSG);
	assert_non_null(strstr(r.e.msg, "--fio-columns=time,value,ddir,bs,offset,prio"));
	assert_non_null(strstr(r.e.msg, "time,value,ddir,bs,prio,issue"));
	done(&r);
	assert_int_equal(fiolog_layout_parse("time,value,ddir,bs,prio,issue", &forced), 0);
	o.fio_layout = &forced;
	load(&r, p, &o);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.l.v[0]->lat_ns[0], 100);
	done(&r);
	assert_int_equal(fiolog_layout_parse("time,value,nope", &forced), -EINVAL);
}

static void test_fiolog_bad(void **state)
{
	struct result r;

	(void)state;
	load(&r, put("b_lat.log", "1, 100, 0, 4096, 0\n2, 1x0, 0, 4096, 0\n"), NULL);
	assert_int_equal(r.rc, -EBADMSG);
	assert_int_equal(r.e.line, 2);
	done(&r);
	load(&r, put("b_lat.log", "1, 100, 0, 4096, 0\n2, 100, 0, 4096\n"), NULL);
	assert_int_equal(r.rc, -EBADMSG);
	assert_int_equal(r.e.line, 2);
	assert_non_null(strstr(r.e.msg, "4 columns, but line 1 has 5"));
	done(&r);
	load(&r, put("b_lat.log", "1, 100, 7, 4096, 0\n"), NULL); /* ddir 7 */
	assert_int_equal(r.rc, -EBADMSG);
	done(&r);
	load(&r, put("b_lat.log", ""), NULL);
	assert_int_equal(r.rc, -EBADMSG);
	done(&r);
	load(&r, put("j_bw.1.log", "1, 100, 0, 4096, 0\n"), NULL);
	assert_int_equal(r.rc, -ENOTSUP);
	done(&r);
}

/*
 * Values of every length from 1 to 19 digits, ending on each kind of byte
 * after them, read exactly (short ones take the 8-bytes-at-a-time path);
 * 2^63 is refused (fio's columns are signed 64-bit, issue 13.8), and so is
 * one past UINT64_MAX.
 */
static void test_fiolog_number_lengths(void **state)
{
	static const char *const ends[] = { ", 0, 4096, 0\n", ",0,4096,0\r\n", ", 0, 4096, 0" };
	char text[8192], num[24];
	uint64_t want[19], x = 0;
	size_t len = 0, i;
	struct result r;

	(void)state;
	for (i = 0; i < 19; i++) {
		x = x * 10 + (i % 9) + 1; /* 1, 12, 123, ... 19 digits: 1234567891234567891 */
		want[i] = x;
		snprintf(num, sizeof(num), "%llu", (unsigned long long)x);
		assert_int_equal(strlen(num), i + 1);
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%zu, %s%s", i, num,
					ends[i == 18 ? 2 : i % 2]);
	}
	load(&r, put("n_clat.1.log", text), NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.l.n, 1);
	assert_int_equal(r.l.v[0]->n, 19);
	for (i = 0; i < 19; i++)
		assert_int_equal(r.l.v[0]->lat_ns[i], want[i]);
	done(&r);
	load(&r, put("n_clat.1.log", "1, 9223372036854775807, 0, 4096, 0\n"
				      "2, 9223372036854775808, 0, 4096, 0\n"), NULL);
	assert_int_equal(r.rc, -EBADMSG);
	assert_int_equal(r.e.line, 2);
	assert_non_null(strstr(r.e.msg, "out of range"));
	done(&r);
	load(&r, put("n_clat.1.log", "1, 100, 0, 4096, 0\n"
				      "2, 18446744073709551616, 0, 4096, 0\n"), NULL);
	assert_int_equal(r.rc, -EBADMSG);
	assert_int_equal(r.e.line, 2);
	assert_non_null(strstr(r.e.msg, "too large"));
	done(&r);
}

/* A log fio's client received from a server: NAME.log.HOST */
static void test_fiolog_client_name(void **state)
{
	struct result r;

	(void)state;
	load(&r, put("j_slat.2.log.host-a", "1, 100, 0, 4096, 0\n"), NULL);
	assert_int_equal(r.rc, 0);
	assert_string_equal(labels_get(&r.l.v[0]->labels, "hostname"), "host-a");
	assert_string_equal(labels_get(&r.l.v[0]->labels, "metric"), "slat");
	done(&r);
}

static const char json_client[] =
	"hostname=x, be=0, 64-bit, os=Linux, arch=x86-64, fio=fio-3.33, flags=1\n"
	"<x> fio: some line\n"
	"{\n \"fio version\" : \"fio-3.33\",\n \"global options\" : { \"bs\" : \"16k\" },\n"
	" \"client_stats\" : [\n"
	"  { \"jobname\" : \"a\", \"hostname\" : \"h1\", \"job options\" : { \"rw\" : \"randread\","
	"    \"vmlat_tags\" : \"load=2,cell=x\" },\n"
	"    \"read\" : { \"clat_ns\" : { \"min\" : 10, \"max\" : 30, \"mean\" : 20.0, \"stddev\" : 10.0,"
	"      \"N\" : 3, \"percentile\" : { \"50.000000\" : 20, \"99.000000\" : 30 } } },\n"
	"    \"write\" : { \"clat_ns\" : { \"N\" : 0 } } },\n"
	"  { \"groupid\" : 0, \"read\" : { \"clat_ns\" : { \"N\" : 0 } } },\n"
	"  { \"jobname\" : \"All clients\", \"read\" : { \"clat_ns\" : { \"N\" : 3 } } }\n"
	" ]\n}\n<x> trailing\n";

static void test_fiojson_client(void **state)
{
	struct result r;
	const struct fio_summary *fs;

	(void)state;
	sample_list_init(&r.l);
	r.rc = load_fiojson(&r.l, put("c.json", json_client), NULL, &r.e);
	if (r.rc)
		fail_msg("%s", r.e.msg);
	assert_int_equal(r.l.n, 1);
	assert_int_equal(r.l.v[0]->kind, SAMPLES_SUMMARY);
	fs = &r.l.v[0]->summary;
	assert_true(fs->n == 3 && fs->min_ns == 10 && fs->max_ns == 30 && fs->npct == 2);
	assert_true(fs->pct[1] == 99 && fs->pct_ns[1] == 30);
	assert_string_equal(labels_get(&r.l.v[0]->labels, "hostname"), "h1");
	assert_string_equal(labels_get(&r.l.v[0]->labels, "bs"), "16384");
	assert_string_equal(labels_get(&r.l.v[0]->labels, "load"), "2");
	assert_string_equal(labels_get(&r.l.v[0]->labels, "rw"), "randread");
	assert_string_equal(labels_get(&r.l.v[0]->labels, "job"), "a");
	done(&r);
}

static void test_fiojson_plus_and_bad(void **state)
{
	struct result r;

	(void)state;
	sample_list_init(&r.l);
	r.rc = load_fiojson(&r.l, put("p.json", "{ \"jobs\" : [ { \"jobname\" : \"j\", \"read\" : {"
						 " \"clat_ns\" : { \"N\" : 3, \"bins\" : { \"10\" : 2, \"40\" : 1 }"
						 " } } } ] }\n"), NULL, &r.e);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.l.v[0]->kind, SAMPLES_BINNED);
	assert_int_equal(r.l.v[0]->n, 3);
	assert_int_equal(r.l.v[0]->lat_ns[2], 40);
	done(&r);
	sample_list_init(&r.l);
	r.rc = load_fiojson(&r.l, put("bad.json", "junk\n{ \"jobs\" : [ \n  {, ] }\n"), NULL, &r.e);
	assert_int_equal(r.rc, -EBADMSG);
	assert_int_equal(r.e.line, 3);
	assert_int_equal(r.l.n, 0);
	done(&r);
}

/* A vmlat log: per-ddir sets, header labels, failed IOs left out. */
static void test_vlog(void **state)
{
	struct vlog_writer w;
	struct vlog_text t;
	struct vlog_rec rec;
	struct result r;
	char path[128];
	int i;

	(void)state;
	snprintf(path, sizeof(path), "%s/x.vmlat", dir);
	vlog_text_init(&t);
	assert_int_equal(vlog_text_add_format(&t), 0);
	assert_int_equal(vlog_text_add(&t, "job_name", "cell"), 0);
	assert_int_equal(vlog_text_add(&t, "platform.vm", "kvm"), 0);
	assert_int_equal(vlog_text_add(&t, "tag.load", "2"), 0);
	assert_int_equal(vlog_writer_open(&w, path, &t, 0, 1), 0);
	vlog_text_release(&t);
	for (i = 0; i < 10; i++) {
		memset(&rec, 0, sizeof(rec));
		rec.lat_ns = 1000 + i;
		rec.ddir = i < 8 ? VLOG_READ : VLOG_WRITE;
		rec.error = i == 3 ? 5 : 0;
		rec.cpu_submit = 0;
		rec.cpu_complete = i % 2;
		assert_int_equal(vlog_writer_append(&w, &rec), 0);
	}
	assert_int_equal(vlog_writer_close(&w), 0);
	sample_list_init(&r.l);
	assert_int_equal(load_vlog(&r.l, path, NULL, &r.e), 0);
	assert_int_equal(r.l.n, 2);
	assert_int_equal(r.l.v[0]->n, 7);
	assert_string_equal(labels_get(&r.l.v[0]->labels, "errors"), "1");
	assert_string_equal(labels_get(&r.l.v[0]->labels, "platform"), "kvm");
	assert_string_equal(labels_get(&r.l.v[0]->labels, "load"), "2");
	assert_string_equal(labels_get(&r.l.v[0]->labels, "job"), "cell");
	assert_string_equal(labels_get(&r.l.v[1]->labels, "ddir"), "write");
	assert_int_equal(r.l.v[0]->lat_ns[3], 1004);
	assert_int_equal(r.l.v[0]->ctx[1].cpu_complete, 1);
	done(&r);
}

static void test_sniff(void **state)
{
	(void)state;
	assert_int_equal(load_sniff((const unsigned char *)"VMLATLOG....", 12), INPUT_VLOG);
	assert_int_equal(load_sniff((const unsigned char *)"note\n{\n", 7), INPUT_FIOJSON);
	assert_int_equal(load_sniff((const unsigned char *)"1, 2, 0, 4096, 0x0000\n", 22),
			 INPUT_FIOLOG);
	assert_int_equal(load_sniff((const unsigned char *)"[global]\n", 9), INPUT_UNKNOWN);
}

/* Lines of 1 to 60 digits, N of them, the last without its '\n': into BUF. */
static size_t chunk_text(char *buf, unsigned int n)
{
	size_t len = 0;
	unsigned int i, k;

	for (i = 0; i < n; i++) {
		for (k = 0; k <= i % 60; k++)
			buf[len++] = (char)('0' + (i + k) % 10);
		if (i + 1 < n)
			buf[len++] = '\n';
	}
	return len;
}

/*
 * A piece read through the threads' buffer comes back byte for byte, in
 * runs of whole lines (each but the piece's last ends with '\n'), over
 * many refills of the buffer; a line longer than the buffer is refused.
 */
static void test_fiolog_chunks(void **state)
{
	size_t cap = 64 * FIOLOG_CHUNK, len, got = 0, from, to, start;
	char *text = malloc(cap), *back = malloc(cap), path[128];
	struct fiolog_chunks c;
	const char *b;
	unsigned int runs = 0;
	int fd, ret;
	FILE *f;

	(void)state;
	assert_non_null(text);
	assert_non_null(back);
	len = chunk_text(text, 100000); /* about 3 MB */
	snprintf(path, sizeof(path), "%s/chunks", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	start = (size_t)((char *)memchr(text + 1000, '\n', len - 1000) - text) + 1; /* a line start */
	fiolog_chunks_init(&c, fd, start, len);
	while ((ret = fiolog_chunks_next(&c, &b, &from, &to)) == 1) {
		assert_true(to > from);
		memcpy(back + got, b + from, to - from);
		got += to - from;
		if (start + got < len)
			assert_int_equal(back[got - 1], '\n');
		runs++;
	}
	fiolog_chunks_release(&c);
	assert_int_equal(ret, 0);
	assert_int_equal(got, len - start);
	assert_memory_equal(back, text + start, got);
	assert_true(runs > len / FIOLOG_CHUNK);
	/* one line of 1.5 buffers */
	memset(text, '7', FIOLOG_CHUNK + FIOLOG_CHUNK / 2);
	text[FIOLOG_CHUNK + FIOLOG_CHUNK / 2] = '\n';
	close(fd);
	f = fopen(path, "w");
	assert_non_null(f);
	fwrite(text, 1, FIOLOG_CHUNK + FIOLOG_CHUNK / 2 + 1, f);
	fputs("1, 2, 0, 4096, 0\n", f);
	fclose(f);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	fiolog_chunks_init(&c, fd, 0, FIOLOG_CHUNK + FIOLOG_CHUNK / 2 + 18);
	assert_int_equal(fiolog_chunks_next(&c, &b, &from, &to), -1);
	fiolog_chunks_release(&c);
	close(fd);
	free(text);
	free(back);
}

#define N_ONE 900000
/*
 * A one-direction log read on several threads, where pass 1 stores the
 * samples: every latency and time (ms to ns) in file order.  9x10^5 lines
 * on 3 threads: each later piece's samples move down in more than one
 * block (fiolog_one_move()), onto their own old places too.
 */
static void test_fiolog_one_dir_threads(void **state)
{
	static const struct load_opts want_time = { .want_time = 1 };
	char *text = malloc(32 * N_ONE), path[128];
	struct result r;
	size_t len = 0, i;
	FILE *f;

	(void)state;
	assert_non_null(text);
	for (i = 0; i < N_ONE; i++)
		len += (size_t)sprintf(text + len, "%zu, %zu, 1, 4096, 0\n", i / 7, 1000 + i * 37 % 100003);
	snprintf(path, sizeof(path), "%s/one_clat.1.log", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fwrite(text, 1, len, f);
	fclose(f);
	setenv("VMLAT_THREADS", "3", 1);
	load(&r, path, &want_time);
	unsetenv("VMLAT_THREADS");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.l.n, 1);
	assert_string_equal(labels_get(&r.l.v[0]->labels, "ddir"), "write");
	assert_int_equal(r.l.v[0]->n, N_ONE);
	assert_non_null(r.l.v[0]->t_ns);
	for (i = 0; i < N_ONE; i++) {
		assert_int_equal(r.l.v[0]->lat_ns[i], 1000 + i * 37 % 100003);
		assert_int_equal(r.l.v[0]->t_ns[i], i / 7 * 1000000);
	}
	done(&r);
	free(text);
}

/*
 * fiolog_one_move() gives back only the pages it will not write.  Moving
 * samples down by less than their own length, onto pages all touched
 * before: no page fault (a page given back below the destination's end is
 * faulted in and zeroed again at once: 1460 faults of a 5x10^6-line
 * report did only that), every sample arrives, and the whole pages above
 * the destination's end are given back.  4 KiB pages, no huge ones, so the
 * counts are the pages'.
 */
static void test_fiolog_one_move(void **state)
{
	const size_t n = 3u << 18, gap = 100000, page = (size_t)sysconf(_SC_PAGESIZE);
	const size_t bytes = ((gap + n) * 8 + page - 1) / page * page;
	size_t i, first_free = (n * 8 + page - 1) / page, resident = 0;
	unsigned char *in = malloc(bytes / page);
	struct rusage r0, r1;
	uint64_t *a;

	(void)state;
	a = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(a != MAP_FAILED && in);
	madvise(a, bytes, MADV_NOHUGEPAGE);
	for (i = 0; i < gap + n; i++)
		a[i] = i < gap ? 0 : i - gap + 1;
	getrusage(RUSAGE_THREAD, &r0);
	fiolog_one_move(a, 0, gap, n);
	getrusage(RUSAGE_THREAD, &r1);
	assert_true(r1.ru_minflt - r0.ru_minflt < 4); /* none by the move; a stack page at most */
	for (i = 0; i < n; i++)
		assert_int_equal(a[i], i + 1);
	assert_int_equal(mincore(a, bytes, in), 0);
	for (i = first_free; i < (gap + n) * 8 / page; i++) /* the last page is partly used */
		resident += in[i] & 1;
	assert_int_equal(resident, 0);
	munmap(a, bytes);
	free(in);
}

/* VmHWM of this process in KiB (peak RSS since the last reset), or 0. */
static long hwm_kib(void)
{
	char line[128];
	long kib = 0;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %ld kB", &kib) == 1)
			break;
	if (f)
		fclose(f);
	return kib;
}

/*
 * A gap wider than 64 MiB: the destination's pages below FROM are new, and
 * holding them beside the pages moved out of would raise the peak by the
 * gap (1 GB at 10^9 samples, past issue 15's 8.5 GB).  The move then
 * gives back everything it moved out of: its peak RSS stays within a few
 * blocks of the samples' (before the fix it rose by the whole 80 MiB gap).
 */
static void test_fiolog_one_move_wide(void **state)
{
	const size_t n = 20u << 20, gap = 10u << 20, bytes = (gap + n) * 8;
	size_t i;
	long before, peak;
	FILE *f;
	uint64_t *a;
	int reset;

	(void)state;
	a = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(a != MAP_FAILED);
	madvise(a, bytes, MADV_NOHUGEPAGE);
	for (i = gap; i < gap + n; i++) /* the gap stays untouched, as in the store */
		a[i] = i - gap + 1;
	f = fopen("/proc/self/clear_refs", "w");
	reset = f && fputs("5", f) >= 0;
	if (f && fclose(f)) /* closed whatever fputs() said: no FILE left open */
		reset = 0;
	if (!reset || !(before = hwm_kib())) {
		munmap(a, bytes);
		skip(); /* no way to reset the peak here */
	}
	fiolog_one_move(a, 0, gap, n);
	peak = hwm_kib();
	assert_true(peak - before < 8 * 1024); /* a few 2 MiB blocks, not the 80 MiB gap */
	for (i = 0; i < n; i++)
		assert_int_equal(a[i], i + 1);
	munmap(a, bytes);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_fiolog_default),	 T(test_fiolog_layouts),	T(test_fiolog_window_both),
		T(test_fiolog_ambiguous), T(test_fiolog_bad),
		T(test_fiolog_number_lengths), T(test_fiolog_client_name),
		T(test_fiojson_client),	 T(test_fiojson_plus_and_bad), T(test_vlog),
		T(test_sniff), T(test_fiolog_chunks), T(test_fiolog_one_dir_threads),
		T(test_fiolog_one_move), T(test_fiolog_one_move_wide),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
