/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd.c - the plumbing every subcommand shares (cmd.h): the option parser
 * and --help driven by one table, the usage error, the loader's report,
 * --label, and the flush at the end.
 *
 * The parser is getopt_long() underneath, with the getopt tables built
 * from the command's own; opterr is off so that a bad option is worded
 * here, once, the same way in every command.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/load.h"
#include "core/samples.h"

void cmd_parse_init(struct cmd_parse *p, const struct cmd_opts *c, int argc, char **argv)
{
	const struct cmd_opt *o;
	size_t n = 0, s = 0;

	memset(p, 0, sizeof(*p));
	p->c = c;
	p->argc = argc;
	p->argv = argv;
	/* '-': operands in order, as option 1; ':': a missing value is ':' */
	if (c->in_order)
		p->shorts[s++] = '-';
	p->shorts[s++] = ':';
	for (o = c->opt; o->name && n < CMD_OPT_MAX; o++, n++) {
		p->lo[n] = (struct option){ o->name, o->arg ? required_argument : no_argument,
					    NULL, o->id };
		if (o->id >= CMD_OPT_LONG)
			continue;
		p->shorts[s++] = (char)o->id;
		if (o->arg)
			p->shorts[s++] = ':';
	}
	optind = 0; /* glibc: start afresh, also after another command's parse */
	opterr = 0;
}

static const struct cmd_opt *find_opt(const struct cmd_opts *c, int id)
{
	const struct cmd_opt *o;

	for (o = c->opt; o->name; o++)
		if (o->id == id)
			return o;
	return NULL;
}

/*
 * getopt leaves a bad letter in optopt, 0 for an unknown long option (then
 * argv[optind - 1] is it), and the option's id for a long flag given a value.
 */
static int bad_option(struct cmd_parse *p, int c)
{
	const char *word = p->argv[optind - 1];
	int is_long = !strncmp(word, "--", 2);
	const struct cmd_opt *o = optopt ? find_opt(p->c, optopt) : NULL;

	if (c == ':' && is_long)
		return cmd_usage_error(p->c, "option '%.*s' needs a value",
				       (int)strcspn(word, "="), word);
	if (c == ':')
		return cmd_usage_error(p->c, "option '-%c' needs a value", optopt);
	if (is_long && o && strchr(word, '='))
		return cmd_usage_error(p->c, "option '--%s' takes no value", o->name);
	if (optopt && !is_long)
		return cmd_usage_error(p->c, "unknown option '-%c'", optopt);
	return cmd_usage_error(p->c, "unknown option '%s'", word);
}

int cmd_next(struct cmd_parse *p, const char **arg)
{
	int c = getopt_long(p->argc, p->argv, p->shorts, p->lo, NULL);

	*arg = optarg;
	if (c == -1) {
		p->next = optind;
		return CMD_END;
	}
	if (c == '?' || c == ':') {
		bad_option(p, c);
		return CMD_BAD;
	}
	return c;
}

/* "-o, --output DIR" or "--format FMT" into BUF */
static void opt_words(const struct cmd_opt *o, char *buf, size_t len)
{
	int n = o->id < CMD_OPT_LONG && isalpha(o->id)
			? snprintf(buf, len, "-%c, --%s", o->id, o->name)
			: snprintf(buf, len, "--%s", o->name);

	if (o->arg && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " %s", o->arg);
}

static void help_options(FILE *out, const struct cmd_opts *c)
{
	const struct cmd_opt *o;
	char words[80];

	for (o = c->opt; o->name; o++) {
		const char *h = o->help, *nl;

		if (!h)
			continue;
		opt_words(o, words, sizeof(words));
		fprintf(out, "  %-*s ", c->help_col - 3, words);
		while ((nl = strchr(h, '\n'))) {
			fprintf(out, "%.*s\n%*s", (int)(nl - h), h, c->help_col, "");
			h = nl + 1;
		}
		fprintf(out, "%s\n", h);
	}
}

int cmd_print_help(const struct cmd_opts *c)
{
	fputs(c->usage, stdout);
	fputs(c->about, stdout);
	help_options(stdout, c);
	if (c->more)
		c->more(stdout);
	fputs(c->tail, stdout);
	return cmd_finish(EXIT_OK);
}

int cmd_usage_error(const struct cmd_opts *c, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("vmlat: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fputs(c->usage, stderr);
	return -1;
}

int cmd_finish(int code)
{
	int e = fflush(stdout) ? errno : ferror(stdout) ? EIO : 0;

	if (!e)
		return code;
	say_error("cannot write to standard output: %s", strerror(e));
	return EXIT_SYSTEM;
}

/*
 * A loader's message is "where: what" for bad input, and "cannot STEP:
 * reason" for a system error; the file goes into the latter as git has it
 * ("cannot open 'x': reason"), before the former ("x: line 3: what"), so
 * that every command words the same failure the same way.
 */
static void say_load(const char *path, const struct load_err *e, int rc, int code)
{
	const char *colon = strchr(e->msg, ':');
	char pos[48] = "";

	if (e->line)
		snprintf(pos, sizeof(pos), "line %llu: ", (unsigned long long)e->line);
	else if (e->has_offset && (rc || e->offset)) /* byte 0 of a warning: the whole file */
		snprintf(pos, sizeof(pos), "byte %llu: ", (unsigned long long)e->offset);
	if (!rc && !e->partial) /* partial: damaged, only the intact part used (exit 2) */
		say_warning("%s: %s%s", path, pos,
			    strncmp(e->msg, "warning: ", 9) ? e->msg : e->msg + 9);
	else if (code == EXIT_SYSTEM && !pos[0] && colon && !strncmp(e->msg, "cannot ", 7))
		say_error("%.*s '%s'%s", (int)(colon - e->msg), e->msg, path, colon);
	else
		say_error("%s: %s%s", path, pos, e->msg);
}

void cmd_on_load(void *ctx, const char *path, const struct load_err *e, int rc)
{
	struct cmd_load *l = ctx;
	int code = rc == -EBADMSG || rc == -ENOTSUP || rc == -EPROTONOSUPPORT ? EXIT_BADINPUT
		   : rc ? EXIT_SYSTEM : e->partial ? EXIT_BADINPUT : EXIT_OK;

	say_load(path, e, rc, code);
	if (rc || e->partial)
		l->skipped++;
	if (code > l->code)
		l->code = code;
}

int cmd_no_samples(const struct cmd_load *l)
{
	if (!l->skipped)
		say_error("no latency samples in the input");
	return l->code > EXIT_BADINPUT ? l->code : EXIT_BADINPUT;
}

/* One "K=V" of LEN bytes at P into L. */
static int parse_pair(struct labels *l, const char *p, size_t len)
{
	const char *eq = memchr(p, '=', len);
	char *key, *val;
	int ret;

	if (!eq || eq == p)
		return -EINVAL;
	key = strndup(p, (size_t)(eq - p));
	val = strndup(eq + 1, len - (size_t)(eq - p) - 1);
	ret = key && val ? labels_set(l, key, val) : -ENOMEM;
	free(key);
	free(val);
	return ret;
}

/* A list's empty items (",," or a trailing comma) are passed over. */
int cmd_parse_labels(struct labels *l, const char *spec, int list)
{
	size_t len, pairs = 0;
	int ret = 0;

	for (; !ret && *spec; spec += len + !!spec[len]) {
		len = list ? strcspn(spec, ",") : strlen(spec);
		if (len)
			ret = parse_pair(l, spec, len), pairs++;
	}
	return ret ? ret : pairs ? 0 : -EINVAL;
}
