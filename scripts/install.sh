#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# install.sh - "make install" / "make uninstall": ucmd's modules, driver SDK, libucmd, ucmdctl and man pages, with a manifest.
#
# usage: scripts/install.sh install|uninstall
#
# Environment (the top-level Makefile passes its variables of the same names):
#   DESTDIR    staging root prepended to every path (packaging); no depmod/ldconfig then
#   PREFIX     /usr/local by default
#   KVER       kernel release to build the modules for (default: uname -r)
#   KDIR       its build tree (default: /lib/modules/$KVER/build); KVER follows from KDIR if
#              only KDIR is given
#   MODULES    "no": no kernel modules (no kernel build tree needed)
#   USERSPACE  "no": no libucmd, ucmdctl, user headers or man pages (e.g. only what an
#              out-of-tree driver builds against: the modules, Module.symvers, headers, ucmd.mk)
#   LIBDIR     where libucmd goes (default: PREFIX/lib; e.g. /usr/lib/x86_64-linux-gnu)
#   BUILD_DIR  scratch build directory (default: .cache/build/install in the tree)
#
# Layout (P = $DESTDIR$PREFIX):
#   $DESTDIR/lib/modules/$KVER/updates/ucmd/*.ko     ucmd.ko, ucmd_demo.ko, ucrypto.ko (not kernel/test/, kernel/multi/)
#   P/share/ucmd/ucmd.mk                             for out-of-tree drivers' Kbuild
#   P/share/ucmd/include/linux/ucmd.h                the framework API
#   P/share/ucmd/include/uapi/linux/ucmd*.h          its user ABI, as <linux/ucmd.h> includes it
#   P/share/ucmd/$KVER/Module.symvers                ucmd.ko's exports for that kernel
#   P/share/ucmd/manifest                            what was installed ("f PATH" / "d PATH")
#   P/include/libucmd.h                              libucmd (P/include/ucmd.h: its deprecated old name)
#   P/include/ucmd/{ucmd,ucmd_demo,ucrypto}.h        the user ABIs, in ucmd's own directory
#   P/include/ucmd/version.h                         UCMD_VERSION_* (from VERSION);
#                                                    nothing goes to P/include/linux (with
#                                                    PREFIX=/usr that is linux-libc-dev's)
#   $DESTDIR$LIBDIR/libucmd.{a,so,so.1}, .../pkgconfig/libucmd.pc   (LIBDIR: P/lib by default)
#   $DESTDIR$LIBDIR/ossl-modules/ucrypto.so         the OpenSSL 3 provider (OPENSSL_MODULES=that dir)
#   P/bin/ucmdctl, P/share/man/man1/ucmdctl.1, P/share/man/man3/libucmd.3 and ucmd_*.3
#
# Everything is first installed into a private staging directory, then copied into place and
# recorded in the manifest; uninstall removes exactly the recorded files, then the recorded
# directories (those install created) if they are empty. Installing for a second kernel adds to
# the manifest; uninstall removes everything the manifest lists, for every kernel.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ACTION=${1:?usage: scripts/install.sh install|uninstall}
DESTDIR=${DESTDIR:-}
PREFIX=${PREFIX:-/usr/local}
LIBDIR=${LIBDIR:-$PREFIX/lib}
MODULES=${MODULES:-yes}
USERSPACE=${USERSPACE:-yes}
BUILD_DIR=${BUILD_DIR:-$ROOT/.cache/build/install}
VERSION=$(cat "$ROOT/VERSION")
SHARE=$PREFIX/share/ucmd
MANIFEST=$SHARE/manifest

log() { echo "install: $*" >&2; }
die() { log "error: $*"; exit 1; }

