#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: a fio JSON file whose parsed tree needs more memory than is
# available is refused, out of memory (exit 3) with a message naming the
# file and the room, rather than read until the OOM killer ends vmlat; and
# the same file is read as before when the room is there.  jansson's tree
# of fio's JSON is about nine times the file (doc/vmlat.1); VMLAT_MEM_AVAIL
# stands for the machine's available memory.  With room for only the
# file's own size the tree cannot fit, while the 200 samples of its bins
# (1600 bytes) would: the refusal is the tree's, not the samples'.
. "$(dirname "$0")/../lib.sh"

cd "$T"
"$FIO" --eta=never --name=j --filename="$T/data" --size=4m --bs=4k --rw=randread \
	--number_ios=200 --output-format=json+ --output=j.json || fail "fio failed"
size=$(stat -c %s j.json)

rc=0
VMLAT_MEM_AVAIL="$size" "$VMLAT" report j.json >out 2>err || rc=$?
expect_rc "a fio JSON of $size bytes with room for $size" 3 \
	"vmlat: j.json: out of memory: jansson's tree of this JSON (about 9 bytes for each of its $size bytes) outgrew the 0 MiB available (MemAvailable, or VMLAT_MEM_AVAIL)"
[ ! -s out ] || fail "a table was printed for a refused input: $(cat out)"

VMLAT_MEM_AVAIL=$((64 << 20)) "$VMLAT" report --format csv j.json >ok.csv 2>ok.err ||
	fail "with 64 MiB of room: $(cat ok.err)"
n=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "n") c = i; next } { print $c }' ok.csv)
[ "$n" = 200 ] || fail "with 64 MiB of room: n=$n, want 200: $(cat ok.csv)"
ok "the same file with 64 MiB of room: read, n=200"
