/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * load_fiojson.c - sample sets from fio's JSON and JSON+ output.
 *
 * fio's JSON holds statistics per job and direction, not samples.  With
 * --output-format=json+ it adds the histogram behind them ("bins": value
 * -> count, fio's log-linear buckets, each within 1/64 of its IOs): those
 * load as SAMPLES_BINNED, one sample per IO at its bucket's value.  Plain
 * JSON loads as SAMPLES_SUMMARY: n, min, max, mean, stddev and the
 * percentiles fio printed.
 *
 * Jobs are in "jobs" (a standalone run) or "client_stats" (fio --client:
 * one entry per job and server, with "hostname", plus an "All clients"
 * aggregate when there are several servers, which is skipped so no IO is
 * counted twice).  Jobs run with stats=0 appear as entries without a
 * "jobname" and are skipped too.  fio or an engine may print lines before
 * the JSON; parsing starts at the first line that begins with '{'.
 *
 * The metric is load_opts.fio_metric: "clat" by default (the latency fio
 * gives percentiles of unless lat_percentiles=1), "lat" or "slat".
 * Labels: "job", "hostname", "fio_version", "fio_timestamp_ms" (when fio
 * wrote the JSON), "fio_elapsed_s" (the job's), every job option as opt.NAME
 * (global options first) and under its own name, "bs" in bytes, and the
 * pairs of a vmlat_tags option, as the vmlat engine would store them.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jsonmem.h"
#include "load.h"
#include "memroom.h"
#include "vtags.h"

static const char *const ddirs[] = { "read", "write", "trim", "sync" };

static int set_opt(struct labels *l, const char *key, const char *value)
{
	char k[300];
	uint64_t bytes;
	int ret;

	snprintf(k, sizeof(k), "opt.%s", key);
	ret = labels_set(l, k, value);
	if (!ret && !strcmp(key, "bs") && !load_parse_size(value, &bytes)) {
		snprintf(k, sizeof(k), "%llu", (unsigned long long)bytes);
		return labels_set(l, "bs", k);
	}
	return ret ? ret : labels_set(l, key, value);
}

/* One tag of a vmlat_tags option, as tag.K and K. */
static int set_tag(void *ctx, const char *key, const char *value)
{
	char *k;
	int ret;

	if (asprintf(&k, "tag.%s", key) < 0)
		return -ENOMEM;
	ret = labels_set(ctx, k, value) || labels_set(ctx, key, value) ? -ENOMEM : 0;
	free(k);
	return ret;
}

/*
 * The tags of a vmlat_tags option (vtags.h: the engine's grammar, no length
 * limit).  Tags the engine would have refused cannot come from a real run:
 * such an option gives no tag labels, not a malformed input.
 */
static int set_tags(struct labels *l, const char *tags)
{
	int ret = vtags_each(tags, set_tag, l);

	return ret == -EINVAL ? 0 : ret;
}

static int options_labels(struct labels *l, json_t *opts)
{
	const char *key;
	json_t *v;
	int ret = 0;

	json_object_foreach(opts, key, v) {
		if (ret || !json_is_string(v))
			continue;
		ret = set_opt(l, key, json_string_value(v));
		if (!ret && !strcmp(key, "vmlat_tags"))
			ret = set_tags(l, json_string_value(v));
	}
	return ret;
}

/* When the run ended and how long the job ran: what pair.c matches logs by. */
static int run_labels(struct labels *l, json_t *root, json_t *job)
{
	json_t *ts = json_object_get(root, "timestamp_ms"), *el = json_object_get(job, "elapsed");
	char num[32];
	int ret = 0;

	if (json_is_integer(ts)) {
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(ts));
		ret = labels_set(l, "fio_timestamp_ms", num);
	}
	if (!ret && json_is_integer(el)) {
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(el));
		ret = labels_set(l, "fio_elapsed_s", num);
	}
	return ret;
}

static int job_labels(struct labels *l, json_t *root, json_t *job)
{
	const char *host = json_string_value(json_object_get(job, "hostname"));
	const char *ver = json_string_value(json_object_get(root, "fio version"));
	int ret = options_labels(l, json_object_get(root, "global options"));

	if (!ret)
		ret = options_labels(l, json_object_get(job, "job options"));
	if (!ret)
		ret = labels_set(l, "job", json_string_value(json_object_get(job, "jobname")));
	if (!ret && host)
		ret = labels_set(l, "hostname", host);
	if (!ret && ver)
		ret = labels_set(l, "fio_version", ver);
	if (!ret)
		ret = run_labels(l, root, job);
	/* fio's default, for --by iodepth; a job that set it has it from its options */
	if (!ret)
		ret = labels_default(l, "iodepth", "1");
	return ret;
}

