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
#include <getopt.h>
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
	"\n"
	"  --rows KEYS          row keys (comma-separated labels); default rw,bs,load\n"
	"  --cols KEYS          column keys, a column group per value; default\n"
	"                       platform,cores,vms; '' for none\n"
	"  --by KEYS            one row per cell of KEYS, every column (--rows KEYS --cols '')\n"
	"                       Default keys no input has are dropped; with no row key\n"
	"                       left the rows are file,job,ddir.  Inputs that differ in\n"
	"                       ddir, metric, a tag or a --label key never share a cell\n"
	"                       silently: the default layout gets that key as a row key;\n"
	"                       a layout you gave stops with a message naming the key\n"
	"  --pool KEYS          let cells pool inputs that differ in these keys\n"
	"  --baseline K=V[,K=V] compare each cell with the cell of these values that has\n"
	"                       the same other row keys (keys it lacks excepted) and\n"
	"                       the most column keys in common\n"
	"  --label K=V          add label K=V to the inputs after it (wins over the file's)\n"
	"  --stat LIST          the columns of each group (names or titles below);\n"
	"                       default min,mean,max, and ratio,diff with --baseline\n"
	"                       unless LIST names a comparison column\n"
	"  --long               one table per value of the column keys, every column\n"
	"                       (the layout without column keys, and of CSV and JSON)\n"
	"  --format FMT         text (default), markdown, csv, json, latex\n"
	"  --html FILE          write one self-contained HTML page instead: the tables\n"
	"                       (layout as in text), the run context, the figures of\n"
	"                       vmlat plot (SVG, inlined) and each platform's detected\n"
	"                       context (platform.*, run.*, clock.* header keys)\n"
	"  --figures DIR        keep the figures' files there (default: a temporary\n"
	"                       directory, removed); --no-figures: none (as with --hist)\n"
	"  --unit U             ns, us, ms or s for every table (default: per table, the\n"
	"                       largest unit in which the smallest median is >= 1)\n"
	"  --width N            cut text tables wider than N columns between column\n"
	"                       groups, row keys repeated (default 100; 0: never)\n"
	"  --alpha A            significance level of the test (default 0.05)\n"
	"  --resamples N        bootstrap resamples (default 10000)\n"
	"  --fio-columns LIST   layout of fio logs when neither the content nor fio's JSON\n"
	"                       of the run beside the log (its fio version, log_offset)\n"
	"                       tells it:\n"
	"                       time,value[,max],ddir,bs[,offset][,prio][,issue]\n"
	"  --fio-metric M       which latency of fio JSON: clat (default), lat, slat\n"
	"  --fio-averaged       read averaged fio logs (log_avg_msec): refused by default,\n"
	"                       as they hold one mean per window (or, with\n"
	"                       log_max_value=1, one maximum), not per-IO latencies;\n"
	"                       give it before the inputs\n"
	"  --strict             a malformed input is fatal: no tables\n"
	"  --hist               constant memory per input: log-linear histograms, 128\n"
	"                       buckets per power of two; percentiles within 1/256,\n"
	"                       n, min, max, mean, stddev exact; no per-IO context;\n"
	"                       give it before the inputs\n"
	"  -h, --help           this text\n"
	"\ncolumns (CSV and JSON names; text and Markdown titles are shorter):\n";

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

static void report_help(FILE *out)
{
	size_t i;

	fputs(report_usage, out);
	fputs(report_about, out);
	for (i = 0; i < rncols; i++)
		fprintf(out, "  %-15s %s\n", rcols[i].name, rcols[i].help);
	fputs(report_exits, out);
}

enum {
	OPT_ROWS = 256, OPT_COLS, OPT_BY, OPT_BASELINE, OPT_LABEL, OPT_FORMAT, OPT_UNIT, OPT_WIDTH,
	OPT_ALPHA, OPT_RESAMPLES, OPT_FIOCOLS, OPT_FIOMETRIC, OPT_STRICT, OPT_HIST, OPT_STAT,
	OPT_LONG, OPT_HTML, OPT_FIGURES, OPT_NOFIGURES, OPT_POOL, OPT_FIOAVG,
};

