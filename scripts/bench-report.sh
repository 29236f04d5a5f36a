#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench-report.sh - how fast `vmlat report` reads per-IO logs, against
# fio's own tools/fiologparser.py on the same fio log.
#
#   scripts/bench-report.sh [N_FIOLOG [N_VLOG]]   (defaults 1000000 20000000)
#
# Writes a fio clat log of N_FIOLOG lines in fio 3.33's default layout
# ("time, value, ddir, bs, prio") and a vmlat log of N_VLOG records
# (tests/cli/mklat.c), then times, best of 3 (fiologparser: 1 run):
#   vmlat report --by file --format csv       on both
#   fiologparser.py                            on the fio log without its prio
#                                              column (see below), default mode
#                                              (a time-weighted mean per second);
#                                              its -A (percentiles) fails on
#                                              Python 3: a float list index
# Prints one line per run: tool, input, lines, bytes per line, seconds,
# lines per second, MB/s (10^6 bytes of input per second), and the peak RSS
# (GNU time) in MiB.
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
	"$top/lib/vlog.c" "$top/lib/vlog_read.c" "$top/lib/vlog_write.c"

# fio's layout; latencies 50..~5000 us from a fixed LCG, 1 ms per 10 IOs
awk -v n="$nfio" 'BEGIN { x = 12345; for (i = 0; i < n; i++) {
	x = (x * 1103515245 + 12345) % 2147483648
	printf "%d, %d, 0, 4096, 0\n", int(i / 10), 50000 + x % 5000000 } }' >"$T/bench_clat.1.log"
"$T/mklat" "$T/bench.vmlat" seq:50000:7 "$nvlog" rw=randread
# fiologparser.py (3.33) unpacks exactly 4 columns: it cannot read the prio
# column fio has written since, so it gets the same lines without it
sed 's/, 0$//' "$T/bench_clat.1.log" >"$T/bench4_clat.1.log"

# run NAME INPUT LINES CMD...: best wall time of REPS runs, and peak RSS
run() {
	local name=$1 input=$2 lines=$3 reps=$4 best="" i t rss bytes
	shift 4
	for ((i = 0; i < reps; i++)); do
		/usr/bin/time -f '%e %M' -o "$T/time" "$@" >"$T/out" 2>/dev/null
		read -r t rss <"$T/time"
		if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; fi
	done
	bytes=$(stat -c %s "${!#}") # the input file is the last argument
	awk -v n="$name" -v f="$input" -v l="$lines" -v t="$best" -v r="$rss" -v b="$bytes" \
		'BEGIN { printf "%-16s %-13s %10d %6.1f B/line %6.2f s %10.0f lines/s %6.0f MB/s %6.0f MiB\n",
			n, f, l, b / l, t, l / t, b / t / 1e6, r / 1024 }'
}

run "vmlat report" fio-log "$nfio" 3 "$top/analysis/vmlat" report --by file --format csv "$T/bench_clat.1.log"
run "vmlat report" fio-log-4col "$nfio" 3 "$top/analysis/vmlat" report --by file --format csv "$T/bench4_clat.1.log"
run "vmlat report" vmlat-log "$nvlog" 3 "$top/analysis/vmlat" report --by file --format csv "$T/bench.vmlat"
if [ -f "$parser" ]; then
	run "fiologparser.py" fio-log-4col "$nfio" 1 python3 "$parser" "$T/bench4_clat.1.log"
else
	echo "no $parser (set FIOLOGPARSER=): fiologparser part skipped"
fi
