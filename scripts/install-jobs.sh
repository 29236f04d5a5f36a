#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# install-jobs.sh SRC DEST ENGINE - copy the job files of SRC (jobs/) into
# DEST, with the two things that only make sense inside the repository
# rewritten, so that `fio DEST/*.fio` works from any directory:
# - the engine: ./engine/vmlat.so (relative to the repository root) becomes
#   ENGINE, the absolute path the engine is installed at;
# - the default target and log directory: build/study-a (under the
#   repository) becomes vmlat-study-a, under the directory fio runs in.
# Every other byte is kept, so the comments stay true.
set -eu
[ $# = 3 ] || { echo "usage: install-jobs.sh SRC DEST ENGINE" >&2; exit 2; }
src=$1 dest=$2 engine=$3
case $engine in /*) ;; *) echo "install-jobs.sh: ENGINE must be absolute: $engine" >&2; exit 2 ;; esac

install -d "$dest" "$dest/guest2"
for f in "$src"/*.fio "$src"/*.inc "$src"/README.md "$src"/guest2/*; do
	rel=${f#"$src"/}
	sed -e "s|^ioengine=external:\./engine/vmlat\.so\$|ioengine=external:$engine|" \
	    -e 's|build/study-a|vmlat-study-a|g' "$f" > "$dest/$rel.tmp"
	chmod 0644 "$dest/$rel.tmp"
	mv "$dest/$rel.tmp" "$dest/$rel"
done
