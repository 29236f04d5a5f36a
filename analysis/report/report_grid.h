/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report_grid.h - a table of `vmlat report` as a grid of strings, and the
 * three human formats that print one (aligned text, Markdown, LaTeX).
 *
 * Both layouts fill a grid: the long form (one table per value of the
 * column keys, report_text.c) and the pivot (one table, a column group per
 * value of the column keys, report_pivot.c).  A grid's columns are the row
 * keys (group -1), then groups of adjacent columns; a group may have a
 * title spanning its columns (the pivot's column-key values).  Aligned
 * text wider than --width is cut between groups, the row keys repeated in
 * every part, so no group is ever torn apart.
 */
#ifndef VMLAT_REPORT_GRID_H
#define VMLAT_REPORT_GRID_H

#include <stddef.h>
#include <stdio.h>

#include "report.h"

#define CELL_CHARS 48

struct grid {
	size_t nrows;	/* data rows; the header is separate */
	size_t ncols;
	size_t ngroups;
	int has_span;	/* a row of group titles above the header */
	char (*span)[CELL_CHARS];  /* per group: its title */
	char (*head)[CELL_CHARS];
	char (*cells)[CELL_CHARS]; /* nrows * ncols */
	int *numeric;		   /* per column: right-aligned */
	int *group;		   /* per column: -1 key, else its group */
	size_t *width;
};

/* A zeroed grid of NROWS x NCOLS in NGROUPS groups.  0 or -ENOMEM. */
int grid_alloc(struct grid *g, size_t nrows, size_t ncols, size_t ngroups);
void grid_release(struct grid *g);
char *grid_cell(struct grid *g, size_t row, size_t col);

/* Column widths from the contents; call once the grid is filled. */
void grid_widths(struct grid *g);

/* Print G; WIDTH 0 never cuts.  LaTeX: CAPTION escaped, its byte 0x01
 * standing for UNIT (written as is). */
int grid_print_text(FILE *out, const struct grid *g, unsigned int width); /* 0, -ENOMEM */
void grid_print_markdown(FILE *out, const struct grid *g);
void grid_print_latex(FILE *out, const struct grid *g, const char *caption, const char *unit);

/*
 * grid_print - G in KIND under CAPTION, the one way both layouts show a
 * table: text (caption, blank line, the table cut at WIDTH), Markdown
 * (the caption in bold) or LaTeX (grid_print_latex() with LATEX_UNIT).
 * 0 or -ENOMEM.
 */
int grid_print(FILE *out, const struct grid *g, enum rfmt_kind kind, const char *caption,
	       const char *latex_unit, unsigned int width);

#endif /* VMLAT_REPORT_GRID_H */
