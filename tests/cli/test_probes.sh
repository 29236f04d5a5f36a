#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test_probes.sh - `vmlat detect --probes` measures Study B's four probes on
# this machine, and each number is a plausible one, by bounds known without
# the code under test:
#   - every time is a positive finite decimal;
#   - a dependent bit operation cannot take under 0.05 ns (a 20 GHz cycle):
#     a chain the compiler folded reads lower; and the compiled chain must
#     be one dependent chain of 300 xor/or (x86-64: objdump, each reads
#     the register the one before wrote, or a register it was moved to),
#     as built and, where clang is installed, as clang -O2 builds it;
#   - anonymous memory without huge pages faults once per page, and a
#     fault maps at least one page, so ns per fault >= ns per page;
#   - the TCP round trip is measured on one vCPU and, separately, across
#     two distinct vCPUs when two are allowed; with one (taskset) the cross
#     value is n/a with a reason and no warning;
#   - --json holds the same values; bad --probe-dir values are refused with
#     the documented exit codes; a directory where no file can be made
#     leaves the file probes n/a with a warning, the others measured.
# How long the probes take is a benchmark (BENCHMARKS.md), not a test.
#
# Exit 0 pass, 1 fail, 77 skip.
set -u
export LC_ALL=C
top=$(cd "$(dirname "$0")/../.." && pwd)
VMLAT=${VMLAT:-$top/analysis/vmlat}
T=$(mktemp -d /tmp/vmlat-probes.XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

[ -x "$VMLAT" ] || { echo "FAIL: no vmlat at $VMLAT (build it first)" >&2; exit 1; }
command -v jq >/dev/null || { echo "skip: jq is not installed (scripts/deps.sh installs it)"; exit 77; }
cd "$T" || exit 1

TIMES="bitop_ns pagefault_file_ns_per_page pagefault_file_ns_per_fault pagefault_anon_ns_per_page
	pagefault_anon_ns_per_fault mmap_ns tcp_rtt_same_cpu_ns tcp_rtt_cross_cpu_ns total_ms"

val() { sed -n "s/^probe\.$1=//p" "${2:-out}"; }
# num KEY: the value when it is a positive decimal with 3 decimals, else fail
num() {
	local v
	v=$(val "$1")
	if [[ $v =~ ^[0-9]+\.[0-9]{3}$ ]] && awk -v v="$v" 'BEGIN { exit !(v > 0) }'; then
		echo "$v"
	else
		fail "probe.$1='$v' is not a positive number"
		echo 0
	fi
}
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }

"$VMLAT" detect --probes >out 2>err || fail "detect --probes: exit $?: $(cat err)"
[ -s err ] && fail "warnings on a healthy machine: $(cat err)"
for k in $TIMES; do num "$k" >/dev/null; done
ok "every probe is a positive number: $(grep -c '^probe\.' out) probe lines"

bitop=$(num bitop_ns)
ge "$bitop" 0.05 || fail "bitop $bitop ns/op: faster than any CPU, the chain was folded"
# The chain must be compiled as a chain: each xor/or reads the register
# the one before wrote (GCC 12 without the barriers still emits 300 of
# them, but reassociated into parallel chains, and reports ~0.19 ns/op).
# A register move carries the value on (clang renames through a mov or
# two at the end of the loop body), so the registers it was moved into
# count as the previous result too; a move of anything else ends that.
# chain_links BINARY: how many xor/or of probes_bitop_chain read the one before
chain_links() {
	objdump -d --no-show-raw-insn --disassemble=probes_bitop_chain "$1" |
		awk -F'\t' '
		function ops(s) { split(substr(s, index(s, " ")), r, ","); gsub(/ /, "", r[1]) }
		$2 ~ /^mov +%/ { ops($2); if (r[1] in cur) cur[r[2]] = 1; else delete cur[r[2]]; next }
		$2 ~ /^(xor|or) +%/ {
			ops($2)
			if (r[1] == r[2]) next                  # xor %ecx,%ecx: a zeroing
			if (r[1] in cur || r[2] in cur) n++
			delete cur; cur[r[2]] = 1
		} END { print n + 0 }'
}
if [ "$(uname -m)" = x86_64 ] && command -v objdump >/dev/null; then
	links=$(chain_links "$VMLAT")
	if [ "$links" -ge 299 ]; then
		ok "bitop $bitop ns/op; the compiled chain is $links links long"
	else
		fail "probes_bitop_chain: only $links xor/or read the previous result, want the 299 links of a 300-op chain"
	fi
	# the other compiler: the same source must give the same chain
	if command -v clang >/dev/null; then
		clang -O2 -std=gnu11 -D_GNU_SOURCE -I"$top/lib" -c "$top/lib/probes_bitop.c" -o bitop-clang.o ||
			fail "clang cannot compile lib/probes_bitop.c"
		links=$(chain_links bitop-clang.o)
		[ "$links" -ge 299 ] && ok "clang -O2: the chain is $links links long" ||
			fail "clang -O2: probes_bitop_chain has only $links links, want 299"
	fi
else
	ok "bitop $bitop ns/op (no x86-64 objdump: chain not disassembled)"
fi

for kind in file anon; do
	page=$(num pagefault_${kind}_ns_per_page)
	fault=$(num pagefault_${kind}_ns_per_fault)
	ppf=$(num pagefault_${kind}_pages_per_fault)
	ge "$fault" "$page" || fail "$kind: $fault ns per fault < $page ns per page"
	ge "$ppf" 1 || fail "$kind: $ppf pages per fault < 1"
