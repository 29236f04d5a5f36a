#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: every command README.md prints (each `$ ` line of its code
# blocks, with its continuation lines) works as printed in a fresh clone
# that is not where the README's author had it, and so does every command
# `make demo` tells its user to try ("demo: try:" lines), from another
# directory.  Each code block starts in the clone's root, as the README
# says; the blocks run in order in one shell, so the README's own `export
# PATH=...` line is what puts `vmlat` on the PATH.  The worked example's
# output must match the README in what does not depend on the machine: the
# CSV header, each IO's seq, direction, offset, length and error, and fio's
# direction, size and offset (--randseed fixes the offsets).  The README's
# `bm/`, `kvm/` and `fio/` are made here from two 50-IO runs.  Commands
# that boot QEMU guests are left to the tests that boot them, by the table
# SKIP below: a new `$ ` line that needs a guest must be added there.
# The clone gets this tree's build (the engine, vmlat and build/fio-src,
# newer than the sources) so that `make demo` builds nothing: the build
# itself is everyone else's test.
. "$(dirname "$0")/../lib.sh"
[ -x "$ENGINE" ] && [ -x "$VMLAT" ] || fail "build first: make"
command -v git >/dev/null || skip "git is not installed"
git -C "$TOP" rev-parse --git-dir >/dev/null 2>&1 || skip "$TOP is not a git clone: nothing to clone"
# The README's commands run the `fio` on PATH with the default build: under
# another FIO (make check-fio-new) they are not what a reader would run.
[ "$(readlink -f "$(command -v "$FIO")")" = "$(readlink -f "$(command -v fio)")" ] ||
	skip "FIO=$FIO is not the fio on PATH, which the README's commands run"

# pattern (bash glob on the command) | why it is not run here
SKIP='scripts/guest/guest-up.sh *|boots a QEMU guest: test_study.sh and test_guest_*.sh do
fio --client=*|needs the guest of guest-up.sh
scripts/guest/guest-down.sh *|needs the guest of guest-up.sh
scripts/guest/xen-run.sh *|boots Xen, dom0 and a domU: test_xen_pv.sh does
make study|boots QEMU guests for minutes: test_study.sh runs scripts/study.sh'

C=$T/src/vmlat-clone
git clone -q "$TOP" "$C" || fail "git clone $TOP failed"
# the tree's uncommitted edits to tracked files, so the README under test is this one
git -C "$TOP" diff HEAD --binary >"$T/tree.diff"
[ ! -s "$T/tree.diff" ] || git -C "$C" apply "$T/tree.diff" || fail "cannot apply the tree's edits to the clone"
mkdir -p "$C/build"
cp -a "$TOP/build/fio-src" "$TOP/build/fio-version" "$C/build/"
cp "$ENGINE" "$C/engine/vmlat.so"
cp "$VMLAT" "$C/analysis/vmlat"
touch "$C/build/fio-version" "$C/engine/vmlat.so" "$C/analysis/vmlat"

# the README's bm/, kvm/ (a vmlat log each) and fio/ (fio's JSON of both)
mkdir -p "$C/bm" "$C/kvm" "$C/fio"
for p in bm kvm; do
	(cd "$C/$p" && "$FIO" --name=cell --ioengine="external:$C/engine/vmlat.so" --filename="$T/scratch" \
		--size=16M --rw=randread --bs=4k --number_ios=50 --randseed=1 --vmlat_probes=0 \
		--output-format=json --output="$C/fio/$p.json") >"$T/$p.out" 2>&1 || fail "fio for $p/: $(cat "$T/$p.out")"
done

