#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# study.sh [--full] [-o DIR] [options] - Study A's conditions on this
# machine, end to end (what `make study` runs):
#
#   host       the host on a raw loop device      (Study A's bare metal)
#   host-file  the host on a file, through its page cache        (Fig. 6)
#   one-vcpu   a QEMU guest with 1 vCPU, alone             (1 core / 1 VM)
#   two-vcpu   a guest with 2 vCPUs, alone                 (2 cores / 1 VM)
#   two-vm     that guest beside a second one: idle, then running I/O
#              load, then CPU load (jobs/guest2)           (2 cores / 2 VMs)
#   xen-pv     only with --xen: a Xen PV domU with 1 vCPU, under Xen under
#              QEMU (scripts/guest/xen-run.sh)             (1 core / 1 VM)
#
# It fills configs/study-local.conf.in into DIR/study.conf, boots the
# guests each condition needs (scripts/guest/guest-up.sh) and no others,
# runs `vmlat batch` on that condition's part of the config, stops them,
# and ends with `vmlat report` over every log: DIR/report.txt, .md and
# .csv (the one for scripts)
# (and `vmlat plot` figures with DIR/plots/report.html, where this vmlat
# has plot).  The host runs through a fio server on 127.0.0.1 as the
# guests do, so every condition takes the same path and lands in one
# labeled tree.
#
#   -n, --dry-run   fill and check the config, write each condition's part
#                   into DIR/conf, list the cells (GROUP GUEST CELL JOB);
#                   boot, attach and run nothing (needs neither root nor QEMU)
#   --full          4, 16 and 32 KiB, and every jobs/guest2 load (default:
#                   4 KiB only, the neighbour idle, reading, spinning; in
#                   xen-pv, 4 KiB at loads 0 and 2)
#   --xen           add the xen-pv condition (`make study XEN=1`):
#                   configs/study-xen.conf.in, its cells run in the domU
#   -o, --out DIR   results (default build/study/run-DATE; build/study/latest
#                   links to the last one)
#   --only LIST     conditions to run, comma-separated (default: all but
#                   xen-pv): host, host-file, one-vcpu, two-vcpu, two-vm,
#                   xen-pv
#   --jobs GLOBS    the job files of each condition but host-file (fig6)
#                   (quoted, space-separated, from the repository root)
#   --disks DIR     where the disk images are kept (build/study/disks)
#   --sparse        leave new disk images sparse (tests: reads of holes do
#                   no disk I/O, so this measures nothing real)
#   --accel A       kvm, tcg or auto (guest-up.sh's; auto by default)
#   --boot-timeout S  seconds a guest may take to boot (240)
#   --prefix P      prefix of the QEMU guests' names (study-)
#
# Every wait has a deadline; Ctrl-C, an error or the end stop the guests
# this run started, its fio server and loop device.  Exit status: 0 all
# cells complete; 1 an error (a guest that does not boot, a missing
# package); 4 some cells failed (the report has the rest); 130 interrupted.
set -euo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VMLAT=$TOP/analysis/vmlat
# The engine and the fio it was built for (make check passes both; the
# guests' fio servers and the host's run this fio too).
ENGINE=${ENGINE:-$TOP/engine/vmlat.so}
GUEST=$TOP/scripts/guest
FIO=${FIO:-fio}
QEMU=${QEMU:-qemu-system-x86_64}
export LC_ALL=C

say() { echo "study: $*" >&2; }
die() { echo "study: error: $*" >&2; exit 1; }

usage() {
	sed -n '4,/^# package/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
	exit "${1:-0}"
}

dry=0 full=0 xen=0 out='' only='host,host-file,one-vcpu,two-vcpu,two-vm' jobs='' sparse=0
disks=$TOP/build/study/disks accel=auto boot_timeout=240 prefix=study- link_latest=0

