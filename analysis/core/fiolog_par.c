/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fiolog_par.c - the fio log reader's passes on every core (see
 * fiolog_scan.h for the contract, load_fiolog.c for the log's format and
 * the one-thread passes that judge every file these pass back).
 *
 * The same two passes on every core: the file cut at line starts into one
 * piece per thread (fiolog_parse.c; one piece on one core), each thread
 * reading its piece with pread() (fiolog_parse.h says why).  The first
 * pass also counts each piece's lines per direction for both columns the
 * ddir can be in (3 or 4), so the second pass writes each piece's samples
 * straight into its slice of the direction's one array: no per-thread
 * arrays, no merge copy.  A log of one direction needs no second pass
 * (struct one_dir below).  Anything unusual (a bad line, a column count
 * that changes, a thread that cannot start, windowed or --hist sets) goes
 * back to the one-thread passes of load_fiolog.c (-EAGAIN), which give
 * every verdict and message as they always have.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fiolog_parse.h"
#include "fiolog_scan.h"
#include "memroom.h"
#include "par.h"

/* One piece of the file and what its thread learns and stores. */
struct part {
	size_t start, end;
	struct scan s;		/* this piece's column summaries */
	int bad;		/* the one-thread pass must judge this file */
	uint64_t ddir_n[2][4];	/* lines per value of column 3, of column 4 (3: other) */
	size_t at[3];		/* pass 2: where the next sample of each direction goes */
	uint64_t bs[3];		/* first bs of each direction in the piece */
	int bs_seen[3], bs_mixed[3];
	size_t one_at, one_cap;	/* pass 1's store (struct one_dir): first slot, slots */
	size_t one_n;		/* samples stored there */
	int one_over;		/* more lines than slots: pass 2 stores */
} __attribute__((aligned(128)));

/*
 * Pass 1 also stores each line's value (and time) in file order, as if the
 * log had one direction, the common case (a job's log of randread or of
 * randwrite); when the layout picked says it has one, those are the
 * samples and pass 2 never runs.  Each piece stores into its own range of
 * one array, sized from the line length of the file's first 64 KiB with a
 * quarter of slack (address space: only what is stored is touched); the
 * ranges are then moved together.  A piece with more lines than its range,
 * a log with two or three directions, or a layout with the value or time
 * elsewhere than columns 1 and 2 (--fio-columns) goes to pass 2 as before.
 */
struct one_dir {
	uint64_t *lat, *t;	/* NULL: not tried; else the pieces' slots, each */
};

struct fiolog_par {
	int fd;			/* the file, which the threads pread() (fiolog_parse.h) */
	unsigned int n;
	struct part *parts;
	const struct fiolog_layout *l;
	struct sample_set *sets[3];
	int want_time;
	int scanned;		/* pass 1 ran on the pieces */
	struct one_dir one;
};

/* Store line V's value and time in pass 1's one-direction store, if it has room. */
static void one_store(struct fiolog_par *pa, struct part *pt, const uint64_t *v)
{
	if (!pa->one.lat)
		return;
	if (pt->one_n == pt->one_cap) {
		pt->one_over = 1;
		return;
	}
	pa->one.lat[pt->one_at + pt->one_n] = v[1];
	if (pa->one.t)
		pa->one.t[pt->one_at + pt->one_n] = v[0] * 1000000;
	pt->one_n++;
}

/* Pass 1 on the line at B[*POS], any line: 0, 1 at the end, -1 when the one-thread pass must judge. */
static int scan_line(struct fiolog_par *pa, struct part *pt, const char *b, size_t to, size_t *pos)
{
	uint64_t v[FIOLOG_MAXCOLS];
	unsigned int hex, n;
	struct load_err err;
	int ret = fiolog_parse_line(b, to, pos, 0, v, &hex, &n, &err);

	if (ret)
		return ret < 0 ? -1 : 1;
	if (pt->s.nlines && n != pt->s.ncols)
		return -1;
	pt->s.ncols = n;
	fiolog_sum_line(&pt->s, v, hex);
	if (n < 4)
		return 0; /* the one-thread pass will say why */
	pt->ddir_n[0][v[2] < 3 ? v[2] : 3]++;
	pt->ddir_n[1][v[3] < 3 ? v[3] : 3]++;
	one_store(pa, pt, v);
	return 0;
}

