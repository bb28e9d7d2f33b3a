#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# dkms.sh - "make dkms-install" / "make dkms-uninstall": ucmd's kernel sources under DKMS, rebuilt for each kernel.
#
# usage: scripts/dkms.sh install|uninstall
#   install    copies dkms.conf, VERSION, kernel/ and include/ to /usr/src/ucmd-<VERSION>, then
#              dkms add, build and install for $KVER (default: uname -r); replaces an earlier
#              registration of the same version
#   uninstall  dkms remove --all for that version, then deletes /usr/src/ucmd-<VERSION>
#
# Environment: KVER (kernel to build for), KDIR (its build tree; default /lib/modules/$KVER/build), DKMS_SRC (default /usr/src), DKMS_ROOT (a private
# root: DKMS's tree, the sources and the installed modules all under it, as make check's install
# gate uses it; the system's DKMS state is not touched, though dkms still signs with its key).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ACTION=${1:?usage: scripts/dkms.sh install|uninstall}
VERSION=$(cat "$ROOT/VERSION")
KVER=${KVER:-$(uname -r)}
KDIR=${KDIR:-/lib/modules/$KVER/build}
DKMS_ROOT=${DKMS_ROOT:-}
TREES=()
if [ -n "$DKMS_ROOT" ]; then
	DKMS_SRC=$DKMS_ROOT/usr/src
	TREES=(--dkmstree "$DKMS_ROOT/var/lib/dkms" --sourcetree "$DKMS_SRC"
		--installtree "$DKMS_ROOT/lib/modules")
	mkdir -p "$DKMS_ROOT/var/lib/dkms" "$DKMS_SRC" "$DKMS_ROOT/lib/modules/$KVER"
fi
SRC=${DKMS_SRC:-/usr/src}/ucmd-$VERSION

log() { echo "dkms: $*" >&2; }
die() { log "error: $*"; exit 1; }

command -v dkms >/dev/null || die "dkms is not installed (Debian: apt-get install dkms)"

dk() { dkms "$@" "${TREES[@]}"; }
registered() { [ -n "$(dk status -m ucmd -v "$VERSION" 2>/dev/null)" ]; }

do_install() {
	local f
	[ -f "$KDIR/Makefile" ] ||
		die "no headers for $KVER in $KDIR (apt-get install linux-headers-$KVER)"
	if registered; then
		log "replacing the registered ucmd $VERSION"
		dk remove -m ucmd -v "$VERSION" --all
	fi
	rm -rf "$SRC"
	install -d "$SRC/kernel" "$SRC/include/linux" "$SRC/include/uapi/linux"
	# Sources only: never objects from an in-place build.
	for f in "$ROOT"/kernel/*; do
		case "${f##*/}" in
		*.mod.c) ;;
		Kbuild | Makefile | *.sh | *.c | *.h) install -m 644 "$f" "$SRC/kernel/" ;;
		esac
	done
	chmod 755 "$SRC/kernel/probe.sh"
	install -m 644 "$ROOT"/include/linux/*.h "$SRC/include/linux/"
	install -m 644 "$ROOT"/include/uapi/linux/*.h "$SRC/include/uapi/linux/"
	install -m 644 "$ROOT/VERSION" "$SRC/"
	sed "s|^PACKAGE_VERSION=.*|PACKAGE_VERSION=\"$VERSION\"|" "$ROOT/dkms.conf" >"$SRC/dkms.conf"
	dk add -m ucmd -v "$VERSION"
	dk build -m ucmd -v "$VERSION" -k "$KVER" --kernelsourcedir "$KDIR"
	dk install -m ucmd -v "$VERSION" -k "$KVER"
	if ls "$DKMS_ROOT/lib/modules/$KVER/updates/ucmd/ucmd.ko"* >/dev/null 2>&1; then
		log "warning: make install also put a ucmd.ko in /lib/modules/$KVER/updates/ucmd;" \
			"use one or the other (make uninstall removes that one)"
	fi
	log "ucmd $VERSION is under DKMS (sources: $SRC); it is rebuilt for new kernels"
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
*) die "unknown action '$ACTION' (install|uninstall)" ;;
esac
