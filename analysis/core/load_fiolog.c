/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * load_fiolog.c - sample sets from fio's latency logs (write_lat_log,
 * write_clat_log..., one "N, N, N" line per IO or per averaging window).
 *
 * fio writes no header, so the layout is read from the content, following
 * flush_samples() in fio's iolog.c.  A line is
 *
 *   time_ms, value[, max], ddir, bs[, offset], prio[, issue_ns]
 *
 * where max appears with log_window_value=both (fio 3.36+), offset with
 * log_offset=1, issue_ns with log_issue_time=1 (fio 3.38+), and prio is
 * 0/1 (is the IO real-time class), or 0x%04x with log_prio=1.  fio logs
 * from before the prio column exist too: "time, value, ddir, bs[, offset]".
 * With log_avg_msec > 0 each line is a window, written with bs = 0 (fio's
 * __add_stat_to_log): the mean of the window's IOs, or their maximum with
 * log_max_value=1, which the log does not say.  Such a log holds no per-IO
 * latency, so it is refused unless load_opts.fio_averaged asks for it; it
 * then loads as SAMPLES_WINDOWED.
 *
 * Detection: every layout with the file's column count is tried against
 * what fio can write in each column: ddir 0..2, bs all > 0 or all 0 (a
 * window), prio 0/1 or hex, max >= value, hex nowhere but prio.  When more
 * than one layout survives, one with a prio column beats one without (a
 * 5-column log is "..., bs, prio" unless column 5 holds a value other than
 * 0 or 1, which only an offset can); any other tie is settled by fio's
 * JSON of the same run beside the log when there is one (fio_sidecar.c:
 * its fio version and log_offset), else is an error that names the
 * candidates and --fio-columns.  Nothing is loaded from a file with a
 * bad line (all or nothing).
 *
 * The file name gives only what the content cannot: the metric (fio names
 * logs PREFIX_{lat,clat,slat}[.N].log, and bw/iops logs are refused), the
 * job number N and, for logs fio's client received from a server, the
 * server's name (the ".HOST" suffix).
 */
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fio_sidecar.h"
#include "fiolog_parse.h"
#include "fiolog_scan.h"
#include "load.h"
#include "util.h"

static const char *const col_names[FCOL_COUNT] = {
	"time", "value", "max", "ddir", "bs", "offset", "prio", "issue",
};

/* What fio option puts each column in, for messages. */
static const char *const col_option[FCOL_COUNT] = {
	"", "", "log_window_value=both", "", "", "log_offset=1", "", "log_issue_time=1",
};

int fiolog_layout_parse(const char *spec, struct fiolog_layout *out)
{
	const char *p = spec;

	memset(out, 0, sizeof(*out));
	while (*p) {
		size_t len = strcspn(p, ","), c;

		for (c = 0; c < FCOL_COUNT; c++)
			if (strlen(col_names[c]) == len && !strncmp(p, col_names[c], len))
				break;
		if (c == FCOL_COUNT || out->ncols == FIOLOG_MAXCOLS)
			return -EINVAL;
		out->col[out->ncols++] = (enum fiolog_col)c;
		p += len + (p[len] == ',');
	}
	return out->ncols >= 4 ? 0 : -EINVAL;
}

/* Every layout fio 3.x writes, newest first. */
#define L(...) { sizeof((enum fiolog_col[]){ __VA_ARGS__ }) / sizeof(enum fiolog_col), { __VA_ARGS__ } }
static const struct fiolog_layout layouts[] = {
	L(FCOL_TIME, FCOL_VALUE, FCOL_MAX, FCOL_DDIR, FCOL_BS, FCOL_OFFSET, FCOL_PRIO, FCOL_ISSUE),
	L(FCOL_TIME, FCOL_VALUE, FCOL_DDIR, FCOL_BS, FCOL_OFFSET, FCOL_PRIO, FCOL_ISSUE),
	L(FCOL_TIME, FCOL_VALUE, FCOL_MAX, FCOL_DDIR, FCOL_BS, FCOL_OFFSET, FCOL_PRIO),
	L(FCOL_TIME, FCOL_VALUE, FCOL_MAX, FCOL_DDIR, FCOL_BS, FCOL_PRIO, FCOL_ISSUE),
	L(FCOL_TIME, FCOL_VALUE, FCOL_DDIR, FCOL_BS, FCOL_OFFSET, FCOL_PRIO),
	L(FCOL_TIME, FCOL_VALUE, FCOL_DDIR, FCOL_BS, FCOL_PRIO, FCOL_ISSUE),
	L(FCOL_TIME, FCOL_VALUE, FCOL_MAX, FCOL_DDIR, FCOL_BS, FCOL_PRIO),
	L(FCOL_TIME, FCOL_VALUE, FCOL_DDIR, FCOL_BS, FCOL_PRIO),
	L(FCOL_TIME, FCOL_VALUE, FCOL_DDIR, FCOL_BS, FCOL_OFFSET), /* before the prio column */
	L(FCOL_TIME, FCOL_VALUE, FCOL_DDIR, FCOL_BS),
};
#undef L
#define NLAYOUTS (ARRAY_SIZE(layouts))

