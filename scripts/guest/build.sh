#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# build.sh [--refresh] - make what a guest boots: Debian's kernel and a
# small initramfs, in build/guest/ (lib.sh lists the files).
#
# Why no disk image: the guest mounts the host's root read-only over 9p
# (virtio) and chroots into it, so it runs the host's own fio and vmlat
# build, the same binaries at the same paths, and nothing has to be kept
# in step.  The initramfs only has to reach that point: busybox, the
# virtio and 9p modules, and init.sh.
#
# Why the kernel is not installed: the host's /boot is not ours to change.
# linux-image-amd64's dependency (linux-image-X.Y.Z-N-amd64) is fetched
# with `apt-get download` and unpacked with dpkg-deb; it stays cached until
# --refresh, with only the modules a guest loads.  The modules must be the
# kernel's own: their directory name is checked against the vmlinuz version.
set -euo pipefail
GPROG=guest-build
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The drivers a guest loads; their dependencies are found in each module's
# modinfo (depends=), so only the top of each stack is named here.
MODULES="virtio_pci virtio_blk virtio_net 9pnet_virtio 9p"

usage() {
	sed -n '4,5p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
	exit "${1:-0}"
}

refresh=0
case ${1:-} in
--refresh) refresh=1 ;;
-h | --help) usage 0 ;;
"") ;;
*) echo "guest-build: unknown option '$1'" >&2; usage 1 >&2 ;;
esac

# need CMD PACKAGE: say which package is missing rather than "not found".
need() {
	command -v "$1" >/dev/null 2>&1 && return
	"$GTOP/scripts/deps.sh" guests >&2 || true
	command -v "$1" >/dev/null 2>&1 || gdie "'$1' is missing: apt-get install $2 (or run scripts/deps.sh guests as root)"
}

fetch_kernel() {
	local pkg work deb ver
	need apt-get apt
	need dpkg-deb dpkg
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	if [ -z "$pkg" ]; then
		apt-get update -qq >&2 || true
		pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	fi
	[ -n "$pkg" ] || gdie "apt knows no linux-image-amd64 package (apt-get update, or check the sources)"
	work=$(mktemp -d "$GDIR/fetch.XXXXXX")
	trap 'rm -rf "$work"' EXIT
	gsay "fetching $pkg (once; cached in $GDIR)"
	# _apt cannot write into a root-owned 0700 mktemp directory
	chmod 755 "$work"
	(cd "$work" && apt-get download -q "$pkg" >/dev/null 2>"$work/apt.err") ||
		gdie "apt-get download $pkg failed: $(tail -n 3 "$work/apt.err")"
	deb=$(ls "$work"/*.deb)
	dpkg-deb -x "$deb" "$work/x" || gdie "cannot unpack $deb"
	ver=$(ls "$work/x/boot" | sed -n 's/^vmlinuz-//p')
	[ -n "$ver" ] || gdie "$deb has no /boot/vmlinuz-*"
	[ -d "$work/x/lib/modules/$ver" ] ||
		gdie "$deb: vmlinuz is $ver but its modules are $(ls "$work/x/lib/modules")"
	rm -rf "$GDIR/modules" "$GDIR/vmlinuz"
	mv "$work/x/lib/modules/$ver" "$GDIR/modules"
	mv "$work/x/boot/vmlinuz-$ver" "$GDIR/vmlinuz"
	echo "$pkg $(dpkg-deb -f "$deb" Version) $ver" > "$GDIR/kernel.id"
	rm -rf "$work"
	trap - EXIT
}

# module_path NAME: the module's file, .ko or compressed.
module_path() {
	local n=$1 f
	f=$(find "$GDIR/modules/kernel" \( -name "$n.ko" -o -name "$n.ko.xz" -o -name "${n//_/-}.ko" \
		-o -name "${n//_/-}.ko.xz" \) -print -quit)
	[ -n "$f" ] || gdie "kernel $(cut -d' ' -f3 "$GDIR/kernel.id") has no module $n"
	echo "$f"
}

# module_order NAME...: the modules and their dependencies, each after the
# modules it depends on.  Built-in ones (modules.builtin) need no loading.
declare -A seen
module_order() {
	local n f deps d
	for n in "$@"; do
		[ -z "${seen[$n]:-}" ] || continue
		seen[$n]=1
		grep -q "/$n\.ko\$" "$GDIR/modules/modules.builtin" 2>/dev/null && continue
		f=$(module_path "$n")
		deps=$(module_info "$f" | sed -n 's/^depends=//p' | tr ',' ' ')
		for d in $deps; do module_order "$d"; done
		echo "$f"
	done
}

# module_info FILE: the modinfo strings of a module, without kmod.
module_info() {
	case $1 in
	*.xz) xz -dc "$1" ;;
	*) cat "$1" ;;
	esac | tr '\0' '\n' | grep -a '^[a-z_]*='
}

build_initramfs() {
	local root f base mods n=0
	need busybox busybox-static
	need cpio cpio
	busybox true || gdie "busybox does not run"
	ldd "$(command -v busybox)" >/dev/null 2>&1 &&
		gdie "$(command -v busybox) is dynamically linked: apt-get install busybox-static"
	root=$(mktemp -d "$GDIR/initramfs.XXXXXX")
	trap 'rm -rf "$root"' EXIT
	mkdir -p "$root"/{bin,dev,proc,sys,host,out,newroot,lib/modules}
	cp "$(command -v busybox)" "$root/bin/busybox"
	cp "$GTOP/scripts/guest/init.sh" "$root/init"
	chmod 755 "$root/init"
	mods=$(module_order $MODULES)
	for f in $mods; do
		n=$((n + 1))
		base=$(printf '%02d-%s' "$n" "$(basename "${f%.xz}")")
		case $f in
		*.xz) xz -dc "$f" > "$root/lib/modules/$base" ;;
		*) cp "$f" "$root/lib/modules/$base" ;;
		esac
	done
	(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 > "$GDIR/initramfs.gz.tmp"
	mv "$GDIR/initramfs.gz.tmp" "$GDIR/initramfs.gz"
	rm -rf "$root"
	trap - EXIT
}

# So that the EXIT traps remove temporary directories on Ctrl-C too.
trap 'exit 130' INT TERM HUP
# prune_modules: keep only the modules a guest loads (of ~400 MB).
prune_modules() {
	local keep
	keep=$(module_order $MODULES)
	find "$GDIR/modules/kernel" -name '*.ko*' | grep -vxF "$keep" | xargs -r rm -f
	find "$GDIR/modules/kernel" -type d -empty -delete
}

mkdir -p "$GDIR"
if [ $refresh = 1 ] || [ ! -s "$GDIR/vmlinuz" ] || [ ! -s "$GDIR/kernel.id" ]; then
	fetch_kernel
	prune_modules
fi
# Rebuilt when init.sh, this script or the kernel is newer; the kernel is
# fetched again when MODULES now names a module that was pruned.
ird=$GDIR/initramfs.gz
if [ $refresh = 1 ] || [ ! -s "$ird" ] || [ "$GTOP/scripts/guest/init.sh" -nt "$ird" ] ||
	[ "${BASH_SOURCE[0]}" -nt "$ird" ] || [ "$GDIR/kernel.id" -nt "$ird" ]; then
	if ! (module_order $MODULES >/dev/null 2>&1); then
		fetch_kernel
		prune_modules
	fi
	build_initramfs
fi
