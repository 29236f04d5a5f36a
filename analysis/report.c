/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report.c - `vmlat report`: comparison tables of latency samples.
 *
 * Loads every input (load.h), groups the sample sets by label values into
 * cells (group.h), computes each cell's statistics and its comparison with
 * a baseline cell (report_model.c), and prints them in one of five formats.
 * A malformed input is named with its line or byte and skipped, and the
 * exit code says so; --strict turns that into a failure with no tables.
 * Options and files are read in order, so --label applies to the files
 * after it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/load.h"
#include "core/pair.h"
#include "core/pool.h"
#include "html/html.h"
#include "report/report.h"

static const char report_usage[] =
	"usage: vmlat report [OPTIONS] [--label KEY=VALUE]... FILE|DIR...\n";

static const char report_about[] =
	"\nTables of latency statistics per cell, a cell being the IOs whose inputs share\n"
	"the values of the row and column keys, optionally compared with a baseline.\n"
	"Text, Markdown and LaTeX: one table, a row per value of the row keys, a group\n"
	"of columns (--stat) per value of the column keys (Study A's figures as one\n"
	"table); --long, --by or no column keys: every column, a table per value of\n"
	"the column keys.  CSV and JSON: always one record per cell, every column.\n"
	"Text, Markdown and LaTeX end with the run's context from vmlat headers, a\n"
	"column per platform: every numeric probe.* key (mean of the platform's runs,\n"
	"each file once, with their range when they differ) and the clock check\n"
	"(clock, clock.cost_ns, clock.resolution_ns); JSON has it as run_context.\n"
	"\n"
	"Inputs (told apart by content; directories are searched recursively and\n"
	"files in them that are none of these are passed over):\n"
	"  vmlat logs          labels: header keys, tags (also without 'tag.'), job,\n"
	"                      platform (from platform.vm unless set otherwise)\n"
	"  fio latency logs    write_lat_log/clat/slat, any fio 3.x column layout;\n"
	"                      NAME.log.HOST from fio --client gives hostname=HOST\n"
	"  fio JSON, JSON+     --output-format=json[+], standalone or --client; labels:\n"
	"                      job, hostname, job options (bs in bytes), vmlat_tags\n"
	"Every input gets labels file, source (vlog, fiolog, fiojson), ddir, metric.\n"
	"\n";

enum {
	OPT_ROWS = CMD_OPT_LONG, OPT_COLS, OPT_BY, OPT_BASELINE, OPT_LABEL, OPT_FORMAT, OPT_UNIT,
	OPT_WIDTH, OPT_ALPHA, OPT_RESAMPLES, OPT_FIOCOLS, OPT_FIOMETRIC, OPT_STRICT, OPT_HIST,
	OPT_STAT, OPT_LONG, OPT_HTML, OPT_FIGURES, OPT_NOFIGURES, OPT_POOL, OPT_FIOAVG,
};

