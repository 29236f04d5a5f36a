#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: the tables of `vmlat report` never pool what should not be
# pooled and never count an IO twice, on the real fio's output (issue 13):
# a randrw run splits into reads and writes for every input kind, with the
# counts fio's own JSON gives; a label that differs inside a cell is added
# to the default layout, or stops a layout given by hand; a directory with
# a run's vmlat log and the same run's fio JSON counts each IO once.
. "$(dirname "$0")/../lib.sh"

cd "$T" || exit 1

# csv_field FILE COLUMN KEYCOL KEYVAL: COLUMN of the row whose KEYCOL is KEYVAL
csv_field() {
	awk -F, -v col="$2" -v kc="$3" -v kv="$4" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c[kc] == kv { print $c[col] }' "$1"
}

# 13.1: rwmixread=70 over 1000 IOs; fio's JSON says how many of each
split_by_direction() {
	mkdir rr && cd rr || exit 1
	"$FIO" --eta=never --name=rr --ioengine=psync --filename="$T/data" --size=4m --bs=4k \
		--rw=randrw --rwmixread=70 --number_ios=1000 --randrepeat=0 --randseed=7 \
		--write_lat_log=rr --log_avg_msec=0 --output-format=json --output=rr.json >/dev/null ||
		fail "fio randrw"
	local nr nw
	nr=$(jq '.jobs[0].read.clat_ns.N' rr.json)
	nw=$(jq '.jobs[0].write.clat_ns.N' rr.json)
	[ $((nr + nw)) = 1000 ] && [ "$nr" -gt "$nw" ] || fail "fio's JSON: $nr reads, $nw writes"
	for input in rr.json rr_clat.1.log; do
		"$VMLAT" report --format csv "$input" >r.csv 2>r.err || fail "$input: exit $?: $(cat r.err)"
		[ "$(csv_field r.csv n ddir read)" = "$nr" ] && [ "$(csv_field r.csv n ddir write)" = "$nw" ] ||
			fail "$input: not $nr reads and $nw writes: $(cat r.csv)"
		ok "$input: default layout splits $nr reads from $nw writes"
	done
	"$VMLAT" report --by rw rr.json >out 2>err && fail "--by rw pooled reads and writes: $(cat out)"
	grep -qx "vmlat: a cell would pool inputs of different ddir ('read' and 'write'): keep them apart with --by rw,ddir, or pool them with --pool ddir" err ||
		fail "--by rw: message: $(cat err)"
	"$VMLAT" report --by rw --pool ddir --format csv rr.json >r.csv || fail "--pool ddir"
	[ "$(csv_field r.csv n rw randrw)" = 1000 ] || fail "--pool ddir: $(cat r.csv)"
	ok "a layout given by hand stops with the --by that splits, --pool pools"
	cd "$T" || exit 1
}

# 13.2: --label grp=A a/ --label grp=B b/ (the same files twice)
split_by_label() {
	mkdir -p g/a g/b
	cp rr/rr.json g/a/ && cp rr/rr.json g/b/
	"$VMLAT" report --format csv --label grp=A g/a --label grp=B g/b >r.csv 2>r.err ||
		fail "labels: exit $?: $(cat r.err)"
	[ "$(awk -F, 'NR > 1' r.csv | wc -l)" = 4 ] || fail "labels: not 4 cells: $(cat r.csv)"
	head -1 r.csv | grep -q '^rw,bs,ddir,grp,' || fail "labels: grp not a row key: $(head -1 r.csv)"
	"$VMLAT" report --by ddir --label grp=A g/a --label grp=B g/b >out 2>err &&
		fail "labels: --by ddir pooled grp A and B"
	grep -q "of different grp ('A' and 'B'): keep them apart with --by ddir,grp" err ||
		fail "labels: message: $(cat err)"
	ok "a --label that differs inside a cell splits the default layout, stops a given one"
}

# 13.3: a vmlat log and fio's JSON of the same run, with a background job
pairing() {
	mkdir pair && cd pair || exit 1
	vmlat_fio --name=cell --filename="$T/data" --size=4m --bs=4k --rw=randread --number_ios=50 \
		--vmlat_tags=cell=x --vmlat_probes=0 --name=bg --filename="$T/data" --size=4m \
		--rw=randread --number_ios=300 --vmlat_log=0 --vmlat_probes=0 \
		--output-format=json --output=run.json >/dev/null || fail "fio pair run: $(cat run.json)"
	"$VMLAT" report --format csv ./cell.1.vmlat >want.csv 2>/dev/null || fail "report of the log alone"
	"$VMLAT" report --format csv . >got.csv 2>err || fail "report of the directory: $(cat err)"
	diff want.csv got.csv >/dev/null || fail "directory differs from the log alone: $(diff want.csv got.csv)"
	grep -qx "vmlat: ./run.json: skipped, the same run as ./cell.1.vmlat, read per IO from it: job cell; its background (no per-IO log): bg" err ||
		fail "pairing: message: $(cat err)"
	ok "a log and the same run's JSON: each IO once, the skip said"
	# the same JSON moved a day later is another run: nothing skipped
	jq '.timestamp_ms += 86400000' run.json >other.json && rm run.json
	"$VMLAT" report --format csv . >got.csv 2>err
	grep -q skipped err && fail "another run's JSON was skipped: $(cat err)"
	[ "$(awk -F, 'NR > 1' got.csv | wc -l)" -gt 1 ] || fail "another run's JSON not reported: $(cat got.csv)"
	ok "JSON of another run is kept"
	cd "$T" || exit 1
}

