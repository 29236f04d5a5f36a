#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=dash
#
# xen-domu-init.sh - /init of the Xen PV domU's initramfs (xen-build.sh
# puts it there).
#
# The domU has no 9p (no QEMU below it, only Xen's split drivers), so
# xen-run.sh hands it everything on its second disk, xvdb: an ext2 image
# holding the host's fio and vmlat with their libraries at their host
# paths, and /vmlat/cells, one "CELL JOBFILE" line per cell.  This init
# mounts it as the root, runs `vmlat detect` and every cell's job with the
# host's fio (each under a deadline, vmlat.cell_s seconds), writes fio's
# JSON, exit status and the vmlat logs under /vmlat/out/CELL/ on that disk,
# and powers off; xen-run.sh reads /vmlat/out from the image afterwards.
# The measured disk is xvda (blkfront -> blkback in dom0 -> a host file).
. /lib/init-lib.sh

say() { echo "vmlat-domu: $*" > /dev/console; }
fail() {
	say "error: $*"
	[ -d /newroot/vmlat/out ] && echo "error: $*" >> /newroot/vmlat/out/status
	sync
	poweroff -f
}

kernel_fs /
name=domu cell_s=600
boot_args name cell_s
load_modules
i=0
until [ -b /dev/xvda ] && [ -b /dev/xvdb ]; do
	i=$((i + 1))
	[ $i -lt 300 ] || fail "no /dev/xvda and /dev/xvdb after 60 s (blkfront): $(ls /dev | grep xvd | tr '\n' ' ')"
	sleep 0.2
done
R=/newroot
mount -t ext2 /dev/xvdb $R || fail "cannot mount the root image xvdb"
mkdir -p $R/proc $R/sys $R/dev $R/tmp $R/vmlat/out
kernel_fs $R
# A tree under /tmp (a clone there) puts the host's engine, vmlat or fio
# under the image's /tmp: a tmpfs on top would hide them.
tmpfs=0
if [ -z "$(ls -A $R/tmp)" ]; then mount -t tmpfs tmp $R/tmp && tmpfs=1; fi
hostname "$name"
# the engine's TCP probes need the loopback interface
ip link set lo up
say "up at $(cut -d' ' -f1 /proc/uptime) s: $(cat /sys/hypervisor/guest_type) domU, $(grep -c ^processor /proc/cpuinfo) vCPU, clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"

. $R/vmlat/env # FIO, VMLAT: the host's paths of fio and vmlat
chroot $R "$VMLAT" detect > $R/vmlat/out/detect.txt 2>&1
n=0
while read -r cell job; do
	[ -n "$cell" ] || continue
	n=$((n + 1))
	o=/vmlat/out/$cell
	mkdir -p "$R$o"
	t0=$(cut -d' ' -f1 /proc/uptime)
	rc=0
	chroot $R /bin/busybox sh -c 'cd "$1" && exec timeout -s KILL "$2" "$3" --eta=never --output-format=json --output=fio.json "$4"' \
		sh "$o" "$cell_s" "$FIO" "$job" > "$R$o/fio.err" 2>&1 || rc=$?
	echo $rc > "$R$o/rc"
	say "cell $n $cell: fio exit $rc in $(awk -v a="$t0" '{ printf "%.1f", $1 - a }' /proc/uptime) s"
done < $R/vmlat/cells
echo done >> $R/vmlat/out/status
sync
umount $R/proc $R/sys $R/dev
[ $tmpfs = 0 ] || umount $R/tmp
umount $R || mount -o remount,ro $R
say "done: $n cells"
poweroff -f
