#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# xen-run.sh NAME --disk FILE --cells LIST --out DIR [options]
#
# Run fio jobs in a Xen PV domU, on one machine: boot Xen 4.17 under QEMU
# with a Linux PV dom0 (the host's root over 9p, read-only, as the QEMU
# guests have it), which creates a PV domU whose /dev/xvda is blkfront ->
# blkback in dom0 -> QEMU's virtio disk -> FILE, a regular host file
# (Study A's disk).  The domU runs each job of LIST with the host's fio and
# vmlat engine, then everything powers off and the results come back into
# DIR/CELL/: fio.json, fio.err, rc and the vmlat logs the job wrote into
# its vmlat_log_dir (which must be under /vmlat/out/, on the domU's root
# image); DIR/detect.txt and DIR/dom0-detect.txt are `vmlat detect` in the
# domU and in dom0, DIR/console.log is Xen's and dom0's console and
# DIR/domu-console.log the domU's.
#
#   --cells LIST    lines "CELL JOBFILE": a cell name ([A-Za-z0-9_.+-]) and
#                   a fio job file on the host; jobs run in this order, in
#                   one boot, each with its own fio
#   --cpus N        the domU's vCPUs (1); dom0 has one of its own
#   --mem MB        the domU's memory (256)
#   --disk-size S   size of a created FILE (16G, truncate(1)'s units)
#   --accel A       kvm, tcg or auto (as guest-up.sh)
#   --timeout S     the whole run's deadline, boots included (1200)
#   --cell-timeout S  one cell's deadline in the domU (600)
#
# A job's engine, fio and target paths are the host's: the domU's root
# holds the host's fio (FIO=), vmlat.so and vmlat (ENGINE=, VMLAT=; this
# tree's by default) at their host paths.
# Run jobs with thread=1 there (XEN_NOTES.md: forked fio jobs crashed).
# Exit status: 0 the domU ran every cell (each cell's rc says how fio
# ended), 1 an error (named, with the end of the console that shows it),
# 130 interrupted.  Nothing is left running, and no loop device is used.
set -euo pipefail
GPROG=xen-run
. "$(dirname "${BASH_SOURCE[0]}")/xen-lib.sh"

usage() { help_exit '/^# Exit status/' "$@"; }

name='' disk='' cells='' out='' cpus=1 mem=256 disk_size=16G accel=auto run_timeout=1200 cell_s=600

parse_args() {
	[ $# -gt 0 ] || usage 1 >&2
	while [ $# -gt 0 ]; do
		case $1 in
		-h | --help) usage 0 ;;
		--disk | --cells | --out | --cpus | --mem | --disk-size | --accel | --timeout | --cell-timeout)
			[ $# -ge 2 ] || gdie "$1 needs a value"
			case $1 in
			--disk) disk=$2 ;; --cells) cells=$2 ;; --out) out=$2 ;; --cpus) cpus=$2 ;;
			--mem) mem=$2 ;; --disk-size) disk_size=$2 ;; --accel) accel=$2 ;;
			--timeout) run_timeout=$2 ;; --cell-timeout) cell_s=$2 ;;
			esac
			shift 2 ;;
		-*) gdie "unknown option '$1' (see --help)" ;;
		*) [ -z "$name" ] || gdie "one domU at a time ('$name', then '$1')"; name=$1; shift ;;
		esac
	done
	[ -n "$name" ] || gdie "no NAME given (see --help)"
	valid_name "$name"
	positive cpus:"$cpus" mem:"$mem" timeout:"$run_timeout" cell-timeout:"$cell_s"
	[ "$cpus" -le 2 ] || gdie "--cpus=$cpus: at most 2 (Xen gets 3 emulated CPUs, one for dom0)"
	[ -n "$disk" ] && [ -n "$cells" ] && [ -n "$out" ] || gdie "--disk, --cells and --out are required"
	[ -f "$cells" ] || gdie "--cells $cells: no such file"
	case $accel in kvm | tcg | auto) ;; *) gdie "--accel=$accel: not kvm, tcg or auto" ;; esac
	disk=$(plain_path --disk "$disk")
	out=$(plain_path --out "$out")
	top=$(plain_path "the vmlat tree" "$GTOP")
	xdir=$(plain_path "the Xen build directory" "$XDIR")
}