/*
 * A count or time of fio's JSON, 0 when absent, negative or beyond 2^64
 * (casting such a real to uint64_t is undefined: the fiojson fuzzer found
 * 1.1e23 in "min").
 */
static uint64_t jint(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	double r = json_is_real(v) ? json_real_value(v) : 0;

	if (json_is_integer(v))
		return json_integer_value(v) > 0 ? (uint64_t)json_integer_value(v) : 0;
	return r > 0 && r < 18446744073709551616.0 ? (uint64_t)r : 0;
}

/*
 * Summary (plain JSON) of one metric object: percentiles in fio's order.
 * A negative percentile is no latency (cast to uint64_t it printed as
 * 18446744073.71 s): bad input, with the key named.
 */
static int fill_summary(struct fio_summary *fs, json_t *m, struct load_err *err)
{
	json_t *pct = json_object_get(m, "percentile"), *v;
	const char *key;

	fs->n = jint(m, "N");
	fs->min_ns = jint(m, "min");
	fs->max_ns = jint(m, "max");
	fs->mean_ns = json_number_value(json_object_get(m, "mean"));
	fs->stddev_ns = json_number_value(json_object_get(m, "stddev"));
	json_object_foreach(pct, key, v) {
		if (fs->npct == FIO_SUMMARY_MAXPCT)
			break;
		if (json_is_integer(v) && json_integer_value(v) < 0) {
			load_err_set(err, 0, "percentile '%s' is %lld: not a latency", key,
				     (long long)json_integer_value(v));
			return -EBADMSG;
		}
		fs->pct[fs->npct] = strtod(key, NULL);
		fs->pct_ns[fs->npct++] = json_is_integer(v) ? (uint64_t)json_integer_value(v) : 0;
	}
	return 0;
}

/*
 * More IOs than this in one job and direction is no real run (a trillion
 * IOs at a million per second is 11 days): a damaged or hostile file, which
 * would otherwise make vmlat allocate until the system runs out.
 */
#define FIOJSON_MAX_IOS (1ull << 40)

/* Are the bins' counts possible for a metric of N IOs?  0 or -EBADMSG. */
static int check_bins(json_t *bins, uint64_t n, const char *where, uint64_t *sum,
		      struct load_err *err)
{
	uint64_t total = 0;
	const char *key;
	json_t *v;

	if (n > FIOJSON_MAX_IOS) {
		load_err_set(err, 0, "%s.N: %llu IOs is absurd (more than 2^40)", where,
			     (unsigned long long)n);
		return -EBADMSG;
	}
	json_object_foreach(bins, key, v) {
		char *end;

		strtoull(key, &end, 10);
		if (!*key || *end || !json_is_integer(v) || json_integer_value(v) < 0) {
			load_err_set(err, 0, "%s.bins: '%s' is not a value with a count", where, key);
			return -EBADMSG;
		}
		total += (uint64_t)json_integer_value(v);
		if ((uint64_t)json_integer_value(v) > n || total > n) {
			load_err_set(err, 0, "%s.bins.%s: the bins count more IOs than the job's %llu (%s.N)",
				     where, key, (unsigned long long)n, where);
			return -EBADMSG;
		}
	}
	*sum = total;
	return 0;
}

/* JSON+ bins: one sample per IO at its bucket's value (checked: check_bins). */
static int fill_bins(struct sample_set *s, json_t *bins, uint64_t n)
{
	const char *key;
	json_t *v;

	if (sample_set_reserve(s, (size_t)n, 0))
		return -ENOMEM;
	json_object_foreach(bins, key, v) {
		uint64_t val = strtoull(key, NULL, 10), i, cnt = (uint64_t)json_integer_value(v);

		if (s->hist) { /* constant time per bin, whatever its count */
			hist_add_n(s->hist, val, cnt);
			s->n += cnt;
			continue;
		}
		for (i = 0; i < cnt; i++)
			if (sample_set_push(s, val, NULL, NULL, NULL))
				return -ENOMEM;
	}
	return 0;
}

static int load_dir(struct sample_list *out, json_t *root, json_t *job, int d, const char *path,
		    const struct load_opts *o, struct load_err *err)
{
	char metric_key[16], src[512], where[32];
	uint64_t nbins = 0;
	const char *metric = o && o->fio_metric ? o->fio_metric : "clat";
	json_t *m, *bins;
	struct sample_set *s;
	int ret;

	snprintf(metric_key, sizeof(metric_key), "%s_ns", metric);
	m = json_object_get(json_object_get(job, ddirs[d]), metric_key);
	if (!json_is_object(m) || !jint(m, "N"))
		return 0; /* no IO in this direction */
	bins = json_object_get(m, "bins");
	snprintf(where, sizeof(where), "%s.%s", ddirs[d], metric_key);
	if (bins && (ret = check_bins(bins, jint(m, "N"), where, &nbins, err)))
		return ret;
	snprintf(src, sizeof(src), "%s#%s", path, json_string_value(json_object_get(job, "jobname")));
	s = load_new_set(src, bins ? SAMPLES_BINNED : SAMPLES_SUMMARY, o);
	if (!s)
		return -ENOMEM;
	/* JSON+ too: fio's exact n, min, max, mean, stddev (report_model.c) */
	ret = fill_summary(&s->summary, m, err);
	if (!ret && bins)
		ret = fill_bins(s, bins, nbins);
	if (!ret)
		ret = job_labels(&s->labels, root, job);
	if (!ret)
		ret = labels_set(&s->labels, "ddir", ddirs[d]) || labels_set(&s->labels, "metric", metric)
			      ? -ENOMEM
			      : load_common_labels(s, "fiojson", path, o);
	if (ret) {
		sample_set_free(s);
		return ret;
	}
	return sample_list_add(out, s);
}

