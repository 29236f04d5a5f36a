#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test_study_dry.sh - `scripts/study.sh -n`, without root, QEMU or a server:
# configs/study-local.conf.in fills into a config `vmlat batch -n` accepts,
# with every field filled, and each condition's part holds exactly its own
# guests (so "1 VM" runs with one VM up).  The cell counts are Study A's
# arithmetic: reduced, 2 rw x 3 loads = 6 cells a condition, 3 neighbour
# states for 2 VMs (18), plus the 2 fig6 cells on the host's file; FULL,
# 3 sizes (18 a condition) and 4 neighbour states (72).
. "$(dirname "$0")/../lib.sh"
STUDY=$TOP/scripts/study.sh

"$STUDY" -n -o "$T/r" > "$T/cells" 2> "$T/err" || fail "dry run failed: $(cat "$T/err")"
counts() { cut -f1 "$1" | sort | uniq -c | awk '{ printf "%s=%s ", $2, $1 }'; }
[ "$(counts "$T/cells")" = "host=8 one-vcpu=6 two-vcpu=6 two-vm=18 " ] || fail "reduced: $(counts "$T/cells")"
[ "$(grep -c '^host	host-raw	a-rand[a-z]*-4k-load[024]	' "$T/cells")" = 6 ] &&
	[ "$(grep -c '^host	host-file	fig6-' "$T/cells")" = 2 ] || fail "host cells: $(grep ^host "$T/cells")"
for l in idle load-randread-4k load-cpu; do
	[ "$(grep -c "^two-vm	vm2c	a-[a-z0-9-]*+$l	" "$T/cells")" = 6 ] || fail "two-vm +$l: $(grep two-vm "$T/cells")"
done
ok "reduced: 38 cells, 4 KiB, loads 0/2/4, the neighbour idle, reading, spinning"

"$STUDY" -n --full -o "$T/f" > "$T/cells" 2> "$T/err" || fail "full dry run failed: $(cat "$T/err")"
[ "$(counts "$T/cells")" = "host=20 one-vcpu=18 two-vcpu=18 two-vm=72 " ] || fail "full: $(counts "$T/cells")"
grep -q '+load-randwrite-4k	' "$T/cells" && grep -q 'a-randwrite-32k-load4	' "$T/cells" || fail "full: no 32k or randwrite load"
ok "full: 128 cells, 4/16/32 KiB, every jobs/guest2 load"

C=$T/r/conf
grep -q '@[A-Z_]*@' "$T/r/study.conf" && fail "a field is left: $(grep '@[A-Z_]*@' "$T/r/study.conf")"
# guests NAME: the [guest] sections of a part
guests() { sed -n 's/^\[guest \(.*\)\]$/\1/p' "$C/$1.conf" | tr '\n' ' '; }
[ "$(guests host)" = "host-raw host-file " ] && [ "$(guests one-vcpu)" = "vm1c " ] &&
	[ "$(guests two-vcpu)" = "vm2c " ] && [ "$(guests two-vm)" = "vm2c vm2nb " ] ||
	fail "parts: host: $(guests host); one-vcpu: $(guests one-vcpu); two-vcpu: $(guests two-vcpu); two-vm: $(guests two-vm)"
grep -q '^\[batch\]' "$C/two-vm.conf" && grep -q '^neighbour = vm2nb' "$C/two-vm.conf" || fail "two-vm.conf: $(cat "$C/two-vm.conf")"
ok "each condition's part: its own guests and matrix, and [batch]"

# The guests' addresses are distinct ports on 127.0.0.1, never another address.
ports=$(sed -n 's/^address = //p' "$T/r/study.conf" | sort -u)
[ "$(grep -c '^127\.0\.0\.1:[0-9]*$' <<<"$ports")" = 4 ] && [ "$(wc -l <<<"$ports")" = 4 ] ||
	fail "addresses: $ports"
ok "4 fio servers, each on its own port of 127.0.0.1"

rc=0
"$STUDY" -n --only host,nothing -o "$T/x" > /dev/null 2> "$T/err" || rc=$?
[ $rc = 1 ] && grep -q "^study: error: --only: unknown condition 'nothing'" "$T/err" || fail "bad --only: $rc $(cat "$T/err")"
"$STUDY" -n --only one-vcpu -o "$T/o" > "$T/cells" 2>/dev/null || fail "--only one-vcpu"
[ "$(counts "$T/cells")" = "one-vcpu=6 " ] && [ ! -e "$T/o/conf/host.conf" ] || fail "--only one-vcpu: $(counts "$T/cells")"
ok "--only: the conditions named, an unknown one refused"

# --xen (make study XEN=1): the xen-pv condition, 4 KiB read and write at
# loads 0 and 2 in the domU, from configs/study-xen.conf.in; not by default.
"$STUDY" -n --xen -o "$T/x" > "$T/cells" 2> "$T/err" || fail "--xen dry run failed: $(cat "$T/err")"
[ "$(counts "$T/cells")" = "host=8 one-vcpu=6 two-vcpu=6 two-vm=18 xen-pv=4 " ] || fail "--xen: $(counts "$T/cells")"
[ "$(grep -c '^xen-pv	xenpv	a-rand\(read\|write\)-4k-load[02]	' "$T/cells")" = 4 ] || fail "xen-pv cells: $(grep ^xen-pv "$T/cells")"
X=$T/x/conf/xen-pv.conf
grep -q '@[A-Z_]*@' "$X" && fail "a field is left: $(grep '@[A-Z_]*@' "$X")"
grep -qx 'target = /dev/xvda' "$X" && grep -qx 'option = thread=1' "$X" && grep -qx 'label.cores = 1' "$X" ||
	fail "xen-pv.conf: $(cat "$X")"
"$STUDY" -n --only xen-pv -o "$T/xo" > "$T/cells" 2>/dev/null || fail "--only xen-pv"
[ "$(counts "$T/cells")" = "xen-pv=4 " ] || fail "--only xen-pv: $(counts "$T/cells")"
ok "--xen: 4 xen-pv cells (4 KiB, loads 0 and 2, thread=1, /dev/xvda), none without it"
