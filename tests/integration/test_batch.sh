#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: `vmlat batch` runs configs/loopback.conf (with this test's ports
# and directories) on two real fio servers, guest g1 fetched over ssh (a
# throwaway sshd on 127.0.0.1) and g2 through the local: route, into a
# complete, labeled tree: every cell has fio's JSON, one vmlat log of 100
# records tagged with its guest and labels, and the 2-VM cells ran beside
# g2 idle and beside g2's load, which outlived the cell.  A server killed
# mid-run is reported by guest and cell, g1's results are kept, the exit is
# 4; after a restart the same command runs only the missing cells.  Ctrl-C
# leaves no half cell; a server of another fio release stops the run
# before any cell.
. "$(dirname "$0")/../lib.sh"
need_root "sshd on a port of its own"
[ -x /usr/sbin/sshd ] || skip "no /usr/sbin/sshd (openssh-server)"

port1=$(( 20000 + RANDOM % 20000 ))
port2=$(( port1 + 1 ))
sshport=$(( port1 + 2 ))

# --- two fio servers, each in its own directory, its own process group ---
# start_server G PORT: (re)start guest G's server; its pgid in $T/G.pid
start_server() {
	mkdir -p "$T/$1/logs"
	[ -f "$T/$1/scratch" ] || truncate -s 2G "$T/$1/scratch"
	(cd "$T/$1" && exec setsid "$FIO" --server=ip:127.0.0.1,$2 >>"$T/$1.out" 2>&1) &
	echo $! > "$T/$1.pid"
	for _ in $(seq 50); do
		"$FIO" --client=127.0.0.1,$2 --parse-only /dev/null 2>&1 | grep -q '^hostname=' && return 0
		sleep 0.1
	done
	fail "fio server $1 did not start: $(cat "$T/$1.out")"
}
stop_server() { kill -9 -- -"$(cat "$T/$1.pid")" 2>/dev/null; wait "$(cat "$T/$1.pid")" 2>/dev/null; }
start_server g1 $port1
start_server g2 $port2
at_exit "stop_server g1; stop_server g2"

# --- sshd on 127.0.0.1 with throwaway keys; the system's sshd is untouched ---
S=$T/ssh
mkdir -p "$S"
ssh-keygen -q -t ed25519 -N '' -f "$S/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$S/id"
cp "$S/id.pub" "$S/authorized_keys"
echo "[127.0.0.1]:$sshport $(cut -d' ' -f1,2 "$S/host_key.pub")" > "$S/known_hosts"
cat > "$S/sshd_config" <<EOF
ListenAddress 127.0.0.1
HostKey $S/host_key
AuthorizedKeysFile $S/authorized_keys
PidFile $S/sshd.pid
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
Subsystem sftp /usr/lib/openssh/sftp-server
EOF
# sshd insists on its privilege separation directory; made only if missing
if [ ! -d /run/sshd ]; then mkdir -p /run/sshd; at_exit "rmdir /run/sshd"; fi
/usr/sbin/sshd -D -e -f "$S/sshd_config" -p $sshport 2>"$T/sshd.out" &
sshd=$!
at_exit "kill $sshd; wait $sshd"
for _ in $(seq 50); do
	ssh -o BatchMode=yes -o UserKnownHostsFile="$S/known_hosts" -i "$S/id" -p $sshport \
		root@127.0.0.1 true 2>/dev/null && break
	sleep 0.1
done

# --- the config: configs/loopback.conf with this test's ports and paths ---
# g1 is fetched over ssh, g2 through local:.  The alone matrix runs the
# load-2 read cell (1 s of warmup: time to kill a server in the middle).
sed -e "s|127.0.0.1:18765|127.0.0.1:$port1|; s|127.0.0.1:18766|127.0.0.1:$port2|" \
	-e "s|^engine = .*|engine = $ENGINE|" \
	-e "s|^route = local:build/loopback/g1/logs|route = ssh:root@127.0.0.1\\
