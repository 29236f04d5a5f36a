/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vlog.h - the vmlat per-IO log: the one owner of the on-disk format.
 *
 * Both the fio engine (writer) and the vmlat command (reader) include this
 * header and link lib/vlog.c; nothing else knows the layout.
 *
 * LAYOUT
 *
 *   [ fixed prefix, 64 bytes ][ text section ][ zero pad to header_bytes ]
 *   [ record 0 ][ record 1 ] ...            (record_bytes each, 64 in v1)
 *
 * Fixed prefix (all integers in the writer's byte order, see bom):
 *
 *   off size field
 *     0    8 magic          "VMLATLOG"
 *     8    4 bom            0x01020304 as the writer stored it; a reader
 *                           that sees 0x04030201 swaps every integer
 *    12    2 version_major  readers refuse a major they do not know
 *    14    2 version_minor  same major, newer minor: still readable
 *    16    4 header_bytes   offset of record 0; a multiple of 4096
 *    20    4 record_bytes   size of one record (64 in v1)
 *    24    4 text_bytes     length of the text section at offset 64
 *    28    4 state          0 = open (writer running or killed),
 *                           1 = closed cleanly
 *    32    8 record_count   number of records; valid when state = 1
 *    40   24 reserved       zero
 *
 * The text section is "key=value\n" lines, UTF-8 or bytes, with '\\', '\n',
 * '\t', '\r' and other bytes below 0x20 written as \\, \n, \t, \r, \xHH.
 * Keys the writer always sets: format, byte_order, fields, engine_version,
 * fio_version, job_name, job_number, hostname, pid, start_realtime_ns,
 * start_monotonic_ns, clock, issue_time, lat_start.  Job options appear as
 * "opt.NAME", user tags as "tag.KEY", Study B's micro-probes (when the
 * engine ran them) as "probe.*", defined in probes.h.  The engine also writes where the
 * job ran: platform.* and evidence.* (lib/platform.h), run.* and
 * target.N.* (lib/runctx.h), engine.cc and engine.cflags (the compiler and
 * flags that built it), and with vmlat_ctx=steal ctx.steal.file, the
 * sidecar of steal samples next to the log (lib/vsteal.h).  Readers keep
 * unknown keys and never depend on their order.
 *
 * Keys written at close.  The zero pad between the text section and
 * header_bytes is room a writer may reserve at open; at a clean close it
 * may append more lines there (what is only known at the end of a job,
 * such as the engine's run.steal_end_ns.cpuN) and raise text_bytes in the
 * same 64-byte prefix write that sets state = 1.  The lines land in the
 * pad first and the prefix vouches for them after, so a log whose writer
 * died keeps its open-time text_bytes and simply lacks those keys.  Any
 * reader, old or new, reads them as ordinary keys: this is not a format
 * change (minor version stays 0).
 *
 * Keys added while open.  The same pad takes lines while the writer runs
 * (the engine lists there a target that fio opens after the header was
 * written, and why it refused it): the lines are written into the pad
 * first, then text_bytes alone is raised in place (one aligned 4-byte
 * write of the prefix), so a writer killed between the two leaves the
 * text as it was, and the next lines or the closing keys overwrite the
 * unvouched bytes.  Readers see ordinary keys; not a format change either.
 *
 * A record (v1, 64 bytes, naturally aligned, never straddling a page):
 *
 *   off size field          meaning
 *     0    8 seq            0-based sequence number = record index
 *     8    8 offset         byte offset of the IO in its file
 *    16    8 issue_ns       ns since fio's job epoch when fio issued the IO
 *                           (what fio 3.38+ logs with log_issue_time=1)
 *    24    8 lat_ns         ns from issue to the end of the syscall, on the
 *                           clock the "clock" key names; "lat_start" says
 *                           whether the start is fio's issue stamp
 *                           (fio_issue) or the engine's own (engine)
 *    32    4 len            bytes requested (0 for sync)
 *    36    1 ddir           enum vlog_ddir
 *    37    1 ctx_mask       which context fields below were measured
 *    38    2 error          errno of the IO, 0 when it succeeded
 *    40    2 cpu_submit     vCPU before the IO, VLOG_CPU_UNKNOWN if unknown
 *    42    2 cpu_complete   vCPU after the IO
 *    44    4 rq_delay_ns    run-queue delay during the IO (saturating)
 *    48    2 nvcsw          voluntary context switches during the IO
 *    50    2 nivcsw         involuntary context switches during the IO
 *    52    2 minflt         minor faults during the IO
 *    54    2 majflt         major faults during the IO
 *    56    4 inflight       IOs ahead of this one when it was submitted
 *                           (v1.1; zero, "reserved", in v1.0)
 *    60    4 check          vlog_rec_check() of the fields above; never 0
 *
 * The context fields (rq_delay_ns .. majflt, inflight) are reserved room:
 * a field holds data only when its bit is set in ctx_mask, so adding a
 * measurement is not a format change.
 *
 * inflight (v1.1, bit VLOG_CTX_INFLIGHT): how many IOs of the same job
 * were already in the kernel (submitted and not yet reaped) when this IO
 * was submitted, plus those ahead of it in the same submit call: 0 at
 * queue depth 1 and for every psync IO, up to iodepth - 1.  The engine's
 * io= header key says which IO path (psync, io_uring, libaio) the job
 * used, and io.* keys what lat_ns and the CPU fields then mean.
 *
 * History: 1.0 had "reserved:u32@56" (always zero) and no bit 3 in
 * ctx_mask; 1.1 defines both.  A 1.1 log's "fields" key is the 1.0 list,
 * which every major-1 reader requires as its prefix, followed by
 * ",inflight:u32@56" (the reserved word's new name), so a 1.0 reader
 * still opens it, checks its records unchanged (the check word always
 * covered those four bytes) and ignores the field; a 1.1 reader shows
 * inflight only where the bit is set, so a 1.0 log's column is empty,
 * never a false 0.
 *
 * VERSIONING RULE
 *
 * Offsets and meanings of existing fields never change within a major
 * version.  A minor version may add text keys, define reserved bits, or
 * append fields after byte 64 (growing record_bytes; the "fields" key lists
 * every field as name:type@offset).  Anything else bumps the major.
 *
 * CRASH SAFETY AND THE TORN TAIL
 *
 * The writer maps the file window by window (MAP_SHARED) and stores each
 * record in place, writing "check" last.  Stores to a shared file mapping
 * live in the page cache, so a SIGKILL loses nothing that was stored; the
 * space after the last record is zero because the window was allocated
 * before use.  A reader therefore accepts records while "check" matches and
 * "seq" equals the index, and classifies what follows:
 *   - state = 1: the count in the prefix must match the records and the
 *     file size.  Fewer good records than counted (the file was cut short,
 *     or a record is damaged) is a torn tail too: the records before the
 *     damage are good and are returned, the rest is reported with its byte
 *     offset.  Bytes after the counted records are an error.
 *   - state = 0 and only zero bytes follow: the writer was stopped between
 *     two records; every record is good (VLOG_TAIL_OPEN).
 *   - state = 0 and non-zero bytes follow: a record was being written when
 *     the writer died, or the file was damaged (VLOG_TAIL_TORN, with the
 *     byte offset).  Those bytes are never returned as data.
 */
#ifndef VMLAT_VLOG_H
#define VMLAT_VLOG_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define VLOG_MAGIC "VMLATLOG"
#define VLOG_BOM 0x01020304u
#define VLOG_VERSION_MAJOR 1
#define VLOG_VERSION_MINOR 1
#define VLOG_PREFIX_BYTES 64
#define VLOG_REC_BYTES 64
#define VLOG_ALIGN 4096
#define VLOG_CPU_UNKNOWN 0xffffu

enum vlog_state { VLOG_STATE_OPEN = 0, VLOG_STATE_CLOSED = 1 };

/* Numbering is vmlat's own (it happens to follow fio's enum fio_ddir). */
enum vlog_ddir {
	VLOG_READ = 0,
	VLOG_WRITE = 1,
	VLOG_TRIM = 2,
	VLOG_SYNC = 3,
	VLOG_DATASYNC = 4,
	VLOG_SYNC_FILE_RANGE = 5,
	VLOG_DDIR_COUNT
};

/* Bits of ctx_mask. */
enum vlog_ctx {
	VLOG_CTX_RQ_DELAY = 1 << 0, /* rq_delay_ns */
	VLOG_CTX_CSW = 1 << 1,	    /* nvcsw, nivcsw */
	VLOG_CTX_FAULTS = 1 << 2,   /* minflt, majflt */
	VLOG_CTX_INFLIGHT = 1 << 3, /* inflight (format 1.1) */
};

struct vlog_prefix {
	char magic[8];
	uint32_t bom;
	uint16_t version_major;
	uint16_t version_minor;
	uint32_t header_bytes;
	uint32_t record_bytes;
	uint32_t text_bytes;
	uint32_t state;
	uint64_t record_count;
	uint8_t reserved[24];
};

struct vlog_rec {
	uint64_t seq;
	uint64_t offset;
	uint64_t issue_ns;
	uint64_t lat_ns;
	uint32_t len;
	uint8_t ddir;
	uint8_t ctx_mask;
	uint16_t error;
	uint16_t cpu_submit;
	uint16_t cpu_complete;
	uint32_t rq_delay_ns;
	uint16_t nvcsw;
	uint16_t nivcsw;
	uint16_t minflt;
	uint16_t majflt;
	uint32_t inflight;
	uint32_t check;
};

_Static_assert(sizeof(struct vlog_prefix) == VLOG_PREFIX_BYTES, "prefix layout");
_Static_assert(sizeof(struct vlog_rec) == VLOG_REC_BYTES, "record layout");
_Static_assert(VLOG_ALIGN % VLOG_REC_BYTES == 0, "records must not straddle pages");

/*
 * The "fields" text key of v1.0, in record order.  Readers of major 1
 * require a log's list to start with it; a minor version appends.
 */
#define VLOG_FIELDS                                                                  \
	"seq:u64@0,offset:u64@8,issue_ns:u64@16,lat_ns:u64@24,len:u32@32,ddir:u8@36," \
	"ctx_mask:u8@37,error:u16@38,cpu_submit:u16@40,cpu_complete:u16@42,"          \
	"rq_delay_ns:u32@44,nvcsw:u16@48,nivcsw:u16@50,minflt:u16@52,majflt:u16@54,"  \
	"reserved:u32@56,check:u32@60"

/* What this version writes: 1.1 names the reserved word (see "History"). */
#define VLOG_FIELDS_WRITTEN VLOG_FIELDS ",inflight:u32@56"

static inline uint64_t vlog_mix(uint64_t h, uint64_t v)
{
	h ^= v;
	h *= 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 29);
}

/*
 * vlog_rec_check - the check word of a record, computed from field values
 * (not bytes), so it is the same whatever the byte order.  Never 0, so an
 * all-zero slot is never a valid record.
 */
static inline uint32_t vlog_rec_check(const struct vlog_rec *r)
{
	uint64_t h = 0x766d6c6174763121ull; /* "vmlatv1!" */

	h = vlog_mix(h, r->seq);
	h = vlog_mix(h, r->offset);
	h = vlog_mix(h, r->issue_ns);
	h = vlog_mix(h, r->lat_ns);
	h = vlog_mix(h, r->len | (uint64_t)r->ddir << 32 | (uint64_t)r->ctx_mask << 40 |
				(uint64_t)r->error << 48);
	h = vlog_mix(h, r->cpu_submit | (uint64_t)r->cpu_complete << 16 |
				(uint64_t)r->rq_delay_ns << 32);
	h = vlog_mix(h, r->nvcsw | (uint64_t)r->nivcsw << 16 | (uint64_t)r->minflt << 32 |
				(uint64_t)r->majflt << 48);
	h = vlog_mix(h, r->inflight); /* "reserved" in 1.0: same word */
	h ^= h >> 32;
	return (uint32_t)h ? (uint32_t)h : 1;
}

/* Name of a direction ("read", "write", ...), or NULL when out of range. */
const char *vlog_ddir_name(unsigned int ddir);

/*
 * Text section builder.  vlog_text_add() appends one escaped "key=value\n"
 * line; returns 0 or -ENOMEM.  Keys must not contain '=' or control bytes
 * (-EINVAL).
 */
struct vlog_text {
	char *buf;
	size_t len;
	size_t alloc;
	size_t reserve;	/* pad kept after the text for vlog_writer_close_text() */
};

void vlog_text_init(struct vlog_text *t);
int vlog_text_add(struct vlog_text *t, const char *key, const char *value);
int vlog_text_addf(struct vlog_text *t, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void vlog_text_release(struct vlog_text *t);

/* Add the keys that describe the format itself: format, byte_order, fields. */
int vlog_text_add_format(struct vlog_text *t);

/*
 * Writer.  One writer per fio job instance; not thread-safe by design (each
 * fio job has its own).  Memory is one window (window_bytes) however long
 * the job runs.
 */
struct vlog_writer {
	int fd;
	uint32_t header_bytes;
	uint32_t text_bytes;	/* text section length as written so far */
	uint32_t window_bytes;
	struct vlog_rec *win;	/* current window mapping */
	uint32_t win_cap;	/* records this window holds (the first holds fewer) */
	uint32_t win_used;	/* records stored in this window */
	uint64_t win_first;	/* record index of win[0] */
	uint64_t count;		/* records stored so far */
	int err;		/* first error (-errno) of a window change */
	char *va;		/* address space of the windows: one slot, two with prep */
	struct vlog_prep *prep;	/* maps the next window ahead (vlog_prep.h), or NULL */
};

#define VLOG_WINDOW_BYTES (4u << 20)

/*
 * vlog_writer_open - create PATH (which must not exist: an old log is never
 * overwritten unless replace is set), write the prefix and TEXT, map the
 * first window.  window_bytes = 0 picks VLOG_WINDOW_BYTES.  Returns 0 or
 * -errno (-EEXIST when PATH exists and !replace).
 */
int vlog_writer_open(struct vlog_writer *w, const char *path, const struct vlog_text *text,
		     uint32_t window_bytes, int replace);

/*
 * vlog_writer_append - store one record (its seq and check are set here).
 * No allocation, lock or syscall, except one window change every
 * window_bytes / 64 records, done after the record is stored: a switch to
 * the window a helper thread mapped ahead (vlog_prep.h), or, when it has
 * not, fallocate, mmap and madvise here.  Returns 0, or the -errno of a
 * failed window change: when the change that follows a record fails, that
 * record is stored and counted, and every later call returns the same
 * error without storing anything.
 */
int vlog_writer_roll(struct vlog_writer *w);

static inline int vlog_writer_append(struct vlog_writer *w, const struct vlog_rec *r)
{
	struct vlog_rec *slot;

	if (w->err)
		return w->err;
	/* one copy, straight into the slot: this runs once per IO (BENCHMARKS.md) */
	slot = &w->win[w->win_used];
	memcpy(slot, r, offsetof(struct vlog_rec, check));
	slot->seq = w->count;
	/* check is stored last: a record cut short by SIGKILL never validates */
	__atomic_store_n(&slot->check, vlog_rec_check(slot), __ATOMIC_RELEASE);
	/* published for readers in other threads (the steal sampler, engine/steal.c) */
	__atomic_store_n(&w->count, w->count + 1, __ATOMIC_RELEASE);
	if (++w->win_used == w->win_cap)
		return vlog_writer_roll(w);
	/*
	 * Ask for the next slot's line now, for writing, so that it arrives
	 * while the next IO runs: stored cold, right before that IO's syscall,
	 * the miss was paid in full on this guest (bench-append: 0.972 -> 0.982
	 * of the IO loop without a log; BENCHMARKS.md).  A hint: never faults.
	 */
	__builtin_prefetch(w->win + w->win_used, 1, 3);
	return 0;
}

/*
 * vlog_writer_close - unmap, cut the file to its records, mark it closed
 * with the final count, fsync.  Returns 0 or -errno; the writer is released
 * either way.
 */
int vlog_writer_close(struct vlog_writer *w);

/*
 * vlog_writer_close_text - vlog_writer_close(), appending the lines of
 * MORE (built like the open text) to the text section, in the pad after
 * it (see "Keys written at close"; reserve room with text->reserve at
 * open).  Returns what vlog_writer_close() returns, or -EMSGSIZE when
 * MORE does not fit in the pad: the log is then closed without it.  A
 * window change that failed earlier (vlog_writer_append) is returned last:
 * the log then closes with the records stored before it, and MORE.
 */
int vlog_writer_close_text(struct vlog_writer *w, const struct vlog_text *more);

/*
 * vlog_writer_add_text - while the log is open, append the lines of MORE
 * to the text section, in the pad (see "Keys added while open"), leaving
 * at least KEEP bytes of pad for later lines (the closing keys).  Returns
 * 0, -ENOSPC when MORE does not fit (nothing is written), -EBADF on a
 * writer that is not open, or the -errno of the write.
 */
int vlog_writer_add_text(struct vlog_writer *w, const struct vlog_text *more, size_t keep);

/*
 * Reader.  Maps the whole file read-only (a log not yet marked closed is
 * read into memory instead: its writer's close may shrink the file, which
 * would make a mapping raise SIGBUS; the reader sees the records written
 * up to the open); with vlog_reader_open() records
 * are validated once, at open, so vlog_reader_rec() is a bounds-free copy
 * (and byte swap when the file came from a machine of the other byte
 * order).  Streaming (below) validates them as it hands them out.
 */
enum vlog_tail {
	VLOG_TAIL_CLEAN, /* closed by its writer; count and size match */
	VLOG_TAIL_OPEN,	 /* never closed; ends on zero bytes; all data good */
	VLOG_TAIL_TORN,	 /* invalid bytes from tail_offset on: never closed, or
			    closed and then cut short or damaged (err says which) */
};

struct vlog_kv {
	char *key;
	char *value;
};

struct vlog_reader {
	const unsigned char *map;
	size_t map_bytes;
	size_t copy_bytes;	/* a log still open is read into memory: its size */
	int swap;
	struct vlog_prefix prefix; /* in host byte order */
	struct vlog_kv *kv;
	size_t nkv;
	uint64_t nrec;		/* good records (streaming: handed out so far) */
	uint64_t slots;		/* whole records the file has room for */
	enum vlog_tail tail;
	uint64_t tail_offset;
	/* after a failed open or a torn tail: what and where */
	uint64_t err_offset;
	char err[200];
	/* streaming (vlog_reader_next) */
	struct vlog_rec *buf;	/* host-order copies, for the other byte order */
	uint64_t next_window;	/* where the next window of the map starts */
};

/*
 * vlog_reader_open - map and validate PATH.  Returns 0 (check r->tail), or
 * -errno: -EBADMSG for a file that is not a vmlat log or is damaged,
 * -EPROTONOSUPPORT for a newer major version, other -errno for system
 * errors.  On failure r->err says what is wrong and r->err_offset where.
 */
int vlog_reader_open(struct vlog_reader *r, const char *path);

/*
 * Streaming: vlog_reader_open_stream() maps PATH and validates what comes
 * before the records (same errors as vlog_reader_open), leaving r->nrec 0.
 * Each vlog_reader_next() then validates and hands out the next up to
 * VLOG_STREAM_BATCH good records in host byte order (*recs, valid until
 * the next call; r->nrec counts them), releasing the pages behind from the
 * process.  *n == 0 is the end: the call then returns and sets what
 * vlog_reader_open() would have (0 with r->tail, or -errno with r->err), so
 * a caller that wants a clean log must read to the end before it uses
 * anything.  Release with vlog_reader_release() either way.
 */
#define VLOG_STREAM_BATCH 1024
int vlog_reader_open_stream(struct vlog_reader *r, const char *path);
int vlog_reader_next(struct vlog_reader *r, const struct vlog_rec **recs, size_t *n);

/*
 * vlog_reader_in_place - can R's records be used where they lie, as an
 * array of struct vlog_rec?  Only in host byte order (r->swap == 0) and
 * with records of VLOG_REC_BYTES: a later minor version may write longer
 * records (fields appended, prefix.record_bytes says how long), which are
 * then read one by one into a copy, as a swapped log's are.
 */
int vlog_reader_in_place(const struct vlog_reader *r);

/*
 * The same validation on every core (analysis/core/load_vlog.c): for a log
 * whose records can be used in place (vlog_reader_in_place()) opened with
 * vlog_reader_open_stream(),
 * vlog_reader_span() validates records [FROM, TO) in place, without
 * changing R, so threads may call it side by side on their own ranges: the
 * number of good records from FROM (up to the first bad one), with *RECS
 * pointing at record FROM.  0 for any other log.  The caller finds where
 * the good records end (the first span that stops short), drops the pages
 * it has read with vlog_reader_drop_before(R, I) (records before I, 64 MiB
 * at a time, as vlog_reader_next() does) and ends with vlog_reader_end(R,
 * NREC), which judges the tail and returns what vlog_reader_next()'s last
 * call would have.
 */
size_t vlog_reader_span(const struct vlog_reader *r, uint64_t from, uint64_t to,
			const struct vlog_rec **recs);
void vlog_reader_drop_before(struct vlog_reader *r, uint64_t i);
int vlog_reader_end(struct vlog_reader *r, uint64_t nrec);

/* Copy record I (< r->nrec) in host byte order. */
void vlog_reader_rec(const struct vlog_reader *r, uint64_t i, struct vlog_rec *out);

/* Value of text KEY, or NULL. */
const char *vlog_reader_get(const struct vlog_reader *r, const char *key);

void vlog_reader_release(struct vlog_reader *r);

/* Undo the escaping of one text-section value (vlog_text_add() escapes). */
int vlog_unescape(const char *in, size_t len, char **out);

#endif /* VMLAT_VLOG_H */
