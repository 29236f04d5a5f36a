#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test_report.sh - `vmlat report` against golden output computed by hand.
#
# The vmlat logs come from tests/cli/mklat.c, whose latencies follow
# formulas with exactly known statistics (constant, uniform, bimodal,
# square); fio logs and JSON are written here as fio 3.33 writes them.
# Every expected number below is derived in a comment from the formula,
# not taken from a previous run.  Exit 0 pass, 1 fail.
#
#   VMLAT=path/to/vmlat  (default analysis/vmlat)   BUILD=dir  (default build)
. "$(dirname "$0")/../lib.sh"
keep_going
need "$VMLAT" "$MKLAT" "$MKLOG"
cd "$T" || exit 1

# rep ARGS...: vmlat report into out/err, exit code in $rc
rep() {
	"$VMLAT" report "$@" >out 2>err
	rc=$?
}

# Four distributions of 1000 IOs (100 for const), one cell each (--by dist).
#   const:250000, n=100: every statistic 250000, stddev 0
#   seq:100000:1000: v = 100000 + 1000 j, j = 0..999; mean 599500;
#     sd = 1000 sqrt(1000*1001/12) = 288819.436; rank r -> 99000 + 1000 r:
#     median r=500 599000, p90 r=900 999000, p99 r=990 1089000,
#     p99.9 r=999 1098000
#   bimodal:100000:900000:900: 900 at 100000, 100 at 900000; mean 180000;
#     sd = 800000 sqrt(900*100/(1000*999)) = 240120.090; ranks <= 900 are
#     100000 (median, p90), above 900000 (p99, p99.9)
#   square:1000: v = 1000 k^2, k = 1..1000; mean = 1000*1001*2001/6 =
#     333833500; sd 298571050.645 (from sum k^4 = n(n+1)(2n+1)(3n^2+3n-1)/30);
#     rank r -> 1000 r^2: 250000000, 810000000, 980100000, 998001000
test_exact_stats() {
	mkdir exact
	"$MKLAT" exact/c.vmlat const:250000 100 dist=const
	"$MKLAT" exact/u.vmlat seq:100000:1000 1000 dist=seq
	"$MKLAT" exact/b.vmlat bimodal:100000:900000:900 1000 dist=bimodal
	"$MKLAT" exact/s.vmlat square:1000 1000 dist=square
	rep --by dist --format csv exact
	expect_rc "exact: four logs" 0
	mv out actual
	cat >expect <<-'EOF'
	dist,n,min_ns,mean_ns,max_ns,stddev_ns,median_ns,p90_ns,p99_ns,p99_9_ns
	bimodal,1000,100000,180000,900000,240120.090,100000,100000,900000,900000
	const,100,250000,250000,250000,0,250000,250000,250000,250000
	seq,1000,100000,599500,1099000,288819.436,599000,999000,1089000,1098000
	square,1000,1000,333833500,1000000000,298571050.645,250000000,810000000,980100000,998001000
	EOF
	check "exact: n, min, mean, max, stddev and nearest-rank percentiles"
	# --hist: n, min, mean, max and stddev the same; percentiles within 1/256
	rep --hist --by dist --format csv exact
	expect_rc "exact: --hist" 0
	paste -d, actual out | awk -F, 'NR > 1 {
		for (i = 2; i <= 6; i++) if ($i != $(i + 10)) { print "col " i ": " $i " vs " $(i + 10); bad = 1 }
		for (i = 7; i <= 10; i++) { d = $i - $(i + 10); if (d < 0) d = -d
			if (d > $i / 256 + 0.5) { print "col " i ": " $i " vs " $(i + 10); bad = 1 } }
		if ($21 != "hist") { print "data " $21; bad = 1 } }
		END { exit bad }' >hist.out || { fail "exact: --hist"; cat hist.out >&2; }
}

# Two platforms of constant latency: bm 100 us, kvm 200 us, 100 IOs each.
# ratio = 2 and every resample gives 2, so the CI is [2, 2].  U = 100*100
# (every kvm IO slower), ties 2*(100^3-100), var = 10000/12*(201 -
# 1999800/39800) = 125628.1, z = 4999.5/sqrt(var) = 14.1053, p = 3.52162e-45.
make_const_pair() {
	"$MKLAT" bm.vmlat const:100000 100 rw=randread bs=4096 load=0 platform=bm
	"$MKLAT" kvm.vmlat const:200000 100 rw=randread bs=4096 load=0 platform=kvm
}

