#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves that the write guard holds at every open of a file, not only for
# the files fio knows when the engine starts (issue 11, item 1).  Each run
# brings a loop device holding a real ext4 to fio after the engine's init:
#   - a chunked iolog (read_iolog_chunked=1) that adds the device after its
#     first chunk: fio learns of it only while the job runs;
#   - filename (writes and trims), an iolog read whole, filename_format,
#     opendir, nrfiles with file_service_type, and replay_redirect: fio
#     knows these files at init, when each is a harmless regular file (or a
#     symlink to one), and exec_prerun (which fio runs after the engine's
#     init, before the first open for IO) points it at the device, as a
#     hostile guest or a racing script could.
# Every run must fail with today's refusal message, leave the ext4 intact
# (e2fsck -n and a checksum of its first 8 MiB) and name the refused device
# in its log header (target.N with target.N.refused).
. "$(dirname "$0")/../lib.sh"
need_root "loop devices"
command -v mkfs.ext4 >/dev/null || skip "mkfs.ext4 missing (apt-get install e2fsprogs)"
command -v e2fsck >/dev/null || skip "e2fsck missing (apt-get install e2fsprogs)"

fs=$(loopdev 64)
mkfs.ext4 -q -F "$fs" || fail "mkfs.ext4"
sum8() { head -c 8M "$fs" | sha256sum; }
before=$(sum8)
harmless=$T/harmless
truncate -s 8M "$harmless"

# job NAME ARGS...: a writing vmlat job, its log $T/NAME.vmlat, output $T/NAME.out
job() {
	local name=$1
	shift
	(cd "$T" && vmlat_fio --name="$name" --bs=4k --size=8M --vmlat_probes=0 \
		--vmlat_log_name=%j.vmlat "$@" >"$T/$name.out" 2>&1)
}

# refused NAME PATH: the run NAME failed on PATH, the ext4 is intact, the header names it
refused() {
	local name=$1 path=$2 out=$T/$1.out n shown=$2
	[ "$path" = "$fs" ] || shown="$path ($fs)"
	grep -qF "refusing to write: $shown holds an ext4 filesystem" "$out" ||
		fail "$name: no refusal naming $path: $(cat "$out")"
	grep -q 'set vmlat_allow_overwrite=1 to destroy it' "$out" || fail "$name: message changed: $(cat "$out")"
	[ "$(sum8)" = "$before" ] || fail "$name: the ext4 device was written"
	e2fsck -n "$fs" >"$T/fsck" 2>&1 || fail "$name: e2fsck -n failed: $(cat "$T/fsck")"
	"$VMLAT" dump "$T/$name.vmlat" >"$T/$name.dump" 2>&1
	n=$(sed -n "s|^# target\.\([0-9]*\)=$path\$|\1|p" "$T/$name.dump" | head -1)
	[ -n "$n" ] || fail "$name: header lists no target $path: $(grep target "$T/$name.dump")"
	grep -q "^# target\.$n\.refused=.*ext4 filesystem" "$T/$name.dump" ||
		fail "$name: header does not mark target.$n refused: $(grep target "$T/$name.dump")"
	ok "$name: refused at open, ext4 intact, header names target.$n=$path"
}

# fails NAME ARGS...: job NAME must exit non-zero
fails() {
	local name=$1
	shift
	job "$name" "$@" && fail "$name: fio exited 0: $(cat "$T/$name.out")"
	return 0
}

# chunked iolog: the device is added only after the first chunk (10 entries)
{
	echo "fio version 2 iolog"
	echo "$harmless add"
	echo "$harmless open"
	for i in $(seq 0 29); do echo "$harmless read $((i * 4096)) 4096"; done
	echo "$fs add"
	echo "$fs open"
	for i in $(seq 0 63); do echo "$fs write $((i * 4096)) 4096"; done
	echo "$fs close"
	echo "$harmless close"
} >"$T/late.iolog"
fails chunked --read_iolog="$T/late.iolog" --read_iolog_chunked=1
refused chunked "$fs"

