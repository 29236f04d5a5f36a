#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench.sh - what `make bench` runs: the engine's overhead, measured side by
# side with fio's built-in psync in ONE fio run.
#
# Workload: 4 KiB random reads from a page-cached file, one job, QD1, so
# the IO itself is as cheap as it gets and any per-IO cost of the engine
# shows.  Variants, alternated rep by rep (stonewall) so drift in the
# machine hits all of them alike:
#   psync        fio's built-in engine, no per-IO log (the baseline)
#   psync+latlog psync with fio's own write_lat_log (per-IO, log_avg_msec=0)
#   vmlat        vmlat with its per-IO log (the default)
#   vmlat-nolog  vmlat with vmlat_log=0 (the engine's IO path alone)
#   vmlat-rq     vmlat with vmlat_ctx=rq (schedstat read twice per IO)
#   vmlat-rusage vmlat with vmlat_ctx=csw,faults (getrusage twice per IO)
#   vmlat-steal  vmlat with vmlat_ctx=steal (a side thread reads /proc/stat
#                every 10 ms; nothing more per IO)
# Every vmlat variant sets vmlat_probes=0: the probes run once before the
# first IO and cost nothing per IO, and here they would only delay the rep.
# The job is pinned to the last CPU (cpus_allowed) for every variant alike,
# so fio's main process and the kernel's writeback threads do not share its
# CPU at random.  With root, a second round does the same on a loop device
# with direct=1 (Study A's raw-device path): IOs that cost microseconds.
# Last, the run-queue delay that vmlat_ctx=rq records when two CPU hogs
# share the IO thread's CPU against when they run on another one
# (scripts/ctx-hogs.fio, REPS pairs): a comparison that other work on the
# machine can invert, so it is measured here, not asserted in a test.
# Per variant, besides the IOPS: each rep's ratio to psync in the same rep,
# their median and its 95% bootstrap CI (scripts/bench-ratio.awk: 2000
# resamples, fixed seed), the numbers a goal is judged by on a noisy machine.
# VARIANTS= picks variants (psync is always run: the baseline), BASE_ENGINE=
# adds vmlat-base, the engine at that path with its log on (a build of
# another commit: before and after in one run), LOOP=0 skips the
# loop-device round, CTX=0 the ctx round.
# Output: Markdown tables on stdout and in build/bench/results.md.
#
#   REPS=10 RUNTIME=5 scripts/bench.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
reps=${REPS:-10} runtime=${RUNTIME:-5}
cpu=$(( $(nproc) - 1 ))
out=$top/build/bench
rm -rf "$out" && mkdir -p "$out"
cd "$out"
. "$top/scripts/bench-lib.sh"

variants=${VARIANTS:-psync psync+latlog vmlat vmlat-nolog vmlat-rq vmlat-rusage vmlat-steal}
case " $variants " in *" psync "*) ;; *) variants="psync $variants" ;; esac
[ -z "${BASE_ENGINE:-}" ] || variants="$variants vmlat-base"
vmlat_opts() { # log-name [ctx [engine]]
	printf 'ioengine=external:%s\nvmlat_probes=0\nvmlat_log_name=%s.vmlat\n' "${3:-${ENGINE:-$top/engine/vmlat.so}}" "$1"
	[ -z "${2:-}" ] || printf 'vmlat_ctx=%s\n' "$2"
}
engine_opts() {
	case $1 in
	psync) echo "ioengine=psync" ;;
	psync+latlog) printf 'ioengine=psync\nwrite_lat_log=%s\nlog_avg_msec=0\n' "$2" ;;
	vmlat) vmlat_opts "$2" ;;
	vmlat-nolog) printf 'ioengine=external:%s\nvmlat_probes=0\nvmlat_log=0\n' "${ENGINE:-$top/engine/vmlat.so}" ;;
	vmlat-rq) vmlat_opts "$2" rq ;;
	vmlat-rusage) vmlat_opts "$2" csw,faults ;;
	vmlat-steal) vmlat_opts "$2" steal ;;
	vmlat-base) vmlat_opts "$2" "" "$BASE_ENGINE" ;;
	esac
}

# jobfile TARGET SIZE EXTRA: the alternated variants on one target
jobfile() {
	printf '[global]\nfilename=%s\nsize=%s\nrw=randread\nbs=4k\ncpus_allowed=%s\n' "$1" "$2" "$cpu"
	# exec_prerun=sync: each job starts with no dirty pages left by the last
	printf 'invalidate=0\ntime_based\nruntime=%s\nstonewall\nrandrepeat=1\nexec_prerun=sync\n%b\n' "$runtime" "$3"
	# a warm-up that pulls the whole target into the page cache
	printf '[warmup]\nioengine=psync\nrw=read\nbs=1M\ndirect=0\ntime_based=0\nruntime=0\n\n'
	# rep r starts with variant r: no variant always runs right after the
	# one whose log fio writes out at its end (psync+latlog)
	for r in $(seq "$reps"); do
		for v in $(bench_rotated "$r" $variants); do
			printf '[%s-%s]\n' "$v" "$r"
			engine_opts "$v" "$v-$r"
			echo
		done
	done
}

