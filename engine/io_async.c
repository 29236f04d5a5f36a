/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * io_async.c - what vmlat_io=io_uring and libaio share: the option, the
 * setup and switch of a job to its backend's IO hooks (io_uring.c,
 * io_libaio.c), the synchronous path for fsync and trim, the record of a
 * completion, the header keys.  The design, and what is timed, is in
 * io_async.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fio.h"

#include "engine.h"
#include "io_async.h"

/* the base (psync) table, vmlat.c */
extern struct ioengine_ops ioengine __attribute__((visibility("default")));

static const struct {
	const char *name;
	const struct vmlat_backend *be; /* NULL: not in this build */
} modes[] = {
	[VMLAT_IO_PSYNC] = { "psync", NULL },
#ifdef VMLAT_HAVE_LIBURING
	[VMLAT_IO_URING] = { "io_uring", &vmlat_uring_backend },
#else
	[VMLAT_IO_URING] = { "io_uring", NULL },
#endif
#ifdef VMLAT_HAVE_LIBAIO
	[VMLAT_IO_LIBAIO] = { "libaio", &vmlat_libaio_backend },
#else
	[VMLAT_IO_LIBAIO] = { "libaio", NULL },
#endif
};

const char *vmlat_io_built(void)
{
#if defined(VMLAT_HAVE_LIBURING) && defined(VMLAT_HAVE_LIBAIO)
	return "psync, io_uring, libaio";
#elif defined(VMLAT_HAVE_LIBURING)
	return "psync, io_uring";
#elif defined(VMLAT_HAVE_LIBAIO)
	return "psync, libaio";
#else
	return "psync";
#endif
}

int vmlat_io_parse(const char *value, enum vmlat_io_mode *mode, char *err, size_t err_len)
{
	const char *v = value && *value ? value : "psync";
	unsigned int i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (strcmp(v, modes[i].name))
			continue;
		if (i != VMLAT_IO_PSYNC && !modes[i].be) {
			snprintf(err, err_len,
				 "vmlat_io=%s: this engine was built without %s (it has: %s); "
				 "rebuild it with %s installed (scripts/deps.sh)",
				 v, v, vmlat_io_built(),
				 i == VMLAT_IO_URING ? "liburing-dev" : "libaio-dev");
			return -ENOTSUP;
		}
		*mode = (enum vmlat_io_mode)i;
		return 0;
	}
	snprintf(err, err_len, "vmlat_io=%s: unknown (known: psync, io_uring, libaio)", v);
	return -EINVAL;
}

int vmlat_io_check(struct thread_data *td, enum vmlat_io_mode mode, char *err, size_t err_len)
{
	if (mode != VMLAT_IO_PSYNC && td->o.io_submit_mode == IO_MODE_OFFLOAD) {
		snprintf(err, err_len, "vmlat_io=%s: io_submit_mode=offload is not supported "
			 "(as with fio's own %s engine)", modes[mode].name, modes[mode].name);
		return -EINVAL;
	}
	return 0;
}

enum fio_q_status vmlat_async_queue_sync(struct thread_data *td, struct vmlat_async *a,
					 struct io_u *io_u)
{
	enum fio_q_status ret;

	if (a->nq || a->inflight)
		return FIO_Q_BUSY;
	/* fio stamps a trim itself (FIO_ASYNCIO_SYNC_TRIM), never an fsync here */
	if (io_u->ddir != DDIR_TRIM)
		fio_gettime(&io_u->issue_time, NULL);
	ret = ioengine.queue(td, io_u);
	if (io_u->ddir == DDIR_TRIM) {
		io_u_mark_submit(td, 1);
		io_u_mark_complete(td, 1);
	}
	return ret;
}

/* 1: give up (said with log_err), 0: try again (after a 1 us sleep) */
static int async_stalled(struct vmlat_stall *s)
{
	if (!s->waiting) {
		fio_gettime(&s->since, NULL);
		s->waiting = 1;
	} else if (mtime_since_now(&s->since) > 30000) {
		log_err("vmlat: async submit appears to be stalled, giving up\n");
		return 1;
	}
	usleep(1);
	return 0;
}

enum vmlat_submit_next vmlat_async_not_taken(const struct vmlat_async *a, int ret,
					     struct vmlat_stall *stall)
{
	if (ret == 0 || ret == -EINTR)
		return VMLAT_SUBMIT_RETRY;
	if (ret != -EAGAIN && ret != -ENOMEM)
		return VMLAT_SUBMIT_FAIL;
	if (a->inflight)
		return VMLAT_SUBMIT_YIELD;
	if (ret == -ENOMEM || async_stalled(stall))
		return VMLAT_SUBMIT_FAIL;
	return VMLAT_SUBMIT_RETRY;
}

void vmlat_async_record(struct thread_data *td, struct vmlat_data *vd,
			const struct vmlat_async *a, const struct io_u *io_u)
{
	const struct vmlat_slot *s = &a->slot[io_u->index];
	struct vlog_rec rec = { 0 };

	if (vd->ctx.mask)
		vmlat_ctx_fill(vd->ctx.mask, &a->c0, &a->c1, &rec);
	rec.ctx_mask |= VLOG_CTX_INFLIGHT;
	rec.inflight = s->inflight;
	rec.cpu_submit = s->cpu_submit;
	rec.cpu_complete = a->reap_cpu;
	rec.lat_ns = util_ns_since(&io_u->issue_time, &a->reap_time);
	rec.offset = io_u->offset;
	rec.len = (uint32_t)io_u->xfer_buflen;
	rec.ddir = (uint8_t)io_u->ddir;
	rec.error = (uint16_t)io_u->error;
	rec.issue_ns = vd->fill_issue ? util_ns_since(&td->epoch, &io_u->issue_time) : 0;
	vmlat_record(td, vd, &rec);
}

