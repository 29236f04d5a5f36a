/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * msg.h - the one printer of the `vmlat` command's errors and warnings.
 *
 * Every message of every subcommand goes through here, so they all read
 * the same way, git's grammar: "vmlat: cannot open 'x': reason" and
 * "vmlat: warning: x: what", lowercase, no full stop, one line each.
 * stdout is flushed first: a message is about the output before it, and
 * with 2>&1 it must come after that output, not inside it.
 *
 * It sits in core/, the bottom of analysis/, because report/, plot/ and
 * html/ print too and include only downward; the loaders of core/ never
 * call it: they return -errno with a message and the command prints it.
 */
#ifndef VMLAT_MSG_H
#define VMLAT_MSG_H

/* say_error - "vmlat: MESSAGE\n" on stderr. */
void say_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* say_warning - "vmlat: warning: MESSAGE\n" on stderr. */
void say_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* say_nomem - "vmlat: out of memory", the one wording of it. */
void say_nomem(void);

#endif /* VMLAT_MSG_H */
