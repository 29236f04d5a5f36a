#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: data written through vmlat is the data fio reads back: fio's own
# verify=crc32c (write phase, then a read phase that checks every block)
# passes, and the log holds both phases: 256 writes then 256 reads.
. "$(dirname "$0")/../lib.sh"

cd "$T"
vmlat_fio --name=v --filename="$T/data" --rw=write --bs=4k --size=1M \
	--verify=crc32c --do_verify=1 --output-format=json --output=out.json ||
	fail "fio verify job failed: $(cat out.json)"
jq -e '.jobs[0].error == 0 and .jobs[0].read.total_ios == 256' out.json >/dev/null ||
	fail "verify phase did not read 256 blocks: $(jq -c '.jobs[0] | {error, r: .read.total_ios}' out.json)"
"$VMLAT" dump v.1.vmlat | grep -v '^#' | tail -n +2 | cut -d, -f2 | uniq -c |
	awk '{ printf "%s %s;", $1, $2 }' > phases
[ "$(cat phases)" = "256 write;256 read;" ] || fail "log phases: $(cat phases)"

# and a corruption is caught: the same check fails on data changed behind fio's back
vmlat_fio --name=w --filename="$T/data2" --rw=write --bs=4k --size=1M --verify=crc32c \
	--do_verify=0 --verify_state_save=0 --output=/dev/null || fail "write job failed"
printf 'X' | dd of="$T/data2" bs=1 seek=8192 conv=notrunc status=none
if vmlat_fio --name=r --filename="$T/data2" --rw=read --bs=4k --size=1M --verify=crc32c \
	--verify_only=1 --vmlat_log=0 --output=out2 >/dev/null 2>&1; then
	fail "verify passed on corrupted data"
fi
ok "verify=crc32c passes through vmlat and catches a corruption"
