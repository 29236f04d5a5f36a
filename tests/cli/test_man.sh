#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test_man.sh - every example of doc/vmlat.1 and of README's `vmlat report`
# section runs, on data made here the
# way the example describes, and prints what the page shows.
#
# An example is a line "$ vmlat ..." inside .EX/.EE; the lines after it up
# to the next example or .EE are its output (none shown: it must print
# something, or write report.html, and exit 0).  The man escapes \- and \e
# are undone first.  An example right after the roff comment line
# '.\" not run: REASON' (one that needs fio, a guest or the network) is
# not run; the comment says why.
#
#   VMLAT=path/to/vmlat  (default analysis/vmlat)   BUILD=dir  (default build)
. "$(dirname "$0")/../lib.sh"
keep_going
need "$VMLAT" "$MKLAT"
PAGE=$TOP/doc/vmlat.1
cd "$T" || exit 1

# results/: Study A cells of two platforms, constant latencies (bm 100 and
# 150 us, kvm 200 and 150 us), tagged as the job files and --label would.
mkdir -p results/bm results/kvm bm kvm fio
"$MKLAT" results/bm/a-randread-4k-load0.vmlat const:100000 100 study=A rw=randread bs=4096 load=0 platform=bm
"$MKLAT" results/bm/a-randread-4k-load2.vmlat const:150000 100 study=A rw=randread bs=4096 load=2 platform=bm
"$MKLAT" results/kvm/a-randread-4k-load0.vmlat const:200000 100 study=A rw=randread bs=4096 load=0 platform=kvm cores=1 vms=1
"$MKLAT" results/kvm/a-randread-4k-load2.vmlat const:150000 100 study=A rw=randread bs=4096 load=2 platform=kvm cores=1 vms=1
# bm/, kvm/: the same without platform tags
"$MKLAT" bm/a.vmlat seq:100000:1000 100 rw=randread bs=4096 load=0
"$MKLAT" kvm/a.vmlat seq:150000:1000 100 rw=randread bs=4096 load=0
printf '1, 1000, 0, 4096, 0\n2, 3000, 1, 4096, 0\n' >fio/j_clat.1.log
printf '{ "jobs" : [ { "jobname" : "j", "read" : { "clat_ns" : { "N" : 1, "min" : 5, "max" : 5 } } } ] }\n' >fio/out.json
printf '1, 1000, 0, 4096, 0, 1\n2, 1200, 0, 4096, 1, 0\n' >odd_clat.1.log
# detect: an empty system tree; batch: the repository's configs and jobs
mkdir empty
ln -s "$TOP/configs" configs
ln -s "$TOP/jobs" jobs

# Split the EXAMPLES blocks into ex.N.cmd and ex.N.out.
awk '
	/^\.\\" not run: / { skip = 1; next }
	/^\.EX/ { inex = 1; next }
	/^\.EE/ { inex = 0; dead = 0; next }
	!inex { next }
	skip && /^\$ vmlat / { skip = 0; dead = 1; next }
	{ gsub(/\\-/, "-"); gsub(/\\e/, "\\") }
	/^\$ vmlat / { dead = 0; n++; sub(/^\$ vmlat /, ""); print > ("ex." n ".cmd"); printf "" > ("ex." n ".out"); next }
	n && !dead { print > ("ex." n ".out") }
' "$PAGE"
# README.md: "$ vmlat report" lines in ``` blocks (no output shown)
awk '/^```/ { inb = !inb; next } inb && /^\$ vmlat report / { n++; sub(/^\$ vmlat /, "");
	print > ("rd." n ".cmd") }' "$TOP/README.md"
i=$(ls ex.*.cmd 2>/dev/null | wc -l)
for f in rd.*.cmd; do
	[ -f "$f" ] || { fail "no vmlat report example in README.md"; break; }
	i=$((i + 1))
	mv "$f" "ex.$i.cmd"
	: >"ex.$i.out"
done
nex=$(ls ex.*.cmd 2>/dev/null | wc -l)
[ "$nex" -ge 5 ] || fail "only $nex examples found in $PAGE"
for ((i = 1; i <= nex; i++)); do
	cmd=$(cat "ex.$i.cmd")
	bash -c "\"\$0\" $cmd" "$VMLAT" >actual 2>err
	rc=$?
	[ "$rc" = 0 ] || { fail "example $i (vmlat $cmd): exit $rc: $(cat err)"; continue; }
	if [ -s "ex.$i.out" ]; then
		if diff -u "ex.$i.out" actual >diff.out; then ok "example $i: output as shown"
		else fail "example $i: output differs from the page"; cat diff.out >&2; fi
	elif [ -s actual ] || [ -s table.tex ] || [ -s report.html ]; then
		ok "example $i: vmlat $cmd"
	else
		fail "example $i (vmlat $cmd): printed nothing"
	fi
	rm -f table.tex report.html
done
grep -q '^\\begin{table}' <("$VMLAT" report --format latex --unit us results/) || fail "latex example"
[ "$fails" = 0 ] || { echo "$fails failure(s)" >&2; exit 1; }
echo "all passed"
