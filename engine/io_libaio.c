/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * io_libaio.c - vmlat_io=libaio (io_async.h): Linux native AIO through
 * libaio, the IO hooks driving it the way fio 3.33's own libaio engine
 * does, for the reason io_uring.c gives.
 *
 * One io_queue_init(iodepth) context.  prep fills the iocb of the IO's
 * io_u->index (an array made at setup, so this does not depend on how
 * fio itself was configured); queue appends it to the list the next
 * io_submit takes, in queue order; commit submits that list and stamps
 * the IOs the kernel took; getevents calls io_getevents with fio's timeout
 * and its minimum (0 when iodepth_batch_complete_min=0), committing while
 * it waits when nothing came back; event reads the completion where
 * io_getevents put it.  fio's userspace_reap, nowait and cmdprio* options
 * are refused by name (options.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libaio.h>

#include "fio.h"

#include "engine.h"
#include "io_async.h"

/* The arrays follow the struct, in the block io_async.c allocates. */
struct laio {
	io_context_t ctx;
	struct iocb *iocb;	 /* by io_u->index */
	struct io_event *events; /* the last getevents' completions */
	struct iocb **submit;	 /* queued, not yet submitted: submit[head .. head+nq) */
	unsigned int head;
};

static size_t laio_data_bytes(unsigned int depth)
{
	return sizeof(struct laio) +
	       depth * (sizeof(struct iocb) + sizeof(struct io_event) + sizeof(struct iocb *));
}

static int laio_setup(struct vmlat_async *a, unsigned int depth)
{
	struct laio *l = a->be_data;

	l->iocb = (struct iocb *)(l + 1);
	l->events = (struct io_event *)(l->iocb + depth);
	l->submit = (struct iocb **)(l->events + depth);
	return io_queue_init((int)depth, &l->ctx);
}

static void laio_teardown(struct vmlat_async *a)
{
	struct laio *l = a->be_data;

	io_queue_release(l->ctx);
}

static int laio_prep(struct thread_data *td, struct io_u *io_u)
{
	struct laio *l = vmlat_async_of(td)->be_data;
	struct iocb *cb = &l->iocb[io_u->index];

	if (io_u->ddir == DDIR_READ)
		io_prep_pread(cb, io_u->file->fd, io_u->xfer_buf, io_u->xfer_buflen,
			      (long long)io_u->offset);
	else if (io_u->ddir == DDIR_WRITE)
		io_prep_pwrite(cb, io_u->file->fd, io_u->xfer_buf, io_u->xfer_buflen,
			       (long long)io_u->offset);
	/* fsync and trim are done synchronously by the queue hook */
	cb->data = io_u;
	return 0;
}

static enum fio_q_status laio_queue(struct thread_data *td, struct io_u *io_u)
{
	struct vmlat_async *a = vmlat_async_of(td);
	struct laio *l = a->be_data;

	fio_ro_check(td, io_u);
	if (!ddir_rw(io_u->ddir))
		return vmlat_async_queue_sync(td, a, io_u);
	if (a->nq == a->depth)
		return FIO_Q_BUSY;
	if (l->head + a->nq == a->depth) { /* rare: a partial submit left a gap */
		memmove(l->submit, l->submit + l->head, a->nq * sizeof(*l->submit));
		l->head = 0;
	}
	l->submit[l->head + a->nq++] = &l->iocb[io_u->index];
	return FIO_Q_QUEUED;
}

/* The first NR queued IOs were submitted on CPU: stamp them as fio's engine does. */
static void laio_submitted(struct thread_data *td, struct vmlat_async *a, struct laio *l,
			   unsigned int nr, uint16_t cpu)
{
	struct timespec now;
	int fill = fio_fill_issue_time(td);
	unsigned int i;

	fio_gettime(&now, NULL);
	for (i = 0; i < nr; i++)
		vmlat_async_issued(td, a, l->submit[l->head + i]->data, &now, a->inflight + i,
				   cpu, fill);
	vmlat_async_submitted(td, a, nr, &now, fill);
	l->head = a->nq ? l->head + nr : 0;
}

/* One io_submit of what is queued; the IOs it took are stamped. */
static inline int laio_submit(struct thread_data *td, struct vmlat_async *a)
{
	struct laio *l = a->be_data;
	uint16_t cpu = vmlat_cpu_now();
	int ret = io_submit(l->ctx, (long)a->nq, l->submit + l->head);

	if (ret > 0)
		laio_submitted(td, a, l, (unsigned int)ret, cpu);
	return ret;
}

static int laio_commit(struct thread_data *td)
{
	return vmlat_async_commit(td, vmlat_async_of(td), "libaio", laio_submit);
}

static int laio_getevents(struct thread_data *td, unsigned int min, unsigned int max,
			  const struct timespec *t)
{
	struct vmlat_data *vd = td->io_ops_data;
	struct vmlat_async *a = vd->async;
	struct laio *l = a->be_data;
	unsigned int wait = td->o.iodepth_batch_complete_min == 0 ? 0 : min;
	struct timespec ts, *tp = NULL;
	unsigned int got = 0;
	int r;

	if (t) {
		ts = *t;
		tp = &ts;
	}
	vmlat_async_reap_begin(vd, a);
	do {
		r = io_getevents(l->ctx, wait, (long)(max - got), l->events + got, tp);
		if (r > 0) {
			got += (unsigned int)r;
		} else if ((min && r == 0) || r == -EAGAIN) {
			laio_commit(td);
			if (wait)
				usleep(10);
		} else if (r != -EINTR) {
			break;
		}
	} while (got < min);
	vmlat_async_reap_end(vd, a, r < 0 ? 0 : got);
	return r < 0 ? r : (int)got;
}

static struct io_u *laio_event(struct thread_data *td, int event)
{
	const struct laio *l = vmlat_async_of(td)->be_data;
	const struct io_event *ev = &l->events[event];

	return vmlat_async_event(td, ev->data, (long long)(long)ev->res);
}

const struct vmlat_backend vmlat_libaio_backend = {
	.name = "libaio",
	.data_bytes = laio_data_bytes,
	.setup = laio_setup,
	.teardown = laio_teardown,
	.prep = laio_prep,
	.queue = laio_queue,
	.commit = laio_commit,
	.getevents = laio_getevents,
	.event = laio_event,
};
