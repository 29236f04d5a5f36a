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

struct thread_data;
struct io_u;
struct ioengine_ops;
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
 *   hooks       set prep, queue, commit, getevents and event in OPS
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
	void (*hooks)(struct ioengine_ops *ops);
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
 * own calls, and need fio.h, included before this file.
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

/* The kernel's result for IO_U, as fio's engines account it. */
static inline void vmlat_async_result(struct io_u *io_u, long long res)
{
	io_u->error = 0;
	if (res < 0)
		io_u->error = (unsigned int)-res;
	else if ((unsigned long long)res != io_u->xfer_buflen)
		io_u->resid = io_u->xfer_buflen - (unsigned long long)res;
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

/* 1: give up (said with log_err), 0: try again (after a 1 us sleep) */
int vmlat_async_stalled(struct vmlat_stall *s);

/* fsync and trim: synchronously, through the psync path, once nothing is in flight. */
enum fio_q_status vmlat_async_queue_sync(struct thread_data *td, struct vmlat_async *a,
					 struct io_u *io_u);

/* The record of IO_U, reaped by the last reap call (vd->logging is set). */
void vmlat_async_record(struct thread_data *td, struct vmlat_data *vd,
			const struct vmlat_async *a, const struct io_u *io_u);

#endif /* FIO_IOOPS_VERSION */

#endif /* VMLAT_IO_ASYNC_H */
