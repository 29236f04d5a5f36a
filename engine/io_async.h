/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * io_async.h - vmlat_io=io_uring|libaio: queued IO at any depth, each IO
 * still timed and placed.
 *
 * HOW A JOB BECOMES ASYNCHRONOUS
 *
 * fio reads an engine's hooks through td->io_ops and its behaviour flags
 * (FIO_SYNCIO, ...) from td->flags, both per job.  The exported "ioengine"
 * table is the psync one (engine/vmlat.c); a job with vmlat_io=io_uring or
 * libaio points its td->io_ops, at the end of init, at a copy of that table
 * whose IO hooks (prep, queue, commit, getevents, event) are its
 * backend's (struct vmlat_backend below), and clears FIO_SYNCIO in its
 * td->flags, so fio then drives it exactly as it drives its own io_uring
 * and libaio engines.  Every other hook (open,
 * close, the write guard, cleanup) is the base table's, copied when the
 * engine is loaded, so it stays one code path.  Cleanup points td->io_ops
 * back at the base table before fio unloads the engine.
 *
 * WHAT IS TIMED (the same interval as fio's clat, a subset of it)
 *
 * As fio's own engines do (FIO_ASYNCIO_SETS_ISSUE_TIME), commit stamps
 * every IO's issue_time on fio's clock once the submit call has returned;
 * fio computes clat from that stamp.  The engine stamps again once the
 * reap call (io_getevents, io_uring_enter) that returned the completion
 * has returned, before handing the events to fio, which stamps its own
 * completion time after that.  lat_ns is the difference: never above
 * fio's clat for the same IO.  An IO that the kernel finishes inside the
 * submit call (a page-cache hit through io_uring) did its work before the
 * issue stamp, in fio's slat, exactly as in fio's clat.
 *
 * cpu_submit is the vCPU just before the submit call that carried the IO,
 * cpu_complete the vCPU just after the reap call that returned it.
 * inflight is the number of this job's IOs already submitted and not yet
 * reaped when the call was made, plus those ahead of it in the same call.
 * vmlat_ctx= counters bracket the reap call (one pair per reap, shared by
 * the IOs it returned): what the thread went through while it waited.
 *
 * fsync and trim are done synchronously, through the psync path, once
 * nothing is in flight (FIO_Q_BUSY until then), as fio's libaio engine does.
 *
 * CRASH SAFETY: a record is written when fio takes the completion (the
 * event hook), so after SIGKILL the log holds every IO that was reaped;
 * IOs submitted and not reaped at the kill are absent (the header key
 * io.inflight_at_kill says so), never half-written.
 *
 * The per-IO path allocates nothing and makes no syscall besides the
 * submit and reap calls (amortised over a batch) and two clock reads per
 * batch; per-IO state lives in arrays sized by iodepth at init.
 */
#ifndef VMLAT_IO_ASYNC_H
#define VMLAT_IO_ASYNC_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "ctx.h"
#include "engine.h"

/* The backends' hooks and the helpers below use fio's types: include fio.h first. */

struct thread_data;
struct io_u;
struct vmlat_data;

enum vmlat_io_mode { VMLAT_IO_PSYNC = 0, VMLAT_IO_URING, VMLAT_IO_LIBAIO };

/* What the engine keeps of an IO between its submit and its reap. */
struct vmlat_slot {
	uint32_t inflight;
	uint16_t cpu_submit;
};

struct vmlat_async;

/*
 * A backend: a kernel interface and fio's IO hooks for it.
 *   data_bytes  the size of its per-job data for DEPTH IOs, which the
 *               shared setup allocates, zeroed, in one block with the
 *               rest of the job's per-IO state (a->be_data)
 *   setup       create the queue for DEPTH IOs: 0 or -errno, prints nothing
 *   teardown    release what setup made (not a->be_data)
 *   prep, queue, commit, getevents, event
 *               its IO hooks, fio's hooks of those names
 * The hooks follow fio 3.33's engine of the same name step for step, so
 * that fio's accounting (slat, clat, submit and complete depths,
 * iodepth_batch_*) sees the same calls, and so that they cost what fio's
 * do: an earlier shared queue in front of both backends cost io_uring 2-5%
 * of its IOPS (BENCHMARKS.md).  What they add goes through the helpers
 * below, the same for every backend.
 */
struct vmlat_backend {
	const char *name;
	size_t (*data_bytes)(unsigned int depth);
	int (*setup)(struct vmlat_async *a, unsigned int depth);
	void (*teardown)(struct vmlat_async *a);
	int (*prep)(struct thread_data *td, struct io_u *io_u);
	enum fio_q_status (*queue)(struct thread_data *td, struct io_u *io_u);
	int (*commit)(struct thread_data *td);
	int (*getevents)(struct thread_data *td, unsigned int min, unsigned int max,
			 const struct timespec *t);
	struct io_u *(*event)(struct thread_data *td, int event);
};

struct vmlat_async {
	const struct vmlat_backend *be;
	void *be_data;		 /* the backend's, in this block (data_bytes) */
	int be_ready;		 /* setup succeeded: teardown at cleanup */
	unsigned int depth;
	unsigned int nq;	 /* queued, not yet submitted */
	unsigned int inflight;	 /* submitted, not yet reaped */
	struct vmlat_slot *slot; /* by io_u->index */
	struct timespec reap_time;
	uint16_t reap_cpu;
	struct vmlat_ctx_sample c0, c1;
};

extern const struct vmlat_backend vmlat_uring_backend;
extern const struct vmlat_backend vmlat_libaio_backend;

/*
 * vmlat_io_parse - vmlat_io=VALUE to a mode.  Returns 0, or -EINVAL (an
 * unknown value) or -ENOTSUP (a mode this build lacks) with ERR naming the
 * option.
 */
int vmlat_io_parse(const char *value, enum vmlat_io_mode *mode, char *err, size_t err_len);

/*
 * vmlat_io_check - refuse what an async job cannot do (offloaded submit),
 * before anything is set up.  0 or -EINVAL with ERR.
 */
int vmlat_io_check(struct thread_data *td, enum vmlat_io_mode mode, char *err, size_t err_len);

/*
 * vmlat_async_setup - create the kernel queue for the job's iodepth and
 * its per-IO arrays, from the thread that does the IO.  0, or -errno with
 * ERR naming the errno (e.g. io_uring refused by the kernel or a seccomp
 * filter).  vmlat_async_switch then points the job at the async hooks (see
 * above): call it last in init, when nothing can fail any more.
 */
int vmlat_async_setup(struct thread_data *td, struct vmlat_data *vd, char *err, size_t err_len);
void vmlat_async_switch(struct thread_data *td);

/*
 * vmlat_io_start - the job's vmlat_io=VALUE: parse and check it, set up
 * the queue and switch the job to the async hooks (psync: nothing to do).
 * Called by init once the per-IO context is open; cleanup undoes it
 * (vmlat_async_cleanup), also after a failure here.  0 or -errno with ERR
 * naming the option, and the errno where the kernel refused.
 */
int vmlat_io_start(struct thread_data *td, struct vmlat_data *vd, const char *value, char *err,
		   size_t err_len);

/* Undo vmlat_async_setup (and the switch); safe when it never ran. */
void vmlat_async_cleanup(struct thread_data *td, struct vmlat_data *vd);

/* The io.* header keys of VD's mode (psync too).  0 or -ENOMEM. */
struct vlog_text;
int vmlat_io_header(const struct thread_data *td, const struct vmlat_data *vd,
		    struct vlog_text *t);

/* "psync", or "psync, io_uring, libaio", as this build has them. */
const char *vmlat_io_built(void);

/*
 * HELPERS FOR THE BACKENDS' IO HOOKS: what every mode does per IO, in one
 * place.  The per-IO ones are inline: they run once per IO, between fio's
 * own calls.
 */
#ifdef FIO_IOOPS_VERSION

static inline struct vmlat_async *vmlat_async_of(struct thread_data *td)
{
	return ((struct vmlat_data *)td->io_ops_data)->async;
}

/* IO_U went to the kernel at NOW on CPU with INFLIGHT ahead of it. */
static inline void vmlat_async_issued(struct thread_data *td, struct vmlat_async *a,
				      struct io_u *io_u, const struct timespec *now,
				      unsigned int inflight, uint16_t cpu, int fill)
{
	struct vmlat_slot *s = &a->slot[io_u->index];

	io_u->issue_time = *now;
	s->cpu_submit = cpu;
	s->inflight = inflight;
	if (fill)
		io_u_queued(td, io_u);
}

/* After vmlat_async_issued for each of the NR IOs one submit call took. */
static inline void vmlat_async_submitted(struct thread_data *td, struct vmlat_async *a,
					 unsigned int nr, const struct timespec *now, int fill)
{
	if (fill && td->o.read_iolog_file)
		td->last_issue = *now;
	io_u_mark_submit(td, nr);
	a->inflight += nr;
	a->nq -= nr;
}

/* The record of IO_U, reaped by the last reap call (vd->logging is set). */
void vmlat_async_record(struct thread_data *td, struct vmlat_data *vd,
			const struct vmlat_async *a, const struct io_u *io_u);

/*
 * The body of every event hook: IO_U's result from the kernel (RES: bytes
 * done or -errno), accounted as fio's engines do, then its record.
 */
static inline struct io_u *vmlat_async_event(struct thread_data *td, struct io_u *io_u,
					     long long res)
{
	struct vmlat_data *vd = td->io_ops_data;

	io_u->error = 0;
	if (res < 0)
		io_u->error = (unsigned int)-res;
	else if ((unsigned long long)res != io_u->xfer_buflen)
		io_u->resid = io_u->xfer_buflen - (unsigned long long)res;
	if (vd->logging)
		vmlat_async_record(td, vd, vd->async, io_u);
	return io_u;
}

/* Around a reap call: the context counters, then the reap's time and vCPU. */
static inline void vmlat_async_reap_begin(struct vmlat_data *vd, struct vmlat_async *a)
{
	if (vd->ctx.mask)
		vmlat_ctx_sample(&vd->ctx, &a->c0);
}

static inline void vmlat_async_reap_end(struct vmlat_data *vd, struct vmlat_async *a,
					unsigned int reaped)
{
	fio_gettime(&a->reap_time, NULL);
	a->reap_cpu = vmlat_cpu_now();
	if (vd->ctx.mask)
		vmlat_ctx_sample(&vd->ctx, &a->c1);
	a->inflight -= reaped;
}

/* fio's libaio engine gives up after 30 s of EAGAIN with nothing to reap */
struct vmlat_stall {
	struct timespec since;
	int waiting;
};

/*
 * What a commit hook's loop does after a submit call that took no IO
 * (RET: 0 or -errno), as fio's engines do: RETRY (the kernel took none,
 * or the call was interrupted), YIELD (the kernel is full and IOs are in
 * flight: return 0, fio reaps and commits again) or FAIL (give up with
 * RET: out of memory, 30 s of EAGAIN with nothing in flight, said with
 * log_err, or any other error).
 */
enum vmlat_submit_next { VMLAT_SUBMIT_RETRY, VMLAT_SUBMIT_YIELD, VMLAT_SUBMIT_FAIL };
enum vmlat_submit_next vmlat_async_not_taken(const struct vmlat_async *a, int ret,
					     struct vmlat_stall *stall);

/*
 * vmlat_async_commit - the body of every backend's commit hook: SUBMIT
 * (one submit call of what is queued, stamping what the kernel took;
 * returns how many, 0 or -errno) until nothing is queued, with
 * vmlat_async_not_taken deciding after a call that took nothing.  0, or
 * -errno after td_verror naming WHAT.  Inline, with SUBMIT a backend's
 * static function: the compiler makes it that backend's own loop, with
 * no indirect call.
 */
static inline int vmlat_async_commit(struct thread_data *td, struct vmlat_async *a,
				     const char *what,
				     int (*submit)(struct thread_data *, struct vmlat_async *))
{
	struct vmlat_stall stall = { 0 };
	enum vmlat_submit_next next;
	int ret = 0;

	while (a->nq) {
		ret = submit(td, a);
		if (ret > 0) {
			stall.waiting = 0;
			ret = 0;
			continue;
		}
		next = vmlat_async_not_taken(a, ret, &stall);
		if (next == VMLAT_SUBMIT_YIELD)
			return 0;
		if (next == VMLAT_SUBMIT_FAIL)
			break;
		ret = 0;
	}
	if (ret)
		td_verror(td, -ret, what);
	return ret;
}

/* fsync and trim: synchronously, through the psync path, once nothing is in flight. */
enum fio_q_status vmlat_async_queue_sync(struct thread_data *td, struct vmlat_async *a,
					 struct io_u *io_u);

#endif /* FIO_IOOPS_VERSION */

#endif /* VMLAT_IO_ASYNC_H */