parse_args() {
	while [ $# -gt 0 ]; do
		case $1 in
		-h | --help) usage 0 ;;
		--full) full=1; shift ;;
		--xen) xen=1; shift ;;
		-n | --dry-run) dry=1; shift ;;
		--sparse) sparse=1; shift ;;
		-o | --out | --only | --jobs | --disks | --accel | --boot-timeout | --prefix)
			[ $# -ge 2 ] || die "$1 needs a value (see --help)"
			case $1 in
			-o | --out) out=$2 ;; --only) only=$2 ;; --jobs) jobs=$2 ;;
			--disks) disks=$2 ;; --accel) accel=$2 ;; --boot-timeout) boot_timeout=$2 ;;
			--prefix) prefix=$2 ;;
			esac
			shift 2 ;;
		*) die "unknown argument '$1' (see --help)" ;;
		esac
	done
}

# wants COND: was condition COND asked for?
wants() { [[ ,$only, == *,$1,* ]]; }

check_args() {
	local c
	for c in ${only//,/ }; do
		case $c in host | host-file | one-vcpu | two-vcpu | two-vm | xen-pv) ;;
		*) die "--only: unknown condition '$c' (host, host-file, one-vcpu, two-vcpu, two-vm, xen-pv)" ;;
		esac
	done
	[ $xen = 0 ] || wants xen-pv || only=$only,xen-pv
	[[ $boot_timeout =~ ^[1-9][0-9]*$ ]] || die "--boot-timeout=$boot_timeout: not a positive number"
	[[ $prefix =~ ^[A-Za-z][A-Za-z0-9_-]{0,20}$ ]] || die "--prefix=$prefix: letters, digits, _ and - only"
	if [ -z "$out" ]; then
		out=$TOP/build/study/run-$(date +%Y%m%d-%H%M%S)
		[ $dry = 1 ] && out=$TOP/build/study/dry-run
		[ $dry = 1 ] || link_latest=1
	fi
	out=$(realpath -m -- "$out")
	disks=$(realpath -m -- "$disks")
	# These paths reach QEMU's options and the guest's kernel command line.
	[[ $out$disks =~ ^[A-Za-z0-9/._+-]+$ ]] || die "-o $out / --disks $disks: use letters, digits and / . _ + - only"
}

# check_tools: everything the run needs, before anything starts.
check_tools() {
	{ [ -x "$VMLAT" ] && [ -f "$ENGINE" ]; } || die "build first: make (no $VMLAT or $ENGINE)"
	command -v "$FIO" >/dev/null 2>&1 || die "'$FIO' is missing: apt-get install fio (or scripts/deps.sh)"
	if needs_guests && ! command -v "$QEMU" >/dev/null 2>&1; then
		"$TOP/scripts/deps.sh" guests >&2 || true
		command -v "$QEMU" >/dev/null 2>&1 ||
			die "'$QEMU' is missing: apt-get install qemu-system-x86 (or run scripts/deps.sh guests as root)"
	fi
	if wants xen-pv && ! command -v debugfs >/dev/null 2>&1; then
		"$TOP/scripts/deps.sh" xen >&2 || true
		command -v debugfs >/dev/null 2>&1 || die "'debugfs' is missing: apt-get install e2fsprogs (or scripts/deps.sh xen)"
	fi
	if wants host; then
		[ "$(id -u)" = 0 ] || die "the host condition needs root (losetup); run as root or --only without host"
		command -v losetup >/dev/null 2>&1 || die "'losetup' is missing: apt-get install mount"
	fi
}
needs_guests() { wants one-vcpu || wants two-vcpu || wants two-vm || wants xen-pv; }

# free_port: a 127.0.0.1 port nothing listens on and not given yet, in
# REPLY (not printed: a $(...) subshell would forget what it gave).
given_ports=' '
free_port() {
	local p i
	for ((i = 0; i < 50; i++)); do
		p=$((20000 + RANDOM % 20000))
		[[ $given_ports == *" $p "* ]] && continue
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && continue
		given_ports+="$p "
		REPLY=$p
		return
	done
	die "no free port on 127.0.0.1 after 50 tries"
}

