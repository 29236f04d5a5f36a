/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dump_steal.c - the steal_ns column of `vmlat dump`: the samples of a
 * vmlat_ctx=steal log, read from the file its header names (in the log's
 * own directory), joined to each record by lib/vsteal.h's rule.
 *
 * A log whose samples are missing is still dumped, with an empty steal_ns
 * column and a warning (logs get copied without their sidecar); samples
 * that are there but malformed make the exit code 2, as a damaged log does.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "dump.h"
#include "dump_steal.h"
#include "vsteal.h"

void dump_steal_get(const struct dump_steal *d, const struct vlog_rec *rec, struct val *v)
{
	v->kind = VAL_NONE;
	v->name = NULL;
	if (d->samples && !vsteal_join(d->samples, rec->seq, rec->cpu_submit, rec->cpu_complete,
				       &v->num))
		v->kind = VAL_NUM;
}

int dump_steal_open(struct dump_steal *d, struct vsteal *s, const char *path,
		    const struct vlog_reader *r)
{
	const char *file = vlog_reader_get(r, "ctx.steal.file"), *slash = strrchr(path, '/');
	char side[8192];
	int ret;

	d->column = file != NULL;
	d->samples = NULL;
	if (!file)
		return EXIT_OK;
	if (vlog_reader_get(r, "ctx.steal.error")) {
		/* the engine could not write them all: empty is unknown, not "no steal" */
		say_warning("%s: steal samples stop after record %s (%s); steal_ns of later records "
			    "is empty", path, vlog_reader_get(r, "ctx.steal.lost_after_record") ?: "?",
			    vlog_reader_get(r, "ctx.steal.error"));
	}
	if (strchr(file, '/') || (size_t)snprintf(side, sizeof(side), "%.*s%s",
			slash ? (int)(slash - path + 1) : 0, path, file) >= sizeof(side)) {
		say_error("%s: header ctx.steal.file '%s' is not a file name", path, file);
		return EXIT_BADINPUT;
	}
	ret = vsteal_load(s, side);
	if (!ret) {
		d->samples = s;
		return EXIT_OK;
	}
	if (ret == -EBADMSG)
		say_error("%s: steal samples '%s': %s; steal_ns is empty", path, side, s->err);
	else
		say_warning("%s: steal samples '%s': %s; steal_ns is empty", path, side, s->err);
	return ret == -EBADMSG ? EXIT_BADINPUT : EXIT_OK;
}

void dump_steal_close(struct dump_steal *d, struct vsteal *s)
{
	if (d->samples)
		vsteal_release(s);
	d->samples = NULL;
}