case "$PREFIX" in
/*) ;;
*) die "PREFIX must be an absolute path, not '$PREFIX'" ;;
esac
case "$LIBDIR" in
/*) ;;
*) die "LIBDIR must be an absolute path, not '$LIBDIR'" ;;
esac
case "$DESTDIR" in
'' | /*) ;;
*) DESTDIR=$PWD/$DESTDIR ;;
esac

# The release modules are stamped with: UTS_RELEASE. (Debian's 6.1 headers have a
# kernel.release of 6.1.192 for 6.1.0-56-amd64; uname -r and /lib/modules use the latter.)
kernel_release() {
	local f=$1/include/generated/utsrelease.h
	[ -f "$f" ] && sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$f" && return 0
	make -s -C "$1" kernelrelease
}

resolve_kernel() {
	if [ -n "${KDIR:-}" ] && [ -z "${KVER:-}" ]; then
		[ -d "$KDIR" ] || die "KDIR=$KDIR does not exist"
		KVER=$(kernel_release "$KDIR")
	fi
	KVER=${KVER:-$(uname -r)}
	KDIR=${KDIR:-/lib/modules/$KVER/build}
	if [ ! -f "$KDIR/Makefile" ]; then
		die "no kernel build tree for $KVER at $KDIR: install its headers (Debian:" \
			"apt-get install linux-headers-$KVER), pass KDIR=/path/to/build, or" \
			"MODULES=no for user space and the driver headers only"
	fi
	KDIR=$(cd "$KDIR" && pwd)
}

# Builds kernel/ in a private copy and installs the modules and Module.symvers into $1.
stage_modules() {
	local stage=$1 kb=$BUILD_DIR/kmod-$KVER over=() key tool
	log "building the modules for $KVER (log: $kb/build.log)"
	rm -rf "$kb"
	mkdir -p "$kb"
	cp -a "$ROOT/kernel" "$ROOT/include" "$kb/"
	# Only what users run (as dkms.conf): without kernel/test/ its Kbuild builds no test module
	# (ucmd_bench_dev's devices are mode 0666 test devices), and without its ABI header
	# kernel/ucrypto/Kbuild leaves the benchmark command out of ucrypto.ko.
	# kernel/multi/ (ucmd_multi.ko, the hot-unplug sample) is a test module too.
	rm -rf "$kb/kernel/test" "$kb/kernel/multi" "$kb/include/uapi/linux/ucrypto_bench.h"
	if ! make -C "$KDIR" M="$kb/kernel" modules >"$kb/build.log" 2>&1; then
		tail -30 "$kb/build.log" >&2
		die "module build failed (log: $kb/build.log)"
	fi
	# Sign only if the build tree can: distribution headers ship no private key.
	key=$(sed -n 's/^CONFIG_MODULE_SIG_KEY="\(.*\)"$/\1/p' "$KDIR/.config" 2>/dev/null || true)
	case "$key" in
	pkcs11:*) ;;
	/*) [ -f "$key" ] || over=(CONFIG_MODULE_SIG_ALL=) ;;
	*) [ -f "$KDIR/$key" ] || over=(CONFIG_MODULE_SIG_ALL=) ;;
	esac
	[ ${#over[@]} -eq 0 ] || log "no module signing key in $KDIR: the modules stay unsigned"
	# Compressed modules need the compressor on this host (a minimal chroot may lack xz).
	for tool in gzip xz zstd; do
		if grep -qx "CONFIG_MODULE_COMPRESS_${tool^^}=y" "$KDIR/.config" 2>/dev/null &&
			grep -qx 'CONFIG_MODULE_COMPRESS_ALL=y' "$KDIR/.config" &&
			! command -v "$tool" >/dev/null; then
			log "no $tool here: the modules are installed uncompressed"
			over+=(CONFIG_MODULE_COMPRESS_ALL=)
		fi
	done
	# KERNELRELEASE: the directory is named after uname -r. DEPMOD=true: depmod runs below,
	# on the real tree, never on the staging copy.
	if ! make -C "$KDIR" M="$kb/kernel" modules_install INSTALL_MOD_PATH="$stage" \
		INSTALL_MOD_DIR=updates/ucmd KERNELRELEASE="$KVER" DEPMOD=true "${over[@]}" \
		>>"$kb/build.log" 2>&1; then
		tail -30 "$kb/build.log" >&2
		die "modules_install failed (log: $kb/build.log)"
	fi
	# Only the modules: nothing else of /lib/modules/$KVER is ours.
	find "$stage/lib/modules/$KVER" -mindepth 1 -maxdepth 1 ! -name updates -exec rm -rf {} +
	# One folder for all of them, as before kernel/ had a folder per module (modules_install
	# keeps the source folders: updates/ucmd/ucmd/ucmd.ko).
	find "$stage/lib/modules/$KVER/updates/ucmd" -mindepth 2 -name '*.ko*' \
		-exec mv {} "$stage/lib/modules/$KVER/updates/ucmd/" \;
	find "$stage/lib/modules/$KVER/updates/ucmd" -mindepth 1 -type d -empty -delete
	ls "$stage/lib/modules/$KVER/updates/ucmd/"ucmd.ko* >/dev/null 2>&1 ||
		die "modules_install did not install ucmd.ko"
	# Module paths in the installed symvers are the installed ones, relative to
	# /lib/modules/$KVER (modpost only uses their last component).
	install -d "$stage$SHARE/$KVER"
	awk -F'\t' 'BEGIN { OFS = "\t" } { n = split($3, p, "/"); $3 = "updates/ucmd/" p[n]; print }' \
		"$kb/kernel/Module.symvers" >"$stage$SHARE/$KVER/Module.symvers"
	chmod 644 "$stage$SHARE/$KVER/Module.symvers"
}

# User space: libucmd with its headers (lib/Makefile's install), ucmdctl (tools/Makefile's),
# the OpenSSL provider (provider/Makefile's, in LIBDIR/ossl-modules, not OpenSSL's own
# directory, which belongs to libssl3), man pages.
stage_user() {
	local stage=$1 o=$BUILD_DIR/user
	log "building libucmd and ucmdctl (log: $o/build.log)"
	mkdir -p "$o"
	if ! { make -C "$ROOT/lib" install O="$o" DESTDIR="$stage" PREFIX="$PREFIX" \
		LIBDIR="$LIBDIR" &&
		make -C "$ROOT/tools" install O="$o" DESTDIR="$stage" PREFIX="$PREFIX" &&
		make -C "$ROOT/provider" install O="$o" DESTDIR="$stage" \
			MODULESDIR="$LIBDIR/ossl-modules"; } \
		>"$o/build.log" 2>&1; then
		tail -30 "$o/build.log" >&2
		die "user-space build failed (log: $o/build.log)"
	fi
	[ ! -e "$stage$PREFIX/include/linux" ] ||
		die "libucmd's install wrote into PREFIX/include/linux, which is not ucmd's"
	# libucmd(3), one page per function (scripts/man.sh) and ucmdctl(1); their .TH says
	# "ucmd @VERSION@", filled in here from the VERSION file.
	install -d "$stage$PREFIX/share/man/man1" "$stage$PREFIX/share/man/man3"
	for page in "$ROOT"/man/*.[13]; do
		sed "s/@VERSION@/$VERSION/g" "$page" \
			>"$stage$PREFIX/share/man/man${page##*.}/${page##*/}"
		chmod 644 "$stage$PREFIX/share/man/man${page##*.}/${page##*/}"
	done
}

