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
# virtio and 9p modules, and init.sh (with init-lib.sh).
#
# Why the kernel is not installed: the host's /boot is not ours to change.
# linux-image-amd64's dependency (linux-image-X.Y.Z-N-amd64) is fetched
# with `apt-get download` and unpacked with dpkg-deb; it stays cached until
# --refresh, with only the modules a guest loads.  The modules must be the
# kernel's own: their directory name is checked against the vmlinuz version.
set -euo pipefail
GPROG=guest-build
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
MODDIR=$GDIR/modules DEPS=guests
. "$GTOP/scripts/guest/build-lib.sh"

# The drivers a guest loads; their dependencies are found in each module's
# modinfo (depends=), so only the top of each stack is named here.
MODULES="virtio_pci virtio_blk virtio_net 9pnet_virtio 9p"

usage() { help_exit 5 "$@"; }

refresh=0
case ${1:-} in
--refresh) refresh=1 ;;
-h | --help) usage 0 ;;
"") ;;
*) echo "guest-build: unknown option '$1'" >&2; usage 1 >&2 ;;
esac

fetch_kernel() {
	local pkg work deb ver
	need apt-get apt
	need dpkg-deb dpkg
	pkg=$(kernel_pkg)
	work=$(mktemp -d "$GDIR/fetch.XXXXXX")
	trap 'rm -rf "$work"' EXIT
	gsay "fetching $pkg (once; cached in $GDIR)"
	download "$work" "$pkg"
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
	prune_modules $MODULES
}

# So that the EXIT traps remove temporary directories on Ctrl-C too.
trap 'exit 130' INT TERM HUP
mkdir -p "$GDIR"
if [ $refresh = 1 ] || [ ! -s "$GDIR/vmlinuz" ] || [ ! -s "$GDIR/kernel.id" ]; then
	fetch_kernel
fi
# Rebuilt when init.sh, these scripts or the kernel is newer; the kernel is
# fetched again when MODULES now names a module that was pruned.
ird=$GDIR/initramfs.gz
if [ $refresh = 1 ] || stale "$ird" "$GTOP/scripts/guest/init.sh" "${BASH_SOURCE[0]}" "$GDIR/kernel.id"; then
	(module_order $MODULES >/dev/null 2>&1) || fetch_kernel
	need_busybox
	initramfs "$ird" "$GTOP/scripts/guest/init.sh" $MODULES
fi
