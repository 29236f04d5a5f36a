#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test_detect.sh - `vmlat detect` against golden output, its JSON, its exit
# codes, and systemd-detect-virt on the machine running the test.
#
# Every directory of tests/fixtures/platform/ is one platform: root/ is the
# file tree given as --sysroot (only the files that matter; a .keep file
# where a directory's existence is the evidence, since git stores no empty
# directory), cpuid the --cpuid argument, expect the whole output, about
# what it stands for and where its values come from.  The expect files were
# checked by hand against the precedence in lib/platform.h; a change in any
# of them is a change of a rule and must be deliberate.
#
# The live check compares this machine's verdict with systemd-detect-virt
# --vm and --container (the rules come from systemd's virt.c).  systemd's
# names are vmlat's, except those vmlat does not have, which it calls
# vm-other (bochs, uml, zvm, powervm, sre) or container-other (rkt, proot,
# pouch); and in a Xen dom0 systemd says "none" where vmlat says xen with
# role dom0.  vmlat reads no cgroup namespace heuristics, /proc/self/status
# TracerPid or SMBIOS raw tables, so on a machine where systemd decides by
# those the check fails: read the evidence lines to see why.
#
#   VMLAT=path/to/vmlat  (default analysis/vmlat, relative to the repo root)
#
# Exit 0 pass, 1 fail, 77 skip.
. "$(dirname "$0")/../lib.sh"
keep_going
need "$VMLAT"
FIX=$TOP/tests/fixtures/platform
command -v jq >/dev/null || skip "jq is not installed (scripts/deps.sh installs it)"
cd "$T" || exit 1

VMS=" none kvm qemu xen vmware microsoft bhyve oracle parallels amazon google acrn qnx apple vm-other "
CONTAINERS=" none openvz lxc lxc-libvirt docker podman systemd-nspawn wsl container-other "

# detect ARGS...: vmlat detect into out/err, exit code in $rc
detect() {
	"$VMLAT" detect "$@" >out 2>err
	rc=$?
}

# The key=value lines the JSON document holds, in platform_emit()'s order.
json_lines() {
	jq -r '"platform.vm=\(.vm)", "platform.container=\(.container)",
		(if .xen then "platform.xen.guest_type=\(.xen.guest_type)",
			"platform.xen.role=\(.xen.role)" else empty end),
		(if .below then "platform.below=\(.below)" else empty end),
		"platform.because.vm=\(.because.vm)",
		"platform.because.container=\(.because.container)",
		(if .below then "platform.because.below=\(.because.below)" else empty end),
		(.evidence | to_entries[] | "evidence.\(.key)=\(.value)"),
		(.run // {} | to_entries[] | "run.\(.key)=\(.value)")' "$1"
}

# check_json NAME ARGS...: --json parses, names listed layers, and holds
# exactly the key=value lines of the text output with the same ARGS.
check_json() {
	local name=$1 vm container
	shift
	"$VMLAT" detect "$@" >out 2>err || { fail "$name: exit $?"; return; }
	tail -n +3 out >text.kv
	vm=$(sed -n '1s/^vm: \([^ ]*\).*/\1/p' out)
	container=$(sed -n '2s/^container: //p' out)
	"$VMLAT" detect --json "$@" >json 2>err || { fail "$name: --json exit $?"; return; }
	jq -e . json >/dev/null 2>&1 || { fail "$name: --json is not JSON"; return; }
	json_lines json >json.kv
	if ! diff -u text.kv json.kv >diff.out; then
		fail "$name: --json disagrees with the text output"
		cat diff.out >&2
	fi
	[ "$(jq -r .vm json)" = "$vm" ] && [ "$(jq -r .container json)" = "$container" ] ||
		fail "$name: --json says $(jq -r '.vm + "/" + .container' json), text $vm/$container"
	case $VMS in *" $vm "*) ;; *) fail "$name: vm '$vm' is not in the fixed list" ;; esac
	case $CONTAINERS in *" $container "*) ;; *) fail "$name: container '$container' is not in the fixed list" ;; esac
}

