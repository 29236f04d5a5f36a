/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * io_uring.c - the io_uring backend of vmlat_io=io_uring (io_async.h),
 * through liburing.
 *
 * It sets the ring up as fio 3.33's io_uring engine does (a CQ as deep as
 * the SQ, COOP_TASKRUN, SINGLE_ISSUER with DEFER_TASKRUN, each dropped when the
 * kernel refuses it), uses non-vectored IORING_OP_READ/WRITE (fio's default
 * where the kernel has them, as 5.6+ kernels do), submits with
 * IORING_ENTER_GETEVENTS like fio's commit, and reaps like fio's getevents:
 * whatever the CQ ring holds, then io_uring_enter(0, min, GETEVENTS) when
 * that is not enough.  The options fio's engine adds (fixedbufs,
 * registerfiles, sqthread_poll, hipri, ...) are refused by name
 * (options.c).
 */
#include <errno.h>
#include <stdlib.h>

#include <liburing.h>

#include "fio.h"

#include "io_async.h"

struct uring {
	struct io_uring ring;
};

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

static int uring_setup(struct vmlat_async *a, unsigned int depth)
{
	struct uring *u = calloc(1, sizeof(*u));
	int ret;

	if (!u)
		return -ENOMEM;
	ret = uring_init(u, depth);
	if (ret) {
		free(u);
		return ret;
	}
	a->be_data = u;
	return 0;
}

static int uring_prep(struct vmlat_async *a, struct io_u *io_u)
{
	struct uring *u = a->be_data;
	struct io_uring_sqe *sqe = io_uring_get_sqe(&u->ring);

	if (!sqe)
		return -EBUSY;
	if (io_u->ddir == DDIR_READ)
		io_uring_prep_read(sqe, io_u->file->fd, io_u->xfer_buf,
				   (unsigned int)io_u->xfer_buflen, io_u->offset);
	else
		io_uring_prep_write(sqe, io_u->file->fd, io_u->xfer_buf,
				    (unsigned int)io_u->xfer_buflen, io_u->offset);
	io_uring_sqe_set_data(sqe, io_u);
	return 0;
}

/* The prepped SQEs are in the ring in queue order; the kernel takes the oldest first. */
static int uring_submit(struct vmlat_async *a, struct io_u **io_us, unsigned int nr)
{
	struct uring *u = a->be_data;

	(void)io_us;
	(void)nr;
	return io_uring_submit_and_get_events(&u->ring);
}

/* Take what the CQ ring holds, up to MAX - GOT, into a->cqes[GOT...]. */
static unsigned int uring_take(struct uring *u, struct vmlat_async *a, unsigned int got,
			       unsigned int max)
{
	struct io_uring_cqe *cqe;
	unsigned int head, n = 0;

	io_uring_for_each_cqe(&u->ring, head, cqe) {
		if (got + n == max)
			break;
		a->cqes[got + n].io_u = io_uring_cqe_get_data(cqe);
		a->cqes[got + n].res = cqe->res;
		n++;
	}
	if (n)
		io_uring_cq_advance(&u->ring, n);
	return n;
}

static int uring_reap(struct thread_data *td, struct vmlat_async *a, unsigned int min,
		      unsigned int max, const struct timespec *t)
{
	struct uring *u = a->be_data;
	unsigned int wait = td->o.iodepth_batch_complete_min == 0 ? 0 : min;
	unsigned int got = 0, n;
	int r;

	(void)t; /* fio's io_uring engine waits without a timeout too */
	do {
		n = uring_take(u, a, got, max);
		if (n) {
			got += n;
			wait = wait > n ? wait - n : 0;
			continue;
		}
		r = io_uring_enter(u->ring.ring_fd, 0, wait, IORING_ENTER_GETEVENTS, NULL);
		if (r < 0 && r != -EAGAIN && r != -EINTR)
			return r;
	} while (got < min);
	return (int)got;
}

static void uring_teardown(struct vmlat_async *a)
{
	struct uring *u = a->be_data;

	io_uring_queue_exit(&u->ring);
	free(u);
	a->be_data = NULL;
}

const struct vmlat_backend vmlat_uring_backend = {
	.name = "io_uring",
	.setup = uring_setup,
	.prep = uring_prep,
	.submit = uring_submit,
	.reap = uring_reap,
	.teardown = uring_teardown,
};
