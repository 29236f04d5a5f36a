#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test_report_exact.sh - `vmlat report` on fio logs of every layout, and
# on vmlat logs whole and damaged, gives, to the last digit and the last
# byte of every message, what the readers before the parallel ones gave
# (issue 15: no exactness traded for speed).
#
# The corpus comes from tests/cli/mkfiolog.c (a fixed LCG: the same bytes
# on every host): 4 to 8 columns, values of 7 to 12 digits, one to three
# directions, hex prio, LF, CRLF, a missing final newline, a lone '\r' at
# the end, plus malformed files whose error messages must not change.
# tests/fixtures/report_exact/expect.txt holds the outputs (CSV, JSON and
# --hist CSV; stderr and exit codes) of the reader without the parallel
# SWAR parser: main at f401b0e (issues 12 and 13 included), built from
# `git archive` of that commit, made with
#
#   REGEN=1 VMLAT=path/to/that/vmlat tests/cli/test_report_exact.sh
#
# (first made from 1fedd1d, then 185fe31; the vmlat log cases were added
# from c082e1f, main before the parallel vmlat reader, and the fio log
# outputs came out the same; the big and over inputs too, from c082e1f,
# when the threads began to pread() and pass 1 to store; the sel* cases,
# cells large enough for the statistics without a sort, from 8d7f87d,
# main before that change; regenerate it the
# same way when a change of the loaders' behaviour lands, never from the
# new readers' output).  One line was edited by hand since, on purpose:
# bad_record.vmlat's message said "the 1700 records before it are intact;
# the 1700 records before it are used", the reader's words and the
# loader's for one fact; the reader now says only what failed.
# Every input is read with the parser on 1, 2, 5 and the default number of
# threads (VMLAT_THREADS), each split at line boundaries, so chunks begin
# and end at every kind of line end; vmlat logs also in spans of 64 and 7
# records (VMLAT_VLOG_SPAN), so the first bad record falls inside a round
# and a span.  Exit 0 pass, 1 fail.
. "$(dirname "$0")/../lib.sh"
keep_going
need "$VMLAT" "$MKFIOLOG" "$MKLAT"
EXPECT=$TOP/tests/fixtures/report_exact/expect.txt
cd "$T" || exit 1

gen() { # NAME LAYOUT N SEED ENDING DDIRS
	"$MKFIOLOG" "$2" "$3" "$4" "$5" "$6" >"$1" || { fail "mkfiolog $*"; exit 1; }
}
# good inputs: every layout fio 3.x writes, every line end
gen c4_clat.1.log time,value,ddir,bs 2500 1 lf 1
gen c5p_clat.1.log time,value,ddir,bs,prio 2500 2 crlf 2
gen c5o_lat.2.log time,value,ddir,bs,offset 2500 3 lf-nofinal 3
gen c6op_clat.1.log time,value,ddir,bs,offset,prio 2500 4 crlf-nofinal 3
gen c6oh_clat.1.log time,value,ddir,bs,offset,hexprio 2500 5 lf 2
gen c6pi_slat.1.log time,value,ddir,bs,prio,issue 2500 6 cr-final 1
gen c6m_clat.1.log time,value,max,ddir,bs,prio 2500 7 lf 2
gen c7opi_clat.1.log time,value,ddir,bs,offset,prio,issue 2500 8 crlf 3
gen c7mop_clat.1.log time,value,max,ddir,bs,offset,prio 2500 9 lf 1
gen c7mpi_clat.1.log time,value,max,ddir,bs,prio,issue 2500 10 lf-nofinal 2
gen c8_clat.1.log time,value,max,ddir,bs,offset,hexprio,issue 2500 11 crlf-nofinal 3
gen one_clat.1.log time,value,ddir,bs,prio 1 12 lf-nofinal 1
gen two_clat.1.log time,value,ddir,bs,prio 2 13 cr-final 2
# larger than the threads' 128 KiB read buffer, so lines cross its ends
gen big1_clat.1.log time,value,ddir,bs,prio 60000 16 crlf-nofinal 1
gen big3_clat.1.log time,value,ddir,bs,offset,prio 60000 17 lf 3
# cells of 2^16 samples and more: statistics by selection, not a sort
# (stats_compute_any), sorted only for the comparison below
gen sel5_clat.1.log time,value,ddir,bs,prio 200000 18 lf 1
gen sel5b_clat.1.log time,value,ddir,bs,prio 150000 19 lf 1
gen sel6_clat.1.log time,value,ddir,bs,offset,prio 400000 20 crlf 2
# long lines first, then short ones: more lines than the line length of
# the first 64 KiB predicts, so the one-direction store of pass 1 runs
# out of room and pass 2 stores
awk 'BEGIN { for (i = 0; i < 3000; i++) printf "0, 9%017d, 0, 4096, 0\n", i * 7919
	for (; i < 300000; i++) printf "%d, %d, 0, 4096, 0\n", i / 1000, 1 + i % 97 }' >over_clat.1.log
