#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# fuzz.sh - run the libFuzzer targets (`make fuzz` builds them) for a
# bounded time each, one after another, on their corpus.
#
#   tests/fuzz/fuzz.sh SECONDS [TARGET...]     TARGET: fiojson, fiolog, vlog (default: all)
#
# `make check` runs every target for a few seconds (tests/cli/test_fuzz.sh);
# `make fuzz-long FUZZ_SECONDS=N` for N seconds each.  The committed corpus
# (tests/fuzz/corpus/TARGET, with every regression input) is read, never
# written: what a run finds interesting goes to build/fuzz/corpus-TARGET,
# kept for the next run, and a crash, leak, timeout (10 s for one input,
# FUZZ_TIMEOUT=N for N: quadratic time is a finding too) or out-of-memory
# (2 GiB) to build/fuzz/findings/.  Each run appends one line to
# build/fuzz/runs.log: when, the tree (commit, +dirty), target, wall
# seconds, CPU seconds, executions, result; FUZZING.md is the record of
# those lines.  Exit 0 when no target found
# anything, 1 when one did, 2 when a target is not built.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$top/build}
secs=${1:?usage: fuzz.sh SECONDS [TARGET...]}
shift
targets=("$@")
if [ ${#targets[@]} = 0 ]; then
	for src in "$top"/tests/fuzz/fuzz_*.c; do
		k=${src##*/fuzz_}
		targets+=("${k%.c}")
	done
fi
# libFuzzer's -timeout is wall time: a run at nice 19 on a busy machine can
# wait longer than 10 s for a CPU on an input that takes milliseconds (seen:
# three false timeouts in 15 minutes beside an 8 GB job), so such runs set
# FUZZ_TIMEOUT higher, and check for slow inputs afterwards by replaying
# what they found: build/fuzz/fuzz_TARGET -runs=0 -timeout=10
# build/fuzz/corpus-TARGET (FUZZING.md)
timeout=${FUZZ_TIMEOUT:-10}
tree=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -n "$(git -C "$top" status --porcelain -- analysis lib tests/fuzz 2>/dev/null)" ] && tree="$tree+dirty"
mkdir -p "$BUILD/fuzz/findings"
found=0
for k in "${targets[@]}"; do
	bin=$BUILD/fuzz/fuzz_$k
	[ -x "$bin" ] || { echo "fuzz: $bin is not built (make fuzz)" >&2; exit 2; }
	mkdir -p "$BUILD/fuzz/corpus-$k"
	out=$BUILD/fuzz/$k.out
	# CPU seconds (user + system) as well as wall seconds: on a shared
	# machine a nice'd run gets less than its wall time, and the goal is
	# CPU time
	TIMEFORMAT='%U %S'
	cpu=$( { time "$bin" -max_total_time="$secs" -timeout="$timeout" -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$BUILD/fuzz/findings/$k-" \
		"$BUILD/fuzz/corpus-$k" "$top/tests/fuzz/corpus/$k" >"$out" 2>&1; } 2>&1)
	rc=$?
	cpu=$(echo "$cpu" | awk '{ printf "%.0f", $1 + $2 }')
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out" | tail -n 1)
	took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$out" | tail -n 1)
	if [ $rc = 0 ]; then
		result=none
	else
		result="FINDING (exit $rc): $(grep -m 1 -E 'ERROR|runtime error|Test unit written' "$out")"
		found=1
	fi
	printf '%s\t%s\t%s\t%ss\t%s CPU s\t%s execs\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$tree" \
		"$k" "${took:-$secs}" "${cpu:-?}" "${execs:-?}" "$result" | tee -a "$BUILD/fuzz/runs.log"
	[ $rc = 0 ] || tail -n 30 "$out" >&2
done
exit $found
