#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# guest-up.sh NAME --cpus N --disk FILE --port P --logs DIR [options]
#
# Boot a QEMU guest in the background, Study A's way: one virtio-blk disk
# backed by one regular host file, seen as /dev/vda.  The guest runs the
# host's own fio as `fio --server` (init.sh) and answers on host port
# 127.0.0.1:P; its vmlat logs are written into DIR, which the guest sees at
# the same path.  Returns once the fio server runs a job (or fails with the
# end of the guest's console), leaving build/guest/NAME/state behind.
#
#   --cpus N        vCPUs (1)
#   --disk FILE     raw disk image; created sparse when missing
#   --disk-size S   size of a created image, in truncate(1)'s units (16G,
#                   Study A's; only the first 2 GiB are ever touched)
#   --cache MODE    QEMU's cache= for the disk (writeback: the host's page
#                   cache serves the guest's "raw" disk, as in Study A)
#   --port P        host port forwarded to the guest's fio server
#   --logs DIR      the log directory shared with the guest (writable)
#   --mem MB        guest memory (1024, Study A's)
#   --accel A       kvm, tcg or auto (auto: kvm when a probe boot under kvm
#                   ends within a few seconds, else tcg; cached per host boot)
#   --timeout S     how long to wait for the fio server (120)
#
# VMLAT_GUEST_APPEND adds to the kernel command line (e.g. loglevel=7 to
# see the whole boot on the console).
#
# Stop it with guest-down.sh NAME.  Exit status: 0 up, 1 error.
set -euo pipefail
GPROG=guest-up
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() { help_exit '/^# Stop/' "$@"; }

name='' cpus=1 disk='' disk_size=16G cache=writeback port='' logs='' mem=1024 accel=auto boot_timeout=120

parse_args() {
	[ $# -gt 0 ] || usage 1 >&2
	while [ $# -gt 0 ]; do
		case $1 in
		-h | --help) usage 0 ;;
		--cpus | --disk | --disk-size | --cache | --port | --logs | --mem | --accel | --timeout)
			[ $# -ge 2 ] || gdie "$1 needs a value"
			case $1 in
			--cpus) cpus=$2 ;; --disk) disk=$2 ;; --disk-size) disk_size=$2 ;;
			--cache) cache=$2 ;; --port) port=$2 ;; --logs) logs=$2 ;; --mem) mem=$2 ;;
			--accel) accel=$2 ;; --timeout) boot_timeout=$2 ;;
			esac
			shift 2 ;;
		-*) gdie "unknown option '$1' (see --help)" ;;
		*) [ -z "$name" ] || gdie "one guest at a time ('$name', then '$1')"; name=$1; shift ;;
		esac
	done
}

