#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: the queue-depth cells jobs/qd-*-4k-qd{1,8,32}.fio run through the
# real fio with io_uring, each leaving 3200 records whose inflight field
# reaches exactly iodepth - 1, and whose first 100 IOs in submission order
# (issue_ns, then inflight) are Study A's 4 KiB offsets: the md5 that
# tests/integration/test_jobs.sh holds for the a-*-4k cells (fio 3.33).
. "$(dirname "$0")/../lib.sh"

JOBS=$TOP/jobs
golden4k=a111fd1b7500

[ "$(stat -f -c %T "$T")" != tmpfs ] || skip "$T is tmpfs: no O_DIRECT"
truncate -s 2G "$T/scratch"
mkdir -p "$T/run"
# ./engine/vmlat.so, as the job files name it, is the engine under test (the
# one built for FIO), as in test_jobs.sh
mkdir -p "$T/run/engine" && ln -s "$ENGINE" "$T/run/engine/vmlat.so"
printf 'filename=%s\nvmlat_probes=0\n' "$T/scratch" > "$T/run/vmlat-target.inc"
for rw in randread randwrite; do
	for d in 1 8 32; do
		name=qd-$rw-4k-qd$d
		(cd "$T/run" && "$FIO" --eta=never --output-format=json --output="$name.json" "$JOBS/$name.fio") ||
			fail "$name: fio failed: $(tail -5 "$T/run/$name.json")"
		log=$(ls "$T/run/$name".*.vmlat) || fail "$name: no log"
		"$VMLAT" dump "$log" > "$T/dump"
		grep -qx '# io=io_uring' "$T/dump" && grep -qx "# io.iodepth=$d" "$T/dump" ||
			fail "$name: header: $(grep '^# io' "$T/dump")"
		grep -v '^#' "$T/dump" | tail -n +2 > "$T/recs"
		[ "$(wc -l < "$T/recs")" = 3200 ] || fail "$name: $(wc -l < "$T/recs") records"
		max=$(cut -d, -f15 "$T/recs" | sort -n | tail -n 1)
		[ "$max" = $((d - 1)) ] || fail "$name: inflight reaches $max, want $((d - 1))"
		off=$(sort -t, -k5,5n -k15,15n "$T/recs" | head -n 100 | cut -d, -f3 | md5sum | cut -c1-12)
		[ "$off" = $golden4k ] || fail "$name: first 100 offsets $off, want Study A's $golden4k"
		ok "$name: 3200 records, inflight up to $max, Study A's first 100 offsets"
	done
done