# What an out-of-tree driver builds against: headers and ucmd.mk (Module.symvers per kernel).
stage_sdk() {
	local stage=$1 h
	install -d "$stage$SHARE/include/linux" "$stage$SHARE/include/uapi/linux"
	install -m 644 "$ROOT/include/linux/ucmd.h" "$stage$SHARE/include/linux/"
	for h in "$ROOT"/include/uapi/linux/ucmd*.h; do
		case "$h" in */ucmd_bench.h | */ucmd_multi.h) continue ;; esac
		install -m 644 "$h" "$stage$SHARE/include/uapi/linux/"
	done
	sed "s/@VERSION@/$VERSION/g" "$ROOT/scripts/ucmd.mk.in" >"$stage$SHARE/ucmd.mk"
	chmod 644 "$stage$SHARE/ucmd.mk"
}

# Copies the staging tree into $DESTDIR and writes the manifest (merged with an existing one).
commit() {
	local stage=$1 list=$1.list rel tmp
	: >"$list"
	while IFS= read -r rel; do
		if [ ! -d "$DESTDIR$rel" ]; then
			mkdir -p "$DESTDIR$rel"
			echo "d $rel" >>"$list"
		fi
	done < <(cd "$stage" && find . -mindepth 1 -type d | sed 's|^\.||' | LC_ALL=C sort)
	while IFS= read -r rel; do
		# A new name, then rename: running programs keep the old libucmd.so.1 intact.
		tmp=$(dirname "$DESTDIR$rel")/.ucmd-new.$(basename "$rel")
		rm -f "$tmp"
		cp -dp "$stage$rel" "$tmp"
		mv -fT "$tmp" "$DESTDIR$rel"
		echo "f $rel" >>"$list"
	done < <(cd "$stage" && find . \( -type f -o -type l \) | sed 's|^\.||' | LC_ALL=C sort)
	[ -f "$DESTDIR$MANIFEST" ] && cat "$DESTDIR$MANIFEST" >>"$list"
	echo "f $MANIFEST" >>"$list"
	LC_ALL=C sort -u "$list" >"$DESTDIR$MANIFEST.new"
	mv -f "$DESTDIR$MANIFEST.new" "$DESTDIR$MANIFEST"
	chmod 644 "$DESTDIR$MANIFEST"
	rm -f "$list"
}

