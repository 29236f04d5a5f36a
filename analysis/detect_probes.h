/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * detect_probes.h - the --probes part of `vmlat detect` (detect_probes.c).
 */
#ifndef VMLAT_DETECT_PROBES_H
#define VMLAT_DETECT_PROBES_H

#include <jansson.h>

#include "probes.h"

/*
 * detect_probes_run - run the probes with the scratch file in DIR, and say
 * on stderr which ones failed (they are still printed, as n/a).
 */
void detect_probes_run(const char *dir, struct probes *p);

/* detect_probes_text - probes_emit()'s lines, "key=value", on stdout. */
void detect_probes_text(const struct probes *p);

/*
 * detect_probes_json - ROOT.probes: every key without "probe.": times,
 * ratios and sizes as JSON numbers (null when n/a), the rest as strings.
 * Returns 0 or -ENOMEM.
 */
int detect_probes_json(json_t *root, const struct probes *p);

#endif /* VMLAT_DETECT_PROBES_H */
