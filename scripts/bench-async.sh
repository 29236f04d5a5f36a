#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench-async.sh - the async half of `make bench`: vmlat with
# vmlat_io=io_uring|libaio against fio's own io_uring and libaio engines,
# in ONE fio run per target.
#
# Workload: 4 KiB random reads, one job pinned to the last CPU, at iodepth
# 1, 8 and 32, on a page-cached file and (with root) on a loop device with
# direct=1.  Each rep holds, for every mode and depth, fio's engine and
# vmlat in the same mode side by side (stonewall), the pair's order
# alternating from rep to rep, so drift in a loaded machine hits both
# alike.  vmlat runs with its log on (the default), probes off (they run
# once before the first IO, never per IO); its log is replaced job by job
# (one name, vmlat_log_replace=1) so the run does not fill the disk.
#
# Per mode and depth: each rep's ratio vmlat IOPS / fio IOPS; the median
# ratio over the reps and a 95% bootstrap CI of that median (2000
# resamples of the reps' ratios, fixed seed).
# LOOP=0 skips the loop-device round; MODES= and DEPTHS= pick modes and
# depths; VMLAT_OPTS= adds job options to every vmlat job (for example
# VMLAT_OPTS=vmlat_log=0: the engine's IO path without its log).
# CONTROL=1 adds a third engine to every rep, the control: fio's own engine
# of the mode, its source unchanged, built as an external ioengine like
# vmlat.so (scripts/fio-engine-ext.c, against FIO_SRC, build/fio-src by
# default), with a table of its own ratios to fio's built-in engine: what
# being an external engine costs, apart from what vmlat does.
# Output: Markdown tables on stdout and in build/bench-async/async.md.
#
#   REPS=10 RUNTIME=2 scripts/bench-async.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
reps=${REPS:-10} runtime=${RUNTIME:-2}
cpu=$(( $(nproc) - 1 ))
out=$top/build/bench-async
rm -rf "$out" && mkdir -p "$out"
cd "$out"
. "$top/scripts/bench-lib.sh"

modes=${MODES:-io_uring libaio} depths=${DEPTHS:-1 8 32}
engines="fio vmlat"
[ "${CONTROL:-0}" = 0 ] || engines="fio vmlat ext"

# ext_build MODE: the control engine of MODE in $out (fio-engine-ext.c)
ext_build() {
	local src=${FIO_SRC:-$top/build/fio-src} ops=ioengine lib=
	[ "$1" = io_uring ] && ops=ioengine_uring
	[ "$1" = libaio ] && lib=-laio
	${CC:-cc} -O2 -g -std=gnu11 -D_GNU_SOURCE -DFIO_INTERNAL -fPIC -shared -fvisibility=hidden \
		-Wl,-z,now -include "$src/config-host.h" -I"$src" -w \
		-DENGINE_SRC="\"engines/$1.c\"" -DENGINE_OPS=$ops \
		-o "$out/fio-ext-$1.so" "$top/scripts/fio-engine-ext.c" $lib
}

job() { # engine(fio|vmlat|ext) mode depth rep
	printf '[%s-%s-qd%s-%s]\niodepth=%s\n' "$1" "$2" "$3" "$4" "$3"
	if [ "$1" = fio ]; then
		printf 'ioengine=%s\n' "$2"
	elif [ "$1" = ext ]; then
		printf 'ioengine=external:%s\n' "$out/fio-ext-$2.so"
	else
		printf 'ioengine=external:%s\nvmlat_io=%s\nvmlat_probes=0\n' "${ENGINE:-$top/engine/vmlat.so}" "$2"
		printf 'vmlat_log_name=bench.vmlat\nvmlat_log_replace=1\n'
		[ -z "${VMLAT_OPTS:-}" ] || printf '%s\n' $VMLAT_OPTS
	fi
	echo
}

# jobfile TARGET SIZE EXTRA
jobfile() {
	printf '[global]\nfilename=%s\nsize=%s\nrw=randread\nbs=4k\ncpus_allowed=%s\n' "$1" "$2" "$cpu"
	printf 'invalidate=0\ntime_based\nruntime=%s\nstonewall\nrandrepeat=1\n%b\n' "$runtime" "$3"
	printf '[warmup]\nioengine=psync\nrw=read\nbs=1M\ndirect=0\ntime_based=0\nruntime=0\niodepth=1\n\n'
	set -- $engines
	for r in $(seq "$reps"); do
		for m in $modes; do
			for d in $depths; do
				# rep r starts with engine r (rotating): none always runs first
				for i in $(seq 0 $(($# - 1))); do
					eval job \${$(( (r - 1 + i) % $# + 1 ))} $m $d $r
				done
			done
		done
	done
}

# table JSON: one row per mode and depth
table() {
	jq -r '.jobs[] | select(.jobname != "warmup") | "\(.jobname) \(.read.iops)"' "$1" |
		sed 's/^\([a-z]*\)-\(.*\)-qd\([0-9]*\)-\([0-9]*\) /\1 \2 \3 \4 /' > iops.txt
	echo "| mode | iodepth | fio median IOPS | vmlat median IOPS | ratio: median of reps | 95% CI (bootstrap) | ratio per rep (sorted) |"
	echo "|---|---|---|---|---|---|---|"
	awk -v modes="$modes" -v depths="$depths" -f "$top/scripts/bench-ratio.awk" iops.txt
	[ "${CONTROL:-0}" = 0 ] && return
	echo
	echo "The control, fio's own engine built as an external ioengine (scripts/fio-engine-ext.c):"
	echo
	echo "| mode | iodepth | fio median IOPS | control median IOPS | ratio: median of reps | 95% CI (bootstrap) | ratio per rep (sorted) |"
	echo "|---|---|---|---|---|---|---|"
	awk -v modes="$modes" -v depths="$depths" -v cand=ext -v label=", control" \
		-f "$top/scripts/bench-ratio.awk" iops.txt
}

run() { # name target size extra
	jobfile "$2" "$3" "$4" > "$1.fio"
	"${FIO:-fio}" --eta=never --output-format=json --output="$1.json" "$1.fio"
	rm -f ./bench.vmlat
	printf '\n%s: 4 KiB random reads, one job on CPU %s, %s reps x %ss per engine, mode and depth\n\n' \
		"$1" "$cpu" "$reps" "$runtime"
	table "$1.json"
}

if [ "${CONTROL:-0}" != 0 ]; then
	for m in $modes; do ext_build $m; done
fi
echo "bench-async: $reps reps x {${engines// /, }} x {$modes} x iodepth {$depths}, ${runtime}s each" >&2
{
	bench_load start
	bench_targets "$out"
	echo
	bench_load end
} | tee async.md
