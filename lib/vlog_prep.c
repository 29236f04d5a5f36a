/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vlog_prep.c - a thread that maps the log's next window ahead of the
 * writer (see vlog_prep.h for why).
 *
 * One request at a time, under a mutex: WANTED (asked, not begun), BUSY
 * (the helper is mapping it), DONE (mapped, or failed with ret).  The
 * writer takes it at its next window change: DONE is a pointer switch,
 * BUSY a wait, WANTED means the helper never got a CPU, and the writer
 * claims the request and maps the window itself.  So the helper never
 * stalls the writer for longer than the mapping it would have done
 * itself, and a window is mapped exactly once, by one of them.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vlog_prep.h"

enum prep_state { PREP_IDLE, PREP_WANTED, PREP_BUSY, PREP_DONE };

struct vlog_prep {
	pthread_t tid;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int fd;
	uint32_t window_bytes;
	enum prep_state state;
	int stop;
	unsigned int slow_us;	/* VMLAT_LOG_PREP=slow: the tests' late helper */
	off_t off;		/* the request */
	void *at;
	struct vlog_window win; /* its result */
	int ret;
};

/*
 * Idle priority, on any CPU: the helper must not take a CPU that any other
 * thread wants, and it must not wait for the job's own CPU either.  A
 * thread starts with its creator's affinity, and fio pins jobs
 * (cpus_allowed=), so the helper would share the job's one CPU and never
 * run while the job does IO; the kernel keeps it within the process's
 * cpuset.
 */
static void be_idle(void)
{
#if defined(__linux__) && defined(SCHED_IDLE)
	struct sched_param sp = { 0 };
	cpu_set_t any;
	int i;

	CPU_ZERO(&any);
	for (i = 0; i < CPU_SETSIZE; i++)
		CPU_SET(i, &any);
	(void)pthread_setaffinity_np(pthread_self(), sizeof(any), &any);
	(void)pthread_setschedparam(pthread_self(), SCHED_IDLE, &sp);
#endif
}

static void *prep_main(void *arg)
{
	struct vlog_prep *p = arg;

	be_idle();
	pthread_mutex_lock(&p->mu);
	for (;;) {
		struct vlog_window win = { 0 };
		int ret;

		while (!p->stop && p->state != PREP_WANTED)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->stop)
			break;
		if (p->slow_us) { /* late: the writer may claim the request meanwhile */
			pthread_mutex_unlock(&p->mu);
			usleep(p->slow_us);
			pthread_mutex_lock(&p->mu);
			if (p->state != PREP_WANTED)
				continue;
		}
		p->state = PREP_BUSY;
		pthread_mutex_unlock(&p->mu);
		ret = vlog_window_map(p->fd, p->window_bytes, p->off, p->at, &win);
		pthread_mutex_lock(&p->mu);
		p->win = win;
		p->ret = ret;
		p->state = PREP_DONE;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

struct vlog_prep *vlog_prep_start(int fd, uint32_t window_bytes)
{
	const char *env = getenv("VMLAT_LOG_PREP");
	struct vlog_prep *p;
	sigset_t all, old;
	int ret;

	if (env && !strcmp(env, "inline"))
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->fd = fd;
	p->window_bytes = window_bytes;
	p->slow_us = env && !strcmp(env, "slow") ? 500 : 0;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	/* fio's signals go to fio's threads: the helper takes none */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	ret = pthread_create(&p->tid, NULL, prep_main, p);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
#ifdef __linux__
	if (!ret) /* named before it runs, for top, ps and the tests */
		(void)pthread_setname_np(p->tid, "vmlat-logprep");
#endif
	if (ret) {
		pthread_cond_destroy(&p->cv);
		pthread_mutex_destroy(&p->mu);
		free(p);
		return NULL;
	}
	return p;
}

void vlog_prep_request(struct vlog_prep *p, off_t off, void *at)
{
	pthread_mutex_lock(&p->mu);
	p->off = off;
	p->at = at;
	p->state = PREP_WANTED;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

int vlog_prep_take(struct vlog_prep *p, struct vlog_window *out)
{
	int ret;

	pthread_mutex_lock(&p->mu);
	if (p->state == PREP_WANTED) { /* not begun: the writer maps it itself */
		p->state = PREP_IDLE;
		pthread_mutex_unlock(&p->mu);
		return vlog_window_map(p->fd, p->window_bytes, p->off, p->at, out);
	}
	while (p->state == PREP_BUSY)
		pthread_cond_wait(&p->cv, &p->mu);
	ret = p->state == PREP_DONE ? p->ret : -EINVAL; /* IDLE: nothing was asked */
	*out = p->win;
	p->state = PREP_IDLE;
	pthread_mutex_unlock(&p->mu);
	return ret;
}

void vlog_prep_stop(struct vlog_prep *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->tid, NULL);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p);
}
