#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: with vmlat_io=io_uring and vmlat_io=libaio at iodepth=32, on a
# loop device with direct=1, read, write and randrw jobs (sequential and random) through the real
# fio leave one vmlat record per IO that matches fio's own clat log line by
# line (both logs are in completion order): same direction, offset and
# length, and an engine latency never above fio's clat for the same IO.
#
# The bound (engine/io_async.h): fio's clat runs from the issue stamp the
# engine sets after the submit call returns (fio's own issue time, as with
# fio's io_uring and libaio engines) to fio's completion stamp, taken after
# the engine's getevents returned.  The engine's lat_ns runs from that same
# stamp to its own stamp right after the reap call, on the same clock.  So
# lat <= clat for every IO, exactly; the gap is fio's own work between the
# engine's getevents returning and fio's completion stamp, which both sides
# take once per reaped batch (10-110 ns here; bounded on the median, 20 us,
# and p90, 100 us, since a preemption there can widen any one batch).  The queue
# really is 32 deep: inflight reaches 31 and never exceeds it.  The same
# holds with fio's iodepth_batch_submit and iodepth_batch_complete_min/max.
. "$(dirname "$0")/../lib.sh"

N=2000

run_case() { # io rw target [fio option...]
	local io=$1 rw=$2 target=$3
	shift 3
	local dir=$T/$io-$rw$(printf '%s' "$@" | tr -dc 'a-z0-9')
	mkdir -p "$dir"
	(cd "$dir" && vmlat_fio --name=cell --filename="$target" --rw="$rw" --bs=4k \
		--size=64M --iodepth=32 --vmlat_io="$io" --direct=1 --number_ios=$N \
		--randseed=42 --vmlat_probes=0 --write_lat_log=fio --log_offset=1 \
		--output-format=json --output=out.json "$@") ||
		fail "$io $rw: fio failed: $(cat "$dir/out.json")"
	jq -e '.jobs[0].error == 0' "$dir/out.json" >/dev/null || fail "$io $rw: fio reports an error"
	"$VMLAT" dump "$dir/cell.1.vmlat" > "$dir/dump" || fail "$io $rw: dump failed"
	grep -qx "# io=$io" "$dir/dump" || fail "$io $rw: header lacks io=$io"
	grep -qx "# lat_start=fio_issue" "$dir/dump" || fail "$io $rw: lat_start is not fio_issue"
	grep -v '^#' "$dir/dump" | tail -n +2 > "$dir/recs"
	[ "$(wc -l < "$dir/recs")" = $N ] || fail "$io $rw: $(wc -l < "$dir/recs") records, want $N"
	[ "$(wc -l < "$dir/fio_clat.1.log")" = $N ] || fail "$io $rw: fio logged $(wc -l < "$dir/fio_clat.1.log") IOs"

	# ddir,offset,len in completion order, from both logs
	awk -F, '{ d = ($2 == "read") ? 0 : ($2 == "write") ? 1 : -1; print d "," $3 "," $4 }' \
		"$dir/recs" > "$dir/vmlat.cols"
	awk -F', *' '{ print $3 "," $5 "," $4 }' "$dir/fio_clat.1.log" > "$dir/fio.cols"
	diff "$dir/fio.cols" "$dir/vmlat.cols" > "$dir/diff" ||
		fail "$io $rw: logs differ: $(head -n 4 "$dir/diff")"

	# latency, IO by IO: fio clat, engine lat
	awk -F', *' '{ print $2 }' "$dir/fio_clat.1.log" | paste -d' ' - <(cut -d, -f6 "$dir/recs") > "$dir/pairs"
	awk -v c="$io $rw" '$2 > $1 { printf "%s: IO %d: engine %d ns > fio clat %d ns\n", c, NR, $2, $1; bad = 1 }
		END { exit bad }' "$dir/pairs" || fail "engine latency above fio's clat"
	awk '{ print $1 - $2 }' "$dir/pairs" | sort -n > "$dir/gaps"
	med=$(sed -n "$((N / 2))p" "$dir/gaps") p90=$(sed -n "$((N * 9 / 10))p" "$dir/gaps")
	[ "$med" -le 20000 ] && [ "$p90" -le 100000 ] ||
		fail "$io $rw: fio clat - engine lat: median $med ns, p90 $p90 ns"

	# the depth: IOs ahead at submit, 0..31, and the queue was full at times
	max=$(cut -d, -f15 "$dir/recs" | sort -n | tail -n 1)
	[ "$max" = 31 ] || fail "$io $rw: inflight reaches $max, want 31 (iodepth=32)"
	ok "$io $rw $*: $N records match fio's clat log; clat - lat median $med ns, p90 $p90 ns"
}

need_root "loop devices"
dev=$(loopdev 256)
for io in io_uring libaio; do
	for rw in read write randrw; do
		run_case "$io" "$rw" "$dev"
	done
	# fio's batching options reach the engine: submit 8 at a time, reap 4 to 16
	run_case "$io" randread "$dev" --iodepth_batch_submit=8 --iodepth_batch_complete_min=4 \
		--iodepth_batch_complete_max=16
done
