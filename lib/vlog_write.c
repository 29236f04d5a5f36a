/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vlog_write.c - the per-IO log writer (format: vlog.h).
 *
 * Records are stored straight into a MAP_SHARED window of the file, so the
 * per-IO cost is a 64-byte copy and a checksum: no syscall, no lock, no
 * allocation.  A window is allocated on disk (fallocate) and pre-faulted
 * for writing when it is mapped, which moves both the ENOSPC risk (a store
 * into an unbacked page would be SIGBUS) and the page faults out of the
 * per-IO path into one window change every window_bytes / 64 records.
 * Memory stays one window; the kernel writes dirty pages back.
 *
 * Windows cover file ranges aligned to window_bytes (the first one starts
 * at record 0, inside the first such range) and are mapped at one virtual
 * address, reserved at open and aligned to a huge page when window_bytes
 * is a multiple of one, so the kernel can map the log with huge pages
 * (MADV_HUGEPAGE, where the filesystem keeps large folios: ext4 on Linux
 * 6.16+).  Measured on a 2-vCPU PVM guest (BENCHMARKS.md): with 4 KiB pages
 * the first store into each page, though pre-faulted, cost 8-27 us in the
 * hypervisor (the shadow page table is filled on first use), about 120 ns
 * per record; with huge pages it is gone.  A window change is then one
 * mmap (MAP_FIXED replaces the old window: no munmap call), fallocate and
 * two madvise calls, and a helper thread (vlog_prep.c) does even that
 * for the next window, in a second slot of address space, while this one
 * fills: the change on the IO path is then a pointer switch.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vlog.h"
#include "vlog_prep.h"

#if defined(__linux__) && !defined(MADV_POPULATE_WRITE)
#define MADV_POPULATE_WRITE 23 /* Linux 5.14; older kernels say EINVAL */
#endif

/* A multiple of VLOG_ALIGN, as the format requires, and of the page size. */
static uint32_t page_bytes(void)
{
	long page = sysconf(_SC_PAGESIZE);

	return page > VLOG_ALIGN ? (uint32_t)page : VLOG_ALIGN;
}

static uint32_t round_up(uint32_t n, uint32_t to)
{
	return (n + to - 1) / to * to;
}

/* Reserve [off, off+len) on disk; fall back to a sparse extension where the
 * filesystem cannot allocate (the window is then backed lazily). */
static int reserve(int fd, off_t off, off_t len)
{
	int err = posix_fallocate(fd, off, len);

	if (err == EOPNOTSUPP || err == EINVAL) {
		if (ftruncate(fd, off + len))
			return -errno;
		return 0;
	}
	return -err;
}

/*
 * Take every write fault of the window now, in one call, instead of one
 * fault per page on the per-IO path.  MAP_POPULATE would not do: on a
 * shared mapping it maps pages read-only, and each first store still
 * faults to mark the page dirty.  Only a hint: without it the faults
 * simply happen later.
 */
static void prefault(void *p, size_t len)
{
#ifdef MADV_POPULATE_WRITE
	(void)madvise(p, len, MADV_POPULATE_WRITE);
#else
	(void)p;
	(void)len;
#endif
}

/* The huge page size windows are aligned to when they are multiples of it. */
#define VLOG_HUGE_BYTES (2u << 20)

static int huge_windows(const struct vlog_writer *w)
{
	return w->window_bytes % VLOG_HUGE_BYTES == 0;
}

/* File offset of record I, and where the window-aligned range holding it starts. */
static off_t rec_off(const struct vlog_writer *w, uint64_t i)
{
	return (off_t)w->header_bytes + (off_t)i * VLOG_REC_BYTES;
}

static off_t window_start(const struct vlog_writer *w, off_t off)
{
	return off / w->window_bytes * w->window_bytes;
}

/* The address the current window is mapped at (w->win may start inside it). */
static void *window_base(const struct vlog_writer *w)
{
	off_t off = rec_off(w, w->win_first);

	return (char *)w->win - (off - window_start(w, off));
}

/*
 * Reserve address space for the windows once (w->va): a slot per window
 * mapped at a time, two with a helper.  Every window is mapped over a slot
 * with MAP_FIXED, huge-page aligned when windows are made of huge pages
 * (the kernel maps a file with huge pages only where address and file
 * offset agree modulo the huge page size).  The range stays the writer's
 * until close, whatever the slots hold.
 */
static size_t va_bytes(const struct vlog_writer *w)
{
	return (size_t)w->window_bytes * (w->prep ? 2 : 1);
}

