#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: `make deb` builds a Debian package that depends on exactly the
# fio package dpkg installed, puts the engine where fio's own install puts
# engines (/usr/lib/fio/fio-vmlat.so), and that after `dpkg -i` a Study A
# cell runs from an unrelated directory with the installed job files,
# engine and vmlat; `dpkg -P` then removes every file it brought, leaving
# the system as it was.  Needs root and dpkg's fio as FIO (skipped, and
# says so, otherwise); never touches a vmlat package the system had.
. "$(dirname "$0")/../lib.sh"

need_root "dpkg -i"
command -v dpkg-deb >/dev/null || skip "needs dpkg-deb"
fiover=$(dpkg-query -W -f='${Version}' fio 2>/dev/null) || skip "no fio package installed by dpkg"
dpkg -S "$(readlink -f "$(command -v "$FIO")")" 2>/dev/null | grep -q '^fio:' ||
	skip "FIO=$FIO is not dpkg's fio: make deb packages for dpkg's fio only"
dpkg-query -W -f='${db:Status-Status}' vmlat 2>/dev/null | grep -qv '^not-installed$' &&
	skip "a vmlat package is installed on this system already: not touching it"
[ ! -e /usr/lib/fio/fio-vmlat.so ] && [ ! -e /usr/bin/vmlat ] ||
	skip "/usr/lib/fio/fio-vmlat.so or /usr/bin/vmlat exists outside dpkg: not touching it"

vmlat_make deb > "$T/make.out" 2>&1 || fail "make deb: $(cat "$T/make.out")"
deb=$(tail -n 1 "$T/make.out")
[ -f "$deb" ] || fail "make deb printed no package: $(cat "$T/make.out")"
dpkg-deb -f "$deb" Depends | grep -q "^fio (= $fiover)," ||
	fail "does not depend on exactly fio $fiover: $(dpkg-deb -f "$deb" Depends)"
dpkg-deb -c "$deb" | awk '{ print $6 }' > "$T/contents"
for f in ./usr/lib/fio/fio-vmlat.so ./usr/bin/vmlat ./usr/share/man/man1/vmlat.1.gz \
	./usr/share/vmlat/jobs/a-randread-4k-load0.fio ./usr/share/doc/vmlat/copyright; do
	grep -qx "$f" "$T/contents" || fail "$f not in the package"
done
ok "$(basename "$deb"): depends on fio (= $fiover), holds engine, vmlat, man page, job files"

# find the files the package will own, to prove they are all gone afterwards
at_exit "dpkg -P vmlat"
dpkg -i "$deb" > "$T/dpkg.out" 2>&1 || fail "dpkg -i: $(cat "$T/dpkg.out")"
dpkg -L vmlat > "$T/owned" || fail "dpkg -L vmlat after install"
grep -qx /usr/lib/fio/fio-vmlat.so "$T/owned" || fail "engine not listed by dpkg -L"
ok "dpkg -i installs it"

mkdir "$T/elsewhere"
cd "$T/elsewhere" || fail "cd"
"$FIO" --eta=never --output-format=json --output="$T/fio.json" /usr/share/vmlat/jobs/a-randread-4k-load0.fio \
	> "$T/fio.out" 2>&1 || fail "installed cell failed: $(cat "$T/fio.out" "$T/fio.json")"
log=vmlat-study-a/a-randread-4k-load0.vmlat
[ "$(/usr/bin/vmlat dump "$log" | grep -v '^#' | tail -n +2 | wc -l)" = 100 ] || fail "$log: not 100 records"
/usr/bin/vmlat dump "$log" | grep -qx "# fio_version=fio-${fiover%-*}" || fail "$log: wrong fio_version"
zcat /usr/share/man/man1/vmlat.1.gz | grep -q '^\.TH VMLAT' || fail "man page not readable"
ok "a Study A cell runs from another directory: 100 records, read by the installed vmlat"
cd "$T" || fail "cd"

dpkg -P vmlat > "$T/purge.out" 2>&1 || fail "dpkg -P: $(cat "$T/purge.out")"
dpkg -L vmlat > /dev/null 2>&1 && fail "dpkg -L vmlat still lists files after the purge"
dpkg-query -W -f='${db:Status-Status}' vmlat 2>/dev/null | grep -qv '^not-installed$' &&
	fail "vmlat is still known to dpkg: $(dpkg-query -W vmlat)"
left=$(while read -r f; do [ -f "$f" ] && echo "$f"; done < "$T/owned")
[ -z "$left" ] || fail "files left after the purge: $left"
[ ! -e /usr/lib/fio ] || [ -n "$(ls -A /usr/lib/fio)" ] || fail "empty /usr/lib/fio left behind"
[ ! -e /usr/share/vmlat ] || fail "/usr/share/vmlat left behind"
ok "dpkg -P removes every file it installed, and dpkg forgets the package"
