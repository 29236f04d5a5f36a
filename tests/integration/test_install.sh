#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: `make install` gives an engine, a vmlat command and job files such
# that `fio PREFIX/share/vmlat/jobs/X.fio` works from any directory: every
# installed job file parses, names the installed engine by its absolute
# path, and a Study A cell run from an unrelated directory writes its 100
# records there (vmlat-study-a/), not into the repository.  With DESTDIR the
# files are staged but name the final PREFIX.
. "$(dirname "$0")/../lib.sh"

pfx=$T/prefix
vmlat_make install PREFIX="$pfx" > "$T/make.out" 2>&1 || fail "make install: $(cat "$T/make.out")"
jobs=$pfx/share/vmlat/jobs
[ -x "$pfx/bin/vmlat" ] && [ -f "$pfx/lib/vmlat/vmlat.so" ] || fail "engine or vmlat not installed"

n=0
for f in "$TOP"/jobs/*.fio "$TOP"/jobs/guest2/*.fio; do
	rel=${f#"$TOP"/jobs/}
	[ -f "$jobs/$rel" ] || fail "$rel not installed"
	n=$((n + 1))
done
[ "$n" -ge 18 ] || fail "only $n job files in the repository"
ok "$n job files installed"

bad=$(grep -l '^ioengine=external:' "$jobs"/*.fio | xargs grep -L "^ioengine=external:$pfx/lib/vmlat/vmlat.so\$")
[ -z "$bad" ] || fail "job files not pointing at the installed engine: $bad"
grep -rq 'build/study-a' "$jobs" && fail "installed files still name the repository's build/study-a"
ok "engine path and default target rewritten"

mkdir "$T/elsewhere"
cd "$T/elsewhere" || fail "cd"
for f in "$jobs"/*.fio "$jobs"/guest2/*.fio; do
	"$FIO" --parse-only "$f" > "$T/parse.out" 2>&1 || fail "fio --parse-only $f: $(cat "$T/parse.out")"
done
ok "every installed job file parses from another directory"

"$FIO" --eta=never --output-format=json --output="$T/fio.json" "$jobs/a-randread-4k-load0.fio" \
	> "$T/fio.out" 2>&1 || fail "installed cell failed: $(cat "$T/fio.out" "$T/fio.json")"
log=vmlat-study-a/a-randread-4k-load0.vmlat
[ -f "$log" ] || fail "no $log in the directory fio ran in: $(ls -R)"
[ "$(records "$log")" = 100 ] || fail "$log has $(records "$log") records, want 100"
"$pfx/bin/vmlat" dump "$log" | grep -q '^# tag.cell=randread-4k-load0$' || fail "installed vmlat cannot read the cell's tags"
[ ! -e "$TOP/vmlat-study-a" ] || fail "the run wrote into the repository"
ok "a cell runs from an unrelated directory with the installed files"

cd "$TOP" || fail "cd"
vmlat_make install DESTDIR="$T/stage" PREFIX=/opt/vmlat > "$T/make2.out" 2>&1 || fail "make install DESTDIR: $(cat "$T/make2.out")"
grep -qx 'ioengine=external:/opt/vmlat/lib/vmlat/vmlat.so' "$T/stage/opt/vmlat/share/vmlat/jobs/a-randwrite-32k-load4.fio" \
	|| fail "DESTDIR install does not name the final engine path"
ok "DESTDIR stages files that name PREFIX"
