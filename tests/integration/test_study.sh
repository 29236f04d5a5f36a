#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: scripts/study.sh (what `make study` runs) takes one Study A cell
# end to end on the host and in a real QEMU guest (TCG, 1 vCPU, Study A's
# virtio-blk disk backed by one host file), both through `vmlat batch` with
# the config it wrote from configs/study-local.conf.in: the host's cell
# through a fio server on 127.0.0.1 on a raw loop device, the guest's
# through the guest's fio server, its log fetched by the local: route from
# the 9p-shared directory.  Each cell has fio's JSON (100 IOs, the guest's
# from the guest's port) and one vmlat log of 100 records whose header says
# where it ran: the guest's host name, /dev/vda, platform.vm=qemu (TCG's
# CPUID signature, what `vmlat detect` in the guest says too, with no
# container), the host's own platform on the host; the tags and labels
# carry the condition.  Both logs have exactly the same offsets (Study A's
# same work on every platform).  The report (its CSV) has the guest's cell
# with a ratio to the host's raw device, the baseline.
# Afterwards nothing of the run is left: no QEMU, no loop device, no fio
# server.  A kernel that does not boot, a missing QEMU, a bad option, a
# guest of the same name running already and Ctrl-C during a boot each end
# the run with a message and a non-zero exit, leaving nothing behind.  (This also covers what scripts/guest/ promises of a guest.)
. "$(dirname "$0")/../lib.sh"
need_root "losetup, and QEMU's 9p shares of the host's root"
command -v qemu-system-x86_64 >/dev/null || "$TOP/scripts/deps.sh" guests >/dev/null 2>&1 || true
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 is not available (scripts/deps.sh guests)"
[ -x "$ENGINE" ] && [ -x "$VMLAT" ] || fail "build first: make"

STUDY=$TOP/scripts/study.sh
GDIR=$TOP/build/guest
pfx=t$$-
at_exit "for g in $GDIR/$pfx*; do [ -d \$g ] && $TOP/scripts/guest/guest-down.sh \$(basename \$g); rm -rf \$g; done"
cell=a-randread-4k-load0
# study [ARGS]: a small study into $T/out.N (sparse disks: only the machinery)
n=0
study() {
	n=$((n + 1))
	"$STUDY" --accel tcg --sparse --disks "$T/disks" --prefix "$pfx" --boot-timeout 90 \
		--jobs "jobs/$cell.fio" -o "$T/out.$n" "$@"
}
t0=$(date +%s)

# --- the run --------------------------------------------------------------
study --only host,one-vcpu > "$T/stdout" 2> "$T/stderr" || fail "study failed (exit $?): $(tail -n 30 "$T/stderr")"
O=$T/out.1
t_run=$(date +%s)
grep -q '^study: 2 cells in 2 conditions' "$T/stderr" && grep -q "^\[1/1\] guest vm1c: $cell \.\.\. ok" "$T/stderr" ||
	fail "progress lines: $(cat "$T/stderr")"
grep -q "^study: done in .*; report: $O/report.txt" "$T/stdout" || fail "no word of the report: $(cat "$T/stdout")"

# ports and names as the filled config has them
addr() { sed -n "/^\[guest $1\]/,/^\[/s/^address = 127.0.0.1://p" "$O/study.conf"; }
gport=$(addr vm1c) hport=$(addr host-raw)
[ -n "$gport" ] && [ -n "$hport" ] && ! grep -q '@[A-Z_]*@' "$O/study.conf" || fail "study.conf: $(cat "$O/study.conf")"

