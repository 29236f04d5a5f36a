#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test_plot_html.sh - `vmlat plot --html` writes one self-contained page:
# every figure inlined (each data: URI decodes to an SVG at most 1300 px
# wide, so that a 1400 px window shows it unscaled), no reference to
# anything outside the file, a table of contents whose every link has its
# anchor (a line per figure), the statistics tables and the platforms'
# context in it, where a key the runs of one platform disagree on shows
# every run's say: numbers as their range (exact past 2^53), text as the
# distinct values.  Headless Chromium then loads it offline: the DOM must
# hold the tables, the page must log no console error (a blocked script,
# a broken image) and a screenshot of a 1400 px window must come out.
# Without chromium the DOM checks run with Python's html.parser instead.
. "$(dirname "$0")/plot_lib.sh"
cd "$T" || exit 1
mkdir in

# kvm: IO i at 1000 + 1000*i (mean 50500 ns), xen: 3000 + 1000*i
for p in kvm:1000 xen:3000; do
	"$MKPLOT" "in/${p%%:*}.vmlat" "${p##*:}" 1000 100 "tag.platform=${p%%:*}" tag.cores=1 \
		tag.vms=1 tag.rw=randread tag.bs=4096 tag.load=0 ctx=1 probe.bitop_ns=2 \
		"platform.vm=${p%%:*}" platform.cpu_model=Xeon run.kernel=6.1.0-13-amd64 \
		clock.source=tsc run.mem_total_bytes=9007199254740993 || exit 1
done
# a second kvm run (writes): another kernel, more memory
"$MKPLOT" in/kvm-b.vmlat 1000 1000 100 tag.platform=kvm tag.cores=1 tag.vms=1 tag.rw=randwrite \
	tag.bs=4096 tag.load=0 platform.vm=kvm platform.cpu_model=Xeon run.kernel=6.5.0-1-amd64 clock.source=tsc \
	run.mem_total_bytes=9007199254740999 || exit 1
"$MKPLOT" in/evil.vmlat 5000 10 10 "tag.platform=<script>alert(1)</script>" tag.rw=randread \
	tag.bs=4096 tag.load=0 "run.kernel=</td><script>x()</script>" || exit 1
"$VMLAT" plot -o out --html in >out.txt 2>err || fail "plot --html: $(cat err)"
page=out/report.html
[ -s $page ] && ok "report.html written" || { fail "no report.html"; finish; }

# self-contained: the only URIs are data: images, none too wide to read
self_contained $page 1300
nfig=$(ls out/*.gp | wc -l)
expect "one image per figure" "$nfig" "$(grep -c '<img ' $page)"
grep -q '<td>Xeon</td><td>Xeon</td>' $page && ok "context: platform.cpu_model per platform" ||
	fail "context table lacks platform.cpu_model"
grep -qF '<td>9007199254740993 .. 9007199254740999 <small>(2 values)</small></td><td>9007199254740993</td>' $page &&
	grep -qF '<td>6.1.0-13-amd64 | 6.5.0-1-amd64 <small>(2 values)</small></td><td>6.1.0-13-amd64</td>' $page &&
	ok "context: keys that differ between kvm's runs shown as their range, xen's one value as is" ||
	fail "context: $(grep -o '<tr><th>run\.[^\n]*' $page | head -n 3)"

# contents: a link per section and per figure, each to an anchor of the page
contents $page "#statistics #figures #platforms" "$nfig"

# dom_check FILE: the DOM (or the page) has the tables and no script
dom_check() {
	local n
	n=$(grep -o '<table' "$1" | wc -l)
	# one statistics table per platform/cores/vms (3), the context table
	expect "$2: tables" 4 "$n"
	grep -q '<td class="n">50.50</td>' "$1" && ok "$2: kvm's mean 50.50 us in a cell" ||
		fail "$2: kvm's mean not in the table"
	expect "$2: no script element" 0 "$(grep -ci '<script' "$1")"
}

page_dom "$page" dom.html
dom_check dom.html "$DOM_BY"
if [ "$DOM_BY" = chromium ]; then
	chrome --screenshot="$T/shot.png" --window-size=1400,2400 "file://$T/$page" >/dev/null ||
		fail "chromium --screenshot failed"
	magic shot.png png
	w=$(od -An -tu1 -j16 -N8 shot.png | awk '{ print $3 * 256 + $4, $7 * 256 + $8 }')
	expect "screenshot size" "1400 2400" "$w"
	no_console_errors
fi

# README's example, word for word, on logs that carry no platform label
mkdir bm kvm
"$MKPLOT" bm/a.vmlat 100000 0 100 tag.rw=randread tag.bs=4096 tag.load=0 || exit 1
"$MKPLOT" kvm/a.vmlat 200000 0 100 tag.rw=randread tag.bs=4096 tag.load=0 || exit 1
vmlat() { "$VMLAT" "$@"; }
vmlat plot -o plots --html --label platform=bm bm/ --label platform=kvm kvm/ >/dev/null ||
	fail "README example"
expect "README example: bm and kvm bars" "bm 100000 kvm 200000" \
	"$(grep -v '^#' plots/minmax-load-0.dat | awk -F'\t' 'NF { printf "%s%s %s", s, $9, $8; s = " " }')"
[ -s plots/report.html ] && ok "README example: report.html" || fail "README example: no page"
finish
