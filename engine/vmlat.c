/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vmlat.c - a fio external ioengine that times and records every IO.
 *
 * It behaves like fio's psync engine (pread/pwrite, fsync and trim through
 * fio's own helpers, fio's generic open so direct=1 means O_DIRECT) and adds
 * one record per IO to a vmlat log (lib/vlog.h): the engine's own latency
 * around the syscall, the vCPU before and after, and fio's issue time, which
 * joins the record to fio's own per-IO logs.  That is vmlat_io=psync, the
 * default; a job with vmlat_io=io_uring or libaio switches at init to the
 * queued hooks of io_async.c, which share this table's other hooks.
 *
 * The per-IO path is: sched_getcpu (glibc reads it from rseq, no syscall),
 * the IO, one read of fio's clock, sched_getcpu, a 64-byte store into a
 * mapped window.  The latency starts at the issue time fio stamped on the
 * same clock right before calling the engine (see timed_io), so it spans
 * the syscall plus a few instructions of fio's, on the very clock of fio's
 * clat.  fio's clock is the TSC as fio calibrated it where fio trusts the
 * TSC, clock_gettime otherwise; the header's "clock" key says which.
 * Per-IO context counters (vmlat_ctx=, ctx.h) are opt-in: each is a syscall.  Nothing here allocates, locks or prints; errors go
 * through fio (td_verror, log_err), never stdout, which may be fio's JSON.
 *
 * Built against a configured fio tree of the exact release that loads it:
 * fio shares its structs by layout and refuses any other FIO_IOOPS_VERSION.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fio.h"
#include "optgroup.h"

#include "ctx.h"
#include "engine.h"
#include "io_async.h"
#include "syscall_inline.h"

/* A record's ddir is fio's io_u->ddir as it is: the numberings must agree. */
#define SAME_DDIR(fio, vlog) ((int)(fio) == (int)(vlog))
_Static_assert(SAME_DDIR(DDIR_READ, VLOG_READ) && SAME_DDIR(DDIR_WRITE, VLOG_WRITE) &&
		       SAME_DDIR(DDIR_TRIM, VLOG_TRIM),
	       "fio's data directions are numbered as the log's");
_Static_assert(SAME_DDIR(DDIR_SYNC, VLOG_SYNC) && SAME_DDIR(DDIR_DATASYNC, VLOG_DATASYNC) &&
		       SAME_DDIR(DDIR_SYNC_FILE_RANGE, VLOG_SYNC_FILE_RANGE),
	       "fio's sync directions are numbered as the log's");

/*
 * pread/pwrite inline where the platform allows (why: syscall_inline.h;
 * page-cached psync reads went from 0.95 to 1.02 - 1.04 of fio's psync
 * engine).  Same contract as pread: bytes done, or -1 with errno set.
 * glibc's wrapper also marks a cancellation point: fio never cancels its
 * IO threads, so that buys the engine nothing.
 */
#if VMLAT_INLINE_SYSCALL
static inline ssize_t prw(long nr, int fd, void *buf, size_t len, off_t off)
{
	long ret = vmlat_syscall6(nr, fd, (long)buf, (long)len, (long)off, 0, 0);

	if (ret < 0) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}
#define VMLAT_PREAD(fd, buf, len, off) prw(__NR_pread64, fd, buf, len, off)
#define VMLAT_PWRITE(fd, buf, len, off) prw(__NR_pwrite64, fd, buf, len, off)
#else
#define VMLAT_PREAD(fd, buf, len, off) pread(fd, buf, len, off)
#define VMLAT_PWRITE(fd, buf, len, off) pwrite(fd, buf, len, off)
#endif

/* The IO itself; returns bytes done or -1 with io_u->error / errno set. */
static long long do_io(struct thread_data *td, struct io_u *io_u)
{
	struct fio_file *f = io_u->file;

	switch (io_u->ddir) {
	case DDIR_READ:
		return VMLAT_PREAD(f->fd, io_u->xfer_buf, io_u->xfer_buflen, (off_t)io_u->offset);
	case DDIR_WRITE:
		return VMLAT_PWRITE(f->fd, io_u->xfer_buf, io_u->xfer_buflen, (off_t)io_u->offset);
	case DDIR_TRIM:
		/* sets io_u->error itself; returns bytes trimmed or 0 */
		return do_io_u_trim(td, io_u) ? (long long)io_u->xfer_buflen : -1;
	default:
		return do_io_u_sync(td, io_u);
	}
}

