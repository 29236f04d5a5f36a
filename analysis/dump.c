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
#include <string.h>

#include "cmd.h"
#include "dump.h"
#include "dump_steal.h"

enum { OPT_JSON = CMD_OPT_LONG };

static const char dump_usage[] = "usage: vmlat dump [--json] FILE...\n";

static const char dump_about[] =
	"\nPrint every record of vmlat per-IO logs on stdout.\n"
	"\n"
	"CSV (the default): for each FILE, comment lines '# file=PATH', '# KEY=VALUE'\n"
	"for every header key in file order (values escaped as the file stores them:\n"
	"\\n, \\t, \\r, \\\\, \\xHH), '# format=MAJOR.MINOR', '# records=N' and\n"
	"'# tail=clean|open|torn'; then a line of column names and one line per record.\n"
	"An empty cell is a value that was not measured or is unknown.\n"
	"\n";

static const struct cmd_opt dump_opt[] = {
	{ OPT_JSON, "json", NULL,
	  "one JSON document instead: {\"files\":[{\"file\",\"format\",\n"
	  "\"byte_order\",\"state\",\"tail\",\"records_count\",\"header\":{...},\n"
	  "\"records\":[...]}]}; unknown values are null" },
	{ 'h', "help", NULL, "this text" },
	{ 0, NULL, NULL, NULL },
};


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

static void dump_columns(FILE *out)
{
	size_t i;

	fputs("\ncolumns:\n", out);
	for (i = 0; i < rec_ncols; i++)
		fprintf(out, "  %2zu %-13s %s\n", i + 1, rec_cols[i].name, rec_cols[i].help);
	fprintf(out, "  %2zu %-13s %s\n", i + 1, "steal_ns",
		"only for logs made with vmlat_ctx=steal: steal of the IO's vCPUs in the\n"
		"                   sampled window around it (lib/vsteal.h); empty: not known");
}

static const struct cmd_opts dump_opts = {
	.usage = dump_usage, .about = dump_about, .more = dump_columns, .tail = dump_exits,
	.opt = dump_opt, .help_col = 14,
};

struct dump_run {
	const struct dump_format *fmt;
	int help;
	unsigned int printed; /* files printed so far */
	int code;	      /* worst exit code so far */
};

static int parse_options(struct dump_run *run, int argc, char **argv, int *first)
{
	struct cmd_parse p;
	const char *arg;
	int c;

	cmd_parse_init(&p, &dump_opts, argc, argv);
	while ((c = cmd_next(&p, &arg)) != CMD_END) {
		if (c == OPT_JSON)
			run->fmt = &dump_json;
		else if (c == 'h')
			run->help = 1;
		else
			return -1;
	}
	*first = p.next;
	return 0;
}

static int open_failed(const char *path, const struct vlog_reader *r, int ret)
{
	if (ret == -EBADMSG || ret == -EPROTONOSUPPORT) {
		say_error("%s: byte %llu: %s", path, (unsigned long long)r->err_offset, r->err);
		return EXIT_BADINPUT;
	}
	/* -EINVAL is the reader's "not a regular file"; the rest are errnos */
	say_error("cannot open '%s': %s", path, ret == -EINVAL ? r->err : strerror(-ret));
	return EXIT_SYSTEM;
}

static int tail_report(const char *path, const struct vlog_reader *r)
{
	switch (r->tail) {
	case VLOG_TAIL_CLEAN:
		return EXIT_OK;
	case VLOG_TAIL_OPEN:
		say_warning("%s: log was not closed (writer killed?); %llu records are intact", path,
			    (unsigned long long)r->nrec);
		return EXIT_OK;
	default:
		say_error("%s: byte %llu: %s", path, (unsigned long long)r->err_offset, r->err);
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

static int dump_files(struct dump_run *run, int first, int argc, char **argv)
{
	int i, ret = run->fmt->begin(stdout);

	for (i = first; !ret && i < argc; i++) {
		ret = dump_file(run, argv[i]);
		if (ret > run->code)
			run->code = ret;
		if (ret > 0)
			ret = 0;
	}
	if (!ret)
		ret = run->fmt->end(stdout);
	if (ret == -ENOMEM)
		say_nomem();
	else if (ret)
		say_error("cannot write to standard output: %s", strerror(-ret));
	return ret ? EXIT_SYSTEM : cmd_finish(run->code);
}

int cmd_dump(int argc, char **argv)
{
	struct dump_run run = { .fmt = &dump_csv };
	int first;

	if (parse_options(&run, argc, argv, &first))
		return EXIT_USAGE;
	if (run.help)
		return cmd_print_help(&dump_opts);
	if (first >= argc) {
		cmd_usage_error(&dump_opts, "dump needs at least one FILE");
		return EXIT_USAGE;
	}
	return dump_files(&run, first, argc, argv);
}
