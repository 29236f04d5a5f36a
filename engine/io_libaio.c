/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * io_libaio.c - the Linux native AIO backend of vmlat_io=libaio
 * (io_async.h), through libaio.
 *
 * As fio 3.33's libaio engine: one io_queue_init(iodepth) context, an
 * iocb per IO submitted with io_submit in queue order, io_getevents with
 * fio's timeout and its minimum (0 when iodepth_batch_complete_min=0), a
 * commit while waiting when nothing came back.  The iocbs live in an array
 * indexed by io_u->index (made at setup), so this does not depend on how
 * fio itself was configured.  fio's userspace_reap, nowait and cmdprio*
 * options are refused by name (options.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <libaio.h>

#include "fio.h"

#include "io_async.h"

struct laio {
	io_context_t ctx;
	struct iocb *iocb;	   /* by io_u->index */
	struct iocb **submit;	   /* the argument of io_submit */
	struct io_event *events;
};

static void laio_free(struct laio *l)
{
	free(l->iocb);
	free(l->submit);
	free(l->events);
	free(l);
}

static int laio_setup(struct vmlat_async *a, unsigned int depth)
{
	struct laio *l = calloc(1, sizeof(*l));
	int ret;

	if (!l)
		return -ENOMEM;
	l->iocb = calloc(depth, sizeof(*l->iocb));
	l->submit = calloc(depth, sizeof(*l->submit));
	l->events = calloc(depth, sizeof(*l->events));
	ret = l->iocb && l->submit && l->events ? io_queue_init((int)depth, &l->ctx) : -ENOMEM;
	if (ret) {
		laio_free(l);
		return ret;
	}
	a->be_data = l;
	return 0;
}

static int laio_prep(struct vmlat_async *a, struct io_u *io_u)
{
	struct laio *l = a->be_data;
	struct iocb *cb = &l->iocb[io_u->index];

	if (io_u->ddir == DDIR_READ)
		io_prep_pread(cb, io_u->file->fd, io_u->xfer_buf, io_u->xfer_buflen,
			      (long long)io_u->offset);
	else
		io_prep_pwrite(cb, io_u->file->fd, io_u->xfer_buf, io_u->xfer_buflen,
			       (long long)io_u->offset);
	cb->data = io_u;
	return 0;
}

static int laio_submit(struct vmlat_async *a, struct io_u **io_us, unsigned int nr)
{
	struct laio *l = a->be_data;
	unsigned int i;

	for (i = 0; i < nr; i++)
		l->submit[i] = &l->iocb[io_us[i]->index];
	return io_submit(l->ctx, (long)nr, l->submit);
}

static void laio_convert(struct laio *l, struct vmlat_async *a, unsigned int from, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		const struct io_event *ev = &l->events[from + (unsigned int)i];

		a->cqes[from + (unsigned int)i].io_u = ev->data;
		a->cqes[from + (unsigned int)i].res = (long long)(long)ev->res;
	}
}

static int laio_reap(struct thread_data *td, struct vmlat_async *a, unsigned int min,
		     unsigned int max, const struct timespec *t)
{
	struct laio *l = a->be_data;
	unsigned int wait = td->o.iodepth_batch_complete_min == 0 ? 0 : min;
	struct timespec ts, *tp = NULL;
	unsigned int got = 0;
	int r;

	if (t) {
		ts = *t;
		tp = &ts;
	}
	do {
		r = io_getevents(l->ctx, wait, (long)(max - got), l->events + got, tp);
		if (r > 0) {
			laio_convert(l, a, got, r);
			got += (unsigned int)r;
		} else if ((min && r == 0) || r == -EAGAIN) {
			vmlat_async_commit(td);
			if (wait)
				usleep(10);
		} else if (r != -EINTR) {
			break;
		}
	} while (got < min);
	return r < 0 ? r : (int)got;
}

static void laio_teardown(struct vmlat_async *a)
{
	struct laio *l = a->be_data;

	io_queue_release(l->ctx);
	laio_free(l);
	a->be_data = NULL;
}

const struct vmlat_backend vmlat_libaio_backend = {
	.name = "libaio",
	.setup = laio_setup,
	.prep = laio_prep,
	.submit = laio_submit,
	.reap = laio_reap,
	.teardown = laio_teardown,
};
