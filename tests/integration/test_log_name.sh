#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: whatever the job is called, its log lands inside vmlat_log_dir
# (issue 11, item 3): every '/' of the expanded vmlat_log_name and a
# leading '.' become '_', so "--name=../../x" can neither climb out of the
# directory nor make a hidden file, and the README's example name holds.
. "$(dirname "$0")/../lib.sh"
mkdir -p "$T/a/b/logs"
truncate -s 4M "$T/data"

# logged NAME PATTERN EXPECTED: fio job NAME with PATTERN writes exactly logs/EXPECTED
logged() {
	local name=$1 pat=$2 want=$3 found
	(cd "$T" && vmlat_fio --name="$name" --filename="$T/data" --size=4M --rw=randread --bs=4k \
		--number_ios=10 --vmlat_probes=0 --vmlat_log_dir="$T/a/b/logs" \
		--vmlat_log_name="$pat" --output=/dev/null >"$T/out" 2>&1) ||
		fail "$name: fio failed: $(cat "$T/out")"
	found=$(cd "$T" && find . -type f ! -name data ! -name out ! -name .cleanups | sort | tr '\n' ' ')
	[ "$found" = "./a/b/logs/$want " ] || fail "$name: want only logs/$want, found: $found"
	[ "$(records "$T/a/b/logs/$want")" = 10 ] || fail "$name: log does not hold the run"
	rm -f "$T/a/b/logs/$want"
	ok "$name ($pat): $want inside the log directory"
}

logged ../../x '%j.%n.vmlat' '_._.._x.1.vmlat'
logged .hidden '%j.%n.vmlat' '_hidden.1.vmlat'
logged a/b/c 'log.%j' 'log.a_b_c'
logged .. '%j' '_.'
logged x '../%j.vmlat' '_._x.vmlat'
