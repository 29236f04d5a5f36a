/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * batch_fetch.c - the vmlat logs of a cell, from the guest to the results.
 *
 * The engine writes its logs on the guest (fio --server runs it there);
 * fio ships back only its own logs.  Two routes bring vmlat's:
 *   local:DIR   the guest's log_dir is visible here at DIR (the same
 *               machine, or a 9p/NFS share): a plain copy
 *   ssh:HOST    scp in batch mode (no password prompt can hang a run),
 *               with the config's ssh_option lines as -o options
 * Either way only files named 'TOKEN.*' are taken, TOKEN being unique to
 * this attempt at this cell, and they lose that prefix on the way.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"

static int copy_file(const char *from, const char *to)
{
	char buf[65536];
	int in = open(from, O_RDONLY), out;
	ssize_t n = 0;

	if (in < 0)
		return -errno;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0) {
		n = -errno;
		close(in);
		return (int)n;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			n = -EIO;
			break;
		}
	if (n < 0 && n != -EIO)
		n = -errno;
	close(in);
	if (close(out) && !n)
		n = -errno;
	return (int)n;
}

/* Files TOKEN.* in FROM, moved or copied to DIR without the prefix. */
static int take(const char *from, const char *token, const char *dir, int move, char *err,
		size_t err_len)
{
	size_t tlen = strlen(token);
	char src[4096], dst[4096];
	struct dirent *e;
	DIR *d = opendir(from);
	int n = 0, ret;

	if (!d) {
		snprintf(err, err_len, "cannot open log directory '%s': %s", from, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, token, tlen) || e->d_name[tlen] != '.' || !e->d_name[tlen + 1])
			continue;
		snprintf(src, sizeof(src), "%s/%s", from, e->d_name);
		snprintf(dst, sizeof(dst), "%s/%s", dir, e->d_name + tlen + 1);
		ret = move ? (rename(src, dst) ? -errno : 0) : copy_file(src, dst);
		if (ret) {
			snprintf(err, err_len, "cannot copy '%s': %s", src, strerror(-ret));
			n = -1;
			break;
		}
		n++;
	}
	closedir(d);
	return n;
}

static int fetch_ssh(const struct bguest *g, const char *token, const char *dir,
		     unsigned timeout_s, char *err, size_t err_len)
{
	char stage[4096], remote[4096], errf[4200], cto[64];
	char *argv[64];
	size_t i, a = 0;
	int status = 0, ret, n;

	snprintf(stage, sizeof(stage), "%s/.fetch", dir);
	snprintf(errf, sizeof(errf), "%s/scp.out", dir);
	snprintf(remote, sizeof(remote), "%s:%s/%s.*", g->route_arg, g->log_dir, token);
	snprintf(cto, sizeof(cto), "ConnectTimeout=%u", timeout_s);
	if (batch_mkdirs(stage)) {
		snprintf(err, err_len, "cannot create '%s': %s", stage, strerror(errno));
		return -1;
	}
	argv[a++] = "scp", argv[a++] = "-q", argv[a++] = "-B";
	argv[a++] = "-o", argv[a++] = "BatchMode=yes", argv[a++] = "-o", argv[a++] = cto;
	for (i = 0; i < g->ssh_opts.n && a < 58; i++)
		argv[a++] = "-o", argv[a++] = g->ssh_opts.v[i];
	argv[a++] = remote, argv[a++] = stage, argv[a] = NULL;
	ret = bproc_run(argv, NULL, errf, timeout_s * 3, &status);
	if (ret || status) {
		char why[512];

		batch_last_line(errf, why, sizeof(why));
		snprintf(err, err_len, "scp from %s failed: %s", g->route_arg,
			 ret == -ETIMEDOUT ? "timed out" : ret ? strerror(-ret) : why);
		return -1;
	}
	n = take(stage, token, dir, 1, err, err_len);
	rmdir(stage);
	if (n >= 0)
		unlink(errf);
	return n;
}

int bfetch(const struct bguest *g, const char *token, const char *dir, unsigned timeout_s,
	   char *err, size_t err_len)
{
	if (g->route == ROUTE_LOCAL)
		return take(g->route_arg, token, dir, 0, err, err_len);
	return fetch_ssh(g, token, dir, timeout_s, err, err_len);
}
