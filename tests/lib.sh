# SPDX-License-Identifier: GPL-2.0-or-later
#
# lib.sh - the one prologue of every test script (bash; source it first).
# It says once where everything is (TOP, BUILD, the engine, the vmlat
# command, the helper programs `make unit-tests` builds into build/tests/),
# gives every test its own temporary directory T, undoes everything the
# test creates (loop devices, mounts, servers) on every exit path, and
# prints each check's verdict the same way: "ok: WHAT", "FAIL: WHAT" (on
# stderr), "skip: WHY" (exit 77).  tests/run.sh prints each test's name
# when it starts and its verdict when it ends.
set -u
export LC_ALL=C
TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
abs() { case $1 in /*) echo "$1" ;; *) echo "$TOP/$1" ;; esac; }
BUILD=$(abs "${BUILD:-build}")
ENGINE=$(abs "${ENGINE:-engine/vmlat.so}")
VMLAT=$(abs "${VMLAT:-analysis/vmlat}")
MKLOG=$BUILD/tests/mklog
MKLAT=$BUILD/tests/mklat
MKPLOT=$BUILD/tests/mkplot
MKFIOLOG=$BUILD/tests/mkfiolog
# The fio under test and what the engine was built from: `make check`
# exports all four (check-fio-new: a fio built from sid's source), and
# every test uses these, never whatever `fio` is on PATH.
FIO=${FIO:-fio}
FIO_SRC=$(abs "${FIO_SRC:-$BUILD/fio-src}")
# make check's own command line (FIO_SRC=, BUILD=...) reaches every make
# below it through MAKEFLAGS: a test's make says itself what it builds
unset MAKEFLAGS MFLAGS MAKELEVEL

T=$(mktemp -d /tmp/vmlat-test.XXXXXX)
# Kept in a file, not a variable: helpers called as $(loopdev ...) run in a
# subshell, and a cleanup they registered in an array would be lost there
# (leaving loop devices attached after the test).
at_exit() { printf '%s\n' "$*" >>"$T/.cleanups"; }
_run_cleanups() {
	local c
	if [ -f "$T/.cleanups" ]; then
		while IFS= read -r c; do eval "$c" >/dev/null 2>&1; done < <(tac "$T/.cleanups")
	fi
	if [ -n "${KEEP:-}" ]; then echo "keeping $T"; else rm -rf "$T"; fi
}
trap _run_cleanups EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "skip: $*"; exit 77; }
ok() { echo "ok: $*"; }

# keep_going: from here on a failed check is counted and the test goes on
# (the golden-output tests report every difference at once); finish exits
# with the verdict.
fails=0
keep_going() { fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }; }
finish() { [ "$fails" = 0 ] || { echo "$fails failure(s)" >&2; exit 1; }; exit 0; }

# check NAME: the files expect and actual (in the current directory) are
# the same; their diff when not (the golden-output tests)
check() {
	if diff -u expect actual >diff.out; then ok "$1"; else fail "$1"; cat diff.out >&2; fi
}

# expect_rc NAME WANT [MESSAGE]: the last command run, whose exit status the
# test kept in rc and its stderr in the file err, exited WANT, and its
# first line on stderr is MESSAGE (when given)
expect_rc() {
	if [ "$rc" != "$2" ]; then
		fail "$1: exit $rc, want $2 ($(cat err))"
	elif [ -n "${3:-}" ] && [ "$(head -n 1 err)" != "$3" ]; then
		fail "$1: said '$(head -n 1 err)', want '$3'"
	else
		ok "$1: exit $2"
	fi
}

# need PROGRAM...: each must have been built (make all unit-tests)
need() {
	local p
	for p in "$@"; do
		[ -x "$p" ] || { echo "FAIL: no $p (make all unit-tests builds it)" >&2; exit 1; }
	done
}

need_root() { [ "$(id -u)" = 0 ] || skip "needs root ($1)"; }

# loopdev SIZE_MB [SECTOR_BYTES]: a loop device over a new zero-filled
# (sparse) file, with that logical sector size when given; prints its path
loopdev() {
	local img dev
	img=$(mktemp "$T/loop.XXXXXX")
	truncate -s "${1}M" "$img"
	dev=$(losetup --find --show ${2:+--sector-size "$2"} "$img" 2>/dev/null) ||
		skip "losetup cannot attach a loop device${2:+ with $2-byte sectors} here"
	at_exit "losetup -d $dev"
	echo "$dev"
}

# vmlat_fio ARGS...: fio with the engine loaded, JSON output, no progress line
vmlat_fio() {
	"$FIO" --eta=never --ioengine="external:$ENGINE" "$@"
}

# records FILE: number of records in a vmlat log (CSV dump without comments/header)
records() {
	"$VMLAT" dump "$1" | grep -v '^#' | tail -n +2 | wc -l
}

# fio_server DIR: a fio server on a random loopback port, working in DIR
# (created), its output in DIR.out, stopped at exit; waits until it answers
# (5 s at most) and prints its port.
fio_server() {
	local port=$(( 20000 + RANDOM % 20000 )) srv
	mkdir -p "$1"
	(cd "$1" && exec "$FIO" --server=ip:127.0.0.1,$port >"$1.out" 2>&1) &
	srv=$!
	at_exit "kill $srv"
	for _ in $(seq 50); do
		"$FIO" --client=127.0.0.1,$port --version >/dev/null 2>&1 && break
		sleep 0.1
	done
	echo "$port"
}

# vmlat_make ARGS...: make in the tree for the fio under test, so that a
# test that builds or installs gets the engine of that fio
vmlat_make() {
	make -s -C "$TOP" FIO="$FIO" FIO_SRC="$FIO_SRC" BUILD="$BUILD" ENGINE="$ENGINE" "$@"
}

# fio_standin: a real fio binary built from a copy of FIO_SRC (the tree the
# engine was built against) with only its version string changed, to
# "$("$FIO" --version)-vmlat-standin": same structs, same ioops version,
# another release as far as fio_version_string goes.  Built once into
# $BUILD/fio-standin (a few minutes from a configured tree; seconds from a
# built one, where only init.o, which holds the string, is recompiled).
# Prints the stand-in tree; its binary is TREE/fio.
fio_standin() {
	local want dir ver
	want=$("$FIO" --version) || fail "'$FIO --version' failed"
	ver=$want-vmlat-standin
	dir=$BUILD/fio-standin/$want
	if [ ! -x "$dir/fio" ] || [ "$("$dir/fio" --version)" != "$ver" ]; then
		rm -rf "$dir" && mkdir -p "$dir" && cp -a "$FIO_SRC/." "$dir/" ||
			fail "cannot copy $FIO_SRC to $dir"
		# a git checkout or a version file would override DEF_VER
		rm -rf "$dir/fio" "$dir/.git" "$dir/version"
		sed -i "s/^DEF_VER=.*/DEF_VER=$ver/" "$dir/FIO-VERSION-GEN"
		make -C "$dir" -j"$(nproc)" fio > "$dir/make.log" 2>&1 ||
			{ mv "$dir/make.log" "$T/standin-make.log"; rm -rf "$dir";
			  fail "building the stand-in fio failed: $(tail -n 5 "$T/standin-make.log")"; }
		[ "$("$dir/fio" --version)" = "$ver" ] || fail "the stand-in fio says $("$dir/fio" --version), not $ver"
	fi
	echo "$dir"
}
