# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# lib.sh - what the guest scripts share (bash; source it first): where
# things live, how errors are worded, and how long each wait may take.
#
# Everything a guest needs is built, never committed, under build/guest/:
#   vmlinuz, modules/       Debian's kernel, from linux-image-amd64's package
#   kernel.id               which package and version that was
#   initramfs.gz            busybox + those modules + init.sh and init-lib.sh
#                           (build.sh, with build-lib.sh)
#   accel                   the accelerator that last worked, per host boot
#   NAME/state              a running guest: pid, port, cpus, paths (KEY=VALUE)
#   NAME/console.log        its kernel console
#   NAME/out/               a share the guest writes: detect.txt, fio-server.log
set -u
GTOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
GDIR=${VMLAT_GUEST_DIR:-$GTOP/build/guest}
QEMU=${QEMU:-qemu-system-x86_64}
FIO=${FIO:-fio}
export LC_ALL=C

# The guest's fio server port (init.sh's vmlat.port), behind each guest's
# own host port.
# shellcheck disable=SC2034 # used by the scripts that source this file
GUEST_FIO_PORT=8765

# gdie MESSAGE: the one way the guest scripts fail (git's grammar).
gdie() { echo "${GPROG:-guest}: $*" >&2; exit 1; }
gsay() { echo "${GPROG:-guest}: $*" >&2; }

# help_exit END [STATUS]: the script's help is its header comment, from
# the synopsis (line 4) to line END (a number or /regex/); print it, exit
# STATUS (0).
help_exit() {
	sed -n "4,${1}p" "$0" | sed 's/^# \{0,1\}//'
	exit "${2:-0}"
}

# valid_name NAME: guests are directories and host names, so keep it plain.
valid_name() {
	[[ $1 =~ ^[A-Za-z][A-Za-z0-9_-]{0,30}$ ]] ||
		gdie "bad guest name '$1' (letters, digits, _ and -, starting with a letter)"
}

# plain_path WHAT PATH: PATH made absolute, refused unless plain.  Paths go
# into QEMU's comma-separated options and onto the kernel's space-separated
# command line: refuse what either would split.
plain_path() {
	local p
	p=$(realpath -m -- "$2")
	[[ $p =~ ^[A-Za-z0-9/._+-]+$ ]] || gdie "$1 $2: use a path of letters, digits and / . _ + - only"
	echo "$p"
}

# positive OPTION:VALUE...: each VALUE is a positive whole number, or
# --OPTION is refused.
positive() {
	local v
	for v in "$@"; do
		[[ ${v#*:} =~ ^[1-9][0-9]*$ ]] || gdie "--${v%%:*}=${v#*:}: not a positive number"
	done
}

# state_get NAME KEY: one value from a running guest's state file.
state_get() {
	[ -f "$GDIR/$1/state" ] || return 0
	sed -n "s/^$2=//p" "$GDIR/$1/state" | head -n 1
}

# alive PID: is that process still there (and not a zombie)?
alive() {
	[ -n "$1" ] && kill -0 "$1" 2>/dev/null &&
		! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

# console_tail NAME: the end of a guest's console, for messages about a
# guest that did not come up: usually says why (a panic, a missing module).
console_tail() {
	local log=$GDIR/$1/console.log
	[ -s "$log" ] || { echo "    (console log $log is empty)"; return; }
	# A panic's first line, which names the cause, is above its backtrace.
	grep -a -m 2 -E 'Kernel panic|vmlat-guest: error' "$log" | tr -d '\r' | sed 's/^/    ! /'
	echo "    last lines of $log:"
	tail -n 12 "$log" | tr -d '\r' | sed 's/^/    | /'
}

# fio_probe PORT JOBFILE: does a fio server answer on 127.0.0.1:PORT?  It
# runs a job that does no IO (the null engine), so a yes means the server
# takes jobs, not only that a socket is open.  Ask only once the guest says
# it listens (out/ready): before that, QEMU's user networking accepts the
# connection itself and fio waits for an answer that never comes.  The job
# is a file because fio --client ignores jobs given as options (and exits
# 1); SIGKILL follows, as fio's client does not always end on SIGTERM.
fio_probe() {
	timeout -k 2 "${VMLAT_PROBE_S:-30}" "$FIO" --client="ip:127.0.0.1,$1" --eta=never \
		--output-format=terse "$2" >/dev/null 2>&1
}
