#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: the engine refuses, at init and before any IO, to run inside a
# fio of another release than the one it was built against, even when fio
# itself accepts it (same FIO_IOOPS_VERSION), and names both releases; and
# it runs in the fio it was built for.  Without the check such an engine
# runs, exits 0 and reads fio's structs at another release's offsets
# (issue 14: built for 3.38, loaded by 3.39, issue_ns = 0 for every IO).
#
# Honest limits: the real pairs of releases that share an ioops version
# (3.30-3.33: 31, 3.38/3.39: 36, 3.41/3.42: 39) cannot both be had from
# Debian here (bookworm serves 3.33, sid 3.41, trixie's 3.39 is listed but
# not served), so the other fio is a stand-in: a real fio binary built from
# a copy of the very tree the engine was built against, with only its
# version string changed (fio_standin in lib.sh).  It shares the ioops
# version by construction; its structs are even identical, which is the
# hardest case: only the release check can tell the two apart.
. "$(dirname "$0")/../lib.sh"

standin=$(fio_standin) || fail "no stand-in fio"
sfio=$standin/fio
want=$("$FIO" --version)
other=$("$sfio" --version)
ok "stand-in fio $other built from $FIO_SRC ($want)"

dd if=/dev/zero of="$T/data" bs=1M count=1 status=none

# run FIO ENGINE NAME: a 16-IO read job in $T/NAME; fio's exit status
run() {
	mkdir -p "$T/$3"
	(cd "$T/$3" && "$1" --eta=never --output-format=json --output=fio.json \
		--name=rel --ioengine="external:$2" --filename="$T/data" --rw=randread \
		--bs=4k --number_ios=16 --randseed=1 --vmlat_probes=0 --vmlat_log_name=rel.vmlat >out 2>&1)
}

# refused NAME BUILT_FOR LOADED_BY: the job failed, said why, and did no IO
refused() {
	local d=$T/$1 ios
	grep -qF "vmlat: built for $2 but loaded by $3: fio shares its structs by layout" "$d/out" ||
		fail "$1: no message naming both releases: $(cat "$d/out")"
	grep -q 'io engine vmlat init failed' "$d/out" || fail "$1: fio did not fail the engine's init: $(cat "$d/out")"
	[ ! -e "$d/rel.vmlat" ] || fail "$1: a vmlat log was written"
	ios=$(jq '[.jobs[].read.total_ios] | add' "$d/fio.json" 2>/dev/null || echo 0)
	[ "$ios" = 0 ] || fail "$1: $ios IOs done before the refusal"
}

run "$sfio" "$ENGINE" new-in-standin && fail "engine built for $want ran in $other: $(cat "$T/new-in-standin/out")"
refused new-in-standin "$want" "$other"
ok "engine built for $want refused by name in $other, no IO, fio exits non-zero"

# The same through the build a user runs: make for the stand-in, load in FIO.
vmlat_make FIO="$sfio" FIO_SRC="$standin" BUILD="$T/build" ENGINE="$T/standin.so" "$T/standin.so" \
	> "$T/make.out" 2>&1 || fail "make for the stand-in: $(cat "$T/make.out")"
run "$FIO" "$T/standin.so" standin-in-fio && fail "engine built for $other ran in $want"
refused standin-in-fio "$other" "$want"
ok "engine built (make FIO= FIO_SRC=) for $other refused by name in $want"

run "$sfio" "$T/standin.so" standin-in-standin || fail "stand-in engine in the stand-in fio: $(cat "$T/standin-in-standin/out")"
[ "$(records "$T/standin-in-standin/rel.vmlat")" = 16 ] || fail "stand-in run: not 16 records"
"$VMLAT" dump "$T/standin-in-standin/rel.vmlat" | grep -qx "# fio_version=$other" || fail "stand-in run: wrong fio_version"
run "$FIO" "$ENGINE" own || fail "engine in its own fio $want: $(cat "$T/own/out")"
[ "$(records "$T/own/rel.vmlat")" = 16 ] || fail "own run: not 16 records"
ok "each engine runs its 16 IOs in the fio it was built for"
