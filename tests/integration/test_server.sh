#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: under fio's client/server mode the engine runs in the server and
# writes its log in the server's working directory (not the client's), and
# the client still gets a valid JSON result.
. "$(dirname "$0")/../lib.sh"

mkdir -p "$T/client"
port=$(fio_server "$T/server")

cat > "$T/client/job.fio" <<JOB
[srv]
ioengine=external:$ENGINE
filename=$T/server/data
size=16M
rw=randread
bs=4k
number_ios=100
vmlat_tags=platform=loopback-server
JOB
(cd "$T/client" && "$FIO" --client=127.0.0.1,$port --output-format=json --output=out.json job.fio) ||
	fail "client run failed: $(cat "$T/client/out.json" "$T/server.out")"
[ -f "$T/server/srv.1.vmlat" ] || fail "no log in the server's directory: $(ls "$T/server")"
ls "$T/client"/*.vmlat >/dev/null 2>&1 && fail "log written on the client side"
[ "$(records "$T/server/srv.1.vmlat")" = 100 ] || fail "server log has $(records "$T/server/srv.1.vmlat") records"
"$VMLAT" dump "$T/server/srv.1.vmlat" | grep -qx '# tag.platform=loopback-server' || fail "tag missing"
jq -e '.client_stats[0].read.total_ios == 100' "$T/client/out.json" >/dev/null ||
	fail "client JSON: $(head -c 300 "$T/client/out.json")"
ok "server-side log with 100 records"
