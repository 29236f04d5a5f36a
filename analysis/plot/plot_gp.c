/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * plot_gp.c - write a figure's script and have gnuplot draw it.
 *
 * gnuplot is run without a shell (fork + execvp, the script as its only
 * argument), with the output directory as its working directory, so the
 * relative names in the script cannot point anywhere else and nothing in
 * a name is ever seen by a shell.  Its stdin is /dev/null: a template
 * that paused for input would otherwise hang.  The script chooses the
 * terminal from the variable fmt, so one script makes every format: a
 * second format (the SVG the HTML page embeds) is the same script run
 * with -e "fmt='svg'" first.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/msg.h"
#include "plot.h"

const char *plot_fmt_ext(enum plot_fmt fmt)
{
	static const char *const ext[] = { "png", "svg", "pdf" };

	return ext[fmt];
}

FILE *plot_create(struct plot_run *r, const char *name)
{
	int fd = openat(r->dirfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	FILE *f;

	if (fd < 0) {
		say_error("cannot write '%s/%s': %s", r->outdir, name, strerror(errno));
		return NULL;
	}
	f = fdopen(fd, "w");
	if (!f)
		close(fd);
	return f;
}

/* Close F, saying so when the data did not reach the file. */
static int close_checked(struct plot_run *r, FILE *f, const char *name)
{
	int bad = ferror(f);

	if (fclose(f) || bad) {
		say_error("cannot write '%s/%s'", r->outdir, name);
		return -1;
	}
	return 0;
}

static int write_script(struct plot_run *r, const char *stem, const char *header,
			const char *tmpl)
{
	char name[PLOT_STEM_MAX + 8];
	FILE *f;

	snprintf(name, sizeof(name), "%s.gp", stem);
	if (!(f = plot_create(r, name)))
		return -1;
	fprintf(f, "# %s.gp - written by vmlat plot; redraw with: gnuplot %s.gp\n"
		   "# fmt picks the format: 'png', 'svg' or 'pdf'.  The variables come\n"
		   "# first, then the template (analysis/plot/gp/ in the vmlat sources).\n"
		   "if (!exists('fmt')) fmt = '%s'\n",
		stem, stem, plot_fmt_ext(r->fmt));
	fputs(header, f);
	fputs(tmpl, f);
	return close_checked(r, f, name);
}

/* Run gnuplot on STEM.gp in FMT; 0, or -1 after saying why. */
static int run_gnuplot(struct plot_run *r, const char *stem, enum plot_fmt fmt)
{
	char script[PLOT_STEM_MAX + 8], setfmt[32];
	char *argv[] = { (char *)r->gnuplot, "-e", setfmt, script, NULL };
	int status, fd;
	pid_t pid;

	snprintf(script, sizeof(script), "%s.gp", stem);
	snprintf(setfmt, sizeof(setfmt), "fmt='%s'", plot_fmt_ext(fmt));
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		say_error("cannot run %s: %s", r->gnuplot, strerror(errno));
		return -1;
	}
	if (!pid) {
		fd = open("/dev/null", O_RDONLY);
		if (fd < 0 || dup2(fd, 0) < 0 || fchdir(r->dirfd))
			_exit(126);
		execvp(r->gnuplot, argv);
		say_error("cannot run %s: %s", r->gnuplot, strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 127)
		say_error("%s failed on '%s/%s'", r->gnuplot, r->outdir, script);
	return -1;
}

static int add_fig(struct plot_run *r, const char *stem, const char *title, const char *caption,
		   int rendered)
{
	struct plot_fig *v = realloc(r->figs, (r->nfigs + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	r->figs = v;
	v += r->nfigs;
	memset(v, 0, sizeof(*v));
	snprintf(v->stem, sizeof(v->stem), "%s", stem);
	v->title = strdup(title);
	v->caption = caption;
	v->rendered = rendered;
	if (!v->title)
		return -ENOMEM;
	r->nfigs++;
	return 0;
}

int plot_render(struct plot_run *r, const char *stem, const char *header, const char *tmpl,
		const char *title, const char *caption)
{
	int ret = write_script(r, stem, header, tmpl), drawn = 0;

	if (!ret && r->gnuplot) {
		ret = run_gnuplot(r, stem, r->fmt);
		if (!ret && r->svg_too && r->fmt != PF_SVG)
			ret = run_gnuplot(r, stem, PF_SVG);
		drawn = !ret;
	}
	if (add_fig(r, stem, title, caption, drawn)) {
		say_nomem();
		ret = -1;
	}
	if (ret)
		r->failed = 1;
	return ret;
}
