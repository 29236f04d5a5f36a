#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: bad input fails the job through fio with a message that names the
# option and the value, and fio exits non-zero; an existing log is never
# overwritten unless vmlat_log_replace=1 says so.
. "$(dirname "$0")/../lib.sh"
cd "$T"

expect_fail() { # name, pattern, fio args...
	local name=$1 pat=$2
	shift 2
	if vmlat_fio --name=bad --filename="${target:-$T/data}" --size=4M --rw=randread --bs=4k \
		--number_ios=10 "$@" >"$T/out" 2>&1; then
		fail "$name: fio exited 0: $(cat "$T/out")"
	fi
	grep -qF -- "$pat" "$T/out" || fail "$name: no '$pat' in: $(cat "$T/out")"
	ok "$name"
}

expect_fail "missing log directory" "vmlat_log_dir=$T/nodir: cannot create '$T/nodir/bad.1.vmlat'" \
	--vmlat_log_dir="$T/nodir"
# it fails before the probes, which would only warn about the same directory
! grep -q 'not measured' "$T/out" || fail "missing log directory: probe warnings first: $(cat "$T/out")"
ok "missing log directory: no probe warnings before the error"
touch "$T/afile"
expect_fail "log directory is a file" "vmlat_log_dir=$T/afile" --vmlat_log_dir="$T/afile"
expect_fail "tag without value" "vmlat_tags=platform=kvm,cores: 'cores' is not key=value" \
	--vmlat_tags=platform=kvm,cores
expect_fail "unknown name pattern" "vmlat_log_name: unknown '%q'" --vmlat_log_name='x%q'
expect_fail "bad boolean" "vmlat_allow_overwrite" --vmlat_allow_overwrite=maybe
# a block device node whose driver does not exist: open() fails with ENXIO
if [ "$(id -u)" = 0 ]; then
	major=$(awk '/^Block devices:/ { b = 1; next } b && $1 ~ /^[0-9]+$/ { used[$1] = 1 }
		END { for (m = 240; m < 255; m++) if (!(m in used)) { print m; exit } }' /proc/devices)
	mknod "$T/nodev" b "$major" 0
	target=$T/nodev expect_fail "target cannot be opened" "vmlat: filename=$T/nodev: cannot open"
fi

echo keep > "$T/bad.1.vmlat"
expect_fail "existing log" "'./bad.1.vmlat' exists" --name=bad
[ "$(cat "$T/bad.1.vmlat")" = keep ] || fail "existing log was overwritten"
vmlat_fio --name=bad --filename="$T/data" --size=4M --rw=randread --bs=4k --number_ios=10 \
	--vmlat_log_replace=1 --output=/dev/null || fail "vmlat_log_replace=1 refused"
[ "$(records "$T/bad.1.vmlat")" = 10 ] || fail "replaced log does not hold the new run"
ok "vmlat_log_replace=1 replaces"
