#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test_plot.sh - every figure of `vmlat plot` drawn by the real gnuplot in
# PNG, SVG and PDF, and the numbers each plotted data file holds checked
# against the known values of the generated logs (tests/cli/mkplot.c: IO i
# has latency A + i*S, so min, quartiles, mean and max are exact).
#
#   VMLAT=path/to/vmlat  (default analysis/vmlat)   BUILD=dir  (default build)
. "$(dirname "$0")/plot_lib.sh"
cd "$T" || exit 1
mkdir in

# Study A cells: A = base(platform) + cores*100000 + load*10000 (+500 for
# writes), S = 1000, 100 IOs, with per-IO context and a context header.
declare -A base=([kvm]=1000 [xen]=7000)
for p in kvm xen; do for c in 1 2; do for rw in randread randwrite; do for l in 0 2; do
	w=0; [ $rw = randwrite ] && w=500
	a=$((base[$p] + c * 100000 + l * 10000 + w))
	"$MKPLOT" "in/$p-$c-$rw-$l.vmlat" $a 1000 100 tag.platform=$p tag.cores=$c tag.vms=1 \
		tag.rw=$rw tag.bs=4096 tag.load=$l tag.load_kind=io target.0.kind=block ctx=1 \
		probe.bitop_ns=1.$c probe.cpu_model=Xeon platform.vm=$p platform.cpus=$c \
		run.kernel=6.1.$c clock.source=tsc || exit 1
done; done; done; done
# a probe only xen has
"$MKPLOT" in/xen-tcp.vmlat 1000 1 1 tag.platform=xen probe.tcp_rtt_same_cpu_ns=25000 fig=probe
# Fig. 5: 200 IOs per load level, A = 50000*load, S = 10
for l in 1 2 4; do
	"$MKPLOT" "in/fig5-$l.vmlat" $((50000 * l)) 10 200 tag.platform=kvm tag.cores=1 tag.vms=1 \
		tag.rw=randread tag.bs=4096 tag.load=$l tag.load_kind=io tag.fig=5 || exit 1
done
# Fig. 6: the file side of kvm/1/1 randread load 2
"$MKPLOT" in/fig6.vmlat 5000 10 100 tag.platform=kvm tag.cores=1 tag.vms=1 tag.rw=randread \
	tag.bs=4096 tag.load=2 tag.load_kind=io tag.fig=6 tag.target=file target.0.kind=file || exit 1
# Fig. 7: one platform with a host-mode label
for m in single:3000 multi:4000 desktop:90000; do
	"$MKPLOT" "in/host-${m%%:*}.vmlat" "${m##*:}" 100 50 tag.platform=kvmhost tag.cores=1 \
		tag.vms=1 tag.rw=randwrite tag.bs=4096 tag.load=0 tag.load_kind=io tag.host=${m%%:*} || exit 1
done

start=$(date +%s)
"$VMLAT" plot -o png --series host in >out 2>err; rc=$?
expect "png run: exit code" 0 "$rc"
[ -s err ] && fail "png run said: $(cat err)"
"$VMLAT" plot -o svg --format svg --series host in >/dev/null 2>err || fail "svg run: $(cat err)"
"$VMLAT" plot -o pdf --format pdf --series host in >/dev/null 2>err || fail "pdf run: $(cat err)"
echo "three runs took $(( $(date +%s) - start )) s"

figs="minmax-load-0-load_kind-io minmax-load-2-load_kind-io minmax-zoom-load-0-load_kind-io
      minmax-zoom-load-2-load_kind-io byindex-platform-kvm-cores-1-vms-1-rw-randread-bs-4096
      target series cdf-load-0-load_kind-io cdf-load-2-load_kind-io rq-load-0-load_kind-io
      rq-load-2-load_kind-io cpu-load-0-load_kind-io cpu-load-2-load_kind-io probes"
for f in $figs; do
	for fmt in png svg pdf; do
		magic "$fmt/$f.$fmt" $fmt
		[ -s "$fmt/$f.dat" ] && [ -s "$fmt/$f.gp" ] || fail "$fmt/$f: no .dat or .gp beside it"
	done
