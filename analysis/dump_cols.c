/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dump_cols.c - the record columns of `vmlat dump`, as one table.
 *
 * Each column says where its field lives in struct vlog_rec and what makes
 * it unknown, so printing a record is one loop in each format and adding a
 * column is one row here.  The order is the order of the CSV columns and
 * of the JSON keys; scripts cut CSV by position (lat_ns is column 6), so
 * new columns go at the end.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "dump.h"

#define COL(field, type, ctx, help)                                              \
	{ #field, offsetof(struct vlog_rec, field), sizeof(((struct vlog_rec *)0)->field), \
	  type, ctx, help }

const struct rec_col rec_cols[] = {
	COL(seq, COL_NUM, 0, "record index, from 0"),
	COL(ddir, COL_DDIR, 0, "read, write, trim, sync, datasync, sync_file_range (or a number)"),
	COL(offset, COL_NUM, 0, "byte offset of the IO in its file"),
	COL(len, COL_NUM, 0, "bytes requested (0 for sync)"),
	COL(issue_ns, COL_NUM, 0, "ns since fio's job epoch when fio issued the IO"),
	COL(lat_ns, COL_NUM, 0, "ns the engine measured around the syscall"),
	COL(error, COL_NUM, 0, "errno of the IO, 0 when it succeeded"),
	COL(cpu_submit, COL_CPU, 0, "vCPU before the IO (empty: unknown)"),
	COL(cpu_complete, COL_CPU, 0, "vCPU after the IO (empty: unknown)"),
	COL(rq_delay_ns, COL_NUM, VLOG_CTX_RQ_DELAY, "run-queue delay during the IO (empty: not measured)"),
	COL(nvcsw, COL_NUM, VLOG_CTX_CSW, "voluntary context switches during the IO"),
	COL(nivcsw, COL_NUM, VLOG_CTX_CSW, "involuntary context switches during the IO"),
	COL(minflt, COL_NUM, VLOG_CTX_FAULTS, "minor page faults during the IO"),
	COL(majflt, COL_NUM, VLOG_CTX_FAULTS, "major page faults during the IO"),
	COL(inflight, COL_NUM, VLOG_CTX_INFLIGHT,
	    "IOs ahead of this one in the kernel when it was submitted (empty: format 1.0 log)"),
};

const size_t rec_ncols = sizeof(rec_cols) / sizeof(rec_cols[0]);

static uint64_t field_at(const struct vlog_rec *r, unsigned int off, unsigned int size)
{
	const unsigned char *p = (const unsigned char *)r + off;
	uint16_t v16;
	uint32_t v32;
	uint64_t v64;

	switch (size) {
	case 1:
		return *p;
	case 2:
		memcpy(&v16, p, sizeof(v16));
		return v16;
	case 4:
		memcpy(&v32, p, sizeof(v32));
		return v32;
	default:
		memcpy(&v64, p, sizeof(v64));
		return v64;
	}
}

void rec_col_get(const struct rec_col *c, const struct vlog_rec *r, struct val *v)
{
	v->num = field_at(r, c->off, c->size);
	v->name = NULL;
	v->kind = VAL_NUM;
	if ((r->ctx_mask & c->ctx) != c->ctx || (c->type == COL_CPU && v->num == VLOG_CPU_UNKNOWN))
		v->kind = VAL_NONE;
	else if (c->type == COL_DDIR && (v->name = vlog_ddir_name((unsigned int)v->num)))
		v->kind = VAL_NAME;
}

const char *tail_name(enum vlog_tail tail)
{
	static const char *const names[] = {
		[VLOG_TAIL_CLEAN] = "clean",
		[VLOG_TAIL_OPEN] = "open",
		[VLOG_TAIL_TORN] = "torn",
	};

	return (unsigned int)tail < sizeof(names) / sizeof(names[0]) ? names[tail] : "unknown";
}

void put_u64(FILE *out, uint64_t v)
{
	char buf[24], *p = buf + sizeof(buf) - 1;

	*p = '\0';
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	fputs_unlocked(p, out);
}

int out_status(FILE *out)
{
	if (!ferror_unlocked(out))
		return 0;
	return errno ? -errno : -EIO;
}
