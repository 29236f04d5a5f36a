#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test_out_of_range.sh - values no real run gives are bad input, never a
# broken figure or a wrapped number (issue 11, item 11): a probe value of
# 1e308 (which made gnuplot fail and `plot --html` write no page) is
# skipped with a warning naming file and key, the other platform's bar
# drawn and the page written; a negative percentile in fio JSON (printed
# as 18446744073709552 us before) names the file and key, exit 2.
. "$(dirname "$0")/plot_lib.sh"
cd "$T" || exit 1
mkdir in
"$MKPLOT" in/big.vmlat 1000 10 20 tag.platform=big tag.rw=randread tag.bs=4096 \
	probe.bitop_ns=1e308 || exit 1
"$MKPLOT" in/ok.vmlat 1000 10 20 tag.platform=ok tag.rw=randread tag.bs=4096 \
	probe.bitop_ns=1.5 || exit 1
"$VMLAT" plot -o out --html in >log 2>&1
rc=$?
[ $rc = 0 ] || fail "plot exit $rc: $(cat log)"
grep -qxF 'vmlat: warning: in/big.vmlat: probe.bitop_ns=1e308 is out of range (beyond +-1e15): not plotted' log ||
	fail "no warning for 1e308: $(cat log)"
[ -s out/report.html ] || fail "no report.html: $(cat log)"
magic out/probes.png png
# the probes figure keeps the in-range platform, and only it
grep -q 'ok' out/probes.dat || fail "platform ok lost: $(cat out/probes.dat)"
grep -q 'big' out/probes.dat && fail "the out-of-range bar was drawn: $(cat out/probes.dat)"
ok "probe value 1e308: skipped with a warning, figure and page drawn"

printf '%s\n' '{"jobs":[{"jobname":"x","job options":{"rw":"randread","bs":"4k"},"read":{"clat_ns":{"N":10,"min":1000,"max":100000,"mean":5000.0,"stddev":1.0,"percentile":{"50.000000":5000,"99.000000":-5}}}}]}' >neg.json
"$VMLAT" report --stat p99 neg.json >out.txt 2>err
rc=$?
[ $rc = 2 ] || fail "negative percentile: exit $rc, not 2: $(cat out.txt err)"
grep -qxF "vmlat: neg.json: percentile '99.000000' is -5: not a latency" err ||
	fail "negative percentile not named: $(cat err)"
grep -q 18446744073 out.txt && fail "the wrapped number is printed: $(cat out.txt)"
ok "negative percentile in fio JSON: named, exit 2"
finish