/*
 * A decimal of 1 to 7 digits at P followed by a non-digit, the common case
 * in a fio log, converted 8 bytes at a time (SWAR): its digit count, with
 * the value in *X; 0 for anything else (fewer than 8 bytes left, no digit,
 * 8 or more digits, a big-endian host), which the byte loop then reads.
 */
static int short_decimal(const char *p, size_t left, uint64_t *x)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t ones = 0x0101010101010101ull;
	uint64_t w, t, stop;
	int k;

	if (left < 8)
		return 0;
	memcpy(&w, p, 8);
	t = w - 0x30 * ones; /* digit bytes become 0..9; bytes after the first non-digit may be garbage */
	stop = (t | (t + 0x76 * ones)) & 0x80 * ones; /* high bit: not a digit */
	if (!stop)
		return 0;
	k = __builtin_ctzll(stop) / 8;
	if (!k)
		return 0;
	t <<= 8 * (8 - k); /* the k digits to the top bytes, leading zero digits below */
	t = (t * 10 + (t >> 8)) & 0x00ff00ff00ff00ffull;
	t = (t * 100 + (t >> 16)) & 0x0000ffff0000ffffull;
	t = (t * 10000 + (t >> 32)) & 0xffffffffull;
	*x = t;
	return k;
#else
	(void)p;
	(void)left;
	(void)x;
	return 0;
#endif
}

/*
 * Parse the line at *pos into V (hex flags in *hex); 0 with the column
 * count in *ncols, 1 at the end of the buffer, or -EBADMSG with ERR set.
 */
int fiolog_parse_line(const char *b, size_t len, size_t *pos, uint64_t lineno, uint64_t *v,
		      unsigned int *hex, unsigned int *ncols, struct load_err *err)
{
	size_t p = *pos;
	unsigned int n = 0;

	if (p >= len)
		return 1;
	*hex = 0;
	if (fiolog_fast_line(b, len, pos, v, FIOLOG_MAXCOLS, ncols))
		return 0; /* the common line, whole (fiolog_parse.c); any other one below */
	for (;;) {
		uint64_t x = 0;
		int base = 10, digits, fast;

		while (p < len && b[p] == ' ')
			p++;
		if (p + 1 < len && b[p] == '0' && b[p + 1] == 'x') {
			base = 16;
			p += 2;
			*hex |= 1u << n;
		}
		fast = base == 10 ? short_decimal(b + p, len - p, &x) : 0;
		p += (size_t)fast;
		digits = fast;
		/* any other number: no division, one compare per decimal digit */
		for (; !fast && p < len; p++, digits++) {
			unsigned int d = (unsigned int)(unsigned char)b[p] - '0';

			if (d > 9) {
				d = (unsigned int)(unsigned char)(b[p] | 0x20) - 'a';
				if (base != 16 || d > 5)
					break;
				d += 10;
			}
			if (__builtin_mul_overflow(x, (uint64_t)base, &x) ||
			    __builtin_add_overflow(x, (uint64_t)d, &x)) {
				load_err_set(err, lineno, "column %u: number too large", n + 1);
				return -EBADMSG;
			}
		}
		if (n == FIOLOG_MAXCOLS) {
			load_err_set(err, lineno, "more than %u columns: not a fio latency log "
						  "(a histogram log?)", n);
			return -ENOTSUP;
		}
		if (!digits) {
			load_err_set(err, lineno, "column %u: not a number", n + 1);
			return -EBADMSG;
		}
		if (x > INT64_MAX) { /* fio's columns are signed 64-bit */
			load_err_set(err, lineno, "column %u: %llu is out of range (at most 2^63 - 1)",
				     n + 1, (unsigned long long)x);
			return -EBADMSG;
		}
		v[n++] = x;
		if (p < len && b[p] == '\r')
			p++;
		if (p >= len || b[p] == '\n')
			break;
		if (b[p] != ',') {
			load_err_set(err, lineno, "column %u: unexpected '%c'", n,
				     b[p] >= 32 && b[p] < 127 ? b[p] : '?');
			return -EBADMSG;
		}
		p++;
	}
	*pos = p + 1;
	*ncols = n;
	return 0;
}

