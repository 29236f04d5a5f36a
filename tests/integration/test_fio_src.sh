#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: `make FIO=/path/to/fio` without FIO_SRC builds for that fio:
# for a release Debian serves as source (bookworm, trixie, sid) it fetches
# that release's source, and the engine runs in that fio; for one Debian
# does not serve it stops at once, before fetching anything, says what to
# do (FIO_SRC=, the releases Debian has) and leaves nothing behind.
# Needs Debian's mirror (skipped, and says so, without it).
. "$(dirname "$0")/../lib.sh"

want=$("$FIO" --version)

# Not served: the stand-in (test_fio_release.sh) is a real fio of a release
# no archive has.
standin=$(fio_standin) || fail "no stand-in fio"
other=$("$standin/fio" --version)
start=$(date +%s)
env -u FIO_SRC make -s -C "$TOP" FIO="$standin/fio" BUILD="$T/b1" ENGINE="$T/b1.so" "$T/b1.so" > "$T/b1.out" 2>&1 &&
	fail "make for $other succeeded: $(cat "$T/b1.out")"
grep -q 'no fio source found in Debian' "$T/b1.out" && skip "Debian's mirror is not reachable: $(cat "$T/b1.out")"
grep -qF "fio-src: $standin/fio is $other, whose source Debian does not serve (it serves " "$T/b1.out" ||
	fail "no clear message for $other: $(cat "$T/b1.out")"
grep -q 'pass FIO_SRC=DIR' "$T/b1.out" || fail "the message does not say FIO_SRC=: $(cat "$T/b1.out")"
grep -q 'fetching' "$T/b1.out" && fail "it fetched something for $other: $(cat "$T/b1.out")"
left=$(cd "$T/b1" && find . -mindepth 1 ! -name fio-version)
[ -z "$left" ] || fail "left behind in BUILD: $left"
[ ! -e "$T/b1.so" ] || fail "an engine was built for $other"
ok "$other (not in Debian): stopped in $(( $(date +%s) - start )) s naming FIO_SRC=, nothing left behind"

# Served: Debian's source of FIO's own release, fetched into BUILD/fio-src.
# For dpkg's own fio every build from a clean tree does exactly this (make
# all, build/fio-src): the test spends its minutes only on another fio
# (make check-fio-new: sid's, found by release, not by dpkg).
if dpkg -S "$(readlink -f "$(command -v "$FIO")")" 2>/dev/null | grep -q '^fio:'; then
	ok "$want is dpkg's fio: its Debian source is what the build fetched into build/fio-src"
	exit 0
fi
if ! env -u FIO_SRC make -s -C "$TOP" FIO="$FIO" BUILD="$T/b2" ENGINE="$T/b2.so" "$T/b2.so" > "$T/b2.out" 2>&1; then
	grep -q 'whose source Debian does not serve' "$T/b2.out" &&
		skip "the rest needs a fio Debian serves; $want is not one: $(head -n 1 "$T/b2.out")"
	fail "make FIO=$FIO ($want): $(cat "$T/b2.out")"
fi
grep -q "^DEF_VER=$want\$" "$T/b2/fio-src/FIO-VERSION-GEN" || fail "BUILD/fio-src is not $want"
[ -f "$T/b2/fio-src/config-host.h" ] || fail "BUILD/fio-src is not configured"
[ -z "$(cd "$T/b2" && find . -maxdepth 1 -name 'fio-apt*')" ] || fail "apt's work directory left behind"
"$FIO" --eta=never --ioengine="external:$T/b2.so" --name=src --filename="$T/data" --size=1M --rw=randread \
	--bs=4k --number_ios=16 --vmlat_probes=0 --vmlat_log_dir="$T" --vmlat_log_name=src.vmlat --output=/dev/null \
	> "$T/run.out" 2>&1 || fail "the engine built from Debian's $want source: $(cat "$T/run.out")"
[ "$(records "$T/src.vmlat")" = 16 ] || fail "not 16 records"
ok "$want: Debian's source fetched and configured, the engine built from it runs 16 IOs"
