/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * batch_proc.c - child processes (fio clients, scp) with a deadline.
 *
 * Every wait in batch has a timeout: a guest that hangs must cost one cell,
 * not the night.  A child runs in a process group of its own, so a Ctrl-C
 * at the terminal reaches vmlat alone; vmlat then sends the child one
 * SIGINT, which a fio client turns into a stop of its servers' jobs (fio's
 * client.c, sig_int), and a SIGKILL if it has not gone after a grace
 * period.  Polling waitpid() every 20 ms keeps this free of SIGCHLD
 * plumbing; batch runs seconds-long cells, so the delay is immaterial.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"

static void child(char *const argv[], const char *dir, const char *out_path)
{
	int in = open("/dev/null", O_RDONLY);
	int out = open(out_path, O_WRONLY | O_CREAT | O_APPEND, 0644);

	setpgid(0, 0);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
		_exit(127);
	if (dir && chdir(dir))
		_exit(127);
	execvp(argv[0], argv);
	_exit(127);
}

int bproc_start(struct bproc *p, char *const argv[], const char *dir, const char *out_path)
{
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (!pid)
		child(argv, dir, out_path);
	setpgid(pid, pid); /* also here: no race with an early kill */
	p->pid = pid;
	return 0;
}

static unsigned long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000 + (unsigned long long)ts.tv_nsec / 1000000;
}

int bproc_wait(struct bproc *p, unsigned timeout_ms, int *status)
{
	unsigned long long end = now_ms() + timeout_ms;
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	int st;

	for (;;) {
		pid_t r = waitpid(p->pid, &st, WNOHANG);

		if (r == p->pid) {
			*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			p->pid = 0;
			return 0;
		}
		if (r < 0 && errno != EINTR)
			return -errno;
		if (batch_stop)
			return -EINTR;
		if (now_ms() >= end)
			return -ETIMEDOUT;
		nanosleep(&tick, NULL);
	}
}

int bproc_stop(struct bproc *p, unsigned grace_ms)
{
	int status = -1;
	volatile sig_atomic_t saved = batch_stop;

	if (!p->pid)
		return 0;
	kill(p->pid, SIGINT);
	batch_stop = 0; /* wait for the child's orderly end even after Ctrl-C */
	if (bproc_wait(p, grace_ms, &status)) {
		kill(-p->pid, SIGKILL);
		kill(p->pid, SIGKILL);
		waitpid(p->pid, NULL, 0);
		p->pid = 0;
	}
	batch_stop = batch_stop || saved;
	return status;
}

int bproc_run(char *const argv[], const char *dir, const char *out_path, unsigned timeout_s,
	      int *status)
{
	struct bproc p;
	int ret = bproc_start(&p, argv, dir, out_path);

	if (ret)
		return ret;
	ret = bproc_wait(&p, timeout_s * 1000, status);
	if (ret)
		bproc_stop(&p, 10000);
	return ret;
}
