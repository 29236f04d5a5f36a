#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test_fuzz.sh - every libFuzzer target (tests/fuzz/fuzz_*.c, clang with
# ASan and UBSan) runs for a bounded few seconds on its corpus, regression
# inputs included, and finds nothing: what `make check` does with the
# fuzzers.  FUZZ_SECONDS (default 5) per target; `make fuzz-long
# FUZZ_SECONDS=3600` is the long run (FUZZING.md).  Exit 0 pass, 1 a
# finding (tests/fuzz/fuzz.sh printed it), 77 without clang's libFuzzer.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
command -v clang >/dev/null || { echo "skip: no clang (scripts/deps.sh installs it)"; exit 77; }
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
	'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
	>"$probe/p.c"
clang -fsanitize=fuzzer -o "$probe/p" "$probe/p.c" 2>/dev/null ||
	{ echo "skip: clang has no libFuzzer runtime (libclang-rt-dev)"; exit 77; }
make -s --no-print-directory fuzz || { echo "FAIL: make fuzz" >&2; exit 1; }
tests/fuzz/fuzz.sh "${FUZZ_SECONDS:-5}" || { echo "FAIL: a fuzz target found something" >&2; exit 1; }
