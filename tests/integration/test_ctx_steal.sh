#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: vmlat_ctx=steal samples per-vCPU steal beside the IOs and
# `vmlat dump` joins the samples to each record by sequence and vCPU
# (lib/vsteal.h).
#   1. The join, against hand-computed answers: a real fio log pinned to
#      one vCPU gets a hand-written sidecar; each record's steal_ns must be
#      the one the bracketing rule gives (table below), for vCPU 0 and 1.
#   2. The sampler, through the real fio with a fake /proc/stat (an
#      LD_PRELOAD shim) in which vCPU 0 is 100% stolen and vCPU 1 never:
#      a job pinned to vCPU 1 gets steal_ns = 0 on every record, a job
#      pinned to vCPU 0 gets steal on some records and never more than its
#      window can hold; every record has a value (first and last samples
#      bracket all IOs).
#   3. Header keys, dump --json, a missing sidecar (warning, empty column),
#      a malformed one (exit 2), a last line cut short (ignored), steal
#      without a log (refused), and a log without steal keeps its columns.
. "$(dirname "$0")/../lib.sh"
command -v cc >/dev/null || skip "needs a C compiler for the /proc/stat shim"
command -v jq >/dev/null || skip "needs jq"
[ "$(nproc)" -ge 2 ] || skip "needs 2 vCPUs"

steal_job() { # name cpu [env...]: 40 reads pinned to CPU, log $T/NAME.1.vmlat
	local name=$1 cpu=$2
	shift 2
	(cd "$T" && env "$@" "$FIO" --eta=never --output=/dev/null --ioengine="external:$ENGINE" \
		--name="$name" --filename="$T/data" --size=4M --rw=randread --bs=4k --number_ios=40 \
		--rate_iops=400 --cpus_allowed="$cpu" --vmlat_ctx=steal >"$T/$name.out" 2>&1) ||
		fail "$name: fio failed: $(cat "$T/$name.out")"
}
steal_col() { "$VMLAT" dump "$1" | grep -v '^#' | tail -n +2 | awk -F, '{print $16}'; }

# ---- 1. the join rule, hand-computed ----
steal_job join 0
L=$T/join.1.vmlat
n=$(records "$L")
[ "$n" = 40 ] || fail "expected 40 records, got $n"
cat >"$L.steal" <<EOF
# vmlat steal samples 1
# period_ns=10000000
done,next,cpu0,cpu1
0,0,1000,5000
5,7,1100,5000
10,11,1600,7000
40,41,2600,7000
EOF
# record n: lower = last sample with next <= n, upper = first with done > n
#   n 0-4: samples 0,1   n 5-6: 0,2   n 7-9: 1,2   n 10: 1,3   n 11-39: 2,3
expect_join() { # cpu, then the five values for the five groups above
	local i=0 want got
	while read -r got; do
		if [ $i -le 4 ]; then want=$2; elif [ $i -le 6 ]; then want=$3; elif [ $i -le 9 ]; then want=$4
		elif [ $i = 10 ]; then want=$5; else want=$6; fi
		[ "$got" = "$want" ] || fail "vCPU $1, record $i: steal_ns '$got', expected $want"
		i=$((i + 1))
	done
	[ $i = 40 ] || fail "vCPU $1: $i rows"
}
expect_join 0 100 600 500 1500 1000 < <(steal_col "$L")
steal_job join1 1
cp "$L.steal" "$T/join1.1.vmlat.steal"
printf '41,42,9' >>"$T/join1.1.vmlat.steal" # a line cut by a killed writer: ignored
expect_join 1 0 2000 2000 2000 0 < <(steal_col "$T/join1.1.vmlat")
ok "join by sequence and vCPU: hand-computed steal_ns for all 40 records on vCPU 0 and 1"

# ---- 2. the sampler, with vCPU 0 fully stolen ----
cat >"$T/shim.c" <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
/* /proc/stat where vCPU 0's steal counts every 10 ms tick since the shim
 * loaded (100% stolen) and vCPU 1's stays 7 */
static FILE *fake_stat(void)
{
	static struct timespec t0;
	struct timespec t;
	long long ticks;
	char *buf = malloc(256); /* fmemopen keeps it: leaked, a test */

	clock_gettime(CLOCK_MONOTONIC, &t);
	if (!t0.tv_sec)
		t0 = t;
	ticks = ((t.tv_sec - t0.tv_sec) * 1000LL + (t.tv_nsec - t0.tv_nsec) / 1000000) / 10;
	snprintf(buf, 256, "cpu  1 0 1 1 0 0 0 %lld 0 0\ncpu0 1 0 1 1 0 0 0 %lld 0 0\n"
		 "cpu1 1 0 1 1 0 0 0 7 0 0\nintr 0\n", ticks + 7, ticks);
	return fmemopen(buf, strlen(buf), "r");
}
FILE *fopen(const char *path, const char *mode)
{
	static FILE *(*real)(const char *, const char *);

	if (!strcmp(path, "/proc/stat"))
		return fake_stat();
	if (!real)
		real = (FILE * (*)(const char *, const char *))dlsym(RTLD_NEXT, "fopen");
	return real(path, mode);
}
FILE *fopen64(const char *path, const char *mode) { return fopen(path, mode); }
C
cc -O2 -shared -fPIC -o "$T/shim.so" "$T/shim.c" -ldl || fail "cannot build the shim"

