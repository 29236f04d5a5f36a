#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: every log header says where the job ran, and each value equals
# what an independent tool on the same machine says.  Through the real fio:
#   - platform.vm / platform.container = systemd-detect-virt --vm / --container,
#     and the header's platform and evidence lines = `vmlat detect`'s;
#   - run.cpus.configured = nproc --all, run.cpus.online = the sysfs list and
#     its count, run.cpus.allowed = the job's cpus_allowed, run.kernel = uname -r,
#     run.arch = uname -m, run.os = os-release's PRETTY_NAME, run.clocksource =
#     current_clocksource, run.mem_total_bytes = MemTotal, run.cgroup = the
#     0:: line of /proc/self/cgroup (and cpu.max, io.max when cgroup2 has them);
#   - per-vCPU steal at job start and at job end (written at close) for every
#     cpuN of /proc/stat, end >= start;
#   - the compiler and flags that built the engine;
#   - a loop device: kind block, driver loop, and scheduler, rotational,
#     write_cache, nr_requests equal to sysfs after the test changed two of
#     them away from their defaults (so a hard-coded answer cannot pass);
#   - a file on ext4 on a loop device: the loop device's values; a file on
#     ext4 on a partition of a loop device: the partition, then its disk's.
. "$(dirname "$0")/../lib.sh"

key() { "$VMLAT" dump "$1" | sed -n "s/^# $2=//p"; }
expect() { # file key expected what
	local got
	got=$(key "$1" "$2")
	[ "$got" = "$3" ] || fail "$4: header $2='$got', expected '$3'"
}
job() { # name filename [fio args...]: a 20-IO read job, log $T/NAME.vmlat
	local name=$1 file=$2
	shift 2
	(cd "$T" && vmlat_fio --output=/dev/null --name="$name" --filename="$file" --size=8M \
		--rw=randread --bs=4k --number_ios=20 "$@" >"$T/$name.out" 2>&1) ||
		fail "$name: fio failed: $(cat "$T/$name.out")"
	mv "$T/$name.1.vmlat" "$T/$name.vmlat"
}

cpu=$(($(nproc) - 1)) # a CPU this test may use, pinned
job plain "$T/data" --cpus_allowed=$cpu
L=$T/plain.vmlat

# ---- platform: systemd's verdict, and the same lines as `vmlat detect` ----
if command -v systemd-detect-virt >/dev/null; then
	expect "$L" platform.vm "$(systemd-detect-virt --vm)" "vm"
	expect "$L" platform.container "$(systemd-detect-virt --container)" "container"
	ok "platform = systemd-detect-virt ($(key "$L" platform.vm), $(key "$L" platform.container))"
else
	echo "note: systemd-detect-virt missing: verdict not cross-checked"
fi
"$VMLAT" dump "$L" | sed -n 's/^# \(\(platform\|evidence\)\.\)/\1/p' >"$T/hdr.kv"
"$VMLAT" detect | grep -E '^(platform|evidence)\.' >"$T/detect.kv"
diff -u "$T/detect.kv" "$T/hdr.kv" || fail "platform lines differ from vmlat detect"
[ "$(grep -c '^evidence\.' "$T/hdr.kv")" -ge 1 ] || fail "no raw evidence in the header"
ok "header platform lines = vmlat detect ($(wc -l <"$T/hdr.kv") lines)"

# ---- the machine and the process ----
online=$(cat /sys/devices/system/cpu/online)
count=0
IFS=, read -ra parts <<<"$online"
for p in "${parts[@]}"; do
	case $p in *-*) count=$((count + ${p#*-} - ${p%-*} + 1)) ;; *) count=$((count + 1)) ;; esac
done
expect "$L" run.cpus.configured "$(nproc --all)" "vCPUs"
expect "$L" run.cpus.online "$online" "online vCPUs"
expect "$L" run.cpus.online_count "$count" "online vCPU count"
expect "$L" run.cpus.allowed "$cpu" "affinity (cpus_allowed=$cpu)"
expect "$L" run.cpus.allowed_count 1 "affinity count"
expect "$L" run.kernel "$(uname -r)" "kernel"
expect "$L" run.arch "$(uname -m)" "arch"
expect "$L" run.os "$(. /etc/os-release && echo "$PRETTY_NAME")" "os"
expect "$L" run.clocksource "$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)" "clocksource"
expect "$L" run.clocksource.available \
	"$(sed 's/ *$//' /sys/devices/system/clocksource/clocksource0/available_clocksource)" "clocksources"
expect "$L" run.mem_total_bytes "$(($(awk '/^MemTotal:/ {print $2}' /proc/meminfo) * 1024))" "memory"
case $(key "$L" clock) in fio:cpu | fio:clock_gettime | fio:gettimeofday) ;;
*) fail "fio's clock: '$(key "$L" clock)'" ;; esac
cg=$(sed -n 's/^0:://p' /proc/self/cgroup)
expect "$L" run.cgroup "$cg" "cgroup"
cgmnt=$(findmnt -rno TARGET -t cgroup2 | head -n 1)
for f in cpu.max io.max cpuset.cpus.effective; do
	path=$cgmnt${cg%/}/$f
	[ -n "$cgmnt" ] && [ -r "$path" ] || { [ -z "$(key "$L" "run.cgroup.$f")" ] || fail "run.cgroup.$f without $path"; continue; }
	expect "$L" "run.cgroup.$f" "$(paste -sd';' "$path")" "cgroup $f"
done
ok "run.*: $(key "$L" run.cpus.configured) vCPUs, online $online, kernel $(uname -r), clocksource $(key "$L" run.clocksource), cgroup '$cg'"

# ---- steal at job start and job end ----
ncpu=0
for c in $(awk '/^cpu[0-9]/ {sub("cpu", "", $1); print $1}' /proc/stat); do
	s=$(key "$L" "run.steal_start_ns.cpu$c")
	e=$(key "$L" "run.steal_end_ns.cpu$c")
	[ -n "$s" ] && [ -n "$e" ] || fail "steal of cpu$c: start '$s', end '$e'"
	[ "$e" -ge "$s" ] || fail "steal of cpu$c went backwards: $s -> $e"
	ncpu=$((ncpu + 1))
done
[ "$ncpu" -ge 1 ] || fail "no cpuN line in /proc/stat"
[ "$("$VMLAT" dump "$L" | grep -c '^# run.steal_start_ns\.')" = "$ncpu" ] || fail "steal keys for other CPUs"
expect "$L" run.steal_tick_ns $((1000000000 / $(getconf CLK_TCK))) "steal tick"
# the end keys follow the records' count and close: the prefix vouches for them
"$VMLAT" dump "$L" | grep -qx '# tail=clean' || fail "log not closed cleanly"
ok "steal start and end for $ncpu vCPUs, end >= start"

# ---- the engine's build ----
case $(key "$L" engine.cc) in "gcc $(cc -dumpfullversion 2>/dev/null)"* | *[Cc]lang*) ;;
*) fail "engine.cc '$(key "$L" engine.cc)' is not this machine's cc" ;; esac
case " $(key "$L" engine.cflags) " in *" -fPIC "*" -fvisibility=hidden "*) ;;
*) fail "engine.cflags '$(key "$L" engine.cflags)'" ;; esac
ok "built by $(key "$L" engine.cc) with $(key "$L" engine.cflags)"

