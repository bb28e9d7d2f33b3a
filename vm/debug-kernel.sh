#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Builds the "debug" kernel (Debian's linux-source-6.1, tinyconfig + vm/debug.config) into .cache.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
UCMD_LOG_TAG=debug

TARBALL=$(ls /usr/src/linux-source-6.1.tar.xz 2>/dev/null) ||
	die "linux-source-6.1 is not installed (run vm/deps.sh)"
FRAG=$UCMD_ROOT/vm/debug.config
SRC=$UCMD_CACHE/src/linux-source-6.1
OUT=$UCMD_CACHE/kernels/debug/build
STAMP=$OUT/.ucmd-stamp
want=$( (sha256sum "$FRAG" "$TARBALL" | cut -d' ' -f1; gcc --version | head -1) | sha256sum | cut -d' ' -f1)

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] && [ -f "$OUT/arch/x86/boot/bzImage" ]; then
	log "debug kernel up to date ($OUT)"
	exit 0
fi

if [ ! -f "$SRC/.ucmd-unpacked" ]; then
	log "unpacking $TARBALL"
	rm -rf "$SRC"
	mkdir -p "$(dirname "$SRC")"
	tar -C "$(dirname "$SRC")" -xf "$TARBALL"
	touch "$SRC/.ucmd-unpacked"
fi

mkdir -p "$OUT"
rm -f "$STAMP"
log "configuring (tinyconfig + $(basename "$FRAG"))"
make -s -C "$SRC" O="$OUT" tinyconfig >/dev/null
"$SRC/scripts/kconfig/merge_config.sh" -m -O "$OUT" "$OUT/.config" "$FRAG" >/dev/null
make -s -C "$SRC" O="$OUT" olddefconfig >/dev/null

bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=y)
		grep -qx "$line" "$OUT/.config" || { log "config: wanted $line, got: $(grep "^${line%%=*}=\|# ${line%%=*} is not set" "$OUT/.config" || echo absent)"; bad=1; } ;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }; opt=${opt%% *}
		if grep -q "^$opt=" "$OUT/.config"; then log "config: wanted $opt off, got it on"; bad=1; fi ;;
	esac
done <"$FRAG"
[ $bad -eq 0 ] || die "debug kernel config does not match $FRAG"

log "building (make -j3, a few minutes)"
start=$SECONDS
make -s -C "$SRC" O="$OUT" -j3 bzImage modules modules_prepare >"$OUT/build.log" 2>&1 ||
	{ tail -30 "$OUT/build.log" >&2; die "kernel build failed (log: $OUT/build.log)"; }
log "built in $((SECONDS - start)) s"
echo "$want" >"$STAMP"
