#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves the write guard on real loop devices: a write job on a device that
# holds ext4 is refused before any IO (fio fails, the message names the
# device and what is on it, the device's checksum is unchanged); a read job
# on the same device runs; a zeroed device accepts writes; and
# vmlat_allow_overwrite=1 lets the user overwrite the filesystem on purpose.
. "$(dirname "$0")/../lib.sh"
need_root "loop devices"
command -v mkfs.ext4 >/dev/null || skip "mkfs.ext4 missing (apt-get install e2fsprogs)"

wjob() { # device, extra args...; output in $T/out
	local dev=$1
	shift
	(cd "$T" && vmlat_fio --name=w --filename="$dev" --rw=randwrite --bs=4k --size=16M \
		--number_ios=100 --direct=1 --vmlat_log_replace=1 "$@" >"$T/out" 2>&1)
}

fs=$(loopdev 64)
mkfs.ext4 -q -F "$fs" || fail "mkfs.ext4"
before=$(sha256sum < "$fs")
wjob "$fs" && fail "write to ext4 device was allowed: $(cat "$T/out")"
grep -q "refusing to write: $fs holds an ext4 filesystem" "$T/out" ||
	fail "refusal message does not name device and filesystem: $(cat "$T/out")"
grep -q 'vmlat_allow_overwrite=1' "$T/out" || fail "message does not say how to override"
[ "$(sha256sum < "$fs")" = "$before" ] || fail "device changed although the job was refused"
ok "ext4 device refused, unchanged"

(cd "$T" && vmlat_fio --name=r --filename="$fs" --rw=randread --bs=4k --size=16M \
	--number_ios=100 --direct=1 >"$T/out" 2>&1) || fail "read job refused: $(cat "$T/out")"
ok "read job on ext4 device allowed"

zero=$(loopdev 64)
wjob "$zero" || fail "write to zeroed device refused: $(cat "$T/out")"
ok "zeroed device accepted"

wjob "$fs" --vmlat_allow_overwrite=1 || fail "override refused: $(cat "$T/out")"
[ "$(sha256sum < "$fs")" != "$before" ] || fail "override job wrote nothing"
ok "vmlat_allow_overwrite=1 overwrites on purpose"
