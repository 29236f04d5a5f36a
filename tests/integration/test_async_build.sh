#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: an engine built without liburing and libaio (as on a machine
# without liburing-dev and libaio-dev: HAVE_LIBURING=0 HAVE_LIBAIO=0) links
# neither, says "psync only" in fio --enghelp, runs psync jobs, and fails a
# job that asks for io_uring or libaio with a message naming the option,
# the mode and the package to install.
. "$(dirname "$0")/../lib.sh"

so=$T/vmlat-psync.so
make -s -C "$TOP" ENGINE="$so" HAVE_LIBURING=0 HAVE_LIBAIO=0 "$so" >"$T/make.out" 2>&1 ||
	fail "psync-only build failed: $(tail -n 20 "$T/make.out")"
ldd "$so" | grep -Eq 'liburing|libaio' && fail "psync-only engine links $(ldd "$so" | grep -Eo 'lib(uring|aio)[^ ]*')"
"$FIO" --enghelp="$so" | grep -q '^vmlat_io .*this build has: psync only (liburing-dev and libaio-dev were missing)' ||
	fail "--enghelp does not say psync only: $("$FIO" --enghelp="$so" | grep vmlat_io)"
ok "psync-only build: no liburing/libaio, --enghelp says so"

cd "$T" || exit 1
truncate -s 8M data
ENGINE=$so vmlat_fio --name=p --filename=data --rw=randread --bs=4k --number_ios=10 \
	--vmlat_probes=0 --output=/dev/null || fail "psync job failed on the psync-only engine"
[ "$(records p.1.vmlat)" = 10 ] || fail "psync job: $(records p.1.vmlat) records"
for io in io_uring libaio; do
	pkg=liburing-dev
	[ $io = libaio ] && pkg=libaio-dev
	out=$(ENGINE=$so vmlat_fio --name=a --filename=data --rw=randread --bs=4k --number_ios=10 \
		--iodepth=8 --vmlat_io=$io --vmlat_probes=0 --output=/dev/null 2>&1) &&
		fail "vmlat_io=$io accepted by the psync-only engine"
	grep -q "vmlat: vmlat_io=$io: this engine was built without $io (it has: psync); rebuild it with $pkg installed" <<<"$out" ||
		fail "vmlat_io=$io: $out"
	[ -e a.1.vmlat ] && fail "vmlat_io=$io: a log was created for a refused job"
done
ok "psync-only engine: psync runs, io_uring and libaio refused by name"
