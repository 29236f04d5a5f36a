/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * probes_tcp.c - TCP round trip over loopback (lmbench's lat_tcp), with
 * both ends on one vCPU and on two.
 *
 * lmbench forks a server process; inside fio a fork would copy fio's
 * state and run its exit handlers, so the server is a thread of this
 * process.  The kernel path (two TCP sends and receives, two wake-ups) is
 * the same.  The server thread pins itself, accepts one connection, sends
 * one status byte (did the pin work), then echoes 1-byte messages until
 * the client closes.  The client is the calling thread, pinned for the
 * measurement and given back its own affinity at the end.
 *
 * Where the two ends run decides the result: on one vCPU a round trip is
 * two context switches; across two vCPUs it is two cross-CPU wake-ups,
 * which in a guest are IPIs that exit to the hypervisor unless it posts
 * interrupts.  Socket timeouts (TIMEOUT_MS) bound every wait, so a stuck
 * peer costs at most that.
 */
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "probes_impl.h"

#define WARMUP 20
#define BATCH 50
#define REPS 20
#define TIMEOUT_MS 200

struct server {
	int lfd, cpu, err;
};

static void set_timeouts(int fd)
{
	struct timeval tv = { .tv_sec = 0, .tv_usec = TIMEOUT_MS * 1000 };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/*
 * One byte each way, retried on EINTR (fio's signals); 0 or -errno.
 * send/recv, not write/read: MSG_NOSIGNAL keeps a closed peer from
 * raising SIGPIPE in fio, and they leave the process's write-syscall count
 * (/proc/PID/io syscw) to the IOs.
 */
static int put1(int fd, char c)
{
	ssize_t n;

	while ((n = send(fd, &c, 1, MSG_NOSIGNAL)) < 0 && errno == EINTR)
		;
	return n == 1 ? 0 : n < 0 ? -errno : -EIO;
}

static int get1(int fd, char *c)
{
	ssize_t n;

	while ((n = recv(fd, c, 1, 0)) < 0 && errno == EINTR)
		;
	return n == 1 ? 0 : n < 0 ? -errno : -ECONNRESET;
}

static void *serve(void *arg)
{
	struct server *s = arg;
	int fd;
	char c;

	s->err = probes_os_pin(s->cpu);
	while ((fd = accept(s->lfd, NULL, NULL)) < 0 && errno == EINTR)
		;
	if (fd < 0)
		return NULL;
	set_timeouts(fd);
	if (!put1(fd, s->err ? 1 : 0) && !s->err)
		while (!get1(fd, &c) && !put1(fd, c))
			;
	close(fd);
	return NULL;
}

/* A listening socket on 127.0.0.1, any port; its address in SA. */
static int listen_local(struct sockaddr_in *sa)
{
	socklen_t len = sizeof(*sa);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)sa, sizeof(*sa)) || listen(fd, 1) ||
	    getsockname(fd, (struct sockaddr *)sa, &len)) {
		int e = errno;

		close(fd);
		return -e;
	}
	set_timeouts(fd); /* accept() obeys SO_RCVTIMEO */
	return fd;
}

/* Median ns per round trip over BATCH-sized batches, on a connected FD. */
static int ping_pong(int fd, uint64_t deadline_ns, double *ns)
{
	uint64_t start = probes_now_ns(), t0;
	double v[REPS];
	size_t n = 0;
	int i, ret = 0;
	char c = 0;

	for (i = 0; !ret && i < WARMUP; i++)
		ret = put1(fd, c) ? -EIO : get1(fd, &c);
	while (!ret && n < REPS && (n < 1 || probes_now_ns() - start < deadline_ns)) {
		t0 = probes_now_ns();
		for (i = 0; !ret && i < BATCH; i++) {
			ret = put1(fd, c);
			if (!ret)
				ret = get1(fd, &c);
		}
		v[n++] = (double)(probes_now_ns() - t0) / BATCH;
	}
	if (!ret)
		*ns = probes_median(v, n);
	return ret;
}

