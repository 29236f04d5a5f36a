#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: on a file and on a loop device with direct=1, a 100-IO randread
# and randwrite job through the real fio leaves exactly 100 vmlat records
# whose direction, offset and length equal fio's own per-IO log line by
# line, and whose latency agrees with fio's clat for the same IO.
#
# The latency bound: fio's clat runs from fio's issue stamp to fio's
# completion stamp, taken after the engine returns.  The engine's lat_ns runs
# from the same issue stamp (header lat_start=fio_issue) to its own stamp
# right after the syscall, on the same clock (header clock=fio:...).  So
# lat <= clat for every IO, exactly.  What clat adds is fio's completion
# bookkeeping and the record store, a few microseconds; a preemption can
# add more to any one IO, so the bound on the difference is on the median
# (20 us) and the 90th percentile (100 us), not on every IO.
. "$(dirname "$0")/../lib.sh"

run_case() {
	local kind=$1 rw=$2 target=$3 extra=$4
	local dir=$T/$kind-$rw
	mkdir -p "$dir"
	(cd "$dir" && vmlat_fio --name=cell --filename="$target" --rw="$rw" --bs=4k \
		--size=64M --number_ios=100 --randseed=42 --write_lat_log=fio \
		--log_offset=1 --output-format=json --output=out.json $extra) \
		|| fail "$kind $rw: fio failed: $(cat "$dir/out.json")"
	jq -e '.jobs[0].error == 0' "$dir/out.json" >/dev/null || fail "$kind $rw: JSON output unusable"
	[ "$(records "$dir/cell.1.vmlat")" = 100 ] || fail "$kind $rw: $(records "$dir/cell.1.vmlat") records, want 100"
	[ "$(wc -l < "$dir/fio_clat.1.log")" = 100 ] || fail "$kind $rw: fio logged $(wc -l < "$dir/fio_clat.1.log") IOs"

	# ddir,offset,len from both logs, in order
	"$VMLAT" dump "$dir/cell.1.vmlat" | grep -v '^#' | tail -n +2 |
		awk -F, '{ d = ($2 == "read") ? 0 : ($2 == "write") ? 1 : -1; print d "," $3 "," $4 }' > "$dir/vmlat.cols"
	awk -F', *' '{ print $3 "," $5 "," $4 }' "$dir/fio_clat.1.log" > "$dir/fio.cols"
	diff "$dir/fio.cols" "$dir/vmlat.cols" > "$dir/diff" || fail "$kind $rw: logs differ: $(head "$dir/diff")"

	# latency agreement, IO by IO (same start, same clock: see above)
	"$VMLAT" dump "$dir/cell.1.vmlat" | grep -qx '# lat_start=fio_issue' || fail "lat_start is not fio_issue"
	"$VMLAT" dump "$dir/cell.1.vmlat" | grep -v '^#' | tail -n +2 | cut -d, -f6 > "$dir/lat"
	awk -F', *' '{ print $2 }' "$dir/fio_clat.1.log" | paste -d' ' - "$dir/lat" > "$dir/pairs"
	awk -v c="$kind $rw" '$2 > $1 {
		printf "%s: IO %d: engine %d ns > fio clat %d ns\n", c, NR, $2, $1; bad = 1 }
		END { exit bad }' "$dir/pairs" || fail "engine latency outside fio's clat"
	awk '{ print $1 - $2 }' "$dir/pairs" | sort -n > "$dir/diffs"
	med=$(sed -n 50p "$dir/diffs") p90=$(sed -n 90p "$dir/diffs")
	[ "$med" -le 20000 ] && [ "$p90" -le 100000 ] ||
		fail "$kind $rw: fio clat - engine lat: median $med ns, p90 $p90 ns"
	ok "$kind $rw: 100 records match fio's log"
}

file=$T/scratch
run_case file randread "$file" ""
run_case file randwrite "$file" ""

[ "$(id -u)" = 0 ] || skip "loop device cases need root (file cases passed)"
dev=$(loopdev 256)
run_case loop randwrite "$dev" "--direct=1"
run_case loop randread "$dev" "--direct=1"