static int reserve_va(struct vlog_writer *w)
{
	size_t slack = huge_windows(w) ? VLOG_HUGE_BYTES : 0, want = va_bytes(w);
	size_t len = want + slack;
	char *p = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	char *at;

	if (p == MAP_FAILED)
		return -errno;
	at = slack ? (char *)(((uintptr_t)p + slack - 1) & ~(uintptr_t)(slack - 1)) : p;
	if (at > p)
		munmap(p, (size_t)(at - p));
	if (p + len > at + want)
		munmap(at + want, (size_t)(p + len - (at + want)));
	w->va = at;
	return 0;
}

/* Stop the helper, then give back the address space with every window in it. */
static void release_va(struct vlog_writer *w)
{
	size_t len = va_bytes(w);

	vlog_prep_stop(w->prep);
	w->prep = NULL;
	if (w->va)
		munmap(w->va, len);
	w->va = NULL;
	w->win = NULL;
}

static void want_huge(void *p, size_t len)
{
#ifdef MADV_HUGEPAGE
	(void)madvise(p, len, MADV_HUGEPAGE); /* a hint: EINVAL without THP */
#else
	(void)p;
	(void)len;
#endif
}

int vlog_window_map(int fd, uint32_t window_bytes, off_t off, void *at, struct vlog_window *out)
{
	off_t start = off / window_bytes * window_bytes;
	size_t skip = (size_t)(off - start);
	char *p;
	int ret;

	ret = reserve(fd, off, start + window_bytes - off);
	if (ret)
		return ret;
	p = mmap(at, window_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, start);
	if (p == MAP_FAILED)
		return -errno;
	if (window_bytes % VLOG_HUGE_BYTES == 0)
		want_huge(p, window_bytes);
	prefault(p + skip, window_bytes - skip);
	out->recs = (struct vlog_rec *)(p + skip);
	out->cap = (uint32_t)((window_bytes - skip) / VLOG_REC_BYTES);
	return 0;
}

static void use_window(struct vlog_writer *w, const struct vlog_window *win)
{
	w->win = win->recs;
	w->win_cap = win->cap;
	w->win_used = 0;
}

/* Map the window holding record w->win_first over the reserved address space. */
static int map_window(struct vlog_writer *w, void *at)
{
	struct vlog_window win;
	int ret;

	w->win = NULL; /* MAP_FIXED drops the old window even when it fails */
	ret = vlog_window_map(w->fd, w->window_bytes, rec_off(w, w->win_first), at, &win);
	if (!ret)
		use_window(w, &win);
	return ret;
}

/* The window the helper was asked for at the last change (in the other slot). */
static int take_window(struct vlog_writer *w)
{
	struct vlog_window win;
	int ret;

	w->win = NULL;
	ret = vlog_prep_take(w->prep, &win);
	if (!ret)
		use_window(w, &win);
	return ret;
}

/* Ask the helper for the window after the current one, in slot AT. */
static void ask_next(struct vlog_writer *w, void *at)
{
	vlog_prep_request(w->prep, rec_off(w, w->win_first + w->win_cap), at);
}

int vlog_writer_roll(struct vlog_writer *w)
{
	void *at = window_base(w);
	int ret;

	w->win_first += w->win_cap;
	ret = w->prep ? take_window(w) : map_window(w, at);
	if (ret) {
		/* no more changes: give back the windows now (nothing else maps there) */
		release_va(w);
		w->err = ret;
		return ret;
	}
	if (w->prep)
		ask_next(w, at); /* the old window's slot is free now */
	return 0;
}

