#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: when the log directory fills up while a job runs, the engine says
# what really happened (issue 11, item 10), on a small tmpfs of the test's
# own that exec_prerun (run by fio after the engine created the log and
# its steal sidecar, before the first IO) fills to the last byte:
#   - the log cannot grow past the windows it had reserved before the
#     disk filled: fio fails, the message says the log closed with those
#     records and the end-of-job keys (it has them), never that there was
#     no room for them.  Without the window helper (VMLAT_LOG_PREP=inline)
#     that is the first 4 MiB window (the header, then (4 MiB -
#     header_bytes) / 64 records); with it, the helper may have reserved
#     the second window ahead before the disk filled: one or two windows,
#     whatever the log and the message then agree on;
#   - the steal sidecar cannot be written: fio fails, the message says
#     after which record the samples stop, the header says so
#     (ctx.steal.error, ctx.steal.lost_after_record), and `vmlat dump` and
#     `vmlat report` warn that steal_ns is incomplete.
. "$(dirname "$0")/../lib.sh"
need_root "tmpfs mounts"
mnt=$T/mnt
mkdir "$mnt"
mount -t tmpfs -o size=16m vmlat-test "$mnt" || skip "cannot mount a tmpfs here"
at_exit "umount $mnt"
truncate -s 4M "$T/data"
fill="{ dd if=/dev/zero of=$mnt/fill bs=64k; true; }" # fio skips the job when prerun fails

# job NAME ARGS...: a vmlat job logging to the tmpfs, filled before its first IO
job() {
	local name=$1
	shift
	rm -f "$mnt/fill"
	(cd "$T" && vmlat_fio --name="$name" --filename="$T/data" --size=4M --rw=read \
		--vmlat_probes=0 --vmlat_log_dir="$mnt" --vmlat_log_name=%j.vmlat \
		--exec_prerun="$fill" "$@" >"$T/$name.out" 2>&1)
}

# grow NAME N...: a job whose log needs more than two windows fails when the
# disk is full, and its log and message hold one of the counts N (into $got);
# the log is removed after, to leave the tmpfs to the next job
grow() {
	local name=$1 n
	shift
	job "$name" --bs=512 --io_size=72M && fail "$name: fio exited 0: $(cat "$T/$name.out")"
	grep -q "vmlat: cannot extend log '$mnt/$name.vmlat': No space left on device" "$T/$name.out" ||
		fail "$name: no 'cannot extend' message: $(cat "$T/$name.out")"
	grep -q "no room" "$T/$name.out" &&
		fail "$name: claims no room for the end-of-job keys: $(cat "$T/$name.out")"
	"$VMLAT" dump "$mnt/$name.vmlat" >"$T/$name.csv" 2>"$T/$name.err" ||
		fail "$name: dump failed: $(cat "$T/$name.err")"
	grep -q '^# run.end_realtime_ns=[0-9]' "$T/$name.csv" || fail "$name: the end-of-job keys are missing"
	got=$(grep -v '^#' "$T/$name.csv" | tail -n +2 | wc -l)
	grep -q "log '$mnt/$name.vmlat' closed with its first $got records and the end-of-job keys" \
		"$T/$name.out" || fail "$name: close does not say what the log holds ($got records): $(cat "$T/$name.out")"
	rm -f "$mnt/$name.vmlat"
	for n in "$@"; do
		[ "$got" = "$n" ] && return 0
	done
	fail "$name: $got records, not one of: $*"
	return 1
}
# header_bytes: the prefix's u32 at byte 16; windows cover 4 MiB ranges of the file
hdr=$(VMLAT_LOG_PREP=inline job probe --bs=512 --io_size=512 >/dev/null; od -An -tu4 -j16 -N4 "$mnt/probe.vmlat" | tr -d ' ')
rm -f "$mnt/probe.vmlat"
n1=$(( (4 << 20) / 64 - hdr / 64 )) n2=$(( (8 << 20) / 64 - hdr / 64 ))
VMLAT_LOG_PREP=inline grow grow "$n1" &&
	ok "log ENOSPC: fio fails, the messages say the log has its first window's $got records and its end keys"
grow grow-prep "$n1" "$n2" &&
	ok "log ENOSPC with the window helper: fio fails, log and messages agree on its $got records"

# 4 s: a sample line is ~13 bytes, 400 of them overflow the page the sidecar had
job steal --bs=4k --io_size=16M --number_ios=4000 --rate_iops=1000 --vmlat_ctx=steal &&
	fail "steal: fio exited 0: $(cat "$T/steal.out")"
grep -q "vmlat: steal samples of '$mnt/steal.vmlat' stop after record [0-9]*: cannot write '$mnt/steal.vmlat.steal': No space left on device" \
	"$T/steal.out" || fail "steal: no message about the lost samples: $(cat "$T/steal.out")"
"$VMLAT" dump "$mnt/steal.vmlat" >"$T/steal.csv" 2>"$T/steal.err" || fail "steal: dump failed: $(cat "$T/steal.err")"
grep -q '^# ctx.steal.error=No space left on device$' "$T/steal.csv" || fail "steal: header does not say the samples were lost"
lost=$(sed -n 's/^# ctx.steal.lost_after_record=\([0-9]*\)$/\1/p' "$T/steal.csv")
[ -n "$lost" ] && [ "$lost" -lt 4000 ] || fail "steal: ctx.steal.lost_after_record=$lost"
grep -q "warning: $mnt/steal.vmlat: steal samples stop after record $lost (No space left on device)" \
	"$T/steal.err" || fail "steal: dump does not warn: $(cat "$T/steal.err")"
"$VMLAT" report "$mnt/steal.vmlat" >"$T/report" 2>"$T/report.err"
grep -q "steal samples stop after record $lost" "$T/report.err" ||
	fail "steal: report does not warn: $(cat "$T/report.err")"
ok "steal sidecar ENOSPC: fio fails, header, dump and report say the samples stop after record $lost"
