#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves, through the real fio, that the Study A job files in jobs/ do what
# jobs/README.md says:
# - scripts/gen-jobs.sh regenerates them byte for byte, and fio parses all;
# - `fio jobs/a-*.fio` (one fio, all 18 cells) and 18 separate fio runs each
#   leave one log per cell with exactly 100 records, on the target named by
#   the include file (a vmlat-target.inc in fio's directory, else the default
#   scratch file build/study-a/scratch);
# - the offsets are the same in both runs (so they do not depend on where a
#   job sits in the run), in the read and the write cell of each size, and
#   equal to the ones fio 3.33 gave when the files were written (golden);
# - load-0 cells run one job; load-N cells a warmup, N load jobs, the cell;
# - every load job was running during the whole measured window: one of its
#   IOs completed before the first measured IO was issued, and one after the
#   last measured IO completed.  fio's logs stamp IOs in milliseconds since
#   each job's own start; with log_unix_epoch=1 the stamp is the job's start
#   in Unix ms (truncated) plus elapsed ms (truncated), so it is up to 2 ms
#   early and never late.  A load IO stamped L and a measured IO stamped M
#   are in that order for sure when L + 2 <= M (before) or L >= M + 2 (after);
#   the cell's 100 ms thinktime after its last IO makes the second observable.
#   The load jobs also ended before their runtime cap: stopped by exitall.
# - the variants run: Fig. 5 (1000 IOs, the first 100 are the cell's),
#   Fig. 6 (file, buffered), CPU load (cpuio jobs), mmap (fio's own log, at
#   the 4 KiB cells' offsets).
. "$(dirname "$0")/../lib.sh"

JOBS=$TOP/jobs
command -v jq >/dev/null || skip "needs jq"
[ -x "$ENGINE" ] && [ -x "$VMLAT" ] || fail "build first (make): $ENGINE, $VMLAT"

# md5 of the 100 offsets of each block size, from fio 3.33 (the generator and
# seeding of fio's offsets; another fio must give the same, or platforms that
# run it do not get Study A's identical work)
declare -A golden=([4k]=a111fd1b7500 [16k]=8ce222e03732 [32k]=f4128e6d0757)

# column N of the records of a vmlat log
col() { "$VMLAT" dump "$2" | grep -v '^#' | tail -n +2 | cut -d, -f"$1"; }
hdr() { "$VMLAT" dump "$2" | sed -n "s/^# $1=//p"; }

# A run directory: fio runs there, with ./engine/vmlat.so pointing at the
# engine under test (the one built for FIO), so the job files'
# ioengine=external:./engine/vmlat.so finds it.
rundir() { mkdir -p "$1/engine" && ln -s "$ENGINE" "$1/engine/vmlat.so"; }

# 1. generated, and parseable
"$TOP/scripts/gen-jobs.sh" "$T/gen" || fail "gen-jobs.sh failed"
diff -r -x README.md "$JOBS" "$T/gen" > "$T/gen.diff" ||
	fail "jobs/ differs from scripts/gen-jobs.sh output: $(head -20 "$T/gen.diff")"
rundir "$T/parse"
n=0
for f in "$JOBS"/*.fio "$JOBS"/*/*.fio; do
	(cd "$T/parse" && "$FIO" --parse-only "$f") > "$T/parse.out" 2>&1 ||
		fail "fio --parse-only $f: $(cat "$T/parse.out")"
	n=$((n + 1))
done
ok "$n job files regenerate identically and parse"

cells=$(cd "$JOBS" && ls a-*.fio)
[ "$(echo "$cells" | wc -l)" = 18 ] || fail "$(echo "$cells" | wc -l) cell files, want 18"

# 2. a 2 GiB target with data (reads of holes would not reach the disk, and
# loads would log a million IOs a second)
[ "$(stat -f -c %T "$T")" != tmpfs ] || skip "$T is tmpfs: no O_DIRECT"
dd if=/dev/zero of="$T/scratch" bs=1M count=2048 conv=fsync status=none || fail "cannot write $T/scratch"

