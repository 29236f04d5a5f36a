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
#include <getopt.h>
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
	"\n"
	"  -o, --output DIR   where to write (default: plots; created if missing)\n"
	"  --format FMT       png (default), svg or pdf\n"
	"  --zoom LO:HI       range of Fig. 8 in ms (default 0:2)\n"
	"  --series KEY       draw Fig. 7 for label KEY\n"
	"  --by KEY           the same (as in vmlat report --by), e.g. --by iodepth\n"
	"  --label K=V        add label K=V to the inputs after it\n"
	"  --fio-averaged     read averaged fio logs (log_avg_msec), refused by default:\n"
	"                     one mean (or maximum) per window, not per-IO latencies\n"
	"  --html             also write DIR/report.html: contents, tables, figures and\n"
	"                     each platform's detected context in one self-contained\n"
	"                     file (a key that differs between runs: its range)\n"
	"  --no-render        write data and scripts, do not run gnuplot\n"
	"  --gnuplot PROG     the gnuplot to run (default: gnuplot)\n"
	"  -h, --help         this text\n"
	"\nexit status:\n"
	"  0  every input read, every figure drawn\n"
	"  1  usage error\n"
	"  2  an input was malformed and skipped, or no input held any latency\n"
	"  3  an input cannot be opened, a file cannot be written, gnuplot failed\n";

enum { OPT_FORMAT = 256, OPT_ZOOM, OPT_SERIES, OPT_LABEL, OPT_HTML, OPT_NORENDER, OPT_GNUPLOT,
       OPT_FIOAVG };

static const struct option plot_options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "zoom", required_argument, NULL, OPT_ZOOM },
	{ "series", required_argument, NULL, OPT_SERIES },
	{ "by", required_argument, NULL, OPT_SERIES },
	{ "label", required_argument, NULL, OPT_LABEL },
	{ "html", no_argument, NULL, OPT_HTML },
	{ "no-render", no_argument, NULL, OPT_NORENDER },
	{ "gnuplot", required_argument, NULL, OPT_GNUPLOT },
	{ "fio-averaged", no_argument, NULL, OPT_FIOAVG },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct cmd {
	struct plot_run r;
	struct labels labels;
	struct load_opts lo;
	struct sample_list l;
	int help, html, ninputs, code;
};

static int usage_error(const char *fmt, const char *arg)
{
	fputs("vmlat: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	fputs(plot_usage, stderr);
	return -1;
}

static void on_load(void *ctx, const char *path, const struct load_err *e, int rc)
{
	struct cmd *c = ctx;
	int code = rc == -EBADMSG || rc == -ENOTSUP || rc == -EPROTONOSUPPORT ? EXIT_BADINPUT
		   : rc ? EXIT_SYSTEM : e->partial ? EXIT_BADINPUT : EXIT_OK;

	if (e->line)
		fprintf(stderr, "vmlat: %s: line %llu: %s\n", path, (unsigned long long)e->line, e->msg);
	else if (e->has_offset && rc)
		fprintf(stderr, "vmlat: %s: byte %llu: %s\n", path, (unsigned long long)e->offset,
			e->msg);
	else
		fprintf(stderr, "vmlat: %s: %s\n", path, e->msg);
	if (code > c->code)
		c->code = code;
}

/* A fio JSON job whose IOs a vmlat log holds (core/pair.h): said, not drawn twice. */
static void on_pair(void *ctx, const char *file, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "vmlat: %s: %s\n", file, msg);
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

static int set_option(struct cmd *c, int opt, char **argv)
{
	char *eq, *end;

	switch (opt) {
	case 'o': c->r.outdir = optarg; break;
	case OPT_FORMAT: return set_format(c, optarg);
	case OPT_SERIES: c->r.series_key = optarg; break;
	case OPT_HTML: c->html = 1; break;
	case OPT_NORENDER: c->r.gnuplot = NULL; break;
	case OPT_GNUPLOT: c->r.gnuplot = optarg; break;
	case OPT_FIOAVG: c->lo.fio_averaged = 1; break;
	case 'h': c->help = 1; break;
	case OPT_ZOOM:
		c->r.zoom_lo_ms = strtod(optarg, &end);
		if (*end != ':' || (c->r.zoom_hi_ms = strtod(end + 1, &eq), *eq) ||
		    !(c->r.zoom_hi_ms > c->r.zoom_lo_ms) || !isfinite(c->r.zoom_hi_ms))
			return usage_error("--zoom wants LO:HI in ms with LO < HI, not '%s'", optarg);
		break;
	case OPT_LABEL:
		eq = strchr(optarg, '=');
		if (!eq || eq == optarg)
			return usage_error("--label wants KEY=VALUE, not '%s'", optarg);
		*eq = 0;
		if (labels_set(&c->labels, optarg, eq + 1))
			return usage_error("%s", "out of memory");
		*eq = '=';
		break;
	default:
		fprintf(stderr, "vmlat: unknown option or missing value '%s'\n", argv[optind - 1]);
		fputs(plot_usage, stderr);
		return -1;
	}
	return 0;
}

static int parse_and_load(struct cmd *c, int argc, char **argv)
{
	int opt;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "-ho:", plot_options, NULL)) != -1) {
		if (opt != 1) {
			if (set_option(c, opt, argv))
				return -1;
			continue;
		}
		c->ninputs++;
		if (!c->help)
			load_path(&c->l, optarg, &c->lo, on_load, c);
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
	return cmd_finish(c->code);
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
	else if (c.help) {
		fputs(plot_usage, stdout);
		fputs(plot_help_text, stdout);
		ret = cmd_finish(EXIT_OK);
	} else if (!c.ninputs) {
		usage_error("%s", "plot needs at least one FILE or DIR");
		ret = EXIT_USAGE;
	} else if (pair_inputs(&c.l, on_pair, &c)) {
		fprintf(stderr, "vmlat: out of memory\n");
		ret = EXIT_SYSTEM;
	} else if (!c.l.n) {
		fprintf(stderr, "vmlat: no latency samples in the input\n");
		ret = c.code > EXIT_BADINPUT ? c.code : EXIT_BADINPUT;
	} else {
		ret = run(&c);
	}
	release(&c);
	return ret;
}