/* Same accounting as fio's psync engine: short transfers become resid. */
static enum fio_q_status io_end(struct thread_data *td, struct io_u *io_u, long long ret)
{
	if (ret >= 0 && ret != (long long)io_u->xfer_buflen && ddir_rw(io_u->ddir)) {
		io_u->resid = io_u->xfer_buflen - (unsigned long long)ret;
		io_u->error = 0;
	} else if (ret < 0 && !io_u->error) {
		io_u->error = errno;
	}
	if (io_u->error) {
		io_u_log_error(td, io_u);
		td_verror(td, io_u->error, "xfer");
	}
	return FIO_Q_COMPLETED;
}

void vmlat_record(struct thread_data *td, struct vmlat_data *vd, const struct vlog_rec *rec)
{
	int ret = vlog_writer_append(&vd->log, rec);

	if (ret) {
		/* a log with holes would lie about the run: stop the job instead */
		log_err("vmlat: cannot extend log '%s': %s\n", vd->path, strerror(-ret));
		td_verror(td, -ret, "vmlat log");
		vd->logging = 0;
	}
}

/*
 * The timed part.  Latency starts at the issue time fio stamped on its clock
 * right before calling us (reading the clock again would cost ~20 ns per
 * IO), unless fio did not stamp it or context counters are sampled first:
 * their syscalls must not count as IO time, so then the engine stamps the
 * start itself, after them (own_start; the header's lat_start says which).
 */
static long long timed_io(struct thread_data *td, struct vmlat_data *vd, struct io_u *io_u,
			  struct vlog_rec *rec)
{
	struct vmlat_ctx_sample c0, c1;
	struct timespec t0, t1;
	long long ret;

	rec->cpu_submit = vmlat_cpu_now();
	if (vd->ctx.mask)
		vmlat_ctx_sample(&vd->ctx, &c0);
	if (vd->own_start)
		fio_gettime(&t0, NULL);
	else
		t0 = io_u->issue_time;
	ret = do_io(td, io_u);
	fio_gettime(&t1, NULL);
	if (vd->ctx.mask) {
		vmlat_ctx_sample(&vd->ctx, &c1);
		vmlat_ctx_fill(vd->ctx.mask, &c0, &c1, rec);
	}
	rec->cpu_complete = vmlat_cpu_now();
	rec->lat_ns = util_ns_since(&t0, &t1);
	return ret;
}

static enum fio_q_status vmlat_queue(struct thread_data *td, struct io_u *io_u)
{
	struct vmlat_data *vd = td->io_ops_data;
	struct vlog_rec rec = { 0 };
	long long ret;

	fio_ro_check(td, io_u);
	io_u->error = 0;
	ret = timed_io(td, vd, io_u, &rec);
	if (ret < 0 && !io_u->error)
		io_u->error = errno;
	if (vd->logging) {
		rec.offset = io_u->offset;
		rec.len = (uint32_t)io_u->xfer_buflen;
		rec.ddir = (uint8_t)io_u->ddir;
		rec.error = (uint16_t)io_u->error;
		rec.issue_ns = vd->fill_issue ? util_ns_since(&td->epoch, &io_u->issue_time) : 0;
		rec.ctx_mask |= VLOG_CTX_INFLIGHT; /* inflight = 0: nothing else is in flight */
		vmlat_record(td, vd, &rec);
	}
	return io_end(td, io_u, ret);
}

static int fail(struct thread_data *td, int err, const char *msg)
{
	log_err("vmlat: %s\n", msg);
	td_verror(td, err, "vmlat");
	return 1;
}

/*
 * Every file fio does IO on through this engine is opened here, whenever
 * fio adds it: the write guard runs at each open (guard_open.c).  fio's own
 * message for a failed open does not always name the file.
 */
static int vmlat_open_file(struct thread_data *td, struct fio_file *f)
{
	dev_t checked;
	int ret;

	if (vmlat_guard_open(td, f, &checked))
		return 1;
	ret = generic_open_file(td, f);
	if (ret)
		log_err("vmlat: filename=%s: cannot open: %s\n", f->file_name,
			strerror(td->error ? td->error : errno));
	else if (vmlat_guard_opened(td, f, checked)) {
		/* the refusal is what the job fails with; fio wants fd -1 then */
		if (generic_close_file(td, f))
			f->fd = -1;
		ret = 1;
	}
	return ret;
}