static const struct cmd_opt report_opt[] = {
	{ OPT_ROWS, "rows", "KEYS", "row keys (comma-separated labels); default rw,bs,load" },
	{ OPT_COLS, "cols", "KEYS",
	  "column keys, a column group per value; default\n"
	  "platform,cores,vms; '' for none" },
	{ OPT_BY, "by", "KEYS",
	  "one row per cell of KEYS, every column (--rows KEYS --cols '')\n"
	  "Default keys no input has are dropped; with no row key\n"
	  "left the rows are file,job,ddir.  Inputs that differ in\n"
	  "ddir, metric, a tag or a --label key never share a cell\n"
	  "silently: the default layout gets that key as a row key;\n"
	  "a layout you gave stops with a message naming the key" },
	{ OPT_POOL, "pool", "KEYS", "let cells pool inputs that differ in these keys" },
	{ OPT_BASELINE, "baseline", "K=V[,K=V]",
	  "compare each cell with the cell of these values that has\n"
	  "the same other row keys (keys it lacks excepted) and\n"
	  "the most column keys in common" },
	{ OPT_LABEL, "label", "K=V", "add label K=V to the inputs after it (wins over the file's)" },
	{ OPT_STAT, "stat", "LIST",
	  "the columns of each group (names or titles below);\n"
	  "default min,mean,max, and ratio,diff with --baseline\n"
	  "unless LIST names a comparison column" },
	{ OPT_LONG, "long", NULL,
	  "one table per value of the column keys, every column\n"
	  "(the layout without column keys, and of CSV and JSON)" },
	{ OPT_FORMAT, "format", "FMT", "text (default), markdown (or md), csv, json, latex" },
	{ OPT_HTML, "html", "FILE",
	  "write one self-contained HTML page instead: the tables\n"
	  "(layout as in text), the run context, the figures of\n"
	  "vmlat plot (SVG, inlined) and each platform's detected\n"
	  "context (platform.*, run.*, clock.* header keys)" },
	{ OPT_FIGURES, "figures", "DIR",
	  "keep the figures' files there (default: a temporary\n"
	  "directory, removed); --no-figures: none (as with --hist)" },
	{ OPT_NOFIGURES, "no-figures", NULL, NULL },
	{ OPT_UNIT, "unit", "U",
	  "ns, us, ms or s for every table (default: per table, the\n"
	  "largest unit in which the smallest median is >= 1)" },
	{ OPT_WIDTH, "width", "N",
	  "cut text tables wider than N columns between column\n"
	  "groups, row keys repeated (default 100; 0: never)" },
	{ OPT_ALPHA, "alpha", "A", "significance level of the test (default 0.05)" },
	{ OPT_RESAMPLES, "resamples", "N", "bootstrap resamples (default 10000)" },
	{ OPT_FIOCOLS, "fio-columns", "LIST",
	  "layout of fio logs when neither the content nor fio's JSON\n"
	  "of the run beside the log (its fio version, log_offset)\n"
	  "tells it:\n"
	  "time,value[,max],ddir,bs[,offset][,prio][,issue]" },
	{ OPT_FIOMETRIC, "fio-metric", "M", "which latency of fio JSON: clat (default), lat, slat" },
	{ OPT_FIOAVG, "fio-averaged", NULL,
	  "read averaged fio logs (log_avg_msec): refused by default,\n"
	  "as they hold one mean per window (or, with\n"
	  "log_max_value=1, one maximum), not per-IO latencies;\n"
	  "give it before the inputs" },
	{ OPT_STRICT, "strict", NULL, "a malformed input is fatal: no tables" },
	{ OPT_HIST, "hist", NULL,
	  "constant memory per input: log-linear histograms, 128\n"
	  "buckets per power of two; percentiles within 1/256,\n"
	  "n, min, max, mean, stddev exact; no per-IO context;\n"
	  "give it before the inputs" },
	{ 'h', "help", NULL, "this text" },
	{ 0, NULL, NULL, NULL },
};


static const char report_exits[] =
	"\nStatistics: exact over all samples of a cell; percentiles by nearest rank, the\n"
	"ceil(p/100*n)-th smallest (fio's can be one rank higher: at n=2000, p99.9 is\n"
	"rank 1998 here, 1999 in fio); every output states it.  stddev of one IO: empty.\n"
	"ratio is the cell's median over the baseline's, with a\n"
	"percentile-bootstrap 95% CI (fixed seed); p(MWU) is a two-sided Mann-Whitney U\n"
	"test (exact without ties when n1*n2 <= 400, else normal with tie correction);\n"
	"diff says slower/faster only when the CI excludes 1 and p < alpha.\n"
	"fio JSON without bins gives fio's own n, min, max, mean, stddev, percentiles.\n"
	"The tail (vmlat_ctx=rq): the cell's IOs with a measured run-queue delay whose\n"
	"latency is strictly above the p99 of those IOs' latencies (none when all are\n"
	"equal); tail rq% is the share of them with rq_delay_ns > 0, tail rq time%\n"
	"the sum of their rq_delay_ns over the sum of their latencies.\n"
	"\nexit status:\n"
	"  0  every input read, tables printed\n"
	"  1  usage error\n"
	"  2  an input was malformed and skipped, or damaged and only its intact\n"
	"     records used (a log cut short: the byte offset is named), tables of the\n"
	"     rest printed; or with --strict not printed; or no input held any latency\n"
	"  3  an input cannot be opened, out of memory, or output cannot be written\n";

