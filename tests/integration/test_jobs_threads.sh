#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: every fio job instance gets its own complete log, in process mode
# and with thread=1, with numjobs > 1: N instances, N files, 100 records
# each, distinct job numbers in the headers.
. "$(dirname "$0")/../lib.sh"

check_mode() {
	local mode=$1 n=$2 dir=$T/$1 f
	shift 2
	mkdir -p "$dir"
	(cd "$dir" && vmlat_fio --name=m --filename="$T/data" --size=16M --rw=randread --bs=4k \
		--number_ios=100 --numjobs="$n" "$@" --output-format=json --output=out.json) ||
		fail "$mode: fio failed"
	[ "$(ls "$dir"/*.vmlat | wc -l)" = "$n" ] || fail "$mode: $(ls "$dir") (want $n logs)"
	for f in "$dir"/*.vmlat; do
		[ "$(records "$f")" = 100 ] || fail "$mode: $f has $(records "$f") records"
	done
	[ "$("$VMLAT" dump "$dir"/*.vmlat | grep -c '^# job_number=' )" = "$n" ] || fail "$mode: job_number keys"
	[ "$("$VMLAT" dump "$dir"/*.vmlat | grep '^# job_number=' | sort -u | wc -l)" = "$n" ] ||
		fail "$mode: job numbers not distinct"
	ok "$mode: $n logs of 100 records"
}

check_mode process 3
check_mode thread 4 --thread
