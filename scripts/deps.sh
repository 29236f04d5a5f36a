#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# deps.sh - install the Debian packages vmlat needs to build, test and run
# its demo, when they are missing.  Nothing is installed when all are there,
# so `make check` on a ready machine needs neither root nor network.
#
#   scripts/deps.sh          what building and testing need
#   scripts/deps.sh guests   what scripts/guest/ needs to boot QEMU guests
#   scripts/deps.sh fio-build  what building fio from source needs (make
#                            check-fio-new: the optional features are off)
#   scripts/deps.sh xen      what scripts/guest/xen-run.sh needs besides: Xen,
#                            its tools and the kernel are only downloaded
#                            (xen-build.sh), never installed, as installing
#                            them would change the boot loader and systemd
set -eu

PKGS="gcc make libc6-dev fio dpkg-dev libblkid-dev libjansson-dev libcmocka-dev
      liburing-dev libaio-dev
      e2fsprogs fdisk util-linux jq procps openssh-client openssh-server
      gnuplot-nox chromium clang libclang-rt-dev"
# Only asked for by the guest scripts: QEMU alone is a few hundred MB.
[ "${1:-}" = guests ] && PKGS="qemu-system-x86 busybox-static cpio xz-utils"
[ "${1:-}" = fio-build ] && PKGS="gcc make libc6-dev dpkg-dev tar gzip xz-utils"
# mke2fs -d and debugfs (e2fsprogs) make the domU's disk and read it back
[ "${1:-}" = xen ] && PKGS="qemu-system-x86 busybox-static cpio xz-utils e2fsprogs"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "vmlat: installing:$missing" >&2
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null 2>&1 || { echo "vmlat: need root to install:$missing" >&2; exit 1; }
	SUDO=sudo
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
