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
# BASE_ENGINE=PATH and/or BASE_OPTS="OPT=V ..." add vmlat-base, a second
# vmlat (the build at PATH, $ENGINE by default, with those options) to
# every rep, with a table of its own: two builds, or the log on and off
# (BASE_OPTS=vmlat_log=0), compared in one run.
# Output: Markdown tables on stdout and in build/bench-async/async.md (OUT=DIR:
# in DIR instead; it is emptied first).
#
#   REPS=10 RUNTIME=2 scripts/bench-async.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
reps=${REPS:-10} runtime=${RUNTIME:-2}
cpu=$(( $(nproc) - 1 ))
out=${OUT:-$top/build/bench-async}
rm -rf "$out" && mkdir -p "$out"
cd "$out"
. "$top/scripts/bench-lib.sh"

modes=${MODES:-io_uring libaio} depths=${DEPTHS:-1 8 32}
engine=${ENGINE:-$top/engine/vmlat.so}
base_engine=${BASE_ENGINE:-$engine}
engines="fio vmlat"
[ "${CONTROL:-0}" = 0 ] || engines="$engines ext"
[ -z "${BASE_ENGINE:-}${BASE_OPTS:-}" ] || engines="$engines base"

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

vmlat_job() { # engine-path mode log-name options...
	printf 'ioengine=external:%s\nvmlat_io=%s\nvmlat_probes=0\n' "$1" "$2"
	printf 'vmlat_log_name=%s\nvmlat_log_replace=1\n' "$3"
	shift 3
	[ $# = 0 ] || printf '%s\n' "$@"
}

job() { # engine(fio|vmlat|ext|base) mode depth rep
	printf '[%s-%s-qd%s-%s]\niodepth=%s\n' "$1" "$2" "$3" "$4" "$3"
	case $1 in
	fio) printf 'ioengine=%s\n' "$2" ;;
	ext) printf 'ioengine=external:%s\n' "$out/fio-ext-$2.so" ;;
	vmlat) vmlat_job "$engine" "$2" bench.vmlat ${VMLAT_OPTS:-} ;;
	base) vmlat_job "$base_engine" "$2" base.vmlat ${BASE_OPTS:-} ;;
	esac
	echo
}

# jobfile TARGET SIZE EXTRA
jobfile() {
	printf '[global]\nfilename=%s\nsize=%s\nrw=randread\nbs=4k\ncpus_allowed=%s\n' "$1" "$2" "$cpu"
	printf 'invalidate=0\ntime_based\nruntime=%s\nstonewall\nrandrepeat=1\n%b\n' "$runtime" "$3"
	printf '[warmup]\nioengine=psync\nrw=read\nbs=1M\ndirect=0\ntime_based=0\nruntime=0\niodepth=1\n\n'
	for r in $(seq "$reps"); do
		for m in $modes; do
			for d in $depths; do
				for e in $(bench_rotated $((r - 1)) $engines); do
					job $e $m $d $r
				done
			done
		done
	done
}

# table JSON: one row per mode and depth
table() {
	jq -r '.jobs[] | select(.jobname != "warmup") | "\(.jobname) \(.read.iops)"' "$1" |
		sed 's/^\([a-z]*\)-\(.*\)-qd\([0-9]*\)-\([0-9]*\) /\1 \2 \3 \4 /' > iops.txt
	for e in $engines; do
		case $e in
		vmlat) ratios vmlat vmlat "" ;;
		ext) printf '\nThe control, fio'"'"'s own engine built as an external ioengine (scripts/fio-engine-ext.c):\n\n'
		     ratios ext control ", control" ;;
		base) printf '\nvmlat-base: %s %s\n\n' "$base_engine" "${BASE_OPTS:-}"
		      ratios base vmlat-base ", vmlat-base" ;;
		esac
	done
}

# ratios ENGINE TITLE LABEL: ENGINE's ratio to fio's engine, one row per mode and depth
ratios() {
	echo "| mode | iodepth | fio median IOPS | $2 median IOPS | ratio: median of reps | 95% CI (bootstrap) | ratio per rep (sorted) |"
	echo "|---|---|---|---|---|---|---|"
	awk -v modes="$modes" -v depths="$depths" -v cand="$1" -v label="$3" \
		-f "$top/scripts/bench-ratio.awk" iops.txt
}

run() { # name target size extra
	jobfile "$2" "$3" "$4" > "$1.fio"
	"${FIO:-fio}" --eta=never --output-format=json --output="$1.json" "$1.fio"
	rm -f ./bench.vmlat ./base.vmlat
	printf '\n%s: 4 KiB random reads, one job on CPU %s, %s reps x %ss per engine, mode and depth\n\n' \
		"$1" "$cpu" "$reps" "$runtime"
	table "$1.json"
}

case " $engines " in *" ext "*) for m in $modes; do ext_build $m; done ;; esac
echo "bench-async: $reps reps x {${engines// /, }} x {$modes} x iodepth {$depths}, ${runtime}s each" >&2
{
	bench_load start
	bench_targets "$out"
	echo
	bench_load end
} | tee async.md