static int load_jobs(struct sample_list *out, json_t *root, const char *path,
		     const struct load_opts *o, struct load_err *err)
{
	json_t *jobs = json_object_get(root, "jobs"), *job;
	size_t i;
	int d, ret = 0;

	if (!jobs)
		jobs = json_object_get(root, "client_stats");
	if (!json_is_array(jobs)) {
		load_err_set(err, 0, "JSON without \"jobs\" or \"client_stats\": not fio output");
		return -ENOTSUP;
	}
	json_array_foreach(jobs, i, job) {
		const char *name = json_string_value(json_object_get(job, "jobname"));

		if (!name || !strcmp(name, "All clients"))
			continue; /* stats=0 placeholder, or the sum of the others */
		for (d = 0; d < 4 && !ret; d++)
			ret = load_dir(out, root, job, d, path, o, err);
	}
	return ret;
}

/* Offset and line of the first line that starts with '{'. */
static size_t json_start(const char *b, size_t len, uint64_t *lines)
{
	size_t i;

	*lines = 0;
	for (i = 0; i < len; i++) {
		if (b[i] == '{' && (i == 0 || b[i - 1] == '\n'))
			return i;
		*lines += b[i] == '\n';
	}
	return len;
}

/*
 * jansson's tree of the JSON at B, in no more memory than there is room
 * for (jsonmem.h): about nine times the file for fio's output, which a
 * large file must not be allowed to take from the machine.  NULL: see JE,
 * or jsonmem_capped() with ERR set.
 */
static json_t *parse_capped(const char *b, size_t len, json_error_t *je, struct load_err *err)
{
	uint64_t avail;
	json_t *root;

	mem_room(0, &avail);
	jsonmem_cap(jsonmem_live() + (avail ? avail : 1));
	root = json_loadb(b, len, JSON_DISABLE_EOF_CHECK, je);
	jsonmem_cap(0);
	if (!root && jsonmem_capped())
		load_err_set(err, 0, "out of memory: jansson's tree of this JSON (about 9 bytes for "
			     "each of its %llu bytes) outgrew the %llu MiB available (MemAvailable, or "
			     "VMLAT_MEM_AVAIL)", (unsigned long long)len,
			     (unsigned long long)(avail >> 20));
	return root;
}

static int parse_buf(struct sample_list *out, const char *b, size_t len, const char *path,
		     const struct load_opts *o, struct load_err *err)
{
	uint64_t skipped;
	size_t at = json_start(b, len, &skipped);
	json_error_t je;
	json_t *root;
	int ret;

	if (at == len) {
		load_err_set(err, 0, "no line starts a JSON object");
		return -EBADMSG;
	}
	root = parse_capped(b + at, len - at, &je, err);
	if (!root && jsonmem_capped())
		return -ENOMEM;
	if (!root) {
		load_err_set(err, skipped + (uint64_t)je.line, "byte %llu: %s",
			     (unsigned long long)(at + (size_t)je.position), je.text);
		return -EBADMSG;
	}
	ret = load_jobs(out, root, path, o, err);
	json_decref(root);
	if (ret == -ENOMEM)
		load_err_set(err, 0, "out of memory");
	return ret;
}

int load_fiojson(struct sample_list *out, const char *path, const struct load_opts *o,
		 struct load_err *err)
{
	struct sample_list mine;
	struct load_map m;
	size_t i;
	int ret = load_map_file(path, &m, err);

	if (ret)
		return ret;
	/* all or nothing: sets go to OUT only when the whole file loaded */
	sample_list_init(&mine);
	ret = parse_buf(&mine, m.buf, m.len, path, o, err);
	for (i = 0; !ret && i < mine.n; i++) {
		ret = sample_list_add(out, mine.v[i]);
		mine.v[i] = NULL;
	}
	for (; i < mine.n; i++)
		sample_set_free(mine.v[i]);
	free(mine.v);
	load_unmap_file(&m);
	return ret;
}
