/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dump.c - `vmlat dump [--json] FILE...`: every record of per-IO logs.
 *
 * dump is the reference reader: whatever another tool computes from a log
 * can be checked against its output.  So it hides nothing: a log that was
 * never closed is printed with a warning, a torn tail is printed up to the
 * last good record and then reported, and a file the reader rejects is
 * named with the byte where it stops making sense.  Each file is handled
 * on its own and the worst outcome sets the exit code (3 > 2 > 0); a
 * failing stdout ends the run at once, since nothing more can be said.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <string.h>

#include "cmd.h"
#include "dump.h"
#include "dump_steal.h"

static const char dump_usage[] = "usage: vmlat dump [--json] FILE...\n";

static const char dump_about[] =
	"\nPrint every record of vmlat per-IO logs on stdout.\n"
	"\n"
	"CSV (the default): for each FILE, comment lines '# file=PATH', '# KEY=VALUE'\n"
	"for every header key in file order (values escaped as the file stores them:\n"
	"\\n, \\t, \\r, \\\\, \\xHH), '# format=MAJOR.MINOR', '# records=N' and\n"
	"'# tail=clean|open|torn'; then a line of column names and one line per record.\n"
	"An empty cell is a value that was not measured or is unknown.\n"
	"\n"
	"  --json      one JSON document instead: {\"files\":[{\"file\",\"format\",\n"
	"              \"byte_order\",\"state\",\"tail\",\"records_count\",\"header\":{...},\n"
	"              \"records\":[...]}]}; unknown values are null\n"
	"  -h, --help  this text\n"
	"\ncolumns:\n";

static const char dump_exits[] =
	"\nA log that was never closed (writer killed) but is intact is printed with a\n"
	"warning.  A torn tail, or a log cut short or damaged after it was closed, is\n"
	"printed (header and every record before the damage), then reported as\n"
	"'vmlat: PATH: byte OFFSET: WHAT'.  A log still being written is read as it\n"
	"was when vmlat opened it.\n"
	"\nexit status (the worst file wins):\n"
	"  0  every file printed (unclosed but intact logs included)\n"
	"  1  usage error\n"
	"  2  a file is not a vmlat log, is damaged, is of a newer format, or is torn\n"
	"  3  a file cannot be opened, or stdout cannot be written\n";

static void dump_help(FILE *out)
{
	size_t i;

	fputs(dump_usage, out);
	fputs(dump_about, out);
	for (i = 0; i < rec_ncols; i++)
		fprintf(out, "  %2zu %-13s %s\n", i + 1, rec_cols[i].name, rec_cols[i].help);
	fprintf(out, "  %2zu %-13s %s\n", i + 1, "steal_ns",
		"only for logs made with vmlat_ctx=steal: steal of the IO's vCPUs in the\n"
		"                   sampled window around it (lib/vsteal.h); empty: not known");
	fputs(dump_exits, out);
}

/* A message on stderr, after whatever stdout holds: it is about that output. */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void say(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

enum { OPT_JSON = 256 }; /* past every letter, so optopt tells long from short */

static const struct option dump_options[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/*
 * getopt leaves the letter of a bad short option in optopt; for a bad long
 * option optopt is 0 (or the option's value, given an argument it does not
 * take) and the option is argv[optind - 1].
 */
static void bad_option(char **argv)
{
	if (optopt > 0 && optopt < OPT_JSON && optopt != 'h')
		fprintf(stderr, "vmlat: unknown option '-%c'\n", optopt);
	else
		fprintf(stderr, "vmlat: unknown option '%s'\n", argv[optind - 1]);
	fputs(dump_usage, stderr);
}

struct dump_run {
	const struct dump_format *fmt;
	int help;
	unsigned int printed; /* files printed so far */
	int code;	      /* worst exit code so far */
};

static int parse_options(struct dump_run *run, int argc, char **argv)
{
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", dump_options, NULL)) != -1) {
		switch (c) {
		case OPT_JSON:
			run->fmt = &dump_json;
			break;
		case 'h':
			run->help = 1;
			break;
		default:
			bad_option(argv);
			return -1;
		}
	}
	return 0;
}

static int open_failed(const char *path, const struct vlog_reader *r, int ret)
{
	if (ret == -EBADMSG || ret == -EPROTONOSUPPORT) {
		say("vmlat: %s: byte %llu: %s\n", path, (unsigned long long)r->err_offset, r->err);
		return EXIT_BADINPUT;
	}
	/* -EINVAL is the reader's "not a regular file"; the rest are errnos */
	say("vmlat: cannot open '%s': %s\n", path, ret == -EINVAL ? r->err : strerror(-ret));
	return EXIT_SYSTEM;
}

static int tail_report(const char *path, const struct vlog_reader *r)
{
	switch (r->tail) {
	case VLOG_TAIL_CLEAN:
		return EXIT_OK;
	case VLOG_TAIL_OPEN:
		say("vmlat: warning: %s: log was not closed (writer killed?); %llu records are intact\n",
		    path, (unsigned long long)r->nrec);
		return EXIT_OK;
	default:
		say("vmlat: %s: byte %llu: %s\n", path, (unsigned long long)r->err_offset, r->err);
		return EXIT_BADINPUT;
	}
}

/* The file's exit code, or -errno when the output failed. */
static int dump_file(struct dump_run *run, const char *path)
{
	struct vlog_reader r;
	struct dump_steal steal;
	struct vsteal samples;
	int ret = vlog_reader_open(&r, path), code;

	if (ret)
		return open_failed(path, &r, ret);
	code = dump_steal_open(&steal, &samples, path, &r);
	ret = run->fmt->file(stdout, path, &r, run->printed++, &steal);
	if (!ret)
		ret = tail_report(path, &r);
	if (!ret)
		ret = code;
	dump_steal_close(&steal, &samples);
	vlog_reader_release(&r);
	return ret;
}

static int dump_files(struct dump_run *run, int argc, char **argv)
{
	int i, ret = run->fmt->begin(stdout);

	for (i = optind; !ret && i < argc; i++) {
		ret = dump_file(run, argv[i]);
		if (ret > run->code)
			run->code = ret;
		if (ret > 0)
			ret = 0;
	}
	if (!ret)
		ret = run->fmt->end(stdout);
	if (ret == -ENOMEM)
		say("vmlat: out of memory\n");
	else if (ret)
		say("vmlat: cannot write to standard output: %s\n", strerror(-ret));
	return ret ? EXIT_SYSTEM : cmd_finish(run->code);
}

int cmd_dump(int argc, char **argv)
{
	struct dump_run run = { .fmt = &dump_csv };

	if (parse_options(&run, argc, argv))
		return EXIT_USAGE;
	if (run.help) {
		dump_help(stdout);
		return cmd_finish(EXIT_OK);
	}
	if (optind >= argc) {
		fprintf(stderr, "vmlat: dump needs at least one FILE\n");
		fputs(dump_usage, stderr);
		return EXIT_USAGE;
	}
	return dump_files(&run, argc, argv);
}
