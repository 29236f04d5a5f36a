#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# xen-build.sh [--refresh] - make what a Xen PV guest boots, in build/xen/
# (xen-lib.sh lists the files): Xen, Debian's kernel for dom0 and the domU,
# their two initramfs, and the Xen tools that dom0 runs.
#
# Nothing is installed on this machine: xen-hypervisor-4.17-amd64 would
# change the boot loader, and xen-utils-4.17 pulls in udev and a newer
# systemd.  So every package is taken with `apt-get download` and unpacked
# with `dpkg-deb -x` into build/xen/tools/, which dom0 reaches through the
# host's root (9p) and runs with LD_LIBRARY_PATH pointing into it.
#
# The domU's kernel is the ELF vmlinux inside Debian's vmlinuz: libxc
# decompresses an xz bzImage in-process, which under TCG takes minutes
# (XEN_NOTES.md); the ELF loads in under a minute.
set -euo pipefail
GPROG=xen-build
. "$(dirname "${BASH_SOURCE[0]}")/xen-lib.sh"

# What each side's initramfs loads; their dependencies come from modinfo.
DOM0_MODULES="virtio_pci virtio_blk 9pnet_virtio 9p xenfs xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xen-blkback"
# (ext4 mounts even an ext2 root only with a crc32c driver loaded)
DOMU_MODULES="xen-blkfront ext4 crc32c_generic"
# xl, xenstored, xenconsoled, xen-init-dom0, xenstore-write and their libraries
TOOL_PKGS="xen-utils-4.17 xenstore-utils libxentoolcore1 libxentoollog1 libxencall1
	libxendevicemodel1 libxenevtchn1 libxenforeignmemory1 libxengnttab1 libxenhypfs1
	libxenstore4 libxenmisc4.17 libyajl2"

refresh=0
case ${1:-} in
--refresh) refresh=1 ;;
-h | --help) sed -n '4,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
"") ;;
*) gdie "unknown option '$1' (--refresh or nothing)" ;;
esac

need() {
	command -v "$1" >/dev/null 2>&1 && return
	"$GTOP/scripts/deps.sh" xen >&2 || true
	command -v "$1" >/dev/null 2>&1 || gdie "'$1' is missing: apt-get install $2 (or run scripts/deps.sh xen as root)"
}

# download DIR PKG...: the packages' .deb files into DIR (no install).
download() {
	local d=$1
	shift
	chmod 755 "$d" # _apt cannot write into a root-owned 0700 directory
	(cd "$d" && apt-get download -q "$@" >/dev/null 2>"$d/apt.err") || {
		apt-get update -qq >&2 || true
		(cd "$d" && apt-get download -q "$@" >/dev/null 2>"$d/apt.err")
	} || gdie "apt-get download $* failed: $(tail -n 3 "$d/apt.err")"
}

# extract_vmlinux VMLINUZ OUT: the ELF kernel inside an xz bzImage (the
# method of Linux's scripts/extract-vmlinux: find the xz magic, decompress).
extract_vmlinux() {
	local off
	off=$(grep -abo -m 1 $'\xfd7zXZ\x00' "$1" | cut -d: -f1 | head -n 1)
	[ -n "$off" ] || gdie "$1: no xz stream in it (is the kernel xz-compressed?)"
	tail -c +$((off + 1)) "$1" | xz -dc > "$2.tmp" 2>/dev/null || true
	[ "$(head -c 4 "$2.tmp" | od -An -c | tr -d ' ')" = 177ELF ] || gdie "$1: the xz stream at $off is not an ELF kernel"
	mv "$2.tmp" "$2"
}

fetch() {
	local work pkg deb ver
	need apt-get apt
	need dpkg-deb dpkg
	need xz xz-utils
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	if [ -z "$pkg" ]; then
		apt-get update -qq >&2 || true
		pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	fi
	[ -n "$pkg" ] || gdie "apt knows no linux-image-amd64 package (apt-get update, or check the sources)"
	work=$(mktemp -d "$XDIR/fetch.XXXXXX")
	trap 'rm -rf "$work"' EXIT
	gsay "fetching xen-hypervisor-4.17-amd64, the Xen tools and $pkg (once; cached in $XDIR)"
	# shellcheck disable=SC2086 # a list of package names
	download "$work" xen-hypervisor-4.17-amd64 $TOOL_PKGS "$pkg"
	mkdir "$work/hv" "$work/k" "$work/tools"
	dpkg-deb -x "$work"/xen-hypervisor-4.17-amd64_*.deb "$work/hv"
	dpkg-deb -x "$work/$pkg"_*.deb "$work/k"
	for deb in "$work"/*.deb; do
		case $deb in */xen-hypervisor-*|*/"$pkg"_*) continue ;; esac
		dpkg-deb -x "$deb" "$work/tools"
	done
	zcat "$work"/hv/boot/xen-4.17-amd64.gz > "$work/xen" || gdie "cannot unpack Xen's image"
	ver=$(ls "$work/k/boot" | sed -n 's/^vmlinuz-//p')
	[ -n "$ver" ] && [ -d "$work/k/lib/modules/$ver" ] || gdie "$pkg: no vmlinuz with its modules"
	extract_vmlinux "$work/k/boot/vmlinuz-$ver" "$work/vmlinux"
	rm -rf "$XDIR/tools" "$XDIR/modules"
	mv "$work/tools" "$XDIR/tools"
	mv "$work/k/lib/modules/$ver" "$XDIR/modules"
	mv "$work/k/boot/vmlinuz-$ver" "$XDIR/vmlinuz"
	mv "$work/vmlinux" "$XDIR/vmlinux"
	mv "$work/xen" "$XDIR/xen"
	printf '%s\n' "xen $(dpkg-deb -f "$work"/xen-hypervisor-4.17-amd64_*.deb Version)" \
		"kernel $pkg $(dpkg-deb -f "$work/$pkg"_*.deb Version) $ver" > "$XDIR/xen.id"
	rm -rf "$work"
	trap - EXIT
	prune_modules
}

