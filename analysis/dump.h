/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dump.h - what `vmlat dump` shares between its command and its formats.
 *
 * The record columns are one table, rec_cols[]: the CSV and the JSON
 * printers walk the same rows, so the two formats cannot disagree on
 * names, order, or on which values are unknown.  A value is a number, a
 * name (ddir), or nothing: a field the engine did not measure (its
 * ctx_mask bit is clear) or could not know (VLOG_CPU_UNKNOWN).  CSV prints
 * nothing as an empty cell, JSON as null; neither ever prints a 0 that
 * was not measured.
 */
#ifndef VMLAT_DUMP_H
#define VMLAT_DUMP_H

#include <stdint.h>
#include <stdio.h>

#include "vlog.h"

enum val_kind { VAL_NONE, VAL_NUM, VAL_NAME };

struct val {
	enum val_kind kind;
	uint64_t num;
	const char *name;
};

enum col_type {
	COL_NUM,  /* an unsigned integer */
	COL_DDIR, /* a direction: its name, or its number when it has none */
	COL_CPU,  /* a vCPU, unknown when VLOG_CPU_UNKNOWN */
};

struct rec_col {
	const char *name;
	uint8_t off;  /* offsetof(struct vlog_rec, field) */
	uint8_t size; /* sizeof the field: 1, 2, 4 or 8 */
	uint8_t type; /* enum col_type */
	uint8_t ctx;  /* ctx_mask bits the value needs; 0 = always there */
	const char *help;
};

extern const struct rec_col rec_cols[];
extern const size_t rec_ncols;

/* The value of column C in record R. */
void rec_col_get(const struct rec_col *c, const struct vlog_rec *r, struct val *v);

/* Name of a tail state as the output spells it ("clean", "open", "torn"). */
const char *tail_name(enum vlog_tail tail);

/* Decimal V on OUT, without printf (millions of records go through here). */
void put_u64(FILE *out, uint64_t v);

/* 0, or -errno once OUT has failed (the error of the failed write). */
int out_status(FILE *out);

/*
 * The steal samples of a log made with vmlat_ctx=steal (lib/vsteal.h),
 * joined to its records as one more column, steal_ns, after the others;
 * only logs whose header names a steal file (ctx.steal.file) have it.
 */
struct vsteal;
struct dump_steal {
	int column;			/* print the steal_ns column */
	const struct vsteal *samples;	/* NULL when the file could not be read */
};

/* steal_ns of REC into V (VAL_NONE when unknown). */
void dump_steal_get(const struct dump_steal *d, const struct vlog_rec *rec, struct val *v);

/*
 * An output format.  begin() and end() bracket the whole run; file() prints
 * one log that opened (nth counts the logs printed before it; steal its
 * steal column).  Each returns
 * 0 or -errno (a failed write, -ENOMEM), after which the run stops.
 */
struct dump_format {
	int (*begin)(FILE *out);
	int (*file)(FILE *out, const char *path, const struct vlog_reader *r, unsigned int nth,
		    const struct dump_steal *steal);
	int (*end)(FILE *out);
};

extern const struct dump_format dump_csv;
extern const struct dump_format dump_json;

#endif /* VMLAT_DUMP_H */