# pick_ports: the host's fio server's and each guest's forwarded port.
declare -A port
pick_ports() {
	local g
	free_port
	host_port=$REPLY
	for g in vm1c vm2c vm2nb xenpv; do
		free_port
		port[$g]=$REPLY
	done
}

# make_disk FILE: a 16 GiB image whose first 2 GiB (all the jobs touch)
# hold written data, not holes: a hole is read without any disk I/O.
# Kept across runs; --sparse leaves it all holes.
make_disk() {
	local f=$1
	[ -s "$f" ] && [ ! -e "$f.partial" ] && return
	mkdir -p "$(dirname "$f")"
	: > "$f.partial"
	if [ $sparse = 0 ]; then
		say "writing the first 2 GiB of $f (once; kept for later runs)"
		timeout 600 dd if=/dev/zero of="$f" bs=4M count=512 oflag=direct conv=notrunc status=none ||
			die "cannot write $f (disk full?)"
	fi
	truncate -s 16G "$f" || die "cannot size $f"
	rm -f "$f.partial"
}

# config_subset CONF MATRIX...: CONF with only its [batch], the named
# [matrix] sections and the [guest] sections those name (guests=,
# neighbour=): the part of the study that runs while just those guests
# are up.
config_subset() {
	local conf=$1
	shift
	awk -v want=" $* " '
	function name(s) { s = $2; sub(/\].*/, "", s); return s }
	NR == FNR {
		if (/^\[/) sel = ($1 == "[matrix" && index(want, " " name() " "))
		else if (sel && ($1 == "guests" || $1 == "neighbour") && $2 == "=")
			for (i = 3; i <= NF; i++) g[$i] = 1
		next
	}
	/^\[/ {
		started = 1
		keep = $1 == "[batch]" || ($1 == "[guest" && name() in g) ||
			($1 == "[matrix" && index(want, " " name() " "))
	}
	keep || !started' "$conf" "$conf"
}

# fill_config: the template with this run's ports, paths and jobs.
fill_config() {
	local jobs_a file_jobs nb_loads timeout
	if [ $full = 1 ]; then
		jobs_a='jobs/a-*.fio' nb_loads="idle $(cd "$TOP" && echo jobs/guest2/*.fio)" timeout=$(cell_timeout)
	else
		jobs_a='jobs/a-*-4k-*.fio' timeout=$(cell_timeout)
		nb_loads='idle jobs/guest2/load-randread-4k.fio jobs/guest2/load-cpu.fio'
	fi
	file_jobs='jobs/fig6-*.fio'
	printf '# Made by scripts/study.sh on %s from configs/study-local.conf.in,\n' "$(date -u +%FT%TZ)"
	printf '# with the ports, paths and jobs of that run filled in.\n'
	[ -z "$jobs" ] || jobs_a=$jobs
	sed -e "s|@TOP@/engine/vmlat.so|$ENGINE|g" \
		-e "s|@TOP@|$TOP|g; s|@LOGS@|$out/logs|g; s|@HOST_PORT@|$host_port|g" \
		-e "s|@LOOP_DEV@|${loop_dev:-/dev/null}|g; s|@LOOP_KIND@|$loop_kind|g" \
		-e "s|@HOST_FILE@|$disks/host-file|g; s|@HOST_CPUS@|$(nproc)|g" \
		-e "s|@PORT_VM1C@|${port[vm1c]}|g; s|@PORT_VM2C@|${port[vm2c]}|g; s|@PORT_VM2NB@|${port[vm2nb]}|g" \
		-e "s|@JOBS@|$jobs_a|g; s|@FILE_JOBS@|$file_jobs|g; s|@NB_LOADS@|$nb_loads|g" \
		-e "s|@SETTLE@|3|g; s|@TIMEOUT@|$timeout|g" \
		"$TOP/configs/study-local.conf.in"
}

# cell_timeout: the seconds batch (and the domU) give one cell.
cell_timeout() { if [ $full = 1 ]; then echo 600; else echo 300; fi; }

# fill_xen_config: the xen-pv condition's config (configs/study-xen.conf.in).
fill_xen_config() {
	local xj='jobs/a-*-4k-load[02].fio'
	[ $full = 0 ] || xj='jobs/a-*.fio'
	[ -z "$jobs" ] || xj=$jobs
	printf '# Made by scripts/study.sh on %s from configs/study-xen.conf.in.\n' "$(date -u +%FT%TZ)"
	sed -e "s|@TOP@|$TOP|g; s|@LOGS@|$out/logs|g; s|@PORT_XENPV@|${port[xenpv]}|g" \
		-e "s|@XEN_JOBS@|$xj|g; s|@SETTLE@|3|g; s|@TIMEOUT@|$(cell_timeout)|g" \
		"$TOP/configs/study-xen.conf.in"
}

# --- the host: a loop device and a fio server on 127.0.0.1 ---------------

loop_dev='' loop_kind=raw-loop host_pid=''
# attach_loop: a loop device over the host-raw image, doing direct I/O to
# it where the file system allows (no host page cache in between, as on a
# raw disk); the kernel's own word (sysfs loop/dio) sets the label.
attach_loop() {
	local img=$disks/host-raw.img
	loop_dev=$(losetup --find --show --direct-io=on "$img" 2>/dev/null) ||
		loop_dev=$(losetup --find --show "$img") || die "losetup cannot attach $img"
	if [ "$(cat "/sys/block/${loop_dev#/dev/}/loop/dio" 2>/dev/null)" != 1 ]; then
		loop_kind=raw-loop-cached
		say "$loop_dev: no direct I/O to $img here; the host's page cache sits under this 'raw' device"
	fi
	say "host: $loop_dev over $img ($loop_kind)"
}

# start_host_server: the host's fio server, in a session of its own (so a
# Ctrl-C reaches the batch, which stops its jobs, and not the server).
start_host_server() {
	local d=$out/host-server deadline
	mkdir -p "$d" "$out/logs/host"
	(cd "$d" && exec setsid "$FIO" --server="ip:127.0.0.1,$host_port") >"$d/fio-server.log" 2>&1 &
	host_pid=$!
	deadline=$(($(date +%s) + 20))
	until timeout -k 2 10 "$FIO" --client="127.0.0.1,$host_port" --parse-only /dev/null 2>&1 |
		grep -q '^hostname='; do
		kill -0 "$host_pid" 2>/dev/null || die "the host's fio server exited: $(tail -n 3 "$d/fio-server.log")"
		[ "$(date +%s)" -lt "$deadline" ] || die "the host's fio server on 127.0.0.1:$host_port does not answer after 20 s"
		sleep 0.2
	done
	say "host: fio server on 127.0.0.1:$host_port; vmlat detect says $(detect_words "$("$VMLAT" detect)")"
	"$VMLAT" detect > "$out/guests/host.detect" 2>&1 || true
}

stop_host_server() {
	[ -n "$host_pid" ] || return 0
	kill -- "-$host_pid" 2>/dev/null || true
	wait "$host_pid" 2>/dev/null || true
	host_pid=''
}

detach_loop() {
	[ -n "$loop_dev" ] || return 0
	losetup -d "$loop_dev" 2>/dev/null || say "cannot detach $loop_dev (losetup -d $loop_dev)"
	loop_dev=''
}

# detect_words TEXT: "vm=X, container=Y" from vmlat detect's output.
detect_words() {
	printf 'vm=%s, container=%s' "$(sed -n 's/^platform.vm=//p' <<<"$1")" \
		"$(sed -n 's/^platform.container=//p' <<<"$1")"
}

# --- the guests -----------------------------------------------------------

started=()
# guest_up NAME CPUS DISK: boot config guest NAME as QEMU guest PREFIX+NAME.
guest_up() {
	local q=$prefix$1 rc=0 det pid
	# Another run's guest of that name is not ours to stop on exit.
	pid=$(sed -n 's/^pid=//p' "$gdir/$q/state" 2>/dev/null || true)
	[ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null ||
		die "guest $q is running already (another make study?): scripts/guest/guest-down.sh $q stops it"
	started+=("$q")
	say "booting guest $q: $2 vCPU, disk $3 (up to ${boot_timeout}s)"
	"$GUEST/guest-up.sh" "$q" --cpus "$2" --disk "$3" --port "${port[$1]}" \
		--logs "$out/logs/$1" --accel "$accel" --timeout "$boot_timeout" >&2 || rc=$?
	[ $rc = 130 ] && exit 130
	[ $rc = 0 ] || die "guest $q did not come up (guest-up.sh says why above)"
	det=$gdir/$q/out/detect.txt
	cp "$det" "$out/guests/$q.detect" 2>/dev/null || true
	cp "$gdir/$q/state" "$out/guests/$q.state" 2>/dev/null || true
	[ -s "$det" ] || die "guest $q wrote no vmlat detect output ($det)"
	say "guest $q: vmlat detect in the guest says $(detect_words "$(cat "$det")")"
}

guest_down() {
	local q=$prefix$1
	"$GUEST/guest-down.sh" "$q" >&2 || say "cannot stop guest $q"
	cp "$gdir/$q/console.log" "$out/guests/$q.console.log" 2>/dev/null || true
}

# --- the Xen PV domU -------------------------------------------------------

# run_xen: the xen-pv cells, rendered by `vmlat batch -n` from its config,
# run in one boot of Xen, dom0 and the domU (configs/study-xen.conf.in says
# why not through a fio server), then filed as batch files its cells.
run_xen() {
	local conf=$out/conf/xen-pv.conf r=$tmpd/xen-render list=$tmpd/xen-cells g cell job st n=0 rc=0
	(cd "$TOP" && "$VMLAT" batch -n -o "$r" "$conf") > "$tmpd/xen-plan" || die "$conf does not check out"
	: > "$list"
	while IFS=$'\t' read -r g cell job st; do
		# each cell's logs in a directory of its own on the domU's disk
		sed -e "s|^vmlat_log_dir=.*|vmlat_log_dir=/vmlat/out/$cell|" \
			-e "s|^vmlat_log_name=dry-run\.|vmlat_log_name=xen-pv.|" \
			"$r/.batch/render/$g/$cell.fio" > "$tmpd/xen-$cell.fio"
		echo "$cell $tmpd/xen-$cell.fio" >> "$list"
		n=$((n + 1))
	done < "$tmpd/xen-plan"
	say "== xen-pv: Xen, a PV dom0 and domU ${prefix}xenpv (1 vCPU, disk $disks/vm-x.img) for $n cells in one boot"
	"$GUEST/xen-run.sh" "${prefix}xenpv" --cpus 1 --disk "$disks/vm-x.img" --cells "$list" \
		--out "$out/xen-run" --accel "$accel" --cell-timeout "$(cell_timeout)" \
		--timeout $((2 * boot_timeout + n * $(cell_timeout))) >&2 || rc=$?
	[ $rc = 130 ] && exit 130
	[ $rc = 0 ] || die "the Xen PV domU did not run its cells (xen-run.sh says why above)"
	cp "$out/xen-run/detect.txt" "$out/guests/${prefix}xenpv.detect" 2>/dev/null || true
	cp "$out/xen-run/dom0-detect.txt" "$out/guests/${prefix}xenpv-dom0.detect" 2>/dev/null || true
	say "guest ${prefix}xenpv: vmlat detect in the domU says $(detect_words "$(cat "$out/xen-run/detect.txt" 2>/dev/null)"); in dom0: $(head -n 1 "$out/xen-run/dom0-detect.txt" 2>/dev/null)"
	file_xen "$n" < "$tmpd/xen-plan"
}

# file_xen N < PLAN: each cell as batch leaves one (results/xen-pv/GUEST/
# CELL: job.fio, fio.json, the log, labels, complete); a cell whose fio
# failed or left no log goes to .CELL.failed and the run ends with exit 4.
file_xen() {
	local g cell job st i=0 d src fails=0
	while IFS=$'\t' read -r g cell job st; do
		i=$((i + 1))
		src=$out/xen-run/$cell d=$out/results/xen-pv/$g/$cell
		rm -rf "$d" "$out/results/xen-pv/$g/.$cell.failed"
		mkdir -p "$d"
		cp "$tmpd/xen-$cell.fio" "$d/job.fio"
		cp "$src"/fio.json "$src"/fio.err "$src"/*.vmlat "$d/" 2>/dev/null || true
		{
			printf 'guest=%s\naddress=%s\n' "$g" "127.0.0.1,${port[xenpv]}"
			sed -n 's/^label\.\([a-z_]*\) = /\1=/p' "$out/conf/xen-pv.conf"
			printf 'matrix=xen-pv\ncell=%s\njob=%s\nfio_version=%s\n' "$cell" "$job" "$("$FIO" --version)"
		} > "$d/labels"
		if [ "$(cat "$src/rc" 2>/dev/null)" = 0 ] && ls "$d"/*.vmlat >/dev/null 2>&1; then
			: > "$d/complete"
			say "[$i/$1] guest $g: $cell ... ok (in the domU)"
		else
			mv "$d" "$out/results/xen-pv/$g/.$cell.failed"
			say "[$i/$1] guest $g: $cell ... FAILED: fio exit $(cat "$src/rc" 2>/dev/null || echo '?'): $(tail -n 2 "$src/fio.err" 2>/dev/null)"
			fails=$((fails + 1))
		fi
	done
	[ $fails = 0 ] || incomplete+=(xen-pv)
}

# --- the runs ---------------------------------------------------------------

incomplete=()
# run_group GROUP MATRIX...: vmlat batch on those matrices into results/GROUP.
run_group() {
	local group=$1 rc=0 conf=$out/conf/$1.conf
	shift
	config_subset "$out/study.conf" "$@" > "$conf"
	say "== $group: vmlat batch -o $out/results/$group $conf"
	(cd "$TOP" && "$VMLAT" batch --fio "$FIO" -o "$out/results/$group" "$conf") || rc=$?
	case $rc in
	0) ;;
	4) incomplete+=("$group") ;;
	130) exit 130 ;;
	*) die "vmlat batch stopped with exit $rc on $conf" ;;
	esac
}

# vmlat_logs: every cell's log (not those of failed attempts, in .CELL.failed).
vmlat_logs() {
	find "$out/results" -name '*.vmlat' -not -path '*/.*' | sort
}

REPORT_COLS=platform,layer,disk,cores,vms,neighbour_load
# report: tables in text, Markdown and CSV (for scripts: no layout); each cell against the host's raw
# device when the host ran (Study A's question: what does the hypervisor
# change), and the figures where this vmlat has `plot`.
report() {
	local logs base=() f
	mapfile -t logs < <(vmlat_logs)
	[ ${#logs[@]} -gt 0 ] || die "no vmlat log in $out/results: no cell completed"
	wants host && base=(--baseline "layer=host,disk=$loop_kind")
	for f in text:txt markdown:md csv:csv; do
		"$VMLAT" report --cols "$REPORT_COLS" ${base[@]+"${base[@]}"} --format "${f%:*}" \
			"${logs[@]}" > "$out/report.${f#*:}" || die "vmlat report failed (exit $?)"
	done
	# Optional: vmlat plot, where this build has it.
	if "$VMLAT" plot --help >/dev/null 2>&1; then
		mapfile -t logs < <(plot_args)
		"$VMLAT" plot -o "$out/plots" --html "${logs[@]}" >&2 ||
			say "vmlat plot failed (exit $?); the tables are complete"
	fi
}

# plot_args: every log, each after a --label vms=... that folds the rest of
# its condition into the one label vmlat plot's figures group by besides
# platform and cores (vms=2-load-cpu: 2 VMs, the neighbour spinning;
# vms=0-file: the host's file), so that no two conditions share a bar.
plot_args() {
	local f l v nl
	while read -r f; do
		l=$(dirname "$f")/labels
		v=$(sed -n 's/^vms=//p' "$l") nl=$(sed -n 's/^neighbour_load=//p' "$l")
		[ -z "$nl" ] || v=$v-$nl
		! grep -qx 'disk=file' "$l" || v=$v-file
		printf '%s\n' --label "vms=$v" "$f"
	done < <(vmlat_logs)
}

# --- cleanup on every exit path ----------------------------------------------

tmpd=''
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
	local rc=$? g
	trap '' INT TERM HUP
	for g in ${started[@]+"${started[@]}"}; do
		"$GUEST/guest-down.sh" "$g" >/dev/null 2>&1 || say "cannot stop guest $g: scripts/guest/guest-down.sh $g"
	done
	stop_host_server
	detach_loop
	[ -z "$tmpd" ] || rm -rf "$tmpd"
	exit "$rc"
}

# prepare: directories, ports, disks and the config, checked by a dry run
# of the whole study before anything boots.
prepare() {
	mkdir -p "$out"/{logs,results,conf,guests} "$(dirname "$out")"
	[ $link_latest = 0 ] || ln -sfn "$out" "$TOP/build/study/latest"
	tmpd=$(mktemp -d /tmp/vmlat-study.XXXXXX)
	pick_ports
	if wants host || wants host-file; then mkdir -p "$out/logs/host"; fi
	wants host && make_disk "$disks/host-raw.img"
	wants host-file && make_disk "$disks/host-file"
	if wants one-vcpu || wants two-vcpu || wants two-vm; then make_disk "$disks/vm-a.img"; fi
	wants two-vm && make_disk "$disks/vm-b.img"
	wants xen-pv && make_disk "$disks/vm-x.img"
	wants host && attach_loop
	fill_config > "$out/study.conf"
	(cd "$TOP" && "$VMLAT" batch --fio "$FIO" -n -o "$tmpd/dry" "$out/study.conf") > "$tmpd/cells" ||
		die "$out/study.conf does not check out (vmlat batch -n, above)"
	if wants xen-pv; then
		fill_xen_config > "$out/conf/xen-pv.conf"
		(cd "$TOP" && "$VMLAT" batch -n -o "$tmpd/dry-xen" "$out/conf/xen-pv.conf") > /dev/null ||
			die "$out/conf/xen-pv.conf does not check out (vmlat batch -n, above)"
	fi
}

# count MATRIX...: how many cells those matrices have (from the dry run).
count() {
	local conf=$tmpd/count.conf
	config_subset "$out/study.conf" "$@" > "$conf"
	(cd "$TOP" && "$VMLAT" batch --fio "$FIO" -n -o "$tmpd/dry-count" "$conf") 2>/dev/null | wc -l
}

# groups: the batch runs of the conditions asked for, one line each:
# GROUP MATRIX...  (the host's two conditions share its one fio server).
groups() {
	local m=''
	wants host && m=host
	wants host-file && m="$m host-file"
	[ -z "$m" ] || echo "host $m"
	wants one-vcpu && echo one-vcpu one-vcpu
	wants two-vcpu && echo two-vcpu two-vcpu
	wants two-vm && echo two-vm two-vm
	return 0
}

# dry_run: the config and each group's part of it, and the cells, on stdout.
dry_run() {
	local group ms
	mkdir -p "$out/conf"
	tmpd=$(mktemp -d /tmp/vmlat-study.XXXXXX)
	pick_ports
	fill_config > "$out/study.conf"
	(cd "$TOP" && "$VMLAT" batch --fio "$FIO" -n -o "$tmpd/dry" "$out/study.conf") > /dev/null ||
		die "$out/study.conf does not check out (vmlat batch -n, above)"
	while read -r group ms; do
		# shellcheck disable=SC2086 # ms: matrix names
		config_subset "$out/study.conf" $ms > "$out/conf/$group.conf"
		(cd "$TOP" && "$VMLAT" batch --fio "$FIO" -n -o "$tmpd/dry-$group" "$out/conf/$group.conf") | sed "s/^/$group\t/" ||
			die "$out/conf/$group.conf does not check out"
	done < <(groups)
	if wants xen-pv; then
		fill_xen_config > "$out/conf/xen-pv.conf"
		(cd "$TOP" && "$VMLAT" batch -n -o "$tmpd/dry-xen" "$out/conf/xen-pv.conf") | sed "s/^/xen-pv\t/" ||
			die "$out/conf/xen-pv.conf does not check out"
	fi
	say "dry run ($(size_words)): config in $out/study.conf, each group's part in $out/conf"
}

size_words() {
	if [ $full = 1 ]; then echo "full: 4, 16 and 32 KiB"; else echo "reduced: 4 KiB only; FULL=1 adds 16 and 32 KiB"; fi
}

run_all() {
	local n=0 total group ms
	while read -r group ms; do
		# shellcheck disable=SC2086 # ms: matrix names
		n=$((n + $(count $ms)))
	done < <(groups)
	if wants xen-pv; then
		n=$((n + $( (cd "$TOP" && "$VMLAT" batch -n -o "$tmpd/dry-xen" "$out/conf/xen-pv.conf") 2>/dev/null | wc -l)))
	fi
	total=$(tr ',' '\n' <<<"$only" | wc -l)
	say "$n cells in $total conditions ($(size_words)); results in $out"
	if wants host || wants host-file; then
		start_host_server
		# shellcheck disable=SC2046 # the group and its matrices
		run_group $(groups | grep '^host ')
		stop_host_server
		detach_loop
	fi
	if wants one-vcpu; then
		guest_up vm1c 1 "$disks/vm-a.img"
		run_group one-vcpu one-vcpu
		guest_down vm1c
	fi
	if wants two-vcpu || wants two-vm; then
		guest_up vm2c 2 "$disks/vm-a.img"
		! wants two-vcpu || run_group two-vcpu two-vcpu
		if wants two-vm; then
			guest_up vm2nb 2 "$disks/vm-b.img"
			run_group two-vm two-vm
			guest_down vm2nb
		fi
		guest_down vm2c
	fi
	# last, and alone: Xen under TCG takes both cores
	if wants xen-pv; then run_xen; fi
}

main() {
	local t0 secs
	t0=$(date +%s)
	parse_args "$@"
	check_args
	if [ $dry = 1 ]; then
		[ -x "$VMLAT" ] || die "build first: make (no $VMLAT)"
		trap cleanup EXIT
		dry_run
		exit 0
	fi
	check_tools
	gdir=${VMLAT_GUEST_DIR:-$TOP/build/guest}
	trap cleanup EXIT
	trap 'say "interrupted: stopping the guests, server and loop device of this run"; exit 130' INT TERM HUP
	prepare
	run_all
	say "== report: vmlat report over $(vmlat_logs | wc -l) logs"
	report
	secs=$(($(date +%s) - t0))
	cat "$out/report.txt"
	echo
	echo "study: done in $((secs / 60)) min $((secs % 60)) s; report: $out/report.txt (and .md)"
	[ ! -f "$out/plots/report.html" ] || echo "study: figures and HTML: $out/plots/report.html"
	if [ ${#incomplete[@]} -gt 0 ]; then
		say "some cells did not complete in: ${incomplete[*]} (see $out/results/GROUP/batch.json; the report has the rest)"
		exit 4
	fi
}

# On one line: bash has read the exit before main runs, so a copy of this
# file changed during a run cannot feed the running shell new lines.
main "$@"; exit