static const struct option report_options[] = {
	{ "rows", required_argument, NULL, OPT_ROWS },
	{ "cols", required_argument, NULL, OPT_COLS },
	{ "by", required_argument, NULL, OPT_BY },
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "label", required_argument, NULL, OPT_LABEL },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "unit", required_argument, NULL, OPT_UNIT },
	{ "width", required_argument, NULL, OPT_WIDTH },
	{ "alpha", required_argument, NULL, OPT_ALPHA },
	{ "resamples", required_argument, NULL, OPT_RESAMPLES },
	{ "fio-columns", required_argument, NULL, OPT_FIOCOLS },
	{ "fio-metric", required_argument, NULL, OPT_FIOMETRIC },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "hist", no_argument, NULL, OPT_HIST },
	{ "stat", required_argument, NULL, OPT_STAT },
	{ "long", no_argument, NULL, OPT_LONG },
	{ "html", required_argument, NULL, OPT_HTML },
	{ "figures", required_argument, NULL, OPT_FIGURES },
	{ "no-figures", no_argument, NULL, OPT_NOFIGURES },
	{ "pool", required_argument, NULL, OPT_POOL },
	{ "fio-averaged", no_argument, NULL, OPT_FIOAVG },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct run {
	const char *rows, *cols, *format, *pool;
	unsigned int width;
	int strict, help, code, longform;
	size_t sel[32], nsel; /* --stat: indexes of rcols */
	uint64_t skipped;
	struct report rep;
	struct report_html html;
	struct labels labels;
	struct fiolog_layout layout;
	struct load_opts lo;
	struct sample_list l;
};

