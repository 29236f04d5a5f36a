/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * par.h - run one function on N pieces of work, a thread each: what the
 * fio log reader and the sort use to keep every core busy.
 */
#ifndef VMLAT_PAR_H
#define VMLAT_PAR_H

#define PAR_MAX 64

/* Online CPUs (1..PAR_MAX), or VMLAT_THREADS when set. */
unsigned int par_cpus(void);

/*
 * par_run - FN(ARG, i) for i in 0..N-1 (N <= PAR_MAX), one thread each, the
 * caller's thread running piece 0.  0, or -errno when a thread could not
 * start: then the pieces that did not run are run by the caller, so every
 * piece has run when it returns, whatever it returns.
 */
int par_run(unsigned int n, void (*fn)(void *arg, unsigned int i), void *arg);

#endif /* VMLAT_PAR_H */
