#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves what README says of joining vmlat logs with fio's own per-IO logs
# by issue time (fio 3.38+, log_issue_time=1; skipped, and says so, on an
# older fio):
# - issue_ns equals the issue-time column of fio's clat log, IO by IO,
#   while fio's lat log has 0 there for every IO (fio's design);
# - through fio's client/server mode fio's own log with log_issue_time=1
#   comes back to the client short of lines (the server never fills in the
#   log's log_offset/log_issue_time, so the client sizes its buffer too
#   small), while the vmlat log, written on the server, has every IO.
. "$(dirname "$0")/../lib.sh"

"$FIO" --cmdhelp=log_issue_time 2>&1 | grep -q 'issue time' ||
	skip "$("$FIO" --version) has no log_issue_time (fio 3.38+)"
dd if=/dev/zero of="$T/data" bs=1M count=8 status=none
job() { # N: a job file of N random reads with fio's per-IO logs
	printf '[c]\nioengine=external:%s\nfilename=%s\nsize=8M\nrw=randread\nbs=4k\n' "$ENGINE" "$T/data"
	printf 'number_ios=%s\nrandseed=7\nwrite_lat_log=fio\nlog_offset=1\nlog_issue_time=1\nvmlat_probes=0\n' "$1"
}
# the issue times of fio's log FILE (7th column) / of a vmlat log FILE
fio_issue() { awk -F', *' '{ print $7 }' "$1"; }
vmlat_issue() { "$VMLAT" dump "$1" | grep -v '^#' | tail -n +2 | cut -d, -f5; }

mkdir "$T/alone"
job 100 > "$T/alone/job.fio"
(cd "$T/alone" && "$FIO" --eta=never --output=/dev/null job.fio) || fail "standalone run failed"
vmlat_issue "$T/alone/c.1.vmlat" > "$T/alone/vmlat.issue"
[ "$(wc -l < "$T/alone/vmlat.issue")" = 100 ] || fail "not 100 records"
fio_issue "$T/alone/fio_clat.1.log" | diff - "$T/alone/vmlat.issue" > "$T/diff" ||
	fail "issue_ns differs from fio's clat log: $(head -5 "$T/diff")"
[ "$(fio_issue "$T/alone/fio_lat.1.log" | sort -u)" = 0 ] || fail "fio's lat log has issue times other than 0"
ok "issue_ns = the clat log's issue time for all 100 IOs; the lat log's is 0"

port=$(fio_server "$T/srv")
mkdir "$T/cl"
job 200 > "$T/cl/job.fio"
(cd "$T/cl" && "$FIO" --client=127.0.0.1,$port job.fio > out 2>&1) || fail "client run failed: $(cat "$T/cl/out")"
[ "$(records "$T/srv/c.1.vmlat")" = 200 ] || fail "vmlat log on the server: $(records "$T/srv/c.1.vmlat") records, want 200"
got=$(wc -l < "$T/cl/fio_clat.1.log.127.0.0.1") || fail "no clat log came back to the client"
[ "$got" -lt 200 ] || fail "fio's client got all 200 lines of its clat log: fio fixed it, update README"
ok "client/server: vmlat's log has all 200 IOs; fio's clat log came back with $got lines"
