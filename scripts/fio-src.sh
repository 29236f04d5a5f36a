#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# fio-src.sh DEST FIO_BIN        the release FIO_BIN reports (fio --version)
# fio-src.sh --suite SUITE DEST  the newest release SUITE serves, built
#                                (kept when DEST/fio is that release already)
#
# Fetch Debian's source of a fio release, unpack it into DEST and run fio's
# ./configure there, so that engine/ can be compiled against exactly the
# struct layouts of the fio that will load it.  With --suite (what `make
# check-fio-new` uses for sid) fio itself is also built, with the optional
# features off, so DEST/fio is the binary to test against.
#
# Why Debian's source and not upstream's: the installed binary was built from
# it (patches included), and Debian's mirrors are reachable where nothing else
# is.  The release is looked up in bookworm, trixie and sid (their -updates
# too); one Debian does not serve stops here, before anything is fetched,
# with what to do instead.  Where a suite's mirror serves only the upstream
# (orig) tarball of a version, as sid's sometimes does, that tarball is
# unpacked without Debian's patches (apt checked its hash against the signed
# index), and the script says so.
#
# The system's apt configuration is left alone: a private sources list and a
# private list directory are passed to apt-get with -o options (see shared
# FIO_NOTES.md).  On any failure nothing is left behind: DEST is replaced
# only by a complete tree, and the work directory is removed.
set -eu

SUITES="bookworm bookworm-updates trixie trixie-updates sid"
# What a fio built here needs, and nothing that adds engines only.
MINIMAL="--disable-native --disable-numa --disable-rdma --disable-rados --disable-rbd
	--disable-http --disable-gfapi --disable-libnfs --disable-pmem --disable-xnvme
	--disable-isal --disable-libblkio --disable-libzbc --disable-tcmalloc --disable-dfs"

die() { echo "fio-src: $*" >&2; exit 1; }

suite=""
if [ "${1:-}" = --suite ]; then
	[ $# = 3 ] || die "usage: fio-src.sh --suite SUITE DEST"
	suite=$2 dest=$3
else
	[ $# -ge 1 ] || die "usage: fio-src.sh DEST [FIO_BIN]"
	dest=$1 fio_bin=${2:-fio}
	command -v "$fio_bin" >/dev/null 2>&1 || die "cannot find '$fio_bin' (install fio, or pass FIO=/path/to/fio)"
	want=$("$fio_bin" --version) || die "'$fio_bin --version' failed"
	case $want in
	fio-[0-9]*.[0-9]*) ;;
	*) die "'$fio_bin' says it is '$want', not a fio release: pass FIO_SRC=DIR, a configured tree of its source" ;;
	esac
fi
command -v apt-get >/dev/null 2>&1 || die "not a Debian system: build fio yourself and pass FIO_SRC=DIR"
command -v dpkg-source >/dev/null 2>&1 || die "dpkg-source missing (apt-get install dpkg-dev)"

# absolute: apt reads a relative Dir:: path as relative to /etc/apt
mkdir -p "$(dirname "$dest")"
dest=$(cd "$(dirname "$dest")" && pwd)/$(basename "$dest")
work=$(dirname "$dest")/fio-apt.$$
cleanup() { rm -rf "$work" "$dest.tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
cleanup
mkdir -p "$work/sources.list.d" "$work/lists/partial" "$work/dl"

# Reuse the mirror the system already uses: it is the one reachable here.
uris=$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | tr ' ' '\n';
       sed -n 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]*\).*/\2/p' /etc/apt/sources.list 2>/dev/null || true)
uri=$(printf '%s\n' $uris | grep -v security | grep -m1 debian || true)
[ -n "$uri" ] || uri=http://deb.debian.org/debian
for s in $SUITES; do
	echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $s main"
done > "$work/sources.list.d/vmlat-fio.list"

apt_opts="-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$work/sources.list.d -o Dir::State::Lists=$work/lists"
# A suite that does not exist (yet) is no reason to stop: the others count.
# shellcheck disable=SC2086
apt-get -qq $apt_opts update >"$work/update.log" 2>&1 || true
# shellcheck disable=SC2086
served=$(apt-cache $apt_opts madison fio 2>/dev/null | awk -F'|' '/Sources/ {
	gsub(/ /, "", $2); n = split($3, w, " "); sub(/\/.*/, "", w[n - 1]); print $2, w[n - 1] }')
if [ -z "$served" ] && [ -n "$suite" ] && [ -x "$dest/fio" ]; then
	echo "fio-src: Debian's mirror is not reachable: using $("$dest/fio" --version) in $dest as it is" >&2
	exit 0
