#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Installs the Debian packages the build, the VM rig and the tests need (idempotent, as root).
set -euo pipefail

STAMP_DIR=${UCMD_CACHE:-$(dirname "$0")/../.cache}
mkdir -p "$STAMP_DIR"

PKGS=(build-essential bc bison flex libelf-dev libssl-dev dwarves xz-utils zstd
      cpio busybox-static qemu-system-x86 liburing-dev debootstrap sparse
      gnuplot-nox kmod linux-headers-amd64 linux-source-6.1 pkg-config
      libkcapi-dev kcapi-tools file util-linux dkms)

# bookworm-backports carries 6.12; keep it pinned low so nothing on the host moves.
BPO=/etc/apt/sources.list.d/ucmd-bookworm-backports.list
if [ ! -f "$BPO" ]; then
	echo "deb http://deb.debian.org/debian bookworm-backports main" >"$BPO"
	cat >/etc/apt/preferences.d/ucmd-backports <<'PIN'
Package: *
Pin: release n=bookworm-backports
Pin-Priority: 100
PIN
	rm -f "$STAMP_DIR/apt-updated"
fi

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ! -f "$STAMP_DIR/apt-updated" ] || [ ${#missing[@]} -gt 0 ]; then
	# Foreign third-party sources on some images fail to refresh; Debian's must not.
	apt-get update -qq || true
	touch "$STAMP_DIR/apt-updated"
fi
if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null
fi
