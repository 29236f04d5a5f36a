/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * options.c - the engine's options, as one fio option table.
 *
 * Every option is prefixed vmlat_ so it cannot collide with fio's own, and
 * carries help text: `fio --enghelp=/path/vmlat.so` prints this table.
 * fio itself rejects bad booleans; the free-form values (tags, the log name
 * pattern) are checked here, before the job does any IO.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fio.h"
#include "optgroup.h"

#include "engine.h"

#define OPT(field) offsetof(struct vmlat_options, field)

/* fio prints "Option <NAME>: HELP" for these and fails the job */
#define REFUSE(opt, engine)                                                          \
	{                                                                            \
		.name = opt, .lname = opt, .type = FIO_OPT_UNSUPPORTED,              \
		.help = "an option of fio's " engine " that vmlat does not "  \
			"support; remove it (vmlat_io=... runs without it)",          \
	}

/* what vmlat_io can be in this build (the Makefile finds liburing, libaio) */
#if defined(VMLAT_HAVE_LIBURING) && defined(VMLAT_HAVE_LIBAIO)
#define VMLAT_IO_BUILT "psync, io_uring, libaio"
#elif defined(VMLAT_HAVE_LIBURING)
#define VMLAT_IO_BUILT "psync, io_uring (no libaio: libaio-dev was missing)"
#elif defined(VMLAT_HAVE_LIBAIO)
#define VMLAT_IO_BUILT "psync, libaio (no io_uring: liburing-dev was missing)"
#else
#define VMLAT_IO_BUILT "psync only (liburing-dev and libaio-dev were missing)"
#endif

struct fio_option vmlat_options[] = {
	{
		.name = "vmlat_log",
		.lname = "vmlat per-IO log",
		.type = FIO_OPT_BOOL,
		.off1 = OPT(log),
		.def = "1",
		.help = "Write one vmlat record per IO (0 disables the log)",
		.category = FIO_OPT_C_ENGINE,
		.group = FIO_OPT_G_INVALID,
	},
	{
		.name = "vmlat_log_dir",
		.lname = "vmlat log directory",
		.type = FIO_OPT_STR_STORE,
		.off1 = OPT(log_dir),
		.def = ".",
		.help = "Directory for vmlat logs (default: fio's working directory)",
		.category = FIO_OPT_C_ENGINE,
		.group = FIO_OPT_G_INVALID,
	},
	{
		.name = "vmlat_log_name",
		.lname = "vmlat log name pattern",
		.type = FIO_OPT_STR_STORE,
		.off1 = OPT(log_name),
		.def = "%j.%n.vmlat",
		.help = "Log file name: %j job name, %n job number, %h host, %p pid, %% a percent sign; "
			"'/' and a leading '.' of the expanded name become '_', so a log stays in "
			"vmlat_log_dir",
		.category = FIO_OPT_C_ENGINE,
		.group = FIO_OPT_G_INVALID,
	},
	{
		.name = "vmlat_log_replace",
		.lname = "vmlat replace old log",
		.type = FIO_OPT_BOOL,
		.off1 = OPT(log_replace),
		.def = "0",
		.help = "Replace an existing log of the same name (default: refuse, keeping the old one)",
		.category = FIO_OPT_C_ENGINE,
		.group = FIO_OPT_G_INVALID,
	},
	{
		.name = "vmlat_tags",
		.lname = "vmlat tags",
		.type = FIO_OPT_STR_STORE,
		.off1 = OPT(tags),
		.help = "Labels stored in the log header, as key=value[,key=value...]",
		.category = FIO_OPT_C_ENGINE,
		.group = FIO_OPT_G_INVALID,
	},
	{
		.name = "vmlat_allow_overwrite",
		.lname = "vmlat allow overwrite",
		.type = FIO_OPT_BOOL,
		.off1 = OPT(allow_overwrite),
		.def = "0",
		.help = "Allow writes to a block device that is mounted or holds a filesystem, "
			"partition table, RAID member or swap (checked at every open of a file the "
			"job writes or trims)",
		.category = FIO_OPT_C_ENGINE,
		.group = FIO_OPT_G_INVALID,
	},
	{
		.name = "vmlat_ctx",
		.lname = "vmlat per-IO context",
		.type = FIO_OPT_STR_STORE,
		.off1 = OPT(ctx),
		.def = "none",
		.help = "Per-IO context of the IO thread: none, all, or a list of rq (run-queue delay), "
			"csw (context switches), faults (each costs a syscall per IO), steal (per-vCPU "
			"steal sampled by a side thread into LOG.steal; not in all)",
		.category = FIO_OPT_C_ENGINE,
		.group = FIO_OPT_G_INVALID,
	},
	{
		.name = "vmlat_probes",
		.lname = "vmlat micro-probes",
		.type = FIO_OPT_BOOL,
		.off1 = OPT(probes),
		.def = "1",
		.help = "Measure Study B's micro-probes (bit op, page faults, mmap, TCP round trip on one "
			"and two vCPUs) once per fio process before any IO, into the log header (<1 s)",
		.category = FIO_OPT_C_ENGINE,
		.group = FIO_OPT_G_INVALID,
	},
	{
		.name = "vmlat_io",
		.lname = "vmlat IO path",
		.type = FIO_OPT_STR_STORE,
		.off1 = OPT(io),
		.def = "psync",
		.help = "IO path: psync (pread/pwrite, depth 1), io_uring or libaio (queued at iodepth, "
			"as fio's engines of those names); this build has: " VMLAT_IO_BUILT,
		.category = FIO_OPT_C_ENGINE,
		.group = FIO_OPT_G_INVALID,
	},
	/*
	 * Options of fio's own io_uring and libaio engines that vmlat does
	 * not implement.  A job written for those engines may set them; fio
	 * then names each one and refuses the job instead of ignoring it.
	 */
	REFUSE("hipri", "io_uring engine"),
	REFUSE("fixedbufs", "io_uring engine"),
	REFUSE("registerfiles", "io_uring engine"),
	REFUSE("sqthread_poll", "io_uring engine"),
	REFUSE("sqthread_poll_cpu", "io_uring engine"),
	REFUSE("nonvectored", "io_uring engine"),
	REFUSE("uncached", "io_uring engine"),
	REFUSE("force_async", "io_uring engine"),
	REFUSE("cmd_type", "io_uring_cmd engine"),
	REFUSE("nowait", "io_uring and libaio engines"),
	REFUSE("userspace_reap", "libaio engine"),
	REFUSE("cmdprio_percentage", "io_uring and libaio engines"),
	REFUSE("cmdprio_class", "io_uring and libaio engines"),
	REFUSE("cmdprio", "io_uring and libaio engines"),
	REFUSE("cmdprio_bssplit", "io_uring and libaio engines"),
	{
		.name = NULL,
	},
};

