#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# fio-src.sh DEST FIO_BIN
#
# Fetch Debian's source of the fio release that FIO_BIN reports, unpack it
# into DEST and run fio's ./configure there, so that engine/ can be compiled
# against exactly the struct layouts of the fio that will load it.
#
# Why Debian's source and not upstream's: the installed binary was built from
# it (patches included), and Debian's mirrors are reachable where nothing else
# is.  The system's apt configuration is left alone: a private sources list
# and a private list directory under DEST's parent are passed to apt-get with
# -o options (see shared FIO_NOTES.md).
set -eu

dest=$1
fio_bin=${2:-fio}
die() { echo "fio-src: $*" >&2; exit 1; }

command -v "$fio_bin" >/dev/null 2>&1 || die "cannot find '$fio_bin' (install fio, or pass FIO=/path/to/fio)"
want=$("$fio_bin" --version) || die "'$fio_bin --version' failed"
command -v dpkg-query >/dev/null 2>&1 || die "not a Debian system: build fio yourself and pass FIO_SRC=DIR"
srcver=$(dpkg-query -W -f='${source:Version}' fio 2>/dev/null) ||
	die "the fio package is not installed through dpkg: pass FIO_SRC=DIR"
command -v dpkg-source >/dev/null 2>&1 || die "dpkg-source missing (apt-get install dpkg-dev)"

work=$(dirname "$dest")/fio-apt
rm -rf "$work" "$dest.tmp"
mkdir -p "$work/sources.list.d" "$work/lists/partial" "$work/unpack"

# Reuse the mirrors the system already uses: they are the ones reachable here.
uris=$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | tr ' ' '\n';
       sed -n 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]*\).*/\2/p' /etc/apt/sources.list 2>/dev/null || true)
uri=$(printf '%s\n' $uris | grep -v security | grep -m1 debian || true)
[ -n "$uri" ] || uri=http://deb.debian.org/debian
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
for suite in "$codename" "$codename-updates"; do
	echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $suite main"
done > "$work/sources.list.d/vmlat-fio.list"

apt_opts="-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$work/sources.list.d -o Dir::State::Lists=$work/lists"
echo "fio-src: fetching Debian source fio=$srcver for $want from $uri" >&2
# shellcheck disable=SC2086
apt-get -qq $apt_opts update || die "apt-get update of the private deb-src list failed"
# shellcheck disable=SC2086
(cd "$work/unpack" && apt-get -qq $apt_opts source "fio=$srcver") >/dev/null ||
	die "apt-get source fio=$srcver failed"

tree=$(find "$work/unpack" -mindepth 1 -maxdepth 1 -type d -name 'fio-*' | head -n1)
[ -n "$tree" ] || die "no source tree unpacked under $work/unpack"
got=$(sed -n 's/^DEF_VER=//p' "$tree/FIO-VERSION-GEN")
[ "$got" = "$want" ] || die "Debian source is $got but $fio_bin is $want"

# Debian builds with these flags (debian/rules); gfio and libnbd only add
# programs and an engine, not fields to the structs the engine shares.
(cd "$tree" && ./configure --disable-native --prefix=/usr >configure.log 2>&1) ||
	die "fio's ./configure failed: see $tree/configure.log"
mv "$tree" "$dest.tmp"
rm -rf "$dest" && mv "$dest.tmp" "$dest"
rm -rf "$work"
echo "fio-src: configured $want in $dest" >&2