# copy_with_libs STAGE FILE...: each file at its own path under STAGE, with
# the shared libraries ldd resolves for it (the dynamic loader included).
copy_with_libs() {
	local st=$1 f l
	shift
	for f in "$@"; do
		cp -L --parents "$f" "$st"
		for l in $(ldd "$f" 2>/dev/null | grep -o '/[^ ]*'); do
			[ -e "$st$l" ] || cp -L --parents "$l" "$st"
		done
	done
}

# make_root: the domU's root image (xvdb): fio, vmlat, busybox, the jobs.
make_root() {
	local st=$run/stage fio_bin cell job n=0 kb
	fio_bin=$(command -v "$FIO") || gdie "'$FIO' is missing: apt-get install fio"
	fio_bin=$(realpath "$fio_bin")
	rm -rf "$st"
	mkdir -p "$st/vmlat/in" "$st/vmlat/out" "$st/bin" "$st/etc"
	# ENGINE and VMLAT as the tests name them: another build's engine goes too
	local engine vmlat
	engine=$(realpath "${ENGINE:-$top/engine/vmlat.so}") vmlat=$(realpath "${VMLAT:-$top/analysis/vmlat}")
	[ -f "$engine" ] && [ -x "$vmlat" ] || gdie "build first: make (no $engine or $vmlat)"
	copy_with_libs "$st" "$fio_bin" "$engine" "$vmlat"
	cp "$(command -v busybox)" "$st/bin/busybox"
	cp -L /etc/os-release "$st/etc/os-release" 2>/dev/null || true
	printf 'FIO=%s\nVMLAT=%s\n' "$fio_bin" "$vmlat" > "$st/vmlat/env"
	: > "$st/vmlat/cells"
	while read -r cell job; do
		[ -n "$cell" ] || continue
		[[ $cell =~ ^[A-Za-z0-9_.+-]+$ ]] || gdie "--cells: bad cell name '$cell'"
		[ -f "$job" ] || gdie "--cells: cell $cell: no job file $job"
		cp "$job" "$st/vmlat/in/$cell.fio"
		echo "$cell /vmlat/in/$cell.fio" >> "$st/vmlat/cells"
		n=$((n + 1))
	done < "$cells"
	[ $n -gt 0 ] || gdie "--cells $cells: no cells"
	ncells=$n
	# room for the logs: 64 MiB beyond what is copied
	kb=$(($(du -sk "$st" | cut -f1) + 65536))
	command -v mke2fs >/dev/null 2>&1 || gdie "'mke2fs' is missing: apt-get install e2fsprogs"
	rm -f "$run/root.img"
	mke2fs -q -F -t ext2 -L vmlat-domu -d "$st" "$run/root.img" "${kb}k" >"$run/mke2fs.err" 2>&1 ||
		gdie "cannot make the domU's root image: $(tail -n 2 "$run/mke2fs.err")"
	rm -rf "$st"
}

# write_cfg: the domU, as xl reads it (dom0 sees this directory at /out).
write_cfg() {
	cat > "$run/domu.cfg" <<EOF
# written by scripts/guest/xen-run.sh
name = "$name"
type = "pv"
kernel = "$xdir/vmlinux"
ramdisk = "$xdir/domu.cpio.gz"
cmdline = "console=hvc0 quiet vmlat.name=$name vmlat.cell_s=$cell_s"
memory = $mem
vcpus = $cpus
disk = [ 'phy:/dev/vda,xvda,w,script=/run/vmlat/block-vda', 'phy:/dev/vdb,xvdb,w,script=/run/vmlat/block-vdb' ]
on_poweroff = "destroy"
on_reboot = "destroy"
on_crash = "destroy"
EOF
}

# dom0's clocksource is xen: with tsc, its clock stood nearly still at a
# load average of 12 here (uptime 5 s after 10 minutes), and so did every
# sleep in it.
# Xen's own command line: smap=0 smep=0, or the PV dom0 dies right after
# "Freed ... init memory" under TCG (XEN_NOTES.md); dom0 gets one vCPU and
# a fixed 512 MiB, the rest of QEMU's memory is the domU's.
XEN_CMDLINE="console=com1 com1=115200,8n1 dom0_mem=512M,max:512M dom0_max_vcpus=1 smap=0 smep=0"

