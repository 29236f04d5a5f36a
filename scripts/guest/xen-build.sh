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
MODDIR=$XDIR/modules DEPS=xen
. "$GTOP/scripts/guest/build-lib.sh"

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
-h | --help) help_exit 6 ;;
"") ;;
*) gdie "unknown option '$1' (--refresh or nothing)" ;;
esac

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
	pkg=$(kernel_pkg)
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
	# shellcheck disable=SC2086 # module names
	prune_modules $DOM0_MODULES $DOMU_MODULES
}

trap 'exit 130' INT TERM HUP
need_busybox
mkdir -p "$XDIR"
exec 9>"$XDIR/.lock"
flock -w 600 9 || gdie "timed out waiting for another xen-build ($XDIR/.lock)"
if [ $refresh = 1 ] || [ ! -s "$XDIR/xen.id" ] || [ ! -s "$XDIR/vmlinux" ] || [ ! -s "$XDIR/xen" ]; then
	fetch
fi
# fetched again when a module named above was pruned
(module_order $DOM0_MODULES $DOMU_MODULES) >/dev/null 2>&1 || fetch
here=$GTOP/scripts/guest
for side in dom0 domu; do
	ird=$XDIR/$side.cpio.gz
	if [ $refresh = 1 ] || stale "$ird" "$here/xen-$side-init.sh" "${BASH_SOURCE[0]}" "$XDIR/xen.id"; then
		if [ $side = dom0 ]; then mods=$DOM0_MODULES; else mods=$DOMU_MODULES; fi
		# shellcheck disable=SC2086 # module names
		initramfs "$ird" "$here/xen-$side-init.sh" $mods
	fi
done
