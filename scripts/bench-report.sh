#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench-report.sh - how fast `vmlat report` reads per-IO logs, against the
# limit (`wc -l` on the same file) and fio's own tools/fiologparser.py.
#
#   scripts/bench-report.sh [N_FIOLOG [N_VLOG]]   (defaults 1000000 20000000)
#
# For each fio log layout (4 to 8 columns, written by tests/cli/mkfiolog.c:
# values of 7 to 12 digits, offsets, hex-free prio, issue times) one file of
# N_FIOLOG lines in the page cache, and in the same run, best of 3 each:
#   wc -l                                   the limit: reading the bytes
#   vmlat report --by file --format csv     on 1 thread (VMLAT_THREADS=1)
#                                           and on every CPU (the default)
#   fiologparser.py                         4 columns only (fio 3.33's
#                                           unpacks exactly four), 1 run,
#                                           at the very end
# then a vmlat log of N_VLOG records (tests/cli/mklat.c) read by `vmlat
# report`.  Prints per run: tool, input, lines, bytes per line, seconds,
# MB/s (10^6 bytes of input per second), its ratio to `wc -l` on the same
# file, and the peak RSS (GNU time) in MiB; the load average before and
# after, since wall time on a shared machine means little without it.
set -eu
export LC_ALL=C
top=$(cd "$(dirname "$0")/.." && pwd)
nfio=${1:-1000000}
nvlog=${2:-20000000}
parser=${FIOLOGPARSER:-$top/build/fio-src/tools/fiologparser.py}
T=$(mktemp -d /tmp/vmlat-bench.XXXXXX)
trap 'rm -rf "$T"' EXIT
make -C "$top" -s analysis/vmlat >/dev/null
cc -std=gnu11 -O2 -D_GNU_SOURCE -I"$top/lib" -o "$T/mklat" "$top/tests/cli/mklat.c" \
	"$top/lib/vlog.c" "$top/lib/vlog_read.c" "$top/lib/vlog_write.c" "$top/lib/vlog_prep.c" -pthread
cc -std=gnu11 -O2 -o "$T/mkfiolog" "$top/tests/cli/mkfiolog.c"
vmlat=$top/analysis/vmlat

# time_best REPS CMD...: best wall time of REPS runs into $best (bash's
# `time`, to the millisecond: GNU time's %e rounds to 10 ms, too coarse
# for `wc -l`), and the peak RSS of the last run (GNU time) in $rss; with
# REPS > 1 that run is one more, so its exec does not count in the time
time_best() {
	local reps=$1 i t TIMEFORMAT=%3R
	shift
	best=""
	for ((i = 0; i < reps; i++)); do
		if [ "$reps" = 1 ]; then
			t=$( { time /usr/bin/time -f '%M' -o "$T/time" "$@" >"$T/out" 2>/dev/null; } 2>&1 )
		else
			t=$( { time "$@" >"$T/out" 2>/dev/null; } 2>&1 )
		fi
		if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; fi
	done
	[ "$reps" = 1 ] || /usr/bin/time -f '%M' -o "$T/time" "$@" >"$T/out" 2>/dev/null
	read -r rss <"$T/time"
}

# row NAME INPUT FILE LINES: one line from $best and $rss, ratio to $limit
row() {
	awk -v n="$1" -v f="$2" -v b="$(stat -c %s "$3")" -v l="$4" -v t="$best" -v r="$rss" \
		-v w="${limit:-0}" 'BEGIN {
		printf "%-22s %-10s %10d %5.1f B/line %7.3f s %7.0f MB/s  %6s of wc -l %6.0f MiB\n",
			n, f, l, b / l, t, b / t / 1e6, (w > 0 ? sprintf("%.3f", w / t) : "-"),
			r / 1024 }'
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs; $nfio lines per fio log"
for layout in time,value,ddir,bs time,value,ddir,bs,prio time,value,ddir,bs,offset,prio \
	time,value,ddir,bs,offset,prio,issue time,value,max,ddir,bs,offset,prio,issue; do
	cols=$(echo "$layout" | tr ',' '\n' | wc -l)
	f=$T/bench${cols}_clat.1.log
	"$T/mkfiolog" "$layout" "$nfio" 1 lf 1 >"$f"
	cat "$f" >/dev/null # into the page cache
	time_best 3 wc -l "$f"
	limit=$best
	row "wc -l" "${cols}-col" "$f" "$nfio"
	time_best 3 env VMLAT_THREADS=1 "$vmlat" report --by file --format csv "$f"
	row "vmlat report, 1 thr" "${cols}-col" "$f" "$nfio"
	time_best 3 "$vmlat" report --by file --format csv "$f"
	row "vmlat report, $(nproc) thr" "${cols}-col" "$f" "$nfio"
	if [ "$cols" = 4 ]; then
		f4=$f limit4=$limit # fiologparser.py reads it last, see below
	else
		rm -f "$f"
	fi
done
limit=""
"$T/mklat" "$T/bench.vmlat" seq:50000:7 "$nvlog" rw=randread
time_best 3 "$vmlat" report --by file --format csv "$T/bench.vmlat"
row "vmlat report" vmlat-log "$T/bench.vmlat" "$nvlog"
rm -f "$T/bench.vmlat"
# Last: it takes minutes and 1 GiB, and on a guest that hands freed memory
# back to its host, the runs after it would pay for fresh pages again.
if [ -f "$parser" ]; then
	limit=$limit4
	time_best 1 python3 "$parser" "$f4"
	row "fiologparser.py" "4-col" "$f4" "$nfio"
else
	echo "no $parser (set FIOLOGPARSER=): fiologparser part skipped"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
