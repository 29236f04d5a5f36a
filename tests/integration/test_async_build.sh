#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: an engine built without liburing and libaio (as on a machine
# without liburing-dev and libaio-dev: HAVE_LIBURING=0 HAVE_LIBAIO=0) links
# neither, says "psync only" in fio --enghelp, runs psync jobs, and fails a
# job that asks for io_uring or libaio with a message naming the option,
# the mode and the package to install.  And: where the kernel refuses
# io_uring (here a seccomp filter makes io_uring_setup fail with EPERM, as
# container runtimes' default profiles do), a vmlat_io=io_uring job fails
# before it creates a log, naming the errno, while libaio still runs.
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

# noring CMD...: CMD with io_uring_setup failing EPERM (seccomp)
cat > noring.c <<'C'
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	if (argc < 2 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog)) {
		perror("noring");
		return 126;
	}
	execvp(argv[1], argv + 1);
	perror("noring: exec");
	return 127;
}
C
cc -O2 -o noring noring.c || fail "cannot build the seccomp wrapper"
out=$(./noring "$FIO" --eta=never --ioengine="external:$ENGINE" --name=r --filename=data --rw=randread \
	--bs=4k --number_ios=10 --iodepth=32 --vmlat_io=io_uring --vmlat_probes=0 --output=/dev/null 2>&1) &&
	fail "io_uring job ran with io_uring_setup refused"
grep -q "vmlat: vmlat_io=io_uring: cannot set up a queue of iodepth=32: Operation not permitted (errno 1)" <<<"$out" ||
	fail "io_uring refused: $out"
[ -e r.1.vmlat ] && fail "io_uring refused: a log was created"
./noring "$FIO" --eta=never --ioengine="external:$ENGINE" --name=l --filename=data --rw=randread \
	--bs=4k --number_ios=10 --iodepth=32 --vmlat_io=libaio --vmlat_probes=0 --output=/dev/null ||
	fail "libaio job failed under the io_uring-refusing filter"
[ "$(records l.1.vmlat)" = 10 ] || fail "libaio under the filter: $(records l.1.vmlat) records"
ok "io_uring refused by the kernel: the job fails naming errno 1, libaio runs"
