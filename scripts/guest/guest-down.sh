#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# guest-down.sh [--timeout S] NAME... | --all
#
# Stop guests started by guest-up.sh: QEMU is sent SIGTERM, which makes it
# flush the disk image and exit (the guest itself is not asked: nothing in
# it keeps state worth a clean shutdown, and its logs are already on the
# host); after S seconds (10) it is killed.  The console log and the
# guest's out/ directory stay in build/guest/NAME/ for inspection.
# A guest that is not running is not an error.  Exit status: 0, or 1 when
# a guest could not be stopped.
set -euo pipefail
GPROG=guest-down
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() { help_exit '/^# A guest/' "$@"; }

stop_timeout=10
names=()
[ $# -gt 0 ] || usage 1 >&2
while [ $# -gt 0 ]; do
	case $1 in
	-h | --help) usage 0 ;;
	--timeout)
		[[ ${2:-} =~ ^[1-9][0-9]*$ ]] || gdie "--timeout needs a positive number of seconds"
		stop_timeout=$2; shift 2 ;;
	--all)
		for s in "$GDIR"/*/state; do [ -f "$s" ] && names+=("$(basename "$(dirname "$s")")"); done
		shift ;;
	-*) gdie "unknown option '$1' (see --help)" ;;
	*) valid_name "$1"; names+=("$1"); shift ;;
	esac
done

# stop NAME: 0 when the guest is gone.
stop() {
	local pid i
	pid=$(state_get "$1" pid)
	if ! alive "$pid"; then
		[ -f "$GDIR/$1/state" ] || gsay "guest $1 is not running"
		rm -f "$GDIR/$1/state"
		return 0
	fi
	# The pid file may be stale and the number reused: stop only our QEMU.
	grep -qa "vmlat-$1" "/proc/$pid/cmdline" 2>/dev/null ||
		{ gsay "pid $pid is not guest $1's QEMU: leaving it"; rm -f "$GDIR/$1/state"; return 0; }
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < stop_timeout * 10; i++)); do
		alive "$pid" || break
		sleep 0.1
	done
	if alive "$pid"; then
		gsay "guest $1 (pid $pid) ignored SIGTERM for ${stop_timeout}s: killing it"
		kill -KILL "$pid" 2>/dev/null || true
		sleep 0.5
		alive "$pid" && { gsay "cannot stop guest $1 (pid $pid)"; return 1; }
	fi
	rm -f "$GDIR/$1/state"
}

rc=0
for n in ${names[@]+"${names[@]}"}; do stop "$n" || rc=1; done
exit $rc
