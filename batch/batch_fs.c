/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * batch_fs.c - the few file-system chores of a batch run.
 *
 * batch_write_file() syncs before it returns: the marker that makes a cell
 * complete must not reach the disk before the files it vouches for (those
 * are closed by then; fio and the copy close theirs), and the rename that
 * follows publishes a directory whose contents are already durable enough
 * for a rerun to trust.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"

int batch_mkdirs(const char *path)
{
	char buf[4096];
	char *p;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return errno = ENAMETOOLONG, -1;
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, 0755) && errno != EEXIST)
		return -1;
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

int batch_rmtree(const char *path)
{
	struct stat st;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : -1;
	return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int batch_write_file(const char *path, const char *str)
{
	size_t len = strlen(str);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, str, len) != (ssize_t)len || fsync(fd))
		ret = errno ? -errno : -EIO;
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

/* The last non-empty line of a child's output: usually what went wrong. */
void batch_last_line(const char *path, char *out, size_t len)
{
	char buf[4096];
	FILE *f = fopen(path, "r");

	*out = '\0';
	if (!f)
		return;
	while (fgets(buf, sizeof(buf), f)) {
		buf[strcspn(buf, "\r\n")] = '\0';
		if (*buf) { /* truncated to fit, on purpose */
			size_t n = strlen(buf) < len ? strlen(buf) : len - 1;

			memcpy(out, buf, n);
			out[n] = '\0';
		}
	}
	fclose(f);
}
