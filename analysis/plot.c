/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * plot.c - `vmlat plot`: the studies' figures, drawn by gnuplot, and
 * optionally one self-contained HTML page of tables and figures.
 *
 * Inputs are loaded as `vmlat report` loads them (load.h), every figure of
 * plot_figs.c whose data is there is written into the output directory
 * (plot.h says which files and why label text cannot become gnuplot code),
 * and gnuplot draws each.  Options and files are read in order, so
 * --label applies to the files after it.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/load.h"
#include "core/pair.h"
#include "html/html.h"
#include "plot/plot.h"

static const char plot_usage[] =
	"usage: vmlat plot [OPTIONS] [--label KEY=VALUE]... FILE|DIR...\n";

static const char plot_help_text[] =
	"\nThe figures of the studies, from vmlat logs and fio logs or JSON (inputs as for\n"
	"vmlat report).  Each figure is three files in the output directory: NAME.dat\n"
	"(the numbers, times in ns), NAME.gp (gnuplot script: edit and re-run it with\n"
	"`gnuplot NAME.gp` there) and the image NAME.png|svg|pdf.  Figures whose data\n"
	"is missing are not written.  NAME is the figure's kind, then the label values\n"
	"that make one figure each (e.g. minmax-load-2-load_kind-io):\n"
	"\n"
	"  minmax-load-...   Study A Figs. 2-4: min, mean, max per platform/cores/vms,\n"
	"                    a panel per rw and bs (log axis where it spans a decade),\n"
	"                    a figure per load level\n"
	"  minmax-zoom-...   Fig. 8: the same on the --zoom range, values above it\n"
	"                    marked with their value\n"
	"  byindex-...       Fig. 5: each IO's latency in order, a line per load (logs\n"
	"                    tagged fig=5 when there are any)\n"
	"  target            Fig. 6: raw device against file (tag target, else header\n"
	"                    key target.0.kind), where a cell has both\n"
	"  series            Fig. 7: a category per value of the --series label\n"
	"  cdf-load-...      distribution per platform, log scale\n"
	"  rq-load-...       latency against run-queue delay (vmlat_ctx=rq)\n"
	"  cpu-load-...      box plots per vCPU of submission (vmlat_ctx=cpu)\n"
	"  probes            Study B Figs. 2-5: every numeric probe.* header key, a bar\n"
	"                    per platform\n"
	"\n";

enum {
	OPT_FORMAT = CMD_OPT_LONG, OPT_ZOOM, OPT_SERIES, OPT_BY, OPT_LABEL, OPT_HTML,
	OPT_NORENDER, OPT_GNUPLOT, OPT_FIOAVG,
};

static const struct cmd_opt plot_opt[] = {
	{ 'o', "output", "DIR", "where to write (default: plots; created if missing)" },
	{ OPT_FORMAT, "format", "FMT", "png (default), svg or pdf" },
	{ OPT_ZOOM, "zoom", "LO:HI", "range of Fig. 8 in ms (default 0:2)" },
	{ OPT_SERIES, "series", "KEY", "draw Fig. 7 for label KEY" },
	{ OPT_BY, "by", "KEY", "the same (as in vmlat report --by), e.g. --by iodepth" },
	{ OPT_LABEL, "label", "K=V", "add label K=V to the inputs after it" },
	{ OPT_FIOAVG, "fio-averaged", NULL,
	  "read averaged fio logs (log_avg_msec), refused by default:\n"
	  "one mean (or maximum) per window, not per-IO latencies" },
	{ OPT_HTML, "html", NULL,
	  "also write DIR/report.html: contents, tables, figures and\n"
	  "each platform's detected context in one self-contained\n"
	  "file (a key that differs between runs: its range)" },
	{ OPT_NORENDER, "no-render", NULL, "write data and scripts, do not run gnuplot" },
	{ OPT_GNUPLOT, "gnuplot", "PROG", "the gnuplot to run (default: gnuplot)" },
	{ 'h', "help", NULL, "this text" },
	{ 0, NULL, NULL, NULL },
};

static const char plot_exits[] =
	"\nexit status:\n"
	"  0  every input read, every figure drawn\n"
	"  1  usage error\n"
	"  2  an input was malformed and skipped, or no input held any latency\n"
	"  3  an input cannot be opened, a file cannot be written, gnuplot failed\n";

static const struct cmd_opts plot_opts = {
	.usage = plot_usage, .about = plot_help_text, .tail = plot_exits, .opt = plot_opt,
	.help_col = 21, .in_order = 1,
};

