/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * loghdr.c - what a vmlat log says about itself.
 *
 * A log must be understandable years later on another machine, without the
 * job file: so the header carries the versions of everything that shaped
 * the numbers, the job's own options as fio parsed them, where and when it
 * ran, and the user's tags.  Key names are documented in lib/vlog.h; the
 * platform (platform.*, evidence.*) in lib/platform.h, the run context
 * (run.*, target.N.*) in lib/runctx.h.
 *
 * The platform evidence is gathered once per process (pthread_once): it
 * is the same for every job, it is about 8 KiB (static, off the stack),
 * and reading it runs CPUID, which exits to the hypervisor.  fio runs jobs
 * as forked processes by default, and then each gathers its own copy;
 * with thread=1 the jobs share one.  The run context is read per job,
 * because the affinity, the cgroup and the targets are the job's.
 *
 * What is only known at the end of the job (steal at job end) is written
 * at close, into room reserved after the text (lib/vlog.h, "Keys written
 * at close"); targets fio adds while the job runs go into the same room
 * (guard_open.c).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fio.h"

#include "../lib/platform.h"
#include "../lib/runctx.h"
#include "engine.h"
#include "io_async.h"

#ifndef VMLAT_VERSION
#define VMLAT_VERSION "unknown"
#endif
#ifndef VMLAT_CFLAGS
#define VMLAT_CFLAGS "unknown"
#endif

/* __VERSION__ is "12.2.0" from gcc and "Clang 16.0.6 ..." from clang. */
#if defined(__GNUC__) && !defined(__clang__)
#define VMLAT_CC "gcc " __VERSION__
#else
#define VMLAT_CC __VERSION__
#endif

/* Room kept for the closing keys: one steal line per vCPU, and the end times. */
#define END_KEY_BYTES_PER_CPU 48
#define END_KEY_BYTES 256
/*
 * Room for targets fio adds after the header is written (guard_open.c): a
 * chunked iolog's files, and the one the guard refuses.  About 30 targets
 * of ordinary paths; what does not fit is said on stderr.
 */
#define LATE_TARGET_BYTES 16384

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static long ncpus_conf(void)
{
	long n = sysconf(_SC_NPROCESSORS_CONF);

	return n > 0 ? n : 1024;
}

static int add_versions(struct vlog_text *t)
{
	int ret = 0;

	ret |= vlog_text_add_format(t);
	ret |= vlog_text_add(t, "engine", "vmlat");
	ret |= vlog_text_add(t, "engine_version", VMLAT_VERSION);
	ret |= vlog_text_add(t, "fio_version", fio_version_string);
	ret |= vlog_text_addf(t, "fio_ioops_version", "%d", FIO_IOOPS_VERSION);
	ret |= vlog_text_add(t, "engine.cc", VMLAT_CC);
	ret |= vlog_text_add(t, "engine.cflags", VMLAT_CFLAGS);
	return ret;
}

/* platform_emit() and runctx_*() call this for each key. */
static int text_put(void *ctx, const char *key, const char *value)
{
	return vlog_text_add(ctx, key, value);
}

static struct platform_evidence platform_ev;
static struct platform_verdict platform_v;
static int platform_ret;
static pthread_once_t platform_once = PTHREAD_ONCE_INIT;

static void platform_gather_once(void)
{
	platform_ret = platform_gather(NULL, NULL, &platform_ev);
	if (!platform_ret)
		platform_decide(&platform_ev, &platform_v);
}

/* Verdict and raw evidence; a failed gather (not expected on "/") says so. */
static int add_platform(struct vlog_text *t)
{
	pthread_once(&platform_once, platform_gather_once);
	if (platform_ret)
		return vlog_text_addf(t, "platform.error", "%s", strerror(-platform_ret));
	return platform_emit(&platform_ev, &platform_v, text_put, t);
}

/* The clock lat_ns is measured with: fio's, whichever source fio chose. */
static const char *fio_clock_name(void)
{
	switch (fio_clock_source) {
	case CS_GTOD: return "fio:gettimeofday";
	case CS_CGETTIME: return "fio:clock_gettime";
	case CS_CPUCLOCK: return "fio:cpu";
	default: return "fio:unknown";
	}
}

static int add_run(struct thread_data *td, struct vlog_text *t)
{
	char host[256];
	int ret = 0;

	if (gethostname(host, sizeof(host)))
		strcpy(host, "unknown");
	host[sizeof(host) - 1] = '\0';
	ret |= vlog_text_add(t, "job_name", td->o.name ? td->o.name : "");
	ret |= vlog_text_addf(t, "job_number", "%u", td->thread_number);
	ret |= vlog_text_addf(t, "subjob_number", "%u", td->subjob_number);
	ret |= vlog_text_add(t, "hostname", host);
	ret |= vlog_text_addf(t, "pid", "%ld", (long)getpid());
	ret |= vlog_text_addf(t, "start_realtime_ns", "%llu",
			      (unsigned long long)clock_ns(CLOCK_REALTIME));
	ret |= vlog_text_addf(t, "start_monotonic_ns", "%llu",
			      (unsigned long long)clock_ns(CLOCK_MONOTONIC));
	ret |= vlog_text_add(t, "clock", fio_clock_name());
	return ret;
}

static const char *file_kind(const struct fio_file *f)
{
	switch (f->filetype) {
	case FIO_TYPE_FILE: return "file";
	case FIO_TYPE_BLOCK: return "block";
	case FIO_TYPE_CHAR: return "char";
	case FIO_TYPE_PIPE: return "pipe";
	}
	return "other";
}

/* N is fio's index of the file (fileno), the same at open and for late files. */
static int add_target(unsigned int n, const struct fio_file *f, struct vlog_text *t)
{
	char key[64];
	int ret = 0;

	snprintf(key, sizeof(key), "target.%u", n);
	ret |= vlog_text_add(t, key, f->file_name);
	snprintf(key, sizeof(key), "target.%u.kind", n);
	ret |= vlog_text_add(t, key, file_kind(f));
	ret |= runctx_emit_target(n, f->file_name, text_put, t);
	return ret;
}

static int add_targets(struct thread_data *td, struct vlog_text *t)
{
	struct fio_file *f;
	unsigned int i;
	int ret = 0;

	for_each_file(td, f, i)
		ret |= add_target(i, f, t);
	return ret;
}

int vmlat_header_target_text(struct thread_data *td, const struct fio_file *f,
			     struct vlog_text *t)
{
	(void)td;
	return add_target((unsigned int)f->fileno, f, t) ? -ENOMEM : 0;
}

/* The options the job file set, as fio recorded them for its JSON output. */
static int add_job_options(struct thread_data *td, struct vlog_text *t)
{
	struct flist_head *entry;
	char key[256];
	int ret = 0;

	flist_for_each(entry, &td->opt_list) {
		struct print_option *p = flist_entry(entry, struct print_option, list);

		snprintf(key, sizeof(key), "opt.%s", p->name);
		ret |= vlog_text_add(t, key, p->value ? p->value : "");
	}
	return ret;
}

static int add_tags(const char *tags, struct vlog_text *t)
{
	const char *p = tags;
	char key[256], val[1024];
	int ret = 0;

	while (p && *p) {
		size_t n = strcspn(p, ",");
		const char *eq = memchr(p, '=', n);
		size_t kl = (size_t)(eq - p);

		snprintf(key, sizeof(key), "tag.%.*s", (int)kl, p);
		snprintf(val, sizeof(val), "%.*s", (int)(n - kl - 1), eq + 1);
		ret |= vlog_text_add(t, key, val);
		p += n + (p[n] == ',');
	}
	return ret;
}

/* What the engine measures per IO, and from which start. */
static int add_measures(struct thread_data *td, const struct vmlat_data *vd, struct vlog_text *t)
{
	char names[64];
	int ret = 0;

	vmlat_ctx_names(vd->ctx.mask | (vd->steal ? VMLAT_CTX_STEAL : 0), names, sizeof(names));
	ret |= vlog_text_add(t, "ctx", names);
	if (vd->steal) {
		const char *base = strrchr(vd->path, '/');

		ret |= vlog_text_addf(t, "ctx.steal.file", "%s%s", base ? base + 1 : vd->path,
				      VMLAT_STEAL_SUFFIX);
		ret |= vlog_text_addf(t, "ctx.steal.period_ns", "%llu",
				      (unsigned long long)VMLAT_STEAL_PERIOD_NS);
	}
	ret |= vlog_text_add(t, "issue_time", vd->fill_issue ? "fio_epoch" : "none");
	/* async IO starts at the stamp that is also fio's issue time (io_async.h) */
	ret |= vlog_text_add(t, "lat_start",
			     (vd->async ? !vd->fill_issue : vd->own_start) ? "engine" : "fio_issue");
	ret |= vmlat_io_header(td, vd, t);
	ret |= vlog_text_addf(t, "clock.cost_ns", "%llu", (unsigned long long)vd->clock.cost_ns);
	ret |= vlog_text_addf(t, "clock.resolution_ns", "%llu",
			      (unsigned long long)vd->clock.resolution_ns);
	return ret;
}

static int add_line(void *ctx, const char *key, const char *value)
{
	return vlog_text_add(ctx, key, value);
}

size_t vmlat_header_end_reserve(void)
{
	return END_KEY_BYTES + END_KEY_BYTES_PER_CPU * (size_t)ncpus_conf();
}

int vmlat_header_text(struct thread_data *td, const struct vmlat_options *o,
		      struct vmlat_data *vd, struct vlog_text *t)
{
	int ret = 0;

	ret |= add_versions(t);
	ret |= add_run(td, t);
	ret |= add_platform(t);
	ret |= runctx_emit(text_put, t);
	ret |= runctx_emit_steal("run.steal_start_ns", text_put, t);
	ret |= add_measures(td, vd, t);
	if (vd->probes)
		ret |= probes_emit(vd->probes, add_line, t);
	ret |= add_targets(td, t);
	vd->late.ntargets = td->files_index; /* later files are listed as they open */
	ret |= add_job_options(td, t);
	ret |= add_tags(o->tags, t); /* checked by vmlat_check_tags() first */
	t->reserve = vmlat_header_end_reserve() + LATE_TARGET_BYTES;
	return ret ? -ENOMEM : 0;
}

int vmlat_header_end_text(const struct vmlat_data *vd, struct vlog_text *t)
{
	int ret = 0;

	if (vd->steal_err) {
		/* the sidecar ends early: readers must not take empty steal_ns for none */
		ret |= vlog_text_add(t, "ctx.steal.error", strerror(-vd->steal_err));
		ret |= vlog_text_addf(t, "ctx.steal.lost_after_record", "%llu",
				      (unsigned long long)vd->steal_lost_at);
	}

	ret |= vlog_text_addf(t, "run.end_realtime_ns", "%llu",
			      (unsigned long long)clock_ns(CLOCK_REALTIME));
	ret |= vlog_text_addf(t, "run.end_monotonic_ns", "%llu",
			      (unsigned long long)clock_ns(CLOCK_MONOTONIC));
	ret |= runctx_emit_steal("run.steal_end_ns", text_put, t);
	return ret ? -ENOMEM : 0;
}
