#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Installs the Debian packages the rig needs (as root), adding packages only: it never upgrades, downgrades or removes one.
#
# Kernel headers and sources for the guests are not installed: vm/kernels.sh and
# vm/debug-kernel.sh unpack them into .cache/. A package whose installation would move an
# installed one is left out and named; the step that needs it then says so.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
UCMD_LOG_TAG=deps
mkdir -p "$UCMD_CACHE"

PKGS=(build-essential bc bison flex libelf-dev libssl-dev dwarves xz-utils zstd
      cpio busybox-static qemu-system-x86 liburing-dev debootstrap sparse
      gnuplot-nox kmod pkg-config libkcapi-dev kcapi-tools file util-linux dkms shellcheck openssl
      dpkg-dev debhelper dh-dkms fakeroot)

# bookworm-backports carries 6.12 (its kernel is only downloaded, never installed); pinned low.
BPO=/etc/apt/sources.list.d/ucmd-bookworm-backports.list
if [ ! -f "$BPO" ]; then
	echo "deb http://deb.debian.org/debian bookworm-backports main" >"$BPO"
	cat >/etc/apt/preferences.d/ucmd-backports <<'PIN'
Package: *
Pin: release n=bookworm-backports
Pin-Priority: 100
PIN
	rm -f "$UCMD_CACHE/apt-updated"
fi

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ! -f "$UCMD_CACHE/apt-updated" ] || [ ${#missing[@]} -gt 0 ]; then
	# Foreign third-party sources on some images fail to refresh; Debian's must not.
	apt-get update -qq || true
	touch "$UCMD_CACHE/apt-updated"
fi
[ ${#missing[@]} -gt 0 ] || exit 0

# What apt would upgrade, downgrade or remove to install "$@" ("Inst pkg [old] ..." or "Remv").
moves() {
	apt-get -s install --no-install-recommends "$@" 2>/dev/null |
		sed -n 's/^Inst \([^ ]*\) \[\([^]]*\)\].*/\1 (\2)/p; s/^Remv \([^ ]*\).*/\1 (removed)/p'
}

todo=()
if [ -z "$(moves "${missing[@]}")" ]; then
	todo=("${missing[@]}")
else
	for p in "${missing[@]}"; do
		m=$(moves "$p" | tr '\n' ' ')
		if [ -n "$m" ]; then log "not installing $p: it would move installed packages: $m"
		else todo+=("$p"); fi
	done
fi
[ ${#todo[@]} -gt 0 ] || exit 0
log "installing ${todo[*]}"
before=$(mktemp)
trap 'rm -f "$before"' EXIT
dpkg-query -W -f='${Package} ${Version}\n' | sort >"$before"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${todo[@]}" >/dev/null
# Proof: every package installed before is still there at the same version.
changed=$(dpkg-query -W -f='${Package} ${Version}\n' | sort | comm -23 "$before" - | tr '\n' ' ')
[ -z "$changed" ] || die "apt moved packages the host had: $changed"
