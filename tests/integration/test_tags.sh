#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: a vmlat_tags tag is stored whole, however long, and read back
# whole from both the log header (vmlat dump) and fio's JSON of the same
# run (vmlat report): lib/vtags.h is the one grammar, with no length limit
# (the engine used to cut a value at 1023 bytes and a key at 251).
. "$(dirname "$0")/../lib.sh"
need "$VMLAT" "$ENGINE"
cd "$T"

val=$(printf 'v%.0s' $(seq 2000))
key=$(printf 'k%.0s' $(seq 300))
vmlat_fio --name=cell --filename="$T/data" --size=1M --rw=randread --bs=4k --number_ios=10 \
	--vmlat_probes=0 --vmlat_tags="long=$val,$key=x" --output-format=json --output=cell.json \
	>out 2>&1 || fail "fio: $(cat out)"
"$VMLAT" dump cell.1.vmlat | grep -qx "# tag.long=$val" || fail "header: the 2000-byte value is not whole"
"$VMLAT" dump cell.1.vmlat | grep -qx "# tag.$key=x" || fail "header: the 300-byte key is not whole"
ok "log header: long tags whole"
"$VMLAT" report --by long --format csv cell.json >rep 2>err || fail "report: $(cat err)"
[ "$(sed -n 2p rep | cut -d, -f1)" = "$val" ] || fail "fio JSON: the value is not whole: $(head -c 200 rep)"
"$VMLAT" report --by "$key" --format csv cell.json >rep 2>err || fail "report by the long key: $(cat err)"
[ "$(sed -n 2p rep | cut -d, -f1)" = x ] || fail "fio JSON: the 300-byte key is not whole"
ok "fio JSON: long tags whole"