static int tag_key_ok(const char *k, size_t n)
{
	size_t i;

	if (!n)
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)k[i]) && !strchr("_.-", k[i]))
			return 0;
	return 1;
}

int vmlat_check_tags(const char *tags, char *err, size_t err_len)
{
	const char *p = tags;

	while (p && *p) {
		size_t n = strcspn(p, ",");
		const char *eq = memchr(p, '=', n);

		if (!eq || !tag_key_ok(p, (size_t)(eq - p))) {
			snprintf(err, err_len,
				 "vmlat_tags=%s: '%.*s' is not key=value (keys: letters, digits, _ . -)",
				 tags, (int)n, p);
			return -EINVAL;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* One %x of vmlat_log_name; returns bytes written, or -1 when unknown. */
static int expand_one(struct thread_data *td, char c, char *out, size_t len)
{
	char host[256];

	switch (c) {
	case 'j':
		return snprintf(out, len, "%s", td->o.name ? td->o.name : "job");
	case 'n':
		return snprintf(out, len, "%u", td->thread_number);
	case 'p':
		return snprintf(out, len, "%ld", (long)getpid());
	case 'h':
		if (gethostname(host, sizeof(host)))
			strcpy(host, "unknown");
		host[sizeof(host) - 1] = '\0';
		return snprintf(out, len, "%s", host);
	case '%':
		return snprintf(out, len, "%%");
	default:
		return -1;
	}
}

/*
 * A log must land inside vmlat_log_dir whatever the job is called: a job
 * named "../../x" (%j), a host name or a pattern must not climb out of it
 * or into a subdirectory.  So every '/' of the expanded name becomes '_',
 * and so does a leading '.' (no ".", "..", or hidden log).
 */
static void clean_name(char *name)
{
	char *p;

	for (p = name; *p; p++)
		if (*p == '/')
			*p = '_';
	if (name[0] == '.')
		name[0] = '_';
}

static int expand_name(struct thread_data *td, const char *pat, char *out, size_t len,
		       char *err, size_t err_len)
{
	size_t n = 0;
	int w;

	out[0] = '\0';
	for (; *pat; pat++) {
		if (*pat != '%') {
			w = snprintf(out + n, len - n, "%c", *pat);
		} else {
			w = expand_one(td, pat[1], out + n, len - n);
			if (w < 0) {
				snprintf(err, err_len, "vmlat_log_name: unknown '%%%c' (known: %%j %%n %%h %%p %%%%)",
					 pat[1] ? pat[1] : ' ');
				return -EINVAL;
			}
			pat++;
		}
		if (w < 0 || (size_t)w >= len - n)
			goto long_name;
		n += (size_t)w;
	}
	clean_name(out);
	return 0;
long_name:
	snprintf(err, err_len, "vmlat_log_name: expanded name is longer than %zu bytes", len);
	return -ENAMETOOLONG;
}

int vmlat_log_path(struct thread_data *td, const struct vmlat_options *o, char *out,
		   size_t out_len, char *err, size_t err_len)
{
	char name[NAME_MAX + 1];
	const char *dir = o->log_dir && *o->log_dir ? o->log_dir : ".";
	int ret;

	ret = expand_name(td, o->log_name && *o->log_name ? o->log_name : "%j.%n.vmlat", name,
			  sizeof(name), err, err_len);
	if (ret)
		return ret;
	/* an empty pattern still needs a file name */
	if (!*name) {
		snprintf(err, err_len, "vmlat_log_name=%s: expands to '%s', not a file name",
			 o->log_name, name);
		return -EINVAL;
	}
	if ((size_t)snprintf(out, out_len, "%s/%s", dir, name) >= out_len) {
		snprintf(err, err_len, "vmlat_log_dir=%s: path too long", dir);
		return -ENAMETOOLONG;
	}
	return 0;
}