# 80 harmless late files fill the header's room for late targets: that is
# said once, and the device after them is still refused and named
mkdir "$T/many"
{
	echo "fio version 2 iolog"
	echo "$harmless add"
	echo "$harmless open"
	for i in $(seq 0 29); do echo "$harmless read $((i * 4096)) 4096"; done
	for i in $(seq 1 80); do
		truncate -s 4k "$T/many/$i"
		printf '%s add\n%s open\n%s read 0 4096\n%s close\n' "$T/many/$i" "$T/many/$i" \
			"$T/many/$i" "$T/many/$i"
	done
	echo "$fs add"
	echo "$fs open"
	for i in $(seq 0 63); do echo "$fs write $((i * 4096)) 4096"; done
} >"$T/many.iolog"
fails many --read_iolog="$T/many.iolog" --read_iolog_chunked=1
[ "$(grep -c 'no room left (later targets are not listed either)' "$T/many.out")" = 1 ] ||
	fail "many: the full header is not said once: $(grep vmlat: "$T/many.out")"
refused many "$fs"

# the same log read whole at init: the device is known, refused at init as before
fails whole --read_iolog="$T/late.iolog"
grep -q "refusing to write: $fs holds an ext4 filesystem" "$T/whole.out" ||
	fail "whole: no refusal: $(cat "$T/whole.out")"
[ "$(sum8)" = "$before" ] || fail "whole: the ext4 device was written"
ok "whole iolog: refused at init"

# swap LINK: exec_prerun command that points LINK at the device
swap() { echo "ln -sfn $fs $1"; }

# filename: a symlink fio was given, repointed after init; for writes and for trims
ln -s "$harmless" "$T/flink"
fails fname --rw=write --filename="$T/flink" --exec_prerun="$(swap "$T/flink")"
refused fname "$T/flink"
ln -sfn "$harmless" "$T/flink"
fails ftrim --rw=trim --filename="$T/flink" --exec_prerun="$(swap "$T/flink")"
refused ftrim "$T/flink"

# an iolog read whole whose file becomes the device after init
ln -s "$harmless" "$T/wlink"
{
	echo "fio version 2 iolog"
	echo "$T/wlink add"
	echo "$T/wlink open"
	for i in $(seq 0 63); do echo "$T/wlink write $((i * 4096)) 4096"; done
	echo "$T/wlink close"
} >"$T/swap.iolog"
fails iolog --read_iolog="$T/swap.iolog" --exec_prerun="$(swap "$T/wlink")"
refused iolog "$T/wlink"

# filename_format
mkdir "$T/ff"
truncate -s 8M "$T/ff/f.0"
fails fformat --rw=write --directory="$T/ff" --filename_format='f.$filenum' \
	--exec_prerun="$(swap "$T/ff/f.0")"
refused fformat "$T/ff/f.0"

# opendir: fio adds only the regular files it finds there
mkdir "$T/dir"
truncate -s 8M "$T/dir/a" "$T/dir/b"
fails odir --rw=write --opendir="$T/dir" --exec_prerun="$(swap "$T/dir/b")"
refused odir "$T/dir/b"

# nrfiles with file_service_type: the third of four files, one open at a time
mkdir "$T/nr"
for i in 0 1 2 3; do truncate -s 2M "$T/nr/nrf.0.$i"; done
fails nrf --rw=write --directory="$T/nr" --nrfiles=4 --openfiles=1 \
	--file_service_type=sequential --exec_prerun="$(swap "$T/nr/nrf.0.2")"
refused nrf "$T/nr/nrf.0.2"

# replay_redirect: every IO of the log goes to one file, which becomes the device
ln -s "$harmless" "$T/rlink"
fails redirect --read_iolog="$T/swap.iolog" --replay_redirect="$T/rlink" \
	--exec_prerun="$(swap "$T/rlink")"
refused redirect "$T/rlink"

# and with vmlat_allow_overwrite=1 the late device is written, on purpose
job allowed --read_iolog="$T/late.iolog" --read_iolog_chunked=1 --vmlat_allow_overwrite=1 ||
	fail "allowed: fio failed: $(cat "$T/allowed.out")"
[ "$(sum8)" != "$before" ] || fail "allowed: the override wrote nothing"
"$VMLAT" dump "$T/allowed.vmlat" | grep -q "^# target\.1=$fs\$" ||
	fail "allowed: the late target is not in the header"
ok "vmlat_allow_overwrite=1: the late device is written and listed"
