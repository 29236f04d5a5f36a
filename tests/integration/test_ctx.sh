#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: vmlat_ctx= records what happened to the IO thread during each IO.
# The measured job reads 1 MiB blocks from the page cache (a copy long
# enough to be preempted) on one CPU while two CPU-bound fio cpuio jobs
# run pinned either to the SAME CPU or to ANOTHER one.  Together, the
# scheduler must make the IO thread wait: run-queue delay (ms in total)
# and context switches appear in the records (involuntary ones when the
# copy is preempted, voluntary ones when the thread blocked and then had to
# queue behind the hogs to run again: both are the scheduler's doing).  Apart, the run-queue
# delay stays near zero (under a tenth of the shared case).  Also: every
# record carries the ctx bits, the latency then starts at the engine's own
# stamp (after the counters are read), and a bad vmlat_ctx is refused.
. "$(dirname "$0")/../lib.sh"
[ "$(nproc)" -ge 2 ] || skip "needs 2 CPUs to pin the load apart"

cat > "$T/ctx.fio" <<JOB
[global]
filename=$T/data
size=128M
bs=2m
io_size=1g
[m]
ioengine=external:$ENGINE
vmlat_ctx=all
rw=randread
invalidate=0
norandommap
number_ios=400
cpus_allowed=\${MCPU}
startdelay=1
exitall
[hog]
ioengine=cpuio
cpuload=100
numjobs=2
cpus_allowed=\${HCPU}
time_based
runtime=60
JOB
"$FIO" --name=w --filename="$T/data" --size=128M --rw=read --bs=1M --invalidate=0 --output=/dev/null

run() { # name measured-cpu hog-cpu: prints "rq_sum nivcsw_sum records"
	(cd "$T" && MCPU=$2 HCPU=$3 "$FIO" --eta=never --output=/dev/null ctx.fio) || fail "$1: fio failed"
	mv "$T"/m.*.vmlat "$T/$1.vmlat"
	"$VMLAT" dump --json "$T/$1.vmlat" | jq -r '.files[0].records |
		"\(map(.rq_delay_ns) | add) \(map(.nivcsw + .nvcsw) | add) \(length) \(map(select(.minflt == null)) | length)"'
}

# Other work on the machine (a busy CI host) adds run-queue delay to both
# cases alike and can hide the difference in one pair of runs: up to three
# pairs are run, and one clear separation passes.  Each pair is printed.
for attempt in 1 2 3; do
	read -r rq_t csw_t n_t nulls < <(run together 1 1)
	read -r rq_a csw_a n_a _ < <(run apart 1 0)
	echo "pair $attempt: together: rq $rq_t ns, switches $csw_t over $n_t IOs; apart: rq $rq_a ns, switches $csw_a over $n_a IOs"
	[ "$n_t" -gt 100 ] && [ "$n_a" -gt 100 ] || fail "too few records"
	[ "$nulls" = 0 ] || fail "$nulls records without context fields"
	[ "$rq_t" -gt 2000000 ] || fail "sharing a CPU with two hogs gave only $rq_t ns of run-queue delay"
	[ "$csw_t" -ge 1 ] || fail "no context switch during any IO while sharing a CPU with two hogs"
	[ $((rq_a * 10)) -lt "$rq_t" ] && break
	[ $attempt = 3 ] && fail "run-queue delay apart ($rq_a) not well below together ($rq_t) in 3 pairs"
done
"$VMLAT" dump "$T/together.vmlat" | grep -qx '# lat_start=engine' || fail "lat_start is not engine with ctx on"
"$VMLAT" dump "$T/together.vmlat" | grep -qx '# ctx=rq,csw,faults' || fail "ctx header"
ok "run-queue delay and switches recorded"

vmlat_fio --name=bad --filename="$T/data" --size=4M --rw=read --number_ios=1 --vmlat_ctx=rq,bogus \
	>"$T/out" 2>&1 && fail "bad vmlat_ctx accepted"
grep -qF "vmlat_ctx=rq,bogus: unknown 'bogus'" "$T/out" || fail "message: $(cat "$T/out")"
ok "bad vmlat_ctx refused"
