# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=dash
#
# init-lib.sh - what the guests' /init scripts share (busybox sh): init.sh,
# xen-dom0-init.sh and xen-domu-init.sh source it from /lib/init-lib.sh,
# where build-lib.sh's initramfs puts it beside them, first thing: it
# makes busybox's commands.  Each init defines say and fail (its own
# console prefix and status file) before calling the functions below.
/bin/busybox --install -s /bin
export PATH=/bin

# kernel_fs DIR: proc, sysfs and devtmpfs under DIR (/ for the initramfs itself).
kernel_fs() {
	mount -t proc proc "${1%/}/proc"
	mount -t sysfs sys "${1%/}/sys"
	mount -t devtmpfs dev "${1%/}/dev"
}

# boot_args KEY...: each vmlat.KEY=VALUE of the kernel command line into the
# variable KEY (the last one given wins; keys not named are ignored).
boot_args() {
	local w k
	for w in $(cat /proc/cmdline); do
		for k in "$@"; do
			case $w in "vmlat.$k="*) eval "$k=\${w#*=}" ;; esac
		done
	done
}

# load_modules: the initramfs's modules, in the order build-lib.sh numbered them.
load_modules() {
	local m
	for m in /lib/modules/*.ko; do
		insmod "$m" || fail "cannot load module $m"
	done
}

# P9: QEMU's 9p shares, over virtio, with large messages.
P9="trans=virtio,version=9p2000.L,msize=262144"

# host_shares WHAT: the host's root read-only at /host and the 9p share
# "out" (WHAT, for the message) at /out.  cache=loose on the read-only
# root: fio's binary and libraries are read through the guest's page cache
# instead of one 9p request per page.
host_shares() {
	mount -t 9p -o "$P9,ro,cache=loose" hostroot /host || fail "cannot mount the host's root (9p tag hostroot)"
	mount -t 9p -o "$P9" out /out || fail "cannot mount $1 (9p tag out)"
}

# host_root R CWD [DIR...]: at R, a tmpfs holding only the host's system
# directories (bound from /host) and the vmlat tree CWD, with its own
# proc, sys and dev, and the empty directories DIR... (paths under R).
# Not the host's whole root: its marks of a container (/.dockerenv,
# /run/...) would make vmlat detect in the guest report the host's.
host_root() {
	local r=$1 cwd=$2 d
	shift 2
	mount -t tmpfs root "$r"
	mkdir -p "$r/proc" "$r/sys" "$r/dev" "$r/tmp" "$@"
	for d in bin sbin lib lib32 lib64 libx32 usr etc opt; do
		if [ -L "/host/$d" ]; then
			ln -s "$(readlink "/host/$d")" "$r/$d"
		elif [ -d "/host/$d" ]; then
			mkdir "$r/$d" && mount --bind "/host/$d" "$r/$d"
		fi
	done
	kernel_fs "$r"
	mkdir -p "$r$cwd" && mount --bind "/host$cwd" "$r$cwd" || fail "cannot bind the vmlat tree $cwd"
}