/*
 * Pass 1 on the plain lines of NC columns from B[*POS] (decimal, in the
 * form fiolog_fast_line() reads, as nearly every line is), up to the first
 * other line or TO: how many.  What scan_line() does to PT for each, with
 * the summaries, counts and store position in locals for the run (the
 * stores into the store could alias PT's fields, which kept them in
 * memory: a third of pass 1's time).  NC is a constant where it is
 * inlined, so the column loops unroll and the summaries stay in registers.
 */
static inline __attribute__((always_inline)) uint64_t
scan_plain_n(struct fiolog_par *pa, struct part *pt, const char *b, size_t to, size_t *pos,
	     const unsigned int nc)
{
	uint64_t mn[FIOLOG_MAXCOLS], mx[FIOLOG_MAXCOLS], v[FIOLOG_MAXCOLS], dn[2][4];
	uint64_t *lat = pa->one.lat ? pa->one.lat + pt->one_at : NULL;
	uint64_t *tm = lat && pa->one.t ? pa->one.t + pt->one_at : NULL;
	size_t p = *pos, q = p, one_n = pt->one_n, cap = pt->one_cap;
	unsigned int c, n, lt = 0; /* bit c: some line had column c < column 1 */
	uint64_t k = 0;
	int over = 0;

#pragma GCC unroll 8
	for (c = 0; c < nc; c++)
		mn[c] = pt->s.sum[c].min, mx[c] = pt->s.sum[c].max;
	memcpy(dn, pt->ddir_n, sizeof(dn));
	while (fiolog_fast_line(b, to, &q, v, FIOLOG_MAXCOLS, &n) && n == nc) {
		p = q;
#pragma GCC unroll 8
		for (c = 0; c < nc; c++) {
			mn[c] = v[c] < mn[c] ? v[c] : mn[c];
			mx[c] = v[c] > mx[c] ? v[c] : mx[c];
			lt |= (unsigned int)(v[c] < v[1]) << c;
		}
		dn[0][v[2] < 3 ? v[2] : 3]++;
		dn[1][v[3] < 3 ? v[3] : 3]++;
		k++;
		if (!lat)
			continue;
		if (one_n == cap) {
			over = 1;
			continue;
		}
		lat[one_n] = v[1];
		if (tm)
			tm[one_n] = v[0] * 1000000;
		one_n++;
	}
	for (c = 0; c < nc; c++) {
		pt->s.sum[c].min = mn[c];
		pt->s.sum[c].max = mx[c];
		pt->s.sum[c].all_hex &= !k; /* a decimal line */
		pt->s.sum[c].ge_value &= !(lt >> c & 1);
	}
	memcpy(pt->ddir_n, dn, sizeof(dn));
	pt->s.nlines += k;
	pt->one_n = one_n;
	pt->one_over |= over;
	*pos = p;
	return k;
}

/* scan_plain_n() for the piece's column count (4-8; a line of it read already), else 0. */
static uint64_t scan_plain(struct fiolog_par *pa, struct part *pt, const char *b, size_t to,
			   size_t *pos)
{
	switch (pt->s.ncols) {
	case 4: return scan_plain_n(pa, pt, b, to, pos, 4);
	case 5: return scan_plain_n(pa, pt, b, to, pos, 5);
	case 6: return scan_plain_n(pa, pt, b, to, pos, 6);
	case 7: return scan_plain_n(pa, pt, b, to, pos, 7);
	case 8: return scan_plain_n(pa, pt, b, to, pos, 8);
	}
	return 0;
}

/*
 * Pass 1 on the lines of B[FROM, TO): 0, or -1 when the one-thread pass
 * must judge.  Runs of plain lines go to scan_plain(), any other line to
 * scan_line(); after a run of none (a log of hex prio, say) the next 64
 * lines go straight to scan_line(), so such a log pays for no failed try.
 */
