#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test_bench_ratio.sh - scripts/bench-ratio.awk, the numbers every speed
# goal in BENCHMARKS.md is judged by: per mode and depth, each rep's ratio
# of an engine's IOPS to fio's, their median, the medians of the IOPS, a
# bootstrap CI of the median ratio, and the ratios sorted.  Known answers
# worked out by hand below; the CI's bounds are random resamples (fixed
# seed), so only what holds for any resampling is checked: both lie
# between the smallest and the largest ratio, around the median.  The
# engine set against fio is vmlat unless cand= names another (bench-async's
# CONTROL=1 and BASE_ENGINE=), and a rep that lacks it is left out.
. "$(dirname "$0")/../lib.sh"

cat >"$T/iops.txt" <<'DATA'
fio io_uring 1 1 100
vmlat io_uring 1 1 90
ext io_uring 1 1 100
fio io_uring 1 2 200
vmlat io_uring 1 2 190
ext io_uring 1 2 202
fio io_uring 1 3 100
vmlat io_uring 1 3 80
ext io_uring 1 3 99
fio io_uring 1 4 100
ext io_uring 1 4 150
DATA
ratio() { awk -v modes=io_uring -v depths=1 "$@" -f "$TOP/scripts/bench-ratio.awk" "$T/iops.txt"; }

# row ROW MODE IOPS_FIO IOPS_CAND MEDIAN LIST: the row's fields, the CI inside the ratios' range
row() {
	local r=$1 lo hi
	IFS='|' read -r _ mode depth f v med ci list _ <<<"$r"
	[ "$(echo $mode)" = "$2" ] && [ "$(echo $depth)" = 1 ] && [ "$(echo $f)" = "$3" ] &&
		[ "$(echo $v)" = "$4" ] && [ "$(echo $med)" = "$5" ] && [ "$(echo $list)" = "$6" ] ||
		fail "row: '$r', want $2 | 1 | $3 | $4 | $5 | ... | $6"
	read -r lo _ hi <<<"$ci"
	awk -v lo="$lo" -v hi="$hi" -v m="$5" -v a="${6%% *}" -v b="${6##* }" \
		'BEGIN { exit !(a <= lo && lo <= m && m <= hi && hi <= b) }' ||
		fail "CI $ci not within [${6%% *}, ${6##* }] around $5"
}

# vmlat: ratios 0.90, 0.95, 0.80 (rep 4 has no vmlat); IOPS medians of reps 1-3
row "$(ratio)" io_uring 100 90 0.900 "0.800 0.900 0.950"
row "$(ratio -v cand=vmlat)" io_uring 100 90 0.900 "0.800 0.900 0.950"
ok "vmlat against fio: median ratio 0.900 of three reps, the rep without vmlat left out"

# ext: ratios 1.00, 1.01, 0.99, 1.50: an even count, the median the mean of the middle two
row "$(ratio -v cand=ext -v 'label=, control')" "io_uring, control" 100 125 1.005 "0.990 1.000 1.010 1.500"
ok "cand=ext with a label: median ratio 1.005 of four reps, the row labelled"

[ -z "$(ratio -v cand=base)" ] || fail "an engine with no reps got a row"
ok "no row for an engine that never ran"
