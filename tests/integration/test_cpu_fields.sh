#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: the vCPU fields of every record are the CPU the IO ran on.  A
# job pinned to one CPU (fio's cpus_allowed) can run nowhere else, so each
# of its records must say that CPU at submit and at completion: for each
# CPU of the machine (the first four), in every IO mode (psync, io_uring,
# libaio at iodepth 8).  The engine reads the CPU from the thread's rseq
# area where glibc registered one, else asks sched_getcpu()
# (engine/engine.h); the glibc tunable glibc.pthread.rseq=0 turns the
# registration off, so the same jobs run again through the fallback.  On a
# one-CPU machine every answer is 0 and the test says so.
. "$(dirname "$0")/../lib.sh"

cd "$T"
ncpu=$(nproc)
[ "$ncpu" -gt 1 ] || echo "note: one CPU here: every expected answer is 0"
[ "$ncpu" -le 4 ] || ncpu=4

cpu_job() { # name cpu io [env...]
	local name=$1 cpu=$2 io=$3
	shift 3
	env "$@" "$FIO" --eta=never --ioengine="external:$ENGINE" --name="$name" \
		--filename="$T/data" --rw=randread --bs=4k --size=4M --number_ios=200 \
		--iodepth=8 --vmlat_io="$io" --cpus_allowed="$cpu" --vmlat_probes=0 \
		--output="$name.out" >/dev/null 2>&1 || fail "$name: fio failed: $(cat "$name.out")"
	"$VMLAT" dump "$name.1.vmlat" | grep -v '^#' | tail -n +2 | cut -d, -f8,9 | sort | uniq -c |
		awk '{ printf "%s %s;", $1, $2 }' >"$name.cpus"
	[ "$(cat "$name.cpus")" = "200 $cpu,$cpu;" ] ||
		fail "$name: pinned to CPU $cpu, records say (count cpu_submit,cpu_complete): $(cat "$name.cpus")"
}

for ((c = 0; c < ncpu; c++)); do
	for io in psync io_uring libaio; do
		cpu_job "$io-cpu$c" "$c" "$io"
		cpu_job "$io-cpu$c-norseq" "$c" "$io" GLIBC_TUNABLES=glibc.pthread.rseq=0
	done
done
ok "records name the CPU a pinned job ran on, CPUs 0-$((ncpu - 1)), psync/io_uring/libaio, with and without rseq"
