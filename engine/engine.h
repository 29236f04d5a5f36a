/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * engine.h - internals shared by the files of the vmlat fio engine.
 *
 * The engine is built with -fvisibility=hidden: only the "ioengine" symbol
 * that fio looks up is exported, so these names never clash with fio's.
 */
#ifndef VMLAT_ENGINE_H
#define VMLAT_ENGINE_H

#include <sched.h>
#include <stddef.h>
#include <sys/types.h>

#if defined(__has_include)
#if __has_include(<sys/rseq.h>)
#include <sys/rseq.h>
#define VMLAT_RSEQ 1
#endif
#endif

#include "../lib/probes.h"
#include "../lib/util.h"
#include "../lib/vlog.h"
#include "clockcheck.h"
#include "ctx.h"
#include "steal.h"

struct thread_data;
struct fio_file;
struct fio_option;

/* Engine options; fio fills this struct from the job file.  fio treats an
 * option at offset 0 as unset, hence the leading pad (see fio's engines). */
struct vmlat_options {
	void *pad;
	unsigned int log;
	char *log_dir;
	char *log_name;
	unsigned int log_replace;
	char *tags;
	unsigned int allow_overwrite;
	char *ctx;
	unsigned int probes;
	char *io;	/* vmlat_io: psync, io_uring, libaio (io_async.h) */
};

/* Targets fio adds after the log header was written (guard_open.c). */
struct vmlat_late {
	unsigned int ntargets;	/* files the header listed at open: fileno < this */
	unsigned char *listed;	/* [fileno - ntargets]: listed since */
	size_t alloc;
	int warned;		/* "no room" said once */
};

/* Per fio job instance (thread or process). */
struct vmlat_data {
	struct vlog_writer log;
	int opened;  /* the log file exists and must be closed */
	int logging; /* records are being written */
	int fill_issue; /* fio stamps io_u->issue_time for this job */
	int own_start;	/* latency starts at the engine's stamp, not fio's */
	struct vmlat_ctx ctx;
	int steal;	/* vmlat_ctx=steal: sample steal beside the log */
	struct vmlat_steal sampler;
	int steal_err;		/* samples were lost (-errno), for the header */
	uint64_t steal_lost_at;	/* records in the log when they were */
	struct clock_check clock;
	const struct probes *probes; /* this process's, or NULL: not run */
	int io_mode;		/* enum vmlat_io_mode */
	struct vmlat_async *async; /* vmlat_io=io_uring|libaio, else NULL */
	struct vmlat_late late;
	char path[4096];
};

extern struct fio_option vmlat_options[];

/*
 * The vCPU this thread runs on now, for a record: twice per IO.  Where
 * glibc registered the thread's rseq area (Linux, glibc 2.35+), the
 * kernel keeps the CPU number there and sched_getcpu() reads it; reading
 * it here saves the call into libc, which costs more than the load on a
 * guest where every syscall switches address spaces (BENCHMARKS.md).
 * Elsewhere, or before the kernel filled it in (cpu_id < 0), sched_getcpu().
 */
static inline uint16_t vmlat_cpu_now(void)
{
	int cpu = -1;

#ifdef VMLAT_RSEQ
	if (__rseq_size)
		cpu = __atomic_load_n((const int *)((const char *)__builtin_thread_pointer() +
						    __rseq_offset + offsetof(struct rseq, cpu_id)),
				      __ATOMIC_RELAXED);
#endif
	if (cpu < 0)
		cpu = sched_getcpu();
	return cpu < 0 || (unsigned int)cpu >= VLOG_CPU_UNKNOWN ? VLOG_CPU_UNKNOWN : (uint16_t)cpu;
}

/* The fio release (fio --version) this engine was compiled against. */
extern const char vmlat_fio_release[];

/*
 * vmlat_check_fio_release - 0 when LOADED_BY (fio_version_string of the
 * fio that loaded the engine) is the release the engine was built for;
 * otherwise -EINVAL with a message naming both in ERR (none when
 * ERR_LEN is 0).
 */
int vmlat_check_fio_release(const char *loaded_by, char *err, size_t err_len);

/*
 * vmlat_record - append REC to the job's log; a failed append stops the
 * job (td_verror) rather than leave a log with holes.
 */
void vmlat_record(struct thread_data *td, struct vmlat_data *vd, const struct vlog_rec *rec);

/*
 * vmlat_check_tags - validate vmlat_tags ("k=v,k=v").  Returns 0, or
 * -EINVAL with a message naming the bad part in ERR.
 */
int vmlat_check_tags(const char *tags, char *err, size_t err_len);

/*
 * vmlat_log_path - expand vmlat_log_dir/vmlat_log_name for this job into
 * OUT.  Returns 0, or -EINVAL/-ENAMETOOLONG with a message in ERR.
 */
int vmlat_log_path(struct thread_data *td, const struct vmlat_options *o, char *out,
		   size_t out_len, char *err, size_t err_len);

/*
 * vmlat_probes_once - run Study B's probes the first time any job of this
 * process asks (scratch file in DIR), and give every job the same result.
 * Failures are logged with log_err() and recorded as n/a; never NULL.
 */
const struct probes *vmlat_probes_once(const char *dir);

/*
 * vmlat_header_text - the self-describing text section of this job's log:
 * versions, job name and options, start times, host, targets, tags.
 * Returns 0 or -errno.
 */
int vmlat_header_text(struct thread_data *td, const struct vmlat_options *o,
		      struct vmlat_data *vd, struct vlog_text *t);

/*
 * vmlat_header_target_text - the header keys of one target (target.N,
 * target.N.kind, the run context of its device), for a file fio added
 * after the header was written.  Returns 0 or -ENOMEM.
 */
int vmlat_header_target_text(struct thread_data *td, const struct fio_file *f,
			     struct vlog_text *t);

/* vmlat_header_end_reserve - pad bytes the keys written at close need. */
size_t vmlat_header_end_reserve(void);

/*
 * The write guard in fio's terms (guard_open.c).  Each fails the job with
 * td_verror() and a log_err() message and returns 1, or returns 0:
 * vmlat_guard_files - at init: every file fio knows, when the job writes;
 * vmlat_guard_open - before opening F: checks it when the job writes,
 *   lists it in the header when the header does not yet, and a refusal
 *   too; *CHECKED is what vmlat_guard_opened() needs;
 * vmlat_guard_opened - after opening F (fd set): the fd is the device
 *   that was checked, not one swapped in since; the caller closes the fd
 *   when this fails.
 */
int vmlat_guard_files(struct thread_data *td);
int vmlat_guard_open(struct thread_data *td, struct fio_file *f, dev_t *checked);
int vmlat_guard_opened(struct thread_data *td, struct fio_file *f, dev_t checked);

/*
 * vmlat_header_end_text - the keys only known when the job ends (end
 * times, steal at job end, lost steal samples), for
 * vlog_writer_close_text().  0 or -ENOMEM.
 */
int vmlat_header_end_text(const struct vmlat_data *vd, struct vlog_text *t);

#endif /* VMLAT_ENGINE_H */
