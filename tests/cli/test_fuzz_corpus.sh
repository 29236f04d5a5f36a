#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test_fuzz_corpus.sh - replay tests/fuzz/corpus/ through every loader
# (tests/fuzz/fuzz_*.c with tests/fuzz/replay.c instead of libFuzzer),
# built with AddressSanitizer and UBSan when the compiler has them: every
# input the fuzzers ever found interesting, and every crash they found
# (fixed since), must load or be refused without a memory error.
# `make fuzz` builds the real fuzzers (clang).  Exit 0 pass, 1 fail.
set -u
export LC_ALL=C
top=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$top/build}
cd "$top" || exit 1
mkdir -p "$BUILD/fuzz-replay"
CC=${CC:-cc}
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
echo 'int main(void) { return 0; }' >"$BUILD/fuzz-replay/probe.c"
$CC $san -o "$BUILD/fuzz-replay/probe" "$BUILD/fuzz-replay/probe.c" 2>/dev/null || {
	echo "note: $CC has no ASan/UBSan here: replaying without sanitizers"
	san=""
}
# the Makefile's ANALYSIS_LIB: all of analysis/core
lib="$(echo analysis/core/*.c) lib/vlog.c lib/vlog_read.c lib/vlog_write.c"
fails=0
for src in tests/fuzz/fuzz_*.c; do
	k=${src#tests/fuzz/fuzz_}
	k=${k%.c}
	bin=$BUILD/fuzz-replay/replay_$k
	# shellcheck disable=SC2086
	$CC -std=gnu11 -O1 -g -D_GNU_SOURCE $san -Ilib -Ianalysis -o "$bin" "$src" tests/fuzz/replay.c \
		$lib -ljansson -lm || { echo "FAIL: cannot build $bin" >&2; exit 1; }
	n=$(ls "tests/fuzz/corpus/$k" | wc -l)
	[ "$n" -gt 0 ] || { echo "FAIL: empty corpus tests/fuzz/corpus/$k" >&2; fails=$((fails + 1)); continue; }
	if ASAN_OPTIONS=detect_leaks=1 "$bin" "tests/fuzz/corpus/$k"/* >"$BUILD/fuzz-replay/$k.out" 2>&1; then
		echo "ok: $k: $n inputs"
	else
		echo "FAIL: $k: $(tail -n 20 "$BUILD/fuzz-replay/$k.out")" >&2
		fails=$((fails + 1))
	fi
done
[ "$fails" = 0 ]