# table JSON: one row per variant: IOPS of each rep, median, ratio of medians
table() {
	jq -r '.jobs[] | select(.jobname != "warmup") | "\(.jobname) \(.read.iops)"' "$1" |
		sed 's/-\([0-9]*\) / \1 /' | sort -k1,1 -k3n > iops.txt
	echo "| variant | IOPS per rep (sorted) | median IOPS | ratio to psync |"
	echo "|---|---|---|---|"
	awk -v variants="$variants" '{ iops[$1] = iops[$1] sprintf("%.0f ", $3); v[$1, ++n[$1]] = $3 }
	     END { for (k in n) med[k] = v[k, int((n[k] + 1) / 2)]
	           nv = split(variants, order, " ")
	           for (i = 1; i <= nv; i++) { k = order[i]
	               printf "| %s | %s| %.0f | %.3f |\n", k, iops[k], med[k], med[k] / med["psync"] } }' iops.txt
	echo
	echo "| variant | psync median IOPS | variant median IOPS | ratio to psync: median of reps | 95% CI (bootstrap) | ratio per rep (sorted) |"
	echo "|---|---|---|---|---|---|"
	# each rep's pair as bench-ratio.awk reads it: psync the baseline ("fio")
	awk '{ i[$1, $2] = $3; if ($1 != "psync") v[$1] } END { for (k in v) for (r = 1; ("psync", r) in i; r++)
	     if ((k, r) in i) printf "fio %s - %d %s\nvmlat %s - %d %s\n", k, r, i["psync", r], k, r, i[k, r] }' iops.txt |
		awk -v modes="${variants#psync }" -v depths=- -v nodepth=1 -f "$top/scripts/bench-ratio.awk"
}

run() { # name target size extra
	jobfile "$2" "$3" "$4" > "$1.fio"
	"${FIO:-fio}" --eta=never --output-format=json --output="$1.json" "$1.fio"
	rm -f ./*.vmlat ./*.vmlat.steal ./*_lat.*.log ./*_clat.*.log ./*_slat.*.log ./*.prerun.txt
	printf '\n%s: 4 KiB random reads, QD1, one job on CPU %s, %s reps x %ss\n\n' "$1" "$cpu" "$reps" "$runtime"
	table "$1.json"
}

# ctx_share MCPU HCPU: run-queue delay over latency of ctx-hogs.fio's IOs, as "rq lat share"
ctx_share() {
	MCPU=$1 HCPU=$2 CTX_DATA=$out/ctx-data ENGINE=$top/engine/vmlat.so \
		"${FIO:-fio}" --eta=never --output=/dev/null "$top/scripts/ctx-hogs.fio"
	"$top/analysis/vmlat" dump --json m.*.vmlat | jq -r '.files[0].records |
		(map(.rq_delay_ns) | add) as $rq | (map(.lat_ns) | add) as $lat | "\($rq) \($lat) \($rq / $lat)"'
	rm -f m.*.vmlat
}

ctx_table() {
	local r same other
	"${FIO:-fio}" --name=w --filename="$out/ctx-data" --size=128M --rw=read --bs=1M --invalidate=0 --output=/dev/null
	printf '\nctx: run-queue delay of 400 2 MiB page-cache reads on CPU 1, two cpuio hogs on CPU 1 or CPU 0, %s pairs\n\n' "$reps"
	echo "| pair | same CPU: rq / latency (ms) | share | other CPU: rq / latency (ms) | share |"
	echo "|---|---|---|---|---|"
	for r in $(seq "$reps"); do
		read -r same_rq same_lat same < <(ctx_share 1 1)
		read -r other_rq other_lat other < <(ctx_share 1 0)
		awk -v r="$r" -v a="$same_rq" -v b="$same_lat" -v c="$same" -v d="$other_rq" -v e="$other_lat" -v f="$other" \
			'BEGIN { printf "| %d | %.1f / %.1f | %.3f | %.1f / %.1f | %.3f |\n", r, a / 1e6, b / 1e6, c, d / 1e6, e / 1e6, f }'
	done
	rm -f "$out/ctx-data"
}

echo "bench: $reps reps x {$variants}, ${runtime}s each" >&2
{
	bench_load start
	bench_targets "$out"
	if [ "${CTX:-1}" = 0 ]; then echo "(ctx round skipped: CTX=0)"
	elif [ "$(nproc)" -ge 2 ]; then ctx_table; else echo "(ctx round skipped: needs 2 CPUs)"; fi
	echo
	bench_load end
} | tee results.md
