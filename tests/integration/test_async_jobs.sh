#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves, for vmlat_io=io_uring and libaio through the real fio:
#   - verify=crc32c at iodepth=32 passes, and every write and every
#     verifying read has its record;
#   - fsync=16 at iodepth=8 (fsyncs run alone, once the queue drained):
#     a record for every write and every fsync fio counted;
#   - thread=1 with numjobs=2 gives each job its own queue and its own
#     complete log, and per-IO context (vmlat_ctx=csw) is filled;
#   - SIGKILL at iodepth=32 loses no reaped IO: a sequential read's
#     records are distinct offsets with at most 32 holes below the highest
#     (IOs in flight or being recorded at the kill, which may complete out
#     of order); IOs in flight at the kill are absent (io.inflight_at_kill),
#     and the log reads as "not closed" with every record intact;
#   - client/server: the log is written in the server's directory, whole;
#   - an option of fio's own engines that vmlat lacks is refused by name;
#   - the write guard refuses an async write to a loop device holding ext4
#     (before any IO: the filesystem is still there).
. "$(dirname "$0")/../lib.sh"

# json_job DIR NAME ARGS...: job NAME on $T/data (8 MiB, 4 KiB blocks, no
# probes) run in DIR (created), fio's JSON in DIR/out.json
json_job() {
	local dir=$1 name=$2
	shift 2
	mkdir -p "$dir"
	(cd "$dir" && vmlat_fio --name="$name" --filename="$T/data" --size=8M --bs=4k "$@" \
		--vmlat_probes=0 --output-format=json --output=out.json)
}

# ddir_counts LOG: the log's records counted by direction, "read=N write=N "
ddir_counts() {
	"$VMLAT" dump "$1" | grep -v '^#' | tail -n +2 | cut -d, -f2 | sort | uniq -c |
		awk '{ printf "%s=%s ", $2, $1 }'
}

verify_case() { # io
	local dir=$T/verify-$1
	json_job "$dir" v --rw=randwrite --iodepth=32 --vmlat_io="$1" --verify=crc32c --do_verify=1 ||
		fail "$1 verify: fio failed: $(cat "$dir/out.json")"
	jq -e '.jobs[0].error == 0 and .jobs[0].write.total_ios == 2048 and .jobs[0].read.total_ios == 2048' \
		"$dir/out.json" >/dev/null || fail "$1 verify: fio's counts: $(jq -c '.jobs[0] | [.error, .write.total_ios, .read.total_ios]' "$dir/out.json")"
	ddir_counts "$dir/v.1.vmlat" > "$dir/counts"
	[ "$(cat "$dir/counts")" = "read=2048 write=2048 " ] || fail "$1 verify: records $(cat "$dir/counts")"
	ok "$1: verify=crc32c at depth 32, 2048 writes and 2048 verifying reads recorded"
}

fsync_case() { # io
	local dir=$T/fsync-$1 want
	json_job "$dir" f --rw=randwrite --iodepth=8 --vmlat_io="$1" --fsync=16 --number_ios=200 ||
		fail "$1 fsync: fio failed"
	want=$(jq -r '"sync=\(.jobs[0].sync.total_ios) write=\(.jobs[0].write.total_ios)"' "$dir/out.json")
	ddir_counts "$dir/f.1.vmlat" > "$dir/counts"
	[ "$(cat "$dir/counts")" = "$want " ] || fail "$1 fsync: records $(cat "$dir/counts"), fio counted $want"
	ok "$1: fsync=16 at depth 8: records $want as fio counted"
}

threads_case() { # io
	local dir=$T/threads-$1 n
	json_job "$dir" t --rw=randread --iodepth=8 --vmlat_io="$1" --thread=1 --numjobs=2 \
		--number_ios=500 --vmlat_ctx=csw || fail "$1 threads: fio failed"
	for n in 1 2; do
		[ "$(records "$dir/t.$n.vmlat")" = 500 ] || fail "$1 threads: job $n has $(records "$dir/t.$n.vmlat") records"
		"$VMLAT" dump "$dir/t.$n.vmlat" | grep -v '^#' | tail -n +2 | awk -F, '$11 == "" { bad = 1 } END { exit bad }' ||
			fail "$1 threads: job $n: records without nvcsw (vmlat_ctx=csw)"
	done
	ok "$1: thread=1 numjobs=2, two logs of 500 records with context"
}

job_pid() { # the forked job process of fio main process $1
	local p
	for _ in $(seq 100); do
		p=$(pgrep -P "$1" | head -n 1)
		[ -n "$p" ] && { echo "$p"; return; }
		sleep 0.05
	done
	fail "no job process under fio $1"
}

