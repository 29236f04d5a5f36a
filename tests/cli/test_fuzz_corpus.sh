#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test_fuzz_corpus.sh - replay tests/fuzz/corpus/ through every loader
# (tests/fuzz/fuzz_*.c with tests/fuzz/replay.c instead of libFuzzer),
# built with AddressSanitizer and UBSan when the compiler has them: every
# input the fuzzers ever found interesting, and every crash they found
# (fixed since), must load or be refused without a memory error.
# `make fuzz` builds the real fuzzers (clang).  Exit 0 pass, 1 fail.
. "$(dirname "$0")/../lib.sh"
keep_going
cd "$TOP" || exit 1
CC=${CC:-cc}
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
echo 'int main(void) { return 0; }' >"$T/probe.c"
$CC $san -o "$T/probe" "$T/probe.c" 2>/dev/null || {
	echo "note: $CC has no ASan/UBSan here: replaying without sanitizers"
	san=""
}
# the Makefile builds the replays from its own source list
make --no-print-directory -s fuzz-replay BUILD="$BUILD" CC="$CC" REPLAY_SAN="$san" >&2 ||
	{ echo "FAIL: make fuzz-replay" >&2; exit 1; }
for src in tests/fuzz/fuzz_*.c; do
	k=${src#tests/fuzz/fuzz_}
	k=${k%.c}
	bin=$BUILD/fuzz-replay/replay_$k
	n=$(ls "tests/fuzz/corpus/$k" | wc -l)
	[ "$n" -gt 0 ] || { fail "empty corpus tests/fuzz/corpus/$k"; continue; }
	if ASAN_OPTIONS=detect_leaks=1 "$bin" "tests/fuzz/corpus/$k"/* >"$BUILD/fuzz-replay/$k.out" 2>&1; then
		ok "$k: $n inputs"
	else
		fail "$k: $(tail -n 20 "$BUILD/fuzz-replay/$k.out")"
	fi
done
finish
