#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test_dump.sh - `vmlat dump` against golden output, and its exit codes.
#
# The logs come from tests/cli/mklog.c (lib/vlog's own writer, record
# values from a fixed formula written out in that file), so every expected
# line below is computed by hand from the formula, not taken from a
# previous run.  Damaged logs are patched at offsets from the layout table
# in lib/vlog.h.  Exit 0 pass, 1 fail.
#
#   VMLAT=path/to/vmlat  (default analysis/vmlat)   BUILD=dir  (default build)
. "$(dirname "$0")/../lib.sh"
keep_going
need "$VMLAT" "$MKLOG"
cd "$T" || exit 1

# run_dump ARGS...: vmlat dump into out/err, exit code in $rc
run_dump() {
	"$VMLAT" dump "$@" >out 2>err
	rc=$?
}

# poke FILE OFFSET BYTES...: overwrite bytes (given as \xHH) at OFFSET
poke() {
	printf '%b' "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

records() { grep -v '^#' out | tail -n +2; }

fields='seq:u64@0,offset:u64@8,issue_ns:u64@16,lat_ns:u64@24,len:u32@32,ddir:u8@36,ctx_mask:u8@37,error:u16@38,cpu_submit:u16@40,cpu_complete:u16@42,rq_delay_ns:u32@44,nvcsw:u16@48,nivcsw:u16@50,minflt:u16@52,majflt:u16@54,reserved:u32@56,check:u32@60,inflight:u32@56'
cols='seq,ddir,offset,len,issue_ns,lat_ns,error,cpu_submit,cpu_complete,rq_delay_ns,nvcsw,nivcsw,minflt,majflt,inflight'

# golden_head TAIL RECORDS FILE: the comment and column lines of a mklog log
golden_head() {
	cat <<-EOF
	# file=$3
	# format=1.1
	# byte_order=little
	# fields=$fields
	# engine=mklog
	# job_name=golden
	# tag.note=two\\nlines
	# tag.path=C:\\\\dir
	# format=1.1
	# records=$2
	# tail=$1
	$cols
	EOF
}

# The three record shapes of mklog.c: all context, nothing known, csw only.
golden_recs() {
	cat <<-'EOF'
	0,read,0,4096,1000,50000,0,0,1,100,1,0,10,0,7
	1,write,4096,4096,251000,51000,5,,,,,,,,
	2,9,8192,4096,501000,52000,0,2,3,,3,2,,,
	EOF
}

test_csv_golden() {
	"$MKLOG" g.vmlat 3 || { fail "mklog"; return; }
	{ golden_head clean 3 g.vmlat; golden_recs; } >expect
	run_dump g.vmlat
	mv out actual
	check "csv: 3-record log, golden output"
	expect_rc "csv: good file" 0
	[ ! -s err ] || fail "csv: good file wrote to stderr: $(cat err)"
}

test_json() {
	run_dump --json g.vmlat o.vmlat
	expect_rc "json: two logs" 0
	python3 -m json.tool out >/dev/null || { fail "json: not valid JSON"; return; }
	python3 - out >actual <<-'EOF'
	import json, sys
	doc = json.load(open(sys.argv[1]))
	for f in doc["files"]:
	    h = f["header"]
	    print(f["file"], f["format"], f["byte_order"], f["state"], f["tail"],
	          f["records_count"], len(f["records"]), h["job_name"],
	          h["tag.note"] == "two\nlines", h["tag.path"] == "C:\\dir")
	for r in doc["files"][0]["records"]:
	    print(r)
	EOF
	cat >expect <<-'EOF'
	g.vmlat 1.1 little closed clean 3 3 golden True True
	o.vmlat 1.1 little open open 5 5 golden True True
	{'seq': 0, 'ddir': 'read', 'offset': 0, 'len': 4096, 'issue_ns': 1000, 'lat_ns': 50000, 'error': 0, 'cpu_submit': 0, 'cpu_complete': 1, 'rq_delay_ns': 100, 'nvcsw': 1, 'nivcsw': 0, 'minflt': 10, 'majflt': 0, 'inflight': 7}
	{'seq': 1, 'ddir': 'write', 'offset': 4096, 'len': 4096, 'issue_ns': 251000, 'lat_ns': 51000, 'error': 5, 'cpu_submit': None, 'cpu_complete': None, 'rq_delay_ns': None, 'nvcsw': None, 'nivcsw': None, 'minflt': None, 'majflt': None, 'inflight': None}
	{'seq': 2, 'ddir': 9, 'offset': 8192, 'len': 4096, 'issue_ns': 501000, 'lat_ns': 52000, 'error': 0, 'cpu_submit': 2, 'cpu_complete': 3, 'rq_delay_ns': None, 'nvcsw': 3, 'nivcsw': 2, 'minflt': None, 'majflt': None, 'inflight': None}
	EOF
	check "json: values, counts, header and nulls"
	run_dump --json nonexistent.vmlat
	expect_rc "json: no readable file" 3
	python3 -c 'import json, sys; assert json.load(sys.stdin) == {"files": []}' <out ||
		fail "json: no readable file is not {\"files\": []}"
}

test_usage() {
	run_dump --bogus g.vmlat
	expect_rc "bad option" 1
	grep -q "^vmlat: unknown option '--bogus'$" err || fail "bad option message: $(cat err)"
	[ ! -s out ] || fail "bad option printed on stdout"
	run_dump
	expect_rc "no FILE" 1
	"$VMLAT" >out 2>err; rc=$?
	expect_rc "vmlat without a command" 1
	"$VMLAT" frobnicate >out 2>err; rc=$?
	expect_rc "unknown command" 1
	"$VMLAT" --help >out 2>err; rc=$?
	expect_rc "vmlat --help" 0
	grep -q dump out || fail "vmlat --help does not mention dump"
	run_dump --help
	expect_rc "vmlat dump --help" 0
	grep -q 'vmlat dump' out || fail "vmlat dump --help does not mention dump"
	grep -q lat_ns out || fail "vmlat dump --help does not list the columns"
	"$VMLAT" --version >actual 2>err; rc=$?
	expect_rc "vmlat --version" 0
	grep -Eq '^vmlat [0-9]+\.[0-9]+\.[0-9]+$' actual || fail "version line: $(cat actual)"
}

# bad_input NAME FILE WANT_MESSAGE: exit 2, nothing on stdout, one exact line
bad_input() {
	run_dump "$2"
	expect_rc "$1" 2
	echo "$3" >expect
	cp err actual
	check "$1: message"
	[ ! -s out ] || fail "$1: printed records from a rejected file"
}

test_bad_input() {
	head -c 100 /dev/zero | tr '\0' x >magic.vmlat
	bad_input "bad magic" magic.vmlat \
		"vmlat: magic.vmlat: byte 0: not a vmlat log (no VMLATLOG magic)"
	"$MKLOG" v2.vmlat 3 && poke v2.vmlat 12 '\x02\x00\x00'
	bad_input "newer major version" v2.vmlat \
		"vmlat: v2.vmlat: byte 12: format version 2.0 is newer than this vmlat reads (1.x)"
	: >empty.vmlat
	bad_input "empty file" empty.vmlat \
		"vmlat: empty.vmlat: byte 0: not a vmlat log: 0 bytes, shorter than the 64-byte prefix"
}

test_torn() {
	"$MKLOG" --torn t.vmlat 4 || { fail "mklog --torn"; return; }
	run_dump t.vmlat
	expect_rc "torn tail" 2
	{ golden_head torn 4 t.vmlat; golden_recs; echo "3,read,12288,4096,751000,53000,0,3,4,400,4,3,13,1,10"; } >expect
	mv out actual
	check "torn tail: every good record printed"
	echo "vmlat: t.vmlat: byte $((4096 + 4 * 64)): torn tail: the log was not closed and the bytes after record 4 are not a record" >expect
	cp err actual
	check "torn tail: one line naming the byte"
}

# A closed log cut short in the middle of record 6 (issue 13.4): the header
# and records 0 to 5 are printed, then one line with the byte where it ends.
test_cut() {
	# 10 records end at 4096 + 640; cut in the middle of record 6
	"$MKLOG" cut.vmlat 10 && truncate -s $((4096 + 6 * 64 + 20)) cut.vmlat
	run_dump cut.vmlat
	expect_rc "cut short" 2
	grep -qx '# records=6' out || fail "cut short: no '# records=6'"
	grep -qx '# tail=torn' out || fail "cut short: no '# tail=torn'"
	grep -qx '# job_name=golden' out || fail "cut short: header not printed"
	[ "$(records | cut -d, -f1 | tr '\n' ' ')" = "0 1 2 3 4 5 " ] ||
		fail "cut short: records $(records | cut -d, -f1 | tr '\n' ' '), want 0 to 5"
	echo "vmlat: cut.vmlat: byte 4500: truncated: the header counts 10 records but the file ends after 6" >expect
	cp err actual
	check "cut short: one line naming the byte"
	"$VMLAT" dump --json cut.vmlat >out 2>err; rc=$?
	expect_rc "cut short, --json" 2
	jq -e '.files[0].records | length == 6' out >/dev/null || fail "cut short, --json: not 6 records"
}

test_open() {
	"$MKLOG" --open o.vmlat 5 || { fail "mklog --open"; return; }
	run_dump o.vmlat
	expect_rc "open log" 0
	[ "$(records | wc -l)" = 5 ] || fail "open log: $(records | wc -l) records, want 5"
	grep -qx '# tail=open' out || fail "open log: no '# tail=open'"
	echo "vmlat: warning: o.vmlat: log was not closed (writer killed?); 5 records are intact" >expect
	cp err actual
	check "open log: warning"
}

test_system() {
	run_dump nonexistent.vmlat
	expect_rc "nonexistent file" 3
	echo "vmlat: cannot open 'nonexistent.vmlat': No such file or directory" >expect
	cp err actual
	check "nonexistent file: message"
	# the other files are still printed, and the worst exit code wins
	run_dump nonexistent.vmlat g.vmlat magic.vmlat
	expect_rc "missing + good + bad magic" 3
	[ "$(records | wc -l)" = 3 ] || fail "good file not printed next to a missing one"
	run_dump g.vmlat magic.vmlat
	expect_rc "good + bad magic" 2
	"$VMLAT" dump g.vmlat >/dev/full 2>err; rc=$?
	expect_rc "stdout full" 3
	grep -q "^vmlat: cannot write to standard output: " err || fail "stdout full: $(cat err)"
}

# A log of format 1.0 (tests/fixtures/vlog-1.0: mklog of that version, 3
# records) reads as before: same records, its reserved word never shown as
# an inflight count.
test_format_10() {
	local f=$TOP/tests/fixtures/vlog-1.0/golden-3.vmlat
	run_dump "$f"
	expect_rc "format 1.0: read" 0
	grep -qx '# format=1.0' out || fail "format 1.0: not reported as 1.0"
	records >actual
	golden_recs | sed '1s/,7$/,/' >expect
	check "format 1.0: same records, inflight empty"
}

test_csv_golden
test_format_10
test_open
test_json
test_usage
test_bad_input
test_torn
test_cut
test_system

[ $fails = 0 ] || { echo "$fails check(s) failed" >&2; exit 1; }
echo "all checks passed"
exit 0