static int scan_run(struct fiolog_par *pa, struct part *pt, const char *b, size_t from, size_t to)
{
	size_t pos = from;
	unsigned int skip = 0;
	int ret;

	for (;;) {
		if (skip)
			skip--;
		else if (pt->s.nlines && !scan_plain(pa, pt, b, to, &pos))
			skip = 64;
		if ((ret = scan_line(pa, pt, b, to, &pos)))
			return ret == 1 ? 0 : -1;
	}
}

typedef int (*run_fn)(struct fiolog_par *pa, struct part *pt, const char *b, size_t from,
		      size_t to);

/* RUN on each run of whole lines of piece I; a read that fails marks it bad. */
static void each_run(struct fiolog_par *pa, unsigned int i, run_fn run)
{
	struct part *pt = &pa->parts[i];
	struct fiolog_chunks c;
	const char *b;
	size_t from, to;
	int ret;

	fiolog_chunks_init(&c, pa->fd, pt->start, pt->end);
	while ((ret = fiolog_chunks_next(&c, &b, &from, &to)) == 1 && !run(pa, pt, b, from, to))
		;
	fiolog_chunks_release(&c);
	pt->bad = ret != 0;
}

static void scan_piece(void *arg, unsigned int i)
{
	each_run(arg, i, scan_run);
}

static void merge_sum(struct col_sum *to, const struct col_sum *from)
{
	to->min = from->min < to->min ? from->min : to->min;
	to->max = from->max > to->max ? from->max : to->max;
	to->any_hex |= from->any_hex;
	to->all_hex &= from->all_hex;
	to->ge_value &= from->ge_value;
}

/* Pass 1 on every piece into S; -EAGAIN: let the one-thread pass judge. */
static int scan_parallel(struct fiolog_par *pa, struct scan *s)
{
	unsigned int i, c;

	if (par_run(pa->n, scan_piece, pa))
		return -EAGAIN;
	for (i = 0; i < pa->n; i++) {
		const struct scan *ps = &pa->parts[i].s;

		if (pa->parts[i].bad || (s->nlines && ps->nlines && ps->ncols != s->ncols))
			return -EAGAIN;
		if (!ps->nlines)
			continue;
		for (c = 0; c < ps->ncols; c++)
			if (!s->nlines)
				s->sum[c] = ps->sum[c];
			else
				merge_sum(&s->sum[c], &ps->sum[c]);
		s->ncols = ps->ncols;
		s->nlines += ps->nlines;
	}
	if (!s->nlines || s->ncols < 4)
		return -EAGAIN; /* for its message */
	return 0;
}

static unsigned int layout_col(const struct fiolog_layout *l, enum fiolog_col t)
{
	unsigned int c;

	for (c = 0; c < l->ncols && l->col[c] != t; c++)
		;
	return c;
}

/* Has L every column fill_piece() reads? */
static int has_cols(const struct fiolog_layout *l)
{
	return layout_col(l, FCOL_TIME) < l->ncols && layout_col(l, FCOL_VALUE) < l->ncols &&
	       layout_col(l, FCOL_DDIR) < l->ncols && layout_col(l, FCOL_BS) < l->ncols;
}

/*
 * Pass 2 on the lines of B[FROM, TO), checked by pass 1 already; 0.  The
 * arrays, places and block sizes in locals for the run: the stores into
 * the sets could alias PT's fields, which kept them in memory.
 */
