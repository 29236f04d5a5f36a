#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test_layout.sh - the source folders include only downward, as the README's
# layout table says: analysis/core/ (what report and plot share) includes
# nothing of the CLI; report/ and plot/ include core/ only, never each
# other; html/ (the page) sits above both; the commands at analysis/ top
# may include anything; batch/ includes lib/ and the command contract
# (cmd.h) only.  An upward include would bring back the cycles the folder
# split removed, and a compiler never complains about one.  The table must
# also name every folder of the tree.
. "$(dirname "$0")/../lib.sh"
cd "$TOP" || fail "no $TOP"

fails=0
# check_includes DIR ALLOWED...: every #include "X" of DIR/*.[ch] is a header of DIR
# or lib/, or X is FOLDER/... with FOLDER among ALLOWED, or X is in ALLOWED
check_includes() {
	local dir=$1 f inc ok a
	shift
	for f in "$dir"/*.[ch]; do
		while read -r inc; do
			ok=0
			case $inc in
			*/*) for a in "$@"; do [ "${inc%%/*}" = "$a" ] && ok=1; done ;;
			*) [ -f "$dir/$inc" ] || [ -f "lib/$inc" ] && ok=1
			   for a in "$@"; do [ "$inc" = "$a" ] && ok=1; done ;;
			esac
			[ $ok = 1 ] || { echo "FAIL: $f includes \"$inc\", not below $dir" >&2; fails=$((fails + 1)); }
		done < <(sed -n 's/^#include "\(.*\)"$/\1/p' "$f")
	done
}

check_includes analysis/core
check_includes analysis/report core
check_includes analysis/plot core
check_includes analysis/html core report plot
check_includes batch cmd.h
ok "includes go downward: core <- report, plot <- html <- commands; batch on lib"

for d in analysis/*/ batch/; do
	d=${d%/}
	grep -q "^| \`$d/\` |" README.md ||
		{ echo "FAIL: README's layout table does not name $d/" >&2; fails=$((fails + 1)); }
done
[ $fails = 0 ] || fail "$fails layout problem(s)"
ok "README's layout table names every folder"