ssh_option = Port=$sshport\\
ssh_option = IdentityFile=$S/id\\
ssh_option = UserKnownHostsFile=$S/known_hosts\\
ssh_option = StrictHostKeyChecking=yes|" \
	-e "/^\[guest g1\]/,/^\[/s|^log_dir = logs|log_dir = $T/g1/logs|" \
	-e "s|^route = local:build/loopback/g2/logs|route = local:$T/g2/logs|" \
	-e "s|^jobs = jobs/a-randread-4k-load0.fio jobs/a-randwrite-4k-load0.fio|jobs = jobs/a-randread-4k-load2.fio jobs/a-randwrite-4k-load0.fio|" \
	"$TOP/configs/loopback.conf" > "$T/test.conf"
grep -q "^route = ssh:" "$T/test.conf" && grep -q "load2" "$T/test.conf" &&
	grep -q "^log_dir = $T/g1/logs" "$T/test.conf" || fail "config not rewritten: $(cat "$T/test.conf")"
OUT=$T/out
cells="g1/a-randread-4k-load2 g1/a-randwrite-4k-load0 g2/a-randread-4k-load2 g2/a-randwrite-4k-load0
g1/a-randread-4k-load0+idle g1/a-randread-4k-load0+load-randread-4k"
cd "$TOP" || fail "no $TOP"

# batch [ARGS]: run in the background, stderr in $T/err; sets $bpid
batch() { "$VMLAT" batch --fio "$FIO" "$@" 2>"$T/err" & bpid=$!; }
# wait_line RE: until stderr has a line matching RE
wait_line() {
	for _ in $(seq 300); do grep -q "$1" "$T/err" && return 0; sleep 0.05; done
	fail "no line '$1' in: $(cat "$T/err")"
}

# --- run 1: g2's server dies during its first cell ---
batch -o "$OUT" "$T/test.conf"
wait_line '^\[3/6\] guest g2: a-randread-4k-load2'
sleep 0.6
stop_server g2
wait $bpid
rc=$?
[ $rc = 4 ] || fail "exit $rc after a server died, not 4: $(cat "$T/err")"
grep -q '^\[3/6\] guest g2: a-randread-4k-load2 \.\.\. FAILED: fio exit' "$T/err" ||
	fail "the cell in flight is not reported: $(cat "$T/err")"
grep -q '^vmlat: guest g2 went down during cell a-randread-4k-load2' "$T/err" ||
	fail "the guest is not named as down: $(cat "$T/err")"
grep -q '^\[4/6\] guest g2: a-randwrite-4k-load0 \.\.\. skipped: guest g2 unreachable' "$T/err" ||
	fail "g2's next cell not skipped: $(cat "$T/err")"
for c in g1/a-randread-4k-load2 g1/a-randwrite-4k-load0; do
	[ -f "$OUT/$c/complete" ] || fail "$c lost: $(cat "$T/err")"
done
ls -d "$OUT"/g2/a-* 2>/dev/null && fail "an incomplete g2 cell bears a cell's name"
[ -d "$OUT/g2/.a-randread-4k-load2.failed" ] || fail "the failed attempt is not kept"
[ "$(jq -r '[.cells[] | .status] | join(" ")' "$OUT/batch.json")" = \
	"complete complete failed failed failed failed" ] || fail "manifest: $(jq -c . "$OUT/batch.json")"
ok "a dead guest: its cell and guest named, exit 4, the other's cells kept"

# --- run 2: after a restart, only the missing cells run ---
start_server g2 $port2
before=$(stat -c %Y.%N "$OUT"/g1/a-randread-4k-load2/complete "$OUT"/g1/a-randwrite-4k-load0/complete)
batch -o "$OUT" "$T/test.conf"
wait $bpid || fail "rerun failed: $(cat "$T/err")"
[ "$(grep -c 'complete already$' "$T/err")" = 2 ] && [ "$(grep -c ' ok [0-9.]* s$' "$T/err")" = 4 ] ||
	fail "rerun did not run exactly the 4 missing cells: $(cat "$T/err")"
grep -q '^\[1/6\] guest g1: a-randread-4k-load2 \.\.\. complete already' "$T/err" || fail "progress: $(cat "$T/err")"
[ "$before" = "$(stat -c %Y.%N "$OUT"/g1/a-randread-4k-load2/complete "$OUT"/g1/a-randwrite-4k-load0/complete)" ] ||
	fail "complete cells were rewritten"
ok "rerun: 2 cells complete already, the 4 missing ones run"

# --- the results: complete, labeled, 100 records per log ---
for c in $cells; do
	d=$OUT/$c g=${c%%/*}
	[ -f "$d/complete" ] && [ -f "$d/job.fio" ] && [ -f "$d/labels" ] || fail "$c: incomplete: $(ls "$d")"
	jq -e '[.client_stats[] | select(.jobname == "'"$(basename "${c%%+*}")"'") | .error] == [0]' \
		"$d/fio.json" >/dev/null || fail "$c: fio.json: $(head -c 300 "$d/fio.json")"
	logs=("$d"/*.vmlat)
	[ ${#logs[@]} = 1 ] && [ -f "${logs[0]}" ] || fail "$c: ${#logs[@]} vmlat logs"
	[ "$(records "${logs[0]}")" = 100 ] || fail "$c: $(records "${logs[0]}") records"
	tags=$("$VMLAT" dump "${logs[0]}" | grep '^# tag\.')
	for t in guest=$g platform=loopback cores=2; do
		grep -qx "# tag.$t" <<<"$tags" || fail "$c: no tag $t in: $tags"
		grep -qx "$t" "$d/labels" || fail "$c: no label $t in $(cat "$d/labels")"
	done
	grep -v '^;' "$d/job.fio" | grep -q '^include' && fail "$c: an include left in job.fio"
	jq -e --arg c "${c#*/}" --arg g "$g" \
		'.cells[] | select(.cell == $c and .guest == $g) | .status == "complete" and .labels.platform == "loopback"' \
		"$OUT/batch.json" >/dev/null || fail "$c: not complete in batch.json"
done
ls -a "$OUT"/g1 "$OUT"/g2 | grep -q '\.tmp$' && fail "a temp dir is left"
ls "$T"/g1/logs/batch-*.a-randread-4k-load2.*.vmlat >/dev/null || fail "g1's logs are not on g1"
ok "6 cells: fio JSON, one vmlat log of 100 records each, labels and tags; g1's logs came by ssh"

# 2-VM cells: vms=2, the neighbour named; its load ran across the cell
d=$OUT/g1/a-randread-4k-load0+load-randread-4k
"$VMLAT" dump "$d"/*.vmlat | grep -qx '# tag.neighbour_load=load-randread-4k' || fail "no neighbour tag"
grep -qx 'vms=2' "$d/labels" && grep -qx 'neighbour=g2' "$d/labels" || fail "labels: $(cat "$d/labels")"
grep -qx 'neighbour_load=idle' "$OUT/g1/a-randread-4k-load0+idle/labels" || fail "idle cell label"
jq -e '[.client_stats[] | select(.jobname == "guest2-randread-4k-load" and .port == '$port2') |
	.read.total_ios > 1000 and .job_runtime >= 1000] | length == 2 and all' "$d/neighbour.json" >/dev/null ||
	fail "neighbour load: $(jq -c '[.client_stats[] | {jobname, port, ios: .read.total_ios, rt: .job_runtime}]' "$d/neighbour.json")"
ok "2-VM cells beside g2 idle and g2 loaded; the load ran over 1 s on g2"

# --- Ctrl-C in the middle of a cell: nothing half-done looks complete ---
batch -o "$T/int" "$T/test.conf"
wait_line '^\[1/6\] guest g1: a-randread-4k-load2'
sleep 0.6
kill -INT $bpid
wait $bpid
rc=$?
[ $rc = 130 ] || fail "exit $rc after SIGINT: $(cat "$T/err")"
grep -q 'interrupted, discarded' "$T/err" || fail "no word of the discarded cell: $(cat "$T/err")"
[ -z "$(ls -A "$T/int/g1")" ] || fail "left behind after SIGINT: $(ls -a "$T/int/g1")"
"$FIO" --client=127.0.0.1,$port1 --parse-only /dev/null 2>&1 | grep -q '^hostname=' || fail "g1's server died"
ok "SIGINT: exit 130, the cell discarded, the server fine"

# --- another fio release on a server: stopped before any cell ---
cat > "$T/fakefio" <<EOF
#!/bin/sh
# answers a probe the way a fio-9.99 server would be described
case "\$*" in *--parse-only*) "$FIO" "\$@" 2>&1 | sed 's/, fio=fio-[^,]*,/, fio=fio-9.99,/'; exit 0 ;; esac
exec "$FIO" "\$@"
EOF
chmod +x "$T/fakefio"
"$VMLAT" batch --fio "$T/fakefio" -o "$T/ver" "$T/test.conf" 2>"$T/err"
rc=$?
[ $rc = 2 ] || fail "exit $rc with another fio on the server: $(cat "$T/err")"
grep -q "^vmlat: guest g1 (127.0.0.1,$port1) runs fio-9.99, but this machine's fio is fio-" "$T/err" ||
	fail "message: $(cat "$T/err")"
ls -d "$T"/ver/g1 2>/dev/null && fail "a cell ran despite the version mismatch"
ok "another fio release on a guest: named, exit 2, nothing run"
