/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fiolog_parse.h - the fast path of the fio log reader (load_fiolog.c):
 * whole-line SWAR number parsing, and the file cut at line boundaries for
 * one thread per core.  See fiolog_parse.c for the method and its limits.
 */
#ifndef VMLAT_FIOLOG_PARSE_H
#define VMLAT_FIOLOG_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * fiolog_fast_line - parse the line at B[*POS] (B has LEN bytes) when it is
 * in the form fio writes: decimals of 1 to 15 digits, ", " or "," between
 * them, "\n" or "\r\n" after the last, at most MAXCOLS of them, and 17
 * readable bytes from each number's start.  Then the numbers go to V, their
 * count to *NCOLS, *POS past the line end, and 1 is returned.  Otherwise 0
 * with nothing changed: the caller's byte-by-byte parser reads the line and
 * says what, if anything, is wrong with it.  Inline: it runs once a line.
 */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define FIOLOG_ONES 0x0101010101010101ull

/* Leading digits of the word W (0..8), with their values in *T (0..9 each). */
static inline unsigned int fiolog_word_digits(uint64_t w, uint64_t *t)
{
	uint64_t stop;

	*t = w - 0x30 * FIOLOG_ONES;
	stop = (*t | (*t + 0x76 * FIOLOG_ONES)) & 0x80 * FIOLOG_ONES;
	return stop ? (unsigned int)__builtin_ctzll(stop) / 8 : 8;
}

/* The value of the first K (0..8) digit bytes of T. */
static inline uint64_t fiolog_word_value(uint64_t t, unsigned int k)
{
	unsigned int s = 4 * (8 - k);

	t = (t << s) << s; /* the k digits to the top bytes; two shifts: k = 0 shifts 64 */
	t = (t * 10 + (t >> 8)) & 0x00ff00ff00ff00ffull;
	t = (t * 100 + (t >> 16)) & 0x0000ffff0000ffffull;
	return (t * 10000 + (t >> 32)) & 0xffffffffull;
}

/* The line at B[P]; CHECKED: test the room before each number (the end is near). */
static inline int fiolog_line_at(const char *b, size_t len, size_t p, size_t *pos, uint64_t *v,
				 unsigned int maxcols, unsigned int *ncols, int checked)
{
	static const uint64_t fiolog_pow10[9] = {
		1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
	};
	unsigned int n = 0;

	for (;;) {
		uint64_t w, t0, t1;
		unsigned int k0, k1 = 0, k;

		if (checked && (p > len || len - p < 17)) /* two words, then the separator */
			return 0;
		memcpy(&w, b + p, 8);
		k0 = fiolog_word_digits(w, &t0);
		if (!k0 || n == maxcols)
			return 0;
		v[n] = fiolog_word_value(t0, k0);
		if (k0 == 8) { /* the number goes on into the second word */
			memcpy(&w, b + p + 8, 8);
			k1 = fiolog_word_digits(w, &t1);
			if (k1 == 8)
				return 0;
			v[n] = v[n] * fiolog_pow10[k1] + fiolog_word_value(t1, k1);
		}
		n++;
		k = k0 + k1;
		p += k;
		if (b[p] == ',') {
			p += 1 + (b[p + 1] == ' ');
			continue;
		}
		p += b[p] == '\r';
		if (b[p] != '\n')
			return 0;
		*pos = p + 1;
		*ncols = n;
		return 1;
	}
}

static inline int fiolog_fast_line(const char *b, size_t len, size_t *pos, uint64_t *v,
				   unsigned int maxcols, unsigned int *ncols)
{
	/* a line of up to 8 numbers of at most 15 digits and their ", " fits in 8 * 17 */
	if (*pos <= len && len - *pos >= 17 * (size_t)maxcols + 17)
		return fiolog_line_at(b, len, *pos, pos, v, maxcols, ncols, 0);
	return fiolog_line_at(b, len, *pos, pos, v, maxcols, ncols, 1);
}
#else
static inline int fiolog_fast_line(const char *b, size_t len, size_t *pos, uint64_t *v,
		     unsigned int maxcols, unsigned int *ncols)
{
	(void)b, (void)len, (void)pos, (void)v, (void)maxcols, (void)ncols;
	return 0;
}
#endif



/*
 * Threads for a text file of LEN bytes: VMLAT_THREADS when set (1-64, any
 * size: the tests cut small files), else one per online CPU, but no more
 * than one per MiB.
 */
unsigned int fiolog_threads(size_t len);

/*
 * fiolog_split - cut B[0..LEN) into N pieces at line starts: BOUNDS[0] = 0,
 * BOUNDS[N] = LEN, BOUNDS[i] just after the first '\n' at or after
 * i * LEN / N (pieces may be empty).
 */
void fiolog_split(const char *b, size_t len, unsigned int n, size_t *bounds);

/*
 * A piece [off, end) of the file FD read as runs of whole lines, copied by
 * pread() into one reused buffer.  Why copy what the loader has mapped
 * anyway (for the one-thread pass and its messages): on a hypervisor that
 * shadows the guest's page tables the first touch of each page of a new
 * mapping costs microseconds (3 us a 4 KiB page on the development guest,
 * more than parsing it), and pread() copies from the page cache through
 * the kernel's own mapping instead.  The buffer is small enough to stay in
 * the core's L2 cache while the lines are parsed (64-128 KiB measured best
 * here, 1 MiB clearly slower; BENCHMARKS.md).
 */
struct fiolog_chunks {
	int fd;
	size_t off, end;
	char *buf;		/* FIOLOG_CHUNK bytes, or NULL before the first run */
	size_t have, used;	/* bytes in buf; bytes of them given out */
};

#define FIOLOG_CHUNK (1u << 17)

void fiolog_chunks_init(struct fiolog_chunks *c, int fd, size_t off, size_t end);
/*
 * The next run: its bytes are *B + *FROM up to *B + *TO, whole lines (the
 * piece's last may lack its '\n').  1, 0 at the piece's end, -1 when a line
 * is longer than the buffer or the file cannot be read (the caller's
 * one-thread pass then judges the file, with the mapping).
 */
int fiolog_chunks_next(struct fiolog_chunks *c, const char **b, size_t *from, size_t *to);
void fiolog_chunks_release(struct fiolog_chunks *c);

#endif /* VMLAT_FIOLOG_PARSE_H */
