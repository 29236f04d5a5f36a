/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * load.h - turn input files into sample sets (samples.h).
 *
 * One entry point, load_path(), takes a file or a directory and decides by
 * content, never by name, what each file is:
 *
 *   "VMLATLOG" magic            vmlat per-IO log        load_vlog.c
 *   a '{' line (after any       fio JSON / JSON+,       load_fiojson.c
 *    non-JSON lines)             standalone or client/server
 *   lines of comma-separated    fio per-IO or averaged  load_fiolog.c
 *    integers                    latency log
 *
 * Each loader appends zero or more sets to a sample_list and returns 0, or
 * a negative errno with a load_err saying where and what: a malformed file
 * adds nothing (all or nothing per file), so the caller may skip it and go
 * on.  Loaders never print.
 *
 * Labels every set gets: "source" (kind of input: vlog, fiolog, fiojson),
 * "file" (path), "ddir" (read, write, trim), "metric" (lat, clat, slat),
 * and the user's labels (load_opts.labels), which win over the file's.
 */
#ifndef VMLAT_LOAD_H
#define VMLAT_LOAD_H

#include <stdint.h>

#include "samples.h"

/* What went wrong with one file, for a one-line message. */
struct load_err {
	uint64_t line;	   /* 1-based line, 0 when not a text position */
	uint64_t offset;   /* byte offset, valid when has_offset */
	int has_offset;
	int partial;	   /* loaded, but only the part before damage: exit 2 */
	char msg[256];
};

/* fio log columns, in the order fio writes them (see load_fiolog.c). */
enum fiolog_col {
	FCOL_TIME,
	FCOL_VALUE,
	FCOL_MAX,    /* second value: log_window_value=both (fio 3.36+) */
	FCOL_DDIR,
	FCOL_BS,
	FCOL_OFFSET, /* log_offset=1 */
	FCOL_PRIO,   /* fio 3.18+: 0/1, or 0x%04x with log_prio=1 */
	FCOL_ISSUE,  /* log_issue_time=1 (fio 3.38+) */
	FCOL_COUNT
};

#define FIOLOG_MAXCOLS 8

struct fiolog_layout {
	unsigned int ncols;
	enum fiolog_col col[FIOLOG_MAXCOLS];
};

/* Parse "time,value,ddir,bs,offset,prio" (the column names). */
int fiolog_layout_parse(const char *spec, struct fiolog_layout *out);

struct load_opts {
	const struct labels *labels; /* user labels for these files, or NULL */
	const struct fiolog_layout *fio_layout; /* forced layout, or NULL: detect */
	const char *fio_metric;	     /* JSON: "lat", "clat" (default) or "slat" */
	int want_time;		     /* keep t_ns */
	int hist;		     /* sets in histogram mode (no per-IO arrays) */
	int fio_averaged;	     /* load averaged fio logs (else refused) */
};

/* A new set for a loader: sample_set_new() in the mode O asks for. */
struct sample_set *load_new_set(const char *source, enum samples_kind kind,
				const struct load_opts *o);

/* What load_path() is looking at. */
enum input_kind { INPUT_UNKNOWN, INPUT_VLOG, INPUT_FIOJSON, INPUT_FIOLOG };

/* Kind of the file whose first LEN bytes are HEAD (LEN may be short). */
enum input_kind load_sniff(const unsigned char *head, size_t len);

/*
 * load_path - load PATH into OUT.  A directory is walked recursively in
 * name order; files in it that are no known input are passed over
 * silently, but a named file that is not is an error.  For every file that
 * fails, REPORT(CTX, path, err, rc) is called and the walk goes on; the
 * return value is 0 when everything loaded, else the first failure's
 * -errno.  -EBADMSG: malformed; -ENOTSUP: not a latency input (unknown
 * kind, a fio bw/iops/histogram log, JSON that is not fio's), which a
 * directory walk passes over silently; others: system.
 */
typedef void (*load_report_fn)(void *ctx, const char *path, const struct load_err *err, int rc);

int load_path(struct sample_list *out, const char *path, const struct load_opts *o,
	      load_report_fn report, void *ctx);

/* The loaders, one per input kind: 0 or -errno with ERR filled. */
int load_vlog(struct sample_list *out, const char *path, const struct load_opts *o,
	      struct load_err *err);
int load_fiolog(struct sample_list *out, const char *path, const struct load_opts *o,
		struct load_err *err);
int load_fiojson(struct sample_list *out, const char *path, const struct load_opts *o,
		 struct load_err *err);

/*
 * A whole input file mapped read-only; buf is NULL for an empty file.  fd
 * stays open (-1 when there is none) for readers that copy the bytes with
 * pread() instead (fiolog_parse.h says why).
 */
struct load_map {
	const char *buf;
	size_t len;
	int fd;
};

/*
 * load_map_file - map PATH for reading (MADV_SEQUENTIAL: the text loaders
 * read it once, front to back).  0, or -errno with ERR saying which step
 * failed.  load_unmap_file() undoes it.
 */
int load_map_file(const char *path, struct load_map *m, struct load_err *err);
void load_unmap_file(struct load_map *m);

/* Shared by the loaders: apply source/file/user labels to a new set. */
int load_common_labels(struct sample_set *s, const char *kind, const char *path,
		       const struct load_opts *o);

/*
 * load_check_room - room for the samples of NIOS IOs (8 bytes each, 16
 * with times), asked before anything is reserved (memroom.h): 0, or
 * -E2BIG with ERR giving the numbers and naming --hist.  Always 0 with
 * --hist, which keeps constant memory.
 */
int load_check_room(uint64_t nios, const struct load_opts *o, struct load_err *err);

/* Name of a fio ddir number (0 read, 1 write, 2 trim), or NULL. */
const char *load_ddir_name(unsigned int ddir);

/* Bytes of a fio size string ("4k", "4096", "1m"; fio's kb_base=1024). */
int load_parse_size(const char *s, uint64_t *bytes);

void load_err_set(struct load_err *e, uint64_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void load_err_at(struct load_err *e, uint64_t offset, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* VMLAT_LOAD_H */
