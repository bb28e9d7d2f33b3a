#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Builds a sanitizer kernel (tinyconfig + vm/debug.config): "debug" from bookworm's 6.1 source, "sid-debug" from sid's newest.
#
# debug:     /usr/src/linux-source-6.1.tar.xz on the host, built with the host's gcc.
# sid-debug: sid's newest linux-source-<ver>, built inside the sid chroot with sid's gcc (the
#            line where uring_cmd cancellation, REISSUE and the 6.13+ APIs live).
# Results are cached under .cache/kernels/<flavour>/; a build is redone only when the source,
# the fragment or the compiler changes.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

FLAVOUR=${1:-debug}
UCMD_LOG_TAG=$FLAVOUR
FRAG=$UCMD_ROOT/vm/debug.config
# Per-flavour overrides, merged after the common fragment (none: /dev/null).
EXTRA=/dev/null

case "$FLAVOUR" in
debug)
	TARBALL=$(linux_source_61)
	SRC=$UCMD_CACHE/src/linux-source-6.1
	OUT=$UCMD_CACHE/kernels/debug/build
	run() { "$@"; }
	host() { echo "$1"; }
	cc_version=$(gcc --version | head -1)
	EXTRA=$UCMD_ROOT/vm/debug-6.1.config
	;;
sid-debug)
	# Called by vm/kernels.sh sid-debug, which has made the chroot exist and be up to date.
	sid_lock
	srcpkg=$(sid_run apt-cache depends linux-source 2>/dev/null | sed -n 's/^ *Depends: //p' | head -1)
	[ -n "$srcpkg" ] || die "cannot resolve sid's linux-source metapackage"
	# pahole (dwarves) too: the sid flavour's headers pull it into the chroot, and a kernel
	# configured before it came records "no pahole", so every module build against it then
	# warns that the pahole version differs.
	if ! sid_run dpkg-query -W -f='${Status}' "$srcpkg" 2>/dev/null | grep -q 'ok installed' ||
		[ ! -x "$SID_ROOT/usr/bin/pahole" ]; then
		log "installing $srcpkg and the kernel build dependencies in the sid chroot"
		sid_run apt-get install -y -qq --no-install-recommends "$srcpkg" make gcc bc bison \
			flex libelf-dev libssl-dev xz-utils cpio kmod python3 dwarves \
			>"$UCMD_CACHE/sid-debug-apt.log" 2>&1 ||
			{ tail -20 "$UCMD_CACHE/sid-debug-apt.log" >&2; die "apt-get failed in the sid chroot"; }
	fi
	sid_unlock
	TARBALL=$SID_ROOT$(sid_run sh -c "ls /usr/src/$srcpkg.tar.*" | head -1)
	[ -f "$TARBALL" ] || die "no tarball of $srcpkg in the sid chroot"
	# Paths as the chroot sees them; host() maps them to the host's view.
	SRC=/ucmd-src/$srcpkg
	OUT=/ucmd-kbuild/sid-debug
	run() { sid_run "$@"; }
	host() { echo "$SID_ROOT$1"; }
	# The kernel records the pahole it was configured with: a new one means a new build.
	cc_version="$(sid_run gcc --version | head -1) $(sid_run pahole --version)"
	;;
*) die "usage: vm/debug-kernel.sh debug|sid-debug" ;;
esac

STAMP=$(host "$OUT")/.ucmd-stamp
want=$( (sha256sum "$FRAG" "$TARBALL" | cut -d' ' -f1; echo "$cc_version"
	[ "$EXTRA" = /dev/null ] || sha256sum "$EXTRA" | cut -d' ' -f1) | sha256sum | cut -d' ' -f1)

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] && [ -f "$(host "$OUT")/arch/x86/boot/bzImage" ]; then
	log "debug kernel up to date ($(host "$OUT"))"
	exit 0
fi

if [ ! -f "$(host "$SRC")/.ucmd-unpacked" ]; then
	log "unpacking $TARBALL"
	rm -rf "$(host "$SRC")"
	mkdir -p "$(dirname "$(host "$SRC")")"
	tar -C "$(dirname "$(host "$SRC")")" -xf "$TARBALL"
	touch "$(host "$SRC")/.ucmd-unpacked"
fi

mkdir -p "$(host "$OUT")"
rm -f "$STAMP"
log "configuring (tinyconfig + $(basename "$FRAG"))"
cp "$FRAG" "$(host "$OUT")/ucmd-debug.config"
cp "$EXTRA" "$(host "$OUT")/ucmd-debug-extra.config"
run make -s -C "$SRC" O="$OUT" tinyconfig >/dev/null
run "$SRC/scripts/kconfig/merge_config.sh" -m -O "$OUT" "$OUT/.config" "$OUT/ucmd-debug.config" \
	"$OUT/ucmd-debug-extra.config" >/dev/null
run make -s -C "$SRC" O="$OUT" olddefconfig >/dev/null

# Every option the fragments set must survive (kconfig drops what a dependency forbids); a line
# of the per-flavour fragment wins over the common one.
bad=0
cfg=$(host "$OUT")/.config
overridden=" $(sed -n 's/^# \(CONFIG_[A-Z0-9_]*\) is not set$/\1/p; s/^\(CONFIG_[A-Z0-9_]*\)=.*/\1/p' \
	"$EXTRA" | tr '\n' ' ') "
part=common
while IFS= read -r line; do
	if [ "$line" = "# ucmd-extra" ]; then part=extra; continue; fi
	opt=${line#\# }; opt=${opt%%[= ]*}
	if [ $part = common ]; then case "$overridden" in *" $opt "*) continue ;; esac; fi
	case "$line" in
	CONFIG_*=y)
		grep -qx "$line" "$cfg" || { log "config: wanted $line, got: $(grep "^${line%%=*}=\|# ${line%%=*} is not set" "$cfg" || echo absent)"; bad=1; } ;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }; opt=${opt%% *}
		if grep -q "^$opt=" "$cfg"; then log "config: wanted $opt off, got it on"; bad=1; fi ;;
	esac
done < <(cat "$FRAG"; echo "# ucmd-extra"; cat "$EXTRA")
[ $bad -eq 0 ] || die "debug kernel config does not match $FRAG $EXTRA"

log "building (make -j3, a few minutes)"
start=$SECONDS
run make -s -C "$SRC" O="$OUT" -j3 bzImage modules modules_prepare >"$(host "$OUT")/build.log" 2>&1 ||
	{ tail -30 "$(host "$OUT")/build.log" >&2; die "kernel build failed (log: $(host "$OUT")/build.log)"; }
log "built in $((SECONDS - start)) s"
echo "$want" >"$STAMP"
