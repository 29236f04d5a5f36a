/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * load_vlog.c - sample sets from a vmlat per-IO log.
 *
 * One set per direction.  Labels: every header key as the file has it
 * ("hostname", "platform.vm", "opt.bs", "tag.load"), each tag also under
 * its short name ("load"), "job" from job_name, "metric=lat" (vmlat times
 * issue to the end of the syscall, fio's "lat"), and "platform" from
 * platform.vm when no tag or --label names one.  IOs that failed (error
 * != 0) are left out, as fio leaves them out of its statistics; their
 * number is the label "errors".  A torn log (cut short, damaged, or never
 * closed with junk after its records) loads its intact records and reports
 * the damage with its byte offset as partial (exit 2); a log that was never
 * closed but is intact loads with a warning.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "par.h"
#include "vlog.h"

/*
 * The queue depth the log's IOs ran at, for --by iodepth: io.iodepth
 * (format 1.1); older logs come from the psync-only engine, depth 1
 * whatever iodepth the job set (fio runs a sync engine one IO at a time).
 */
static const char *log_iodepth(const struct vlog_reader *r)
{
	const char *d = vlog_reader_get(r, "io.iodepth");

	return d ? d : "1";
}

static int header_labels(struct labels *l, const struct vlog_reader *r)
{
	const char *vm = vlog_reader_get(r, "platform.vm");
	const char *job = vlog_reader_get(r, "job_name");
	size_t i;
	int ret = 0;

	for (i = 0; i < r->nkv && !ret; i++) {
		ret = labels_set(l, r->kv[i].key, r->kv[i].value);
		if (!ret && !strncmp(r->kv[i].key, "tag.", 4))
			ret = labels_set(l, r->kv[i].key + 4, r->kv[i].value);
	}
	if (!ret && job)
		ret = labels_set(l, "job", job);
	if (!ret)
		ret = labels_set(l, "metric", "lat");
	if (!ret && vm)
		ret = labels_default(l, "platform", vm);
	if (!ret)
		ret = labels_default(l, "iodepth", log_iodepth(r));
	return ret;
}

/* The context of REC; bits 0 when nothing of it is known. */
static struct io_ctx rec_ctx(const struct vlog_rec *rec)
{
	struct io_ctx c = { 0 };

	if (rec->cpu_submit != VLOG_CPU_UNKNOWN && rec->cpu_complete != VLOG_CPU_UNKNOWN) {
		c.bits |= IO_CTX_CPU;
		c.cpu_submit = rec->cpu_submit;
		c.cpu_complete = rec->cpu_complete;
	}
	if (rec->ctx_mask & VLOG_CTX_RQ_DELAY) {
		c.bits |= IO_CTX_RQ;
		c.rq_delay_ns = rec->rq_delay_ns;
	}
	return c;
}

/* The set of direction DDIR, made on its first IO. */
static struct sample_set *set_for(struct sample_set **sets, unsigned int ddir, const char *path,
				  const struct vlog_reader *r, const struct load_opts *o)
{
	const char *name = vlog_ddir_name(ddir);
	char num[16];
	struct sample_set *s;

	if (sets[ddir])
		return sets[ddir];
	s = load_new_set(path, SAMPLES_PER_IO, o);
	if (!name) {
		snprintf(num, sizeof(num), "ddir%u", ddir);
		name = num;
	}
	/* room for every record: address space only until stored */
	if (s && (sample_set_reserve(s, r->slots, o && o->want_time) ||
		  header_labels(&s->labels, r) || labels_set(&s->labels, "ddir", name) ||
		  load_common_labels(s, "vlog", path, o))) {
		sample_set_free(s);
		s = NULL;
	}
	return sets[ddir] = s;
}

/* Sets and error counts per ddir; ddir values are a byte. */
struct by_ddir {
	struct sample_set *sets[256];
	uint64_t errors[256];
};

/* Store REC into S (reserved for it, see set_for()). */
static int store(struct sample_set *s, const struct vlog_rec *rec)
{
	struct io_ctx c = rec_ctx(rec);
	size_t j = s->n;

	if (s->hist)
		return sample_set_push(s, rec->lat_ns, NULL, NULL, NULL);
	if (c.bits && !s->ctx && sample_set_ctx_on(s))
		return -ENOMEM;
	s->lat_ns[j] = rec->lat_ns;
	if (s->t_ns)
		s->t_ns[j] = rec->issue_ns;
	if (s->ctx)
		s->ctx[j] = c;
	s->n = j + 1;
	return 0;
}

/* Every record, validated as it is read; the tail is judged at the end. */
static int read_records(struct by_ddir *d, const char *path, struct vlog_reader *r,
			const struct load_opts *o)
{
	const struct vlog_rec *recs;
	size_t n, k;
	int ret;

	while (!(ret = vlog_reader_next(r, &recs, &n)) && n) {
		for (k = 0; k < n; k++) {
			const struct vlog_rec *rec = &recs[k];
			struct sample_set *s = d->sets[rec->ddir];

			if (!s && !(s = set_for(d->sets, rec->ddir, path, r, o)))
				return -ENOMEM;
			if (rec->error)
				d->errors[rec->ddir]++;
			else if (store(s, rec))
				return -ENOMEM;
		}
	}
	return ret;
}

/*
 * The same read on every core, for a large log in this host's byte order
 * outside --hist.  The records go in rounds of VPAR_SPAN per thread (16
 * MiB each: a few hundred thread starts for 10^8 records, each span's
 * pages mapped in one call).  Pass A: each thread validates its span (vlog_reader_span) and
 * counts its good records per direction, its errors, and whether any
 * carries context.  Then, in span order, the counts give each span its
 * place in each direction's array; the first span that stops short ends
 * the records, as the first bad record ends read_records().  Pass B: each
 * thread stores its span's samples there.  So every set, every sample's
 * place and every count are those of read_records() (test_report_exact.sh
 * compares the two).
 */
#define VPAR_SPAN (UINT64_C(1) << 18)

/* Records per thread and round: VPAR_SPAN, or VMLAT_VLOG_SPAN (the tests' many rounds). */
static uint64_t vpar_span(void)
{
	const char *env = getenv("VMLAT_VLOG_SPAN");
	unsigned long long n = env && *env ? strtoull(env, NULL, 10) : 0;

	return n ? n : VPAR_SPAN;
}

struct vspan {
	uint64_t from, to;	/* records [from, to) */
	uint64_t good;		/* pass A: good records from `from` */
	const struct vlog_rec *recs;
	uint64_t n[256];	/* good records without error, per ddir */
	uint64_t errors[256];
	unsigned char ctx[256]; /* one of them has context */
	size_t at[256];		/* pass B: the place of its next sample per ddir */
};

struct vpar {
	struct vlog_reader *r;
	struct by_ddir *d;
	unsigned int n;
	uint64_t len;		/* records per span */
	struct vspan span[PAR_MAX];
};

static void span_count(void *arg, unsigned int t)
{
	struct vspan *sp = &((struct vpar *)arg)->span[t];
	uint64_t k;

	memset(sp->n, 0, sizeof(sp->n));
	memset(sp->errors, 0, sizeof(sp->errors));
	memset(sp->ctx, 0, sizeof(sp->ctx));
	sp->good = vlog_reader_span(((struct vpar *)arg)->r, sp->from, sp->to, &sp->recs);
	for (k = 0; k < sp->good; k++) {
		const struct vlog_rec *rec = &sp->recs[k];

		if (rec->error) {
			sp->errors[rec->ddir]++;
			continue;
		}
		sp->n[rec->ddir]++;
		sp->ctx[rec->ddir] |= rec_ctx(rec).bits != 0;
	}
}

static void span_store(void *arg, unsigned int t)
{
	struct vpar *vp = arg;
	struct vspan *sp = &vp->span[t];
	uint64_t k;

	for (k = 0; k < sp->good; k++) {
		const struct vlog_rec *rec = &sp->recs[k];
		struct sample_set *s = vp->d->sets[rec->ddir];
		size_t j;

		if (rec->error)
			continue;
		j = sp->at[rec->ddir]++;
		s->lat_ns[j] = rec->lat_ns;
		if (s->t_ns)
			s->t_ns[j] = rec->issue_ns;
		if (s->ctx)
			s->ctx[j] = rec_ctx(rec);
	}
}

/* Places for span SP's samples, sets made as needed; 1 when it ends the records. */
static int span_place(struct vpar *vp, struct vspan *sp, const char *path,
		      const struct load_opts *o)
{
	unsigned int dd;

	for (dd = 0; dd < 256; dd++) {
		struct sample_set *s = vp->d->sets[dd];

		if (!sp->n[dd] && !sp->errors[dd])
			continue;
		if (!s && !(s = set_for(vp->d->sets, dd, path, vp->r, o)))
			return -ENOMEM;
		if (sp->ctx[dd] && !s->ctx && sample_set_ctx_on(s))
			return -ENOMEM;
		vp->d->errors[dd] += sp->errors[dd];
		sp->at[dd] = s->n;
		s->n += sp->n[dd];
	}
	return sp->good < sp->to - sp->from;
}

/* One round from record FROM: the number of good records in it, or -ENOMEM. */
static int64_t round_run(struct vpar *vp, uint64_t from, const char *path,
			 const struct load_opts *o)
{
	unsigned int t, ended = 0;
	uint64_t good = 0;
	int ret = 0;

	for (t = 0; t < vp->n; t++) {
		uint64_t a = from + t * vp->len;

		vp->span[t].from = a < vp->r->slots ? a : vp->r->slots;
		vp->span[t].to = a + vp->len < vp->r->slots ? a + vp->len : vp->r->slots;
	}
	par_run(vp->n, span_count, vp);
	for (t = 0; t < vp->n && !ret; t++) {
		if (ended) {
			vp->span[t].good = 0; /* after the first bad record: nothing */
			continue;
		}
		ret = span_place(vp, &vp->span[t], path, o);
		good += vp->span[t].good;
		ended = ret == 1;
		ret = ret < 0 ? ret : 0;
	}
	if (ret)
		return ret;
	par_run(vp->n, span_store, vp);
	return (int64_t)good;
}

/* Threads for R: VMLAT_THREADS when set (any size), else one per 2^18 records. */
static unsigned int vpar_threads(const struct vlog_reader *r, const struct load_opts *o)
{
	unsigned int n = par_cpus();

	if (!vlog_reader_in_place(r) || (o && o->hist))
		return 1;
	if (!(getenv("VMLAT_THREADS") && *getenv("VMLAT_THREADS")) && n > r->slots >> 18)
		n = (unsigned int)(r->slots >> 18);
	return n < 1 ? 1 : n;
}

/* read_records() on every core; ends the reader as its last call would. */
static int read_parallel(struct by_ddir *d, const char *path, struct vlog_reader *r,
			 unsigned int n, const struct load_opts *o)
{
	struct vpar *vp = calloc(1, sizeof(*vp));
	uint64_t at = 0;
	int64_t got = 0;

	if (!vp)
		return -ENOMEM;
	vp->r = r;
	vp->d = d;
	vp->n = n;
	vp->len = vpar_span();
	while (at < r->slots) {
		got = round_run(vp, at, path, o);
		if (got < 0)
			break;
		at += (uint64_t)got;
		vlog_reader_drop_before(r, at);
		if ((uint64_t)got < n * vp->len)
			break; /* a bad record, or the last record */
	}
	free(vp);
	return got < 0 ? (int)got : vlog_reader_end(r, at);
}

static int hand_over(struct by_ddir *d, struct sample_list *out)
{
	char num[24];
	int i, ret = 0;

	for (i = 0; i < 256; i++) {
		if (!d->sets[i])
			continue;
		snprintf(num, sizeof(num), "%llu", (unsigned long long)d->errors[i]);
		if (!ret)
			ret = labels_set(&d->sets[i]->labels, "errors", num);
		if (!ret)
			ret = sample_list_add(out, d->sets[i]);
		else
			sample_set_free(d->sets[i]);
		d->sets[i] = NULL;
	}
	return ret;
}

/* What a finished read says about the log; 0 when it loads. */
static int judge(struct vlog_reader *r, int ret, struct load_err *err)
{
	if (ret == -ENOMEM)
		load_err_set(err, 0, "out of memory");
	else if (ret)
		load_err_at(err, r->err_offset, "%s", r->err);
	else if (r->tail == VLOG_TAIL_TORN) {
		/* every intact record counts; the damage is reported, exit 2 */
		load_err_set(err, 0, "byte %llu: %s; the %llu records before it are used",
			     (unsigned long long)r->err_offset, r->err, (unsigned long long)r->nrec);
		err->partial = 1;
	} else if (r->tail == VLOG_TAIL_OPEN)
		load_err_at(err, 0, "warning: log was not closed (writer killed?); %llu records are intact",
			    (unsigned long long)r->nrec);
	else if (vlog_reader_get(r, "ctx.steal.error"))
		load_err_at(err, 0, "warning: steal samples stop after record %s (%s)",
			    vlog_reader_get(r, "ctx.steal.lost_after_record") ?: "?",
			    vlog_reader_get(r, "ctx.steal.error"));
	return ret;
}

int load_vlog(struct sample_list *out, const char *path, const struct load_opts *o,
	      struct load_err *err)
{
	struct vlog_reader r;
	struct by_ddir *d;
	int ret = vlog_reader_open_stream(&r, path), i;
	unsigned int n;

	if (ret) {
		load_err_at(err, r.err_offset, "%s", r.err);
		return ret;
	}
	ret = load_check_room(r.slots, o, err); /* every record slot */
	if (ret) {
		vlog_reader_release(&r);
		return ret;
	}
	d = calloc(1, sizeof(*d));
	if (!d)
		ret = -ENOMEM;
	else if ((n = vpar_threads(&r, o)) > 1)
		ret = read_parallel(d, path, &r, n, o);
	else
		ret = read_records(d, path, &r, o);
	ret = judge(&r, ret, err);
	if (!ret)
		ret = hand_over(d, out);
	if (ret == -ENOMEM)
		load_err_set(err, 0, "out of memory");
	for (i = 0; d && i < 256; i++)
		sample_set_free(d->sets[i]);
	free(d);
	vlog_reader_release(&r);
	return ret;
}