void fiolog_sum_line(struct scan *s, const uint64_t *v, unsigned int hex)
{
	unsigned int c;

	for (c = 0; c < s->ncols; c++) {
		struct col_sum *cs = &s->sum[c];
		int h = !!(hex & (1u << c));

		if (!s->nlines) {
			cs->min = cs->max = v[c];
			cs->all_hex = h;
			cs->ge_value = 1;
		}
		cs->min = v[c] < cs->min ? v[c] : cs->min;
		cs->max = v[c] > cs->max ? v[c] : cs->max;
		cs->any_hex |= h;
		cs->all_hex &= h;
		cs->ge_value &= v[c] >= v[1];
	}
	s->nlines++;
}

/*
 * Drop the pages of the mapping before POS from this process (they stay in
 * the page cache): a log read once counts in RSS only by a window, so a
 * 3 GB log of 100M IOs leaves room for its 800 MB of samples.
 */
static void release_before(const struct scan *s, size_t pos, size_t *done)
{
	size_t page = 1u << 26; /* 64 MiB steps */

	if (pos - *done < page)
		return;
	pos &= ~(page - 1);
	madvise((void *)s->buf, pos, MADV_DONTNEED);
	*done = pos;
}

/* First pass: column count and column summaries; every line checked. */
static int scan_file(struct scan *s, struct load_err *err)
{
	uint64_t v[FIOLOG_MAXCOLS];
	unsigned int hex, n;
	size_t pos = 0, done = 0;
	int ret;

	while (!(ret = fiolog_parse_line(s->buf, s->len, &pos, s->nlines + 1, v, &hex, &n, err))) {
		release_before(s, pos, &done);
		if (s->nlines && n != s->ncols) {
			load_err_set(err, s->nlines + 1, "%u columns, but line 1 has %u", n, s->ncols);
			return -EBADMSG;
		}
		s->ncols = n;
		fiolog_sum_line(s, v, hex);
	}
	if (ret < 0)
		return ret;
	if (!s->nlines || s->ncols < 4) {
		load_err_set(err, s->nlines ? 1 : 0, s->nlines ? "%u columns: a fio latency log has 4 to 8"
							    : "empty file", s->ncols);
		return -EBADMSG;
	}
	return 0;
}

/* Can fio have written column summary CS as a column of type T? */
static int col_fits(const struct col_sum *cs, enum fiolog_col t)
{
	switch (t) {
	case FCOL_PRIO:
		return cs->all_hex || (!cs->any_hex && cs->max <= 1);
	case FCOL_DDIR:
		return !cs->any_hex && cs->max <= 2;
	case FCOL_BS:
		return !cs->any_hex && (cs->min > 0 || cs->max == 0);
	case FCOL_MAX:
		return !cs->any_hex && cs->ge_value;
	default:
		return !cs->any_hex;
	}
}

/* The first column of L that does not fit, or -1. */
static int layout_misfit(const struct scan *s, const struct fiolog_layout *l)
{
	unsigned int c;

	for (c = 0; c < l->ncols; c++)
		if (!col_fits(&s->sum[c], l->col[c]))
			return (int)c;
	return -1;
}

static int has_prio(const struct fiolog_layout *l)
{
	unsigned int c;

	for (c = 0; c < l->ncols; c++)
		if (l->col[c] == FCOL_PRIO)
			return 1;
	return 0;
}