steal_job calm 1 LD_PRELOAD="$T/shim.so"
steal_job stolen 0 LD_PRELOAD="$T/shim.so"
grep -q '^done,next,cpu0,cpu1$' "$T/stolen.1.vmlat.steal" || fail "sidecar columns: $(sed -n 3,4p "$T/stolen.1.vmlat.steal")"
[ "$(grep -c '^[0-9]' "$T/stolen.1.vmlat.steal")" -ge 5 ] || fail "fewer than 5 samples in a 100 ms job"
read -r cnt nz max < <(steal_col "$T/calm.1.vmlat" | awk '$1 != "" {c++} $1 > 0 {z++} $1 > m {m = $1} END {print c+0, z+0, m+0}')
[ "$cnt" = 40 ] && [ "$nz" = 0 ] || fail "vCPU 1 (never stolen): $cnt of 40 values, $nz non-zero"
read -r cnt nz max < <(steal_col "$T/stolen.1.vmlat" | awk '$1 != "" {c++} $1 > 0 {z++} $1 > m {m = $1} END {print c+0, z+0, m+0}')
[ "$cnt" = 40 ] || fail "vCPU 0 (stolen): $cnt of 40 records have steal_ns"
[ "$nz" -ge 1 ] || fail "vCPU 0 (stolen): no record shows steal"
# a window is two samples apart at most ~10 ms plus scheduling delay; 200 ms is far beyond it
[ "$max" -le 200000000 ] || fail "vCPU 0: steal_ns $max is more than any window holds"
ok "sampler: vCPU 1 never stolen -> 0 on all 40 records; vCPU 0 fully stolen -> $nz of 40 records with steal (max $max ns)"

# ---- 3. header, JSON, missing sidecar, logs without steal ----
L=$T/stolen.1.vmlat
"$VMLAT" dump "$L" | grep -qx '# ctx=steal' || fail "ctx header"
"$VMLAT" dump "$L" | grep -qx '# ctx.steal.file=stolen.1.vmlat.steal' || fail "ctx.steal.file header"
"$VMLAT" dump "$L" | grep -qx '# lat_start=fio_issue' || fail "steal alone must not move the latency start"
[ "$("$VMLAT" dump --json "$L" | jq '[.files[0].records[].steal_ns | select(. != null)] | length')" = 40 ] ||
	fail "--json steal_ns"
mv "$L.steal" "$T/moved"
"$VMLAT" dump "$L" >"$T/out" 2>"$T/err" || fail "a missing sidecar must not fail dump (exit $?)"
grep -q "warning: .*stolen.1.vmlat.steal" "$T/err" || fail "no warning for a missing sidecar: $(cat "$T/err")"
[ -z "$(steal_col "$L" 2>/dev/null | tr -d '\n')" ] || fail "steal_ns without samples"
echo "junk" >"$L.steal"
"$VMLAT" dump "$L" >/dev/null 2>"$T/err"
[ $? = 2 ] || fail "a malformed sidecar must give exit 2"
grep -q "not a vmlat steal file" "$T/err" || fail "message: $(cat "$T/err")"
vmlat_fio --output=/dev/null --name=plain --filename="$T/data" --size=4M --rw=read --number_ios=4 \
	--vmlat_log_dir="$T" >/dev/null 2>&1 || fail "plain job"
"$VMLAT" dump "$T/plain.1.vmlat" | grep -v '^#' | head -n 1 | grep -q ',inflight$' ||
	fail "a log without steal must keep its columns"
[ ! -e "$T/plain.1.vmlat.steal" ] || fail "a sidecar without vmlat_ctx=steal"
vmlat_fio --output=/dev/null --name=nolog --filename="$T/data" --size=4M --rw=read --number_ios=4 \
	--vmlat_log=0 --vmlat_ctx=steal >"$T/out" 2>&1 && fail "vmlat_ctx=steal without a log accepted"
grep -qF "vmlat_ctx=steal: needs the log (vmlat_log=1)" "$T/out" || fail "message: $(cat "$T/out")"
ok "header keys, --json, missing, malformed and cut sidecars, steal without a log refused, logs without steal unchanged"
