/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fiolog_scan.h - what the fio log reader's two halves share: the one-
 * thread passes and layout detection (load_fiolog.c) and the same passes
 * on every core (fiolog_par.c).  Internal to analysis/core.
 */
#ifndef VMLAT_FIOLOG_SCAN_H
#define VMLAT_FIOLOG_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "load.h"

/* What the first pass learns about each column, to test layouts against. */
struct col_sum {
	uint64_t min, max;
	int any_hex, all_hex;
	int ge_value; /* >= column 2 on every line */
};

struct scan {
	const char *buf;
	size_t len;
	int fd;		/* the mapped file, for the threads' pread() */
	unsigned int ncols;
	uint64_t nlines;
	struct col_sum sum[FIOLOG_MAXCOLS];
};

/* Pass 2's sets, one per direction (0 read, 1 write, 2 trim). */
struct fill {
	uint64_t nlines;  /* of the file: room each new set reserves */
	struct sample_set *sets[3];
	uint64_t bs[3];	  /* block size of the set, 0 when mixed */
	int bs_seen[3];
};

/*
 * fiolog_parse_line - parse the line at B[*POS] (LEN bytes in B) into V
 * (hex flags in *HEX): 0 with the column count in *NCOLS and *POS past the
 * line, 1 at the end of the buffer, or -errno with ERR saying what is wrong
 * (LINENO, 1-based, for the message).
 */
int fiolog_parse_line(const char *b, size_t len, size_t *pos, uint64_t lineno, uint64_t *v,
		      unsigned int *hex, unsigned int *ncols, struct load_err *err);
/* Add line V (hex flags HEX) to the column summaries of S. */
void fiolog_sum_line(struct scan *s, const uint64_t *v, unsigned int hex);

/*
 * The passes on every core (fiolog_par.c).  fiolog_par_new() cuts the
 * file of S into pieces and, unless --hist, readies pass 1's store of
 * one-direction logs; NULL when no thread can be had.  fiolog_par_scan()
 * is pass 1 into S; fiolog_par_fill() pass 2 into F with layout L (or
 * the samples pass 1 stored).  Both return -EAGAIN for anything the
 * one-thread passes must do or judge, so their verdicts and messages are
 * the only ones; else 0 or -ENOMEM.
 */
struct fiolog_par;
struct fiolog_par *fiolog_par_new(const struct scan *s, const struct load_opts *o);
int fiolog_par_scan(struct fiolog_par *pa, struct scan *s);
int fiolog_par_fill(struct fiolog_par *pa, struct fill *f, const struct scan *s,
		    const struct fiolog_layout *l, const char *path, const struct load_opts *o);
void fiolog_par_free(struct fiolog_par *pa);

/*
 * fiolog_one_move - move N samples from A + FROM down to A + TO (TO <
 * FROM) in blocks, the one-direction store's pieces moved together,
 * giving back the pages moved out of as it goes that the move will not
 * write (they are never read again); when FROM - TO is more than 64 MiB
 * of samples, every page moved out of, so a large log's move needs a
 * block more, not a piece or a gap more.  Exposed for its test.
 */
void fiolog_one_move(uint64_t *a, size_t to, size_t from, size_t n);

#endif /* VMLAT_FIOLOG_SCAN_H */