static int fill_run(struct fiolog_par *pa, struct part *pt, const char *b, size_t from, size_t to)
{
	const struct fiolog_layout *l = pa->l;
	unsigned int dc = layout_col(l, FCOL_DDIR), bc = layout_col(l, FCOL_BS);
	unsigned int vc = layout_col(l, FCOL_VALUE), tc = layout_col(l, FCOL_TIME);
	uint64_t v[FIOLOG_MAXCOLS], *lat[3], *tm[3], bs[3];
	size_t pos = from, at[3];
	int seen[3], mixed[3];
	unsigned int hex, n, d;
	struct load_err err;

	for (d = 0; d < 3; d++) {
		lat[d] = pa->sets[d] ? pa->sets[d]->lat_ns : NULL;
		tm[d] = pa->sets[d] && pa->want_time ? pa->sets[d]->t_ns : NULL;
		at[d] = pt->at[d];
		bs[d] = pt->bs[d];
		seen[d] = pt->bs_seen[d];
		mixed[d] = pt->bs_mixed[d];
	}
	while (!fiolog_parse_line(b, to, &pos, 0, v, &hex, &n, &err)) {
		d = (unsigned int)v[dc];
		lat[d][at[d]] = v[vc];
		if (tm[d])
			tm[d][at[d]] = v[tc] * 1000000;
		at[d]++;
		if (!seen[d])
			seen[d] = 1, bs[d] = v[bc]; /* a flag: a count overflowed at 2^31 lines */
		else
			mixed[d] |= bs[d] != v[bc];
	}
	for (d = 0; d < 3; d++) {
		pt->at[d] = at[d];
		pt->bs[d] = bs[d];
		pt->bs_seen[d] = seen[d];
		pt->bs_mixed[d] = mixed[d];
	}
	return 0;
}

static void fill_piece(void *arg, unsigned int i)
{
	each_run(arg, i, fill_run);
}

/* One set per direction, each with room for exactly its samples. */
static int par_sets(struct fiolog_par *pa, struct fill *f, const uint64_t *total, const char *path,
		    const struct load_opts *o)
{
	unsigned int d, i;

	for (d = 0; d < 3; d++) {
		size_t at = 0;

		if (!total[d])
			continue;
		pa->sets[d] = f->sets[d] = load_new_set(path, SAMPLES_PER_IO, o);
		if (!f->sets[d] || sample_set_reserve(f->sets[d], total[d], pa->want_time) ||
		    labels_set(&f->sets[d]->labels, "ddir", load_ddir_name(d)))
			return -ENOMEM;
		for (i = 0; i < pa->n; i++) {
			pa->parts[i].at[d] = at;
			at += pa->parts[i].ddir_n[layout_col(pa->l, FCOL_DDIR) - 2][d];
		}
	}
	return 0;
}

static void one_free(struct fiolog_par *pa)
{
	free(pa->one.lat);
	free(pa->one.t);
	pa->one.lat = pa->one.t = NULL;
}

#define ONE_WINDOW (1u << 14)

static size_t count_lines(const char *b, size_t n)
{
	const char *e = b + n, *nl;
	size_t lines = 0;

	for (; (nl = memchr(b, '\n', (size_t)(e - b))); b = nl + 1)
		lines++;
	return lines;
}

/*
 * Slots for the piece [A, B) of BUF: its lines as its first and last 16
 * KiB predict, and an eighth more (4096 for an empty piece); 0 when they
 * hold no line end.  Both ends, not the file's first 64 KiB alone: fio's
 * time column grows, so a log's first lines are its shortest, and they
 * predicted up to half as many lines again as there were (slots the move
 * then faulted in).
 */
static size_t one_slots(const char *buf, size_t a, size_t b)
{
	size_t len = b - a, lines, bytes, guess;

	if (!len)
		return 4096;
	if (len <= 2 * ONE_WINDOW) {
		lines = count_lines(buf + a, len);
		bytes = len;
	} else {
		lines = count_lines(buf + a, ONE_WINDOW) + count_lines(buf + b - ONE_WINDOW, ONE_WINDOW);
		bytes = 2 * ONE_WINDOW;
	}
	if (!lines)
		return 0;
	guess = (size_t)((unsigned __int128)len * lines / bytes);
	return guess + guess / 8 + 4096;
}

/*
 * Set up pass 1's one-direction store (struct one_dir), unless --hist, or
 * the lines' length cannot be learnt, or the samples would not fit (then
 * the exact passes and load_check_room() say so).
 */
