/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd.h - what every vmlat subcommand shares with main().
 *
 * A subcommand is one function with main()'s signature (argv[0] is the
 * subcommand's name) that returns one of the documented exit codes; it
 * prints its own messages.  The codes are a promise to scripts, so they
 * live here once and `vmlat --help` prints them from the same names.
 */
#ifndef VMLAT_CMD_H
#define VMLAT_CMD_H

enum vmlat_exit {
	EXIT_OK = 0,	   /* everything read and printed */
	EXIT_USAGE = 1,	   /* bad command line */
	EXIT_BADINPUT = 2, /* a file is not a vmlat log, is damaged or has a torn tail */
	EXIT_SYSTEM = 3,   /* a file cannot be opened, memory, output cannot be written */
};

/*
 * cmd_finish - flush stdout at the end of a command: returns CODE, or
 * EXIT_SYSTEM after saying why when the output could not be written.
 */
int cmd_finish(int code);

/* vmlat dump [--json] FILE...: print every record of per-IO logs. */
int cmd_dump(int argc, char **argv);

/* vmlat detect [--json] [--sysroot DIR] [--cpuid SIG,...]: where this runs. */
int cmd_detect(int argc, char **argv);

/* vmlat batch [--out DIR] [--fio PATH] [--dry-run] CONFIG: runs across guests. */
int cmd_batch(int argc, char **argv);

/* vmlat report [OPTIONS] FILE|DIR...: comparison tables of latency statistics. */
int cmd_report(int argc, char **argv);

#endif /* VMLAT_CMD_H */