static void report_columns(FILE *out)
{
	size_t i;

	fputs("\ncolumns (CSV and JSON names; text and Markdown titles are shorter):\n", out);
	for (i = 0; i < rncols; i++)
		fprintf(out, "  %-15s %s\n", rcols[i].name, rcols[i].help);
}

static const struct cmd_opts report_opts = {
	.usage = report_usage, .about = report_about, .more = report_columns,
	.tail = report_exits, .opt = report_opt, .help_col = 23, .in_order = 1,
};

struct run {
	const char *rows, *cols, *pool;
	const struct rformat *format; /* NULL: text */
	unsigned int width;
	int strict, help, longform;
	size_t sel[32], nsel; /* --stat: indexes of rcols */
	struct cmd_load ld;   /* the worst exit code, inputs skipped */
	struct report rep;
	struct report_html html;
	struct labels labels;
	struct fiolog_layout layout;
	struct load_opts lo;
	struct sample_list l;
};

#define usage_error(...) cmd_usage_error(&report_opts, __VA_ARGS__)

/* --stat LIST: names or titles of rcols, in that order. */
static int parse_stats(struct run *run, const char *spec)
{
	char *dup = strdup(spec), *p, *save = NULL;
	int ret = dup ? 0 : -ENOMEM;

	run->nsel = 0;
	for (p = dup ? strtok_r(dup, ",", &save) : NULL; p && !ret; p = strtok_r(NULL, ",", &save)) {
		long c = rcol_find(p);

		if (c < 0 || run->nsel >= ARRAY_SIZE(run->sel))
			ret = usage_error("--stat: '%s' is not a column (see --help)", p);
		else
			run->sel[run->nsel++] = (size_t)c;
	}
	free(dup);
	return ret || run->nsel ? ret : usage_error("--stat wants a list of columns, not '%s'", spec);
}

/* --format's names; text, Markdown and LaTeX are one printer of three kinds */
static const struct rformat {
	const char *name;
	enum { FMT_HUMAN, FMT_CSV, FMT_JSON } how;
	enum rfmt_kind kind;
} formats[] = {
	{ "text", FMT_HUMAN, RF_TEXT },	  { "markdown", FMT_HUMAN, RF_MARKDOWN },
	{ "md", FMT_HUMAN, RF_MARKDOWN }, { "latex", FMT_HUMAN, RF_LATEX },
	{ "csv", FMT_CSV, RF_TEXT },	  { "json", FMT_JSON, RF_TEXT },
};

static int set_format(struct run *run, const char *f)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(formats); i++)
		if (!strcmp(f, formats[i].name)) {
			run->format = &formats[i];
			return 0;
		}
	return usage_error("--format is text, markdown (or md), csv, json or latex, not '%s'", f);
}

static void on_pair(void *ctx, const char *file, const char *msg)
{
	(void)ctx;
	say_error("%s: %s", file, msg);
}

