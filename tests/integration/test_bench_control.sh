#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: scripts/bench-async.sh's CONTROL=1 (README, "Tests and
# benchmarks") builds fio's own io_uring and libaio engines from FIO_SRC as
# external engines (scripts/fio-engine-ext.c) and runs them in every rep
# next to fio's built-in engine and vmlat, each with a row of its own, and
# BASE_OPTS= adds a second vmlat run with those options.  One short run (1
# rep of 1 s per engine, depth 1, page cache, OUT= in the test's own
# directory); its tables and fio's JSON are checked.  Speed is not
# asserted here (BENCHMARKS.md): only that every engine did IO and that
# the control jobs ran the DSO built for them.
. "$(dirname "$0")/../lib.sh"

ldd "$ENGINE" | grep -q liburing && ldd "$ENGINE" | grep -q libaio ||
	skip "the engine was built without liburing or libaio"
out=$T/bench
OUT=$out REPS=1 RUNTIME=1 LOOP=0 DEPTHS=1 CONTROL=1 BASE_OPTS=vmlat_log=0 \
	FIO="$FIO" FIO_SRC="$FIO_SRC" ENGINE="$ENGINE" "$TOP/scripts/bench-async.sh" \
	>"$T/out.md" 2>"$T/err" || fail "bench-async.sh failed: $(tail -n 20 "$T/err")"

for m in io_uring libaio; do
	for label in "" ", control" ", vmlat-base"; do
		grep -Eq "^\| $m$label \| 1 \| [0-9]+ \| [0-9]+ \| [0-9.]+ \| " "$T/out.md" ||
			fail "no row '$m$label' at depth 1 in: $(cat "$T/out.md")"
	done
	for e in fio vmlat ext base; do
		ios=$(jq -r ".jobs[] | select(.jobname == \"$e-$m-qd1-1\") | .read.total_ios" \
			"$out/page-cache.json")
		[ "${ios:-0}" -gt 0 ] || fail "$e-$m-qd1-1 did no IO (total_ios '$ios')"
	done
	eng=$(jq -r ".jobs[] | select(.jobname == \"ext-$m-qd1-1\") | .\"job options\".ioengine" \
		"$out/page-cache.json")
	[ "$eng" = "external:$out/fio-ext-$m.so" ] && [ -f "$out/fio-ext-$m.so" ] ||
		fail "the control of $m ran '$eng'"
	log=$(jq -r ".jobs[] | select(.jobname == \"base-$m-qd1-1\") | .\"job options\".vmlat_log" \
		"$out/page-cache.json")
	[ "$log" = 0 ] || fail "vmlat-base of $m ran with vmlat_log '$log', not BASE_OPTS' 0"
done
ok "CONTROL=1 BASE_OPTS=vmlat_log=0: fio, vmlat, the control DSO and vmlat-base ran in each mode, each with a row"
