/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * samples.h - a labeled set of latency samples: what every loader makes and
 * every analysis (report, plot) reads.
 *
 * A sample set is the latencies of one direction of one job of one input
 * file, in the order the file lists them, with the labels that say where
 * they come from.  Labels are key/value strings: header keys and tags of a
 * vmlat log, job options of a fio JSON file, "--label" pairs of the command
 * line, and a few the loaders derive (ddir, metric, source kind).  Nothing
 * downstream parses file names: grouping is by label only.
 *
 * Kinds of sets:
 *   SAMPLES_PER_IO     one latency per IO (vmlat log, fio per-IO log)
 *   SAMPLES_WINDOWED   one value per log_avg_msec window (fio averaged
 *                      log): means of windows, not IOs; max_ns holds the
 *                      window maxima when fio logged both (log_window_value)
 *   SAMPLES_BINNED     fio JSON+ clat bins expanded to one sample per IO at
 *                      the bin's value (fio's histogram: error below 1/64)
 *   SAMPLES_SUMMARY    no samples, only fio JSON's summary (struct
 *                      fio_summary): n, min, max, mean, stddev, percentiles
 *
 * Optional per-IO arrays run parallel to lat_ns: t_ns (when the IO
 * happened, ns since the job's start: vmlat logs give the issue time,
 * fio logs the completion time in ms) and ctx (vmlat logs with vmlat_ctx).
 * Times are uint64_t ns everywhere; sizes are bytes.
 *
 * A set in histogram mode (sample_set_use_hist, `vmlat report --hist`)
 * keeps no per-IO arrays: each push goes into hist, n counts the IOs, and
 * lat_ns, t_ns, max_ns and ctx stay NULL.
 */
#ifndef VMLAT_SAMPLES_H
#define VMLAT_SAMPLES_H

#include <stddef.h>
#include <stdint.h>

#include "hist.h"

/* Ordered key/value pairs with unique keys. */
struct label {
	char *key;
	char *value;
};

struct labels {
	struct label *v;
	size_t n;
	size_t alloc;
	size_t *index;	/* past LABELS_LINEAR pairs: open hash of v's positions + 1 */
	size_t index_cap;
};

void labels_init(struct labels *l);
/* Set KEY to VALUE (replacing an old value).  0 or -ENOMEM. */
int labels_set(struct labels *l, const char *key, const char *value);
/* Set KEY only when it has no value yet.  0 or -ENOMEM. */
int labels_default(struct labels *l, const char *key, const char *value);
/* Value of KEY, or NULL. */
const char *labels_get(const struct labels *l, const char *key);
/* Copy every pair of FROM into TO (FROM wins).  0 or -ENOMEM. */
int labels_merge(struct labels *to, const struct labels *from);
void labels_release(struct labels *l);

enum samples_kind {
	SAMPLES_PER_IO,
	SAMPLES_WINDOWED,
	SAMPLES_BINNED,
	SAMPLES_SUMMARY,
};

/* Per-IO context of a vmlat log (vmlat_ctx=): which parts were measured. */
enum io_ctx_bits {
	IO_CTX_CPU = 1 << 0, /* cpu_submit and cpu_complete are known */
	IO_CTX_RQ = 1 << 1,  /* rq_delay_ns was measured */
};

struct io_ctx {
	uint32_t rq_delay_ns;
	uint16_t cpu_submit;
	uint16_t cpu_complete;
	uint8_t bits; /* enum io_ctx_bits */
};

/* fio JSON's own statistics of one job and direction (percentiles in %). */
#define FIO_SUMMARY_MAXPCT 32
struct fio_summary {
	uint64_t n;
	uint64_t min_ns;
	uint64_t max_ns;
	double mean_ns;
	double stddev_ns;
	size_t npct;
	double pct[FIO_SUMMARY_MAXPCT];
	uint64_t pct_ns[FIO_SUMMARY_MAXPCT];
};

struct sample_set {
	struct labels labels;
	char *source;		/* file path, with "#job" or ":line" when useful */
	enum samples_kind kind;
	uint64_t *lat_ns;	/* n latencies, file order */
	uint64_t *t_ns;		/* NULL or n times (see above) */
	uint64_t *max_ns;	/* NULL or n window maxima (SAMPLES_WINDOWED) */
	struct io_ctx *ctx;	/* NULL or n contexts */
	size_t n;
	size_t alloc;
	struct fio_summary summary; /* SAMPLES_SUMMARY only */
	struct hist *hist;	/* histogram mode, or NULL */
};

/* Switch an empty set S to histogram mode.  0, -ENOMEM, -EINVAL (not empty). */
int sample_set_use_hist(struct sample_set *s);

/* A new empty set of KIND from SOURCE, or NULL (no memory). */
struct sample_set *sample_set_new(const char *source, enum samples_kind kind);

/*
 * sample_set_push - append one sample; T, MAX and CTX may be NULL, but a set
 * keeps an optional array only if its first sample had it (later samples
 * must agree: -EINVAL otherwise).  0, -ENOMEM or -EINVAL.
 */
int sample_set_push(struct sample_set *s, uint64_t lat_ns, const uint64_t *t_ns,
		    const uint64_t *max_ns, const struct io_ctx *ctx);

/*
 * Bulk loading, for a loader that knows how many samples may come: after
 * sample_set_reserve(S, MORE, WITH_T) (WITH_T: keep t_ns; only on an empty
 * set) the loader may store up to alloc - n samples straight into the
 * arrays the set keeps and count them in n, instead of a call per sample.
 * sample_set_ctx_on() gives a set its ctx array late, zero ("nothing
 * known") for the samples it has, so sets of logs without context keep
 * none.  Histogram-mode sets reserve nothing: push to them.  0 or -ENOMEM.
 */
int sample_set_reserve(struct sample_set *s, size_t more, int with_t);
int sample_set_ctx_on(struct sample_set *s);
/*
 * sample_set_adopt - an empty set S takes LAT and T (NULL, or N times), N
 * samples a loader stored in arrays of its own (malloc'd: the set frees them).
 */
void sample_set_adopt(struct sample_set *s, uint64_t *lat, uint64_t *t, size_t n);

void sample_set_free(struct sample_set *s);

/* Every set loaded in one run, in load order. */
struct sample_list {
	struct sample_set **v;
	size_t n;
	size_t alloc;
};

void sample_list_init(struct sample_list *l);
/* Append S (the list owns it from now on, even on failure).  0 or -ENOMEM. */
int sample_list_add(struct sample_list *l, struct sample_set *s);
void sample_list_release(struct sample_list *l);

/*
 * sample_list_file_seen - does set I come from the same file as an earlier
 * set?  (A log gives a set per direction, all with one header: per-run
 * header values count once per file.)
 */
int sample_list_file_seen(const struct sample_list *l, size_t i);

/* VALUE as a finite number into *OUT: 0, or -1 when it is not one. */
int label_number(const char *value, double *out);

#endif /* VMLAT_SAMPLES_H */
