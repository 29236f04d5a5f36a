/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * io_uring.c - vmlat_io=io_uring (io_async.h): the ring set up through
 * liburing, the IO hooks driving it the way fio 3.33's own io_uring engine
 * does.
 *
 * Setup is fio's: a CQ as deep as the SQ, COOP_TASKRUN, SINGLE_ISSUER with
 * DEFER_TASKRUN, each dropped when the kernel refuses it.  The options
 * fio's engine adds (fixedbufs, registerfiles, sqthread_poll, hipri, ...)
 * are refused by name (options.c).
 *
 * THE HOOKS, fio's steps (why: io_async.h, struct vmlat_backend)
 *
 *   prep       writes the IO's SQE in the slot of its io_u->index
 *   queue      publishes that slot in the SQ ring (no syscall)
 *   commit     io_uring_enter(queued, 0, GETEVENTS), then stamps issue_time
 *              and vmlat's per-IO slot for the IOs the kernel took, found
 *              from the SQ ring's head before the call
 *   getevents  moves the CQ head over what is there, waiting when that is
 *              not enough, as fio's getevents does
 *   event      reads CQE number (head at the start of getevents + event)
 *              straight from the ring, and writes the record
 * What vmlat adds is only what io_async.h says it times and places: the
 * vCPU before each submit call, the clock and vCPU after each reap, the
 * context counters around it, and one record per completion.
 *
 * Reading CQEs after their head was released is safe as fio does it: the
 * CQ has at least iodepth entries, at most iodepth IOs are in flight, and
 * no new IO is submitted before fio has taken these events, so the kernel
 * cannot post over them.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include <liburing.h>

#include "fio.h"

#include "engine.h"
#include "io_async.h"
#include "syscall_inline.h"

struct uring {
	struct io_uring ring;
	/* the rings as the hooks use them, read once at setup */
	struct io_uring_sqe *sqes; /* the SQE of io_u->index is sqes[index] */
	unsigned int *sq_array, *sq_head, *sq_tail, sq_mask;
	struct io_uring_cqe *cqes;
	unsigned int *cq_head, *cq_tail, cq_mask;
	unsigned int cq_off;	/* the CQ head when the last getevents began */
	struct io_u **io_u_of;	/* by io_u->index: what commit stamps (after this struct) */
};

/*
 * io_uring_enter as fio's engine makes it on x86-64: the syscall inline
 * (why: syscall_inline.h).  Returns -errno on failure, as liburing's
 * function does, which other architectures call.
 */
static inline int uring_enter(int fd, unsigned int submit, unsigned int wait, unsigned int flags)
{
#if VMLAT_INLINE_SYSCALL
	return (int)vmlat_syscall6(__NR_io_uring_enter, fd, submit, wait, flags, 0, 0);
#else
	return io_uring_enter((unsigned int)fd, submit, wait, flags, NULL);
#endif
}

static size_t uring_data_bytes(unsigned int depth)
{
	return sizeof(struct uring) + depth * sizeof(struct io_u *);
}

/* fio's flags, newest first, each dropped on EINVAL from an older kernel */
static int uring_init(struct uring *u, unsigned int depth)
{
	struct io_uring_params p = { 0 };
	int ret;

	p.flags = IORING_SETUP_CQSIZE | IORING_SETUP_COOP_TASKRUN | IORING_SETUP_SINGLE_ISSUER |
		  IORING_SETUP_DEFER_TASKRUN;
	p.cq_entries = depth; /* as fio's engine: CQSIZE with depth entries */
	for (;;) {
		ret = io_uring_queue_init_params(depth, &u->ring, &p);
		if (ret != -EINVAL)
			return ret;
		if (p.flags & IORING_SETUP_DEFER_TASKRUN)
			p.flags &= ~(IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER);
		else if (p.flags & IORING_SETUP_COOP_TASKRUN)
			p.flags &= ~IORING_SETUP_COOP_TASKRUN;
		else if (p.flags & IORING_SETUP_CQSIZE)
			p.flags &= ~IORING_SETUP_CQSIZE;
		else
			return ret;
	}
}

static void uring_map(struct uring *u)
{
	struct io_uring_sq *sq = &u->ring.sq;
	struct io_uring_cq *cq = &u->ring.cq;

	u->sqes = sq->sqes;
	u->sq_array = sq->array;
	u->sq_head = sq->khead;
	u->sq_tail = sq->ktail;
	u->sq_mask = *sq->kring_mask;
	u->cqes = cq->cqes;
	u->cq_head = cq->khead;
	u->cq_tail = cq->ktail;
	u->cq_mask = *cq->kring_mask;
}

static int uring_setup(struct vmlat_async *a, unsigned int depth)
{
	struct uring *u = a->be_data;
	int ret;

	u->io_u_of = (struct io_u **)(u + 1);
	ret = uring_init(u, depth);
	if (!ret)
		uring_map(u);
	return ret;
}

static void uring_teardown(struct vmlat_async *a)
{
	struct uring *u = a->be_data;

	io_uring_queue_exit(&u->ring);
}