done
expect "png run: summary line" "vmlat: 14 figures in png (14 drawn)" "$(cat out)"
cmp -s png/minmax-load-0-load_kind-io.dat pdf/minmax-load-0-load_kind-io.dat ||
	fail "the data does not depend on the format"

# Figs. 2-4: x n min p25 median p75 max mean, for A = 1000 + 100000 + 0
d=png/minmax-load-0-load_kind-io.dat
expect "fig2 kvm/1/1 read" "0 100 101000 125000 150000 175000 200000 150500" \
	"$(row $d 'rw=randread, bs=4096' kvm/1/1 | tr '\t' ' ')"
expect "fig2 xen/2/1 write" "3 100 207500 231500 256500 281500 306500 257000" \
	"$(row $d 'rw=randwrite, bs=4096' xen/2/1 | tr '\t' ' ')"
expect "fig4 kvm/2/1 read, load 2" "1 100 221000 245000 270000 295000 320000 270500" \
	"$(row png/minmax-load-2-load_kind-io.dat 'rw=randread, bs=4096' kvm/2/1 | tr '\t' ' ')"
grep -q "^yhi = 2$" png/minmax-zoom-load-0-load_kind-io.gp && grep -q "^unit = 1000000$" \
	png/minmax-zoom-load-0-load_kind-io.gp && ok "fig8: 0-2 ms" || fail "fig8: not zoomed to 0-2 ms"

# Fig. 5: a line per load, IO i at 50000*load + 10*i, in order
d=png/byindex-platform-kvm-cores-1-vms-1-rw-randread-bs-4096.dat
expect "fig5 lines" 3 "$(grep -c '^# line' $d)"
expect "fig5 load=4 has 200 IOs" 200 "$(block $d load=4 | wc -l)"
expect "fig5 load=2 IO 17" "17 100170" "$(block $d load=2 | sed -n 18p | tr '\t' ' ')"

# Fig. 6: the file cell beside the raw ones, only where both exist
d=png/target.dat
expect "fig6 panels" 1 "$(grep -c '^# panel' $d)"
expect "fig6 file" "100 5000 5240 5490 5740 5990 5495" \
	"$(row $d 'rw=randread, bs=4096, load=2, load_kind=io' kvm/1/1/file | cut -f2- | tr '\t' ' ')"
expect "fig6 block" "100 121000 145000 170000 195000 220000 170500" \
	"$(row $d 'rw=randread, bs=4096, load=2, load_kind=io' kvm/1/1/block | cut -f2- | tr '\t' ' ')"

# Fig. 7: a category per host mode
d=png/series.dat
expect "fig7 desktop" "50 90000 91200 92400 93700 92450" \
	"$(row $d 'platform=kvmhost, cores=1, vms=1, rw=randwrite, bs=4096, load=0, load_kind=io' desktop |
	   cut -f2,3,4,5,6,8 | tr '\t' ' ')"

# CDF: 100 steps, the 50th at the median
d=png/cdf-load-0-load_kind-io.dat
b=$(block $d 'platform=xen, cores=1, vms=1' | head -n 100)
expect "cdf steps" 100 "$(echo "$b" | wc -l)"
expect "cdf median" "156000 0.5" "$(echo "$b" | sed -n 50p | tr '\t' ' ')"
expect "cdf end" "206000 1" "$(echo "$b" | sed -n 100p | tr '\t' ' ')"

# run-queue delay: IO i at (10*(i+1), A + 1000*i)
d=png/rq-load-2-load_kind-io.dat
expect "rq IO 9" "100 230000" "$(block $d 'platform=kvm, cores=2, vms=1' | sed -n 10p | tr '\t' ' ')"

# per vCPU: even IOs on cpu0, odd on cpu1
d=png/cpu-load-0-load_kind-io.dat
expect "cpu0" "50 101000 149000 199000 150000" \
	"$(row $d 'rw=randread, bs=4096' 'kvm/1/1 cpu0' | cut -f2,3,5,7,8 | tr '\t' ' ')"