# 3. run 1: all 18 cells in one fio, the target and fio's per-IO logs (Unix
# ms stamps) from a vmlat-target.inc in fio's directory
r1=$T/run1
rundir "$r1"
printf 'filename=%s\nwrite_lat_log=fio\nlog_unix_epoch=1\n' "$T/scratch" > "$r1/vmlat-target.inc"
paths=()
for c in $cells; do paths+=("$JOBS/$c"); done
(cd "$r1" && "$FIO" --eta=never --output-format=json --output=fio.json "${paths[@]}") ||
	fail "run 1: fio failed: $(tail -5 "$r1/fio.json")"

declare -A off1
for c in $cells; do
	name=${c%.fio} load=${c##*load}
	load=${load%.fio}
	log=$(ls "$r1/$name".*.vmlat 2>/dev/null) || fail "run 1: no log for $name"
	[ "$(records "$log")" = 100 ] || fail "run 1: $name: $(records "$log") records, want 100"
	[ "$(hdr target.0 "$log")" = "$T/scratch" ] || fail "run 1: $name: target $(hdr target.0 "$log")"
	off1[$name]=$(col 3 "$log" | md5sum | cut -c1-12)

	# the jobs of this cell: its group in fio's JSON
	gid=$(jq --arg n "$name" '.jobs[] | select(.jobname == $n) | .groupid' "$r1/fio.json")
	ingroup=$(jq --argjson g "$gid" '[.jobs[] | select(.groupid == $g)] | length' "$r1/fio.json")
	[ "$ingroup" = $((load + 1)) ] || fail "run 1: $name: $ingroup jobs with the cell, want $((load + 1))"
	[ "$load" = 0 ] && continue
	jq -e --arg n "$name-load" '[.jobs[] | select(.jobname == $n) | .job_runtime < 30000 and .error == 0] | all' \
		"$r1/fio.json" >/dev/null || fail "run 1: $name: a load job failed or ran to its cap"

	# fio numbers jobs in file order: warmup M-N-1, load M-N..M-1, cell M
	m=$(hdr job_number "$log")
	[ "$(wc -l < "$r1/fio_clat.$m.log")" = 100 ] || fail "run 1: $name: fio_clat.$m.log is not the cell's"
	[ "$(wc -l < "$r1/fio_clat.$((m - load - 1)).log")" = 1 ] || fail "run 1: $name: job numbering"
	first=$(head -1 "$r1/fio_clat.$m.log" | awk -F', *' '{ printf "%.0f %.0f", $1, $2 }')
	last=$(tail -1 "$r1/fio_clat.$m.log" | awk -F', *' '{ printf "%.0f", $1 }')
	for ((k = m - load; k < m; k++)); do
		awk -F', *' -v first="$first" -v last="$last" '
			BEGIN { split(first, a, " "); issue = a[1] - a[2] / 1e6 }
			NR == 1 { lfirst = $1 }
			$1 + 2 <= issue { before++ }
			$1 >= last + 2 { after++ }
			{ llast = $1 }
			END {
				if (before && after) exit 0
				printf "first measured IO issued at %.0f ms, last completed at %d ms; load job: %d IOs from %d to %d ms, %d ended before, %d after\n",
					issue, last, NR, lfirst, llast, before, after
				exit 1
			}' "$r1/fio_clat.$k.log" > "$T/span" ||
			fail "run 1: $name: load job $k did not span the measured window: $(cat "$T/span")"
	done
done
ok "run 1 (one fio, 18 cells): 100 records each, load jobs span every window"

# 4. run 2: each cell in its own fio, nothing set: the default include, whose
# scratch file (build/study-a/scratch) is here a link to the same data
r2=$T/run2
rundir "$r2"
mkdir -p "$r2/build/study-a"
ln -s "$T/scratch" "$r2/build/study-a/scratch"
for c in $cells; do
	name=${c%.fio} load=${c##*load}
	load=${load%.fio}
	(cd "$r2" && "$FIO" --eta=never --output-format=json --output="$name.json" "$JOBS/$c") ||
		fail "run 2: $c: fio failed: $(tail -5 "$r2/$name.json")"
	log=$r2/build/study-a/$name.vmlat
	[ "$(records "$log")" = 100 ] || fail "run 2: $name: $(records "$log") records, want 100"
	[ "$(hdr target.0 "$log")" = build/study-a/scratch ] && [ "$(hdr target.0.kind "$log")" = file ] ||
		fail "run 2: $name: target $(hdr target.0 "$log") ($(hdr target.0.kind "$log")), want the default"
	want=$((load == 0 ? 1 : load + 2))
	[ "$(jq '.jobs | length' "$r2/$name.json")" = "$want" ] ||
		fail "run 2: $name: $(jq '.jobs | length' "$r2/$name.json") jobs in fio's JSON, want $want"
	sum=$(col 3 "$log" | md5sum | cut -c1-12)
	[ "$sum" = "${off1[$name]}" ] || fail "$name: offsets differ between run 1 and run 2"
	bs=${name#a-*-}
	bs=${bs%%-*}
	[ "$sum" = "${golden[$bs]}" ] || fail "$name: offsets are not fio 3.33's (md5 $sum, want ${golden[$bs]})"
done
for bs in 4k 16k 32k; do
	for n in 0 2 4; do
		[ "${off1[a-randread-$bs-load$n]}" = "${off1[a-randwrite-$bs-load$n]}" ] ||
			fail "randread and randwrite $bs load $n: different offsets"
	done
done
ok "run 2 (18 fios, default target): same offsets as run 1, read = write, JSON job counts"

# 5. the variants, in run 2's directory (default includes)
variant() {
	local f=$1 jobs=$2 name=${1%.fio}
	(cd "$r2" && "$FIO" --eta=never --output-format=json --output="$name.json" "$JOBS/$f") ||
		fail "$f: fio failed: $(tail -5 "$r2/$name.json")"
	[ "$(jq '.jobs | length' "$r2/$name.json")" = "$jobs" ] || fail "$f: $(jq '.jobs | length' "$r2/$name.json") jobs, want $jobs"
}
offsets_4k=$(col 3 "$r2/build/study-a/a-randread-4k-load0.vmlat")
for n in 1 2 4; do
	variant fig5-randread-4k-load$n.fio $((n + 2))
	log=$r2/build/study-a/fig5-randread-4k-load$n.vmlat
	[ "$(records "$log")" = 1000 ] || fail "fig5 load $n: $(records "$log") records, want 1000"
	[ "$(col 3 "$log" | head -100)" = "$offsets_4k" ] || fail "fig5 load $n: first 100 offsets are not the 4k cell's"
done
for rw in randread randwrite; do
	variant fig6-$rw-4k-load2-file.fio 4
	log=$r2/build/study-a/fig6-$rw-4k-load2-file.vmlat
	[ "$(records "$log")" = 100 ] && [ "$(col 3 "$log")" = "$offsets_4k" ] || fail "fig6 $rw: records or offsets"
	[ "$(hdr tag.target "$log")" = file ] || fail "fig6 $rw: no target=file tag"
	jq -e '."global options".direct == null' \
		"$r2/fig6-$rw-4k-load2-file.json" >/dev/null || fail "fig6 $rw: the cell sets direct"
	variant cpu-$rw-4k-load2.fio 4
	log=$r2/build/study-a/cpu-$rw-4k-load2.vmlat
	[ "$(records "$log")" = 100 ] && [ "$(col 3 "$log")" = "$offsets_4k" ] || fail "cpu $rw: records or offsets"
	jq -e '[.jobs[] | select(.jobname | endswith("-load")) | ."job options".ioengine == "cpuio"] | all' \
		"$r2/cpu-$rw-4k-load2.json" >/dev/null || fail "cpu $rw: the load is not cpuio"
done
variant mmap-randread-4k.fio 1
mlog=$(ls "$r2"/mmap-randread-4k_clat.*.log) || fail "mmap: no fio log"
[ "$(awk -F', *' '{ print $5 }' "$mlog")" = "$offsets_4k" ] || fail "mmap: offsets are not the 4k cell's"
ok "variants: fig5 (1000 IOs), fig6 (file), cpu load, mmap"
