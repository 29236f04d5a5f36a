/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jsonmem.h - jansson's memory, counted, and capped while a file is parsed.
 *
 * jansson builds the whole tree of a document: a fio JSON file takes about
 * nine times its size (an 876 MB file, 7.6 GiB).  Unchecked, a large one
 * grows the process until the OOM killer ends it.  Every jansson
 * allocation of the process goes through this module's functions
 * (installed before main(), as jansson requires before any of its calls);
 * while a cap is set, an allocation that would pass it fails, so the parse
 * fails with jansson's "out of memory" and the caller says why, with the
 * numbers, instead.
 */
#ifndef VMLAT_JSONMEM_H
#define VMLAT_JSONMEM_H

#include <stdint.h>

/* Bytes jansson holds now (its blocks at their usable sizes). */
uint64_t jsonmem_live(void);

/* Cap jansson's live bytes at CAP from now on (0: no cap, jsonmem_capped() kept). */
void jsonmem_cap(uint64_t cap);

/* Did an allocation fail on the cap since the last jsonmem_cap() of a cap? */
int jsonmem_capped(void);

#endif /* VMLAT_JSONMEM_H */