# 13.5: JSON+ gives fio's exact min, max, mean, stddev, not the bins' midpoints
jsonplus_exact() {
	"$FIO" --eta=never --name=p --ioengine=psync --filename="$T/data" --size=4m --bs=4k \
		--rw=randread --number_ios=300 --output-format=json+ --output=plus.json >/dev/null ||
		fail "fio json+"
	"$VMLAT" report --format json plus.json >r.json || fail "report JSON+"
	local want got
	want=$(jq -c '.jobs[0].read.clat_ns | [.N, .min, .max, .mean, .stddev] | map(. * 1000 | round)' plus.json)
	got=$(jq -c '.cells[0] | [.n, .min_ns, .max_ns, .mean_ns, .stddev_ns] | map(. * 1000 | round)' r.json)
	[ "$want" = "$got" ] || fail "JSON+: fio says $want, report $got"
	[ "$(jq -r '.cells[0].data' r.json)" = bins ] || fail "JSON+: percentiles not marked as from bins"
	ok "JSON+: n, min, max, mean, stddev as fio's exact values; data=bins"
}

# 13.6: a log_avg_msec log is refused unless asked for, and says why
averaged_refused() {
	mkdir avg && cd avg || exit 1
	"$FIO" --eta=never --name=a --ioengine=psync --filename="$T/data" --size=4m --bs=4k \
		--rw=randread --number_ios=2000 --write_lat_log=a --log_avg_msec=10 \
		--output-format=json --output=a.json >/dev/null || fail "fio log_avg_msec"
	"$VMLAT" report a_clat.1.log >out 2>err && fail "averaged log accepted: $(cat out)"
	grep -q "a_clat.1.log: an averaged log (log_avg_msec): .*pass --fio-averaged" err ||
		fail "averaged: message: $(cat err)"
	"$VMLAT" report --fio-averaged --format csv a_clat.1.log >out 2>err || fail "--fio-averaged: $(cat err)"
	grep -q "window means (window maxima with log_max_value=1)" err || fail "--fio-averaged: no warning"
	ok "an averaged log is refused by default, read with --fio-averaged"
	cd "$T" || exit 1
}

# 13.7: fio 3.33 logs whose lines fit two layouts, settled by fio's JSON
# of the same run beside them; without it, the user is asked
ambiguous_settled() {
	mkdir amb && cd amb || exit 1
	"$FIO" --eta=never --name=o --ioengine=psync --filename="$T/data" --size=4m --bs=4k \
		--rw=read --number_ios=1 --write_lat_log=o --log_offset=1 \
		--output-format=json --output=o.json >/dev/null || fail "fio one IO"
	"$FIO" --eta=never --name=a --ioengine=psync --filename="$T/data" --size=4m --bs=4k \
		--rw=randread --number_ios=500 --write_lat_log=a --log_offset=1 --log_avg_msec=5 \
		--output-format=json --output=a.json >/dev/null || fail "fio averaged"
	"$VMLAT" report --format csv o_clat.1.log >r.csv 2>err || fail "one IO at offset 0: $(cat err)"
	[ "$(csv_field r.csv min_ns bs 4096)" = "$(jq '.jobs[0].read.clat_ns.min' o.json)" ] ||
		fail "one IO at offset 0: $(cat r.csv)"
	"$VMLAT" report --fio-averaged --format csv a_clat.1.log >r.csv 2>err ||
		fail "averaged, log_offset=1: $(cat err)"
	[ "$(csv_field r.csv n ddir read)" = "$(wc -l <a_clat.1.log)" ] || fail "averaged: $(cat r.csv)"
	ok "fio 3.33 logs that fit two layouts: settled by fio's JSON beside them"
	mkdir alone && mv o_clat.1.log alone/
	"$VMLAT" report alone/o_clat.1.log >out 2>err && fail "no JSON beside: not ambiguous?"
	grep -q "cannot tell the fio log layout: .*--fio-columns" err || fail "no JSON beside: $(cat err)"
	ok "without fio's JSON the user is asked for --fio-columns"
	cd "$T" || exit 1
}

split_by_direction
split_by_label
ambiguous_settled
pairing
jsonplus_exact
averaged_refused
