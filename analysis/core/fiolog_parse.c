/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fiolog_parse.c - fast path of the fio log reader (see fiolog_parse.h,
 * where the line parser is, inline: it runs once a line, twice a file).
 *
 * The method.  fio writes each line as decimals joined by ", ".  A number
 * is read as two 8-byte words loaded at its start, whatever they hold
 * (SWAR: SIMD within a register).  In each word the bytes that are not
 * digits are found all at once, "(t | (t + 0x76)) & 0x80" per byte after
 * subtracting '0' (the high bit is set for bytes below '0' and above '9'),
 * and the number's length is the count of trailing zero bits of that mask
 * over 8.  The digits are turned into a value with three multiplies
 * (pairs, then fours, then eights of digits), the second word's only when
 * the first is all digits (v0 * 10^k1 + v1).  So a number costs about 30
 * instructions (50 past 8 digits), and the branches are per column, not
 * per byte: the separator, the line end, and whether the number is longer
 * than 8 digits, which in a real log is the same on nearly every line of
 * the column (latencies in ns: 8 digits from 10 ms; offsets: always).
 *
 * Limits, each sending the line to the byte-by-byte parser of
 * load_fiolog.c, which reads it with the exact old rules (and finds the
 * error if there is one): 16 or more digits (the slow parser checks
 * overflow), a hex number (prio with log_prio=1), spaces other than the
 * one after a comma, anything else between numbers, a line end other than
 * "\n" or "\r\n", more than MAXCOLS numbers, and the last 17 bytes of the
 * buffer (a word must not be read past its end).  A little-endian host is
 * needed for the byte order of the words; elsewhere every line takes the
 * slow path (correct, slower).
 *
 * The threads: the file is cut at line starts into one piece per core;
 * each piece is read by its own thread (par_run(), par.c), so the loader
 * can count and then fill each direction's sample array in place, every
 * piece writing its own slice of it: no merge copy.  A thread reads its
 * piece with pread() into a buffer of its own (struct fiolog_chunks).
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/types.h>
#include <string.h>
#include <unistd.h>

#include "fiolog_parse.h"
#include "par.h"

unsigned int fiolog_threads(size_t len)
{
	unsigned int n = par_cpus();

	if (getenv("VMLAT_THREADS") && *getenv("VMLAT_THREADS"))
		return n;
	if (n > len >> 20)
		n = (unsigned int)(len >> 20);
	return n < 1 ? 1 : n;
}

void fiolog_split(const char *b, size_t len, unsigned int n, size_t *bounds)
{
	unsigned int i;

	bounds[0] = 0;
	for (i = 1; i < n; i++) {
		size_t at = (size_t)((unsigned __int128)len * i / n);
		const char *nl;

		at = at < bounds[i - 1] ? bounds[i - 1] : at;
		nl = at < len ? memchr(b + at, '\n', len - at) : NULL;
		bounds[i] = nl ? (size_t)(nl - b) + 1 : len;
	}
	bounds[n] = len;
}

void fiolog_chunks_init(struct fiolog_chunks *c, int fd, size_t off, size_t end)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->off = off;
	c->end = end;
}

/* Fill the buffer after the unfinished line kept at its start. */
static int chunks_fill(struct fiolog_chunks *c)
{
	memmove(c->buf, c->buf + c->used, c->have - c->used);
	c->have -= c->used;
	c->used = 0;
	while (c->have < FIOLOG_CHUNK && c->off < c->end) {
		size_t want = FIOLOG_CHUNK - c->have;
		ssize_t got;

		want = want < c->end - c->off ? want : c->end - c->off;
		got = pread(c->fd, c->buf + c->have, want, (off_t)c->off);
		if (got <= 0 && !(got < 0 && errno == EINTR))
			return -1; /* an error, or the file shrank */
		if (got > 0) {
			c->have += (size_t)got;
			c->off += (size_t)got;
		}
	}
	return 0;
}

int fiolog_chunks_next(struct fiolog_chunks *c, const char **b, size_t *from, size_t *to)
{
	const char *nl;

	if (!c->buf && !(c->buf = malloc(FIOLOG_CHUNK)))
		return -1;
	if (chunks_fill(c))
		return -1;
	if (c->have == 0)
		return 0;
	nl = c->off < c->end ? memrchr(c->buf, '\n', c->have) : c->buf + c->have - 1;
	if (!nl)
		return -1; /* a line longer than the buffer: not a fio log, as the one-thread pass will say */
	*b = c->buf;
	*from = 0;
	*to = c->used = (size_t)(nl - c->buf) + 1;
	return 1;
}

void fiolog_chunks_release(struct fiolog_chunks *c)
{
	free(c->buf);
	c->buf = NULL;
}
