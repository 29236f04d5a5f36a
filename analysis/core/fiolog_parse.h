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

/*
 * fiolog_fast_line - parse the line at B[*POS] (B has LEN bytes) when it is
 * in the form fio writes: decimals of 1 to 15 digits, ", " or "," between
 * them, "\n" or "\r\n" after the last, at most MAXCOLS of them, and 17
 * readable bytes from each number's start.  Then the numbers go to V, their
 * count to *NCOLS, *POS past the line end, and 1 is returned.  Otherwise 0
 * with nothing changed: the caller's byte-by-byte parser reads the line and
 * says what, if anything, is wrong with it.
 */
int fiolog_fast_line(const char *b, size_t len, size_t *pos, uint64_t *v,
		     unsigned int maxcols, unsigned int *ncols);

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
 * fiolog_parallel - FN(ARG, i) for i in 0..N-1, one thread each (the
 * caller's thread runs piece 0).  0, or -errno when a thread could not
 * start (the pieces that ran are joined; the caller falls back to one).
 */
int fiolog_parallel(unsigned int n, void (*fn)(void *arg, unsigned int i), void *arg);

#endif /* VMLAT_FIOLOG_PARSE_H */