/*
 * The per-mode hook tables: the base table with the backend's IO hooks
 * (psync's, and a mode this build lacks, are never switched to).
 */
static struct ioengine_ops async_ops[sizeof(modes) / sizeof(modes[0])];

__attribute__((constructor)) static void async_ops_build(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		struct ioengine_ops *ops = &async_ops[i];

		*ops = ioengine;
		ops->flags = (ioengine.flags & ~FIO_SYNCIO) | FIO_ASYNCIO_SYNC_TRIM |
			     FIO_ASYNCIO_SETS_ISSUE_TIME | FIO_NO_OFFLOAD;
		if (!modes[i].be)
			continue;
		ops->prep = modes[i].be->prep;
		ops->queue = modes[i].be->queue;
		ops->commit = modes[i].be->commit;
		ops->getevents = modes[i].be->getevents;
		ops->event = modes[i].be->event;
	}
}

#define ALIGN8(n) (((n) + 7) & ~(size_t)7)

/*
 * The job's per-IO state in one page-aligned block: the async state, the
 * slots, the backend's data.  Every hook touches them right after a
 * syscall; on a guest whose syscalls cost TLB entries, each page they are
 * spread over is one more miss per IO (BENCHMARKS.md).
 */
static struct vmlat_async *async_alloc(const struct vmlat_backend *be, unsigned int depth)
{
	size_t slots = ALIGN8(sizeof(struct vmlat_async));
	size_t data = slots + ALIGN8(depth * sizeof(struct vmlat_slot));
	size_t size = data + be->data_bytes(depth);
	struct vmlat_async *a;

	if (posix_memalign((void **)&a, 4096, size))
		return NULL;
	memset(a, 0, size);
	a->be = be;
	a->depth = depth;
	a->slot = (struct vmlat_slot *)((char *)a + slots);
	a->be_data = (char *)a + data;
	return a;
}

int vmlat_async_setup(struct thread_data *td, struct vmlat_data *vd, char *err, size_t err_len)
{
	const struct vmlat_backend *be = modes[vd->io_mode].be;
	struct vmlat_async *a;
	unsigned int depth = td->o.iodepth ? td->o.iodepth : 1;
	int ret;

	if (vd->io_mode == VMLAT_IO_PSYNC)
		return 0;
	a = async_alloc(be, depth);
	vd->async = a;
	ret = a ? be->setup(a, depth) : -ENOMEM;
	if (!ret)
		a->be_ready = 1;
	if (ret == -ENOMEM)
		snprintf(err, err_len, "vmlat_io=%s: out of memory for iodepth=%u", be->name, depth);
	else if (ret)
		snprintf(err, err_len, "vmlat_io=%s: cannot set up a queue of iodepth=%u: %s (errno %d)",
			 be->name, depth, strerror(-ret), -ret);
	return ret;
}

void vmlat_async_switch(struct thread_data *td)
{
	const unsigned long long sh = TD_ENG_FLAG_SHIFT;
	struct vmlat_data *vd = td->io_ops_data;

	td->io_ops = &async_ops[vd->io_mode];
	td->flags &= ~((unsigned long long)FIO_SYNCIO << sh);
	td->flags |= (unsigned long long)(FIO_ASYNCIO_SYNC_TRIM | FIO_ASYNCIO_SETS_ISSUE_TIME |
					  FIO_NO_OFFLOAD) << sh;
}

void vmlat_async_cleanup(struct thread_data *td, struct vmlat_data *vd)
{
	struct vmlat_async *a = vd->async;
	unsigned int i;

	/* fio unloads the engine through td->io_ops after cleanup */
	for (i = 0; i < sizeof(async_ops) / sizeof(async_ops[0]); i++)
		if (td->io_ops == &async_ops[i])
			td->io_ops = &ioengine;
	if (!a)
		return;
	if (a->be_ready)
		a->be->teardown(a);
	free(a);
	vd->async = NULL;
}

/*
 * What the record fields mean in this job's mode, so that a log read
 * years later does not depend on knowing the engine's version.
 */
int vmlat_io_header(const struct thread_data *td, const struct vmlat_data *vd,
		    struct vlog_text *t)
{
	int async = vd->io_mode != VMLAT_IO_PSYNC;
	int ret = 0;

	ret |= vlog_text_add(t, "io", modes[vd->io_mode].name);
	ret |= vlog_text_add(t, "io.built", vmlat_io_built());
	ret |= vlog_text_addf(t, "io.iodepth", "%u", async ? td->o.iodepth : 1);
	ret |= vlog_text_add(t, "io.lat", async ? "issue_to_reap" : "syscall");
	ret |= vlog_text_add(t, "io.cpu_submit", async ? "before_submit_call" : "before_syscall");
	ret |= vlog_text_add(t, "io.cpu_complete", async ? "after_reap_call" : "after_syscall");
	ret |= vlog_text_add(t, "io.ctx_window", async ? "reap_call" : "syscall");
	ret |= vlog_text_add(t, "io.inflight_at_kill", "absent");
	return ret ? -ENOMEM : 0;
}

int vmlat_io_start(struct thread_data *td, struct vmlat_data *vd, const char *value, char *err,
		   size_t err_len)
{
	enum vmlat_io_mode mode;
	int ret;

	ret = vmlat_io_parse(value, &mode, err, err_len);
	if (!ret)
		ret = vmlat_io_check(td, mode, err, err_len);
	if (ret)
		return ret;
	vd->io_mode = mode;
	ret = vmlat_async_setup(td, vd, err, err_len);
	if (!ret && mode != VMLAT_IO_PSYNC)
		vmlat_async_switch(td);
	return ret;
}
