/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * guard_open.c - the write guard (guard.h) applied to every file fio
 * writes through this engine, whenever fio opens it.
 *
 * fio learns of files at different times: the job's filename, nrfiles,
 * filename_format and opendir when it parses the job, an iolog read whole
 * just before the engine's init, a chunked iolog (read_iolog_chunked=1)
 * while the job runs.  And a path that was harmless at init may lead to a
 * device by the time it is opened (a symlink repointed, a file replaced by
 * a device node, by exec_prerun or anyone else).  So the guard runs in the
 * engine's open_file hook, which is where fio opens every file it does IO
 * on through this engine: its IO loop, iolog replay, verify and trim, its
 * size check of block devices and pre_read all call it.  It also runs at
 * init over the files known then, so a job refused from the start fails
 * before its log exists, as it always did.
 *
 * Whether to check follows fio's generic_open_file(): it opens read-write
 * exactly when td_write() or td_trim() holds at the time of the open (a
 * chunked iolog turns a job read-write while it runs), and a read-only fd
 * can neither write nor discard.  After the open, one fstat() makes sure
 * the fd is the device that was checked (or no device at all, when the
 * path was a regular file or did not exist): a path swapped between the
 * check and the open is refused too.  All this is once per open, never per
 * IO.
 *
 * The log header must say what the job tried to write.  A file the header
 * does not list (added after the log was created) is appended to it at its
 * first open, and a refused file gets target.N.refused, through
 * vlog_writer_add_text() (lib/vlog.h, "Keys added while open") into room
 * loghdr.c reserves.  A refusal may use all of that room; listing an
 * allowed late file leaves GUARD_REFUSAL_ROOM of it, so the file that
 * fails the job can still be named after many harmless ones.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "fio.h"

#include "engine.h"
#include "guard.h"

/* Room kept for naming a refused file: its path twice, and the finding. */
#define GUARD_REFUSAL_ROOM 2048

/*
 * The verdict on PATH: 0 when it may be written, otherwise the errno the
 * job fails with (EPERM for a refusal) and today's message in MSG.  WHY
 * gets the finding alone, for the header.
 */
static int verdict(const char *path, char *why, size_t why_len, char *msg, size_t msg_len)
{
	int ret = vmlat_guard_check(path, why, why_len);

	/* a path that does not exist yet holds nothing: fio will create a file */
	if (ret == 0 || ret == -ENOENT) {
		why[0] = '\0';
		return 0;
	}
	if (ret > 0) {
		snprintf(msg, msg_len, "refusing to write: %s; set vmlat_allow_overwrite=1 to destroy it",
			 why);
		return EPERM;
	}
	snprintf(msg, msg_len, "cannot check '%s' before writing: %s", path, why);
	return -ret;
}

static int refuse(struct thread_data *td, int err, const char *msg)
{
	log_err("vmlat: %s\n", msg);
	td_verror(td, err, "vmlat");
	return 1;
}

static int writes(struct thread_data *td)
{
	const struct vmlat_options *o = td->eo;

	return !o->allow_overwrite && (td_write(td) || td_trim(td));
}

int vmlat_guard_files(struct thread_data *td)
{
	char why[512], msg[700];
	struct fio_file *f;
	unsigned int i;
	int err;

	if (!writes(td))
		return 0;
	for_each_file(td, f, i) {
		err = verdict(f->file_name, why, sizeof(why), msg, sizeof(msg));
		if (err)
			return refuse(td, err, msg);
	}
	return 0;
}

static int mark_listed(struct vmlat_late *l, unsigned int k)
{
	if (k >= l->alloc) {
		size_t alloc = 2 * (size_t)k + 16;
		unsigned char *p = realloc(l->listed, alloc);

		if (!p)
			return -ENOMEM;
		memset(p + l->alloc, 0, alloc - l->alloc);
		l->listed = p;
		l->alloc = alloc;
	}
	l->listed[k] = 1;
	return 0;
}

/* Was F listed in the header at open, or since?  Marks it listed. */
static int listed_before(struct vmlat_data *vd, const struct fio_file *f)
{
	unsigned int k;

	if ((unsigned int)f->fileno < vd->late.ntargets)
		return 1;
	k = (unsigned int)f->fileno - vd->late.ntargets;
	if (k < vd->late.alloc && vd->late.listed[k])
		return 1;
	return mark_listed(&vd->late, k) ? 1 : 0; /* out of memory: not listed */
}

static void no_room(struct vmlat_data *vd, const struct fio_file *f, int ret)
{
	if (ret == -ENOSPC && vd->late.warned++)
		return;
	log_err("vmlat: log '%s': cannot list target.%d '%s' in the header: %s\n", vd->path,
		f->fileno, f->file_name,
		ret == -ENOSPC ? "no room left (later targets are not listed either)" : strerror(-ret));
}

/* Lists F in the header when it is not there yet, and REFUSED (a finding) when set. */
static void list_target(struct thread_data *td, struct vmlat_data *vd, const struct fio_file *f,
			const char *refused)
{
	struct vlog_text t;
	int ret = 0, listed;
	char key[64];

	if (!vd || !vd->opened)
		return;
	listed = listed_before(vd, f);
	if (listed && !refused)
		return;
	vlog_text_init(&t);
	if (!listed)
		ret = vmlat_header_target_text(td, f, &t);
	if (!ret && refused) {
		snprintf(key, sizeof(key), "target.%d.refused", f->fileno);
		ret = vlog_text_add(&t, key, refused);
	}
	if (!ret)
		ret = vlog_writer_add_text(&vd->log, &t,
					   vmlat_header_end_reserve() + (refused ? 0 : GUARD_REFUSAL_ROOM));
	if (ret)
		no_room(vd, f, ret);
	vlog_text_release(&t);
}

/*
 * What PATH is now: the device it leads to (S_ISBLK), or 0 for anything
 * else, so that the fd opened afterwards can be compared with it.
 */
static dev_t device_of(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISBLK(st.st_mode) ? st.st_rdev : 0;
}

int vmlat_guard_open(struct thread_data *td, struct fio_file *f, dev_t *checked)
{
	struct vmlat_data *vd = td->io_ops_data;
	char why[512], msg[700];
	int err;

	*checked = 0;
	if (!writes(td)) {
		list_target(td, vd, f, NULL);
		return 0;
	}
	*checked = device_of(f->file_name);
	err = verdict(f->file_name, why, sizeof(why), msg, sizeof(msg));
	list_target(td, vd, f, err ? (why[0] ? why : msg) : NULL);
	return err ? refuse(td, err, msg) : 0;
}

int vmlat_guard_opened(struct thread_data *td, struct fio_file *f, dev_t checked)
{
	struct vmlat_data *vd = td->io_ops_data;
	char msg[700];
	struct stat st;

	if (!writes(td) || fstat(f->fd, &st) || !S_ISBLK(st.st_mode) || st.st_rdev == checked)
		return 0;
	snprintf(msg, sizeof(msg),
		 "refusing to write: '%s' changed between the guard's check and the open "
		 "(now block device %u:%u); set vmlat_allow_overwrite=1 to allow it",
		 f->file_name, major(st.st_rdev), minor(st.st_rdev));
	list_target(td, vd, f, msg);
	return refuse(td, EPERM, msg);
}