struct cmd {
	struct plot_run r;
	struct labels labels;
	struct load_opts lo;
	struct sample_list l;
	struct cmd_load ld; /* the worst exit code, inputs skipped */
	int help, html, ninputs;
};

#define usage_error(...) cmd_usage_error(&plot_opts, __VA_ARGS__)

/* A fio JSON job whose IOs a vmlat log holds (core/pair.h): said, not drawn twice. */
static void on_pair(void *ctx, const char *file, const char *msg)
{
	(void)ctx;
	say_error("%s: %s", file, msg);
}

static int set_format(struct cmd *c, const char *f)
{
	if (!strcmp(f, "png"))
		c->r.fmt = PF_PNG;
	else if (!strcmp(f, "svg"))
		c->r.fmt = PF_SVG;
	else if (!strcmp(f, "pdf"))
		c->r.fmt = PF_PDF;
	else
		return usage_error("--format is png, svg or pdf, not '%s'", f);
	return 0;
}

static int set_option(struct cmd *c, int opt, const char *val)
{
	char *eq, *end;
	int ret;

	switch (opt) {
	case 'o': c->r.outdir = val; break;
	case OPT_FORMAT: return set_format(c, val);
	case OPT_SERIES:
	case OPT_BY: c->r.series_key = val; break;
	case OPT_HTML: c->html = 1; break;
	case OPT_NORENDER: c->r.gnuplot = NULL; break;
	case OPT_GNUPLOT: c->r.gnuplot = val; break;
	case OPT_FIOAVG: c->lo.fio_averaged = 1; break;
	case 'h': c->help = 1; break;
	case OPT_ZOOM:
		c->r.zoom_lo_ms = strtod(val, &end);
		if (*end != ':' || (c->r.zoom_hi_ms = strtod(end + 1, &eq), *eq) ||
		    !(c->r.zoom_hi_ms > c->r.zoom_lo_ms) || !isfinite(c->r.zoom_hi_ms))
			return usage_error("--zoom wants LO:HI in ms with LO < HI, not '%s'", val);
		break;
	case OPT_LABEL:
		if ((ret = cmd_parse_labels(&c->labels, val, 0)) == -EINVAL)
			return usage_error("--label wants KEY=VALUE, not '%s'", val);
		return ret ? (say_nomem(), -1) : 0;
	default:
		return -1; /* cmd_next() said why */
	}
	return 0;
}

static int parse_and_load(struct cmd *c, int argc, char **argv)
{
	struct cmd_parse p;
	const char *arg;
	int opt;

	cmd_parse_init(&p, &plot_opts, argc, argv);
	while ((opt = cmd_next(&p, &arg)) != CMD_END) {
		if (opt != CMD_ARG) {
			if (set_option(c, opt, arg))
				return -1;
			continue;
		}
		c->ninputs++;
		if (!c->help)
			load_path(&c->l, arg, &c->lo, cmd_on_load, &c->ld);
	}
	return 0;
}

static int run(struct cmd *c)
{
	size_t drawn;
	int bad;

	if (plot_run_open(&c->r, c->r.outdir))
		return EXIT_SYSTEM;
	c->r.svg_too = c->html;
	bad = plot_all(&c->r);
	if (!bad && c->html)
		bad = html_report_write(&c->r, "report.html") != 0;
	drawn = plot_run_drawn(&c->r);
	printf("vmlat: %zu figures in %s (%zu drawn)%s\n", c->r.nfigs, c->r.outdir, drawn,
	       c->html && !bad ? ", and report.html" : "");
	if (bad)
		return EXIT_SYSTEM;
	return cmd_finish(c->ld.code);
}

static void release(struct cmd *c)
{
	plot_run_release(&c->r);
	labels_release(&c->labels);
	sample_list_release(&c->l);
}

int cmd_plot(int argc, char **argv)
{
	struct cmd c;
	int ret;

	memset(&c, 0, sizeof(c));
	plot_run_init(&c.r, &c.l);
	labels_init(&c.labels);
	sample_list_init(&c.l);
	c.lo.labels = &c.labels;
	if (parse_and_load(&c, argc, argv))
		ret = EXIT_USAGE;
	else if (c.help)
		ret = cmd_print_help(&plot_opts);
	else if (!c.ninputs) {
		usage_error("plot needs at least one FILE or DIR");
		ret = EXIT_USAGE;
	} else if (pair_inputs(&c.l, on_pair, &c)) {
		say_nomem();
		ret = EXIT_SYSTEM;
	} else if (!c.l.n) {
		ret = cmd_no_samples(&c.ld);
	} else {
		ret = run(&c);
	}
	release(&c);
	return ret;
}