expect "cpu1" "50 102000 150000 200000 151000" \
	"$(row $d 'rw=randread, bs=4096' 'kvm/1/1 cpu1' | cut -f2,3,5,7,8 | tr '\t' ' ')"

# Study B: the numeric probes, a bar per platform (mean of its runs)
d=png/probes.dat
expect "probe kvm" "8 1.1 1.2 1.15" "$(row $d probe.bitop_ns kvm | cut -f2,3,7,8 | tr '\t' ' ')"
expect "probe xen only" "1 25000" "$(row $d probe.tcp_rtt_same_cpu_ns xen | cut -f2,8 | tr '\t' ' ')"
grep -q cpu_model $d && fail "a non-numeric probe was plotted" || ok "non-numeric probe left out"

# Read at a glance: titles in words (KiB, no internal key like
# load_kind=io), a log axis for a panel that spans a decade (above: the
# reads from 101 to 320 us do not; the writes do, with Fig. 7's 3 us host
# cells among them), what the zoomed figure clips marked with
# its value (in gnuplot's own SVG text), the per-vCPU axis named for vCPUs.
# A cell from 20 us to 19.82 ms in steps of 2 ms: mean 9.92 ms.
mkdir wide
"$MKPLOT" wide/a.vmlat 20000 200000 100 tag.platform=kvm tag.rw=randread tag.bs=16384 tag.load=2 \
	tag.load_kind=io || exit 1
"$VMLAT" plot -o wide.svg --format svg wide >/dev/null 2>err || fail "wide: $(cat err)"
g=wide.svg/minmax-load-2-load_kind-io.gp
grep -qx "figtitle = 'Min, mean and max latency: 2 IO load jobs'" $g &&
	grep -qxF "array ptitle[1] = ['randread, 16 KiB']" $g && ok "titles in words" ||
	fail "titles: $(grep -E '^(figtitle|array ptitle)' $g)"
grep -qxF "array logy[1] = [1]" $g && grep -qxF "array logy[2] = [0, 1]" png/minmax-load-0-load_kind-io.gp &&
	ok "log axis where a panel spans a decade, linear where not" ||
	fail "logy: $(grep -h '^array logy' $g png/minmax-load-0-load_kind-io.gp)"
grep -q '>mean 9.92, max 19.82 ms<' wide.svg/minmax-zoom-load-2-load_kind-io.svg &&
	grep -q '>above the axis<' wide.svg/minmax-zoom-load-2-load_kind-io.svg &&
	! grep -q '>above the axis<' svg/minmax-zoom-load-0-load_kind-io.svg &&
	ok "zoomed: the clipped mean and max marked with their values" ||
	fail "zoomed figure: no mark of the values above 2 ms"
grep -qx "xlabel = 'vCPU the IO was submitted on'" png/cpu-load-0-load_kind-io.gp &&
	ok "per-vCPU axis names the vCPU" || fail "per-vCPU axis: $(grep '^xlabel' png/cpu-load-0-load_kind-io.gp)"

# the script redraws by itself in the output directory
(cd png && rm -f probes.png && gnuplot probes.gp) && magic png/probes.png png

# usage errors
for args in "--format gif in" "" "--zoom 2:1 in" "--bogus in"; do
	# shellcheck disable=SC2086
	"$VMLAT" plot -o u $args >/dev/null 2>&1
	expect "usage error: plot $args" 1 $?
done
"$VMLAT" plot -o u /dev/null >/dev/null 2>&1
expect "no samples: exit 2" 2 $?
"$VMLAT" plot --gnuplot /nonexistent/gnuplot -o g in >/dev/null 2>err
expect "no gnuplot: exit 3" 3 $?
grep -q "cannot run /nonexistent/gnuplot" err && ok "says gnuplot cannot run" || fail "$(cat err)"
"$VMLAT" plot --no-render -o nr in >/dev/null 2>&1 && [ -s nr/probes.gp ] && [ ! -e nr/probes.png ] &&
	ok "--no-render: scripts, no images" || fail "--no-render"
finish