# ---- fixtures: golden text and agreeing JSON ---------------------------
n=0
for d in "$FIX"/*/; do
	name=$(basename "$d")
	cpuid=$(cat "$d/cpuid")
	detect --sysroot "$d/root" --cpuid "$cpuid"
	if [ "$rc" != 0 ]; then
		fail "$name: exit $rc ($(cat err))"
		continue
	fi
	if diff -u "$d/expect" out >diff.out; then ok "$name: $(head -n 1 out), $(sed -n 2p out)"; else
		fail "$name: output differs from $d/expect"
		cat diff.out >&2
	fi
	check_json "$name" --sysroot "$d/root" --cpuid "$cpuid"
	n=$((n + 1))
done
[ "$n" -ge 30 ] || fail "only $n fixtures found in $FIX"

# ---- the CPUID override and the escaping of values ---------------------
e=$T/empty
mkdir -p "$e"
detect --sysroot "$e" --cpuid 'KVMKVMKVM,\x00,XenVMMXenVMM'
grep -q '^evidence.cpuid.0x40000100' out && fail "the CPUID scan goes on past an empty leaf"
grep -qx 'vm: kvm' out && ok "the CPUID scan stops at the first empty leaf" ||
	fail "scan stop: $(head -n 1 out)"
detect --sysroot "$e" --cpuid 'a\\b'
grep -qxF 'evidence.cpuid.0x40000000=a\\b' out && ok "a backslash is written \\\\ in a value" ||
	fail "escaping: $(grep cpuid.0x4 out)"
detect --sysroot "$e" --cpuid 'a\x07'
grep -q 'cpuid.0x40000000' out && fail "a non-printable signature was kept" ||
	ok "a signature with a control byte is garbage"
check_json "escapes" --sysroot "$e" --cpuid 'a\\b'

# ---- exit codes and messages -------------------------------------------
detect --sysroot "$T/nonexistent"
expect_rc "missing --sysroot" 2 "vmlat: --sysroot '$T/nonexistent': No such file or directory"
: >"$T/plain"
detect --sysroot "$T/plain"
expect_rc "--sysroot of a file" 2 "vmlat: --sysroot '$T/plain': Not a directory"
detect --cpuid 'ABCDEFGHIJKLM'
expect_rc "13-byte signature" 1 "vmlat: --cpuid 'ABCDEFGHIJKLM': a signature is longer than 12 bytes"
detect --cpuid 'KVMKVMKVM,ABCDEFGHIJKL\x00'
expect_rc "13 bytes with an escape" 1
for bad in '' 'KVMKVMKVM,' ',KVMKVMKVM' 'a\q' 'a\x4' 'a\xzz'; do
	detect --cpuid "$bad"
	expect_rc "--cpuid '$bad'" 1
done
detect --cpuid
expect_rc "--cpuid without a value" 1 "vmlat: option '--cpuid' needs a value"
detect --frobnicate
expect_rc "unknown option" 1 "vmlat: unknown option '--frobnicate'"
detect extra
expect_rc "an argument" 1
detect --help
expect_rc "--help" 0
head -n 1 out | grep -q '^usage: vmlat detect' || fail "--help does not start with the usage line"
"$VMLAT" help detect >help.out 2>&1 && cmp -s out help.out && ok "vmlat help detect is --help" ||
	fail "vmlat help detect differs from vmlat detect --help"

# ---- this machine --------------------------------------------------------
detect
expect_rc "live detect" 0
cp out live
check_json "live"
detect --sysroot /
cmp -s out live && ok "--sysroot / is the live system" || fail "--sysroot / differs from no --sysroot"

# ours NAME: systemd-detect-virt's NAME in vmlat's words
ours() {
	case $1 in
	bochs | uml | zvm | powervm | sre) echo vm-other ;;
	rkt | proot | pouch) echo container-other ;;
	*) echo "$1" ;;
	esac
}
vm=$(sed -n '1s/^vm: \([^ ]*\).*/\1/p' live)
container=$(sed -n '2s/^container: //p' live)
if ! command -v systemd-detect-virt >/dev/null; then
	echo "skip: live comparison: systemd-detect-virt is not installed (Debian package systemd)"
else
	svm=$(ours "$(systemd-detect-virt --vm)")
	sct=$(ours "$(systemd-detect-virt --container)")
	if [ "$svm" = none ] && grep -qx 'platform.xen.role=dom0' live && [ "$vm" = xen ]; then
		svm=xen # a dom0: see the top of this file
	fi
	[ "$vm" = "$svm" ] && ok "live vm: $vm, as systemd-detect-virt --vm" ||
		fail "live vm: vmlat says $vm, systemd-detect-virt --vm $svm"
	[ "$container" = "$sct" ] && ok "live container: $container, as systemd-detect-virt --container" ||
		fail "live container: vmlat says $container, systemd-detect-virt --container $sct"
	[ $fails = 0 ] || cat live >&2
fi

[ $fails = 0 ] || { echo "$fails checks failed" >&2; exit 1; }
echo "all passed"