static int uring_prep(struct thread_data *td, struct io_u *io_u)
{
	struct uring *u = vmlat_async_of(td)->be_data;
	struct io_uring_sqe *sqe = &u->sqes[io_u->index];

	if (io_u->ddir == DDIR_READ)
		io_uring_prep_read(sqe, io_u->file->fd, io_u->xfer_buf,
				   (unsigned int)io_u->xfer_buflen, io_u->offset);
	else if (io_u->ddir == DDIR_WRITE)
		io_uring_prep_write(sqe, io_u->file->fd, io_u->xfer_buf,
				    (unsigned int)io_u->xfer_buflen, io_u->offset);
	/* fsync and trim are done synchronously by the queue hook */
	sqe->user_data = (uintptr_t)io_u;
	return 0;
}

/*
 * The SQ ring cannot be full here: the kernel takes SQEs only inside
 * io_uring_enter, so the ring holds at most the a->nq <= iodepth queued ones.
 */
static enum fio_q_status uring_queue(struct thread_data *td, struct io_u *io_u)
{
	struct vmlat_async *a = vmlat_async_of(td);
	struct uring *u = a->be_data;
	unsigned int tail;

	fio_ro_check(td, io_u);
	if (!ddir_rw(io_u->ddir))
		return vmlat_async_queue_sync(td, a, io_u);
	if (a->nq == a->depth)
		return FIO_Q_BUSY;
	u->io_u_of[io_u->index] = io_u;
	tail = *u->sq_tail;
	u->sq_array[tail & u->sq_mask] = io_u->index;
	io_uring_smp_store_release(u->sq_tail, tail + 1);
	a->nq++;
	return FIO_Q_QUEUED;
}

/* The NR IOs the kernel took from SQ ring position HEAD on were submitted on CPU. */
static void uring_submitted(struct thread_data *td, struct vmlat_async *a, struct uring *u,
			    unsigned int head, unsigned int nr, uint16_t cpu)
{
	struct timespec now;
	int fill = fio_fill_issue_time(td);
	unsigned int i;

	fio_gettime(&now, NULL);
	for (i = 0; i < nr; i++) {
		struct io_u *io_u = u->io_u_of[u->sq_array[(head + i) & u->sq_mask]];

		vmlat_async_issued(td, a, io_u, &now, a->inflight + i, cpu, fill);
	}
	vmlat_async_submitted(td, a, nr, &now, fill);
}

/* One io_uring_enter for what is queued; the IOs it took are stamped. */
static inline int uring_submit(struct thread_data *td, struct vmlat_async *a)
{
	struct uring *u = a->be_data;
	uint16_t cpu = vmlat_cpu_now();
	unsigned int head = *u->sq_head;
	int ret = uring_enter(u->ring.ring_fd, a->nq, 0, IORING_ENTER_GETEVENTS);

	if (ret > 0)
		uring_submitted(td, a, u, head, (unsigned int)ret, cpu);
	return ret;
}

static int uring_commit(struct thread_data *td)
{
	return vmlat_async_commit(td, vmlat_async_of(td), "io_uring", uring_submit);
}

/* Move the CQ head over what the ring holds, at most MAX; how many. */
static unsigned int uring_take(struct uring *u, unsigned int max)
{
	unsigned int head = *u->cq_head;
	unsigned int n = io_uring_smp_load_acquire(u->cq_tail) - head;

	if (n > max)
		n = max;
	if (n)
		io_uring_smp_store_release(u->cq_head, head + n);
	return n;
}

static int uring_getevents(struct thread_data *td, unsigned int min, unsigned int max,
			   const struct timespec *t)
{
	struct vmlat_data *vd = td->io_ops_data;
	struct vmlat_async *a = vd->async;
	struct uring *u = a->be_data;
	unsigned int wait = td->o.iodepth_batch_complete_min == 0 ? 0 : min;
	unsigned int got = 0, n;
	int r = 0;

	(void)t; /* fio's io_uring engine waits without a timeout too */
	vmlat_async_reap_begin(vd, a);
	u->cq_off = *u->cq_head;
	do {
		n = uring_take(u, max - got);
		if (n) {
			got += n;
			wait = wait > n ? wait - n : 0;
			continue;
		}
		r = uring_enter(u->ring.ring_fd, 0, wait, IORING_ENTER_GETEVENTS);
		if (r < 0 && r != -EAGAIN && r != -EINTR)
			break;
		r = 0;
	} while (got < min);
	vmlat_async_reap_end(vd, a, r < 0 ? 0 : got);
	return r < 0 ? r : (int)got;
}

static struct io_u *uring_event(struct thread_data *td, int event)
{
	const struct uring *u = vmlat_async_of(td)->be_data;
	const struct io_uring_cqe *cqe = &u->cqes[(u->cq_off + (unsigned int)event) & u->cq_mask];

	return vmlat_async_event(td, (struct io_u *)(uintptr_t)cqe->user_data, cqe->res);
}

const struct vmlat_backend vmlat_uring_backend = {
	.name = "io_uring",
	.data_bytes = uring_data_bytes,
	.setup = uring_setup,
	.teardown = uring_teardown,
	.prep = uring_prep,
	.queue = uring_queue,
	.commit = uring_commit,
	.getevents = uring_getevents,
	.event = uring_event,
};