hdr() { "$VMLAT" dump "$1" | sed -n "s/^# $2=//p"; }
# check_cell DIR JOBPORT: complete, fio's 100 reads from that port, one log of 100 records
check_cell() {
	local d=$1 logs
	[ -f "$d/complete" ] || fail "$d not complete: $(ls -a "$(dirname "$d")")"
	sed -n '/^{/,$p' "$d/fio.json" | jq -e --arg j "$cell" --argjson p "$2" \
		'[.client_stats[] | select(.jobname == $j)] | length == 1 and .[0].read.total_ios == 100 and .[0].port == $p' \
		>/dev/null || fail "$d/fio.json: not 100 reads from port $2: $(head -c 400 "$d/fio.json")"
	logs=("$d"/*.vmlat)
	[ ${#logs[@]} = 1 ] && [ -f "${logs[0]}" ] || fail "$d: ${#logs[@]} vmlat logs"
	[ "$(records "${logs[0]}")" = 100 ] || fail "$d: $(records "${logs[0]}") records"
	log=${logs[0]}
}
# has_tags LOG LABELS K=V...: each as a tag in the log and a line of the labels file
has_tags() {
	local log=$1 labels=$2 t
	shift 2
	for t in "$@"; do
		"$VMLAT" dump "$log" | grep -qx "# tag.$t" || fail "$log: no tag $t"
		grep -qx "$t" "$labels" || fail "$labels: no label $t: $(cat "$labels")"
	done
}

d=$O/results/one-vcpu/vm1c/$cell
check_cell "$d" "$gport"
glog=$log
[ "$(hdr "$glog" platform.vm)" = qemu ] || fail "guest log: platform.vm=$(hdr "$glog" platform.vm), not qemu"
[ "$(hdr "$glog" hostname)" = "${pfx}vm1c" ] || fail "guest log hostname: $(hdr "$glog" hostname)"
[ "$(hdr "$glog" target.0)" = /dev/vda ] && [ "$(hdr "$glog" target.0.kind)" = block ] ||
	fail "guest log target: $(hdr "$glog" target.0) $(hdr "$glog" target.0.kind)"
[ "$(hdr "$glog" run.cpus.online_count)" = 1 ] || fail "guest has $(hdr "$glog" run.cpus.online_count) vCPUs"
has_tags "$glog" "$d/labels" guest=vm1c layer=guest disk=virtio-file cores=1 vms=1
ok "guest cell through vmlat batch: 100 reads from port $gport, log of 100 records, platform.vm=qemu, labels"

det=$O/guests/${pfx}vm1c.detect
grep -qx 'platform.vm=qemu' "$det" && grep -qx 'platform.container=none' "$det" ||
	fail "vmlat detect in the guest: $(head -n 4 "$det" 2>/dev/null)"
grep -q "^study: guest ${pfx}vm1c: vmlat detect in the guest says vm=qemu, container=none" "$T/stderr" ||
	fail "detection not reported: $(cat "$T/stderr")"
ok "vmlat detect in the guest: vm=qemu, no container"

d=$O/results/host/host-raw/$cell
check_cell "$d" "$hport"
hlog=$log
want=$("$VMLAT" detect | sed -n 's/^platform.vm=//p')
[ "$(hdr "$hlog" platform.vm)" = "$want" ] || fail "host log: platform.vm=$(hdr "$hlog" platform.vm), vmlat detect: $want"
if command -v systemd-detect-virt >/dev/null; then
	sdv=$(systemd-detect-virt --vm || true)
	[ "$sdv" = "$want" ] || fail "host: systemd-detect-virt --vm says $sdv, the log $want"
fi
[[ $(hdr "$hlog" target.0) == /dev/loop* ]] && [ "$(hdr "$hlog" target.0.kind)" = block ] ||
	fail "host log target: $(hdr "$hlog" target.0) $(hdr "$hlog" target.0.kind)"
has_tags "$hlog" "$d/labels" guest=host-raw layer=host cores="$(nproc)" vms=0
ok "host cell on $(hdr "$hlog" target.0) through a fio server on 127.0.0.1: platform.vm=$want"

offsets() { "$VMLAT" dump "$1" | grep -v '^#' | cut -d, -f3; }
cmp -s <(offsets "$glog") <(offsets "$hlog") || fail "guest and host offsets differ"
ok "guest and host read the same 100 offsets"

# The cells as vmlat report's CSV (a row per cell, columns by name): the
# text table's layout changes with the width of the numbers, the CSV's not.
# cell_row K=V...: the CSV row whose columns have these values, as NAME=VALUE lines
cell_row() {
	awk -F, -v want="$*" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; nw = split(want, w, " "); next }
		{ for (j = 1; j <= nw; j++) { split(w[j], kv, "="); if ($(col[kv[1]]) != kv[2]) next }
		  for (name in col) print name "=" $(col[name]); exit }' "$O/report.csv"
}
cval() { sed -n "s/^$1=//p" <<<"$2"; }
num='^[0-9]+(\.[0-9]+)?(e[-+]?[0-9]+)?$'
host=$(cell_row platform="$want" layer=host cores="$(nproc)" vms=0 rw=randread bs=4096 load=0)
guest=$(cell_row platform=qemu layer=guest disk=virtio-file cores=1 vms=1 rw=randread bs=4096 load=0)
[ -n "$host" ] && [ -n "$guest" ] || fail "report.csv: no host or no guest cell: $(cat "$O/report.csv")"
[[ $(cval disk "$host") == raw-loop* ]] && [ "$(cval diff "$host")" = baseline ] ||
	fail "report.csv: the host's cell is not the raw-loop baseline: $host"
for c in "$host" "$guest"; do
	[ "$(cval n "$c")" = 100 ] || fail "report.csv: n=$(cval n "$c"), not 100: $c"
	for k in min_ns mean_ns max_ns; do [[ $(cval $k "$c") =~ $num ]] || fail "report.csv: $k not a number: $c"; done
done
[[ $(cval ratio "$guest") =~ $num ]] && [[ $(cval diff "$guest") =~ ^(slower|faster|)$ ]] ||
	fail "report.csv: the guest's cell has no ratio to the host's: $guest"
grep -q 'qemu/guest/virtio-file/1/1' "$O/report.txt" && grep -q '^| randread ' "$O/report.md" ||
	fail "report.txt or report.md lacks the guest's cells: $(cat "$O/report.txt")"
ok "report.csv: the guest's cell against the host's raw device (ratio $(cval ratio "$guest")); report.txt and report.md written"

qpid=$(sed -n 's/^pid=//p' "$O/guests/${pfx}vm1c.state")
[ -n "$qpid" ] || fail "no QEMU pid in the guest's state"
{ kill -0 "$qpid" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$qpid/status"; } && fail "QEMU $qpid still runs"
[ ! -e "$GDIR/${pfx}vm1c/state" ] || fail "guest state left behind"
[ -z "$(losetup -j "$T/disks/host-raw.img")" ] || fail "loop device left: $(losetup -j "$T/disks/host-raw.img")"
(exec 3<>"/dev/tcp/127.0.0.1/$hport") 2>/dev/null && fail "the host's fio server still listens on $hport"
ok "QEMU, loop device and fio server gone; boot and cells took $((t_run - t0)) s"

# --- failures: a message, a non-zero exit, nothing left -------------------
# nothing_left: no QEMU of this test's guests, no state, no loop device
nothing_left() {
	sleep 0.5
	! pgrep -f -- "-name vmlat-$pfx" >/dev/null && ! ls "$GDIR/$pfx"*/state >/dev/null 2>&1 &&
		[ -z "$(losetup -j "$T/disks/host-raw.img")" ]
}
rc=0
VMLAT_GUEST_APPEND=rdinit=/nonexistent study --only one-vcpu > /dev/null 2> "$T/err" || rc=$?
[ $rc = 1 ] || fail "a kernel that does not boot: exit $rc: $(cat "$T/err")"
grep -q "^study: error: guest ${pfx}vm1c did not come up" "$T/err" && grep -q 'Kernel panic' "$T/err" ||
	fail "a kernel that does not boot: $(cat "$T/err")"
nothing_left || fail "left behind after a failed boot"
ok "a kernel that does not boot: exit 1, the panic shown, nothing left"

rc=0
QEMU=/nonexistent/qemu-system-x86_64 study --only one-vcpu > /dev/null 2> "$T/err" || rc=$?
[ $rc = 1 ] && grep -q "^study: error: '/nonexistent/qemu-system-x86_64' is missing: apt-get install qemu-system-x86" "$T/err" ||
	fail "no QEMU: exit $rc: $(cat "$T/err")"
ok "a missing QEMU: exit 1, the package named"

rc=0
study --only one-vcpu,bogus > /dev/null 2> "$T/err" || rc=$?
[ $rc = 1 ] && grep -q "^study: error: --only: unknown condition 'bogus'" "$T/err" ||
	fail "--only bogus: exit $rc: $(cat "$T/err")"
# A guest of that name that runs already (here a stand-in process) is
# another run's: refused, and left alone on the way out.
mkdir -p "$GDIR/${pfx}vm1c"
sleep 60 &
other=$!
at_exit "kill $other"
echo "pid=$other" > "$GDIR/${pfx}vm1c/state"
rc=0
study --only one-vcpu > /dev/null 2> "$T/err" || rc=$?
[ $rc = 1 ] && grep -q "^study: error: guest ${pfx}vm1c is running already" "$T/err" ||
	fail "a guest of that name running: exit $rc: $(cat "$T/err")"
[ -f "$GDIR/${pfx}vm1c/state" ] && kill -0 $other || fail "the other run's guest was stopped"
ok "bad --only, and a guest of that name running already: exit 1, named"

# Ctrl-C reaches the whole foreground process group: so does this SIGINT,
# sent once the guest's QEMU runs (its state file; the failed boot's is gone).
# (env: an asynchronous command of a script starts with SIGINT ignored.)
rm -rf "$GDIR/${pfx}vm1c"
setsid env --default-signal=INT "$STUDY" --accel tcg --sparse --disks "$T/disks" --prefix "$pfx" --jobs "jobs/$cell.fio" \
	-o "$T/out.int" --only one-vcpu > /dev/null 2> "$T/err" &
spid=$!
for _ in $(seq 300); do
	grep -q '^study: booting guest' "$T/err" && [ -e "$GDIR/${pfx}vm1c/state" ] && break
	sleep 0.1
done
[ -e "$GDIR/${pfx}vm1c/state" ] || fail "the guest did not start booting within 30 s: $(cat "$T/err")"
kill -INT -- "-$spid" || fail "no process group $spid to interrupt"
rc=0
timeout 30 tail --pid="$spid" -f /dev/null || fail "study did not end within 30 s of SIGINT"
wait "$spid" || rc=$?
[ $rc = 130 ] || fail "exit $rc after SIGINT, not 130: $(cat "$T/err")"
grep -q '^study: interrupted: stopping' "$T/err" || fail "no word of the interrupt: $(cat "$T/err")"
nothing_left || fail "left behind after SIGINT: $(pgrep -af "vmlat-$pfx") $(ls "$GDIR/$pfx"*/state 2>&1)"
ok "Ctrl-C during a boot: exit 130, guest, loop device and server gone; $(($(date +%s) - t0)) s in all"
