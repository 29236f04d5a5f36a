/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_fiolog.c - libFuzzer target: load_fiolog() and what follows it (fuzz.h). */
#include "fuzz.h"

FUZZ_ENTRY(load_fiolog)
