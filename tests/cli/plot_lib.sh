# SPDX-License-Identifier: GPL-2.0-or-later
#
# plot_lib.sh - shared by the `vmlat plot` and HTML page tests (bash;
# source it): it sources the shared prologue (tests/lib.sh), needs mkplot
# and gnuplot, and adds the helpers below.  Every test counts failures and
# exits 1 if any.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
keep_going
need "$VMLAT" "$MKPLOT"
command -v gnuplot >/dev/null || skip "gnuplot is not installed (scripts/deps.sh installs gnuplot-nox)"

# magic FILE FMT: FILE starts as a FMT file should and is not trivially small
magic() {
	local head size
	[ -f "$1" ] || { fail "$1: missing"; return; }
	size=$(stat -c %s "$1")
	head=$(head -c 8 "$1" | od -An -c | tr -d ' \n')
	case $2 in
	png) [ "$head" = '211PNG\r\n032\n' ] || { fail "$1: not a PNG ($head)"; return; } ;;
	pdf) [ "${head:0:4}" = '%PDF' ] || { fail "$1: not a PDF ($head)"; return; } ;;
	svg) grep -q '<svg' "$1" || { fail "$1: no <svg"; return; } ;;
	esac
	[ "$size" -gt 3000 ] || { fail "$1: only $size bytes"; return; }
	ok "$(basename "$1"): $2, $size bytes"
}

# row FILE PANEL LABEL: the data row of category LABEL in the block whose
# "# panel N: PANEL" comment matches (tab-separated, label last)
row() {
	awk -F'\t' -v panel="$2" -v label="$3" '
		/^# panel [0-9]+: / { sub(/^# panel [0-9]+: /, ""); inp = ($0 == panel); next }
		inp && $NF == label { NF--; OFS = "\t"; $1 = $1; print; exit }' "$1"
}

# block FILE TITLE: the data lines of the line block "# line N: TITLE"
block() {
	awk -v title="$2" '
		/^# line [0-9]+: / { sub(/^# line [0-9]+: /, ""); inb = ($0 == title); next }
		/^#/ || /^$/ { next }
		inb { print }' "$1"
}

# expect NAME WANT GOT
expect() {
	if [ "$2" = "$3" ]; then ok "$1"; else fail "$1: got '$3', want '$2'"; fi
}

# chrome ARGS...: headless chromium with this test's own profile; its log
# (console messages, CSP refusals) goes to chrome.err
chrome() {
	timeout 120 chromium --headless --disable-gpu --no-sandbox --no-first-run \
		--user-data-dir="$T/chrome" --enable-logging=stderr --v=0 "$@" 2>>chrome.err
}

# page_dom PAGE OUT: PAGE's DOM into OUT, from chromium when it is installed,
# else from Python's html.parser (tags with their class and colspan, cells
# on one line); DOM_BY says which.  Exits 77 when neither is there.
page_dom() {
	if command -v chromium >/dev/null; then
		DOM_BY=chromium
		chrome --dump-dom "file://$T/$1" >"$2" || fail "chromium --dump-dom failed"
		return
	fi
	command -v python3 >/dev/null || { echo "skip: neither chromium nor python3 to parse the page"; exit 77; }
	echo "note: chromium is not installed (scripts/deps.sh installs it): DOM checked by html.parser"
	DOM_BY=html.parser
	python3 - "$1" >"$2" <<'PY' || fail "html.parser"
import html, sys
from html.parser import HTMLParser
class P(HTMLParser):
    def handle_starttag(self, tag, attrs):
        a = "".join(' %s="%s"' % (k, v) for k, v in attrs if k in ("class", "colspan"))
        print("<%s%s>" % (tag, a), end="")
    def handle_data(self, d):
        print(html.escape(d, quote=False), end="")
    def handle_endtag(self, tag):
        print("</%s>" % tag, end="" if tag in ("td", "th") else "\n")
P().feed(open(sys.argv[1], encoding="utf-8").read())
PY
}

# no_console_errors: chromium logged no console message or CSP refusal
no_console_errors() {
	grep -i 'CONSOLE\|Refused to\|Uncaught' chrome.err && fail "the page logged errors" ||
		ok "no console error"
}

# self_contained PAGE [MAX_WIDTH]: the page's only URIs are data: images,
# each an SVG (MAX_WIDTH: at most that many px wide)
self_contained() {
	local uri bad=0 wide=0 w
	expect "no external reference" "" "$(grep -o '\(src\|href\)="[^d#][^"]*"' "$1")"
	while read -r uri; do
		printf '%s' "${uri#base64,}" | base64 -d 2>/dev/null >img.svg
		grep -q '<svg' img.svg || bad=$((bad + 1))
		[ -n "${2:-}" ] || continue
		w=$(tr '\n' ' ' <img.svg | grep -o '<svg[^>]* width="[0-9]*' | head -n 1 | sed 's/.*width="//')
		[ "${w:-99999}" -le "$2" ] || wide=$((wide + 1))
	done < <(grep -o 'base64,[^"]*' "$1")
	expect "every inlined image decodes to an SVG" 0 "$bad"
	[ -z "${2:-}" ] ||
		expect "no figure wider than $2 px (scaled down, hence illegible, in a 1400 px window)" 0 "$wide"
}

# contents PAGE SECTIONS NFIG: the table of contents links the sections
# SECTIONS ("#a #b ...", in order) and NFIG figures, and every link of the
# page has its anchor
contents() {
	local toc a missing=0
	toc=$(sed -n '/<nav class="toc">/,/<\/nav>/p' "$1")
	expect "contents: sections" "$2" \
		"$(grep -o 'href="#[a-z-]*"' <<<"$toc" | grep -v '#fig-' | cut -d'"' -f2 | tr '\n' ' ' | sed 's/ $//')"
	expect "contents: a link per figure" "$3" "$(grep -c 'href="#fig-' <<<"$toc")"
	for a in $(grep -o 'href="#[^"]*"' "$1" | cut -d'#' -f2 | tr -d '"'); do
		grep -q "id=\"$a\"" "$1" || missing=$((missing + 1))
	done
	expect "every link of the contents has its anchor" 0 "$missing"
}
