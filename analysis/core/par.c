/* SPDX-License-Identifier: GPL-2.0-or-later */
/* par.c - a thread per piece of work (see par.h). */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "par.h"

unsigned int par_cpus(void)
{
	const char *env = getenv("VMLAT_THREADS");
	long n = env && *env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > PAR_MAX ? PAR_MAX : (unsigned int)n;
}

struct piece {
	void (*fn)(void *arg, unsigned int i);
	void *arg;
	unsigned int i;
};

static void *piece_main(void *p)
{
	struct piece *pc = p;

	pc->fn(pc->arg, pc->i);
	return NULL;
}

int par_run(unsigned int n, void (*fn)(void *arg, unsigned int i), void *arg)
{
	pthread_t tid[PAR_MAX];
	struct piece pc[PAR_MAX];
	unsigned int i, started;
	int ret = 0;

	if (n > PAR_MAX)
		return -EINVAL;
	for (started = 1; started < n; started++) {
		pc[started] = (struct piece){ fn, arg, started };
		ret = -pthread_create(&tid[started], NULL, piece_main, &pc[started]);
		if (ret)
			break;
	}
	for (i = 0; i < n; i++)
		if (i == 0 || i >= started)
			fn(arg, i);
	for (i = 1; i < started; i++)
		pthread_join(tid[i], NULL);
	return ret;
}