fi
[ -n "$served" ] || die "no fio source found in Debian's $SUITES at $uri: $(tail -n 3 "$work/update.log")"
served_list=$(echo "$served" | awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1 }')

# upstream VERSION: 1:3.41-2 -> 3.41
upstream() { echo "$1" | sed 's/^[0-9]*://; s/-[^-]*$//'; }

if [ -n "$suite" ]; then
	ver=$(echo "$served" | awk -v s="$suite" '$2 == s { print $1; exit }')
	[ -n "$ver" ] || die "Debian's $suite serves no fio source here (served: $served_list)"
	want=fio-$(upstream "$ver")
	if [ -x "$dest/fio" ] && [ "$("$dest/fio" --version)" = "$want" ]; then
		echo "fio-src: $want, $suite's newest, is built in $dest already" >&2
		exit 0
	fi
else
	# The installed package's own source first: that binary was built from it.
	ver=$(dpkg-query -W -f='${source:Version}' fio 2>/dev/null || true)
	if [ -z "$ver" ] || [ "fio-$(upstream "$ver")" != "$want" ]; then
		ver=$(echo "$served" | awk -v w="$want" '{ u = $1; sub(/^[0-9]+:/, "", u); sub(/-[^-]*$/, "", u) }
			"fio-" u == w { print $1; exit }')
	fi
	[ -n "$ver" ] || die "$fio_bin is $want, whose source Debian does not serve (it serves $served_list).
  Get $want's source yourself (git clone https://github.com/axboe/fio && git -C fio checkout $want,
  or the tarball https://brick.kernel.dk/snaps/$want.tar.gz), run ./configure in it with the
  flags that fio was built with, and pass FIO_SRC=DIR; or build for a release listed above (FIO=)."
fi

echo "fio-src: fetching Debian's source fio=$ver for $want from $uri" >&2
# shellcheck disable=SC2086
(cd "$work/dl" && apt-get -qq $apt_opts source --download-only "fio=$ver") >"$work/source.log" 2>&1 || true
up=$(upstream "$ver")
dsc=$(find "$work/dl" -name "fio_${ver#*:}.dsc")
debtar=$(find "$work/dl" -name "fio_${ver#*:}.debian.tar.*")
orig=$(find "$work/dl" -name "fio_$up.orig.tar.*" ! -name '*.asc')
if [ -n "$dsc" ] && [ -n "$debtar" ] && [ -n "$orig" ]; then
	dpkg-source -q -x "$dsc" "$work/unpack" >"$work/unpack.log" 2>&1 ||
		die "dpkg-source -x $dsc failed: $(tail -n 3 "$work/unpack.log")"
elif [ -n "$orig" ]; then
	echo "fio-src: the mirror serves only the orig tarball of fio $ver: unpacking it without Debian's patches" >&2
	mkdir "$work/unpack.d"
	tar -xf "$orig" -C "$work/unpack.d" || die "cannot unpack $orig"
	mv "$work/unpack.d"/fio-* "$work/unpack" || die "$orig holds no fio-* directory"
else
	die "Debian lists fio $ver ($want) but the mirror $uri did not serve its files:
$(grep '^E:' "$work/source.log" | head -n 3)
  Pass FIO_SRC=DIR, a configured tree of $want's source (see README, Building)."
fi

tree=$work/unpack
got=$(sed -n 's/^DEF_VER=//p' "$tree/FIO-VERSION-GEN")
[ "$got" = "$want" ] || die "Debian's source fio=$ver says it is $got, not $want"

if [ -n "$suite" ]; then
	# shellcheck disable=SC2086
	(cd "$tree" && ./configure $MINIMAL >configure.log 2>&1) ||
		die "fio's ./configure failed: $(tail -n 5 "$tree/configure.log")"
	echo "fio-src: building $want (a few minutes)" >&2
	make -C "$tree" -j"$(nproc)" fio >"$tree/make.log" 2>&1 ||
		die "building fio failed: $(tail -n 5 "$tree/make.log")"
else
	# Debian builds with these flags (debian/rules); gfio and libnbd only add
	# programs and an engine, not fields to the structs the engine shares.
	(cd "$tree" && ./configure --disable-native --prefix=/usr >configure.log 2>&1) ||
		die "fio's ./configure failed: $(tail -n 5 "$tree/configure.log")"
fi
mv "$tree" "$dest.tmp"
rm -rf "$dest" && mv "$dest.tmp" "$dest"
echo "fio-src: $want in $dest" >&2
