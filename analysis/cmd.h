/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd.h - what every vmlat subcommand shares with main(): exit codes,
 * messages, the option table and the loader's report.
 *
 * A subcommand is one function with main()'s signature (argv[0] is the
 * subcommand's name) that returns one of the documented exit codes; it
 * prints its own messages, through core/msg.h.  The codes are a promise to
 * scripts, so they live here once and `vmlat --help` prints them from the
 * same names.
 *
 * Options, as git's parse-options has them: one table per command says
 * every option once (names, value, help text), and both the parser and
 * --help are driven by it, so an option cannot be parsed without being
 * documented, and every command words a bad option the same way.
 */
#ifndef VMLAT_CMD_H
#define VMLAT_CMD_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>

#include "core/msg.h"

enum vmlat_exit {
	EXIT_OK = 0,	   /* everything read and printed */
	EXIT_USAGE = 1,	   /* bad command line */
	EXIT_BADINPUT = 2, /* a file is not a vmlat log, is damaged or has a torn tail */
	EXIT_SYSTEM = 3,   /* a file cannot be opened, memory, output cannot be written */
};

#include "util.h" /* ARRAY_SIZE */

/*
 * One option.  ID is what the parser returns for it: the option's letter
 * when it has a short form (-o), else a number from CMD_OPT_LONG on.
 * ARG names its value in --help ("DIR"), NULL for a flag.  HELP is its
 * text, lines separated by '\n'; NULL leaves it out of --help (an option
 * another one's text explains).
 */
struct cmd_opt {
	int id;
	const char *name;
	const char *arg;
	const char *help;
};

enum { CMD_OPT_LONG = 256, CMD_OPT_MAX = 32 };

/*
 * A command's options: its usage line(s), its table (ended by a NULL name),
 * and the rest of its --help: ABOUT before the options; MORE (if any) and
 * TAIL after them.
 */
struct cmd_opts {
	const char *usage;	  /* "usage: vmlat CMD ...\n" */
	const char *about, *tail;
	void (*more)(FILE *out);
	const struct cmd_opt *opt;
	int help_col;		  /* column where --help's texts start */
	int in_order;		  /* operands come back in order (CMD_ARG) */
};

/* What cmd_next() returns besides an option's id. */
enum { CMD_END = -1, CMD_BAD = -2, CMD_ARG = 1 };

struct cmd_parse {
	const struct cmd_opts *c;
	int argc;
	char **argv;
	int next;		  /* after CMD_END: index of the first operand */
	struct option lo[CMD_OPT_MAX + 1];
	char shorts[2 * CMD_OPT_MAX + 3];
};

void cmd_parse_init(struct cmd_parse *p, const struct cmd_opts *c, int argc, char **argv);

/*
 * cmd_next - the next option: its id with its value in *ARG (NULL for a
 * flag); CMD_ARG with an operand in *ARG (in_order commands only); CMD_END
 * when done (P->next is then the first operand); CMD_BAD after saying what
 * is wrong and printing the usage.
 */
int cmd_next(struct cmd_parse *p, const char **arg);

/* cmd_print_help - the command's --help on stdout; returns the exit code. */
int cmd_print_help(const struct cmd_opts *c);

/*
 * cmd_usage_error - say what is wrong with the command line, then the
 * command's usage line; returns -1 (the caller exits with EXIT_USAGE).
 */
int cmd_usage_error(const struct cmd_opts *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * cmd_finish - flush stdout at the end of a command: returns CODE, or
 * EXIT_SYSTEM after saying why when the output could not be written.
 */
int cmd_finish(int code);

/*
 * The loader's report (load_path's REPORT) shared by report and plot:
 * prints each problem with its file and position, counts the inputs
 * skipped and keeps the worst exit code.  CTX is a struct cmd_load.
 */
struct load_err;

struct cmd_load {
	int code;	  /* worst exit code so far */
	uint64_t skipped; /* inputs that failed */
};

void cmd_on_load(void *ctx, const char *path, const struct load_err *e, int rc);

/*
 * cmd_no_samples - the exit code when nothing was loaded (at least 2),
 * saying "no latency samples in the input" only when no input failed: after
 * a real error, that line would only repeat it.
 */
int cmd_no_samples(const struct cmd_load *l);

/*
 * cmd_parse_labels - "K=V" (LIST: "K=V[,K=V...]") into L: 0, -EINVAL for
 * a pair without a key or '=', -ENOMEM.
 */
struct labels;

int cmd_parse_labels(struct labels *l, const char *spec, int list);

/* vmlat dump [--json] FILE...: print every record of per-IO logs. */
int cmd_dump(int argc, char **argv);

/* vmlat detect [--json] [--sysroot DIR] [--cpuid SIG,...]: where this runs. */
int cmd_detect(int argc, char **argv);

/* vmlat batch [--out DIR] [--fio PATH] [--dry-run] CONFIG: runs across guests. */
int cmd_batch(int argc, char **argv);

/* vmlat report [OPTIONS] FILE|DIR...: comparison tables of latency statistics. */
int cmd_report(int argc, char **argv);

/* vmlat plot [OPTIONS] FILE|DIR...: the studies' figures, drawn by gnuplot. */
int cmd_plot(int argc, char **argv);

#endif /* VMLAT_CMD_H */
