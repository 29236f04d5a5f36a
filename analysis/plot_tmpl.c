/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * plot_tmpl.c - the gnuplot templates of analysis/gp/, built into vmlat.
 *
 * The templates stay plain .gp files, readable and editable as gnuplot,
 * and the installed program needs no data directory: the assembler copies
 * each file into read-only data with .incbin (GNU as and LLVM's, on every
 * ELF system), followed by a NUL.  The paths are relative to the top of
 * the source tree, where make runs the compiler.
 */
#include "plot.h"

#define PLOT_TEMPLATE(sym, file)                                              \
	__asm__(".pushsection .rodata\n"                                      \
		".globl " #sym "\n"                                           \
		".type " #sym ", @object\n"                                   \
		#sym ":\n"                                                    \
		".incbin \"" file "\"\n"                                      \
		".byte 0\n"                                                   \
		".size " #sym ", . - " #sym "\n"                              \
		".popsection\n")

PLOT_TEMPLATE(plot_tmpl_cat, "analysis/gp/cat.gp");
PLOT_TEMPLATE(plot_tmpl_box, "analysis/gp/box.gp");
PLOT_TEMPLATE(plot_tmpl_cdf, "analysis/gp/cdf.gp");
PLOT_TEMPLATE(plot_tmpl_index, "analysis/gp/index.gp");
PLOT_TEMPLATE(plot_tmpl_rq, "analysis/gp/rq.gp");
