#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: `vmlat report` reads what the real fio writes, standalone and
# through fio's client/server mode on loopback: fio's per-IO logs (plain,
# and with log_offset=1 and log_prio=1), its JSON and JSON+, and the
# vmlat engine's log.  The reference is fio's own JSON of the same run:
# n equals number_ios, and min/max of a clat or lat log equal fio's
# clat_ns/lat_ns min/max exactly (fio computes both from the same ns
# values); from JSON+ bins they agree within fio's bucket error (1/64).
. "$(dirname "$0")/../lib.sh"

cat >"$T/job.fio" <<JOB
[global]
ioengine=psync
filename=$T/data
size=4m
bs=4k
rw=randread
number_ios=200
write_lat_log=JOBNAME
[plain]
write_lat_log=plain
[offprio]
write_lat_log=offprio
log_offset=1
log_prio=1
JOB

# field FILE.csv COLUMN WHERE: one column of `vmlat report --format csv`
field() {
	awk -F, -v col="$2" -v where="$3" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["file"] ~ where { print $c[col] }' "$1"
}

# json_stat FILE.json JOB METRIC KEY: fio's number
json_stat() {
	jq -r --arg j "$2" "(.jobs // .client_stats)[] | select(.jobname == \$j) | .read.$3_ns.$4" "$1"
}

# check_log CSV LOG JSON JOB METRIC WANT_N
check_log() {
	local n min max
	n=$(field "$1" n "$2")
	min=$(field "$1" min_ns "$2")
	max=$(field "$1" max_ns "$2")
	[ "$n" = "$6" ] || fail "$2: n=$n, want $6"
	[ "$min" = "$(json_stat "$3" "$4" "$5" min)" ] || fail "$2: min $min, fio says $(json_stat "$3" "$4" "$5" min)"
	[ "$max" = "$(json_stat "$3" "$4" "$5" max)" ] || fail "$2: max $max, fio says $(json_stat "$3" "$4" "$5" max)"
	ok "$2: n=$n, min and max as in fio's JSON"
}

# within_bucket A B: |A - B| <= B/64
within_bucket() {
	awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= b / 64) }'
}

standalone() {
	mkdir -p "$T/sa" && cd "$T/sa" || exit 1
	"$FIO" --eta=never --output-format=json+ --output=plus.json "$T/job.fio" ||
		fail "fio run: $(cat plus.json)"
	"$VMLAT" report --rows file,job,metric --cols '' --format csv . >r.csv 2>r.err ||
		fail "report exit $?: $(cat r.err)"
	grep -q 'plain_slat.1.log' r.err && fail "empty slat log reported as a problem: $(cat r.err)"
	check_log r.csv 'plain_clat\.1\.log$' plus.json plain clat 200
	check_log r.csv 'plain_lat\.1\.log$' plus.json plain lat 200
	check_log r.csv 'offprio_clat\.2\.log$' plus.json offprio clat 200
	local n min max
	n=$(awk -F, '$1 ~ /plus.json/ && $2 == "plain" { print $4 }' r.csv)
	min=$(awk -F, '$1 ~ /plus.json/ && $2 == "plain" { print $5 }' r.csv)
	max=$(awk -F, '$1 ~ /plus.json/ && $2 == "plain" { print $7 }' r.csv)
	[ "$n" = 200 ] || fail "JSON+: n=$n"
	within_bucket "$min" "$(json_stat plus.json plain clat min)" || fail "JSON+: min $min"
	within_bucket "$max" "$(json_stat plus.json plain clat max)" || fail "JSON+: max $max"
	ok "JSON+ bins: n=200, min and max within 1/64"
	"$FIO" --eta=never --output-format=json --output=plain.json "$T/job.fio" >/dev/null
	"$VMLAT" report --rows file,job --cols '' --format csv plain.json >p.csv || fail "plain JSON"
	[ "$(awk -F, '$2 == "plain" { print $3 "," $4 "," $6 }' p.csv)" = \
	  "200,$(json_stat plain.json plain clat min),$(json_stat plain.json plain clat max)" ] ||
		fail "plain JSON summary: $(cat p.csv)"
	[ "$(awk -F, '$2 == "plain" { print $8 }' p.csv)" = \
	  "$(jq -r '.jobs[] | select(.jobname == "plain") | .read.clat_ns.percentile["50.000000"]' plain.json)" ] ||
		fail "plain JSON: median is not fio's 50th percentile"
	ok "plain JSON: fio's summary as is"
}

# fio 3.33's client writes received logs with nr_samples * sizeof(struct
# io_sample) bytes (client.c), so a log_offset=1 log loses its last fifth:
# only the plain job is compared through the server.
client_server() {
	local port
	mkdir -p "$T/client"
	port=$(fio_server "$T/server")
	cd "$T/client" || exit 1
	"$FIO" --client=127.0.0.1,$port --output-format=json --output=c.json "$T/job.fio" ||
		fail "client run: $(cat c.json "$T/server.out")"
	"$VMLAT" report --rows file,job,metric,hostname --cols '' --format csv . >r.csv 2>r.err ||
		fail "report exit $?: $(cat r.err)"
	check_log r.csv 'plain_clat\.1\.log\.127\.0\.0\.1$' c.json plain clat 200
	[ "$(field r.csv hostname 'plain_lat\.1\.log\.127')" = 127.0.0.1 ] || fail "client log: hostname"
	[ "$(awk -F, '$1 ~ /c.json/ && $2 == "plain" { print $3 "," $4 }' r.csv)" = "clat,127.0.0.1" ] ||
		fail "client JSON: $(cat r.csv)"
	[ "$(grep -c 'c.json' r.csv)" = 2 ] || fail "client JSON: not one row per job (All clients?)"
	ok "client/server: logs NAME.log.HOST and client_stats"
}

vmlat_engine() {
	[ -f "$ENGINE" ] || { echo "no $ENGINE: engine part skipped"; return; }
	mkdir -p "$T/eng" && cd "$T/eng" || exit 1
	vmlat_fio --name=cell --filename="$T/data" --size=4m --rw=randread --bs=4k --number_ios=100 \
		--vmlat_tags=rw=randread,bs=4096,load=0 --output-format=json --output=e.json >/dev/null ||
		fail "engine run"
	"$VMLAT" report --format csv --label platform=here . >r.csv 2>r.err || fail "report: $(cat r.err)"
	[ "$(awk -F, 'NR == 2 { print $1 "," $2 "," $3 "," $4 "," $5 }' r.csv)" = "here,randread,4096,0,100" ] ||
		fail "engine log: $(cat r.csv)"
	ok "vmlat engine log: Study A keys, n = number_ios"
}

standalone
client_server
vmlat_engine
