#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# demo.sh - what `make demo` runs: the whole Study A matrix (jobs/a-*.fio,
# 18 cells) through the installed fio with the freshly built engine, on the
# built-in scratch target build/study-a/scratch (never a device), then one
# summary line per cell from its vmlat log; then the comparison table, the
# figures and one HTML page of the matrix (vmlat report, vmlat plot).
#
# One fio per cell, so that each cell prints its line as it finishes and a
# failing cell names itself.  The job files find the engine as
# ./engine/vmlat.so and their target in ./vmlat-target.inc or
# jobs/vmlat-target.inc, so fio runs from the repository root, and a
# ./vmlat-target.inc there (a user's own target) stops the demo instead of
# being used: the demo never runs on anything but its scratch file.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/study-a
cd "$top"

if [ -e vmlat-target.inc ]; then
	echo "demo: $top/vmlat-target.inc names your own target; the demo runs only on its" >&2
	echo "demo: scratch file.  Move that file away, or run: fio jobs/a-*.fio" >&2
	exit 1
fi
mkdir -p "$out"
cells=$(ls jobs/a-*.fio)
total=$(echo "$cells" | wc -l)
echo "demo: $total Study A cells on $out/scratch (2 GiB, created once); logs in $out"

i=0
for job in $cells; do
	i=$((i + 1))
	cell=$(basename "$job" .fio)
	if ! "${FIO:-fio}" --eta=never --output-format=json --output="$out/$cell.json" "$job" >"$out/$cell.out" 2>&1; then
		echo "demo: $cell failed; fio said:" >&2
		cat "$out/$cell.out" "$out/$cell.json" >&2
		exit 1
	fi
	analysis/vmlat dump "$out/$cell.vmlat" > "$out/$cell.csv"
	# CSV columns: seq,ddir,offset,len,issue_ns,lat_ns,error,cpu_submit,cpu_complete,...
	grep -v '^#' "$out/$cell.csv" | tail -n +2 | awk -F, -v i="$i" -v total="$total" -v cell="$cell" '
		{ n++; s += $6; if (min == "" || $6 < min) min = $6; if ($6 > max) max = $6
		  if ($7 != 0) err++; if ($8 != $9) moved++ }
		END { printf "[%2d/%d] %-22s %3d IOs  min %8.1f  mean %8.1f  max %8.1f us  %d errors, %d changed vCPU\n",
		      i, total, cell, n, min / 1000, s / n / 1000, max / 1000, err, moved }'
done
echo "demo: per-cell CSV and fio JSON in $out"

# The comparison table of the matrix, then its figures and one HTML page
# (vmlat report --help and vmlat plot --help say what else they can do).
analysis/vmlat report "$out"/a-*.vmlat > "$out/report.txt"
cat "$out/report.txt"
analysis/vmlat plot -o "$out/plots" --html "$out"/a-*.vmlat
echo "demo: table in $out/report.txt; figures and report.html in $out/plots"
# Commands to go on with, as they run from any directory: vmlat is not on
# PATH after make (README.md, "Building", says how to put it there).
# tests/integration/test_readme.sh runs every "demo: try:" line.
echo "demo: try: $top/analysis/vmlat dump $out/a-randread-4k-load0.vmlat | grep -v '^#' | head"
echo "demo: try: $top/analysis/vmlat report --long $out"/'a-*.vmlat'
echo "demo: try: $top/analysis/vmlat report --help"
