/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * batch_fetch.c - the vmlat logs of a cell, from the guest to the results.
 *
 * The engine writes its logs on the guest (fio --server runs it there);
 * fio ships back only its own logs.  Two routes bring vmlat's:
 *   local:DIR   the guest's log_dir is visible here at DIR (the same
 *               machine, or a 9p/NFS share): a copy of regular files only
 *               (copy_file says why)
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
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"

/*
 * The log directory belongs to the guest (a 9p share passes its symlinks
 * through), so nothing in it is taken on trust: a name is opened inside
 * the directory only (openat, O_NOFOLLOW), never blocks (O_NONBLOCK: a
 * FIFO), and must be a regular file with one link (a hard link may be a
 * host file's other name).  The copy is never wider than the source
 * (group and others lose write, nobody gains it) and never replaces a file
 * of the cell (O_EXCL: a planted TOKEN.labels or TOKEN.fio.json).  Returns
 * 0, -errno on a system error, or a positive skip with WHY set.
 */
static int copy_file(int dirfd, const char *name, const char *to, const char **why)
{
	char buf[65536];
	int in = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	int out, ret = 0;
	struct stat st;
	ssize_t n;

	if (in < 0 && errno == ELOOP)
		return *why = "a symbolic link", 1;
	if (in < 0)
		return -errno;
	if (fstat(in, &st))
		ret = -errno;
	else if (!S_ISREG(st.st_mode))
		ret = 1, *why = "not a regular file";
	else if (st.st_nlink != 1)
		ret = 1, *why = "a file with more than one link";
	if (ret) {
		close(in);
		return ret;
	}
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, st.st_mode & 0644);
	if (out < 0) {
		ret = errno == EEXIST ? (*why = "its name is taken by a file of the cell", 1) : -errno;
		close(in);
		return ret;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			ret = -EIO;
			break;
		}
	if (n < 0 && !ret)
		ret = -errno;
	close(in);
	if (close(out) && !ret)
		ret = -errno;
	return ret;
}

/*
 * Files TOKEN.* in FROM, copied to DIR without the prefix; each one skipped
 * goes into SKIPPED as "PATH: why".  Returns how many were copied, or -1.
 */
static int take(const char *from, const char *token, const char *dir, struct strv *skipped,
		char *err, size_t err_len)
{
	size_t tlen = strlen(token);
	char dst[4096], note[4400];
	const char *why = NULL;
	struct dirent *e;
	int fd = open(from, O_RDONLY | O_DIRECTORY | O_CLOEXEC), n = 0, ret;
	DIR *d = fd < 0 ? NULL : fdopendir(fd);

	if (!d) {
		snprintf(err, err_len, "cannot open log directory '%s': %s", from, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, token, tlen) || e->d_name[tlen] != '.' || !e->d_name[tlen + 1])
			continue;
		snprintf(dst, sizeof(dst), "%s/%s", dir, e->d_name + tlen + 1);
		ret = copy_file(fd, e->d_name, dst, &why);
		if (ret > 0) {
			snprintf(note, sizeof(note), "%s/%s: %s", from, e->d_name, why);
			if (strv_push(skipped, note))
				ret = -ENOMEM;
		}
		if (ret < 0) {
			snprintf(err, err_len, "cannot copy '%s/%s': %s", from, e->d_name,
				 strerror(-ret));
			n = -1;
			break;
		}
		n += !ret;
	}
	closedir(d);
	return n;
}

static int fetch_ssh(const struct bguest *g, const char *token, const char *dir,
		     unsigned timeout_s, struct strv *skipped, char *err, size_t err_len)
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
	n = take(stage, token, dir, skipped, err, err_len);
	batch_rmtree(stage);
	if (n >= 0)
		unlink(errf);
	return n;
}

int bfetch(const struct bguest *g, const char *token, const char *dir, unsigned timeout_s,
	   struct strv *skipped, char *err, size_t err_len)
{
	if (g->route == ROUTE_LOCAL)
		return take(g->route_arg, token, dir, skipped, err, err_len);
	return fetch_ssh(g, token, dir, timeout_s, skipped, err, err_len);
}