static void layout_str(const struct fiolog_layout *l, char *buf, size_t len)
{
	unsigned int c;
	size_t at = 0;

	buf[0] = 0;
	for (c = 0; c < l->ncols && at < len; c++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s", c ? "," : "", col_names[l->col[c]]);
}

static int has_col(const struct fiolog_layout *l, enum fiolog_col c)
{
	unsigned int i;

	for (i = 0; i < l->ncols; i++)
		if (l->col[i] == c)
			return 1;
	return 0;
}

/*
 * Could the fio of SC have written L?  The issue column is fio 3.38's, the
 * max column 3.36's; the offset column is there exactly with log_offset=1.
 */
static int sidecar_allows(const struct fio_sidecar *sc, const struct fiolog_layout *l)
{
	unsigned int v = sc->major * 1000 + sc->minor;

	if (has_col(l, FCOL_ISSUE) && v < 3038)
		return 0;
	if (has_col(l, FCOL_MAX) && v < 3036)
		return 0;
	return has_col(l, FCOL_OFFSET) == sc->log_offset;
}

/* A tie of N layouts in FIT: keep those fio's JSON beside PATH allows. */
static size_t ask_sidecar(const char *path, const struct fiolog_layout **fit, size_t n)
{
	struct fio_sidecar sc;
	size_t i, kept = 0;

	if (!path || !fio_sidecar_find(path, &sc))
		return n;
	for (i = 0; i < n; i++)
		if (sidecar_allows(&sc, fit[i]))
			fit[kept++] = fit[i];
	if (kept)
		return kept;
	return n; /* the JSON allows none: leave the tie to the user */
}

/* Pick the layout (see the top of the file), or fail saying why. */
static int pick_layout(const struct scan *s, const char *path, const struct fiolog_layout **out,
		       struct load_err *err)
{
	const struct fiolog_layout *fit[NLAYOUTS];
	size_t i, n = 0, prio = 0;
	char a[96], b[96];

	for (i = 0; i < NLAYOUTS; i++)
		if (layouts[i].ncols == s->ncols && layout_misfit(s, &layouts[i]) < 0) {
			fit[n++] = &layouts[i];
			prio += has_prio(&layouts[i]);
		}
	if (prio && prio < n) /* prefer fio with a prio column: drop the rest */
		for (i = n; i-- > 0;)
			if (!has_prio(fit[i]))
				fit[i] = fit[--n];
	if (n > 1)
		n = ask_sidecar(path, fit, n);
	if (n == 1) {
		*out = fit[0];
		return 0;
	}
	if (!n) {
		load_err_set(err, 0, "%u columns that fit no layout fio writes (pass --fio-columns=LIST)",
			     s->ncols);
		return -EBADMSG;
	}
	layout_str(fit[0], a, sizeof(a));
	layout_str(fit[1], b, sizeof(b));
	load_err_set(err, 0, "cannot tell the fio log layout: %s or %s fit every line "
			     "(pass --fio-columns=%s, or the other)", a, b, a);
	return -EBADMSG;
}

static int check_forced(const struct scan *s, const struct fiolog_layout *l, struct load_err *err)
{
	int c;

	if (l->ncols != s->ncols) {
		load_err_set(err, 1, "%u columns, but --fio-columns names %u", s->ncols, l->ncols);
		return -EBADMSG;
	}
	c = layout_misfit(s, l);
	if (c >= 0) {
		load_err_set(err, 0, "column %d holds values fio never writes as %s%s%s", c + 1,
			     col_names[l->col[c]], col_option[l->col[c]][0] ? " with " : "",
			     col_option[l->col[c]]);
		return -EBADMSG;
	}
	return 0;
}

/* Metric, job number and host from fio's log name; -ENOTSUP for bw/iops logs. */
static int name_labels(const char *path, struct labels *l, struct load_err *err)
{
	static const char re[] = "_(lat|clat|slat|bw|iops)(\\.([0-9]+))?\\.log(\\.(.+))?$";
	regex_t rx;
	regmatch_t m[6];
	const char *base = strrchr(path, '/');
	int ret = 0;

	base = base ? base + 1 : path;
	if (regcomp(&rx, re, REG_EXTENDED))
		return -ENOMEM;
	if (!regexec(&rx, base, 6, m, 0)) {
		char metric[8] = "", num[24] = "";

		snprintf(metric, sizeof(metric), "%.*s", (int)(m[1].rm_eo - m[1].rm_so), base + m[1].rm_so);
		if (!strcmp(metric, "bw") || !strcmp(metric, "iops")) {
			load_err_set(err, 0, "a fio %s log, not a latency log", metric);
			ret = -ENOTSUP;
		}
		ret = ret ? ret : labels_set(l, "metric", metric);
		if (!ret && m[3].rm_so >= 0) {
			snprintf(num, sizeof(num), "%.*s", (int)(m[3].rm_eo - m[3].rm_so), base + m[3].rm_so);
			ret = labels_set(l, "job_number", num);
		}
		if (!ret && m[5].rm_so >= 0) {
			char host[256];

			snprintf(host, sizeof(host), "%.*s", (int)(m[5].rm_eo - m[5].rm_so), base + m[5].rm_so);
			ret = labels_set(l, "hostname", host);
		}
	}
	regfree(&rx);
	return ret;
}

static int push_line(struct fill *f, const struct fiolog_layout *l, const uint64_t *v,
		     enum samples_kind kind, const char *path, const struct load_opts *o)
{
	uint64_t val[FCOL_COUNT] = { 0 }, t;
	unsigned int c;
	struct sample_set *s;

	for (c = 0; c < l->ncols; c++)
		val[l->col[c]] = v[c];
	s = f->sets[val[FCOL_DDIR]];
	if (!s) {
		s = f->sets[val[FCOL_DDIR]] = load_new_set(path, kind, o);
		/* no copies as it grows: address space only until stored */
		if (!s || sample_set_reserve(s, f->nlines, 0) ||
		    labels_set(&s->labels, "ddir", load_ddir_name((unsigned int)val[FCOL_DDIR])))
			return -ENOMEM;
	}
	if (!f->bs_seen[val[FCOL_DDIR]]++)
		f->bs[val[FCOL_DDIR]] = val[FCOL_BS];
	else if (f->bs[val[FCOL_DDIR]] != val[FCOL_BS])
		f->bs[val[FCOL_DDIR]] = 0;
	t = val[FCOL_TIME] * 1000000;
	return sample_set_push(s, val[FCOL_VALUE], o && o->want_time ? &t : NULL,
			       kind == SAMPLES_WINDOWED && val[FCOL_MAX] ? &val[FCOL_MAX] : NULL,
			       NULL);
}

/* Second pass: the samples, one set per direction. */
static int fill_sets(struct fill *f, const struct scan *s, const struct fiolog_layout *l,
		     const char *path, const struct load_opts *o, struct load_err *err)
{
	enum samples_kind kind = SAMPLES_PER_IO;
	uint64_t v[FIOLOG_MAXCOLS], line = 0;
	unsigned int hex, n, c;
	size_t pos = 0, done = 0;
	int ret = 0;

	for (c = 0; c < l->ncols; c++)
		if (l->col[c] == FCOL_BS && s->sum[c].max == 0)
			kind = SAMPLES_WINDOWED;
	while (!ret && !(ret = fiolog_parse_line(s->buf, s->len, &pos, ++line, v, &hex, &n, err))) {
		release_before(s, pos, &done);
		ret = push_line(f, l, v, kind, path, o);
	}
	return ret < 0 ? ret : 0;
}

static int finish_sets(struct fill *f, struct sample_list *out, const char *path,
		       const struct load_opts *o, struct load_err *err)
{
	struct labels names;
	char num[24];
	int i, ret;

	labels_init(&names);
	ret = name_labels(path, &names, err);
	for (i = 0; i < 3; i++) {
		struct sample_set *s = f->sets[i];

		if (!s)
			continue;
		f->sets[i] = NULL;
		snprintf(num, sizeof(num), "%llu", (unsigned long long)f->bs[i]);
		if (!ret && f->bs[i])
			ret = labels_set(&s->labels, "bs", num);
		if (!ret)
			ret = labels_merge(&s->labels, &names);
		if (!ret)
			ret = load_common_labels(s, "fiolog", path, o);
		if (!ret)
			ret = sample_list_add(out, s);
		else
			sample_set_free(s);
	}
	labels_release(&names);
	return ret;
}

/* The one-thread pass 1 over S's file, its summaries cleared first. */
static int scan_file_anew(struct scan *s, struct load_err *err)
{
	s->nlines = 0;
	s->ncols = 0;
	memset(s->sum, 0, sizeof(s->sum));
	return scan_file(s, err);
}

#ifdef FIOLOG_SCAN_CHECK
/*
 * Fuzz builds (Makefile, FUZZ_STATS): whatever the pieces' pass 1 sums must
 * be what the one-thread pass sums, field by field; else abort().
 */
static void scan_check(const struct scan *s)
{
	struct scan t = *s;
	struct load_err e;
	unsigned int c;

	if (scan_file_anew(&t, &e) || t.nlines != s->nlines || t.ncols != s->ncols)
		abort();
	for (c = 0; c < s->ncols; c++)
		if (t.sum[c].min != s->sum[c].min || t.sum[c].max != s->sum[c].max ||
		    t.sum[c].any_hex != s->sum[c].any_hex || t.sum[c].all_hex != s->sum[c].all_hex ||
		    t.sum[c].ge_value != s->sum[c].ge_value)
			abort();
}
#else
static void scan_check(const struct scan *s)
{
	(void)s;
}
#endif

/* Pass 1 on every core, or on one when the pieces pass it back. */
static int scan_any(struct fiolog_par *pa, struct scan *s, struct load_err *err)
{
	if (pa && !fiolog_par_scan(pa, s)) {
		scan_check(s);
		return 0;
	}
	return scan_file_anew(s, err);
}

/* Pass 2 on every core, or on one when the pieces pass it back. */
static int fill_any(struct fiolog_par *pa, struct fill *f, const struct scan *s,
		    const struct fiolog_layout *l, const char *path, const struct load_opts *o,
		    struct load_err *err)
{
	int ret = pa ? fiolog_par_fill(pa, f, s, l, path, o) : -EAGAIN, i;

	if (ret != -EAGAIN)
		return ret;
	for (i = 0; i < 3; i++) {
		sample_set_free(f->sets[i]);
		f->sets[i] = NULL;
		f->bs_seen[i] = 0;
	}
	return fill_sets(f, s, l, path, o, err);
}

/* Is the log one of averaging windows (bs 0 on every line)? */
static int windowed(const struct scan *s, const struct fiolog_layout *l)
{
	unsigned int c;

	for (c = 0; c < l->ncols; c++)
		if (l->col[c] == FCOL_BS && s->sum[c].max == 0)
			return 1;
	return 0;
}

static int load_buf(struct sample_list *out, struct scan *s, const char *path,
		    const struct load_opts *o, struct load_err *err)
{
	const struct fiolog_layout *l = o ? o->fio_layout : NULL;
	struct fill f;
	struct labels probe;
	struct fiolog_par *pa;
	int ret, i;

	memset(&f, 0, sizeof(f));
	labels_init(&probe);
	ret = name_labels(path, &probe, err); /* refuse bw/iops logs before parsing */
	labels_release(&probe);
	pa = fiolog_par_new(s, o);
	if (!ret)
		ret = scan_any(pa, s, err);
	if (!ret)
		ret = l ? check_forced(s, l, err) : pick_layout(s, path, &l, err);
	if (!ret && windowed(s, l) && !(o && o->fio_averaged)) {
		load_err_set(err, 0, "an averaged log (log_avg_msec): one value per window, the mean of "
				     "its IOs (their maximum with log_max_value=1), not per-IO latencies; "
				     "pass --fio-averaged to report them");
		ret = -EBADMSG;
	}
	if (!ret)
		ret = load_check_room(s->nlines, o, err); /* every line */
	f.nlines = s->nlines;
	if (!ret)
		ret = fill_any(pa, &f, s, l, path, o, err);
	if (!ret)
		ret = finish_sets(&f, out, path, o, err);
	for (i = 0; i < 3; i++)
		sample_set_free(f.sets[i]);
	fiolog_par_free(pa);
	if (ret == -ENOMEM)
		load_err_set(err, 0, "out of memory");
	return ret;
}

int load_fiolog(struct sample_list *out, const char *path, const struct load_opts *o,
		struct load_err *err)
{
	struct scan s = { 0 };
	struct load_map m;
	int ret = load_map_file(path, &m, err);

	if (ret)
		return ret;
	s.buf = m.buf;
	s.len = m.len;
	s.fd = m.fd;
	ret = load_buf(out, &s, path, o, err);
	load_unmap_file(&m);
	return ret;
}