static int write_all(int fd, const void *buf, size_t len, off_t off)
{
	const char *p = buf;

	while (len) {
		ssize_t n = pwrite(fd, p, len, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
		off += n;
	}
	return 0;
}

static void fill_prefix(struct vlog_prefix *p, uint32_t header_bytes, uint32_t text_bytes)
{
	memset(p, 0, sizeof(*p));
	memcpy(p->magic, VLOG_MAGIC, sizeof(p->magic));
	p->bom = VLOG_BOM;
	p->version_major = VLOG_VERSION_MAJOR;
	p->version_minor = VLOG_VERSION_MINOR;
	p->header_bytes = header_bytes;
	p->record_bytes = VLOG_REC_BYTES;
	p->text_bytes = text_bytes;
	p->state = VLOG_STATE_OPEN;
}

static int write_header(struct vlog_writer *w, const struct vlog_text *text)
{
	struct vlog_prefix p;
	int ret;

	fill_prefix(&p, w->header_bytes, (uint32_t)text->len);
	ret = write_all(w->fd, &p, sizeof(p), 0);
	if (!ret && text->len)
		ret = write_all(w->fd, text->buf, text->len, VLOG_PREFIX_BYTES);
	/*
	 * The pad up to header_bytes reads as zeros; it is allocated now, so
	 * that keys added later (while open, at close) never meet a full disk.
	 */
	if (!ret)
		ret = reserve(w->fd, 0, w->header_bytes);
	return ret;
}

int vlog_writer_open(struct vlog_writer *w, const char *path, const struct vlog_text *text,
		     uint32_t window_bytes, int replace)
{
	int flags = O_RDWR | O_CREAT | O_CLOEXEC | (replace ? O_TRUNC : O_EXCL);
	int ret;

	memset(w, 0, sizeof(*w));
	w->fd = -1; /* a refused open leaves a writer vlog_writer_close() ignores */
	if (!window_bytes)
		window_bytes = VLOG_WINDOW_BYTES;
	if (window_bytes % page_bytes() || text->len > UINT32_MAX - 2 * VLOG_ALIGN)
		return -EINVAL;
	/* windows are mapped at file offsets k * window_bytes: page-aligned */
	w->window_bytes = window_bytes;
	if (text->reserve > UINT32_MAX - 2 * VLOG_ALIGN - text->len)
		return -EINVAL;
	w->text_bytes = (uint32_t)text->len;
	w->header_bytes = round_up(VLOG_PREFIX_BYTES + w->text_bytes + (uint32_t)text->reserve,
				   page_bytes());
	w->fd = open(path, flags, 0644);
	if (w->fd < 0)
		return -errno;
	ret = write_header(w, text);
	if (!ret) {
		w->prep = vlog_prep_start(w->fd, w->window_bytes);
		ret = reserve_va(w);
	}
	if (!ret)
		ret = map_window(w, w->va);
	if (!ret && w->prep)
		ask_next(w, w->va + w->window_bytes);
	if (ret) {
		release_va(w);
		close(w->fd);
		unlink(path);
		w->fd = -1;
	}
	return ret;
}

/* Lines go into the pad first; only the prefix written after vouches for them. */
static int append_text(struct vlog_writer *w, const struct vlog_text *more)
{
	int ret;

	if (!more || !more->len)
		return 0;
	if (more->len > w->header_bytes - VLOG_PREFIX_BYTES - w->text_bytes)
		return -ENOSPC;
	ret = write_all(w->fd, more->buf, more->len, VLOG_PREFIX_BYTES + (off_t)w->text_bytes);
	if (!ret)
		w->text_bytes += (uint32_t)more->len;
	return ret;
}

/* Raise text_bytes in place: one aligned 4-byte store of the prefix. */
static int publish_text(struct vlog_writer *w)
{
	uint32_t text_bytes = w->text_bytes;

	return write_all(w->fd, &text_bytes, sizeof(text_bytes),
			 (off_t)offsetof(struct vlog_prefix, text_bytes));
}

int vlog_writer_add_text(struct vlog_writer *w, const struct vlog_text *more, size_t keep)
{
	uint32_t old = w->text_bytes;
	int ret;

	if (w->fd < 0)
		return -EBADF;
	if (!more || !more->len)
		return 0;
	if (keep > w->header_bytes - VLOG_PREFIX_BYTES - w->text_bytes ||
	    more->len > w->header_bytes - VLOG_PREFIX_BYTES - w->text_bytes - keep)
		return -ENOSPC;
	ret = append_text(w, more);
	if (!ret)
		ret = publish_text(w);
	if (ret)
		w->text_bytes = old; /* unpublished lines are overwritten by the next ones */
	return ret;
}

static int mark_closed(struct vlog_writer *w)
{
	struct vlog_prefix p;

	if (pread(w->fd, &p, sizeof(p), 0) != (ssize_t)sizeof(p))
		return -EIO;
	p.state = VLOG_STATE_CLOSED;
	p.record_count = w->count;
	p.text_bytes = w->text_bytes;
	return write_all(w->fd, &p, sizeof(p), 0);
}

int vlog_writer_close(struct vlog_writer *w)
{
	return vlog_writer_close_text(w, NULL);
}

int vlog_writer_close_text(struct vlog_writer *w, const struct vlog_text *more)
{
	off_t end = (off_t)w->header_bytes + (off_t)w->count * VLOG_REC_BYTES;
	int ret = 0, text_ret = 0;

	if (w->fd < 0)
		return 0;
	release_va(w);
	/* records first, then the flag that vouches for them */
	if (ftruncate(w->fd, end) || fdatasync(w->fd))
		ret = -errno;
	if (!ret) {
		/* a closing text that does not fit is dropped; the log still closes */
		text_ret = append_text(w, more);
		if (text_ret == -ENOSPC)
			text_ret = -EMSGSIZE; /* no room in the pad; not the disk's ENOSPC */
		else
			ret = text_ret;
	}
	if (!ret)
		ret = mark_closed(w);
	if (!ret && fdatasync(w->fd))
		ret = -errno;
	if (close(w->fd) && !ret)
		ret = -errno;
	w->fd = -1;
	return ret ? ret : text_ret ? text_ret : w->err;
}
