#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test_report_bs.sh - a fio log's block size per direction, whatever the
# number of threads reading it (VMLAT_THREADS 1 to 5): a direction
# whose lines all have one bs shows it; one whose lines mix two shows
# none (empty in CSV, "-" in text), whether the mix falls inside a
# thread's piece of the file or only across pieces (with 2 threads each
# half of "across" has one bs).  Two directions, so the second pass
# (fiolog_par.c's fill_run) reads them.  The answers come from how awk
# writes the logs.  Exit 0 pass, 1 fail.
. "$(dirname "$0")/../lib.sh"
keep_going
need "$VMLAT"
cd "$T" || exit 1

# mk FILE RULE: 3000 lines "time, value, ddir, bs", all of one length (so
# 2 and 4 threads cut the file right after lines 1500, 750 and 2250, both
# reads), reads and writes in turn, every read 16384; the writes' bs by RULE
mk() {
	awk -v rule="$2" 'BEGIN {
		for (i = 0; i < 3000; i++) {
			d = i % 2; bs = 16384
			if (d && rule == "inside") bs = i % 6 == 1 ? 16384 : 65536
			if (d && rule == "across") bs = i < 1500 ? 16384 : 65536
			if (d && rule == "one") bs = 65536
			printf "%d, %d, %d, %d\n", 10000 + i, 20000 + i, d, bs
		} }' >"$1"
}

for rule in inside across one; do
	mk "$rule.log" "$rule"
	want="read,16384 write,"
	[ "$rule" = one ] && want="read,16384 write,65536"
	for t in 1 2 3 4 5; do
		got=$(VMLAT_THREADS=$t "$VMLAT" report --by ddir,bs --format csv "$rule.log" |
			awk -F, 'NR > 1 { printf "%s%s,%s", sep, $1, $2; sep = " " }')
		[ "$got" = "$want" ] || fail "$rule, $t threads: ddir,bs '$got', want '$want'"
	done
done
finish