# README.md -> $T/cmd.N (the command), $T/want.N (the lines printed after
# it), $T/block.N (its code block's number)
awk -v d="$T" '
	/^```/ { inb = !inb; blk++; cur = ""; next }
	!inb { next }
	cont { print > (d "/cmd." n); cont = /\\$/; next }
	/^\$ / { n++; sub(/^\$ /, ""); print > (d "/cmd." n); print blk > (d "/block." n)
		 printf "" > (d "/want." n); cont = /\\$/; cur = n; next }
	cur != "" { print > (d "/want." cur) }
	END { print n + 0 > (d "/count") }' "$TOP/README.md"
count=$(cat "$T/count")
[ "$count" -ge 5 ] || fail "only $count commands found in README.md"

# one shell for all: each block's commands from the clone's root
{
	echo "exec </dev/null"
	prev=
	for i in $(seq "$count"); do
		cmd=$(cat "$T/cmd.$i") why=
		while IFS='|' read -r pat reason; do
			# shellcheck disable=SC2053
			[[ $cmd == $pat ]] && why=$reason && break
		done <<<"$SKIP"
		if [ -n "$why" ]; then
			printf 'echo "%s" > %q; echo skip > %q\n' "${why//\"/}" "$T/out.$i" "$T/rc.$i"
			continue
		fi
		[ "$(cat "$T/block.$i")" = "$prev" ] || printf 'cd %q\n' "$C"
		prev=$(cat "$T/block.$i")
		printf '{ %s\n} > %q 2>&1; echo $? > %q\n' "$cmd" "$T/out.$i" "$T/rc.$i"
	done
} > "$T/readme.sh"
env -i HOME="$HOME" PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" LC_ALL=C \
	bash "$T/readme.sh" || fail "the README's commands as one script: exit $?"

ran=0 skipped=0
for i in $(seq "$count"); do
	cmd=$(head -n 1 "$T/cmd.$i")
	rc=$(cat "$T/rc.$i" 2>/dev/null)
	if [ "$rc" = skip ]; then
		skipped=$((skipped + 1))
		echo "not run: $cmd ($(cat "$T/out.$i"))"
		continue
	fi
	[ "$rc" = 0 ] || fail "README command exits ${rc:-?}: $(cat "$T/cmd.$i")
$(tail -n 20 "$T/out.$i" 2>/dev/null)"
	[ -s "$T/out.$i" ] || [[ $cmd == mkdir* || $cmd == export* || $cmd == fio* ]] ||
		fail "README command printed nothing: $cmd"
	ran=$((ran + 1))
done
ok "$ran README commands ran as printed in $C ($skipped need guests)"

# same FIELDS (comma-separated) of the README's printed lines and the real ones
same_fields() { # i fields...
	local i=$1
	shift
	[ "$(wc -l < "$T/want.$i")" = "$(wc -l < "$T/out.$i")" ] ||
		fail "$(head -n 1 "$T/cmd.$i"): $(wc -l < "$T/out.$i") lines, the README shows $(wc -l < "$T/want.$i")"
	paste -d '\n' "$T/want.$i" "$T/out.$i" | awk -F', *' -v f="$*" '
		NR % 2 { split($0, w); nw = NF; next }
		{ if (NF != nw) bad = bad "\n" $0 " has " NF " fields, not " nw
		  n = split(f, k, " ")
		  for (j = 1; j <= n; j++) if ($(k[j]) != w[k[j]]) bad = bad "\nfield " k[j] ": " $(k[j]) " vs " w[k[j]] }
		END { if (bad != "") { print substr(bad, 2); exit 1 } }' >"$T/diff" ||
		fail "$(head -n 1 "$T/cmd.$i"): output differs from the README: $(cat "$T/diff")"
}
checked=0
for i in $(seq "$count"); do
	[ -s "$T/want.$i" ] && [ "$(cat "$T/rc.$i")" != skip ] || continue
	cmd=$(head -n 1 "$T/cmd.$i")
	case $cmd in
	"vmlat dump cell.1.vmlat"*) same_fields "$i" 1 2 3 4 7 ;;
	"head -2 fio_clat.1.log"*) same_fields "$i" 3 4 5 ;;
	*) fail "README: no rule says which of the output of '$cmd' is this machine's and which must match" ;;
	esac
	checked=$((checked + 1))
done
[ $checked -ge 2 ] || fail "the worked example's output was not compared"
ok "worked example: the header, offsets and sizes the README shows"

# make demo in the clone, then each of its "demo: try:" lines from elsewhere
t0=$(date +%s)
(cd "$C" && make demo) >"$T/demo.out" 2>&1 || fail "make demo in the clone: $(tail -n 20 "$T/demo.out")"
t_demo=$(($(date +%s) - t0))
grep '^demo: try: ' "$T/demo.out" | sed 's/^demo: try: //' >"$T/try"
[ "$(wc -l < "$T/try")" -ge 2 ] || fail "make demo suggests no commands: $(tail -n 5 "$T/demo.out")"
n=0
while IFS= read -r cmd; do
	n=$((n + 1))
	(cd "$T" && env -i PATH=/usr/bin:/bin LC_ALL=C bash -c "$cmd") >"$T/try.$n" 2>&1 </dev/null ||
		fail "make demo's '$cmd' exits $?: $(tail -n 5 "$T/try.$n")"
	[ -s "$T/try.$n" ] || fail "make demo's '$cmd' printed nothing"
done <"$T/try"
grep -q '^seq,ddir,offset' "$T/try.1" || fail "the demo's dump command: $(head -n 3 "$T/try.1")"
ok "make demo in the clone ($t_demo s); its $n 'demo: try:' commands run as printed from another directory"
