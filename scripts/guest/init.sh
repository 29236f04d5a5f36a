#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=dash
#
# init.sh - /init of a vmlat guest's initramfs (build.sh puts it there).
#
# It turns a bare kernel into a fio server that runs the HOST's fio and
# vmlat: load the virtio and 9p modules, mount the host's root read-only
# (9p tag "hostroot") at /host and the guest's output share (tag "out") at
# /out; build a root of the host's system directories and the vmlat tree,
# with the log share (tag "logs") at the log directory's own host path, so
# that a job's vmlat_log_dir means the same directory on both sides; then
# chroot there and start `fio --server` in the vmlat tree, so a job's
# ioengine=external:./engine/vmlat.so loads the host's engine.  guest-up.sh passes the paths on the kernel
# command line as vmlat.KEY=VALUE (no spaces: it refuses such paths).
#
# Any failure is printed on the console and powers the guest off, so that
# guest-up.sh sees QEMU exit and shows the console instead of waiting.
. /lib/init-lib.sh

say() { echo "vmlat-guest: $*" > /dev/console; }
fail() {
	say "error: $*"
	sync
	poweroff -f
	reboot -f
}

kernel_fs /

name=guest cwd=/ logs='' probe=0 port=8765 fio=fio
boot_args name cwd logs probe port fio
# guest-up.sh's accelerator probe: reaching init is the answer.
[ "$probe" = 1 ] && { say "probe ok"; poweroff -f; reboot -f; }

load_modules
host_shares "the output share"
# The new root: the guest's own tmpfs with the host's system directories
# and the vmlat tree (init-lib.sh's host_root).
R=/newroot
host_root $R "$cwd" $R/run $R/var/tmp
# Last, as it may lie under the tree: there it must exist on the host.
if [ -n "$logs" ]; then
	mkdir -p "$R$logs" 2>/dev/null
	[ -d "$R$logs" ] || fail "log directory $logs does not exist in the host's root"
	# cache=mmap: the engine writes its log through a shared mapping, which
	# 9p refuses without a page cache (cache=none, the default)
	mount -t 9p -o "$P9,cache=mmap" logs "$R$logs" || fail "cannot mount the log share (9p tag logs) on $logs"
fi

hostname "$name"
ip link set lo up
ip link set eth0 up || fail "no network interface eth0 (virtio-net)"
ip addr add 10.0.2.15/24 dev eth0
ip route add default via 10.0.2.2

cs=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)
say "clocksource $cs; uptime $(cut -d' ' -f1 /proc/uptime) s"
if [ -x "$R$cwd/analysis/vmlat" ]; then
	chroot $R "$cwd/analysis/vmlat" detect > /out/detect.txt 2>&1
fi
# the host's fio that the build was made for (guest-up.sh's FIO), not
# whichever is first on PATH: client and server must be one release
chroot $R /bin/sh -c 'cd "$1" && exec "$3" --server=ip:0.0.0.0,$2' sh "$cwd" $port "$fio" \
	> /out/fio-server.log 2>&1 &
srv=$!
# Tell the host once the server listens (state 0A, LISTEN, in
# /proc/net/tcp): connecting earlier gets nowhere, as QEMU accepts for the
# guest and then holds the connection open.
listen=$(printf '00000000:%04X 00000000:0000 0A' $port)
while kill -0 $srv 2>/dev/null; do
	if grep -q "^ *[0-9]*: $listen" /proc/net/tcp; then
		cut -d' ' -f1 /proc/uptime > /out/ready
		say "fio server listening in $cwd; uptime $(cat /out/ready) s"
		break
	fi
	sleep 0.2
done
wait $srv
fail "fio server exited with status $?: $(tail -n 3 /out/fio-server.log)"
