/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fio_sidecar.h - the fio JSON of the run that wrote a fio log (see
 * fio_sidecar.c): what the log's layout cannot be told without.
 */
#ifndef VMLAT_FIO_SIDECAR_H
#define VMLAT_FIO_SIDECAR_H

struct fio_sidecar {
	unsigned int major, minor; /* fio version, "fio-3.33": 3, 33 */
	int log_offset;		   /* the job's log_offset=1 */
};

/* Find the JSON beside LOG whose job wrote it: 1 with OUT filled, else 0. */
int fio_sidecar_find(const char *log, struct fio_sidecar *out);

#endif /* VMLAT_FIO_SIDECAR_H */
