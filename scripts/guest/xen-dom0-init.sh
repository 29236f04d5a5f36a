#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=dash
#
# xen-dom0-init.sh - /init of the Xen PV dom0's initramfs (xen-build.sh
# puts it there; xen-run.sh boots it).
#
# dom0 is a toolstack and a disk backend, nothing else: it mounts the
# host's root read-only over 9p as the QEMU guests do (init.sh), builds a
# root of the host's system directories and the vmlat tree, starts
# xenstored, xen-init-dom0 and xenconsoled from the unpacked Xen tools,
# creates the domU described by the run directory's domu.cfg (the 9p share
# "out", at /out here and in that root), waits for it to power off, and
# powers off itself, which ends Xen and QEMU.  Its disks are QEMU's
# virtio disks: /dev/vda (the measured disk, a host file) and /dev/vdb (the
# domU's root image); blkback hands them to the domU as xvda and xvdb.
#
# Every step prints "vmlat-dom0: ..." on the console and writes the same
# to /out/dom0.status (last line: "done" or "error: ..."), which xen-run.sh
# reads after QEMU exits.
. /lib/init-lib.sh

say() { echo "vmlat-dom0: $*" > /dev/console; echo "$*" >> /out/dom0.status 2>/dev/null; }
fail() {
	say "error: $*"
	sync
	poweroff -f
}

kernel_fs /

name=domu cwd=/ xdir='' limit=900
boot_args name cwd xdir limit

load_modules
host_shares "the run directory"
: > /out/dom0.status
say "up at $(cut -d' ' -f1 /proc/uptime) s: $(cat /sys/hypervisor/guest_type 2>/dev/null) dom0 on Xen $(cat /sys/hypervisor/version/major 2>/dev/null).$(cat /sys/hypervisor/version/minor 2>/dev/null)"

# The root the tools run in: the host's system directories and the vmlat
# tree (init-lib.sh's host_root), with dom0's own writable /var and /run.
R=/newroot
host_root $R "$cwd" $R/run/vmlat $R/out $R/var/run/xen $R/var/lib/xen \
	$R/var/log/xen $R/var/lib/xenstored $R/var/run/xenstored $R/var/lock $R/var/tmp
# xenconsoled gives each domU console a pty
mkdir -p $R/dev/pts && mount -t devpts devpts $R/dev/pts
mount -t xenfs xenfs $R/proc/xen || fail "cannot mount xenfs on /proc/xen"
if [ -n "$xdir" ] && [ ! -d "$R$xdir" ]; then
	mkdir -p "$R$xdir" && mount --bind "/host$xdir" "$R$xdir" || fail "cannot bind $xdir"
fi
mount --bind /out $R/out

T=$xdir/tools
# inr CMD...: run a Xen tool in that root.
inr() {
	chroot $R /usr/bin/env PATH="$T/usr/lib/xen-4.17/bin:$T/usr/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
		LD_LIBRARY_PATH="$T/usr/lib/x86_64-linux-gnu:$T/usr/lib/xen-4.17/lib/x86_64-linux-gnu" "$@"
}

# What dom0 itself is, in vmlat's words (two layers: Xen and the emulator).
[ -x "$R$cwd/analysis/vmlat" ] && chroot $R "$cwd/analysis/vmlat" detect > /out/dom0-detect.txt 2>&1

# block_script DEV: the disk hotplug script for DEV.  libxl kills the stock
# /etc/xen/scripts/block after 10 s, which under TCG it always needs (it
# forks dozens of times); all blkback needs is the device number, known
# here, so the script is one exec of xenstore-write.
block_script() {
	local dev=$1 s=$R/run/vmlat/block-${1##*/} mm
	mm=$(stat -L -c '%t:%T' "$dev") || fail "no $dev in dom0 (QEMU's virtio disk)"
	cat > "$s" <<EOF
#!/bin/sh
# hotplug script of $dev, written by xen-dom0-init.sh
[ "\$1" = add ] || exit 0
exec xenstore-write "\$XENBUS_PATH/physical-device" $mm "\$XENBUS_PATH/physical-device-path" $dev "\$XENBUS_PATH/hotplug-status" connected
EOF
	chmod 755 "$s"
}
block_script /dev/vda
block_script /dev/vdb

inr xenstored --pid-file /var/run/xenstored.pid > /out/xenstored.log 2>&1 || fail "xenstored did not start: $(tail -n 3 /out/xenstored.log)"
i=0
until inr xenstore-exists / 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 120 ] || fail "xenstored does not answer after 60 s"
	sleep 0.5
done
inr xen-init-dom0 > /out/xen-init-dom0.log 2>&1 || fail "xen-init-dom0 failed: $(tail -n 3 /out/xen-init-dom0.log)"
mkdir -p /out/console
inr xenconsoled --log=guest --log-dir=/out/console > /out/xenconsoled.log 2>&1 ||
	say "xenconsoled did not start (no domU console log): $(tail -n 2 /out/xenconsoled.log)"
say "xenstored and xenconsoled up at $(cut -d' ' -f1 /proc/uptime) s; xl create $name (up to $limit s for it to run and power off)"

# xl create -F stays until the domU is gone (on_poweroff=destroy), so
# nothing here polls on dom0's timers; a watchdog destroys a domU that
# outlives the deadline (the host keeps a deadline of its own too).
inr xl -v create -F /out/domu.cfg > /out/xl-create.log 2>&1 &
xlpid=$!
(sleep "$limit"; echo deadline > /vmlat-deadline; inr xl destroy "$name") > /dev/null 2>&1 &
dog=$!
rc=0
wait $xlpid || rc=$?
kill $dog 2>/dev/null
[ ! -e /vmlat-deadline ] || fail "the domU did not finish in $limit s: destroyed"
[ $rc = 0 ] || {
	grep -qi 'hotplug\|unable to add disk' /out/xl-create.log &&
		fail "xl create: the domU's disk hotplug failed: $(grep -i 'hotplug\|disk' /out/xl-create.log | tail -n 3)"
	fail "xl create failed (exit $rc): $(tail -n 4 /out/xl-create.log)"
}
say "done: domU $name powered off at $(cut -d' ' -f1 /proc/uptime) s"
sync
umount $R/out /out 2>/dev/null
poweroff -f