static void log_dir_error(const struct vmlat_options *o, const char *path, int e, char *err,
			  size_t len)
{
	snprintf(err, len, "vmlat_log_dir=%s: cannot create '%s': %s", o->log_dir ? o->log_dir : ".",
		 path, strerror(e));
}

/*
 * The log's path, and its directory checked before the probes run in it:
 * else they would warn about a directory the job then fails on anyway.
 */
static int log_path(struct thread_data *td, struct vmlat_data *vd, const struct vmlat_options *o)
{
	const char *dir = o->log_dir && *o->log_dir ? o->log_dir : ".";
	char err[8192];
	struct stat st;
	int ret = vmlat_log_path(td, o, vd->path, sizeof(vd->path), err, sizeof(err));

	if (ret)
		return fail(td, -ret, err);
	ret = stat(dir, &st) ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
	if (!ret)
		return 0;
	log_dir_error(o, vd->path, ret, err, sizeof(err));
	return fail(td, ret, err);
}

static int open_log(struct thread_data *td, struct vmlat_data *vd, const struct vmlat_options *o)
{
	struct vlog_text text;
	char err[8192];
	int ret;

	vlog_text_init(&text);
	ret = vmlat_header_text(td, o, vd, &text);
	if (ret) {
		vlog_text_release(&text);
		snprintf(err, sizeof(err), "vmlat_log: cannot build the header of '%s': %s", vd->path,
			 strerror(-ret));
		return fail(td, -ret, err);
	}
	ret = vlog_writer_open(&vd->log, vd->path, &text, 0, o->log_replace);
	vlog_text_release(&text);
	if (ret == -EEXIST)
		snprintf(err, sizeof(err),
			 "vmlat_log_name: '%s' exists (an earlier run?); move it away or set vmlat_log_replace=1",
			 vd->path);
	else if (ret)
		log_dir_error(o, vd->path, -ret, err, sizeof(err));
	if (ret)
		return fail(td, -ret, err);
	vd->opened = 1;
	vd->logging = 1;
	return 0;
}

/* The sampler thread starts after the log exists: it reads the record count. */
static int start_steal(struct thread_data *td, struct vmlat_data *vd, const struct vmlat_options *o)
{
	char path[sizeof(vd->path) + sizeof(VMLAT_STEAL_SUFFIX)], err[8192];
	int ret;

	snprintf(path, sizeof(path), "%s%s", vd->path, VMLAT_STEAL_SUFFIX);
	ret = vmlat_steal_start(&vd->sampler, &vd->log, path, o->log_replace, err, sizeof(err));
	return ret ? fail(td, -ret, err) : 0;
}

/* Once per process: every job of a run shares the clock. */
static void check_clock(struct vmlat_data *vd)
{
	static int warned;

	clock_check_run(&vd->clock);
	if ((vd->clock.slow || vd->clock.coarse) && !__atomic_exchange_n(&warned, 1, __ATOMIC_RELAXED))
		log_err("vmlat: warning: fio's clock costs %llu ns per read with a %llu ns step here: "
			"it is probably virtualized, and that cost is inside every latency\n",
			(unsigned long long)vd->clock.cost_ns,
			(unsigned long long)vd->clock.resolution_ns);
}

