/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_fiojson.c - libFuzzer target: load_fiojson() and what follows it (fuzz.h). */
#include "fuzz.h"

FUZZ_ENTRY(load_fiojson)