static void one_init(struct fiolog_par *pa, const struct scan *s, const struct load_opts *o)
{
	size_t at = 0;
	uint64_t avail;
	unsigned int i;

	if (!s->len || (o && o->hist))
		return; /* an empty file has no buffer (and no lines) */
	for (i = 0; i < pa->n; i++) {
		struct part *pt = &pa->parts[i];

		pt->one_at = at;
		if (!(pt->one_cap = one_slots(s->buf, pt->start, pt->end)))
			return;
		at += pt->one_cap;
	}
	/* every slot could be stored: all must fit, or the exact passes judge */
	if (mem_room((uint64_t)at * 8 * (o && o->want_time ? 2 : 1), &avail))
		return;
	pa->one.lat = malloc(at * sizeof(uint64_t));
	pa->one.t = o && o->want_time ? malloc(at * sizeof(uint64_t)) : NULL;
	if (!pa->one.lat || (o && o->want_time && !pa->one.t)) {
		one_free(pa);
		return;
	}
	mem_huge_pages(pa->one.lat, at * sizeof(uint64_t));
	if (pa->one.t)
		mem_huge_pages(pa->one.t, at * sizeof(uint64_t));
}

/* A gap of fresh pages a move may hold beside the samples (fiolog_one_move). */
#define ONE_MOVE_SPARE (64u << 20)

/* fiolog_scan.h */
void fiolog_one_move(uint64_t *a, size_t to, size_t from, size_t n)
{
	/* 2 MiB of samples; the page size is the kernel's (madvise rounds the length up) */
	const size_t block = 1u << 18, page = (size_t)sysconf(_SC_PAGESIZE);
	const int wide = (from - to) * sizeof(*a) > ONE_MOVE_SPARE;
	size_t done = 0;

	while (done < n) {
		size_t k = n - done < block ? n - done : block;
		uintptr_t lo, hi;

		memmove(a + to + done, a + from + done, k * sizeof(*a));
		done += k;
		/*
		 * moved out of, and never to be moved into: [max(from, to + n),
		 * from + done).  Not to + done: the blocks still to come write
		 * up to to + n, and a page given back below that would be
		 * faulted in and zeroed again.  But the destination's pages
		 * below from are new ones: with a wide gap, holding both would
		 * raise the peak by the gap (1 GB for 10^9 samples), so then
		 * everything moved out of goes back, at the price of those
		 * faults.
		 */
		lo = (uintptr_t)(a + (wide ? to + done : from > to + n ? from : to + n));
		hi = (uintptr_t)(a + from + done);
		lo = (lo + page - 1) & ~(uintptr_t)(page - 1);
		hi &= ~(uintptr_t)(page - 1);
		if (hi > lo)
			madvise((void *)lo, hi - lo, MADV_DONTNEED);
	}
}

/* Move the pieces' ranges of A together; then A holds N samples. */
static uint64_t *one_pack(const struct fiolog_par *pa, uint64_t *a, size_t n)
{
	size_t at = 0;
	unsigned int i;
	uint64_t *shrunk;

	for (i = 0; i < pa->n; i++) {
		const struct part *pt = &pa->parts[i];

		if (at != pt->one_at)
			fiolog_one_move(a, at, pt->one_at, pt->one_n);
		at += pt->one_n;
	}
	shrunk = realloc(a, (n ? n : 1) * sizeof(uint64_t));
	return shrunk ? shrunk : a;
}

/*
 * The samples pass 1 stored, when the log has one direction (TOTAL) and
 * they are what pass 2 would store; -EAGAIN otherwise.
 */
static int one_adopt(struct fiolog_par *pa, struct fill *f, const struct scan *s, const uint64_t *total,
		     const char *path, const struct load_opts *o)
{
	unsigned int d, only = 3, i, bc = layout_col(pa->l, FCOL_BS);
	struct sample_set *set;
	uint64_t *lat, *t;

	for (d = 0; d < 3; d++)
		if (total[d])
			only = only == 3 ? d : 4;
	if (only > 2 || !pa->one.lat || layout_col(pa->l, FCOL_VALUE) != 1 ||
	    layout_col(pa->l, FCOL_TIME) != 0)
		return -EAGAIN;
	for (i = 0; i < pa->n; i++)
		if (pa->parts[i].one_over)
			return -EAGAIN;
	set = f->sets[only] = load_new_set(path, SAMPLES_PER_IO, o);
	if (!set || labels_set(&set->labels, "ddir", load_ddir_name(only)))
		return -ENOMEM;
	lat = one_pack(pa, pa->one.lat, total[only]);
	t = pa->one.t ? one_pack(pa, pa->one.t, total[only]) : NULL;
	pa->one.lat = pa->one.t = NULL;
	sample_set_adopt(set, lat, t, total[only]);
	f->bs_seen[only] = 1;
	f->bs[only] = s->sum[bc].min == s->sum[bc].max ? s->sum[bc].min : 0;
	return 0;
}