static int vmlat_init(struct thread_data *td)
{
	struct vmlat_options *o = td->eo;
	struct vmlat_data *vd;
	unsigned int ctx_mask;
	char err[8192];
	int ret;

	/* first: with another release's layout every field of td may be
	 * elsewhere, so this failure writes none (fio sets td->error itself) */
	if (vmlat_check_fio_release(fio_version_string, err, sizeof(err))) {
		log_err("vmlat: %s\n", err);
		return 1;
	}
	if (vmlat_check_tags(o->tags, err, sizeof(err)) ||
	    vmlat_ctx_parse(o->ctx, &ctx_mask, err, sizeof(err)))
		return fail(td, EINVAL, err);
	if (vmlat_guard_files(td))
		return 1;
	vd = calloc(1, sizeof(*vd));
	if (!vd)
		return fail(td, ENOMEM, "out of memory");
	td->io_ops_data = vd;
	vd->fill_issue = fio_fill_issue_time(td);
	vd->steal = !!(ctx_mask & VMLAT_CTX_STEAL);
	ctx_mask &= ~VMLAT_CTX_STEAL;
	if (vd->steal && !o->log)
		return fail(td, EINVAL, "vmlat_ctx=steal: needs the log (vmlat_log=1): its samples are joined to the records");
	if (vmlat_ctx_open(&vd->ctx, ctx_mask, err, sizeof(err)))
		return fail(td, EINVAL, err);
	vd->own_start = !vd->fill_issue || ctx_mask;
	ret = vmlat_io_start(td, vd, o->io, err, sizeof(err));
	if (ret)
		return fail(td, -ret, err);
	check_clock(vd);
	if (o->log && log_path(td, vd, o))
		return 1;
	/* the probes go into the log header: without a log they would be lost */
	if (o->log && o->probes)
		vd->probes = vmlat_probes_once(o->log_dir && *o->log_dir ? o->log_dir : ".");
	if (!o->log)
		return 0;
	if (open_log(td, vd, o))
		return 1;
	return vd->steal ? start_steal(td, vd, o) : 0;
}

/*
 * Close with the keys of the job's end (steal at job end) added to the
 * header, and say what really happened: a log that could not grow was
 * reported when it stopped (record()), and still closes with what it has.
 */
static void close_log(struct vmlat_data *vd)
{
	int grow_err = vd->log.err;
	struct vlog_text end;
	int ret;

	vlog_text_init(&end);
	ret = vmlat_header_end_text(vd, &end);
	if (!ret)
		ret = vlog_writer_close_text(&vd->log, &end);
	else
		ret = vlog_writer_close(&vd->log);
	vlog_text_release(&end);
	if (ret == -EMSGSIZE)
		log_err("vmlat: log '%s': no room left in the header for the end-of-job keys "
			"(run.end_*, run.steal_end_ns.*): closed without them\n", vd->path);
	else if (ret && ret == grow_err)
		log_err("vmlat: log '%s' closed with its first %llu records and the end-of-job keys; "
			"later IOs are not in it (%s)\n", vd->path,
			(unsigned long long)vd->log.count, strerror(-ret));
	else if (ret)
		log_err("vmlat: closing log '%s': %s\n", vd->path, strerror(-ret));
}

/* Samples that could not be written: the job fails, the header will say so. */
static void steal_lost(struct thread_data *td, struct vmlat_data *vd, int err)
{
	log_err("vmlat: steal samples of '%s' stop after record %llu: cannot write '%s%s': %s; "
		"steal_ns of later IOs is unknown\n", vd->path,
		(unsigned long long)vd->steal_lost_at, vd->path, VMLAT_STEAL_SUFFIX, strerror(-err));
	td_verror(td, -err, "vmlat steal");
	vd->steal_err = err;
}

static void vmlat_cleanup(struct thread_data *td)
{
	struct vmlat_data *vd;
	int ret;

	/* fio cleans up after a failed init too: for a job refused by
	 * vmlat_init, td->io_ops_data may not be where this build looks */
	if (vmlat_check_fio_release(fio_version_string, NULL, 0))
		return;
	vd = td->io_ops_data;
	if (!vd)
		return;
	if (vd->steal) {
		/* before the log closes: the last sample counts every record */
		ret = vmlat_steal_stop(&vd->sampler, &vd->steal_lost_at);
		if (ret)
			steal_lost(td, vd, ret);
	}
	if (vd->opened)
		close_log(vd);
	vmlat_async_cleanup(td, vd);
	vmlat_ctx_close(&vd->ctx);
	free(vd->late.listed);
	free(vd);
	td->io_ops_data = NULL;
}

__attribute__((visibility("default"))) struct ioengine_ops ioengine = {
	.name = "vmlat",
	.version = FIO_IOOPS_VERSION,
	.flags = FIO_SYNCIO,
	.init = vmlat_init,
	.queue = vmlat_queue,
	.cleanup = vmlat_cleanup,
	.open_file = vmlat_open_file,
	.close_file = generic_close_file,
	.get_file_size = generic_get_file_size,
	.options = vmlat_options,
	.option_struct_size = sizeof(struct vmlat_options),
};