static int set_option(struct run *run, int c, const char *val)
{
	char *end;
	int ret;

	switch (c) {
	case OPT_ROWS: run->rows = val; break;
	case OPT_COLS: run->cols = val; break;
	case OPT_BY: run->rows = val; run->cols = ""; break;
	case OPT_FORMAT: return set_format(run, val);
	case OPT_STRICT: run->strict = 1; break;
	case OPT_HIST: run->lo.hist = 1; break;
	case OPT_LONG: run->longform = 1; break;
	case OPT_HTML: run->html.path = val; break;
	case OPT_FIGURES: run->html.figdir = val; break;
	case OPT_NOFIGURES: run->html.nofigs = 1; break;
	case OPT_POOL: run->pool = val; break;
	case OPT_FIOAVG: run->lo.fio_averaged = 1; break;
	case OPT_STAT: return parse_stats(run, val);
	case 'h': run->help = 1; break;
	case OPT_BASELINE:
		if ((ret = cmd_parse_labels(&run->rep.baseline, val, 1)) == -EINVAL)
			return usage_error("--baseline wants KEY=VALUE[,KEY=VALUE], not '%s'", val);
		return ret ? (say_nomem(), -1) : 0;
	case OPT_LABEL:
		if ((ret = cmd_parse_labels(&run->labels, val, 0)) == -EINVAL)
			return usage_error("--label wants KEY=VALUE, not '%s'", val);
		return ret ? (say_nomem(), -1) : 0;
	case OPT_UNIT:
		if (!unit_by_name(val))
			return usage_error("--unit is ns, us, ms or s, not '%s'", val);
		run->rep.unit_override = val;
		break;
	case OPT_WIDTH:
		run->width = (unsigned int)strtoul(val, &end, 10);
		if (*end || !*val)
			return usage_error("--width wants a number, not '%s'", val);
		break;
	case OPT_ALPHA:
		run->rep.alpha = strtod(val, &end);
		if (*end || run->rep.alpha <= 0 || run->rep.alpha >= 1)
			return usage_error("--alpha wants a number between 0 and 1, not '%s'", val);
		break;
	case OPT_RESAMPLES:
		run->rep.resamples = (unsigned int)strtoul(val, &end, 10);
		if (*end || run->rep.resamples < 100 || run->rep.resamples > 10000000)
			return usage_error("--resamples wants 100 to 10000000, not '%s'", val);
		break;
	case OPT_FIOCOLS:
		if (fiolog_layout_parse(val, &run->layout))
			return usage_error("--fio-columns: '%s' is not a list of time, value, max, "
					   "ddir, bs, offset, prio, issue", val);
		run->lo.fio_layout = &run->layout;
		break;
	case OPT_FIOMETRIC:
		if (strcmp(val, "lat") && strcmp(val, "clat") && strcmp(val, "slat"))
			return usage_error("--fio-metric is lat, clat or slat, not '%s'", val);
		run->lo.fio_metric = val;
		break;
	default:
		return -1; /* cmd_next() said why */
	}
	return 0;
}

/* Options and inputs in command-line order. */
static int parse_and_load(struct run *run, int argc, char **argv, int *ninputs)
{
	struct cmd_parse p;
	const char *arg;
	int c;

	cmd_parse_init(&p, &report_opts, argc, argv);
	while ((c = cmd_next(&p, &arg)) != CMD_END) {
		if (c != CMD_ARG) {
			if (set_option(run, c, arg))
				return -1;
			continue;
		}
		(*ninputs)++;
		if (!run->help)
			load_path(&run->l, arg, &run->lo, cmd_on_load, &run->ld);
	}
	return 0;
}

/*
 * Keys of SPEC (or of DEF when SPEC is NULL; then keys no input has are
 * dropped, so Study A's defaults fit any input).
 */
static int layout_keys(const struct sample_list *l, const char *spec, const char *def,
		       struct strv *keys)
{
	strv_release(keys);
	if (spec && !*spec)
		return 0;
	return spec ? group_parse_keys(spec, keys) : group_present_keys(l, def, keys);
}

