#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: vmlat_ctx= records what happened to the IO thread during each IO.
# The measured job (scripts/ctx-hogs.fio) reads 2 MiB blocks from the page
# cache (a copy long enough to be preempted, never a sleep) on one CPU
# while two CPU-bound fio cpuio jobs run pinned to the SAME CPU.  Three
# always-runnable threads share that CPU, so the scheduler gives the IO
# thread about a third of it: it waits on the run queue for about two
# thirds of every copy, and the records must say so: run-queue delay of at
# least a third of the summed latency, and context switches.  Other work on
# the machine only adds waiting, so the check holds under any load; how
# the delay compares with the hogs on ANOTHER CPU depends on what else runs
# there, so that comparison is a measurement in `make bench`, not a test.
# Also: every record carries the ctx bits, the latency then starts at the
# engine's own stamp (after the counters are read), and a bad vmlat_ctx is
# refused.
. "$(dirname "$0")/../lib.sh"
[ "$(nproc)" -ge 2 ] || skip "needs 2 CPUs: the test pins the IO thread and the hogs to CPU 1"

export CTX_DATA=$T/data ENGINE
"$FIO" --name=w --filename="$T/data" --size=128M --rw=read --bs=1M --invalidate=0 --output=/dev/null

(cd "$T" && MCPU=1 HCPU=1 "$FIO" --eta=never --output=/dev/null "$TOP/scripts/ctx-hogs.fio") || fail "fio failed"
mv "$T"/m.*.vmlat "$T/together.vmlat"
read -r rq lat csw n nulls < <("$VMLAT" dump --json "$T/together.vmlat" | jq -r '.files[0].records |
	"\(map(.rq_delay_ns) | add) \(map(.lat_ns) | add) \(map(.nivcsw + .nvcsw) | add) \(length) \(map(select(.minflt == null)) | length)"')
echo "sharing a CPU with two hogs: rq $rq ns of $lat ns latency, $csw switches over $n IOs"
[ "$n" = 400 ] || fail "$n records, want 400"
[ "$nulls" = 0 ] || fail "$nulls records without context fields"
[ $((rq * 3)) -ge "$lat" ] || fail "run-queue delay $rq ns is under a third of the $lat ns the IOs took"
[ "$csw" -ge 1 ] || fail "no context switch during any IO while sharing a CPU with two hogs"
"$VMLAT" dump "$T/together.vmlat" | grep -qx '# lat_start=engine' || fail "lat_start is not engine with ctx on"
"$VMLAT" dump "$T/together.vmlat" | grep -qx '# ctx=rq,csw,faults' || fail "ctx header"
ok "run-queue delay and switches recorded"

vmlat_fio --name=bad --filename="$T/data" --size=4M --rw=read --number_ios=1 --vmlat_ctx=rq,bogus \
	>"$T/out" 2>&1 && fail "bad vmlat_ctx accepted"
grep -qF "vmlat_ctx=rq,bogus: unknown 'bogus'" "$T/out" || fail "message: $(cat "$T/out")"
ok "bad vmlat_ctx refused"
