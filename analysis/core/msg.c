/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * msg.c - see msg.h: "vmlat: " (and "warning: "), the message, a newline.
 */
#include <stdarg.h>
#include <stdio.h>

#include "msg.h"

static void say(const char *prefix, const char *fmt, va_list ap)
{
	fflush(stdout);
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void say_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("vmlat: ", fmt, ap);
	va_end(ap);
}

void say_warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("vmlat: warning: ", fmt, ap);
	va_end(ap);
}

void say_nomem(void)
{
	say_error("out of memory");
}
