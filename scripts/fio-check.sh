#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# fio-check.sh FIO_SRC FIO STAMP
#
# Make sure FIO_SRC is a configured fio tree of the same release as the fio
# binary that will load the engine, and record that release in STAMP (only
# rewritten when it changes, so make rebuilds the engine exactly then).
# With FIO_SRC_DEFAULT=1 the tree is ours (build/fio-src): fetch it when it
# is missing or of another release.  A tree the user gave is never touched:
# a mismatch is an error that names both versions.
set -eu
src=$1 fio=$2 stamp=$3
die() { echo "vmlat: $*" >&2; exit 1; }

command -v "$fio" >/dev/null 2>&1 || die "cannot find fio ('$fio'): install it (apt-get install fio) or pass FIO=/path/to/fio"
want=$("$fio" --version)

tree_version() {
	# a built tree knows its exact version; a configured one has the default
	if [ -f "$1/FIO-VERSION-FILE" ]; then
		sed -n 's/^FIO_VERSION = //p' "$1/FIO-VERSION-FILE"
	elif [ -f "$1/FIO-VERSION-GEN" ]; then
		sed -n 's/^DEF_VER=//p' "$1/FIO-VERSION-GEN"
	fi
}

if [ "${FIO_SRC_DEFAULT:-0}" = 1 ]; then
	if [ ! -f "$src/config-host.h" ] || [ "$(tree_version "$src")" != "$want" ]; then
		"$(dirname "$0")/fio-src.sh" "$(cd "$(dirname "$src")" && pwd)/$(basename "$src")" "$fio"
	fi
fi
[ -f "$src/fio.h" ] || die "FIO_SRC=$src is not a fio source tree (no fio.h)"
[ -f "$src/config-host.h" ] || die "FIO_SRC=$src is not configured: run ./configure in it first"
have=$(tree_version "$src")
[ "$have" = "$want" ] ||
	die "fio source tree $src is ${have:-of unknown version} but '$fio' is $want: the engine must be built against the fio that loads it"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
	echo "$want" > "$stamp"
fi
