#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test_batch_conf.sh - `vmlat batch` configs, without any server: every
# mistake is named by file, line and what is wrong (exit 2) before anything
# runs; configs/example.conf and configs/loopback.conf parse and expand to
# the cells their comments promise; a dry run renders a job for its guest
# exactly as written below (the include replaced in place, the engine path,
# the labels appended to vmlat_tags).
. "$(dirname "$0")/../lib.sh"
cd "$TOP" || fail "no $TOP"

fails=0
# bad NAME EXPECTED_STDERR_LINE: the config on stdin must be refused so
bad() {
	local name=$1 want=$2 rc
	cat > "$T/$name.conf"
	"$VMLAT" batch --fio "$FIO" -n -o "$T/out-$name" "$T/$name.conf" >/dev/null 2>"$T/err"
	rc=$?
	want=${want//CONF/$T/$name.conf}
	if [ $rc != 2 ] || [ "$(cat "$T/err")" != "$want" ]; then
		echo "FAIL: $name: exit $rc, stderr:" >&2
		cat "$T/err" >&2
		echo "  wanted: $want" >&2
		fails=$((fails + 1))
	fi
}

# a valid guest, to build the bad configs from
G='[guest g1]
address = 10.0.0.1
target = /dev/vdb
log_dir = /var/tmp/vmlat
route = local:/srv/g1'

bad typo "vmlat: CONF:3: unknown key 'adress' in [guest g1] (known: address, route, engine, target, file, log_dir, ssh_option, option, label.KEY)" <<EOF
# a typo
[guest g1]
adress = 10.0.0.1
EOF
bad port "vmlat: CONF:2: address port = 99999: not a number from 1 to 65535" <<EOF
[guest g1]
address = 10.0.0.1:99999
EOF
bad noguest "vmlat: CONF:9: no [guest g2] in this file" <<EOF
$G

[matrix m]
jobs = jobs/a-randread-4k-load0.fio
guests = g1 g2
EOF
bad nojob "vmlat: CONF:9: no job file 'jobs/nope-*.fio' (paths are relative to the directory vmlat runs in)" <<EOF
$G

[matrix m]
guests = g1
jobs = jobs/a-randread-4k-load0.fio jobs/nope-*.fio
EOF
bad sshrel "vmlat: CONF:1: [guest g1]: log_dir = logs must be absolute with route ssh: (scp starts in the user's home, fio's server in its own directory)" <<EOF
[guest g1]
address = 10.0.0.1
target = /dev/vdb
log_dir = logs
route = ssh:root@10.0.0.1
[matrix m]
guests = g1
jobs = jobs/a-randread-4k-load0.fio
EOF
bad missing "vmlat: CONF:1: [guest g1] has no 'route'" <<EOF
[guest g1]
address = 10.0.0.1
target = /dev/vdb
log_dir = /var/tmp
[matrix m]
guests = g1
jobs = jobs/a-randread-4k-load0.fio
EOF
bad reserved "vmlat: CONF:6: label 'cell' is set by the job files or by batch" <<EOF
$G
label.cell = x
EOF
bad comma "vmlat: CONF:6: label.platform = kvm,xen: ',' not allowed in a label (it separates vmlat_tags)" <<EOF
$G
label.platform = kvm,xen
EOF
# fio rewrites these in the vmlat_tags= line (issue 11): refused, the character named
bad envvar "vmlat: CONF:6: label.disk = \${HOME}: '\$' not allowed in a label (fio would expand it)" <<EOF
$G
label.disk = \${HOME}
EOF
bad keyword "vmlat: CONF:6: label.cores = \$ncpus: '\$' not allowed in a label (fio would expand it)" <<EOF
$G
label.cores = \$ncpus
EOF
bad hash "vmlat: CONF:6: label.disk = raw#2: '#' not allowed in a label (fio would cut the line there)" <<EOF
$G
label.disk = raw#2
EOF
bad semicolon "vmlat: CONF:6: label.disk = a;b: ';' not allowed in a label (fio would cut the line there)" <<EOF
$G
label.disk = a;b
EOF
bad utf8 "vmlat: CONF:6: label.disk = µs: byte 0xc2 not allowed in a label (ASCII only: fio's client JSON may cut a UTF-8 character)" <<EOF
$G
label.disk = µs
EOF
bad control "vmlat: CONF:6: label.disk = a$(printf '\033')b: control character 0x1b not allowed in a label" <<EOF
$G
label.disk = a$(printf '\033')b
EOF
bad twice "vmlat: CONF:7: 'target' given twice in this section" <<EOF
$G
label.platform = kvm
target = /dev/vdc
EOF
bad section "vmlat: CONF:1: unknown section [guests g1] (known: [guest NAME], [matrix NAME], [batch])" <<EOF
[guests g1]
EOF
bad nomatrix "vmlat: CONF:5: no [matrix NAME] section: nothing to run" <<EOF
$G
EOF
bad self "vmlat: CONF:11: guest 'g1' cannot be its own neighbour" <<EOF
$G

[matrix m]
guests = g1
jobs = jobs/a-randread-4k-load0.fio
neighbour_load = idle
neighbour = g1
EOF
bad clash "vmlat: CONF:11: guest 'g1' would run cell 'a-randread-4k-load0' twice (also in [matrix m], line 7)" <<EOF
$G

[matrix m]
guests = g1
jobs = jobs/a-randread-4k-load0.fio

[matrix again]
guests = g1
jobs = jobs/a-*-4k-load0.fio
EOF
# the fig6 jobs include vmlat-file.inc: a guest without 'file' cannot run them
bad nofile "vmlat: CONF: cell fig6-randread-4k-load2-file of guest g1: jobs/fig6-randread-4k-load2-file.fio:21: includes vmlat-file.inc, but [guest g1] has no 'file'" <<EOF
$G

[matrix m]
guests = g1
jobs = jobs/fig6-randread-4k-load2-file.fio
EOF
# an include nothing on the server could resolve
printf '[global]\ninclude my-target.inc\n[j]\nrw=read\n' > "$T/own.fio"
bad include "vmlat: CONF: cell own of guest g1: $T/own.fio:2: 'include my-target.inc' cannot be sent to a fio server (batch replaces only vmlat-target.inc and vmlat-file.inc)" <<EOF
$G

[matrix m]
guests = g1
jobs = $T/own.fio
EOF
[ $fails = 0 ] || fail "$fails bad configs not reported as wanted"
ok "15 bad configs: file, line and what is wrong; exit 2"

"$VMLAT" batch --bogus 2>/dev/null; [ $? = 1 ] || fail "a bad option is not a usage error"
"$VMLAT" batch --help | grep -q '^usage: vmlat batch' || fail "no --help"
"$VMLAT" help batch | grep -q 'no authentication' || fail "--help does not warn of fio's open servers"
ok "usage errors exit 1; --help"

# The shipped configs: 94 and 6 cells, as their comments say.
"$VMLAT" batch --fio "$FIO" -n -o "$T/ex" configs/example.conf >"$T/cells" || fail "example.conf: $(cat "$T/cells")"
[ "$(wc -l <"$T/cells")" = 94 ] || fail "example.conf: $(wc -l <"$T/cells") cells"
[ "$(grep -c '+load-cpu	' "$T/cells")" = 18 ] || fail "example.conf: no 18 +load-cpu cells"
"$VMLAT" batch --fio "$FIO" -n -o "$T/lo" configs/loopback.conf >"$T/cells" || fail "loopback.conf: $(cat "$T/cells")"
[ "$(cut -f1,2,4 "$T/cells" | tr '\t\n' ' ;')" = "g1 a-randread-4k-load0 to run;g1 a-randwrite-4k-load0 to run;g2 a-randread-4k-load0 to run;g2 a-randwrite-4k-load0 to run;g1 a-randread-4k-load0+idle to run;g1 a-randread-4k-load0+load-randread-4k to run;" ] ||
	fail "loopback.conf cells: $(cat "$T/cells")"
ok "example.conf: 94 cells; loopback.conf: the 6 cells in order"

# Rendering, byte for byte: the job's lines but three.
r=$T/ex/.batch/render/kvm-2vm-a/a-randwrite-4k-load2+load-cpu.fio
diff <(tail -n +2 "$r") <(sed \
	-e 's|^ioengine=external:./engine/vmlat.so$|ioengine=external:/usr/local/lib/vmlat/vmlat.so|' \
	-e 's|^include vmlat-target.inc$|; vmlat batch: '"'"'include vmlat-target.inc'"'"' replaced by guest kvm-2vm-a'"'"'s lines\
filename=/dev/vdb\
vmlat_log_dir=/mnt/vmlat\
vmlat_log_name=dry-run.%j.%n.vmlat\
vmlat_allow_overwrite=1|' \
	-e 's|^\(vmlat_tags=.*\)$|\1,guest=kvm-2vm-a,platform=kvm,cores=2,vms=2,neighbour=kvm-2vm-b,neighbour_load=load-cpu|' \
	jobs/a-randwrite-4k-load2.fio) >"$T/diff" || fail "render: $(cat "$T/diff")"
head -1 "$r" | grep -qx '; Rendered by vmlat batch from jobs/a-randwrite-4k-load2.fio for guest kvm-2vm-a (192.168.122.13,8765).' ||
	fail "render header: $(head -1 "$r")"
# the neighbour's load: its own guest's disk, no tags to add
grep -qx 'filename=/dev/vdb' "$T/ex/.batch/render/kvm-2vm-a/a-randread-4k-load0+load-randread-4k.neighbour.fio" ||
	fail "neighbour render"
ok "a dry run renders the job for the guest, only the include, engine and tags changed"
