#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run.sh - run every test program and script: its name when it starts
# ("RUN  NAME": some take minutes), its verdict when it ends ("PASS NAME
# (Ns)", "SKIP NAME: why", "FAIL NAME (exit N)" with the end of its
# output), then the totals.  A test exits 0 (pass), 77 (skip: says why) or
# anything else (fail).  Exit status: 0 only when nothing failed.
#
#   tests/run.sh              everything
#   tests/run.sh PATTERN...   only tests whose path contains a PATTERN
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 3
export LC_ALL=C
export TOP="$top"
build=${BUILD:-$top/build}

tests=()
for t in "$build"/tests/test_* tests/cli/test_*.sh tests/integration/test_*.sh; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	if [ $# -gt 0 ]; then
		keep=0
		for p in "$@"; do case $t in *"$p"*) keep=1 ;; esac; done
		[ $keep = 1 ] || continue
	fi
	tests+=("$t")
done

pass=0 fail=0 skip=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for t in "${tests[@]}"; do
	name=${t#"$build"/}
	echo "RUN  $name"
	start=$(date +%s)
	"$t" >"$log" 2>&1 </dev/null
	rc=$?
	secs=$(( $(date +%s) - start ))
	case $rc in
	0) pass=$((pass + 1)); echo "PASS $name (${secs}s)" ;;
	77) skip=$((skip + 1)); echo "SKIP $name: $(tail -n 1 "$log")" ;;
	*) fail=$((fail + 1)); echo "FAIL $name (exit $rc)"; sed 's/^/    /' "$log" | tail -n 40 ;;
	esac
done
echo "$pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
