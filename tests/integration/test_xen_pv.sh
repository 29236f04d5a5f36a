#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: scripts/guest/xen-run.sh boots real Xen 4.17 (under QEMU, TCG)
# with a PV dom0 and a 1-vCPU PV domU, and the domU runs one 100-IO cell
# with the host's fio (FIO=) and vmlat's engine on its /dev/xvda, which is
# blkfront -> blkback in dom0 -> a regular host file.  The log comes back
# to the host with 100 records, and its header says where it ran:
# platform.vm=xen, platform.xen.role=domU, platform.xen.guest_type=PV,
# target xvda with driver vbd (xen-blkfront), the Xen clocksource.
# `vmlat detect` in dom0 says dom0 and the emulator below it (two layers).
# A dom0 that does not boot stops the run with the end of its console;
# Ctrl-C during a boot stops QEMU.  Nothing is left running afterwards.
# Skipped only where the packages cannot be had (no QEMU, no apt download).
. "$(dirname "$0")/../lib.sh"
need_root "QEMU's 9p share of the host's root"
command -v qemu-system-x86_64 >/dev/null || "$TOP/scripts/deps.sh" xen >/dev/null 2>&1 || true
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 is not available (scripts/deps.sh xen)"
command -v debugfs >/dev/null || skip "debugfs is not available (scripts/deps.sh xen: e2fsprogs)"
# Checked with dpkg's fio only: the one run with a fio built in build/
# (make check-fio-new, from a clone in /tmp) failed on the tmpfs that hid the
# image's /tmp, fixed in xen-domu-init.sh, and has not been redone since.
case $(readlink -f "$FIO") in
/usr/bin/*) ;;
*) skip "FIO=$FIO is not dpkg's fio: the Xen guest is checked with dpkg's fio only (make check)" ;;
esac
[ -x "$ENGINE" ] && [ -x "$VMLAT" ] || fail "build first: make"
XEN=$TOP/scripts/guest
"$XEN/xen-build.sh" > "$T/build" 2>&1 || {
	grep -q 'apt-get download' "$T/build" && skip "Xen's packages cannot be downloaded: $(tail -n 1 "$T/build")"
	fail "xen-build.sh: $(cat "$T/build")"
}

name=x$$
at_exit "rm -rf $TOP/build/xen/run/$name $TOP/build/xen/run/.$name.lock"
# gone: no QEMU of this test, no root image left
gone() {
	sleep 0.5
	! pgrep -f -- "-name vmlat-xen-$name" >/dev/null && [ ! -e "$TOP/build/xen/run/$name/root.img" ]
}
cat > "$T/cell.fio" <<EOF
[global]
ioengine=external:$ENGINE
filename=/dev/xvda
thread=1
direct=1
rw=randread
bs=4k
size=2g
vmlat_log_dir=/vmlat/out/c1
vmlat_tags=platform_test=xen-pv
[xcell]
number_ios=100
EOF
echo "c1 $T/cell.fio" > "$T/cells"
t0=$(date +%s)
"$XEN/xen-run.sh" "$name" --accel tcg --disk "$T/disk.img" --disk-size 4G --cells "$T/cells" \
	--out "$T/out" --timeout 480 > "$T/run" 2>&1 || fail "xen-run failed (exit $?): $(tail -n 40 "$T/run")"
secs=$(($(date +%s) - t0))
grep -q "^xen-run: done in .*: 1 cells" "$T/run" || fail "no end line: $(cat "$T/run")"
[ "$(cat "$T/out/c1/rc")" = 0 ] || fail "fio in the domU: exit $(cat "$T/out/c1/rc"): $(cat "$T/out/c1/fio.err")"
log=$T/out/c1/xcell.1.vmlat
[ -f "$log" ] || fail "no vmlat log back from the domU: $(ls -R "$T/out")"
[ "$(records "$log")" = 100 ] || fail "$(records "$log") records, not 100"
sed -n '/^{/,$p' "$T/out/c1/fio.json" | jq -e '.jobs[0].read.total_ios == 100' >/dev/null || fail "fio.json: not 100 reads"
ok "Xen PV domU: 100-IO cell on /dev/xvda, log of 100 records back on the host in $secs s"

hdr() { "$VMLAT" dump "$log" | sed -n "s/^# $1=//p"; }
for kv in platform.vm=xen platform.xen.role=domU platform.xen.guest_type=PV target.0=/dev/xvda \
	target.0.disk=xvda target.0.driver=vbd run.clocksource=xen run.cpus.online_count=1 \
	platform.below=qemu hostname="$name" tag.platform_test=xen-pv; do
	[ "$(hdr "${kv%%=*}")" = "${kv#*=}" ] || fail "log header: ${kv%%=*}=$(hdr "${kv%%=*}"), want ${kv#*=}"
done
[ -n "$(hdr run.clocksource.available)" ] || fail "no run.clocksource.available"
grep -qx 'platform.vm=xen' "$T/out/detect.txt" && grep -qx 'platform.xen.role=domU' "$T/out/detect.txt" ||
	fail "vmlat detect in the domU: $(head -n 6 "$T/out/detect.txt")"
ok "log header: vm xen (on qemu), PV domU, xvda on vbd (xen-blkfront), clocksource $(hdr run.clocksource)"

d0=$T/out/dom0-detect.txt
grep -qx 'platform.vm=xen' "$d0" && grep -qx 'platform.xen.role=dom0' "$d0" &&
	grep -qx 'platform.below=qemu' "$d0" && grep -q '^vm: xen (PV, dom0) on qemu$' "$d0" ||
	fail "vmlat detect in dom0: $(head -n 8 "$d0")"
gone || fail "QEMU or the domU's disk image left behind"
ok "vmlat detect in dom0: xen dom0 on qemu; nothing left running"

# --- failures: named, with the console's end; nothing left ---------------
rc=0
VMLAT_XEN_APPEND=rdinit=/nonexistent "$XEN/xen-run.sh" "$name" --accel tcg --disk "$T/disk.img" \
	--cells "$T/cells" --out "$T/out2" --timeout 300 > "$T/err" 2>&1 || rc=$?
[ $rc = 1 ] && grep -q 'Xen or dom0 did not boot' "$T/err" && grep -q 'Kernel panic' "$T/err" ||
	fail "a dom0 that does not boot: exit $rc: $(cat "$T/err")"
gone || fail "left behind after a failed boot"
ok "a dom0 that does not boot: exit 1, its panic shown"

# Ctrl-C reaches the whole foreground process group, QEMU included; an
# asynchronous command of a script starts with SIGINT ignored, hence env.
setsid env --default-signal=INT "$XEN/xen-run.sh" "$name" --accel tcg --disk "$T/disk.img" \
	--cells "$T/cells" --out "$T/out3" --timeout 300 > "$T/int" 2>&1 &
pid=$!
for _ in $(seq 300); do pgrep -f -- "-name vmlat-xen-$name" >/dev/null && break; sleep 0.2; done
sleep 3
kill -INT -- "-$pid" || fail "no process group $pid to interrupt"
rc=0
wait $pid || rc=$?
[ $rc = 130 ] && grep -q 'interrupted: stopping Xen' "$T/int" || fail "Ctrl-C: exit $rc: $(cat "$T/int")"
gone || fail "QEMU left after Ctrl-C"
ok "Ctrl-C during the boot: exit 130, QEMU stopped"
