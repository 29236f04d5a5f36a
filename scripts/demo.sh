#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# demo.sh - what `make demo` runs: one 100-IO random-read job through the
# installed fio with the freshly built engine, on a scratch file under
# build/demo (never a device), then the log dumped as CSV and summarised,
# and its figures and HTML report written by vmlat plot.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/demo
mkdir -p "$out"
rm -f "$out"/*.vmlat

export VMLAT_ENGINE="$top/engine/vmlat.so" VMLAT_TARGET="$out/scratch.dat"
echo "demo: fio $top/engine/examples/demo.fio (target $VMLAT_TARGET)"
(cd "$out" && fio --eta=never --output-format=json --output=fio.json "$top/engine/examples/demo.fio") || {
	echo "demo: fio failed; its output is in $out/fio.json" >&2
	exit 1
}
"$top/analysis/vmlat" dump "$out"/demo.*.vmlat > "$out/demo.csv"
echo "demo: wrote $out/demo.1.vmlat and $out/demo.csv; the first records:"
grep -v '^#' "$out/demo.csv" | head -n 6
grep -v '^#' "$out/demo.csv" | tail -n +2 | awk -F, '
	{ n++; s += $6; if (min == "" || $6 < min) min = $6; if ($6 > max) max = $6
	  if ($8 != $9) moved++ }
	END { printf "demo: %d reads, latency min %.1f us, mean %.1f us, max %.1f us; %d changed vCPU\n",
	      n, min / 1000, s / n / 1000, max / 1000, moved }'
# the figures and one HTML page of what ran (vmlat plot --help lists them)
"$top/analysis/vmlat" plot -o "$out/plots" --html "$out"/demo.*.vmlat
echo "demo: open $out/plots/report.html (tables, figures, platform context)"