kill_case() { # io
	local dir=$T/kill-$1 main job
	mkdir -p "$dir"
	# a 4 GiB sparse file read in order: no wrap-around in the second it runs
	truncate -s 4G "$dir/big"
	(cd "$dir" && exec "$FIO" --eta=never --ioengine="external:$ENGINE" --name=k \
		--filename="$dir/big" --rw=read --bs=4k --iodepth=32 --vmlat_io="$1" \
		--vmlat_probes=0 --output=/dev/null) >"$dir/fio.out" 2>&1 &
	main=$!
	at_exit "kill -9 $main"
	job=$(job_pid "$main")
	for _ in $(seq 100); do [ -s "$dir/k.1.vmlat" ] && break; sleep 0.05; done
	sleep 1
	kill -9 "$job" "$main"
	wait "$main" 2>/dev/null
	"$VMLAT" dump "$dir/k.1.vmlat" > "$dir/dump" 2> "$dir/err"
	grep -q 'not closed' "$dir/err" || fail "$1 kill: the log does not say it was not closed: $(cat "$dir/err")"
	grep -v '^#' "$dir/dump" | tail -n +2 | cut -d, -f3 | sort -n > "$dir/offsets"
	n=$(wc -l < "$dir/offsets")
	[ "$n" -gt 1000 ] || fail "$1 kill: only $n records"
	[ -z "$(uniq -d "$dir/offsets")" ] || fail "$1 kill: an IO recorded twice"
	top=$(( $(tail -n 1 "$dir/offsets") / 4096 + 1 ))
	[ $((top - n)) -le 32 ] || fail "$1 kill: $((top - n)) IOs below the last missing (at most 32 were in flight)"
	ok "$1: SIGKILL at depth 32: $n records, $((top - n)) holes below the last"
}

server_case() { # io
	local port
	port=$(fio_server "$T/server-$1")
	mkdir -p "$T/client-$1"
	cat > "$T/client-$1/job.fio" <<-JOB
	[srv]
	ioengine=external:$ENGINE
	vmlat_io=$1
	iodepth=16
	filename=$T/data
	size=8M
	rw=randread
	bs=4k
	number_ios=300
	vmlat_probes=0
	JOB
	(cd "$T/client-$1" && "$FIO" --client=127.0.0.1,$port --output-format=json --output=out.json job.fio) ||
		fail "$1 server: client run failed: $(cat "$T/server-$1.out")"
	[ "$(records "$T/server-$1/srv.1.vmlat")" = 300 ] || fail "$1 server: log has $(records "$T/server-$1/srv.1.vmlat") records"
	ok "$1: client/server, 300 records in the server's directory"
}

refuse_case() {
	local out
	out=$(cd "$T" && printf '[r]\nioengine=external:%s\nvmlat_io=io_uring\nfixedbufs=1\nfilename=%s\nsize=8M\nnumber_ios=1\n' \
		"$ENGINE" "$T/data" > r.fio && "$FIO" --eta=never r.fio 2>&1) && fail "fixedbufs accepted"
	grep -q "Option <fixedbufs>: an option of fio's io_uring engine that vmlat does not support" <<<"$out" ||
		fail "fixedbufs: $out"
	ok "fixedbufs refused by name"
}

guard_case() { # io dev
	local out
	out=$(cd "$T" && vmlat_fio --name=g --filename="$2" --rw=randwrite --bs=4k --direct=1 \
		--iodepth=32 --vmlat_io="$1" --number_ios=10 --vmlat_probes=0 2>&1) && fail "$1: write to ext4 accepted"
	grep -q "refusing to write: $2 holds an ext4 filesystem" <<<"$out" || fail "$1 guard: $out"
	blkid -p -o value -s TYPE "$2" | grep -qx ext4 || fail "$1 guard: the filesystem is gone"
	ok "$1: async write to an ext4 device refused"
}

truncate -s 64M "$T/data"
for io in io_uring libaio; do
	verify_case $io
	fsync_case $io
	threads_case $io
	kill_case $io
	server_case $io
done
refuse_case

need_root "loop devices (the other cases passed)"
command -v mkfs.ext4 >/dev/null || skip "no mkfs.ext4 (the other cases passed)"
dev=$(loopdev 64)
mkfs.ext4 -q -F "$dev" || fail "mkfs.ext4 $dev"
guard_case io_uring "$dev"
guard_case libaio "$dev"
