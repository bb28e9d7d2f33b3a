#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Packs the guest initramfs for one flavour: busybox, /init, ucmd modules, crypto modules, binaries.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

FLAVOUR=${1:?usage: vm/initramfs.sh bookworm|backports|sid|debug}
check_flavour "$FLAVOUR"
UCMD_LOG_TAG=$FLAVOUR
kernel_env "$FLAVOUR"
BUILD=$UCMD_OUT/build/$FLAVOUR
USER_OUT=$UCMD_OUT/build/user
IMG=$BUILD/initramfs.cpio.gz
BUSYBOX=/bin/busybox

file -L "$BUSYBOX" | grep -q 'statically linked' || die "$BUSYBOX is not static (install busybox-static)"

R=$BUILD/initramfs
rm -rf "$R"
mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,root,lib/ucmd,lib/kmod,tests,bench}
cp "$BUSYBOX" "$R/bin/busybox"
for a in $("$BUSYBOX" --list-full); do
	[ -e "$R/$a" ] || ln -s /bin/busybox "$R/$a"
done
install -m 755 "$UCMD_ROOT/vm/guest-init.sh" "$R/init"
mkdir -p "$R/lib" && install -m 644 "$UCMD_ROOT/vm/judge.sh" "$R/lib/judge.sh"
install -m 644 "$UCMD_ROOT/tests/run.sh" "$R/lib/run.sh"	# the test runner /init sources
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$R/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$R/etc/group"

shopt -s nullglob
kos=("$BUILD"/ko/*.ko)
# Debug info stays in the build directory (for decoding traces); the guest needs none.
for ko in "${kos[@]}"; do strip --strip-debug -o "$R/lib/ucmd/${ko##*/}" "$ko"; done
cp "$KMOD"/*.ko "$KMOD/order" "$R/lib/kmod/"
[ -f "$KMOD/accel-order" ] && cp "$KMOD/accel-order" "$R/lib/kmod/"
# The modules as "make install" put them (updates/ucmd), indexed by depmod: the guest's
# installed-modules step modprobes them as the README's real-host section does.
if [ -d "$BUILD/installed/modules" ]; then
	mkdir -p "$R/lib/modules"
	cp -a "$BUILD/installed/modules/." "$R/lib/modules/"
	find "$R/lib/modules" -name '*.ko' -exec strip --strip-debug {} \;
	for d in "$R"/lib/modules/*/; do
		# Indexes depmod reads; the built-in ones stay empty (the kernel image has those).
		for f in modules.order modules.builtin modules.builtin.modinfo; do
			[ -e "$d/$f" ] || : >"$d/$f"
		done
		depmod -b "$R" "$(basename "$d")"
	done
fi
cp /etc/os-release "$R/etc/os-release"	# something for "ucmdctl crypto hash" to hash
# Static user-space binaries from "make user" (directories may not exist yet).
copy_bins() {
	local src=$1 dst=$2 f
	for f in "$src"/*; do
		[ -f "$f" ] || continue
		if [ -x "$f" ] && ! file -L "$f" | grep -qE 'dynamically linked'; then
			if file -L "$f" | grep -q ELF; then strip -o "$dst/${f##*/}" "$f"; else cp "$f" "$dst/"; fi
		elif [ -x "$f" ]; then
			[[ ${f##*/} == ossl_evp_* ]] || log "warning: skipping dynamically linked $f"
		else
			cp "$f" "$dst/"	# data files
		fi
	done
}
copy_bins "$USER_OUT/bin" "$R/bin"
copy_bins "$USER_OUT/tests" "$R/tests"
copy_bins "$USER_OUT/bench" "$R/bench"

# The ASan/UBSan builds (make user-asan: tests/Makefile asan) run once more on the flavours in
# UCMD_ASAN_FLAVOURS, from /asan. The system libraries they need go to their host paths;
# the tree's own (libucmd.so.1, whose RUNPATH points into the checkout, which may lie under
# /tmp, a tmpfs in the guest) to /asan/lib, which the guest puts on LD_LIBRARY_PATH.
ASAN=$USER_OUT/asan
if [ -d "$ASAN/tests" ] && [[ " ${UCMD_ASAN_FLAVOURS-bookworm} " == *" $FLAVOUR "* ]]; then
	mkdir -p "$R/asan"
	cp -a "$ASAN/tests" "$ASAN/bin" "$R/asan/"
	rm -f "$R/asan/tests/"*.d
	for f in "$ASAN"/tests/* "$ASAN"/bin/*; do
		[ -x "$f" ] && file -L "$f" | grep -q 'dynamically linked' || continue
		ldd "$f" | awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }'
	done | sort -u | while read -r lib; do
		case "$lib" in
		"$USER_OUT"/* | */libucmd.so*) mkdir -p "$R/asan/lib" && cp -L "$lib" "$R/asan/lib/" ;;
		*) mkdir -p "$R$(dirname "$lib")" && cp -L "$lib" "$R$lib" ;;
		esac
	done
fi

# The system libraries that the dynamic executables and modules "$@" need, at their host paths.
copy_system_libs() {
	local f
	for f in "$@"; do
		ldd "$f" | awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }'
	done | sort -u | while read -r lib; do
		mkdir -p "$R$(dirname "$lib")" && cp -L "$lib" "$R$lib"
	done
}

# OpenSSL for the ossl_* tests and the provider benchmark: Debian's openssl with its libraries,
# the afalg engine (the AF_ALG peer) and ucrypto.so in OpenSSL's own directories (MODULESDIR,
# ENGINESDIR), so that "-provider ucrypto" and "-engine afalg" work without paths, as on a host
# where the provider is installed. The ossl_evp_* tests link libcrypto, dynamically.
PROV=$USER_OUT/provider/ucrypto.so
OPENSSL=$(command -v openssl || true)
if [ -f "$PROV" ] && [ -n "$OPENSSL" ]; then
	modules=$(openssl version -m | sed -n 's/^MODULESDIR: "\(.*\)"$/\1/p')
	engines=$(openssl version -e | sed -n 's/^ENGINESDIR: "\(.*\)"$/\1/p')
	mkdir -p "$R$modules" "$R$engines" "$R/usr/lib/ssl"
	rm -f "$R/usr/bin/openssl"
	cp -L "$OPENSSL" "$R/usr/bin/openssl"
	strip -o "$R$modules/ucrypto.so" "$PROV"
	ossl=("$OPENSSL" "$PROV")
	if [ -f "$engines/afalg.so" ]; then
		cp -L "$engines/afalg.so" "$R$engines/"
		ossl+=("$engines/afalg.so")
	fi
	[ -f /usr/lib/ssl/openssl.cnf ] && cp -L /usr/lib/ssl/openssl.cnf "$R/usr/lib/ssl/"
	for f in "$USER_OUT"/tests/ossl_evp_*; do
		[ -x "$f" ] || continue
		strip -o "$R/tests/${f##*/}" "$f"
		ossl+=("$f")
	done
	copy_system_libs "${ossl[@]}"
else
	log "warning: no OpenSSL provider ($PROV) or no openssl: the ossl_* tests will skip"
fi

(cd "$R" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 | gzip -1) >"$IMG.tmp"
mv "$IMG.tmp" "$IMG"
log "initramfs $IMG ($(du -h "$IMG" | cut -f1); $(ls "$R/lib/ucmd" | wc -l) ucmd modules, $(ls "$R/tests" | wc -l) tests, $(find "$R/asan/tests" -type f 2>/dev/null | wc -l) under ASan)"
