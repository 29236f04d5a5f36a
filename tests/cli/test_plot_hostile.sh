#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test_plot_hostile.sh - labels from other machines cannot make `vmlat
# plot` run a command, inject script into its HTML or write outside its
# output directory.  Every label, key and probe name below tries one way
# in through gnuplot (closing a quoted string, backquotes, !, a pipe, a
# macro, a newline that starts a new command) or through file names and
# HTML; the real gnuplot draws every figure, and afterwards nothing may
# exist that those commands would have made.
. "$(dirname "$0")/plot_lib.sh"
cd "$T" || exit 1
mkdir in out pwn
P=$T/pwn

hostile=(
	"a'; system(\"touch $P/quote\"); '"
	"\`touch $P/backquote\`"
	"!touch $P/bang"
	"| touch $P/pipe"
	"\$(touch $P/dollar)"
	"@x system('touch $P/macro')"
	$'nl\nsystem("touch '"$P"'/newline")\n'
	"<script>alert(1)</script>"
	"\"><img src=x onerror=alert(2)>"
)
i=0
for h in "${hostile[@]}"; do
	i=$((i + 1))
	# as a platform (categories, lines, HTML), as rw (panel titles) and as
	# a load level (figure titles and file names)
	"$MKPLOT" "in/h$i.vmlat" $((i * 1000)) 10 20 "tag.platform=$h" tag.cores=1 tag.vms=1 \
		"tag.rw=$h" tag.bs=4096 "tag.load=$h" "tag.host=$h" \
		"probe.x$i';system(\"touch\\040$P/probe\");'=5" "platform.vm=$h" "run.note=$h" \
		"tag.k\`touch\\040$P/key\`';system(\"touch\\040$P/key\");'=$h" || exit 1
done
# header keys cannot hold spaces (lib/vlog.c), so the hostile keys use
# gnuplot's octal escape \040 inside a double-quoted string instead
# names that sanitize alike, and ones that climb out of the directory
for l in 'a/b' 'a:b' '../../../escape' '.hidden' "$(printf 'x%.0s' {1..300})"; do
	i=$((i + 1))
	"$MKPLOT" "in/h$i.vmlat" 1000 10 20 tag.platform=p tag.rw=randread tag.bs=4096 "tag.load=$l" || exit 1
done

sleep 1 # find -newer has a resolution of one second on some file systems
touch stamp
"$VMLAT" plot -o out --html --series host in >log 2>&1
rc=$?
expect "plot exits 0" 0 "$rc"
"$VMLAT" plot -o out --series "k\`touch\\040$P/key\`';system(\"touch\\040$P/key\");'" in >>log 2>&1
rc=$?
expect "plot exits 0" 0 "$rc"
# long labels only make gnuplot say it has little room for them
grep -v 'difficulty making room for xtic labels' log | grep -i 'warning\|error\|fail' &&
	fail "gnuplot or vmlat complained (see above)"
expect "nothing ran" "" "$(ls -A pwn)"
outside=$(find "$T" -mindepth 1 -newer stamp ! -path "$T/out" ! -path "$T/out/*" ! -path "$T/pwn" ! -name log)
expect "nothing written outside the output directory" "" "$outside"
bad=$(ls -A out | grep -v '^[A-Za-z0-9_-][A-Za-z0-9._-]*$')
expect "every output name is [A-Za-z0-9._-], no leading dot" "" "$bad"
[ -e out/minmax-load-a_b.png ] && [ -e out/minmax-load-a_b-2.png ] &&
	ok "names that sanitize alike both kept" || fail "collision: $(ls out | grep a_b)"
ls out | awk 'length > 100 { print; bad = 1 } END { exit bad }' && ok "names are bounded" ||
	fail "a name is too long"
n=$(ls out/*.png | wc -l)
[ "$n" -ge 40 ] && ok "$n figures drawn" || fail "only $n figures drawn"
before=$fails
for f in out/*.png; do magic "$f" png >/dev/null; done
expect "every PNG is one" "$before" "$fails"

# the literal text is in the figure, harmless: gnuplot's SVG shows it
grep -q "touch $P/backquote" out/minmax-load-2.svg 2>/dev/null ||
	grep -rqF "touch $P/backquote" out --include='*.svg' && ok "hostile text drawn as text" ||
	fail "hostile text not found in any SVG"
# HTML: no script element, no attribute injection; the text is escaped
html=out/report.html
expect "no <script in the page" 0 "$(grep -ci '<script' $html)"
expect "no injected <img" 0 "$(grep -c '<img src=x' $html)"
grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' $html && ok "script text escaped" ||
	fail "escaped script text missing"
grep -q "Content-Security-Policy\" content=\"default-src 'none'" $html && ok "CSP forbids scripts" ||
	fail "no CSP"
finish
