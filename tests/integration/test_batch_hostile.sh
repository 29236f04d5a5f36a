#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves (issue 11, items 2 and 4): a guest cannot make `vmlat batch` copy
# a host file through its log directory, and labels reach the vmlat log
# exactly as the config wrote them.  One real fio server stands for the
# guest; while its cell runs, the "guest" plants next to the real log, under
# the cell's own token: a symlink to a host secret, a hard link to another,
# a FIFO (an open without O_NONBLOCK would hang batch), and a file named
# like batch's own 'labels'.  Batch must copy only the real log (mode no
# wider than the source's), name each planted file and why on stderr, and
# complete the cell.  The labels, full of characters that shells, HTML and
# fio's parser care about, must read the same in the labels file, in
# batch.json and in the log's tags (vmlat dump --json).  (Bytes outside
# ASCII are refused: fio's client JSON cuts options at 128 bytes, which
# split a UTF-8 character and made fio.json undecodable when tried here.)
. "$(dirname "$0")/../lib.sh"
command -v jq >/dev/null || skip "no jq"

port=$(( 26000 + RANDOM % 1000 ))
SRV=$T/srv
mkdir -p "$SRV/logs"
truncate -s 64M "$SRV/scratch"
(cd "$SRV" && exec "$FIO" --server=ip:127.0.0.1,$port >"$T/server.out" 2>&1) &
srv=$!
at_exit "kill $srv"
for _ in $(seq 50); do
	"$FIO" --client=127.0.0.1,$port --parse-only /dev/null 2>&1 | grep -q '^hostname=' && break
	sleep 0.1
done

# 40 IOs at 20 per second: 2 s in which the "guest" plants its files
cat > "$T/hostile.fio" <<EOF
[cell]
ioengine=external:./engine/vmlat.so
include vmlat-target.inc
rw=randread
bs=4k
size=16M
number_ios=40
rate_iops=20
vmlat_probes=0
vmlat_tags=study=hostile
EOF
# printable ASCII but , ; # $ (refused, tests/cli/test_batch_conf.sh)
spec='a b"c'\''d\e|f<g>h&i*j?k!l%m^n~o[p]q{r}s(t)u@v:w/x+y=z`'
html='<script>alert(1)</script>'
cat > "$T/hostile.conf" <<EOF
[batch]
connect_timeout = 5

[guest g1]
address = 127.0.0.1:$port
engine = $ENGINE
target = scratch
log_dir = logs
route = local:$SRV/logs
label.spec = $spec
label.html = $html

[matrix m]
guests = g1
jobs = $T/hostile.fio
timeout = 60
EOF

echo "SECRET ONE" > "$T/secret1"
echo "SECRET TWO" > "$T/secret2"
chmod 600 "$T/secret1" "$T/secret2"
# the guest's side: as soon as the cell's log appears, plant beside it
plant() {
	local log tok
	for _ in $(seq 400); do
		log=$(ls "$SRV/logs" 2>/dev/null | grep '^batch-.*\.cell\.1\.vmlat$' | head -n 1)
		[ -n "$log" ] && break
		sleep 0.02
	done
	[ -n "$log" ] || { echo "no log appeared" > "$T/plant.out"; return; }
	tok=${log%.cell.1.vmlat}
	ln -s "$T/secret1" "$SRV/logs/$tok.link.vmlat"
	ln "$T/secret2" "$SRV/logs/$tok.hard.vmlat"
	mkfifo "$SRV/logs/$tok.fifo.vmlat"
	echo "guest=evil" > "$SRV/logs/$tok.labels"
	echo "$tok" > "$T/plant.out"
}
plant &
planter=$!

OUT=$T/out
timeout 120 "$VMLAT" batch --fio "$FIO" -o "$OUT" "$T/hostile.conf" 2>"$T/err"
rc=$?
wait $planter
tok=$(cat "$T/plant.out")
[ "${tok#batch-}" != "$tok" ] || fail "the planter did not run: $tok"
[ $rc = 0 ] || fail "batch exit $rc: $(cat "$T/err")"
cell=$OUT/g1/hostile
[ -f "$cell/complete" ] || fail "cell not complete: $(cat "$T/err")"

# --- item 2: only the real log was copied, the rest named with why ---
[ -f "$cell/cell.1.vmlat" ] || fail "the real log was not fetched: $(ls "$cell")"
for f in link hard fifo; do
	[ -e "$cell/$f.vmlat" ] && fail "$f.vmlat was copied into the results"
done
grep -rq SECRET "$OUT" && fail "a host secret reached the results tree"
for w in "$tok.link.vmlat: a symbolic link" "$tok.hard.vmlat: a file with more than one link" \
	"$tok.fifo.vmlat: not a regular file" "$tok.labels: its name is taken by a file of the cell"; do
	grep -qxF "vmlat: warning: guest g1, cell hostile: not copied: $SRV/logs/$w" "$T/err" ||
		fail "no warning '$w' in: $(cat "$T/err")"
done
grep -q '^guest=g1$' "$cell/labels" && ! grep -q evil "$cell/labels" ||
	fail "the labels file was replaced: $(cat "$cell/labels")"
src=$(stat -c %a "$SRV/logs/$tok.cell.1.vmlat")
dst=$(stat -c %a "$cell/cell.1.vmlat")
[ $(( 0$dst & ~0$src )) = 0 ] && [ $(( 0$dst & 022 )) = 0 ] ||
	fail "the copy's mode $dst is wider than the source's $src"
ok "planted symlink, hard link, FIFO and a cell file's name: skipped and named; the log copied ($src -> $dst)"

# --- item 4: each label the same in the labels file, the manifest and the log ---
dump=$("$VMLAT" dump --json "$cell/cell.1.vmlat") || fail "vmlat dump failed"
for k in spec html; do
	want=$(grep "^label\.$k = " "$T/hostile.conf" | sed "s/^label\.$k = //")
	in_labels=$(grep "^$k=" "$cell/labels" | sed "s/^$k=//")
	in_json=$(jq -r ".cells[0].labels.$k" "$OUT/batch.json")
	in_log=$(jq -r ".files[0].header[\"tag.$k\"]" <<<"$dump")
	[ "$in_labels" = "$want" ] || fail "label $k in the labels file: '$in_labels', not '$want'"
	[ "$in_json" = "$want" ] || fail "label $k in batch.json: '$in_json', not '$want'"
	[ "$in_log" = "$want" ] || fail "label $k in the log: '$in_log', not '$want'"
done
[ "$(jq -r '.files[0].header["tag.study"]' <<<"$dump")" = hostile ] ||
	fail "the job's own tag was lost"
ok "labels with quotes, backslash, HTML and shell characters arrive exactly"