done
ppf=$(val pagefault_anon_pages_per_fault)
ge "$ppf" 0.9 && ge 1.1 "$ppf" || fail "anonymous memory: $ppf pages per fault, want 1"
[ "$(val pagefault_bytes)" = 2097152 ] && [ "$(val mmap_bytes)" = 8388608 ] ||
	fail "sizes: pagefault_bytes=$(val pagefault_bytes) mmap_bytes=$(val mmap_bytes)"
[ "$(val dir)" = /tmp ] || fail "default scratch directory $(val dir)"
ok "faults: file $(val pagefault_file_pages_per_fault) pages per fault, anonymous $ppf; mmap $(val mmap_ns) ns"

# two vCPUs here (the machine has 2): both round trips, on the vCPUs they say
same=$(val tcp_rtt_same_cpu_cpus)
cross=$(val tcp_rtt_cross_cpu_cpus)
if [ "$(nproc)" -ge 2 ]; then
	[[ $same =~ ^[0-9]+$ ]] || fail "same-vCPU cpus '$same'"
	[[ $cross =~ ^([0-9]+),([0-9]+)$ ]] && [ "${BASH_REMATCH[1]}" != "${BASH_REMATCH[2]}" ] ||
		fail "cross-vCPU cpus '$cross' are not two distinct vCPUs"
	grep -q '^probe.tcp_rtt_cross_cpu_ns.why=' out && fail "cross measured but has a .why"
	ok "tcp: same vCPU $same $(val tcp_rtt_same_cpu_ns) ns, vCPUs $cross $(val tcp_rtt_cross_cpu_ns) ns"
fi

# one allowed vCPU: cross is n/a with a reason, not a failure
taskset -c 0 "$VMLAT" detect --probes >one 2>err || fail "taskset -c 0: exit $?"
[ -s err ] && fail "warning for a cross-vCPU probe that does not apply: $(cat err)"
[ "$(val tcp_rtt_cross_cpu_ns one)" = n/a ] || fail "one vCPU: cross = '$(val tcp_rtt_cross_cpu_ns one)'"
why=$(val tcp_rtt_cross_cpu_ns.why one)
[[ $why == *"one vCPU"* ]] || fail "one vCPU: reason '$why'"
[ "$(val tcp_rtt_same_cpu_cpus one)" = 0 ] || fail "one vCPU: same on '$(val tcp_rtt_same_cpu_cpus one)'"
grep -q '^probe.tcp_rtt_cross_cpu_cpus=' one && fail "one vCPU: cross cpus listed"
ok "one vCPU: cross n/a ($why)"

# --json: the same keys and values, numbers as numbers, n/a as null
"$VMLAT" detect --probes --json >json 2>err || fail "--json: exit $?"
jq -r '.probes | to_entries[] | "probe.\(.key)=\(.value // "n/a")"' json >json.kv
grep '^probe\.' out | cut -d= -f1 >text.keys
cut -d= -f1 json.kv | diff -u text.keys - >diff.out || { fail "--json keys differ from the text"; cat diff.out >&2; }
for k in $TIMES; do
	jq -e ".probes.$k | numbers | . > 0" json >/dev/null || fail "--json: $k is $(jq -c ".probes.$k" json)"
done
taskset -c 0 "$VMLAT" detect --probes --json >json1 2>err
[ "$(jq -c '.probes.tcp_rtt_cross_cpu_ns' json1)" = null ] || fail "--json one vCPU: cross not null"
ok "--json: same keys, numbers"

# bad input
"$VMLAT" detect --probe-dir /tmp >o 2>e; rc=$?
[ $rc = 1 ] && grep -q -- '--probe-dir needs --probes' e || fail "--probe-dir alone: exit $rc: $(cat e)"
"$VMLAT" detect --probes --probe-dir "$T/missing" >o 2>e; rc=$?
[ $rc = 2 ] && grep -q "vmlat: --probe-dir '$T/missing': No such file or directory" e ||
	fail "missing --probe-dir: exit $rc: $(cat e)"
"$VMLAT" detect --probes --probe-dir "$T/out" >o 2>e; rc=$?
[ $rc = 2 ] && grep -q 'Not a directory' e || fail "--probe-dir a file: exit $rc: $(cat e)"
"$VMLAT" detect --probes --probe-dir >o 2>e; rc=$?
[ $rc = 1 ] && grep -q "needs a value" e || fail "--probe-dir without value: exit $rc: $(cat e)"
ok "bad --probe-dir refused (exit 1 or 2)"

# no file can be made in /proc: file probes n/a with a reason, the rest measured
"$VMLAT" detect --probes --probe-dir /proc >proc 2>err || fail "--probe-dir /proc: exit $?"
for k in pagefault_file_ns_per_page pagefault_file_ns_per_fault mmap_ns; do
	[ "$(val $k proc)" = n/a ] || fail "/proc: $k = '$(val $k proc)'"
	[[ $(val $k.why proc) == "cannot make a scratch file in '/proc':"* ]] || fail "/proc: $k.why = '$(val $k.why proc)'"
	grep -q "vmlat: warning: probe.$k not measured: cannot make a scratch file" err ||
		fail "/proc: no warning for $k: $(cat err)"
done
[[ $(val pagefault_anon_ns_per_page proc) =~ ^[0-9]+\.[0-9]{3}$ ]] || fail "/proc: anon not measured"
[[ $(val tcp_rtt_same_cpu_ns proc) =~ ^[0-9]+\.[0-9]{3}$ ]] || fail "/proc: tcp not measured"
ok "unwritable --probe-dir: file probes n/a and warned, the others measured"

"$VMLAT" detect --help >help || fail "--help: exit $?"
grep -q -- '--probes' help && grep -q -- '--probe-dir' help || fail "--help does not describe --probes"

[ $fails = 0 ] || exit 1
