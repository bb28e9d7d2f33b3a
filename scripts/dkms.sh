#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# dkms.sh - "make dkms-install" / "make dkms-uninstall": ucmd's kernel sources under DKMS, rebuilt for each kernel.
#
# usage: scripts/dkms.sh install|uninstall|sources DIR
#   install    writes the DKMS source tree (below) to /usr/src/ucmd-<VERSION>, then dkms add,
#              build and install for $KVER (default: uname -r); replaces an earlier
#              registration of the same version
#   uninstall  dkms remove --all for that version, then deletes /usr/src/ucmd-<VERSION>
#   sources    only writes the DKMS source tree into DIR (debian/rules: the ucmd-dkms package)
#
# The DKMS source tree: dkms.conf (with the version written in), VERSION, dkms-post-build.sh,
# and the sources of the shipped modules (ucmd, ucmd_demo, ucrypto): kernel/ without its test/
# folder (the test modules; kernel/Kbuild builds test/ only where it exists), include/ without
# the test ABIs ucmd_bench.h and ucrypto_bench.h (without it kernel/ucrypto/Kbuild leaves
# UCRYPTO_BENCH_LOOP out of ucrypto.ko).
#
# Environment: KVER (kernel to build for), KDIR (its build tree; default /lib/modules/$KVER/build), DKMS_SRC (default /usr/src), DKMS_ROOT (a private
# root: DKMS's tree, the sources and the installed modules all under it, as make check's install
# gate uses it; the system's DKMS state and /lib/modules are not touched (no depmod), though
# dkms still signs with its key).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ACTION=${1:?usage: scripts/dkms.sh install|uninstall|sources DIR}
VERSION=$(cat "$ROOT/VERSION")
KVER=${KVER:-$(uname -r)}
KDIR=${KDIR:-/lib/modules/$KVER/build}
DKMS_ROOT=${DKMS_ROOT:-}
TREES=()
if [ -n "$DKMS_ROOT" ]; then
	DKMS_SRC=$DKMS_ROOT/usr/src
	# --no-depmod: dkms would run depmod on the host's /lib/modules/$KVER, not the private
	# root's (and fail where the host has no such kernel).
	TREES=(--dkmstree "$DKMS_ROOT/var/lib/dkms" --sourcetree "$DKMS_SRC"
		--installtree "$DKMS_ROOT/lib/modules" --no-depmod)
	mkdir -p "$DKMS_ROOT/var/lib/dkms" "$DKMS_SRC" "$DKMS_ROOT/lib/modules/$KVER"
fi
SRC=${DKMS_SRC:-/usr/src}/ucmd-$VERSION

log() { echo "dkms: $*" >&2; }
die() { log "error: $*"; exit 1; }

# Writes the DKMS source tree into $1 (created; must not exist or be empty).
write_sources() {
	local dst=$1 f rel
	install -d "$dst/kernel" "$dst/include/linux" "$dst/include/uapi/linux"
	# Sources only: never objects from an in-place build, nor the test modules (kernel/test/,
	# kernel/multi/).
	while IFS= read -r f; do
		rel=${f#"$ROOT"/kernel/}
		case "$rel" in
		test/* | multi/* | *.mod.c) ;;
		Kbuild | */Kbuild | Makefile | *.sh | *.c | *.h)
			install -D -m 644 "$f" "$dst/kernel/$rel" ;;
		esac
	done < <(find "$ROOT/kernel" -type f | sort)
	install -m 644 "$ROOT"/include/linux/*.h "$dst/include/linux/"
	for f in "$ROOT"/include/uapi/linux/*.h; do
		case "${f##*/}" in ucmd_bench.h | ucrypto_bench.h | ucmd_multi.h) continue ;; esac
		install -m 644 "$f" "$dst/include/uapi/linux/"
	done
	install -m 644 "$ROOT/VERSION" "$dst/"
	install -m 755 "$ROOT/scripts/dkms-post-build.sh" "$dst/"
	sed "s|^PACKAGE_VERSION=.*|PACKAGE_VERSION=\"$VERSION\"|" "$ROOT/dkms.conf" >"$dst/dkms.conf"
	chmod 644 "$dst/dkms.conf"
}

if [ "$ACTION" = sources ]; then
	[ -n "${2:-}" ] || die "usage: scripts/dkms.sh sources DIR"
	write_sources "$2"
	exit 0
fi

command -v dkms >/dev/null || die "dkms is not installed (Debian: apt-get install dkms)"

dk() { dkms "$@" "${TREES[@]}"; }
registered() { [ -n "$(dk status -m ucmd -v "$VERSION" 2>/dev/null)" ]; }

do_install() {
	[ -f "$KDIR/Makefile" ] ||
		die "no headers for $KVER in $KDIR (apt-get install linux-headers-$KVER)"
	if registered; then
		log "replacing the registered ucmd $VERSION"
		dk remove -m ucmd -v "$VERSION" --all
	fi
	rm -rf "$SRC"
	write_sources "$SRC"
	dk add -m ucmd -v "$VERSION"
	dk build -m ucmd -v "$VERSION" -k "$KVER" --kernelsourcedir "$KDIR"
	dk install -m ucmd -v "$VERSION" -k "$KVER"
	if ls "$DKMS_ROOT/lib/modules/$KVER/updates/ucmd/ucmd.ko"* >/dev/null 2>&1; then
		log "warning: make install also put a ucmd.ko in /lib/modules/$KVER/updates/ucmd;" \
			"use one or the other (make uninstall removes that one)"
	fi
	log "ucmd $VERSION is under DKMS (sources: $SRC); it is rebuilt for new kernels, and" \
		"out-of-tree drivers build against it through ucmd.mk (make install MODULES=no" \
		"USERSPACE=no installs the driver SDK alone)"
}

do_uninstall() {
	if registered; then
		dk remove -m ucmd -v "$VERSION" --all
	else
		log "ucmd $VERSION is not registered with DKMS"
	fi
	rm -rf "$SRC"
}

case "$ACTION" in
install) do_install ;;
uninstall) do_uninstall ;;
*) die "unknown action '$ACTION' (install|uninstall|sources DIR)" ;;
esac
