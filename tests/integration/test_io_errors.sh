#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# An IO the kernel refuses fails through the engine exactly as through
# fio's psync engine, and its record carries the errno.  The engine issues
# pread/pwrite as inline syscalls (engine/vmlat.c, prw), so the errno
# travels by its own code, not glibc's: this is what checks it.
#
# The refusal is known in advance: a loop device with 4096-byte logical
# sectors refuses a 512-byte O_DIRECT read or write with EINVAL (22).  Each
# direction runs through psync and through vmlat with the same job (same
# seed, so the same first offset): both must fail with err=22 and the very
# same "io_u error" line, and vmlat's log must hold that IO (offset, length,
# direction) with error 22.
. "$(dirname "$0")/../lib.sh"
need_root "loop devices"

dev=$(loopdev 64 4096)
[ "$(blockdev --getss "$dev")" = 4096 ] || skip "$dev has $(blockdev --getss "$dev")-byte sectors, not 4096"

# run ENGINE RW OUT [ARGS...]: one job that fails on its first IO
run() {
	local engine=$1 rw=$2 out=$3
	shift 3
	(cd "$T" && "$FIO" --eta=never --name=err --filename="$dev" --rw="$rw" --bs=512 \
		--direct=1 --size=1M --number_ios=4 --ioengine="$engine" "$@" >"$out" 2>&1)
}

for rw in randread randwrite; do
	dir=${rw#rand}
	run psync "$rw" "$T/psync.$rw.out" && fail "$rw: fio's psync exited 0: $(cat "$T/psync.$rw.out")"
	run "external:$ENGINE" "$rw" "$T/vmlat.$rw.out" --vmlat_probes=0 --vmlat_log_name="$rw.vmlat" &&
		fail "$rw: vmlat exited 0: $(cat "$T/vmlat.$rw.out")"
	want=$(grep '^fio: io_u error on file' "$T/psync.$rw.out")
	case $want in
	"fio: io_u error on file $dev: Invalid argument: $dir offset="*) ;;
	*) fail "$rw: psync did not fail with EINVAL as expected: $(cat "$T/psync.$rw.out")" ;;
	esac
	got=$(grep '^fio: io_u error on file' "$T/vmlat.$rw.out")
	[ "$got" = "$want" ] || fail "$rw: vmlat says '$got', psync '$want'"
	grep -q "err=22 .*error=Invalid argument" "$T/vmlat.$rw.out" ||
		fail "$rw: vmlat's job does not end with err=22: $(cat "$T/vmlat.$rw.out")"
	off=${want##*offset=}
	off=${off%%,*}
	"$VMLAT" dump "$T/$rw.vmlat" >"$T/$rw.csv" || fail "$rw: dump failed"
	awk -F, -v d="$dir" -v o="$off" '!/^#/ && $1 ~ /^[0-9]+$/ {
		n++; if ($2 == d && $3 == o && $4 == 512 && $7 == 22) hit++ }
		END { exit !(n == 1 && hit == 1) }' "$T/$rw.csv" ||
		fail "$rw: the log does not hold one $dir at $off with error 22: $(grep -v '^#' "$T/$rw.csv")"
	ok "$rw: EINVAL as through psync ('$got'), logged with error 22"
done