start_qemu() {
	local limit=$((run_timeout - 60))
	[ $limit -gt 60 ] || limit=60
	"$QEMU" -name "vmlat-xen-$name" -accel "$accel" -cpu max -smp $((cpus + 1)) -m $((mem + 768)) \
		-nodefaults -no-user-config -display none -no-reboot \
		-kernel "$xdir/xen" -append "$XEN_CMDLINE" \
		-initrd "$xdir/vmlinuz console=hvc0 earlyprintk=xen quiet panic=1 clocksource=xen vmlat.name=$name vmlat.cwd=$top vmlat.xdir=$xdir vmlat.limit=$limit ${VMLAT_XEN_APPEND:-},$xdir/dom0.cpio.gz" \
		-serial "file:$run/console.log" \
		-drive "file=$disk,format=raw,if=virtio,cache=writeback" \
		-drive "file=$run/root.img,format=raw,if=virtio,cache=writeback" \
		-fsdev local,id=root,path=/,security_model=none,readonly=on,multidevs=remap \
		-device virtio-9p-pci,fsdev=root,mount_tag=hostroot \
		-fsdev "local,id=out,path=$run,security_model=none" \
		-device virtio-9p-pci,fsdev=out,mount_tag=out \
		-pidfile "$run/qemu.pid" > "$run/qemu.err" 2>&1 &
	qpid=$!
}

# console_end: the end of Xen's and dom0's console and of the domU's.
console_end() {
	local f
	grep -a -m 3 -E 'Panic on CPU|Kernel panic|domain_crash|vmlat-(dom0|domu): error' "$run/console.log" 2>/dev/null |
		tr -d '\r' | sed 's/^/    ! /'
	echo "    last lines of $run/console.log (Xen and dom0):"
	tail -n 15 "$run/console.log" 2>/dev/null | tr -d '\r' | sed 's/^/    | /'
	for f in "$run"/console/guest-*.log; do
		[ -s "$f" ] || continue
		echo "    last lines of $f (the domU):"
		tail -n 10 "$f" | tr -d '\r' | sed 's/^/    | /'
	done
}

# milestones FILE: its "vmlat-dom0:"/"vmlat-domu:" lines not shown yet
# (counted in shown[FILE]), on stderr.
declare -A shown
milestones() {
	local n
	n=$(grep -a -c 'vmlat-dom[0u]: ' "$1" 2>/dev/null) || return 0
	[ "$n" -gt "${shown[$1]:-0}" ] || return 0
	grep -a -o 'vmlat-dom[0u]: .*' "$1" | tr -d '\r' | tail -n +$((${shown[$1]:-0} + 1)) |
		sed "s/^/$GPROG: [$(elapsed)] /" >&2
	shown[$1]=$n
}

# wait_qemu: until QEMU exits, with the deadline; milestones as they come.
wait_qemu() {
	local deadline=$(($(date +%s) + run_timeout)) rc=0 f
	while kill -0 "$qpid" 2>/dev/null; do
		if [ "$(date +%s)" -ge "$deadline" ]; then
			gdie "no end of the run after ${run_timeout}s (--timeout)"$'\n'"$(console_end)"
		fi
		for f in "$run/console.log" "$run"/console/guest-*.log; do milestones "$f"; done
		sleep 1
	done
	wait "$qpid" || rc=$?
	qpid=''
	for f in "$run/console.log" "$run"/console/guest-*.log; do milestones "$f"; done
	[ $rc = 0 ] || gdie "QEMU exited with status $rc: $(tail -n 3 "$run/qemu.err")"$'\n'"$(console_end)"
}

elapsed() { echo "$(($(date +%s) - t_start)) s"; }

