/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ctx_linux.c - per-IO context counters on Linux (see ctx.h).
 *
 * Run-queue wait: the second field of /proc/thread-self/schedstat, the ns
 * this thread spent runnable but not running (kept with CONFIG_SCHED_INFO).
 * The file is opened once, from the IO thread itself (thread-self resolves
 * at open), and re-read with pread per sample: ~700 ns.
 * Switches and faults: getrusage(RUSAGE_THREAD), ~250 ns.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "ctx.h"

int vmlat_ctx_open(struct vmlat_ctx *c, unsigned int mask, char *err, size_t err_len)
{
	c->mask = mask;
	c->schedstat_fd = -1;
	if (!(mask & VLOG_CTX_RQ_DELAY))
		return 0;
	c->schedstat_fd = open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
	if (c->schedstat_fd < 0) {
		int e = errno;

		snprintf(err, err_len, "vmlat_ctx=rq: cannot open '/proc/thread-self/schedstat': %s",
			 strerror(e));
		return -e;
	}
	return 0;
}

void vmlat_ctx_close(struct vmlat_ctx *c)
{
	if (c->schedstat_fd >= 0)
		close(c->schedstat_fd);
	c->schedstat_fd = -1;
	c->mask = 0;
}

/* "RUN_NS WAIT_NS SLICES\n": the second number, by hand (no locale, no alloc). */
static uint64_t read_rq_wait(int fd)
{
	char buf[96];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	uint64_t v = 0;
	char *p;

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strchr(buf, ' ');
	if (!p)
		return 0;
	for (p++; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	return v;
}

void vmlat_ctx_sample(const struct vmlat_ctx *c, struct vmlat_ctx_sample *s)
{
	struct rusage ru;

	if (c->mask & VLOG_CTX_RQ_DELAY)
		s->rq_wait_ns = read_rq_wait(c->schedstat_fd);
	if (c->mask & (VLOG_CTX_CSW | VLOG_CTX_FAULTS)) {
		getrusage(RUSAGE_THREAD, &ru);
		s->nvcsw = ru.ru_nvcsw;
		s->nivcsw = ru.ru_nivcsw;
		s->minflt = ru.ru_minflt;
		s->majflt = ru.ru_majflt;
	}
}
