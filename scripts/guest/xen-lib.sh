# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# xen-lib.sh - what the Xen guest scripts share (bash; source it first).
#
# Built, never committed, under build/xen/ (xen-build.sh):
#   xen                     Xen 4.17's multiboot image (ELF32), from
#                           xen-hypervisor-4.17-amd64, unpacked, not installed
#   vmlinuz, vmlinux        Debian's kernel: bzImage for dom0, ELF for the domU
#   modules/                its modules, only those the two initramfs load
#   tools/                  xen-utils-4.17 and its libraries, unpacked
#   dom0.cpio.gz            busybox, dom0's modules, xen-dom0-init.sh as /init
#   domu.cpio.gz            busybox, blkfront and ext4, xen-domu-init.sh
#                           (both with init-lib.sh; build-lib.sh builds them)
#   xen.id                  the packages and versions these came from
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
XDIR=${VMLAT_XEN_DIR:-$GTOP/build/xen}
