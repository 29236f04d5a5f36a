#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: guest-up.sh fails clearly and leaves nothing running.  Bad
# arguments are refused before anything starts, naming the option; a
# kernel that does not boot is reported as soon as QEMU exits, with the
# panic from the console; a host port in use is named; an interrupted boot
# (SIGINT, as Ctrl-C sends) stops its QEMU; guest-down.sh of a guest that
# is not running is not an error.
. "$(dirname "$0")/../lib.sh"
GUEST=$TOP/scripts/guest
name=e$$
gdir=$TOP/build/guest/$name
at_exit "rm -rf $gdir"
at_exit "$GUEST/guest-down.sh $name"

# expect_err WANT ARGS...: guest-up fails (status 1) saying WANT.
expect_err() {
	local want=$1 rc=0
	shift
	"$GUEST/guest-up.sh" "$@" > "$T/err" 2>&1 || rc=$?
	[ $rc = 1 ] || fail "guest-up $*: status $rc, want 1: $(cat "$T/err")"
	grep -qF -- "$want" "$T/err" || fail "guest-up $*: want '$want', got: $(cat "$T/err")"
}
common=(--disk "$T/disk" --port 20001 --logs "$T/logs")
expect_err "no guest NAME given" --cpus 1 "${common[@]}"
expect_err "bad guest name '1x'" 1x "${common[@]}"
expect_err "--cpus=0: not a positive number" "$name" --cpus 0 "${common[@]}"
expect_err "--port=70000: not a port number" "$name" --disk "$T/disk" --port 70000 --logs "$T/logs"
expect_err "--cache=fast: not one of" "$name" --cache fast "${common[@]}"
expect_err "--disk $T/a,b: use a path of" "$name" --disk "$T/a,b" --port 20001 --logs "$T/logs"
expect_err "--logs DIR is required" "$name" --disk "$T/disk" --port 20001
expect_err "unknown option '--vcpus'" "$name" --vcpus 2 "${common[@]}"
[ ! -e "$gdir" ] || fail "a refused guest-up left $gdir"
ok "bad arguments refused before anything starts"

"$GUEST/guest-down.sh" "$name" > "$T/down" 2>&1 || fail "guest-down of no guest failed: $(cat "$T/down")"
grep -q "guest $name is not running" "$T/down" || fail "guest-down said: $(cat "$T/down")"
ok "guest-down of a guest that is not running"

need_root "QEMU's 9p share of the host's root"
command -v qemu-system-x86_64 >/dev/null || "$TOP/scripts/deps.sh" guests >/dev/null 2>&1 || true
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 is not available (scripts/deps.sh guests)"

free_port() {
	local p
	for _ in $(seq 20); do
		p=$((20000 + RANDOM % 20000))
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo $p; return; }
	done
}
# gone: no QEMU of this guest runs and its state file is removed.  (QEMU
# deletes its own pid file when it exits, so the processes are asked.)
gone() {
	sleep 0.5
	! pgrep -f -- "-name vmlat-$name " >/dev/null && [ ! -e "$gdir/state" ]
}
boot=(--accel tcg --disk "$T/disk" --disk-size 1G --logs "$T/logs")

expect_err "--disk $T: not a regular file" "$name" --accel tcg --disk "$T" --port 20001 --logs "$T/logs"

port=$(free_port)
"$FIO" --server="ip:127.0.0.1,$port" > /dev/null 2>&1 &
srv=$!
at_exit "kill $srv"
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
expect_err "host port 127.0.0.1:$port is in use" "$name" --port "$port" "${boot[@]}"
gone || fail "QEMU left running after a port clash"
ok "a port in use is named"

start=$(date +%s)
VMLAT_GUEST_APPEND=rdinit=/nonexistent expect_err "guest $name stopped while booting" \
	"$name" --port "$(free_port)" "${boot[@]}"
grep -q "Kernel panic" "$T/err" || fail "no panic in the console tail: $(cat "$T/err")"
gone || fail "QEMU or state left behind after a failed boot"
ok "a kernel that does not boot: reported with its panic in $(($(date +%s) - start)) s"

rc=0
timeout -s INT 4 "$GUEST/guest-up.sh" "$name" --port "$(free_port)" "${boot[@]}" > "$T/int" 2>&1 || rc=$?
[ $rc = 124 ] || fail "guest-up was not interrupted (status $rc): $(cat "$T/int")"
grep -q "interrupted: stopping $name" "$T/int" || fail "guest-up on SIGINT said: $(cat "$T/int")"
[ -e "$gdir/console.log" ] || fail "QEMU had not started within 4 s: no test of the interrupt"
gone || fail "QEMU or state left behind after SIGINT"
ok "an interrupted boot stops its QEMU"
