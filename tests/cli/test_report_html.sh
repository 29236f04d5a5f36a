#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test_report_html.sh - `vmlat report --html FILE` writes one
# self-contained page: a table of contents linking every section and
# figure, the report's table (the pivot, as in text), the run context from
# the headers, every figure of `vmlat plot` inlined as SVG and the
# platforms' detected context; the temporary figure directory is gone
# afterwards.  Headless Chromium then loads the page offline: the DOM must
# hold the tables with the known numbers, no script, no console error.
# Without chromium the DOM checks run with Python's html.parser instead.
. "$(dirname "$0")/plot_lib.sh"
cd "$T" || exit 1
mkdir in tmp

# kvm: IO i at 1000 + 1000 i, i = 0..99 (min 1.00, mean 50.50, max 100.00
# us; median rank 50: 50000); xen: 3000 + 1000 i (median 52000, ratio
# 52000/50000 = 1.040).  probe.bitop_ns 2 and 4, clock.cost_ns 20 and 30.
for p in kvm:1000:2:20 xen:3000:4:30; do
	IFS=: read -r name a bit cost <<<"$p"
	"$MKPLOT" "in/$name.vmlat" "$a" 1000 100 "tag.platform=$name" tag.cores=1 tag.vms=1 \
		tag.rw=randread tag.bs=4096 tag.load=0 ctx=1 "probe.bitop_ns=$bit" \
		"clock.cost_ns=$cost" clock=tsc "platform.vm=$name" platform.cpu_model=Xeon || exit 1
done
"$MKPLOT" in/evil.vmlat 5000 10 10 "tag.platform=<script>alert(1)</script>" tag.rw=randread \
	tag.bs=4096 tag.load=0 "run.kernel=</td><script>x()</script>" || exit 1

TMPDIR=$T/tmp "$VMLAT" report --html page.html --baseline platform=kvm in >out 2>err
expect "report --html: exit" 0 "$?"
expect "report --html: nothing on stdout" "" "$(cat out)"
page=page.html
[ -s $page ] && ok "page written" || { fail "no page: $(cat err)"; finish; }
expect "the temporary figure directory is removed" "" "$(ls tmp)"
expect "captions name no removed file" 0 "$(grep -c 'Files: ' $page)"

# self-contained: the only URIs are data: images, each an SVG
self_contained $page
# contents: the four sections (the run context too: the headers have
# probes), a link per figure, every link to an anchor of the page
contents $page "#statistics #run-context #figures #platforms" "$(grep -c '<figure id=' $page)"
# the same figures as vmlat plot draws (--figures keeps them: one per .gp)
"$VMLAT" report --html page2.html --figures figs --baseline platform=kvm in 2>/dev/null
expect "--figures: one image per figure file" "$(ls figs/*.gp | wc -l)" "$(grep -c '<img ' page2.html)"
expect "--figures: captions name the files" "$(ls figs/*.gp | wc -l)" "$(grep -c 'Files: ' page2.html)"
"$VMLAT" plot -o plots in >/dev/null 2>&1
expect "--figures: the figures of vmlat plot" "$(cd plots && ls *.gp)" "$(cd figs && ls *.gp)"
"$VMLAT" report --html page3.html --no-figures in 2>/dev/null
expect "--no-figures: no image" 0 "$(grep -c '<img ' page3.html)"

# dom_check FILE WHAT: the DOM (or the parsed page) has the tables and no script
dom_check() {
	expect "$2: tables (pivot, run context, detected context)" 3 "$(grep -o '<table' "$1" | wc -l)"
	grep -q '<th colspan="5">kvm/1/1</th>' "$1" && ok "$2: a column group per platform" ||
		fail "$2: no kvm/1/1 group"
	grep -q '<td class="n">50.50</td>' "$1" && ok "$2: kvm's mean 50.50 us" ||
		fail "$2: kvm's mean not in the table"
	grep -q '<td class="n">1.040</td>' "$1" && ok "$2: xen's ratio 1.040" ||
		fail "$2: xen's ratio not in the table"
	grep -q '<td>probe.bitop_ns</td><td class="n">2</td><td class="n">4</td>' "$1" &&
		ok "$2: run context" || fail "$2: probe.bitop_ns row"
	grep -q '<td>Xeon</td><td>Xeon</td>' "$1" && ok "$2: detected context" ||
		fail "$2: platform.cpu_model"
	expect "$2: no script element" 0 "$(grep -ci '<script' "$1")"
}

page_dom "$page" dom.html
dom_check dom.html "$DOM_BY"
[ "$DOM_BY" != chromium ] || no_console_errors

# errors: a page that cannot be written, a bad option
"$VMLAT" report --html "$T/no/such/dir/p.html" --no-figures in >/dev/null 2>err
expect "unwritable page: exit" 3 "$?"
grep -q "cannot open '$T/no/such/dir/p.html'" err && ok "unwritable page: named" ||
	fail "unwritable page message: $(cat err)"
finish