static int usage_error(const char *fmt, const char *arg)
{
	fputs("vmlat: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	fputs(report_usage, stderr);
	return -1;
}

/* --stat LIST: names or titles of rcols, in that order. */
static int parse_stats(struct run *run, const char *spec)
{
	char *dup = strdup(spec), *p, *save = NULL;
	int ret = dup ? 0 : -ENOMEM;

	run->nsel = 0;
	for (p = dup ? strtok_r(dup, ",", &save) : NULL; p && !ret; p = strtok_r(NULL, ",", &save)) {
		long c = rcol_find(p);

		if (c < 0 || run->nsel >= sizeof(run->sel) / sizeof(run->sel[0]))
			ret = usage_error("--stat: '%s' is not a column (see --help)", p);
		else
			run->sel[run->nsel++] = (size_t)c;
	}
	free(dup);
	return ret || run->nsel ? ret : usage_error("--stat wants a list of columns, not '%s'", spec);
}

/* "K=V[,K=V...]" into L. */
static int parse_pairs(struct labels *l, const char *spec, int one)
{
	char *dup = strdup(spec), *p, *save = NULL;
	int ret = dup ? 0 : -ENOMEM;

	for (p = dup ? strtok_r(dup, one ? "" : ",", &save) : NULL; p && !ret;
	     p = strtok_r(NULL, one ? "" : ",", &save)) {
		char *eq = strchr(p, '=');

		if (!eq || eq == p)
			ret = -EINVAL;
		else {
			*eq = 0;
			ret = labels_set(l, p, eq + 1);
		}
	}
	free(dup);
	return ret;
}

static void on_load(void *ctx, const char *path, const struct load_err *e, int rc)
{
	struct run *run = ctx;
	int code = rc == -EBADMSG || rc == -ENOTSUP || rc == -EPROTONOSUPPORT ? EXIT_BADINPUT
		   : rc ? EXIT_SYSTEM : e->partial ? EXIT_BADINPUT : EXIT_OK;

	fflush(stdout);
	if (!rc)
		fprintf(stderr, "vmlat: %s: %s\n", path, e->msg);
	else if (e->line)
		fprintf(stderr, "vmlat: %s: line %llu: %s\n", path, (unsigned long long)e->line, e->msg);
	else if (e->has_offset)
		fprintf(stderr, "vmlat: %s: byte %llu: %s\n", path, (unsigned long long)e->offset,
			e->msg);
	else
		fprintf(stderr, "vmlat: %s: %s\n", path, e->msg);
	if (rc || e->partial)
		run->skipped++;
	if (code > run->code)
		run->code = code;
}

static void on_pair(void *ctx, const char *file, const char *msg)
{
	(void)ctx;
	fflush(stdout);
	fprintf(stderr, "vmlat: %s: %s\n", file, msg);
}

static int set_option(struct run *run, int c, char **argv)
{
	char *end;

	switch (c) {
	case OPT_ROWS: run->rows = optarg; break;
	case OPT_COLS: run->cols = optarg; break;
	case OPT_BY: run->rows = optarg; run->cols = ""; break;
	case OPT_FORMAT: run->format = optarg; break;
	case OPT_STRICT: run->strict = 1; break;
	case OPT_HIST: run->lo.hist = 1; break;
	case OPT_LONG: run->longform = 1; break;
	case OPT_HTML: run->html.path = optarg; break;
	case OPT_FIGURES: run->html.figdir = optarg; break;
	case OPT_NOFIGURES: run->html.nofigs = 1; break;
	case OPT_POOL: run->pool = optarg; break;
	case OPT_FIOAVG: run->lo.fio_averaged = 1; break;
	case OPT_STAT: return parse_stats(run, optarg);
	case 'h': run->help = 1; break;
	case OPT_BASELINE:
		if (parse_pairs(&run->rep.baseline, optarg, 0))
			return usage_error("--baseline wants KEY=VALUE[,KEY=VALUE], not '%s'", optarg);
		break;
	case OPT_LABEL:
		if (parse_pairs(&run->labels, optarg, 1))
			return usage_error("--label wants KEY=VALUE, not '%s'", optarg);
		break;
	case OPT_UNIT:
		if (!unit_by_name(optarg))
			return usage_error("--unit is ns, us, ms or s, not '%s'", optarg);
		run->rep.unit_override = optarg;
		break;
	case OPT_WIDTH:
		run->width = (unsigned int)strtoul(optarg, &end, 10);
		if (*end || !*optarg)
			return usage_error("--width wants a number, not '%s'", optarg);
		break;
	case OPT_ALPHA:
		run->rep.alpha = strtod(optarg, &end);
		if (*end || run->rep.alpha <= 0 || run->rep.alpha >= 1)
			return usage_error("--alpha wants a number between 0 and 1, not '%s'", optarg);
		break;
	case OPT_RESAMPLES:
		run->rep.resamples = (unsigned int)strtoul(optarg, &end, 10);
		if (*end || run->rep.resamples < 100 || run->rep.resamples > 10000000)
			return usage_error("--resamples wants 100 to 10000000, not '%s'", optarg);
		break;
	case OPT_FIOCOLS:
		if (fiolog_layout_parse(optarg, &run->layout))
			return usage_error("--fio-columns: '%s' is not a list of time, value, max, "
					   "ddir, bs, offset, prio, issue", optarg);
		run->lo.fio_layout = &run->layout;
		break;
	case OPT_FIOMETRIC:
		if (strcmp(optarg, "lat") && strcmp(optarg, "clat") && strcmp(optarg, "slat"))
			return usage_error("--fio-metric is lat, clat or slat, not '%s'", optarg);
		run->lo.fio_metric = optarg;
		break;
	default:
		if (optopt > 0 && optopt < OPT_ROWS && optopt != 'h')
			fprintf(stderr, "vmlat: unknown option '-%c'\n", optopt);
		else
			fprintf(stderr, "vmlat: unknown option or missing value '%s'\n", argv[optind - 1]);
		fputs(report_usage, stderr);
		return -1;
	}
	return 0;
}

/* Options and inputs in command-line order. */
static int parse_and_load(struct run *run, int argc, char **argv, int *ninputs)
{
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "-h", report_options, NULL)) != -1) {
		if (c != 1) {
			if (set_option(run, c, argv))
				return -1;
			continue;
		}
		(*ninputs)++;
		if (!run->help)
			load_path(&run->l, optarg, &run->lo, on_load, run);
	}
	return 0;
}

