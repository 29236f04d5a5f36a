#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test_fuzz.sh - every libFuzzer target (tests/fuzz/fuzz_*.c, clang with
# ASan and UBSan) runs for a bounded few seconds on its corpus, regression
# inputs included, and finds nothing: what `make check` does with the
# fuzzers.  FUZZ_SECONDS (default 5) per target; `make fuzz-long
# FUZZ_SECONDS=3600` is the long run (FUZZING.md).  Exit 0 pass, 1 a
# finding (tests/fuzz/fuzz.sh printed it), 77 without clang's libFuzzer.
. "$(dirname "$0")/../lib.sh"
cd "$TOP" || exit 1
command -v clang >/dev/null || skip "no clang (scripts/deps.sh installs it)"
printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
	'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
	>"$T/p.c"
clang -fsanitize=fuzzer -o "$T/p" "$T/p.c" 2>/dev/null ||
	skip "clang has no libFuzzer runtime (libclang-rt-dev)"
# lib.sh keeps make check's command line (MAKEFLAGS) from make: say BUILD
make -s --no-print-directory fuzz BUILD="$BUILD" || fail "make fuzz"
BUILD=$BUILD tests/fuzz/fuzz.sh "${FUZZ_SECONDS:-5}" || fail "a fuzz target found something"
