#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Builds the kernel/ modules for one flavour in .cache/build/<flavour>/ (warnings are errors).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

FLAVOUR=${1:?usage: vm/modules.sh bookworm|backports|sid|debug}
check_flavour "$FLAVOUR"
UCMD_LOG_TAG=$FLAVOUR
kernel_env "$FLAVOUR"
OUT=$UCMD_OUT/build/$FLAVOUR
mkdir -p "$OUT"
rm -rf "$OUT/ko" "$OUT/installed"
mkdir -p "$OUT/ko"

if [ ! -f "$UCMD_SRC/kernel/Kbuild" ]; then
	log "no kernel/Kbuild yet: no modules to build"
	exit 0
fi

# A private copy of the sources per flavour, so flavours never share objects.
sync_tree() {
	local dst=$1 d
	mkdir -p "$dst"
	for d in Makefile VERSION; do
		if [ -f "$UCMD_SRC/$d" ]; then cp -a "$UCMD_SRC/$d" "$dst/"; fi
	done
	for d in kernel include scripts examples; do
		[ -d "$UCMD_SRC/$d" ] || continue
		rm -rf "${dst:?}/$d.new"
		cp -a "$UCMD_SRC/$d" "$dst/$d.new"
		# Keep the old objects when nothing changed: Kbuild then rebuilds only what it must.
		if [ -d "$dst/$d" ] && diff -rq "$dst/$d.new" "$dst/$d" -x '*.o' -x '*.ko' -x '.*' \
			-x '*.mod*' -x 'Module.symvers' -x 'modules.order' >/dev/null 2>&1; then
			rm -rf "${dst:?}/$d.new"
		else
			rm -rf "${dst:?}/$d"
			mv "$dst/$d.new" "$dst/$d"
		fi
	done
}

log "building modules for $KVER"
start=$SECONDS
if [ -n "$KCHROOT" ]; then
	trap sid_umount EXIT
	# One build directory in the chroot per output tree, so separate runs never share one.
	cdir=/ucmd-build/$(echo "$OUT" | sha256sum | cut -c1-12)
	sync_tree "$KCHROOT$cdir"
	rc=0
	sid_run make -C "$KBUILD" M="$cdir/kernel" modules >"$OUT/build.log" 2>&1 || rc=$?
	srcdir=$KCHROOT$cdir/kernel
else
	sync_tree "$OUT"
	rc=0
	make -C "$KBUILD" M="$OUT/kernel" modules >"$OUT/build.log" 2>&1 || rc=$?
	srcdir=$OUT/kernel
fi
if [ $rc -ne 0 ]; then
	tail -40 "$OUT/build.log" >&2
	die "module build failed (log: $OUT/build.log)"
fi
if grep -qi 'warning:' "$OUT/build.log"; then
	grep -i -A3 'warning:' "$OUT/build.log" >&2
	die "module build has warnings (log: $OUT/build.log)"
fi
# One .ko per module folder (kernel/ucmd/ucmd.ko, kernel/test/ucmd_kunit.ko, ...), all in ko/.
find "$srcdir" -name '*.ko' -exec cp {} "$OUT/ko/" \;

# The sample driver once more, alone with the installed SDK: it must need nothing else.
demo_sdk_tree() {
	rm -rf "${1:?}" && mkdir -p "$1" && cp "$2/kernel/demo/ucmd_demo.c" "$1/" &&
		printf 'include $(UCMD_DIR)/ucmd.mk\nobj-m += ucmd_demo.o\n' >"$1/Kbuild"
}

# (A scratch UCMD_SRC tree without examples/ skips this.)
if [ -d "$UCMD_SRC/examples/ucmd_example" ]; then
	# The example driver is built only against an installed framework (headers, ucmd.mk and
	# Module.symvers staged by "make install"), as a driver author outside this tree would.
	log "installing the framework into a stage, building examples/ucmd_example and the demo on it"
	rc=0
	if [ -n "$KCHROOT" ]; then
		{
			sid_run make -s -C "$cdir" install DESTDIR="$cdir/sdk" KDIR="$KBUILD" USERSPACE=no \
				BUILD_DIR="$cdir/install" &&
				sid_run make -C "$cdir/examples/ucmd_example" KDIR="$KBUILD" \
					UCMD_DIR="$cdir/sdk/usr/local/share/ucmd" &&
				demo_sdk_tree "$KCHROOT$cdir/demo-sdk" "$KCHROOT$cdir" &&
				sid_run make -C "$KBUILD" M="$cdir/demo-sdk" \
					UCMD_DIR="$cdir/sdk/usr/local/share/ucmd" modules
		} >"$OUT/example.log" 2>&1 || rc=$?
		exdir=$KCHROOT$cdir/examples/ucmd_example
		sdkdir=$KCHROOT$cdir/sdk
	else
		{
			rm -rf "$OUT/sdk" &&
				make -s -C "$OUT" install DESTDIR="$OUT/sdk" KDIR="$KBUILD" USERSPACE=no \
					BUILD_DIR="$OUT/install" &&
				make -C "$OUT/examples/ucmd_example" KDIR="$KBUILD" \
					UCMD_DIR="$OUT/sdk/usr/local/share/ucmd" &&
				demo_sdk_tree "$OUT/demo-sdk" "$OUT" &&
				make -C "$KBUILD" M="$OUT/demo-sdk" \
					UCMD_DIR="$OUT/sdk/usr/local/share/ucmd" modules
		} >"$OUT/example.log" 2>&1 || rc=$?
		exdir=$OUT/examples/ucmd_example
		sdkdir=$OUT/sdk
	fi
	if [ $rc -ne 0 ] || grep -qi 'warning:' "$OUT/example.log"; then
		tail -40 "$OUT/example.log" >&2
		die "example or SDK-only demo driver build failed or warned (log: $OUT/example.log)"
	fi
	cp "$exdir/ucmd_example.ko" "$OUT/ko/"
	# The modules as make install laid them out: the guest modprobes them as the README does.
	rm -rf "$OUT/installed"
	mkdir -p "$OUT/installed"
	cp -a "$sdkdir/lib/modules" "$OUT/installed/"
fi
log "built $(cd "$OUT/ko" && echo *.ko) in $((SECONDS - start)) s"

# Once per run (on the default kernel): the typed pdu/payload accessors must refuse oversized
# and over-aligned types at compile time.
if [ "$FLAVOUR" = bookworm ]; then
	"$UCMD_SRC/scripts/pdu-buildfail.sh" "$KBUILD" >"$OUT/pdu-buildfail.log" 2>&1 || {
		cat "$OUT/pdu-buildfail.log" >&2
		die "a pdu/payload type that must not compile did, or a valid one did not"
	}
	log "pdu/payload build checks: $(grep -c 'as it must' "$OUT/pdu-buildfail.log") of 5 as they must be"
fi
