# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# build-lib.sh - what build.sh and xen-build.sh share (bash; source it
# after lib.sh or xen-lib.sh): Debian's kernel package, its modules with
# their dependencies, and an initramfs of busybox, those modules and an
# init script.  Both builds take the kernel the same way, so one copy of
# each step serves both.  The sourcing script sets MODDIR (the unpacked
# kernel's modules) and DEPS (the scripts/deps.sh mode that installs what
# it runs: guests or xen).

# need CMD PACKAGE: say which package is missing rather than "not found".
need() {
	command -v "$1" >/dev/null 2>&1 && return
	"$GTOP/scripts/deps.sh" "$DEPS" >&2 || true
	command -v "$1" >/dev/null 2>&1 || gdie "'$1' is missing: apt-get install $2 (or run scripts/deps.sh $DEPS as root)"
}

# need_busybox: a static busybox (the initramfs has no libraries) and cpio.
need_busybox() {
	need busybox busybox-static
	need cpio cpio
	busybox true || gdie "busybox does not run"
	! ldd "$(command -v busybox)" >/dev/null 2>&1 ||
		gdie "$(command -v busybox) is dynamically linked: apt-get install busybox-static"
}

# kernel_pkg: the package linux-image-amd64 depends on (linux-image-X.Y.Z-N-amd64).
kernel_pkg() {
	local pkg
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	if [ -z "$pkg" ]; then
		apt-get update -qq >&2 || true
		pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	fi
	[ -n "$pkg" ] || gdie "apt knows no linux-image-amd64 package (apt-get update, or check the sources)"
	echo "$pkg"
}

# download DIR PKG...: the packages' .deb files into DIR (no install).
download() {
	local d=$1
	shift
	chmod 755 "$d" # _apt cannot write into a root-owned 0700 directory
	(cd "$d" && apt-get download -q "$@" >/dev/null 2>"$d/apt.err") || {
		apt-get update -qq >&2 || true
		(cd "$d" && apt-get download -q "$@" >/dev/null 2>"$d/apt.err")
	} || gdie "apt-get download $* failed: $(tail -n 3 "$d/apt.err")"
}

# module_path NAME: the module's file, .ko or compressed; a module's name
# may have - or _ where its file has the other.
module_path() {
	local n=$1 f
	f=$(find "$MODDIR/kernel" \( -name "$n.ko" -o -name "${n//_/-}.ko" -o -name "${n//-/_}.ko" \
		-o -name "$n.ko.xz" -o -name "${n//_/-}.ko.xz" -o -name "${n//-/_}.ko.xz" \) -print -quit)
	[ -n "$f" ] || gdie "the kernel in ${MODDIR%/modules} has no module $n"
	echo "$f"
}

# module_info FILE: the modinfo strings of a module, without kmod.
module_info() {
	case $1 in *.xz) xz -dc "$1" ;; *) cat "$1" ;; esac | tr '\0' '\n' | grep -a '^[a-z_]*='
}

# module_order NAME...: the modules and their dependencies, each after the
# modules it depends on.  Built-in ones (modules.builtin) need no loading.
# Call it in a subshell, $(...) or ( ): seen is that call's own.
declare -A seen
module_order() {
	local n f d
	for n in "$@"; do
		[ -z "${seen[$n]:-}" ] || continue
		seen[$n]=1
		grep -qE "/(${n//_/-}|${n//-/_})\.ko\$" "$MODDIR/modules.builtin" 2>/dev/null && continue
		f=$(module_path "$n") || exit 1
		for d in $(module_info "$f" | sed -n 's/^depends=//p' | tr ',' ' '); do module_order "$d"; done
		echo "$f"
	done
}

# prune_modules NAME...: keep only these modules and their dependencies
# (of the kernel's ~400 MB).
prune_modules() {
	local keep
	keep=$(module_order "$@" | sort -u)
	find "$MODDIR/kernel" -name '*.ko*' | grep -vxF "$keep" | xargs -r rm -f
	find "$MODDIR/kernel" -type d -empty -delete
}

# INIT_LIB: what every init script sources, at /lib/init-lib.sh in the initramfs
INIT_LIB=$GTOP/scripts/guest/init-lib.sh

# initramfs OUT INIT MODULES...: busybox, the modules in load order
# (numbered, decompressed), INIT as /init and INIT_LIB, gzipped cpio.
initramfs() {
	local out=$1 init=$2 root f n=0 mods
	shift 2
	mods=$(module_order "$@") || gdie "cannot list the modules of $init"
	root=$(mktemp -d "${out%/*}/initramfs.XXXXXX")
	trap 'rm -rf "$root"' EXIT
	mkdir -p "$root"/{bin,dev,proc,sys,host,out,newroot,lib/modules}
	cp "$(command -v busybox)" "$root/bin/busybox"
	cp "$init" "$root/init"
	chmod 755 "$root/init"
	cp "$INIT_LIB" "$root/lib/init-lib.sh"
	for f in $mods; do
		n=$((n + 1))
		case $f in
		*.xz) xz -dc "$f" > "$root/lib/modules/$(printf %02d-%s $n "$(basename "${f%.xz}")")" ;;
		*) cp "$f" "$root/lib/modules/$(printf %02d-%s $n "$(basename "$f")")" ;;
		esac
	done
	(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 > "$out.tmp"
	mv "$out.tmp" "$out"
	rm -rf "$root"
	trap - EXIT
}

# stale OUT FILE...: OUT is missing or empty, or older than a FILE (the
# init script, these scripts, the kernel's id file): build it again.
stale() {
	local out=$1 f
	shift
	[ -s "$out" ] || return 0
	for f in "$@" "$INIT_LIB" "${BASH_SOURCE[0]}"; do
		[ "$f" -nt "$out" ] && return 0
	done
	return 1
}
