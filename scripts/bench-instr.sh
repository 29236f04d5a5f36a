#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench-instr.sh - user-space instructions per IO of fio with vmlat against
# fio with its own engine of the same mode: the engine's per-IO cost as a
# count that other work on the machine cannot move (wall-time ratios here
# swing by +-10%; BENCHMARKS.md).
#
#   scripts/bench-instr.sh [MODES]      (default: psync io_uring libaio)
#
# For each mode, fio runs under `valgrind --tool=callgrind` twice per
# engine, 4 KiB random reads of a page-cached file at iodepth 1, with N1
# and then N2 IOs (io_size); (count(N2) - count(N1)) / (N2 - N1) is what
# one more IO costs, every fixed cost (loading, probes, the log's header)
# cancelled.  Instructions only: the kernel's share of an IO (the syscall,
# the copy) is the same for both engines and not counted, so this says
# what vmlat adds, not what share of an IO that is.  Prints per mode:
# fio's engine, vmlat, the difference, and vmlat's own functions per IO
# (callgrind_annotate, self counts).  ENGINE= picks the engine (default:
# engine/vmlat.so), N1= and N2= the IO counts (20000, 60000), VMLAT_OPTS=
# extra vmlat options (e.g. "--vmlat_log=0").
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
engine=${ENGINE:-$top/engine/vmlat.so}
fio=${FIO:-fio}
n1=${N1:-20000} n2=${N2:-60000}
modes=${1:-psync io_uring libaio}
out=$top/build/bench-instr
mkdir -p "$out"
command -v valgrind >/dev/null || { echo "bench-instr.sh: needs valgrind (apt-get install valgrind)" >&2; exit 1; }
[ -f "$out/data" ] || dd if=/dev/urandom of="$out/data" bs=1M count=64 status=none
cat "$out/data" >/dev/null

# count TAG N ARGS...: instructions of one fio run of N IOs, profile in $out/TAG.N
count() {
	local tag=$1 n=$2
	shift 2
	rm -f "$out/$tag.$n.vmlat"
	valgrind --tool=callgrind --callgrind-out-file="$out/$tag.$n" "$fio" --name=job \
		--filename="$out/data" --rw=randread --bs=4k --size=64m --io_size=$((n * 4))k \
		--norandommap=1 --randrepeat=1 --invalidate=0 --thread=1 --iodepth=1 --output="$out/$tag.$n.txt" "$@" \
		2>"$out/$tag.$n.err" >/dev/null || { cat "$out/$tag.$n.err" >&2; exit 1; }
	grep -q "total=$n," "$out/$tag.$n.txt" || { echo "bench-instr.sh: $tag did not do $n IOs" >&2; exit 1; }
	sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$out/$tag.$n.err"
}

# per_io TAG ARGS...: instructions per IO into $per
per_io() {
	local tag=$1 a b
	shift
	a=$(count "$tag" "$n1" "$@")
	b=$(count "$tag" "$n2" "$@")
	per=$(( (b - a) / (n2 - n1) ))
}

# The engine's own functions, self instructions per IO (both runs' difference).
own_functions() {
	python3 - "$out/$1.$n1" "$out/$1.$n2" "$((n2 - n1))" "$top" <<'EOF'
import re, subprocess, sys
def load(f):
    txt = subprocess.run(['callgrind_annotate', '--threshold=100', f],
                         capture_output=True, text=True).stdout
    d = {}
    for line in txt.splitlines():
        # a function of vmlat.so, or one inlined into it from lib/ (no
        # [object]; its file relative to the directory we run in, or under it)
        m = re.match(r'\s*([\d,]+) \([^)]*\)\s+(\S+):(\S+)( \[\S+\])?$', line)
        f = m and m.group(2)
        if m and ('vmlat' in (m.group(4) or '') or f.startswith(top) or f[0] not in '/.?'):
            d[m.group(3)] = d.get(m.group(3), 0) + int(m.group(1).replace(',', ''))
    return d
top = sys.argv[4]
a, b, n = load(sys.argv[1]), load(sys.argv[2]), int(sys.argv[3])
rows = sorted(((b[k] - a.get(k, 0)) / n, k) for k in b)
print('  vmlat.so, self per IO: ' + ', '.join('%s %.0f' % (k, v) for v, k in reversed(rows) if v >= 1))
EOF
}

echo "instructions per IO (user space), 4 KiB random reads, page cache, iodepth 1; $n1 and $n2 IOs"
printf '%-9s %10s %10s %8s\n' mode fio vmlat added
for m in $modes; do
	per_io "fio-$m" --ioengine="$m"
	f=$per
	set -- --ioengine=external:"$engine" --vmlat_probes=0 --vmlat_log_replace=1 \
		--vmlat_log_dir="$out" ${VMLAT_OPTS:-}
	[ "$m" = psync ] || set -- "$@" --vmlat_io="$m"
	per_io "vmlat-$m" "$@"
	printf '%-9s %10d %10d %8d\n' "$m" "$f" "$per" $((per - f))
	own_functions "vmlat-$m"
done
