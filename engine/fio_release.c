/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fio_release.c - refuse to run inside a fio of another release.
 *
 * fio shares struct thread_data, io_u and fio_file with engines by layout,
 * and its only guard is FIO_IOOPS_VERSION, which fio bumps only when the
 * ops table changes: 3.30 to 3.33 share 31, 3.38 and 3.39 share 36, 3.41
 * and 3.42 share 39.  An engine built against one release and loaded by
 * another of the same ioops version runs with every field offset of the
 * other release, and reads garbage without a word (an engine built for
 * 3.38 in fio 3.39 writes issue_ns = 0 for every IO: td->epoch moved).
 *
 * So at init the engine compares the release it was compiled against
 * (VMLAT_FIO_RELEASE, the fio --version that the build checked against
 * the source tree) with the version string of the fio that loaded it, and
 * fails the job before anything reads a fio struct.  The comparison is
 * exact: a git build's "fio-3.41-12-gabcdef" is its own release too.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fio.h"

#include "engine.h"

#ifndef VMLAT_FIO_RELEASE
#error "VMLAT_FIO_RELEASE (the fio release the engine is built for) must be defined by the build"
#endif

const char vmlat_fio_release[] = VMLAT_FIO_RELEASE;

int vmlat_check_fio_release(const char *loaded_by, char *err, size_t err_len)
{
	if (!strcmp(loaded_by, vmlat_fio_release))
		return 0;
	if (err_len)
		snprintf(err, err_len,
			 "built for %s but loaded by %s: fio shares its structs by layout, so the "
			 "engine would read wrong data; rebuild vmlat against %s (make FIO=... FIO_SRC=...)",
			 vmlat_fio_release, loaded_by, loaded_by);
	return -EINVAL;
}
