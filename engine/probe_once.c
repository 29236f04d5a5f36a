/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * probe_once.c - Study B's probes (lib/probes.h), once per fio process.
 *
 * The probes describe the machine, not the job, and take a few hundred
 * ms, so a process runs them once, in the init hook of its first vmlat job
 * (before any IO: fio starts no job's IO until every job of the group has
 * initialized), and every later job of the process (numjobs with thread=1,
 * several job sections) copies the same values into its header.  A mutex
 * rather than pthread_once(), because the first job's log directory is an
 * argument: it holds the scratch file.  With fio's default of one process
 * per job, each process measures for itself.
 *
 * A probe that fails is reported once through fio's log_err() (stderr;
 * stdout may be fio's JSON) and recorded as n/a with its reason; it never
 * fails the job, since the IO measurement does not depend on it.
 */
#include <pthread.h>
#include <string.h>

#include "fio.h"

#include "engine.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int done;
static struct probes result;

/* Each KEY.why follows a probe without a value; n/a that does not apply was made OK first. */
static int report(void *ctx, const char *key, const char *value)
{
	size_t n = strlen(key);

	(void)ctx;
	if (n > 4 && !strcmp(key + n - 4, ".why"))
		log_err("vmlat: warning: %.*s not measured: %s\n", (int)(n - 4), key, value);
	return 0;
}

const struct probes *vmlat_probes_once(const char *dir)
{
	struct probes failed_only;

	pthread_mutex_lock(&lock);
	if (!done && probes_run(dir, &result)) {
		failed_only = result;
		if (failed_only.tcp_cross.state == PROBE_NA)
			failed_only.tcp_cross.state = PROBE_OK;
		probes_emit(&failed_only, report, NULL);
	}
	done = 1;
	pthread_mutex_unlock(&lock);
	return &result;
}
