#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: `vmlat report --by iodepth` puts queue depth on the rows, from
# what each input says about itself (no tag needed): a vmlat log's header
# (io.iodepth; a format 1.0 log ran psync, depth 1), fio's JSON (the job's
# iodepth option, else fio's default 1); and `vmlat plot --series iodepth`
# (or --by iodepth)
# draws one category per depth.  The logs come from the real fio: 300
# io_uring IOs at depth 1, 8 and 32.
. "$(dirname "$0")/../lib.sh"

cd "$T" || exit 1
truncate -s 64M data
for d in 1 8 32; do
	vmlat_fio --name=qd$d --vmlat_io=io_uring --iodepth=$d --filename=data --rw=randread --bs=4k \
		--number_ios=300 --vmlat_probes=0 --output=/dev/null || fail "fio at depth $d"
done
"$VMLAT" report --by iodepth --format csv qd*.vmlat > out.csv || fail "report failed"
cut -d, -f1,2 out.csv > actual
printf 'iodepth,n\n1,300\n8,300\n32,300\n' > expect
diff -u expect actual || fail "report --by iodepth rows"
ok "vmlat logs: one row per depth, 300 IOs each"

"$VMLAT" report --by iodepth --format csv "$TOP/tests/fixtures/vlog-1.0/golden-3.vmlat" | sed -n 2p | cut -d, -f1 > actual
[ "$(cat actual)" = 1 ] || fail "format 1.0 log: iodepth $(cat actual), want 1"
ok "format 1.0 log: depth 1"

"$FIO" --eta=never --name=j8 --ioengine=io_uring --iodepth=8 --filename=data --rw=randread --bs=4k \
	--number_ios=300 --output-format=json --output=j8.json || fail "fio io_uring"
"$FIO" --eta=never --name=j1 --ioengine=psync --filename=data --rw=randread --bs=4k \
	--number_ios=300 --output-format=json --output=j1.json || fail "fio psync"
"$VMLAT" report --by iodepth --format csv j8.json j1.json | cut -d, -f1 | tail -n +2 | sort -n | tr '\n' ' ' > actual
[ "$(cat actual)" = "1 8 " ] || fail "fio JSON: depths $(cat actual), want 1 8"
ok "fio JSON: the job's iodepth, fio's default 1 otherwise"

"$VMLAT" plot --series iodepth --no-render -o plots qd*.vmlat >/dev/null || fail "plot failed"
awk '!/^#/ && NF { print $2, $NF }' plots/series.dat | tr '\n' ' ' > actual
[ "$(cat actual)" = "300 1 300 8 300 32 " ] || fail "plot --series iodepth: $(cat actual)"
ok "plot --series iodepth: a category per depth"

"$VMLAT" plot --by iodepth --no-render -o plots-by qd*.vmlat >/dev/null || fail "plot --by failed"
cmp -s plots/series.dat plots-by/series.dat || fail "plot --by iodepth differs from --series iodepth"
ok "plot --by iodepth: the same figure"
