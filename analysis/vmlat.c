/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vmlat.c - the `vmlat` command: a table of subcommands and a dispatcher.
 *
 * Like git, each subcommand is a function in its own file, found by name in
 * one table that also feeds `vmlat --help`; adding a subcommand is one row.
 * setlocale() is never called, so the program stays in the C locale and
 * numbers print the same everywhere.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

#ifndef VMLAT_VERSION
#define VMLAT_VERSION "0.1.0"
#endif

struct subcmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct subcmd subcmds[] = {
	{ "dump", cmd_dump, "print the records of per-IO logs as CSV or JSON" },
	{ "report", cmd_report, "tables of latency statistics per cell, compared with a baseline" },
	{ "plot", cmd_plot, "the studies' figures (gnuplot), and an HTML page of tables and figures" },
	{ "detect", cmd_detect, "say which hypervisor and container this runs in, and why" },
	{ "batch", cmd_batch, "run a config's job files on its guests' fio servers" },
};

#define NSUBCMDS ARRAY_SIZE(subcmds)

static void usage(FILE *out)
{
	size_t i;

	fputs("usage: vmlat [--version] [--help] COMMAND [ARGS]\n"
	      "       vmlat help COMMAND\n\ncommands:\n", out);
	for (i = 0; i < NSUBCMDS; i++)
		fprintf(out, "  %-10s %s\n", subcmds[i].name, subcmds[i].summary);
	fputs("\nexit status:\n"
	      "  0  success\n"
	      "  1  usage error\n"
	      "  2  bad input: a file is not a vmlat log, is damaged or has a torn tail\n"
	      "  3  system error: a file cannot be opened, or output cannot be written\n",
	      out);
}

static const struct subcmd *find_subcmd(const char *name)
{
	size_t i;

	for (i = 0; i < NSUBCMDS; i++)
		if (!strcmp(subcmds[i].name, name))
			return &subcmds[i];
	return NULL;
}

/* `vmlat help` lists the commands; `vmlat help CMD` is `vmlat CMD --help`. */
static int cmd_help(int argc, char **argv)
{
	const struct subcmd *c;
	char help[] = "--help";
	char *args[] = { argv[1], help, NULL };

	if (argc < 2) {
		usage(stdout);
		return cmd_finish(EXIT_OK);
	}
	c = find_subcmd(argv[1]);
	if (!c) {
		say_error("'%s' is not a vmlat command", argv[1]);
		return EXIT_USAGE;
	}
	return c->fn(2, args);
}

int main(int argc, char **argv)
{
	const struct subcmd *c;
	const char *name = argc > 1 ? argv[1] : NULL;

	if (!name) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
		usage(stdout);
		return cmd_finish(EXIT_OK);
	}
	if (!strcmp(name, "--version")) {
		puts("vmlat " VMLAT_VERSION);
		return cmd_finish(EXIT_OK);
	}
	if (!strcmp(name, "help"))
		return cmd_help(argc - 1, argv + 1);
	c = find_subcmd(name);
	if (!c) {
		say_error("'%s' is not a vmlat command", name);
		fputc('\n', stderr);
		usage(stderr);
		return EXIT_USAGE;
	}
	return c->fn(argc - 1, argv + 1);
}