test_text_golden() {
	make_const_pair
	rep --long --cols platform --baseline platform=bm bm.vmlat kvm.vmlat
	expect_rc "text: const pair" 0
	mv out actual
	cat >expect <<-'EOF'
	platform=bm (latency in us; baseline platform=bm)

	rw        bs    load    n     min    mean     max  stddev  median     p90     p99   p99.9
	--------  ----  ----  ---  ------  ------  ------  ------  ------  ------  ------  ------
	randread  4096  0     100  100.00  100.00  100.00    0.00  100.00  100.00  100.00  100.00

	rw        bs    load  ratio  ci95.lo  ci95.hi  p(MWU)  diff
	--------  ----  ----  -----  -------  -------  ------  --------
	randread  4096  0         -        -        -       -  baseline

	platform=kvm (latency in us; baseline platform=bm)

	rw        bs    load    n     min    mean     max  stddev  median     p90     p99   p99.9
	--------  ----  ----  ---  ------  ------  ------  ------  ------  ------  ------  ------
	randread  4096  0     100  200.00  200.00  200.00    0.00  200.00  200.00  200.00  200.00

	rw        bs    load  ratio  ci95.lo  ci95.hi   p(MWU)  diff
	--------  ----  ----  -----  -------  -------  -------  ------
	randread  4096  0     2.000    2.000    2.000  <0.0001  slower

	percentiles: nearest rank, the ceil(p/100*n)-th smallest latency of the cell (fio's own can be one rank higher)
	ratio: median / median of the baseline cell; ci95: percentile bootstrap, 10000 resamples, seed 508641960308;
	p(MWU): Mann-Whitney U, two-sided; diff: CI excludes 1 and p < 0.05.
	EOF
	check "text: --long: golden tables, split at 100 columns, unit in the title"
	rep --long --cols platform --baseline platform=bm --width 0 bm.vmlat kvm.vmlat
	[ "$(grep -c '^rw ' out)" = 2 ] || fail "text: --width 0 still splits"
}

# The default layout: one table, a column group per platform.  Cells: bm
# 100 us and kvm 200 us at load 0 (ratio 2, as above), kvm 150 us at
# load 2 (no bm cell there: no ratio, bm's columns empty).
test_pivot() {
	"$MKLAT" kvm2.vmlat const:150000 100 rw=randread bs=4096 load=2 platform=kvm
	rep --cols platform --baseline platform=bm bm.vmlat kvm.vmlat kvm2.vmlat
	expect_rc "pivot: text" 0
	mv out actual
	cat >expect <<-'EOF'
	latency in us; columns platform; baseline platform=bm

	                      bm                                       kvm
	rw        bs    load     min    mean     max  ratio  diff         min    mean     max  ratio  diff
	--------  ----  ----  ------  ------  ------  -----  --------  ------  ------  ------  -----  ------
	randread  4096  0     100.00  100.00  100.00      -  baseline  200.00  200.00  200.00  2.000  slower
	randread  4096  2                                              150.00  150.00  150.00      -  -

	percentiles: nearest rank, the ceil(p/100*n)-th smallest latency of the cell (fio's own can be one rank higher)
	ratio: median / median of the baseline cell; ci95: percentile bootstrap, 10000 resamples, seed 508641960308;
	p(MWU): Mann-Whitney U, two-sided; diff: CI excludes 1 and p < 0.05.
	EOF
	check "pivot: golden, a group per platform, ratio and diff with --baseline"
	# --width 40: each group alone, row keys repeated; --stat picks columns
	rep --cols platform --stat p99,median,n --width 40 bm.vmlat kvm.vmlat kvm2.vmlat
	mv out actual
	cat >expect <<-'EOF'
	latency in us; columns platform

	                      bm
	rw        bs    load     p99  median    n
	--------  ----  ----  ------  ------  ---
	randread  4096  0     100.00  100.00  100
	randread  4096  2

	                      kvm
	rw        bs    load     p99  median    n
	--------  ----  ----  ------  ------  ---
	randread  4096  0     200.00  200.00  100
	randread  4096  2     150.00  150.00  100

	percentiles: nearest rank, the ceil(p/100*n)-th smallest latency of the cell (fio's own can be one rank higher)
	EOF
	check "pivot: --stat in its order, --width cuts between groups"
	rep --cols platform --format markdown --stat median bm.vmlat kvm.vmlat
	mv out actual
	cat >expect <<-'EOF'
	**latency in µs; columns platform**

	| rw | bs | load | bm median | kvm median |
	|:---|:---|:---|---:|---:|
	| randread | 4096 | 0 | 100.00 | 200.00 |

	percentiles: nearest rank, the ceil(p/100*n)-th smallest latency of the cell (fio's own can be one rank higher)
	EOF
	check "pivot: markdown, group and statistic in each title"
	rep --cols platform --format latex --stat max bm.vmlat kvm.vmlat
	mv out actual
	cat >expect <<-'EOF'
	\begin{table}
	\centering
	\begin{tabular}{lllrr}
	\hline
	 &  &  & \multicolumn{1}{c}{bm} & \multicolumn{1}{c}{kvm} \\
	rw & bs & load & max & max \\
	\hline
	randread & 4096 & 0 & 100.00 & 200.00 \\
	\hline
	\end{tabular}
	\caption{latency in \textmu s; columns platform}
	\end{table}

	% percentiles: nearest rank, the ceil(p/100*n)-th smallest latency of the cell (fio's own can be one rank higher)
	EOF
	check "pivot: latex, a multicolumn title per group"
	rep --cols platform --stat nope bm.vmlat
	expect_rc "pivot: unknown --stat column" 1
	grep -q "^vmlat: --stat: 'nope' is not a column" err || fail "pivot: --stat message: $(cat err)"
	rep --cols platform --format csv --stat median bm.vmlat kvm.vmlat
	[ "$(head -1 out | tr , '\n' | wc -l)" = 13 ] || fail "pivot: csv is not the long form"
}

test_other_formats() {
	rep --cols platform --baseline platform=bm --format csv bm.vmlat kvm.vmlat
	mv out actual
	cat >expect <<-'EOF'
	platform,rw,bs,load,n,min_ns,mean_ns,max_ns,stddev_ns,median_ns,p90_ns,p99_ns,p99_9_ns,ratio,ci_lo,ci_hi,p_mwu,diff
	bm,randread,4096,0,100,100000,100000,100000,0,100000,100000,100000,100000,,,,,baseline
	kvm,randread,4096,0,100,200000,200000,200000,0,200000,200000,200000,200000,2,2,2,3.52162e-45,slower
	EOF
	check "csv: golden, ns, empty when unknown"
	rep --long --cols platform --baseline platform=bm --format markdown bm.vmlat kvm.vmlat
	mv out actual
	cat >expect <<-'EOF'
	**platform=bm (latency in µs; baseline platform=bm)**

	| rw | bs | load | n | min | mean | max | stddev | median | p90 | p99 | p99.9 | ratio | ci95.lo | ci95.hi | p(MWU) | diff |
	|:---|:---|:---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---|
	| randread | 4096 | 0 | 100 | 100.00 | 100.00 | 100.00 | 0.00 | 100.00 | 100.00 | 100.00 | 100.00 | - | - | - | - | baseline |

	**platform=kvm (latency in µs; baseline platform=bm)**

	| rw | bs | load | n | min | mean | max | stddev | median | p90 | p99 | p99.9 | ratio | ci95.lo | ci95.hi | p(MWU) | diff |
	|:---|:---|:---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---|
	| randread | 4096 | 0 | 100 | 200.00 | 200.00 | 200.00 | 0.00 | 200.00 | 200.00 | 200.00 | 200.00 | 2.000 | 2.000 | 2.000 | <0.0001 | slower |

	percentiles: nearest rank, the ceil(p/100*n)-th smallest latency of the cell (fio's own can be one rank higher)
	ratio: median / median of the baseline cell; ci95: percentile bootstrap, 10000 resamples, seed 508641960308;
	p(MWU): Mann-Whitney U, two-sided; diff: CI excludes 1 and p < 0.05.
	EOF
	check "markdown: golden"
	rep --long --cols platform --format latex kvm.vmlat
	mv out actual
	cat >expect <<-'EOF'
	\begin{table}
	\centering
	\begin{tabular}{lllrrrrrrrrr}
	\hline
	rw & bs & load & n & min & mean & max & stddev & median & p90 & p99 & p99.9 \\
	\hline
	randread & 4096 & 0 & 100 & 200.00 & 200.00 & 200.00 & 0.00 & 200.00 & 200.00 & 200.00 & 200.00 \\
	\hline
	\end{tabular}
	\caption{platform=kvm (latency in \textmu s)}
	\end{table}

	% percentiles: nearest rank, the ceil(p/100*n)-th smallest latency of the cell (fio's own can be one rank higher)
	EOF
	check "latex: golden"
	rep --cols platform --baseline platform=bm --format json bm.vmlat kvm.vmlat
	jq -r '.cells[] | [.labels.platform, .n, .median_ns, .ratio, .diff] | @tsv' out >actual
	printf 'bm\t100\t100000\t\tbaseline\nkvm\t100\t200000\t2\tslower\n' >expect
	check "json: cells, labels, nulls"
	[ "$(jq -r '.method.bootstrap_resamples' out)" = 10000 ] || fail "json: method"
}

# Uniform samples: kvm = 2 x bm (medians 1198000 / 599000 = 2 exactly) is
# slower; a copy of bm is not different; half of bm is faster.
test_comparisons() {
	mkdir cmp
	"$MKLAT" cmp/bm.vmlat seq:100000:1000 1000 rw=randread bs=4096 load=0 platform=bm
	"$MKLAT" cmp/kvm.vmlat seq:200000:2000 1000 rw=randread bs=4096 load=0 platform=kvm
	"$MKLAT" cmp/xen.vmlat seq:100000:1000 1000 rw=randread bs=4096 load=0 platform=xen
	"$MKLAT" cmp/lxc.vmlat seq:50000:500 1000 rw=randread bs=4096 load=0 platform=lxc
	rep --baseline platform=bm --format csv cmp
	expect_rc "compare: four platforms" 0
	awk -F, 'NR > 1 { print $1, $14, ($15 < $14 && $14 < $16), $18 }' out >actual
	cat >expect <<-'EOF'
	bm  0 baseline
	kvm 2 1 slower
	lxc 0.5 1 faster
	xen 1 1 
	EOF
	check "compare: slower and faster flagged, equal not flagged, CI around the ratio"
	awk -F, '$1 == "xen" { exit !($17 > 0.9) }' out || fail "compare: equal samples: p <= 0.9"
	# --by, with keys bm has no value for (cores): soft, so bm is every baseline
	"$MKLAT" cmp/kvm2.vmlat seq:200000:2000 1000 rw=randread bs=4096 load=0 platform=kvm cores=2
	rep --by platform,cores,rw --baseline platform=bm --format csv cmp
	awk -F, 'NR > 1 { print $1, $2, $13, $17 }' out >actual
	cat >expect <<-'EOF'
	bm   baseline
	kvm  2 slower
	kvm 2 2 slower
	lxc  0.5 faster
	xen  1 
	EOF
	check "compare: --by with a baseline that lacks a key"
	awk -F, '$1 == "kvm" { exit !($15 > 1.8 && $16 < 2.2) }' out || fail "compare: kvm CI too wide"
}

# Context: every 4th IO changed vCPU (25.0%); rq delay 10 (j+1): rank 500
# -> 5000 ns, rank 990 -> 9900 ns.  The tail: latency 100000 + 1000 j has
# p99 1089000 (rank 990, j = 989), so the tail is j = 990..999, 10 IOs of
# latency sum 10*100000 + 1000*9945 = 10945000; all have rq > 0 (100%),
# rq sum 10*(991+...+1000) = 99550, 99550/10945000 = 0.909548%.
# ctx=2: rq 0 for even j, so the rq delays are 500 zeros and 20, 40, ...,
# 10000: p50 0, p99 rank 990 -> the 490th nonzero, 9800; the tail's odd j
# (991..999) have rq > 0: 50%, rq sum 10*(992+994+...+1000) = 49800,
# 49800/10945000 = 0.455002%.
test_context() {
	"$MKLAT" ctx.vmlat seq:100000:1000 1000 ctx=1 cell=a
	"$MKLAT" ctx2.vmlat seq:100000:1000 1000 ctx=2 cell=b
	rep --by cell --format csv ctx.vmlat ctx2.vmlat
	cut -d, -f1,11- out >actual
	cat >expect <<-'EOF'
	cell,vcpu_moved_pct,rq_p50_ns,rq_p99_ns,tail_rq_pct,tail_rq_time_pct
	a,25,5000,9900,100,0.909548
	b,25,0,9800,50,0.455002
	EOF
	check "context: vCPU changes, run-queue delay percentiles, the tail's rq share"
	rep --by cell --stat 'rq p99,tail rq%,tail rq time%' ctx.vmlat ctx2.vmlat
	mv out actual
	cat >expect <<-'EOF'
	latency in us

	cell  rq p99  tail rq%  tail rq time%
	----  ------  --------  -------------
	a       9.90     100.0            0.9
	b       9.80      50.0            0.5

	percentiles: nearest rank, the ceil(p/100*n)-th smallest latency of the cell (fio's own can be one rank higher)
	EOF
	check "context: the tail columns by title with --stat"
	# every format states the percentile definition (issue 13.9)
	for f in text markdown latex; do
		rep --by cell --format $f ctx.vmlat
		grep -q "percentiles: nearest rank, the ceil(p/100\*n)-th smallest latency" out ||
			fail "context: $f output does not define its percentiles"
	done
	rep --by cell --format json ctx.vmlat
	jq -e '.method.percentile | startswith("percentiles: nearest rank")' out >/dev/null ||
		fail "context: JSON method does not define its percentiles"
	# constant latency: no IO above the p99, so no tail
	"$MKLAT" ctxc.vmlat const:5000 100 ctx=1 cell=c
	rep --by cell --format csv ctxc.vmlat
	[ "$(cut -d, -f14,15 out | tail -1)" = "," ] || fail "context: a tail of no IO: $(cat out)"
}

# The run's context from the headers: two bm runs (bitop 2 and 4: mean 3,
# range shown; mmap only in one; clock names differ), one kvm run.  Each
# file counts once, though a log with reads and writes gives two sets.
test_headers() {
	mkdir hdr
	"$MKLAT" hdr/bm1.vmlat const:100000 100 rw=randread bs=4096 load=0 platform=bm \
		probe.bitop_ns=2 probe.mmap_ns=1000 probe.bitop_build=gcc clock=tsc \
		clock.cost_ns=20 clock.resolution_ns=1
	"$MKLAT" hdr/bm2.vmlat const:100000 100 rw=randread bs=4096 load=2 platform=bm \
		probe.bitop_ns=4 clock=clock_gettime clock.cost_ns=30 clock.resolution_ns=1
	"$MKLAT" hdr/kvm.vmlat const:200000 100 rw=randread bs=4096 load=0 platform=kvm \
		probe.bitop_ns=3.5 clock=tsc clock.cost_ns=40 clock.resolution_ns=1
	rep --stat median hdr
	expect_rc "headers: text" 0
	sed -n '/^run context/,$p' out >actual
	cat >expect <<-'EOF'
	run context from vmlat headers, per platform: probe.* (mean of the runs, their range when they differ) and the clock check

	key                            bm  kvm
	-------------------  ------------  ---
	clock                tsc (varies)  tsc
	clock.cost_ns         25 (20..30)   40
	clock.resolution_ns             1    1
	probe.bitop_ns           3 (2..4)  3.5
	probe.mmap_ns                1000
	EOF
	check "headers: probe.* and clock per platform, runs averaged, non-numeric probes left out"
	rep --format csv hdr
	grep -q probe out && fail "headers: in the CSV"
	rep --format json hdr
	jq -c '.run_context.bm["probe.bitop_ns"], .run_context.bm.clock, .run_context.kvm["clock.cost_ns"]' \
		out >actual
	cat >expect <<-'EOF'
	{"mean":3,"min":2,"max":4,"runs":2}
	{"value":"tsc","varies":true}
	{"mean":40,"min":40,"max":40,"runs":1}
	EOF
	check "headers: json run_context"
	rep --by rw,platform,load --format markdown hdr
	grep -qx '| probe.bitop_ns | 3 (2..4) | 3.5 |' out || fail "headers: markdown: $(cat out)"
}

# --label applies to the files after it and wins over the file's tags.
test_labels() {
	"$MKLAT" l1.vmlat const:1000 10 platform=x
	"$MKLAT" l2.vmlat const:3000 10
	rep --by platform --format csv --label platform=xen l1.vmlat --label platform=kvm l2.vmlat
	cut -d, -f1,2,7 out >actual
	printf 'platform,n,median_ns\nkvm,10,3000\nxen,10,1000\n' >expect
	check "labels: --label in command-line order"
}

# fio logs as fio 3.33 writes them, and JSON with text before it.
test_fio_inputs() {
	mkdir fio
	printf '1, 1000, 0, 4096, 0\n2, 3000, 0, 4096, 0\n3, 2000, 1, 4096, 0\n' >fio/j_clat.1.log
	printf '100, 5000, 0, 0, 0\n200, 7000, 0, 0, 0\n' >fio/w_lat.2.log
	cat >fio/r.json <<-'EOF'
	<host> something fio printed
	{ "fio version" : "fio-3.33", "jobs" : [ { "jobname" : "jj", "job options" : { "bs" : "4k" },
	  "read" : { "clat_ns" : { "min" : 5, "max" : 9, "mean" : 7.0, "stddev" : 2.0, "N" : 3,
	  "percentile" : { "50.000000" : 7, "90.000000" : 9, "99.000000" : 9, "99.900000" : 9 } } } } ] }
	EOF
	# passed over in a directory: fio's bw and histogram logs, other JSON
	printf '1, 100, 0, 4096, 0\n' >fio/j_bw.1.log
	printf '1, 0, 4096, 5, 6, 7, 8, 9, 10, 11\n' >fio/j_clat_hist.1.log
	printf '{ "cells" : [] }\n' >fio/report.json
	rep --rows source,metric,ddir,job --cols '' --format csv --fio-averaged fio
	expect_rc "fio inputs" 0
	[ "$(grep -vc 'averaged log' err)" = 0 ] || fail "fio: non-latency files not passed over: $(cat err)"
	mv out actual
	cat >expect <<-'EOF'
	source,metric,ddir,job,n,min_ns,mean_ns,max_ns,stddev_ns,median_ns,p90_ns,p99_ns,p99_9_ns,data
	fiojson,clat,read,jj,3,5,7,9,2,7,9,9,9,summary
	fiolog,clat,read,,2,1000,2000,3000,1414.214,1000,3000,3000,3000,io
	fiolog,clat,write,,1,2000,2000,2000,,2000,2000,2000,2000,io
	fiolog,lat,read,,2,5000,6000,7000,1414.214,5000,7000,7000,7000,window
	EOF
	check "fio: logs by ddir, windowed log, JSON summary"
	grep -q "w_lat.2.log: averaged log (log_avg_msec)" err || fail "fio: no warning for the averaged log"
	# without --fio-averaged an averaged log is refused, saying why (issue 13.6)
	rep --format csv fio/w_lat.2.log
	expect_rc "fio: averaged log refused" 2
	grep -qx "vmlat: fio/w_lat.2.log: an averaged log (log_avg_msec): one value per window, the mean of its IOs (their maximum with log_max_value=1), not per-IO latencies; pass --fio-averaged to report them" err ||
		fail "fio: averaged log message: $(cat err)"
	printf '1, 100, 0, 4096, 0, 1\n' >amb_lat.log
	rep amb_lat.log
	expect_rc "fio: ambiguous layout" 2
	grep -q "amb_lat.log: cannot tell the fio log layout: .*--fio-columns=" err ||
		fail "fio: ambiguous layout message: $(cat err)"
	rep --fio-columns=time,value,ddir,bs,prio,issue --by ddir --format csv amb_lat.log
	expect_rc "fio: --fio-columns decides" 0
}

# Each bad input: one line naming it and where; the rest still reported.
test_bad_inputs() {
	mkdir bad
	"$MKLAT" bad/good.vmlat const:1000 10 cell=good
	printf '1, 100, 0, 4096, 0\n2, 100, 0, 4096, 0\n3, x, 0, 4096, 0\n' >bad/b_lat.log
	printf '{ "jobs" : [ { "jobname" : "a", \n' >bad/trunc.json
	"$MKLOG" --torn bad/torn.vmlat 4
	# torn.vmlat's 4 intact records (reads and writes) are used (issue 13.4)
	rep --by cell,ddir --format csv bad
	expect_rc "bad: three bad files skipped" 2
	grep -c '' err | grep -qx 3 || fail "bad: not one line per bad file: $(cat err)"
	grep -qx 'vmlat: bad/b_lat.log: line 3: column 2: not a number' err || fail "bad: fio log line"
	# the torn bytes start at record 4: header_bytes 4096 + 4 * 64
	grep -q '^vmlat: bad/torn.vmlat: byte 4352: ' err || fail "bad: torn vmlat log offset: $(cat err)"
	grep -q '^vmlat: bad/trunc.json: line 2: byte [0-9]*: ' err || fail "bad: JSON position: $(cat err)"
	grep -q '^good,read,10,' out || fail "bad: the good file is not reported"
	grep -q '^,read,2,' out || fail "bad: the torn log's intact records are not used: $(cat out)"
	rep --strict --by cell bad
	expect_rc "bad: --strict" 2
	[ ! -s out ] || fail "bad: --strict printed tables"
	rep --by cell bad/good.vmlat nonexistent.vmlat
	expect_rc "bad: missing file" 3
	grep -q "^vmlat: cannot open 'nonexistent.vmlat': No such file or directory$" err ||
		fail "bad: missing file message: $(cat err)"
	head -c 100 /dev/urandom | tr -d '\n{0-9' >junk
	rep junk
	expect_rc "bad: a named file of no known kind" 2
}

# Values (issue 13.8): above 2^53 ns exact in min/max/percentiles (a double
# would round 2^53 + 1 to 2^53), 2^63 refused as fio's columns are signed
# 64-bit, and the stddev of one IO unknown, not 0.  Hand-made fio logs:
# the answers are the values written.
test_values() {
	printf '1, 9007199254740993, 0, 4096, 0\n2, 9007199254740995, 0, 4096, 0\n3, 9007199254740997, 0, 4096, 0\n' >big_lat.log
	printf '1, 5000, 0, 4096, 0\n' >one_lat.log
	printf '1, 9223372036854775808, 0, 4096, 0\n' >over_lat.log
	rep --by file --format csv big_lat.log one_lat.log
	expect_rc "values: exit 0" 0
	grep -q '^big_lat.log,3,9007199254740993,[0-9.]*,9007199254740997,2,9007199254740995,9007199254740997,' out ||
		fail "values: not exact above 2^53: $(cat out)"
	grep -q '^one_lat.log,1,5000,5000,5000,,5000,' out || fail "values: stddev of one IO not empty: $(cat out)"
	rep --by file --format json one_lat.log
	grep -q '"stddev_ns": null' out || fail "values: JSON stddev of one IO not null: $(cat out)"
	rep --by file --format json big_lat.log
	grep -q '"min_ns": 9007199254740993,' out || fail "values: JSON min not exact: $(cat out)"
	# the README's and --help's claim: at n=2000, p99.9 is rank 1998
	seq 1 2000 | awk '{ print $1 ", " $1 ", 0, 4096, 0" }' >n2000_lat.log
	rep --by file --format csv n2000_lat.log
	[ "$(cut -d, -f10 out | tail -1)" = 1998 ] || fail "values: p99.9 of 1..2000 is not 1998: $(cat out)"
	"$VMLAT" report --help | grep -q "at n=2000, p99.9 is" || fail "values: --help lacks the rank example"
	rep --by file over_lat.log
	expect_rc "values: 2^63" 2
	grep -qx 'vmlat: over_lat.log: line 1: column 2: 9223372036854775808 is out of range (at most 2^63 - 1)' err ||
		fail "values: 2^63 message: $(cat err)"
}

# fio JSON+ bins that count more IOs than the job did (issue 11.6): bad
# input naming file and key, no allocation of 9e18 samples, --hist too.
test_hostile_bins() {
	cat >huge.json <<-'EOF'
	{"fio version":"fio-3.33","jobs":[{"jobname":"j","job options":{},"read":{"total_ios":100,
	 "clat_ns":{"N":100,"min":1000,"max":1000,"mean":1000,"stddev":0,"bins":{"1000":9000000000000000000}}}}]}
	EOF
	for opt in "" --hist; do
		timeout 60 "$VMLAT" report $opt huge.json >out 2>err; rc=$?
		expect_rc "huge bins $opt" 2
		grep -qx "vmlat: huge.json: read.clat_ns.bins.1000: the bins count more IOs than the job's 100 (read.clat_ns.N)" err ||
			fail "huge bins $opt: message: $(cat err)"
	done
	sed 's/"N":100/"N":9000000000000000000/' huge.json >absurd.json
	rep absurd.json
	expect_rc "absurd N" 2
	grep -q "^vmlat: absurd.json: read.clat_ns.N: 9000000000000000000 IOs is absurd" err ||
		fail "absurd N: message: $(cat err)"
}

# A vmlat log cut short mid-record (issue 13.4): its intact records are
# used, the cut is named with its byte, exit 2.
test_cut_log() {
	"$MKLAT" cut.vmlat const:1000 10 cell=cut
	hb=$(od -An -tu4 -j16 -N4 cut.vmlat | tr -d ' ')
	truncate -s $((hb + 6 * 64 + 20)) cut.vmlat
	rep --by cell --format csv cut.vmlat
	expect_rc "cut log: exit 2" 2
	grep -q '^cut,6,' out || fail "cut log: not the 6 intact records: $(cat out)"
	grep -qx "vmlat: cut.vmlat: byte $((hb + 6 * 64 + 20)): truncated: the header counts 10 records but the file ends after 6; the 6 records before it are used" err ||
		fail "cut log: message: $(cat err)"
	rep --strict --by cell cut.vmlat
	expect_rc "cut log: --strict" 2
	[ ! -s out ] || fail "cut log: --strict printed tables"
}

test_usage() {
	rep --format nope x
	expect_rc "usage: bad format" 1
	rep --baseline platform=bm --by vms bm.vmlat
	expect_rc "usage: baseline key not a row or column key" 1
	grep -q "baseline key 'platform' is not a row or column key" err || fail "usage: baseline message"
	rep
	expect_rc "usage: no input" 1
	rep --help
	expect_rc "usage: --help" 0
	for c in n min_ns median_ns p99_9_ns ratio ci_lo p_mwu diff vcpu_moved_pct rq_p99_ns; do
		grep -q "^  $c " out || fail "usage: --help does not list column $c"
	done
}

# The same failure is worded the same way by every command (issue 13):
# git's "cannot open 'X': reason", one line, with nothing said after it.
test_messages() {
	local c want="vmlat: cannot open 'nonexistent.vmlat': No such file or directory"

	for c in dump report plot; do
		"$VMLAT" $c nonexistent.vmlat >out 2>err
		rc=$?
		expect_rc "messages: $c of a missing file" 3
		echo "$want" >expect
		diff -u expect err >&2 || fail "messages: $c words a missing file otherwise"
	done
	ok "messages: dump, report and plot say 'cannot open' alike, and only that"
	for c in dump detect report plot batch; do
		"$VMLAT" $c --bogus >out 2>err
		rc=$?
		expect_rc "messages: $c --bogus" 1
		[ "$(head -n 1 err)" = "vmlat: unknown option '--bogus'" ] ||
			fail "messages: $c words a bad option otherwise: $(cat err)"
		grep -q "^usage: vmlat $c " err || fail "messages: $c --bogus: no usage line"
	done
	ok "messages: every command words a bad option alike"
	"$VMLAT" report --format >out 2>err
	grep -qx "vmlat: option '--format' needs a value" err || fail "messages: missing value: $(cat err)"
	ok "messages: a missing value is named as such"
}

# --format md is Markdown (the README says Markdown; md is its usual name).
test_format_md() {
	rep --cols platform --format markdown --stat median bm.vmlat kvm.vmlat
	mv out expect
	rep --cols platform --format md --stat median bm.vmlat kvm.vmlat
	expect_rc "format md" 0
	mv out actual
	check "format md: the same as --format markdown"
}

test_exact_stats
test_text_golden
test_pivot
test_other_formats
test_comparisons
test_context
test_labels
test_headers
test_messages
test_format_md
test_fio_inputs
test_bad_inputs
test_cut_log
test_values
test_hostile_bins
test_usage
[ "$fails" = 0 ] || { echo "$fails failure(s)" >&2; exit 1; }
echo "all passed"