/* Client on CPU_A (the caller, pinned here), server on CPU_B. */
static void rtt(int cpu_a, int cpu_b, uint64_t deadline_ns, struct probe_value *out)
{
	struct server s = { .cpu = cpu_b };
	struct sockaddr_in sa;
	pthread_t th;
	int fd = -1, ret;
	double ns = 0;
	char st = 1;

	s.lfd = listen_local(&sa);
	if (s.lfd < 0) {
		probes_fail(out, PROBE_FAILED, "listen on 127.0.0.1: %s", strerror(-s.lfd));
		return;
	}
	ret = -pthread_create(&th, NULL, serve, &s);
	if (ret) {
		close(s.lfd);
		probes_fail(out, PROBE_FAILED, "cannot start a thread: %s", strerror(-ret));
		return;
	}
	ret = probes_os_pin(cpu_a);
	if (ret) {
		probes_fail(out, PROBE_FAILED, "cannot pin to vCPU %d: %s", cpu_a, strerror(-ret));
		goto out; /* the server's accept() times out */
	}
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ret = fd < 0 ? -errno : connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ? -errno : 0;
	if (!ret) {
		set_timeouts(fd);
		ret = get1(fd, &st);
	}
	if (!ret && st)
		probes_fail(out, PROBE_FAILED, "cannot pin to vCPU %d", cpu_b);
	else if (!ret && !(ret = ping_pong(fd, deadline_ns, &ns)))
		probes_set(out, ns);
	if (ret)
		probes_fail(out, PROBE_FAILED, "tcp on 127.0.0.1: %s", strerror(-ret));
out:
	if (fd >= 0)
		close(fd);
	pthread_join(th, NULL);
	close(s.lfd);
}

/* The two vCPUs to use: the one running now (if allowed) and another allowed one. */
static int pick_cpus(const struct probes_mask *m, int *a, int *b)
{
	int cpu, max = probes_os_mask_max(), n = 0;

	*a = probes_os_cpu_now();
	*b = -1;
	if (*a < 0 || !probes_os_mask_isset(m, *a))
		*a = -1;
	for (cpu = 0; cpu < max; cpu++) {
		if (!probes_os_mask_isset(m, cpu))
			continue;
		n++;
		if (*a < 0)
			*a = cpu;
		else if (*b < 0 && cpu != *a)
			*b = cpu;
	}
	return n;
}

void probes_tcp(struct probes *p)
{
	struct probes_mask saved;
	int ret = probes_os_mask_get(&saved);

	if (ret) {
		probes_fail(&p->tcp_same, PROBE_FAILED, "cannot read the CPU affinity: %s", strerror(-ret));
		probes_fail(&p->tcp_cross, PROBE_FAILED, "cannot read the CPU affinity: %s", strerror(-ret));
		return;
	}
	pick_cpus(&saved, &p->cpu_a, &p->cpu_b);
	rtt(p->cpu_a, p->cpu_a, PROBES_TCP_SAME_DEADLINE_NS, &p->tcp_same);
	if (p->cpu_b >= 0)
		rtt(p->cpu_a, p->cpu_b, PROBES_TCP_CROSS_DEADLINE_NS, &p->tcp_cross);
	else if (sysconf(_SC_NPROCESSORS_ONLN) <= 1)
		probes_fail(&p->tcp_cross, PROBE_NA, "this machine has one vCPU online");
	else
		probes_fail(&p->tcp_cross, PROBE_NA, "only one vCPU (%d) is in this thread's affinity mask",
			    p->cpu_a);
	ret = probes_os_mask_set(&saved);
	if (ret) /* rare (the cpuset shrank meanwhile), and the caller must know */
		probes_fail(&p->tcp_same, PROBE_FAILED, "the thread's CPU affinity could not be restored: %s",
			    strerror(-ret));
}
