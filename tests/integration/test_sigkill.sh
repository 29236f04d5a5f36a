#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: SIGKILL loses nothing that completed.  A long random-write job is
# stopped (SIGSTOP) at an arbitrary point and killed; the kernel's count of
# write syscalls of that job process (/proc/PID/io syscw, read while it is
# stopped) is the independent answer.  The log must be readable, marked as
# not closed, and hold exactly that many records, or one fewer (the write
# that had returned but whose record was not stored yet).  A second job is
# killed outright, at full speed, several times: each log stays readable,
# and a record cut short is reported as a torn tail, never read as data.
. "$(dirname "$0")/../lib.sh"

# Waits are up to 30 s (600 x 50 ms): a loaded machine has taken more than
# 5 s to fork fio's job process.
job_pid() { # the forked job process of fio main process $1
	local p
	for _ in $(seq 600); do
		p=$(pgrep -P "$1" | head -n 1)
		[ -n "$p" ] && grep -q '^syscw' "/proc/$p/io" 2>/dev/null && { echo "$p"; return; }
		sleep 0.05
	done
	fail "no job process under fio $1"
}

gone() { # wait until process $1 has stopped running (dead or zombie)
	for _ in $(seq 600); do
		[ -r "/proc/$1/stat" ] || return 0
		[ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" = Z ] && return 0
		sleep 0.05
	done
	fail "process $1 survived SIGKILL"
}

# vmlat_probes=0: the kills are timed for the IO phase, which the probes
# (a few hundred ms before the log exists) would push back.
start_job() { # dir name
	(cd "$1" && exec "$FIO" --eta=never --ioengine="external:$ENGINE" --name="$2" \
		--filename="$T/data" --size=64M --rw=randwrite --bs=4k --time_based --runtime=120 \
		--vmlat_probes=0 --output=/dev/null) >"$1/fio.out" 2>&1 &
	echo $!
}

syscw() { awk '/^syscw/ { print $2 }' "/proc/$1/io"; }

# Two stops: the first measures how many write syscalls the job process
# makes besides its IOs (the log header, fio's own), the second is followed
# by the kill.  At each stop, records = IOs done, or one fewer.
mkdir -p "$T/a"
main=$(start_job "$T/a" stopped)
at_exit "kill -9 $main"
job=$(job_pid "$main")
sleep 1
kill -STOP "$job"
w1=$(syscw "$job")
n1=$(records "$T/a/stopped.1.vmlat" 2>/dev/null)
kill -CONT "$job"
sleep 1
kill -STOP "$job"
w2=$(syscw "$job")
kill -9 "$job" "$main"
gone "$job"
n2=$(records "$T/a/stopped.1.vmlat") || fail "log unreadable after SIGKILL"
"$VMLAT" dump "$T/a/stopped.1.vmlat" 2>&1 >/dev/null | grep -Eq 'not closed|torn' ||
	fail "an unclosed log is not reported as such"
c1=$((w1 - n1)) c2=$((w2 - n2))
[ $((n2 - n1)) -gt 1000 ] || fail "only $((n2 - n1)) records in 1 s"
[ "$c1" -ge 0 ] && [ "$c1" -le 10 ] || fail "first stop: $n1 records for $w1 write syscalls"
[ $((c2 - c1)) -le 1 ] && [ $((c1 - c2)) -le 1 ] ||
	fail "records after the kill ($n2) do not match the $w2 writes done ($w1 writes for $n1 records before)"
ok "stopped and killed: $n2 records for $w2 write syscalls ($c2 not IOs)"

for i in 1 2 3; do
	mkdir -p "$T/k$i"
	main=$(start_job "$T/k$i" killed)
	job=$(job_pid "$main")
	# the kill must land in the IO phase, however long a loaded machine
	# takes to start the job: wait for its first records, then a bit more
	for _ in $(seq 600); do
		[ "$(records "$T/k$i/killed.1.vmlat" 2>/dev/null)" -gt 0 ] 2>/dev/null && break
		sleep 0.05
	done
	sleep 0.$((1 + i * 2))
	kill -9 "$job" "$main"
	gone "$job"
	"$VMLAT" dump "$T/k$i/killed.1.vmlat" > "$T/k$i/dump" 2> "$T/k$i/err"
	rc=$?
	if [ $rc = 2 ]; then
		grep -q 'torn' "$T/k$i/err" || fail "exit 2 without a torn-tail message: $(cat "$T/k$i/err")"
	elif [ $rc != 0 ]; then
		fail "dump after SIGKILL exited $rc: $(cat "$T/k$i/err")"
	fi
	n=$(grep -v '^#' "$T/k$i/dump" | tail -n +2 | wc -l)
	[ "$n" -gt 0 ] || fail "kill $i: no records"
	# the records that are there are consecutive from 0
	[ "$(grep -v '^#' "$T/k$i/dump" | tail -n 1 | cut -d, -f1)" = $((n - 1)) ] || fail "kill $i: seq gap"
	ok "kill $i: $n records readable (dump exit $rc)"
done