# ---- block devices (root) ----
need_root "loop devices"
command -v mkfs.ext4 >/dev/null || skip "mkfs.ext4 missing (apt-get install e2fsprogs)"

# queue_expect LOG DISK what: the target's disk, driver and queue are DISK's
queue_expect() {
	local q=/sys/block/$2/queue f
	expect "$1" target.0.disk "$2" "$3"
	expect "$1" target.0.driver loop "$3"
	for f in scheduler rotational write_cache nr_requests; do
		expect "$1" "target.0.queue.$f" "$(sed 's/ *$//' "$q/$f")" "$3: $f"
	done
}

dev=$(loopdev 64)
name=${dev#/dev/}
# move two settings off their defaults: the header must follow sysfs
echo none >"/sys/block/$name/queue/scheduler" 2>/dev/null || true
echo 0 >"/sys/block/$name/queue/rotational" 2>/dev/null || true
job raw "$dev"
expect "$T/raw.vmlat" target.0.kind block "loop device"
expect "$T/raw.vmlat" target.0.dev "$(cat "/sys/block/$name/dev")" "loop device"
queue_expect "$T/raw.vmlat" "$name" "loop device"
[ -z "$(key "$T/raw.vmlat" target.0.partition)" ] || fail "a whole loop device named as a partition"
ok "loop device $dev: driver loop, queue $(key "$T/raw.vmlat" target.0.queue.scheduler), rotational $(key "$T/raw.vmlat" target.0.queue.rotational), nr_requests $(key "$T/raw.vmlat" target.0.queue.nr_requests)"

mkfs.ext4 -q -F "$dev" || fail "mkfs.ext4 $dev"
mkdir "$T/mnt"
mount "$dev" "$T/mnt" || skip "cannot mount ext4 on a loop device here"
at_exit "umount $T/mnt"
job onfs "$T/mnt/data"
expect "$T/onfs.vmlat" target.0.kind file "file on ext4"
expect "$T/onfs.vmlat" target.0.fs ext4 "file on ext4"
expect "$T/onfs.vmlat" target.0.dev "$(cat "/sys/block/$name/dev")" "file on ext4"
queue_expect "$T/onfs.vmlat" "$name" "file on ext4 on $dev"
ok "file on ext4 on $dev: the loop device's queue"

pdev=$(loopdev 64)
pname=${pdev#/dev/}
echo 'start=2048, type=83' | sfdisk -q "$pdev" >/dev/null 2>&1 || skip "sfdisk cannot partition $pdev"
[ -e "/sys/block/$pname/${pname}p1" ] || partx -a "$pdev" 2>/dev/null
[ -b "${pdev}p1" ] || skip "no ${pdev}p1 after partx (no devtmpfs?)"
mkfs.ext4 -q -F "${pdev}p1" || fail "mkfs.ext4 ${pdev}p1"
mkdir "$T/pmnt"
mount "${pdev}p1" "$T/pmnt" || fail "mount ${pdev}p1"
at_exit "umount $T/pmnt"
job onpart "$T/pmnt/data"
expect "$T/onpart.vmlat" target.0.dev "$(cat "/sys/block/$pname/${pname}p1/dev")" "file on a partition"
expect "$T/onpart.vmlat" target.0.partition "${pname}p1" "file on a partition"
queue_expect "$T/onpart.vmlat" "$pname" "file on ${pdev}p1"
ok "file on ext4 on ${pdev}p1: partition ${pname}p1, the queue of disk $pname"
