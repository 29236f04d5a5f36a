/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fio_sidecar.c - what fio's JSON beside a fio log says about that log.
 *
 * fio's logs have no header, and a few lines can fit two layouts (a
 * one-IO job at offset 0 with log_offset=1 reads as "offset, prio" or as
 * "prio, issue_time"; so does an averaged log with log_offset=1).  fio's
 * JSON of the same run settles it: the job whose write_lat_log prefix
 * names the log gives the fio version (the issue column exists from 3.38,
 * the max column from 3.36) and its log_offset.  Only JSON files in the
 * log's own directory are read, and only when the content left a tie.
 */
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fio_sidecar.h"

/* Value of option KEY for JOB: its own, else the global one, else NULL. */
static const char *job_opt(json_t *root, json_t *job, const char *key)
{
	const char *v = json_string_value(json_object_get(json_object_get(job, "job options"), key));

	return v ? v : json_string_value(json_object_get(json_object_get(root, "global options"), key));
}

/* Does PREFIX (write_lat_log=, maybe with a directory) name log BASE? */
static int names_log(const char *prefix, const char *base)
{
	const char *p = strrchr(prefix, '/');
	size_t n;

	p = p ? p + 1 : prefix;
	n = strlen(p);
	return n && !strncmp(base, p, n) && base[n] == '_';
}

static int from_json(const char *file, const char *base, struct fio_sidecar *out)
{
	json_t *root = json_load_file(file, JSON_DISABLE_EOF_CHECK, NULL), *jobs, *job;
	const char *ver;
	size_t i;
	int found = 0;

	if (!root)
		return 0;
	ver = json_string_value(json_object_get(root, "fio version"));
	jobs = json_object_get(root, "jobs");
	jobs = jobs ? jobs : json_object_get(root, "client_stats");
	json_array_foreach(jobs, i, job) {
		const char *pre = job_opt(root, job, "write_lat_log"), *off;
		unsigned int a, b;

		if (found || !ver || !pre || !names_log(pre, base) || sscanf(ver, "fio-%u.%u", &a, &b) != 2)
			continue;
		found = 1;
		out->major = a;
		out->minor = b;
		off = job_opt(root, job, "log_offset");
		out->log_offset = off && strcmp(off, "0") ? 1 : 0;
	}
	json_decref(root);
	return found;
}

int fio_sidecar_find(const char *log, struct fio_sidecar *out)
{
	char dir[4096], file[4096 + 256];
	const char *slash = strrchr(log, '/'), *base = slash ? slash + 1 : log;
	struct dirent *de;
	DIR *d;
	int found = 0;

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - log) : 1, slash ? log : ".");
	d = opendir(dir);
	if (!d)
		return 0;
	while (!found && (de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (n < 5 || strcmp(de->d_name + n - 5, ".json"))
			continue;
		snprintf(file, sizeof(file), "%s/%s", dir, de->d_name);
		found = from_json(file, base, out);
	}
	closedir(d);
	return found;
}