do_install() {
	[ "$MODULES" = no ] || resolve_kernel
	mkdir -p "$BUILD_DIR"
	STAGE=$(mktemp -d "$BUILD_DIR/stage.XXXXXX")
	trap 'rm -rf "$STAGE" "$STAGE.list"' EXIT
	[ "$MODULES" = no ] || stage_modules "$STAGE"
	[ "$USERSPACE" = no ] || stage_user "$STAGE"
	stage_sdk "$STAGE"
	commit "$STAGE"
	if [ -z "$DESTDIR" ]; then
		if [ "$MODULES" != no ]; then depmod -a "$KVER"; fi
		if [ "$USERSPACE" != no ] && command -v ldconfig >/dev/null && [ "$(id -u)" = 0 ]; then
			ldconfig
		fi
	fi
	log "installed ucmd $VERSION under ${DESTDIR}$PREFIX$([ "$MODULES" = no ] ||
		echo " and ${DESTDIR}/lib/modules/$KVER/updates/ucmd"); manifest: $DESTDIR$MANIFEST"
}

do_uninstall() {
	local entries=() e rel kvers=() k n=0
	[ -f "$DESTDIR$MANIFEST" ] || die "nothing to uninstall: no $DESTDIR$MANIFEST"
	mapfile -t entries <"$DESTDIR$MANIFEST"
	for e in "${entries[@]}"; do
		[ "${e%% *}" = f ] || continue
		rel=${e#f }
		case "$rel" in
		/lib/modules/*/updates/ucmd/*)
			k=${rel#/lib/modules/}
			kvers+=("${k%%/*}")
			;;
		esac
		if [ -e "$DESTDIR$rel" ] || [ -L "$DESTDIR$rel" ]; then
			rm -f "$DESTDIR$rel"
			n=$((n + 1))
		fi
	done
	# Deepest first; directories that hold anything not ours stay.
	for e in "${entries[@]}"; do
		if [ "${e%% *}" = d ]; then echo "${e#d }"; fi
	done | awk '{ print length($0) "\t" $0 }' | sort -rn | cut -f2- | while IFS= read -r rel; do
		rmdir "$DESTDIR$rel" 2>/dev/null || true
	done
	if [ -z "$DESTDIR" ]; then
		for k in $(printf '%s\n' "${kvers[@]}" | sort -u); do
			if [ -d "/lib/modules/$k" ]; then depmod -a "$k"; fi
		done
		if command -v ldconfig >/dev/null && [ "$(id -u)" = 0 ]; then ldconfig; fi
	fi
	log "removed $n files listed in $DESTDIR$MANIFEST"
}

case "$ACTION" in
install) do_install ;;
uninstall) do_uninstall ;;
*) die "unknown action '$ACTION' (install|uninstall)" ;;
esac
