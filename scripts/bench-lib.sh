# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench-lib.sh - what scripts/bench.sh and scripts/bench-async.sh share;
# sourced by both.  The targets every round runs on, and the load average,
# without which numbers from a shared machine cannot be read.

# bench_rotated START ITEM...: the items, one a line, from the one at
# index START (mod their count) round to the one before it: the order of
# one rep, so that from rep to rep no variant always runs first
bench_rotated() {
	local start=$1 i
	shift
	for i in $(seq 0 $(($# - 1))); do
		eval echo \${$(( (start + i) % $# + 1 ))}
	done
}

# bench_load WHEN: the load average (1, 5, 15 min) as one line
bench_load() {
	printf 'load average at %s: %s\n' "$1" "$(cut -d' ' -f1-3 /proc/loadavg)"
}

# bench_targets DIR: the caller's `run NAME TARGET SIZE EXTRA` on a 256 MiB
# page-cached file in DIR, then (root, LOOP unset or 1) on a loop device
# over a 256 MiB file in DIR with direct=1, detached when the shell exits.
bench_targets() {
	local img dev
	run page-cache "$1/data" 256M ""
	rm -f "$1/data"
	if [ "${LOOP:-1}" = 0 ]; then
		echo "(loop-device round skipped: LOOP=0)"
	elif [ "$(id -u)" = 0 ] && img=$(mktemp "$1/loop.XXXXXX") && truncate -s 256M "$img" &&
		dev=$(losetup --find --show "$img" 2>/dev/null); then
		# expanded now: the trap fires after this function's locals are gone
		trap "losetup -d '$dev'; rm -f '$img'" EXIT
		run "loop-direct" "$dev" 256M "direct=1"
	else
		echo "(loop-device round skipped: needs root and losetup)"
	fi
}
