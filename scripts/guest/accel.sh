# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# accel.sh - which accelerator a guest gets (bash; sourced by guest-up.sh).
#
# /dev/kvm being there is not enough: inside some VMs it exists but a
# nested guest never runs (QEMU starts, the vCPU hangs, nothing is ever
# printed).  So KVM is tried with a probe boot: the guest's kernel and
# initramfs with vmlat.probe=1, whose init powers off at once.  KVM is
# used only when that ends within PROBE_S seconds with "probe ok" on the
# console; otherwise TCG, which always works, slowly.  The answer is kept
# in build/guest/accel for as long as the host stays up (its boot_id).

PROBE_S=${VMLAT_KVM_PROBE_S:-8}
KVM_DEV=${VMLAT_KVM_DEV:-/dev/kvm}

# probe_kvm: 0 when a KVM guest boots to init and powers off in time.
# A hung QEMU may not even die on SIGKILL (stuck in the kernel), so it is
# polled, killed and left behind rather than waited for.
probe_kvm() {
	local log=$GDIR/accel-probe.log p i
	[ -r "$KVM_DEV" ] && [ -w "$KVM_DEV" ] || return 1
	rm -f "$log"
	"$QEMU" -accel kvm -cpu max -smp 1 -m 256 -nodefaults -no-user-config -display none \
		-no-reboot -kernel "$GDIR/vmlinuz" -initrd "$GDIR/initramfs.gz" \
		-append "console=ttyS0 quiet panic=1 vmlat.probe=1" -serial "file:$log" \
		>/dev/null 2>&1 &
	p=$!
	for ((i = 0; i < PROBE_S * 10; i++)); do
		if ! kill -0 "$p" 2>/dev/null; then
			wait "$p" 2>/dev/null || return 1
			grep -q 'probe ok' "$log" 2>/dev/null
			return
		fi
		sleep 0.1
	done
	kill -KILL "$p" 2>/dev/null
	gsay "kvm: a probe guest did not finish booting in ${PROBE_S}s (nested KVM hangs here): using tcg"
	return 1
}

# pick_accel: prints kvm or tcg.
pick_accel() {
	local boot cached a
	boot=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null || echo unknown)
	cached=$(cat "$GDIR/accel" 2>/dev/null || true)
	if [ "${cached% *}" = "$boot" ]; then
		echo "${cached#* }"
		return
	fi
	a=tcg
	probe_kvm && a=kvm
	echo "$boot $a" > "$GDIR/accel"
	echo "$a"
}