/* "a,b,c" of KEYS. */
static void keys_str(char *buf, size_t len, char **a, size_t na, char **b, size_t nb, const char *c)
{
	size_t i, at = 0;

	buf[0] = 0;
	for (i = 0; i < na + nb && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s", at ? "," : "", i < na ? a[i] : b[i - na]);
	if (at < len)
		snprintf(buf + at, len - at, "%s%s", at ? "," : "", c);
}

/*
 * Never pool inputs that differ in a condition key (pool.h): the default
 * layout gets each such key as a row key; a layout the user gave stops.
 */
static int check_pooling(struct run *run, struct strv *rows, const struct strv *cols)
{
	struct strv allow = { 0 };
	char **keys, by[512];
	size_t i;
	struct pool_hit hit;
	int ret = run->pool ? group_parse_keys(run->pool, &allow) : 0;

	if (ret == -EINVAL)
		usage_error("--rows, --cols, --by and --pool want KEY[,KEY...]");

	while (!ret) {
		keys = malloc((cols->n + rows->n + 1) * sizeof(*keys));
		if (!keys) {
			ret = -ENOMEM;
			break;
		}
		for (i = 0; i < cols->n + rows->n; i++)
			keys[i] = i < cols->n ? cols->v[i] : rows->v[i - cols->n];
		ret = pool_find(&run->l, keys, cols->n + rows->n, allow.v, allow.n, &run->labels, &hit);
		free(keys);
		if (ret <= 0)
			break;
		if (run->rows || run->cols) {
			keys_str(by, sizeof(by), rows->v, rows->n, cols->v, cols->n, hit.key);
			usage_error("a cell would pool inputs of different %s ('%s' and '%s'): "
				    "keep them apart with --by %s, or pool them with --pool %s",
				    hit.key, hit.values[0], hit.values[1], by, hit.key);
			ret = -EINVAL;
		} else {
			ret = strv_push(rows, hit.key);
		}
		pool_hit_release(&hit);
	}
	strv_release(&allow);
	return ret;
}

static int check_baseline(const struct report *r, char **cols, size_t ncols, char **rows,
			  size_t nrows)
{
	size_t i, k;

	for (i = 0; i < r->baseline.n; i++) {
		const char *key = r->baseline.v[i].key;
		int found = 0;

		for (k = 0; k < ncols; k++)
			found |= !strcmp(cols[k], key);
		for (k = 0; k < nrows; k++)
			found |= !strcmp(rows[k], key);
		if (!found)
			return usage_error("--baseline key '%s' is not a row or column key", key);
	}
	return 0;
}

/* Say once per file what the tables cannot show by themselves. */
static void warn_kinds(const struct sample_list *l)
{
	const char *last = NULL;
	size_t i;

	for (i = 0; i < l->n; i++) {
		const char *file = labels_get(&l->v[i]->labels, "file");

		if (l->v[i]->kind != SAMPLES_WINDOWED || (last && file && !strcmp(last, file)))
			continue;
		say_warning("%s: averaged log (log_avg_msec): its statistics are of window means "
			    "(window maxima with log_max_value=1), not of IOs",
			    file ? file : l->v[i]->source);
		last = file;
	}
}

/*
 * The pivot's columns: --stat's or min, mean, max; with --baseline ratio and
 * diff too unless asked for otherwise; only those some cell can have.
 */
static size_t pivot_columns(const struct run *run, size_t *sel)
{
	static const char *const def[] = { "min_ns", "mean_ns", "max_ns" };
	size_t i, n = 0;
	int cmp = 0;

	for (i = 0; i < run->nsel; i++)
		cmp |= rcols[run->sel[i]].group == RG_CMP;
	for (i = 0; i < (run->nsel ? run->nsel : 3); i++)
		sel[n++] = run->nsel ? run->sel[i] : (size_t)rcol_find(def[i]);
	if (!cmp && run->rep.baseline.n) {
		sel[n++] = (size_t)rcol_find("ratio");
		sel[n++] = (size_t)rcol_find("diff");
	}
	for (i = 0; i < n;)
		if (rcol_shown(&run->rep, &rcols[sel[i]]))
			i++;
		else
			memmove(sel + i, sel + i + 1, (--n - i) * sizeof(*sel));
	return n;
}

/* The pivot's columns into SEL, or 0 for the long form. */
static size_t layout(const struct run *run, size_t *sel)
{
	if (run->longform || (!run->rep.ncolkeys && !run->nsel))
		return 0;
	return pivot_columns(run, sel);
}

static int print_html(struct run *run)
{
	size_t sel[ARRAY_SIZE(run->sel) + 2];
	size_t nsel = layout(run, sel);

	if (report_html_write(&run->html, &run->rep, &run->l, sel, nsel))
		return EXIT_SYSTEM;
	return cmd_finish(run->html.figs_failed ? EXIT_SYSTEM : run->ld.code);
}

static int print_human(struct run *run, enum rfmt_kind kind)
{
	unsigned int width = kind == RF_TEXT ? run->width : 0;
	size_t sel[ARRAY_SIZE(run->sel) + 2];
	size_t nsel = layout(run, sel);
	int ret;

	if (!nsel)
		ret = report_print_tables(stdout, &run->rep, kind, width);
	else
		ret = report_print_pivot(stdout, &run->rep, kind, width, sel, nsel);
	return ret ? ret : report_print_hdr(stdout, &run->l, kind, width);
}

static int print_report(struct run *run)
{
	const struct rformat *f = run->format ? run->format : &formats[0];
	int ret;

	if (run->html.path)
		return print_html(run);
	if (f->how == FMT_HUMAN)
		ret = print_human(run, f->kind);
	else if (f->how == FMT_CSV)
		ret = report_print_csv(stdout, &run->rep);
	else
		ret = report_print_json(stdout, &run->rep, &run->l);
	if (ret == -ENOMEM)
		say_nomem();
	return ret ? EXIT_SYSTEM : cmd_finish(run->ld.code);
}

static int build_and_print(struct run *run)
{
	struct strv rows = { 0 }, cols = { 0 };
	int ret;

	ret = layout_keys(&run->l, run->cols, "platform,cores,vms", &cols);
	if (!ret)
		ret = layout_keys(&run->l, run->rows, "rw,bs,load", &rows);
	if (!ret && !rows.n && !run->rows)
		ret = layout_keys(&run->l, NULL, "file,job,ddir", &rows);
	if (ret == -EINVAL)
		ret = usage_error("--rows, --cols, --by and --pool want KEY[,KEY...]");
	else if (ret)
		say_nomem();
	if (!ret && (ret = check_pooling(run, &rows, &cols)) == -ENOMEM)
		say_nomem();
	if (!ret && (ret = check_baseline(&run->rep, cols.v, cols.n, rows.v, rows.n)))
		ret = -EINVAL;
	if (!ret && run->html.path) {
		run->html.nofigs |= run->lo.hist; /* the figures want every IO */
		if (report_html_figures(&run->html, &run->l))
			ret = -EIO;
	}
	if (!ret) {
		warn_kinds(&run->l);
		ret = report_build(&run->rep, &run->l, cols.v, cols.n, rows.v, rows.n);
		if (ret)
			say_nomem();
	}
	strv_release(&rows);
	strv_release(&cols);
	if (ret)
		return ret == -EINVAL ? EXIT_USAGE : EXIT_SYSTEM;
	return print_report(run);
}

int cmd_report(int argc, char **argv)
{
	struct run run = { .width = 100 };
	int ninputs = 0, ret;

	run.rep.alpha = 0.05;
	run.rep.resamples = STATS_BOOT_RESAMPLES;
	labels_init(&run.labels);
	labels_init(&run.rep.baseline);
	sample_list_init(&run.l);
	run.lo.labels = &run.labels;
	if (parse_and_load(&run, argc, argv, &ninputs))
		ret = EXIT_USAGE;
	else if (run.help)
		ret = cmd_print_help(&report_opts);
	else if (!ninputs) {
		usage_error("report needs at least one FILE or DIR");
		ret = EXIT_USAGE;
	} else if (run.strict && run.ld.skipped) {
		say_error("%llu input(s) malformed: no report (--strict)",
			  (unsigned long long)run.ld.skipped);
		ret = run.ld.code;
	} else if (pair_inputs(&run.l, on_pair, &run)) {
		say_nomem();
		ret = EXIT_SYSTEM;
	} else if (!run.l.n) {
		ret = cmd_no_samples(&run.ld);
	} else {
		ret = build_and_print(&run);
	}
	report_release(&run.rep);
	report_html_release(&run.html);
	labels_release(&run.labels);
	sample_list_release(&run.l);
	return ret;
}