check_args() {
	[ -n "$name" ] || gdie "no guest NAME given (see --help)"
	valid_name "$name"
	positive cpus:"$cpus" port:"$port" mem:"$mem" timeout:"$boot_timeout"
	[ "$port" -lt 65536 ] || gdie "--port=$port: not a port number"
	[ -n "$disk" ] || gdie "--disk FILE is required"
	[ -n "$logs" ] || gdie "--logs DIR is required"
	case $accel in kvm | tcg | auto) ;; *) gdie "--accel=$accel: not kvm, tcg or auto" ;; esac
	case $cache in none | writeback | writethrough | directsync | unsafe) ;;
	*) gdie "--cache=$cache: not one of none writeback writethrough directsync unsafe" ;; esac
	disk=$(plain_path --disk "$disk")
	logs=$(plain_path --logs "$logs")
	top=$(plain_path "the vmlat tree" "$GTOP")
	guest_fio=$(command -v "$FIO") || gdie "'$FIO' is missing: apt-get install fio"
	guest_fio=$(plain_path "FIO=$FIO" "$guest_fio")
	# the guest sees only these of the host (init.sh): its fio must be there
	case $guest_fio in
	/usr/* | /bin/* | /sbin/* | /lib*/* | /opt/* | "$top"/*) ;;
	*) gdie "FIO=$FIO: the guest sees only /usr, /bin, /sbin, /lib*, /opt and the vmlat tree $top of this machine; put that fio there" ;;
	esac
}

# prepare: tools, kernel, accelerator, disk and directories.
prepare() {
	local pid
	command -v "$QEMU" >/dev/null 2>&1 || "$GTOP/scripts/deps.sh" guests >&2 || true
	command -v "$QEMU" >/dev/null 2>&1 ||
		gdie "'$QEMU' is missing: apt-get install qemu-system-x86 (or scripts/deps.sh guests)"
	command -v "$FIO" >/dev/null 2>&1 || gdie "'$FIO' is missing: apt-get install fio"
	mkdir -p "$GDIR"
	pid=$(state_get "$name" pid)
	! alive "$pid" || gdie "guest $name is already running (pid $pid, port $(state_get "$name" port))"
	# One builder at a time: a second guest-up waits for the first's kernel.
	(flock -w 300 9 || gdie "timed out waiting for another guest build ($GDIR/.lock)"
	 "$GTOP/scripts/guest/build.sh") 9>"$GDIR/.lock"
	. "$GTOP/scripts/guest/accel.sh"
	[ "$accel" != auto ] || accel=$(pick_accel)
	if [ ! -e "$disk" ]; then
		mkdir -p "$(dirname "$disk")"
		truncate -s "$disk_size" "$disk" || gdie "--disk-size=$disk_size: cannot create $disk"
	fi
	[ -f "$disk" ] || gdie "--disk $disk: not a regular file (Study A's disk is a file on the host)"
	mkdir -p "$logs" || gdie "--logs $logs: cannot create it"
	rm -rf "$dir"
	mkdir -p "$dir/out"
}

# start_qemu: QEMU in the background, its pid in qpid, the state file.
# -nodefaults: only the devices listed; -no-reboot: a panic or the init's
# poweroff on error ends QEMU, which wait_up notices at once.
start_qemu() {
	"$QEMU" -name "vmlat-$name" -accel "$accel" -cpu max -smp "$cpus" -m "$mem" \
		-nodefaults -no-user-config -display none -no-reboot \
		-kernel "$GDIR/vmlinuz" -initrd "$GDIR/initramfs.gz" \
		-append "console=ttyS0 quiet panic=1 vmlat.name=$name vmlat.cwd=$top vmlat.logs=$logs vmlat.port=$GUEST_FIO_PORT vmlat.fio=$guest_fio ${VMLAT_GUEST_APPEND:-}" \
		-serial "file:$dir/console.log" \
		-drive "file=$disk,format=raw,if=virtio,cache=$cache" \
		-netdev "user,id=net0,hostfwd=tcp:127.0.0.1:$port-:$GUEST_FIO_PORT" \
		-device virtio-net-pci,netdev=net0 \
		-fsdev local,id=root,path=/,security_model=none,readonly=on,multidevs=remap \
		-device virtio-9p-pci,fsdev=root,mount_tag=hostroot \
		-fsdev "local,id=out,path=$dir/out,security_model=none" \
		-device virtio-9p-pci,fsdev=out,mount_tag=out \
		-fsdev "local,id=logs,path=$logs,security_model=none" \
		-device virtio-9p-pci,fsdev=logs,mount_tag=logs \
		-pidfile "$dir/qemu.pid" -daemonize 2>"$dir/qemu.err" || {
		! grep -q 'host forwarding rule' "$dir/qemu.err" ||
			gdie "--port=$port: host port 127.0.0.1:$port is in use"
		gdie "QEMU did not start: $(grep -v '^$' "$dir/qemu.err" | tail -n 3)"
	}
	qpid=$(cat "$dir/qemu.pid")
	cat > "$dir/state" <<EOF
name=$name
pid=$qpid
port=$port
cpus=$cpus
mem_mb=$mem
accel=$accel
disk=$disk
logs=$logs
cwd=$top
console=$dir/console.log
out=$dir/out
EOF
}

# wait_up: first the guest's word that its server listens (out/ready),
# or QEMU's exit, then one job through the server.
wait_up() {
	local deadline=$(($(date +%s) + boot_timeout))
	until [ -e "$dir/out/ready" ]; do
		alive "$qpid" || { qpid=; gdie "guest $name stopped while booting"$'\n'"$(console_tail "$name")"; }
		[ "$(date +%s)" -lt "$deadline" ] ||
			gdie "guest $name: no fio server after ${boot_timeout}s (--timeout)"$'\n'"$(console_tail "$name")"
		sleep 0.2
	done
	printf '[probe]\nioengine=null\nsize=4k\nrw=read\n' > "$dir/probe.fio"
	fio_probe "$port" "$dir/probe.fio" ||
		gdie "guest $name: its fio server listens but runs no job (port $port)"$'\n'"$(console_tail "$name")"
	rm -f "$dir/probe.fio"
}

# Until the server answers, any exit (an error, Ctrl-C) stops the guest.
qpid='' booted=0
cleanup() {
	[ $booted = 0 ] || return 0
	[ -z "$qpid" ] || kill "$qpid" 2>/dev/null
	rm -f "$dir/state" "$dir/probe.fio"
}

parse_args "$@"
check_args
dir=$GDIR/$name
prepare
trap cleanup EXIT
trap 'gsay "interrupted: stopping $name"; exit 130' INT TERM HUP
start_ns=$(date +%s%N)
start_qemu
wait_up
boot_ms=$((($(date +%s%N) - start_ns) / 1000000))
boot_s=$((boot_ms / 1000)).$(printf %03d $((boot_ms % 1000)))
echo "boot_s=$boot_s" >> "$dir/state"
booted=1
echo "$name up in ${boot_s}s: fio --client=ip:127.0.0.1,$port ($accel, $cpus vCPU, disk $disk, logs $logs)"