# module_path NAME: the module's file.
module_path() {
	local n=$1 f
	f=$(find "$XDIR/modules/kernel" \( -name "$n.ko" -o -name "${n//_/-}.ko" -o -name "${n//-/_}.ko" \
		-o -name "$n.ko.xz" -o -name "${n//_/-}.ko.xz" -o -name "${n//-/_}.ko.xz" \) -print -quit)
	[ -n "$f" ] || gdie "the kernel in $XDIR has no module $n"
	echo "$f"
}

module_info() {
	case $1 in *.xz) xz -dc "$1" ;; *) cat "$1" ;; esac | tr '\0' '\n' | grep -a '^[a-z_]*='
}

# module_order NAME...: modules with their dependencies first; built-ins skipped.
declare -A seen
module_order() {
	local n f d
	for n in "$@"; do
		[ -z "${seen[$n]:-}" ] || continue
		seen[$n]=1
		grep -qE "/(${n//_/-}|${n//-/_})\.ko\$" "$XDIR/modules/modules.builtin" 2>/dev/null && continue
		f=$(module_path "$n") || exit 1 # (module_order runs in a subshell)
		for d in $(module_info "$f" | sed -n 's/^depends=//p' | tr ',' ' '); do module_order "$d"; done
		echo "$f"
	done
}

prune_modules() {
	local keep
	keep=$( (seen=(); module_order $DOM0_MODULES $DOMU_MODULES) | sort -u)
	find "$XDIR/modules/kernel" -name '*.ko*' | grep -vxF "$keep" | xargs -r rm -f
	find "$XDIR/modules/kernel" -type d -empty -delete
}

# initramfs OUT INIT MODULES...: busybox, the modules in load order, INIT as /init.
initramfs() {
	local out=$1 init=$2 root f n=0 mods
	shift 2
	root=$(mktemp -d "$XDIR/initramfs.XXXXXX")
	mkdir -p "$root"/{bin,dev,proc,sys,host,out,newroot,lib/modules}
	cp "$(command -v busybox)" "$root/bin/busybox"
	cp "$init" "$root/init"
	chmod 755 "$root/init"
	mods=$(seen=(); module_order "$@") || gdie "cannot list the modules of $init"
	for f in $mods; do
		n=$((n + 1))
		case $f in
		*.xz) xz -dc "$f" > "$root/lib/modules/$(printf %02d-%s $n "$(basename "${f%.xz}")")" ;;
		*) cp "$f" "$root/lib/modules/$(printf %02d-%s $n "$(basename "$f")")" ;;
		esac
	done
	(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 > "$out.tmp"
	mv "$out.tmp" "$out"
	rm -rf "$root"
}

trap 'exit 130' INT TERM HUP
need busybox busybox-static
need cpio cpio
ldd "$(command -v busybox)" >/dev/null 2>&1 &&
	gdie "$(command -v busybox) is dynamically linked: apt-get install busybox-static"
mkdir -p "$XDIR"
exec 9>"$XDIR/.lock"
flock -w 600 9 || gdie "timed out waiting for another xen-build ($XDIR/.lock)"
if [ $refresh = 1 ] || [ ! -s "$XDIR/xen.id" ] || [ ! -s "$XDIR/vmlinux" ] || [ ! -s "$XDIR/xen" ]; then
	fetch
fi
# fetched again when a module named above was pruned
(seen=(); module_order $DOM0_MODULES $DOMU_MODULES) >/dev/null 2>&1 || fetch
here=$GTOP/scripts/guest
for side in dom0 domu; do
	ird=$XDIR/$side.cpio.gz
	if [ $refresh = 1 ] || [ ! -s "$ird" ] || [ "$here/xen-$side-init.sh" -nt "$ird" ] ||
		[ "${BASH_SOURCE[0]}" -nt "$ird" ] || [ "$XDIR/xen.id" -nt "$ird" ]; then
		if [ $side = dom0 ]; then mods=$DOM0_MODULES; else mods=$DOMU_MODULES; fi
		# shellcheck disable=SC2086 # module names
		initramfs "$ird" "$here/xen-$side-init.sh" $mods
	fi
done
