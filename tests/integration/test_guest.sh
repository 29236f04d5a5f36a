#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: scripts/guest/ boots a real QEMU guest (TCG, 1 vCPU, Study A's
# virtio-blk disk backed by one host file) that runs the host's fio server
# and vmlat engine, and one Study A cell run through `fio --client` against
# it measures the guest's /dev/vda: fio's JSON has 100 reads from the
# guest's port, the vmlat log lands in the shared host directory with
# 100 records whose offsets are exactly those of the same cell run on the
# host (Study A's "same offsets on every platform"), and `vmlat detect` in
# the guest says qemu (TCG's CPUID signature), not the host's container.
# guest-down.sh then stops QEMU.  TCG is slow: about 20 s to boot here.
. "$(dirname "$0")/../lib.sh"
need_root "QEMU's 9p shares of the host's root and the apt install"
GUEST=$TOP/scripts/guest
command -v qemu-system-x86_64 >/dev/null || "$TOP/scripts/deps.sh" guests >/dev/null 2>&1 || true
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 is not available (scripts/deps.sh guests)"
[ -x "$ENGINE" ] && [ -x "$VMLAT" ] || fail "build first: make"

t0=$(date +%s)
name=t$$
gdir=$TOP/build/guest/$name
at_exit "rm -rf $gdir"
at_exit "$GUEST/guest-down.sh $name"
# A port nothing listens on (other tests run fio servers too).
for _ in $(seq 20); do
	port=$((20000 + RANDOM % 20000))
	(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
done
mkdir -p "$T/logs"
gfail() { fail "$*"$'\n'"$(tail -n 15 "$gdir/console.log" 2>/dev/null)"; }

"$GUEST/guest-up.sh" "$name" --accel tcg --cpus 1 --disk "$T/disk" --disk-size 2100M \
	--port "$port" --logs "$T/logs" --timeout 75 > "$T/up.out" 2>&1 ||
	fail "guest-up failed: $(cat "$T/up.out")"
t_up=$(date +%s)
qpid=$(sed -n 's/^pid=//p' "$gdir/state")
kill -0 "$qpid" || fail "no QEMU process $qpid"

# The cell as vmlat batch will ship it: fio --client sends the job text
# but not its include files, so the target lines are put in its place.
render() { # job-file target logdir
	sed -e "/^include vmlat-target.inc/c\\
filename=$2\\
vmlat_log_dir=$3\\
vmlat_log_name=%j.vmlat\\
vmlat_log_replace=1" "$1"
}
cell=a-randread-4k-load0
render "$TOP/jobs/$cell.fio" /dev/vda "$T/logs" > "$T/guest.fio"
grep -q '^filename=/dev/vda$' "$T/guest.fio" || fail "cannot render $cell.fio: no include line?"
(cd "$TOP" && timeout 60 "$FIO" --client="ip:127.0.0.1,$port" --output-format=json \
	--output="$T/out.txt" "$T/guest.fio") || gfail "fio --client failed: $(tail -n 5 "$T/out.txt")"
t_cell=$(date +%s)

# The server's warnings (the engine's clock warning under TCG) arrive in
# the same output, as "<host> ..." lines before the JSON.
sed -n '/^{/,$p' "$T/out.txt" > "$T/out.json"
# client_stats name the server by the address the client used.
jq -e --arg j "$cell" --argjson p "$port" \
	'[.client_stats[] | select(.jobname == $j)] | length == 1 and .[0].read.total_ios == 100 and .[0].port == $p' \
	"$T/out.json" >/dev/null || fail "fio JSON: not 100 reads of $cell from port $port: $(head -c 400 "$T/out.txt")"
ok "fio --client: 100 reads on $name"

log=$T/logs/$cell.vmlat
[ -f "$log" ] || fail "no vmlat log in the shared directory: $(ls "$T/logs")"
[ "$(records "$log")" = 100 ] || fail "guest log has $(records "$log") records"
hdr() { "$VMLAT" dump "$1" | sed -n "s/^# $2=//p"; }
# The guest's host name is NAME: the log says it ran there, not here.
[ "$(hdr "$log" hostname)" = "$name" ] || fail "log hostname: $(hdr "$log" hostname)"
[ "$(hdr "$log" target.0)" = /dev/vda ] && [ "$(hdr "$log" target.0.kind)" = block ] ||
	fail "log target: $(hdr "$log" target.0) $(hdr "$log" target.0.kind)"
ok "vmlat log: 100 records from /dev/vda on $name"

# The same cell on the host, against a file of the guest disk's size.
mkdir -p "$T/hostlogs"
truncate -s 2100M "$T/hostdisk"
render "$TOP/jobs/$cell.fio" "$T/hostdisk" "$T/hostlogs" > "$T/host.fio"
(cd "$TOP" && "$FIO" --eta=never --output=/dev/null "$T/host.fio") || fail "host run of $cell failed"
offsets() { "$VMLAT" dump "$1" | grep -v '^#' | cut -d, -f3; }
offsets "$log" > "$T/guest.off"
offsets "$T/hostlogs/$cell.vmlat" > "$T/host.off"
cmp -s "$T/guest.off" "$T/host.off" || fail "guest and host offsets differ: $(diff "$T/host.off" "$T/guest.off" | head -n 4)"
ok "offsets identical to the host's run"

det=$gdir/out/detect.txt
grep -qx 'platform.vm=qemu' "$det" || fail "vmlat detect in the guest: $(head -n 4 "$det" 2>/dev/null)"
grep -qx 'platform.container=none' "$det" || fail "guest sees a container: $(grep container "$det")"
ok "vmlat detect in the guest: vm=qemu, no container ($(sed -n 's/.*clocksource \([a-z_]*\).*/\1/p' "$gdir/console.log"))"

"$GUEST/guest-down.sh" "$name" || fail "guest-down failed"
kill -0 "$qpid" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$qpid/status" && fail "QEMU $qpid still runs"
[ ! -e "$gdir/state" ] || fail "state file left behind"
t_end=$(date +%s)
ok "guest stopped; boot $((t_up - t0)) s, cell $((t_cell - t_up)) s, total $((t_end - t0)) s"
