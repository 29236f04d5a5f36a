#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: the engine measures the clock it times IOs with and says so.
# fio is told to use clock_gettime (clocksource=clock_gettime), and a small
# LD_PRELOAD shim makes that clock what a virtualized one can be: every
# read burns ~1 us (as an hpet read in a TCG guest does), or the clock
# only ticks every 10 us.  The header must record the cost and step, and
# fio's stderr must carry one warning per job process; with the real clock,
# no warning and a sub-100 ns cost.
. "$(dirname "$0")/../lib.sh"
command -v cc >/dev/null || skip "needs a C compiler for the clock shim"

cat > "$T/shim.c" <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <time.h>
/* clock_gettime made slow (SHIM_SPIN_NS) or coarse (SHIM_STEP_NS) */
int clock_gettime(clockid_t id, struct timespec *ts)
{
	static int (*real)(clockid_t, struct timespec *);
	static long spin = -1, step;
	struct timespec a, b;
	long long ns;
	int ret;

	if (!real) {
		real = (int (*)(clockid_t, struct timespec *))dlsym(RTLD_NEXT, "clock_gettime");
		spin = getenv("SHIM_SPIN_NS") ? atol(getenv("SHIM_SPIN_NS")) : 0;
		step = getenv("SHIM_STEP_NS") ? atol(getenv("SHIM_STEP_NS")) : 0;
	}
	ret = real(id, ts);
	if (spin > 0) {
		real(CLOCK_MONOTONIC, &a);
		do
			real(CLOCK_MONOTONIC, &b);
		while ((b.tv_sec - a.tv_sec) * 1000000000LL + b.tv_nsec - a.tv_nsec < spin);
	}
	if (step > 0) {
		ns = ts->tv_nsec / step * step;
		ts->tv_nsec = ns;
	}
	return ret;
}
C
cc -O2 -shared -fPIC -o "$T/shim.so" "$T/shim.c" -ldl || fail "cannot build the shim"

job() { # name, env...: runs a 2-job fio with fio's clock = clock_gettime
	local name=$1
	shift
	(cd "$T" && env "$@" timeout 60 "$FIO" --eta=never --clocksource=clock_gettime \
		--ioengine="external:$ENGINE" --name="$name" --filename="$T/data" --size=4M \
		--rw=randread --bs=4k --number_ios=20 --numjobs=2 --output=/dev/null 2>"$T/$name.err") ||
		fail "$name: fio failed: $(cat "$T/$name.err")"
}
key() { "$VMLAT" dump "$T/$1.1.vmlat" | sed -n "s/^# $2=//p"; }

job real
[ "$(key real clock)" = fio:clock_gettime ] || fail "clock key: $(key real clock)"
[ "$(key real clock.cost_ns)" -lt 100 ] || fail "real clock cost $(key real clock.cost_ns) ns"
grep -q warning "$T/real.err" && fail "warning with the real clock: $(cat "$T/real.err")"
ok "real clock: $(key real clock.cost_ns) ns, step $(key real clock.resolution_ns) ns, no warning"

job slow LD_PRELOAD="$T/shim.so" SHIM_SPIN_NS=1000
[ "$(key slow clock.cost_ns)" -ge 1000 ] || fail "slow clock measured at $(key slow clock.cost_ns) ns"
[ "$(grep -c 'vmlat: warning: fio.s clock costs' "$T/slow.err")" = 2 ] ||
	fail "want one warning per job process: $(cat "$T/slow.err")"
ok "slow clock: $(key slow clock.cost_ns) ns recorded, warned"

job coarse LD_PRELOAD="$T/shim.so" SHIM_STEP_NS=10000
[ "$(key coarse clock.resolution_ns)" -ge 10000 ] || fail "coarse step measured at $(key coarse clock.resolution_ns) ns"
grep -q 'vmlat: warning' "$T/coarse.err" || fail "no warning for a 10 us clock"
ok "coarse clock: step $(key coarse clock.resolution_ns) ns recorded, warned"
