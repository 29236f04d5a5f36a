#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# mkdeb.sh DIR VERSION FIO_RELEASE FIO - what `make deb` runs after staging
# `make install PREFIX=/usr` into DIR/root: turn that tree into
# build/vmlat_VERSION+fioX.Y_ARCH.deb with Debian's own tools (dpkg-deb,
# dpkg-shlibdeps), so a guest is set up with one `dpkg -i`.
#
# The engine only works in the fio release it was built against (it
# refuses any other at init), so the package depends on exactly the fio
# package version dpkg has installed, and is made only when the engine was
# built for that fio: FIO_RELEASE (build/fio-version) must be its release
# and FIO must be its binary.  Nothing outside DIR and the .deb is written.
set -eu
[ $# = 4 ] || { echo "usage: mkdeb.sh DIR VERSION FIO_RELEASE FIO" >&2; exit 2; }
version=$2 release=$3 fio=$4
die() { echo "mkdeb: $*" >&2; exit 1; }
dir=$(cd "$1" && pwd) || die "no staging directory $1"
top=$(cd "$(dirname "$0")/.." && pwd)
root=$dir/root

command -v dpkg-deb >/dev/null 2>&1 && command -v dpkg-shlibdeps >/dev/null 2>&1 ||
	die "dpkg-deb and dpkg-shlibdeps are missing: apt-get install dpkg-dev"
fiover=$(dpkg-query -W -f='${db:Status-Status} ${Version}' fio 2>/dev/null) || fiover=
case $fiover in
"installed "*) fiover=${fiover#installed } ;;
*) die "no fio package installed by dpkg: the package depends on exactly the installed fio (apt-get install fio)" ;;
esac
up=$(echo "$fiover" | sed 's/^[0-9]*://; s/-[^-]*$//')
[ "$release" = "fio-$up" ] ||
	die "the engine is built for $release, but dpkg's fio is $fiover: make deb packages for dpkg's fio (build with the default FIO)"
bin=$(readlink -f "$(command -v "$fio")") || die "cannot find FIO=$fio"
dpkg -S "$bin" 2>/dev/null | grep -q '^fio:' ||
	die "FIO=$fio ($bin) is not the binary of dpkg's fio package: make deb packages for dpkg's fio"

arch=$(dpkg --print-architecture)
pkgver=$version+fio$up
deb=$(dirname "$dir")/vmlat_${pkgver}_$arch.deb

# Debian's layout: man pages compressed, a copyright file, no group-writable files.
gzip -9n "$root/usr/share/man/man1/vmlat.1"
install -D -m 0644 "$top/LICENSE" "$root/usr/share/doc/vmlat/copyright"
chmod -R go-w "$root"

# shared-library dependencies as Debian computes them (the engine's
# undefined symbols are fio's own: warnings about them are expected)
mkdir -p "$dir/debian"
printf 'Source: vmlat\n\nPackage: vmlat\nArchitecture: any\n' > "$dir/debian/control"
shlibs=$(cd "$dir" && dpkg-shlibdeps -O root/usr/bin/vmlat root/usr/lib/fio/fio-vmlat.so 2>"$dir/shlibdeps.log" |
	sed -n 's/^shlibs:Depends=//p') || true
[ -n "$shlibs" ] || die "dpkg-shlibdeps found no dependencies: $(cat "$dir/shlibdeps.log")"

mkdir -p "$root/DEBIAN"
(cd "$root" && find usr -type f -exec md5sum {} + | sort -k 2) > "$root/DEBIAN/md5sums"
cat > "$root/DEBIAN/control" <<EOF
Package: vmlat
Version: $pkgver
Architecture: $arch
Maintainer: ${DEBFULLNAME:-vmlat} <${DEBEMAIL:-vmlat@localhost}>
Installed-Size: $(du -sk "$root/usr" | cut -f1)
Depends: fio (= $fiover), $shlibs
Recommends: gnuplot-nox
Section: utils
Priority: optional
Description: per-IO disk latency, and where each IO ran (fio engine)
 A fio external ioengine that times every IO and records it, with the vCPU
 it was submitted and completed on, in a crash-safe log, and the vmlat
 command that reads, compares and plots those logs.  Built for fio $up
 exactly (the engine refuses any other fio release).
 .
 Engine: ioengine=external:/usr/lib/fio/fio-vmlat.so; Study A's job files
 are in /usr/share/vmlat/jobs; see vmlat(1).
EOF
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null || die "dpkg-deb --build failed"
echo "$deb"
