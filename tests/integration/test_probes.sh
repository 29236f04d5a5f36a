#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves, through the real fio: the engine measures Study B's probes before
# the first IO and writes them into the log header; once per process (two
# thread=1 jobs carry the very same values, two processes each their own);
# vmlat_probes=0 leaves no probe key; with fio's cpus_allowed giving one
# vCPU the cross-vCPU round trip is n/a with a reason and every IO still
# runs on that vCPU (the probes gave the thread its affinity back); the
# scratch file is gone and stdout stays fio's valid JSON.
. "$(dirname "$0")/../lib.sh"
command -v jq >/dev/null || skip "needs jq"

VALUES="bitop_ns pagefault_file_ns_per_page pagefault_file_ns_per_fault pagefault_anon_ns_per_page
	pagefault_anon_ns_per_fault mmap_ns tcp_rtt_same_cpu_ns total_ms"

# run NAME ARGS...: a 20-IO randread job in $T/NAME, fio's JSON in out.json
run() {
	local name=$1
	shift
	mkdir -p "$T/$name"
	(cd "$T/$name" && vmlat_fio --name=p --filename="$T/data" --size=16M --rw=randread --bs=4k \
		--number_ios=20 "$@" --output-format=json --output=out.json 2>err) ||
		fail "$name: fio failed: $(cat "$T/$name/err")"
	jq -e '.jobs | length > 0' "$T/$name/out.json" >/dev/null || fail "$name: fio's JSON is not valid"
}
probes() { "$VMLAT" dump "$1" | sed -n 's/^# \(probe\.\)/\1/p'; }
key() { probes "$1" | sed -n "s/^probe\.$2=//p"; }

run default
log=$T/default/p.1.vmlat
for k in $VALUES; do
	v=$(key "$log" "$k")
	[[ $v =~ ^[0-9]+\.[0-9]{3}$ ]] && awk -v v="$v" 'BEGIN { exit !(v > 0) }' ||
		fail "default: probe.$k='$v'"
done
[ "$(nproc)" -lt 2 ] || [[ $(key "$log" tcp_rtt_cross_cpu_ns) =~ ^[0-9]+\.[0-9]{3}$ ]] ||
	fail "default: two vCPUs but cross = '$(key "$log" tcp_rtt_cross_cpu_ns)'"
[ "$(key "$log" dir)" = . ] || fail "default: probe.dir = '$(key "$log" dir)', want the log directory"
[ -s "$T/default/err" ] && fail "default: fio's stderr: $(cat "$T/default/err")"
ls -a "$T/default" | grep -q vmlat-probe && fail "default: scratch file left: $(ls -a "$T/default")"
[ "$(records "$log")" = 20 ] || fail "default: $(records "$log") records"
ok "default: $(probes "$log" | wc -l) probe keys before 20 IOs, in $(key "$log" total_ms) ms"

run off --vmlat_probes=0
probes "$T/off/p.1.vmlat" | grep -q . && fail "vmlat_probes=0: $(probes "$T/off/p.1.vmlat")"
"$VMLAT" dump "$T/off/p.1.vmlat" | grep -qx '# opt.vmlat_probes=0' || fail "vmlat_probes=0 not in the header"
ok "vmlat_probes=0: no probe key"

run threads --thread --numjobs=2
a=$(probes "$T/threads/p.1.vmlat")
b=$(probes "$T/threads/p.2.vmlat")
[ -n "$a" ] && [ "$a" = "$b" ] || fail "thread=1: the two jobs' probes differ:
$(diff <(echo "$a") <(echo "$b"))"
ok "thread=1, numjobs=2: one measurement, the same in both headers"

run procs --numjobs=2
for n in 1 2; do
	[[ $(key "$T/procs/p.$n.vmlat" bitop_ns) =~ ^[0-9]+\.[0-9]{3}$ ]] || fail "process $n: no probes"
done
ok "processes, numjobs=2: each measured"

# fio pins the job to vCPU 1 before init: one vCPU for the probes
if [ "$(nproc)" -ge 2 ]; then
	run pinned --cpus_allowed=1
	log=$T/pinned/p.1.vmlat
	[ "$(key "$log" tcp_rtt_cross_cpu_ns)" = n/a ] || fail "cpus_allowed=1: cross = '$(key "$log" tcp_rtt_cross_cpu_ns)'"
	[[ $(key "$log" tcp_rtt_cross_cpu_ns.why) == *"only one vCPU (1)"* ]] ||
		fail "cpus_allowed=1: reason '$(key "$log" tcp_rtt_cross_cpu_ns.why)'"
	[ "$(key "$log" tcp_rtt_same_cpu_cpus)" = 1 ] || fail "cpus_allowed=1: same on '$(key "$log" tcp_rtt_same_cpu_cpus)'"
	[ -s "$T/pinned/err" ] && fail "cpus_allowed=1: a warning for n/a: $(cat "$T/pinned/err")"
	cpus=$("$VMLAT" dump "$log" | grep -v '^#' | tail -n +2 | cut -d, -f8,9 | tr , '\n' | sort -u | tr '\n' ' ')
	[ "$cpus" = "1 " ] || fail "cpus_allowed=1: IOs ran on vCPUs $cpus"
	ok "cpus_allowed=1: cross n/a, every IO on vCPU 1"
fi