# vmlat logs: three directions, failed IOs, both kinds of context
"$MKLAT" v_mixed.vmlat seq:50000:7 3000 ddirs=3 errors=97 ctx=1 || exit 1
"$MKLAT" v_ctx2.vmlat square:3 2000 ddirs=2 ctx=2 || exit 1
"$MKLAT" v_one.vmlat const:12345 1 || exit 1
good=$(ls)
# malformed inputs: the first bad line is deep in the file
gen base time,value,ddir,bs,prio 3000 14 lf 2
bad() { # NAME LINE TEXT: base with line LINE replaced by TEXT
	awk -v n="$2" -v t="$3" 'NR == n { print t; next } { print }' base >"$1"
}
bad bad_word_clat.1.log 2100 '5, abc, 0, 4096, 0'
bad bad_cols_clat.1.log 2900 '5, 1234567, 0, 4096'
bad bad_big_clat.1.log 1700 '5, 99999999999999999999, 0, 4096, 0'
bad bad_nine_clat.1.log 2999 '5, 1, 0, 4096, 0, 1, 2, 3, 4'
bad bad_blank_clat.1.log 1501 ''
bad bad_hexval_clat.1.log 2222 '5, 0x12345, 0, 4096, 0'
bad bad_space_clat.1.log 2500 '5, 1234567 , 0, 4096, 0'
bad bad_ddir_clat.1.log 1000 '5, 1234567, 7, 4096, 0'
awk 'NR == 1800 { printf "5, 1234567, 0, 4096, 0\r\r\n"; next } { print }' base >bad_crcr_clat.1.log
: >bad_empty_clat.1.log
cp base bad_bw.1.log
rm base
# damaged vmlat logs: cut short, a bad record deep inside, never closed
# (intact; zeros after; junk after); the records before the damage count
poke() { # FILE OFFSET BYTES(printf escapes): overwrite in place
	printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
hdr=$(od -An -tu4 -j16 -N4 v_mixed.vmlat | tr -d ' ')
size=$(stat -c %s v_mixed.vmlat)
head -c $((size - 100)) v_mixed.vmlat >bad_cut.vmlat
cp v_mixed.vmlat bad_record.vmlat
poke bad_record.vmlat $((hdr + 1700 * 64 + 24)) '\377'
cp v_mixed.vmlat bad_open.vmlat
poke bad_open.vmlat 28 '\0\0\0\0'
cp bad_open.vmlat bad_open_zeros.vmlat
head -c 100000 /dev/zero >>bad_open_zeros.vmlat
cp bad_open.vmlat bad_open_junk.vmlat
printf 'junk after the records, as a killed writer can leave' >>bad_open_junk.vmlat

run_all() {
	local f
	for f in $good; do
		echo "== $f csv"
		"$VMLAT" report --by file,ddir --format csv "$f" 2>&1; echo "rc=$?"
		echo "== $f json"
		"$VMLAT" report --by file,ddir --format json "$f" 2>&1; echo "rc=$?"
		echo "== $f hist"
		"$VMLAT" report --by file,ddir --format csv --hist "$f" 2>&1; echo "rc=$?"
	done
	echo "== all at once, with a forced layout"
	"$VMLAT" report --by file,ddir --format csv c4_clat.1.log c8_clat.1.log \
		--fio-columns=time,value,ddir,bs,prio c5p_clat.1.log 2>&1; echo "rc=$?"
	echo "== forced layouts in other orders, one without bs, one without ddir"
	"$VMLAT" report --by file,ddir --format csv \
		--fio-columns=time,value,max,ddir,offset,offset,prio,issue c8_clat.1.log 2>&1; echo "rc=$?"
	"$VMLAT" report --by file,ddir --format csv \
		--fio-columns=time,value,bs,bs c4_clat.1.log 2>&1; echo "rc=$?"
	echo "== large cells compared with a baseline"
	"$VMLAT" report --by file --baseline file=sel5_clat.1.log --format csv \
		sel5_clat.1.log sel5b_clat.1.log 2>&1; echo "rc=$?"
	for f in bad_*; do
		echo "== $f"
		"$VMLAT" report --by file,ddir --format csv "$f" 2>&1; echo "rc=$?"
	done
}

if [ -n "${REGEN:-}" ]; then
	run_all >"$EXPECT"
	echo "wrote $EXPECT"
	exit 0
fi
# THREADS[:SPAN]: VMLAT_VLOG_SPAN cuts a vmlat log into spans of SPAN
# records per thread, so small logs take many rounds of the parallel reader
for run in 1 2 5:64 2:7 default; do
	threads=${run%%:*}
	if [ $threads = default ]; then unset VMLAT_THREADS; else export VMLAT_THREADS=$threads; fi
	if [ "$run" != "$threads" ]; then export VMLAT_VLOG_SPAN=${run#*:}; else unset VMLAT_VLOG_SPAN; fi
	run_all >actual
	if diff -u "$EXPECT" actual >diff.out; then
		ok "$run threads: every output as before"
	else
		fail "$run threads: outputs differ from before"
		head -n 40 diff.out >&2
	fi
done
unset VMLAT_VLOG_SPAN

# too_large WHAT FILE IOS [ARGS...]: a report (ARGS) of FILE, IOS IOs, on a
# machine with 1000 bytes (VMLAT_MEM_AVAIL) is refused, with the numbers
too_large() {
	local what=$1 f=$2 ios=$3 rc want
	shift 3
	VMLAT_MEM_AVAIL=1000 "$VMLAT" report --format csv "$@" "$f" >out 2>err
	rc=$?
	want="vmlat: $f: $ios IOs need 1 MiB for exact statistics, and 0 MiB are available: use --hist (constant memory)"
	if [ $rc != 0 ] && grep -qxF "$want" err; then
		ok "a $what too large for memory is refused, with the numbers"
	else
		fail "too large a $what: exit $rc, $(cat err)"
	fi
}

# A cell that does not fit is refused with the numbers, never OOM-killed;
# --hist still reads it.
unset VMLAT_THREADS
too_large "fio log" c4_clat.1.log 2500 --by file
VMLAT_MEM_AVAIL=1000 "$VMLAT" report --by file --format csv --hist c4_clat.1.log >out 2>err
if [ $? = 0 ] && grep -q '^c4_clat.1.log,2500,' out; then
	ok "--hist reads it in constant memory"
else
	fail "--hist on a small machine: $(cat out err)"
fi
"$MKLAT" v.vmlat seq:50000:7 1000 rw=randread
too_large "vmlat log" v.vmlat 1000
finish
