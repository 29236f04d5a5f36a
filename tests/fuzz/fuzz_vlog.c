/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_vlog.c - libFuzzer target: load_vlog() and what follows it (fuzz.h). */
#include "fuzz.h"

FUZZ_ENTRY(load_vlog)
