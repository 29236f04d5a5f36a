/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * plot_run.c - setting up and tearing down a plot run (plot.h), shared by
 * `vmlat plot` and `vmlat report --html`, which draws the same figures
 * into its page.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/msg.h"
#include "plot.h"

void plot_run_init(struct plot_run *r, struct sample_list *l)
{
	memset(r, 0, sizeof(*r));
	r->outdir = "plots";
	r->gnuplot = "gnuplot";
	r->zoom_hi_ms = 2;
	r->dirfd = -1;
	r->l = l;
}

int plot_run_open(struct plot_run *r, const char *outdir)
{
	r->outdir = outdir;
	if (mkdir(outdir, 0755) && errno != EEXIST) {
		say_error("cannot create '%s': %s", outdir, strerror(errno));
		return -1;
	}
	r->dirfd = open(outdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r->dirfd < 0) {
		say_error("cannot open '%s': %s", outdir, strerror(errno));
		return -1;
	}
	return 0;
}

size_t plot_run_drawn(const struct plot_run *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->nfigs; i++)
		n += r->figs[i].rendered != 0;
	return n;
}

void plot_run_release(struct plot_run *r)
{
	size_t i;

	for (i = 0; i < r->nfigs; i++)
		free(r->figs[i].title);
	free(r->figs);
	r->figs = NULL;
	r->nfigs = 0;
	strv_release(&r->names);
	if (r->dirfd >= 0)
		close(r->dirfd);
	r->dirfd = -1;
}
