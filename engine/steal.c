/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * steal.c - the steal sampler thread (see steal.h; format: lib/vsteal.h).
 *
 * The thread wakes on absolute deadlines (clock_nanosleep TIMER_ABSTIME),
 * so the period does not drift by the cost of each read.  It shares one
 * word with the IO thread: the log writer's record count, which the IO
 * thread publishes with a release store after each record and this thread
 * reads with acquire loads around each read of the counters.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../lib/runctx.h"
#include "../lib/vsteal.h"
#include "steal.h"

#define MAX_CPUS 4096

static uint64_t records(const struct vmlat_steal *s)
{
	return __atomic_load_n(&s->log->count, __ATOMIC_ACQUIRE);
}

/* One line: records before the read (done), and the first IO surely after it. */
static int sample(struct vmlat_steal *s, int first)
{
	uint64_t done = records(s), stored;
	int n = runctx_steal_read(s->ns, s->ncpu);

	stored = records(s);
	if (n < 0)
		return n;
	return vsteal_write_sample(s->f, done, first ? 0 : stored + 1, s->ns, s->ncpu);
}

static void add_ns(struct timespec *t, uint64_t ns)
{
	t->tv_nsec += (long)(ns % 1000000000ull);
	t->tv_sec += (time_t)(ns / 1000000000ull) + t->tv_nsec / 1000000000L;
	t->tv_nsec %= 1000000000L;
}

static void *sampler(void *arg)
{
	struct vmlat_steal *s = arg;
	struct timespec next;
	int ret;

	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
		add_ns(&next, VMLAT_STEAL_PERIOD_NS);
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
			;
		ret = sample(s, 0);
		if (ret) {
			/* a line cut by a failed write is ignored by readers; later
			 * lines would follow a gap, so the samples end here */
			s->err = ret;
			s->lost_at = records(s);
			break;
		}
	}
	return NULL;
}

static int open_file(struct vmlat_steal *s, const char *path, int replace)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (replace ? O_TRUNC : O_EXCL), 0644);

	if (fd < 0)
		return -errno;
	s->f = fdopen(fd, "w");
	if (!s->f) {
		close(fd);
		return -ENOMEM;
	}
	return 0;
}

static int start(struct vmlat_steal *s, const char *path, int replace)
{
	int n, ret;

	s->ns = calloc(MAX_CPUS, sizeof(*s->ns));
	if (!s->ns)
		return -ENOMEM;
	n = runctx_steal_read(s->ns, MAX_CPUS);
	if (n <= 0)
		return n < 0 ? n : -ENOENT;
	s->ncpu = (unsigned int)n;
	ret = open_file(s, path, replace);
	if (!ret)
		ret = vsteal_write_head(s->f, VMLAT_STEAL_PERIOD_NS,
					1000000000ull / (uint64_t)sysconf(_SC_CLK_TCK), s->ncpu);
	if (!ret)
		ret = sample(s, 1);
	if (!ret)
		ret = -pthread_create(&s->thread, NULL, sampler, s);
	if (!ret)
		s->running = 1;
	return ret;
}

int vmlat_steal_start(struct vmlat_steal *s, const struct vlog_writer *log, const char *path,
		      int replace, char *err, size_t err_len)
{
	int ret;

	memset(s, 0, sizeof(*s));
	s->log = log;
	ret = start(s, path, replace);
	if (!ret)
		return 0;
	if (ret == -EEXIST)
		snprintf(err, err_len, "vmlat_ctx=steal: '%s' exists; move it away or set vmlat_log_replace=1",
			 path);
	else if (ret == -EOPNOTSUPP || ret == -ENOENT)
		snprintf(err, err_len, "vmlat_ctx=steal: this system reports no per-vCPU steal");
	else
		snprintf(err, err_len, "vmlat_ctx=steal: cannot sample steal into '%s': %s", path,
			 strerror(-ret));
	if (s->f) {
		fclose(s->f);
		unlink(path);
	}
	free(s->ns);
	memset(s, 0, sizeof(*s));
	return ret;
}

int vmlat_steal_stop(struct vmlat_steal *s, uint64_t *lost_at)
{
	int ret = 0;

	if (s->running) {
		__atomic_store_n(&s->stop, 1, __ATOMIC_RELEASE);
		pthread_join(s->thread, NULL);
		ret = s->err ? s->err : sample(s, 0); /* after the last IO: brackets it */
	}
	if (s->f && fclose(s->f) && !ret)
		ret = -errno;
	*lost_at = s->err ? s->lost_at : records(s);
	free(s->ns);
	memset(s, 0, sizeof(*s));
	return ret;
}
