#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test_report_escape.sh - labels and header keys from other machines' logs
# cannot break `vmlat report`'s Markdown table, put raw HTML into it, or
# send terminal escape sequences through text output or `vmlat dump`
# (issue 11, item 9).  The logs carry a platform with '|', '\', a backquote
# and a <script>, one with a newline, one with ESC [31m; one log's header
# key holds ESC itself (a key is any bytes up to '=': planted byte for byte).
. "$(dirname "$0")/plot_lib.sh"
cd "$T" || exit 1
mkdir in
ESC=$(printf '\033')
"$MKPLOT" in/a.vmlat 1000 10 20 'tag.platform=a|b\c`d<script>alert(1)</script>' \
	tag.rw=randread tag.bs=4096 || exit 1
"$MKPLOT" in/b.vmlat 2000 10 20 "$(printf 'tag.platform=x\ny')" tag.rw=randread tag.bs=4096 ||
	exit 1
"$MKPLOT" in/c.vmlat 3000 10 20 "tag.platform=${ESC}[31mred" tag.rw=randread tag.bs=4096 \
	tag.kZZZZZ=v || exit 1
# the writer refuses control bytes in keys; a log from elsewhere need not
python3 - in/c.vmlat <<'PY' || exit 1
import sys
p = sys.argv[1]
b = open(p, 'rb').read()
assert b.count(b'tag.kZZZZZ=') == 1
open(p, 'wb').write(b.replace(b'tag.kZZZZZ=', b'tag.k\x1b[31m=', 1))
PY

# --- Markdown: one cell count per table, no raw HTML, the text still there ---
"$VMLAT" report --format markdown in >md 2>err || fail "report --format markdown: $(cat err)"
grep -q '<script>' md && fail "raw <script> in the Markdown: $(grep '<script>' md)"
grep -qF 'a\|b\\c\`d&lt;script>alert(1)&lt;/script>' md ||
	fail "the '|' label is not escaped as wanted: $(cat md)"
grep -qF 'x\\x0ay' md || fail "the newline label is not shown as \\x0a: $(cat md)"
awk '
	/^\|/ { line = $0; gsub(/\\\\/, "", line); gsub(/\\\|/, "", line)
		n = gsub(/\|/, "", line)
		if (!inb) { want = n; inb = 1 } else if (n != want) bad++
		next }
	{ if (inb && $0 != "") { bad++ } inb = 0 }
	END { exit bad != 0 }' md || fail "a Markdown table row has a cell too many or a broken line: $(cat md)"
grep -q "$ESC" md && fail "ESC in the Markdown output"
ok "Markdown: '|', '\\', '\`', newline and <script> escaped, every row one cell per column"

# --- text: no ESC reaches the terminal ---
"$VMLAT" report in >txt 2>err || fail "report: $(cat err)"
grep -q "$ESC" txt err && fail "ESC in text output: $(od -c txt | grep -m1 033)"
grep -qF '\x1b[31mred' txt || fail "the ESC label is not shown as \\x1b: $(cat txt)"
ok "text: ESC shown as \\x1b"

# --- vmlat dump: the key with ESC, escaped as values are ---
"$VMLAT" dump in/c.vmlat >dump 2>err || fail "dump: $(cat err)"
grep -q "$ESC" dump && fail "ESC in vmlat dump: $(grep -a "$ESC" dump | od -c | head -3)"
grep -qxF '# tag.k\x1b[31m=v' dump || fail "the key is not escaped: $(grep -a 'tag.k' dump)"
grep -qxF '# tag.platform=\x1b[31mred' dump || fail "the value is not escaped: $(grep -a platform dump)"
ok "dump: header keys escaped like values"
finish