static int any_has(const struct sample_list *l, const char *key)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (labels_get(&l->v[i]->labels, key))
			return 1;
	return 0;
}

/*
 * Keys of SPEC (or of DEF when SPEC is NULL; then keys no input has are
 * dropped, so Study A's defaults fit any input).
 */
static int layout_keys(const struct sample_list *l, const char *spec, const char *def,
		       char ***keys, size_t *n)
{
	size_t i, kept = 0;
	int ret;

	*keys = NULL;
	*n = 0;
	if (spec && !*spec)
		return 0;
	ret = group_parse_keys(spec ? spec : def, keys, n);
	if (ret || spec)
		return ret;
	for (i = 0; i < *n; i++) {
		if (any_has(l, (*keys)[i]))
			(*keys)[kept++] = (*keys)[i];
		else
			free((*keys)[i]);
	}
	*n = kept;
	return 0;
}

/* ROWS (NROWS of them) with KEY appended.  0 or -ENOMEM. */
static int add_row_key(char ***rows, size_t *nrows, const char *key)
{
	char **v = realloc(*rows, (*nrows + 1) * sizeof(**rows));

	if (!v)
		return -ENOMEM;
	*rows = v;
	if (!(v[*nrows] = strdup(key)))
		return -ENOMEM;
	(*nrows)++;
	return 0;
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
static int check_pooling(struct run *run, char ***rows, size_t *nrows, char **cols, size_t ncols)
{
	char **allow = NULL, **keys, by[512];
	size_t nallow = 0, i;
	struct pool_hit hit;
	int ret = run->pool ? group_parse_keys(run->pool, &allow, &nallow) : 0;

	while (!ret) {
		keys = malloc((ncols + *nrows + 1) * sizeof(*keys));
		if (!keys) {
			ret = -ENOMEM;
			break;
		}
		for (i = 0; i < ncols + *nrows; i++)
			keys[i] = i < ncols ? cols[i] : (*rows)[i - ncols];
		ret = pool_find(&run->l, keys, ncols + *nrows, allow, nallow, &run->labels, &hit);
		free(keys);
		if (ret <= 0)
			break;
		if (run->rows || run->cols) {
			keys_str(by, sizeof(by), *rows, *nrows, cols, ncols, hit.key);
			fprintf(stderr, "vmlat: a cell would pool inputs of different %s ('%s' and '%s'): "
					"keep them apart with --by %s, or pool them with --pool %s\n",
				hit.key, hit.values[0], hit.values[1], by, hit.key);
			ret = -EINVAL;
		} else {
			ret = add_row_key(rows, nrows, hit.key);
		}
		pool_hit_release(&hit);
	}
	group_free_keys(allow, nallow);
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
		fprintf(stderr, "vmlat: warning: %s: averaged log (log_avg_msec): its statistics are "
				"of window means (window maxima with log_max_value=1), not of IOs\n",
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
	size_t sel[sizeof(run->sel) / sizeof(run->sel[0]) + 2];
	size_t nsel = layout(run, sel);

	if (report_html_write(&run->html, &run->rep, &run->l, sel, nsel))
		return EXIT_SYSTEM;
	return cmd_finish(run->html.figs_failed ? EXIT_SYSTEM : run->code);
}

static int print_human(struct run *run, enum rfmt_kind kind)
{
	unsigned int width = kind == RF_TEXT ? run->width : 0;
	size_t sel[sizeof(run->sel) / sizeof(run->sel[0]) + 2];
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
	const char *f = run->format ? run->format : "text";
	int ret;

	if (run->html.path)
		return print_html(run);
	if (!strcmp(f, "text"))
		ret = print_human(run, RF_TEXT);
	else if (!strcmp(f, "markdown"))
		ret = print_human(run, RF_MARKDOWN);
	else if (!strcmp(f, "latex"))
		ret = print_human(run, RF_LATEX);
	else if (!strcmp(f, "csv"))
		ret = report_print_csv(stdout, &run->rep);
	else
		ret = report_print_json(stdout, &run->rep, &run->l);
	if (ret == -ENOMEM)
		fprintf(stderr, "vmlat: out of memory\n");
	return ret ? EXIT_SYSTEM : cmd_finish(run->code);
}

static int build_and_print(struct run *run)
{
	char **rows = NULL, **cols = NULL;
	size_t nrows = 0, ncols = 0;
	int ret;

	ret = layout_keys(&run->l, run->cols, "platform,cores,vms", &cols, &ncols);
	if (!ret)
		ret = layout_keys(&run->l, run->rows, "rw,bs,load", &rows, &nrows);
	if (!ret && !nrows && !run->rows)
		ret = layout_keys(&run->l, NULL, "file,job,ddir", &rows, &nrows);
	if (ret == -EINVAL)
		ret = usage_error("%s", "--rows, --cols, --by and --pool want KEY[,KEY...]");
	else if (ret)
		fprintf(stderr, "vmlat: out of memory\n");
	if (!ret && (ret = check_pooling(run, &rows, &nrows, cols, ncols)) == -EINVAL)
		fputs(report_usage, stderr);
	else if (ret == -ENOMEM)
		fprintf(stderr, "vmlat: out of memory\n");
	if (!ret && (ret = check_baseline(&run->rep, cols, ncols, rows, nrows)))
		ret = -EINVAL;
	if (!ret && run->html.path) {
		run->html.nofigs |= run->lo.hist; /* the figures want every IO */
		if (report_html_figures(&run->html, &run->l))
			ret = -EIO;
	}
	if (!ret) {
		warn_kinds(&run->l);
		ret = report_build(&run->rep, &run->l, cols, ncols, rows, nrows);
		if (ret)
			fprintf(stderr, "vmlat: out of memory\n");
	}
	group_free_keys(rows, nrows);
	group_free_keys(cols, ncols);
	if (ret)
		return ret == -EINVAL ? EXIT_USAGE : EXIT_SYSTEM;
	return print_report(run);
}

static int check_format(const char *f)
{
	static const char *const ok[] = { "text", "markdown", "csv", "json", "latex" };
	size_t i;

	for (i = 0; f && i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strcmp(f, ok[i]))
			return 0;
	return f ? usage_error("--format is text, markdown, csv, json or latex, not '%s'", f) : 0;
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
	if (parse_and_load(&run, argc, argv, &ninputs) || check_format(run.format))
		ret = EXIT_USAGE;
	else if (run.help) {
		report_help(stdout);
		ret = cmd_finish(EXIT_OK);
	} else if (!ninputs) {
		ret = usage_error("%s", "report needs at least one FILE or DIR");
		ret = EXIT_USAGE;
	} else if (run.strict && run.skipped) {
		fprintf(stderr, "vmlat: %llu input(s) malformed: no report (--strict)\n",
			(unsigned long long)run.skipped);
		ret = run.code;
	} else if (pair_inputs(&run.l, on_pair, &run)) {
		fprintf(stderr, "vmlat: out of memory\n");
		ret = EXIT_SYSTEM;
	} else if (!run.l.n) {
		fprintf(stderr, "vmlat: no latency samples in the input\n");
		ret = run.code > EXIT_BADINPUT ? run.code : EXIT_BADINPUT;
	} else {
		ret = build_and_print(&run);
	}
	report_release(&run.rep);
	report_html_release(&run.html);
	labels_release(&run.labels);
	sample_list_release(&run.l);
	return ret;
}
