#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: the accelerator choice of scripts/guest/accel.sh.  KVM is chosen
# only when a probe guest boots to init and powers off in time; a QEMU
# that hangs under KVM (as nested guests do on some hosts, with /dev/kvm
# present) costs the probe's few seconds, is killed, and TCG is chosen; so
# are a QEMU that fails and a host without /dev/kvm.  The answer is cached
# for the host's boot.  QEMU is a stand-in script here (real KVM is not
# always there to test), told by FAKE how to behave.
. "$(dirname "$0")/../lib.sh"
export VMLAT_GUEST_DIR=$T/guest VMLAT_KVM_PROBE_S=2 QEMU=$T/fake-qemu
GPROG=test-accel
. "$TOP/scripts/guest/lib.sh"
mkdir -p "$GDIR"
[ "$GDIR" = "$T/guest" ] || fail "GDIR is $GDIR"
. "$TOP/scripts/guest/accel.sh"

cat > "$QEMU" <<'SH'
#!/bin/bash
# fake-qemu: writes its pid, finds -serial file:PATH, then acts as $FAKE says
echo $$ > "$FAKE_PID"
while [ $# -gt 0 ]; do [ "$1" = -serial ] && serial=${2#file:}; shift; done
case $FAKE in
boots) echo "vmlat-guest: probe ok" > "$serial"; exit 0 ;;
hangs) exec sleep 60 ;;
fails) echo "Could not access KVM kernel module" >&2; exit 1 ;;
silent) exit 0 ;;
esac
SH
chmod +x "$QEMU"
export FAKE_PID=$T/fake.pid
touch "$T/kvm"
boot=$(cat /proc/sys/kernel/random/boot_id)

# choose FAKE KVM_DEV: pick_accel's answer, with no cache
choose() {
	rm -f "$GDIR/accel" "$FAKE_PID"
	FAKE=$1 KVM_DEV=$2 pick_accel 2> "$T/msg"
}

[ "$(choose boots "$T/kvm")" = kvm ] || fail "a probe that boots: not kvm"
[ "$(cat "$GDIR/accel")" = "$boot kvm" ] || fail "cache: $(cat "$GDIR/accel")"
ok "kvm when the probe guest boots"

[ "$(FAKE=fails KVM_DEV=$T/kvm pick_accel)" = kvm ] || fail "the cached answer was not used"
echo "not-this-boot kvm" > "$GDIR/accel"
[ "$(FAKE=fails KVM_DEV=$T/kvm pick_accel 2>/dev/null)" = tcg ] || fail "a cache of another boot was used"
ok "the answer is kept for this boot only"

start=$(date +%s%N)
[ "$(choose hangs "$T/kvm")" = tcg ] || fail "a hanging probe: not tcg"
ms=$((($(date +%s%N) - start) / 1000000))
[ $ms -lt 4000 ] || fail "a hanging probe took $ms ms (limit 2 s)"
grep -q "did not finish booting in 2s" "$T/msg" || fail "no word of the hang: $(cat "$T/msg")"
sleep 0.2
! alive "$(cat "$FAKE_PID")" || fail "the hung probe QEMU was left running"
ok "tcg after a hanging probe, in $ms ms, probe killed"

[ "$(choose fails "$T/kvm")" = tcg ] || fail "a failing probe: not tcg"
[ "$(choose silent "$T/kvm")" = tcg ] || fail "a probe that never reached init: not tcg"
[ "$(choose boots "$T/no-kvm")" = tcg ] || fail "no /dev/kvm: not tcg"
[ ! -e "$FAKE_PID" ] || fail "QEMU was probed without /dev/kvm"
ok "tcg when QEMU fails, never reaches init, or there is no /dev/kvm"
