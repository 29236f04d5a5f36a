/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * plot_tmpl.c - the gnuplot templates of analysis/plot/gp/, built into vmlat.
 *
 * The templates stay plain .gp files, readable and editable as gnuplot,
 * and the installed program needs no data directory: the assembler copies
 * each file into read-only data with .incbin (GNU as and LLVM's, on every
 * ELF system), followed by a NUL.  The assembler resolves a relative
 * .incbin path against its own working directory, not this file's, so
 * the Makefile passes the directory as an absolute PLOT_GP_DIR: the build
 * then works from any directory (make -C included).
 */
#include "plot.h"

#ifndef PLOT_GP_DIR
#define PLOT_GP_DIR "analysis/plot/gp" /* compiled by hand from the top */
#endif

#define PLOT_TEMPLATE(sym, file)                                              \
	__asm__(".pushsection .rodata\n"                                      \
		".globl " #sym "\n"                                           \
		".type " #sym ", @object\n"                                   \
		#sym ":\n"                                                    \
		".incbin \"" file "\"\n"                                      \
		".byte 0\n"                                                   \
		".size " #sym ", . - " #sym "\n"                              \
		".popsection\n")

PLOT_TEMPLATE(plot_tmpl_cat, PLOT_GP_DIR "/cat.gp");
PLOT_TEMPLATE(plot_tmpl_box, PLOT_GP_DIR "/box.gp");
PLOT_TEMPLATE(plot_tmpl_cdf, PLOT_GP_DIR "/cdf.gp");
PLOT_TEMPLATE(plot_tmpl_index, PLOT_GP_DIR "/index.gp");
PLOT_TEMPLATE(plot_tmpl_rq, PLOT_GP_DIR "/rq.gp");
