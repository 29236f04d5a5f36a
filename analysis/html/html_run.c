/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * html_run.c - `vmlat report --html FILE`: the figures of `vmlat plot`
 * drawn through its own code (plot_run.c, plot_all), then the page
 * (html_report.c).  Without --figures the figure files go to a private
 * temporary directory (mkdtemp) that is emptied and removed at the end:
 * the page inlines every image, so nothing else needs them.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/msg.h"
#include "html.h"

static int make_tmpdir(struct report_html *h)
{
	const char *base = getenv("TMPDIR");

	if (!base || !*base || strlen(base) > sizeof(h->tmpdir) - 24)
		base = "/tmp";
	snprintf(h->tmpdir, sizeof(h->tmpdir), "%s/vmlat-figures.XXXXXX", base);
	if (!mkdtemp(h->tmpdir)) {
		say_error("cannot create a directory in '%s': %s", base,
			strerror(errno));
		h->tmpdir[0] = 0;
		return -1;
	}
	return 0;
}

int report_html_figures(struct report_html *h, struct sample_list *l)
{
	plot_run_init(&h->pr, l);
	h->started = 1;
	if (h->nofigs)
		return 0;
	if (!h->figdir && make_tmpdir(h))
		return -1;
	if (plot_run_open(&h->pr, h->figdir ? h->figdir : h->tmpdir))
		return -1;
	h->pr.fmt = PF_SVG; /* the page inlines SVG: sharp at any zoom */
	h->pr.files_gone = !h->figdir;
	h->have_figs = 1;
	h->figs_failed = plot_all(&h->pr) != 0;
	return 0;
}

int report_html_write(struct report_html *h, const struct report *r, const struct sample_list *l,
		      const size_t *sel, size_t nsel)
{
	struct report_page p = { r, l, sel, nsel, h->have_figs ? &h->pr : NULL };
	FILE *out = fopen(h->path, "w");
	int ret;

	if (!out) {
		say_error("cannot open '%s': %s", h->path, strerror(errno));
		return -1;
	}
	ret = html_report_page(out, &p);
	if (fclose(out) || ret) {
		say_error("cannot write '%s'%s", h->path,
			ret == -ENOMEM ? ": out of memory" : "");
		return -1;
	}
	return 0;
}

/* Empty and remove the temporary directory (only files of ours are in it). */
static void remove_tmpdir(struct report_html *h)
{
	int fd = open(h->tmpdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;

	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlinkat(fd, e->d_name, 0);
	if (d)
		closedir(d);
	else if (fd >= 0)
		close(fd);
	rmdir(h->tmpdir);
}

void report_html_release(struct report_html *h)
{
	if (h->started)
		plot_run_release(&h->pr);
	h->started = 0;
	if (h->tmpdir[0])
		remove_tmpdir(h);
	h->tmpdir[0] = 0;
}
