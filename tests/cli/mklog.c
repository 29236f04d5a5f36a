/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mklog.c - write a vmlat log with known contents, for the CLI tests.
 *
 *   mklog [--open | --torn] PATH N
 *
 * Record i (from 0) holds values from a fixed formula, so a test can write
 * the expected dump by hand; i % 3 picks one of three shapes:
 *
 *   i%3  ddir  offset  len   issue_ns        lat_ns        error  cpus    ctx_mask
 *    0   read  i*4096  4096  1000+i*250000   50000+i*1000  0      i, i+1  all, inflight
 *    1   write   "      "       "              "           5      unknown none
 *    2   9       "      "       "              "           0      i, i+1  csw
 *
 * with rq_delay_ns=100*(i+1), nvcsw=i+1, nivcsw=i, minflt=10+i, majflt=i%2,
 * inflight=i+7
 * stored in every record (a dump shows only those ctx_mask vouches for),
 * and ddir 9 standing for a direction this vmlat has no name for.
 *
 * --open stops without closing the log (as a killed fio would): the log
 * stays "open" with N intact records.  --torn does the same, then writes
 * 30 non-zero bytes where record N would go: a torn tail at byte
 * header_bytes + N * 64.  Goes through lib/vlog, the one format owner.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vlog.h"

enum mode { MODE_CLOSE, MODE_OPEN, MODE_TORN };

static void make_rec(uint64_t i, struct vlog_rec *r)
{
	static const uint8_t ddirs[3] = { VLOG_READ, VLOG_WRITE, 9 };
	static const uint8_t masks[3] = { VLOG_CTX_RQ_DELAY | VLOG_CTX_CSW | VLOG_CTX_FAULTS |
						  VLOG_CTX_INFLIGHT,
					  0, VLOG_CTX_CSW };
	unsigned int shape = (unsigned int)(i % 3);

	memset(r, 0, sizeof(*r));
	r->offset = i * 4096;
	r->len = 4096;
	r->issue_ns = 1000 + i * 250000;
	r->lat_ns = 50000 + i * 1000;
	r->ddir = ddirs[shape];
	r->ctx_mask = masks[shape];
	r->error = shape == 1 ? EIO : 0;
	r->cpu_submit = shape == 1 ? VLOG_CPU_UNKNOWN : (uint16_t)i;
	r->cpu_complete = shape == 1 ? VLOG_CPU_UNKNOWN : (uint16_t)(i + 1);
	r->rq_delay_ns = (uint32_t)(100 * (i + 1));
	r->nvcsw = (uint16_t)(i + 1);
	r->nivcsw = (uint16_t)i;
	r->minflt = (uint16_t)(10 + i);
	r->majflt = (uint16_t)(i % 2);
	r->inflight = (uint32_t)(i + 7);
}

static int make_text(struct vlog_text *t)
{
	int ret = 0;

	ret |= vlog_text_add_format(t);
	ret |= vlog_text_add(t, "engine", "mklog");
	ret |= vlog_text_add(t, "job_name", "golden");
	ret |= vlog_text_add(t, "tag.note", "two\nlines");
	ret |= vlog_text_add(t, "tag.path", "C:\\dir");
	return ret;
}

/* 30 bytes of a record that was never finished, where record N goes. */
static int tear(const char *path, uint32_t header_bytes, uint64_t n)
{
	unsigned char junk[30];
	int fd = open(path, O_WRONLY);
	int ret = 0;

	memset(junk, 0xa5, sizeof(junk));
	if (fd < 0)
		return -errno;
	if (pwrite(fd, junk, sizeof(junk), (off_t)(header_bytes + n * VLOG_REC_BYTES)) !=
	    (ssize_t)sizeof(junk))
		ret = -EIO;
	close(fd);
	return ret;
}

static int write_log(const char *path, uint64_t n, enum mode mode)
{
	struct vlog_writer w;
	struct vlog_text t;
	struct vlog_rec r;
	uint64_t i;
	int ret;

	vlog_text_init(&t);
	ret = make_text(&t);
	if (!ret)
		ret = vlog_writer_open(&w, path, &t, 0, 1);
	vlog_text_release(&t);
	for (i = 0; !ret && i < n; i++) {
		make_rec(i, &r);
		ret = vlog_writer_append(&w, &r);
	}
	if (ret)
		return ret;
	if (mode == MODE_TORN)
		ret = tear(path, w.header_bytes, n);
	if (mode != MODE_CLOSE)
		_exit(ret ? 3 : 0); /* no close, no exit handlers: a killed writer */
	return vlog_writer_close(&w);
}

int main(int argc, char **argv)
{
	enum mode mode = MODE_CLOSE;
	int ret;

	if (argc == 4 && !strcmp(argv[1], "--open"))
		mode = MODE_OPEN;
	else if (argc == 4 && !strcmp(argv[1], "--torn"))
		mode = MODE_TORN;
	if (argc != 3 + (mode != MODE_CLOSE)) {
		fprintf(stderr, "usage: mklog [--open | --torn] PATH N\n");
		return 1;
	}
	argv += mode != MODE_CLOSE;
	ret = write_log(argv[1], strtoull(argv[2], NULL, 10), mode);
	if (ret) {
		fprintf(stderr, "mklog: cannot write '%s': %s\n", argv[1], strerror(-ret));
		return 3;
	}
	return 0;
}