# results: the domU's /vmlat/out from its root image, into DIR.
results() {
	local st
	st=$(tail -n 1 "$run/dom0.status" 2>/dev/null || true)
	[ -n "$st" ] || gdie "Xen or dom0 did not boot (no word from dom0)"$'\n'"$(console_end)"
	[ "$st" = "${st#error}" ] || gdie "dom0: $st"$'\n'"$(console_end)"
	rm -rf "$run/result"
	mkdir -p "$run/result"
	debugfs -R "rdump /vmlat/out $run/result" "$run/root.img" > "$run/debugfs.err" 2>&1 ||
		gdie "cannot read the results from $run/root.img: $(tail -n 2 "$run/debugfs.err")"
	[ -f "$run/result/out/status" ] ||
		gdie "the domU ran no cell (no /vmlat/out/status on its disk)"$'\n'"$(console_end)"
	grep -q '^error' "$run/result/out/status" && gdie "domU: $(grep '^error' "$run/result/out/status")"$'\n'"$(console_end)"
	clock_check
	mkdir -p "$out"
	cp -r "$run/result/out/." "$out/"
	cp "$run/console.log" "$out/console.log"
	cp "$run/dom0-detect.txt" "$out/dom0-detect.txt" 2>/dev/null || true
	cat "$run"/console/guest-*.log > "$out/domu-console.log" 2>/dev/null || true
}

# clock_check: warn when dom0's clock ran far slower than the host's (seen
# once with dom0 on the tsc clocksource at a load of 12): Xen's time is the
# domU's, so its latencies would be wrong by the same factor.
clock_check() {
	local up wall
	up=$(sed -n 's/^done: domU .* powered off at \([0-9]*\)\.[0-9]* s$/\1/p' "$run/dom0.status")
	wall=$(($(date +%s) - t_start))
	[ -n "$up" ] && [ "$wall" -gt $((3 * up + 60)) ] || return 0
	gsay "warning: dom0's clock says $up s since its boot, the host $wall s: time ran slow in Xen, so the domU's latencies are suspect"
}

qpid='' run=''
cleanup() {
	local i
	if [ -n "$qpid" ]; then
		kill -TERM "$qpid" 2>/dev/null || true
		for ((i = 0; i < 50; i++)); do kill -0 "$qpid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$qpid" 2>/dev/null || true
		wait "$qpid" 2>/dev/null || true
	fi
	[ -z "$run" ] || rm -f "$run/root.img"
}

main() {
	parse_args "$@"
	command -v "$QEMU" >/dev/null 2>&1 || "$GTOP/scripts/deps.sh" xen >&2 || true
	command -v "$QEMU" >/dev/null 2>&1 || gdie "'$QEMU' is missing: apt-get install qemu-system-x86 (or scripts/deps.sh xen)"
	command -v debugfs >/dev/null 2>&1 || gdie "'debugfs' is missing: apt-get install e2fsprogs"
	"$GTOP/scripts/guest/xen-build.sh"
	if [ "$accel" = auto ]; then
		mkdir -p "$GDIR"
		# the QEMU guests' probe needs their kernel; reuse its cached answer
		(flock -w 300 9 && "$GTOP/scripts/guest/build.sh") 9>"$GDIR/.lock" >&2
		. "$GTOP/scripts/guest/accel.sh"
		accel=$(pick_accel)
	fi
	run=$XDIR/run/$name
	mkdir -p "$XDIR/run"
	exec 8>"$XDIR/run/.$name.lock"
	flock -n 8 || gdie "domU $name is running already (another xen-run.sh $name)"
	rm -rf "$run"
	mkdir -p "$run"
	if [ ! -e "$disk" ]; then
		mkdir -p "$(dirname "$disk")"
		truncate -s "$disk_size" "$disk" || gdie "--disk-size=$disk_size: cannot create $disk"
	fi
	[ -f "$disk" ] || gdie "--disk $disk: not a regular file (Study A's disk is a file on the host)"
	trap cleanup EXIT
	trap 'gsay "interrupted: stopping Xen ($name)"; exit 130' INT TERM HUP
	t_start=$(date +%s)
	make_root
	write_cfg
	gsay "booting Xen, dom0 and domU $name ($accel, $cpus vCPU, $ncells cells, disk $disk; up to ${run_timeout}s)"
	start_qemu
	wait_qemu
	results
	gsay "done in $(elapsed): $ncells cells, results in $out"
}

# On one line: bash has read the exit before main runs, so a copy of this
# file changed during a run cannot feed the running shell new lines.
main "$@"; exit