/* Pass 2 on every piece; -EAGAIN: let the one-thread pass do it. */
static int fill_parallel(struct fiolog_par *pa, struct fill *f, const struct scan *s,
			 const char *path, const struct load_opts *o)
{
	unsigned int dc = layout_col(pa->l, FCOL_DDIR), d, i;
	uint64_t total[3] = { 0 };
	int ret;

	/*
	 * The pieces counted directions in columns 3 and 4 only, and a forced
	 * layout (--fio-columns) may lack a column the store reads; --hist
	 * pushes, and windowed sets may keep maxima: all to the one-thread pass.
	 */
	if (dc < 2 || dc > 3 || (o && o->hist) || !has_cols(pa->l) ||
	    !s->sum[layout_col(pa->l, FCOL_BS)].max)
		return -EAGAIN;
	for (i = 0; i < pa->n; i++)
		for (d = 0; d < 3; d++)
			total[d] += pa->parts[i].ddir_n[dc - 2][d];
	ret = one_adopt(pa, f, s, total, path, o);
	one_free(pa);
	if (ret != -EAGAIN)
		return ret;
	pa->want_time = o && o->want_time;
	ret = par_sets(pa, f, total, path, o);
	if (!ret && par_run(pa->n, fill_piece, pa))
		ret = -EAGAIN;
	for (i = 0; i < pa->n && !ret; i++)
		if (pa->parts[i].bad) /* the file could not be read again */
			ret = -EAGAIN;
	for (d = 0; d < 3 && !ret; d++) {
		if (!f->sets[d])
			continue;
		f->sets[d]->n = total[d];
		for (i = 0; i < pa->n; i++) {
			const struct part *pt = &pa->parts[i];

			if (!pt->bs_seen[d])
				continue;
			if (!f->bs_seen[d]++)
				f->bs[d] = pt->bs[d];
			if (pt->bs_mixed[d] || pt->bs[d] != f->bs[d])
				f->bs[d] = 0;
		}
	}
	return ret;
}

struct fiolog_par *fiolog_par_new(const struct scan *s, const struct load_opts *o)
{
	struct fiolog_par *pa = calloc(1, sizeof(*pa));
	size_t bounds[PAR_MAX + 1];
	unsigned int i;

	if (!pa)
		return NULL;
	pa->fd = s->fd;
	pa->n = fiolog_threads(s->len);
	if (!(pa->parts = aligned_alloc(128, pa->n * sizeof(*pa->parts)))) {
		free(pa);
		return NULL; /* the one-thread passes alone */
	}
	memset(pa->parts, 0, pa->n * sizeof(*pa->parts));
	fiolog_split(s->buf, s->len, pa->n, bounds);
	for (i = 0; i < pa->n; i++) {
		pa->parts[i].start = bounds[i];
		pa->parts[i].end = bounds[i + 1];
	}
	one_init(pa, s, o);
	return pa;
}

int fiolog_par_scan(struct fiolog_par *pa, struct scan *s)
{
	int ret = scan_parallel(pa, s);

	pa->scanned = !ret;
	return ret;
}

int fiolog_par_fill(struct fiolog_par *pa, struct fill *f, const struct scan *s,
		    const struct fiolog_layout *l, const char *path, const struct load_opts *o)
{
	pa->l = l;
	return pa->scanned ? fill_parallel(pa, f, s, path, o) : -EAGAIN;
}

void fiolog_par_free(struct fiolog_par *pa)
{
	if (!pa)
		return;
	one_free(pa);
	free(pa->parts);
	free(pa);
}
