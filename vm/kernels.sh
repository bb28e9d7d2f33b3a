#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Prepares a test kernel flavour (bookworm|backports|sid|debug|sid-debug): image, build dir, crypto modules.
#
# Versions are resolved from Debian's metapackages at run time. Results go to
# .cache/kernels/<flavour>/ and are described by .cache/kernels/<flavour>/kernel.env.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

FLAVOUR=${1:?usage: vm/kernels.sh bookworm|backports|sid|debug|sid-debug}
check_flavour "$FLAVOUR"
UCMD_LOG_TAG=$FLAVOUR
KDIR=$UCMD_CACHE/kernels/$FLAVOUR
mkdir -p "$KDIR"

# Kernel crypto modules the tests may need; whichever exist as modules are shipped. crc32c_intel
# is what udev loads on any x86 host with SSE4.2: the crypto API then prefers it, as in real use;
# since 7.x the crc32c algorithm itself is the module crc32c_cryptoapi (over the CRC library).
CRYPTO_MODS="af_alg algif_hash algif_skcipher algif_aead crc32c_generic ctr gcm ghash_generic
	xts cbc hmac sha1_generic crypto_user crc32c_intel crc32c_cryptoapi cryptd pcrypt"
# The accelerated drivers a Debian x86 host loads besides crc32c_intel (udev, by CPU feature).
# Shipped in kmod/accel-order, loaded only by the benchmark's second pass, so the tests and the
# first pass keep the generic implementations; whichever exist as modules on a kernel are shipped.
ACCEL_MODS="aesni_intel sha256_ssse3 ghash_clmulni_intel"

# Highest version of $1 offered by apt (run via $2..., e.g. sid_run) from suites matching $3.
best_version() {
	local pkg=$1 suites=$2 best="" v
	shift 2
	for v in $("$@" apt-cache madison "$pkg" | awk -F' [|] ' -v re="$suites" \
		'$3 ~ ("^[^ ]+ (" re ")/") { print $2 }'); do
		if [ -z "$best" ] || dpkg --compare-versions "$v" gt "$best"; then best=$v; fi
	done
	[ -n "$best" ] || die "no $pkg found in suites /$suites/"
	echo "$best"
}

# Names of the packages package=version $1 depends on, matching the prefix $2.
depends_on() {
	local spec=$1 prefix=$2
	shift 2
	"$@" apt-cache show "$spec" | sed -n 's/^Depends: //p' | head -1 | tr ',|' '\n\n' |
		sed 's/^ *//; s/ .*//' | grep "^$prefix" || true
}

# The first of the given paths that exists (empty if none).
first_of() {
	local p
	for p; do [ -e "$p" ] && { echo "$p"; return 0; }; done
	return 0
}

# Make the sid chroot exist (reusing a complete one) and be able to install packages.
sid_chroot() {
	if [ ! -f "$SID_ROOT/.ucmd-debootstrap" ]; then
		if [ -x "$SID_ROOT/usr/bin/apt-get" ] && [ ! -d "$SID_ROOT/debootstrap" ]; then
			log "reusing existing sid chroot $SID_ROOT"
		else
			log "creating sid chroot (debootstrap, ~1 min)"
			rm -rf "$SID_ROOT"
			debootstrap --variant=minbase sid "$SID_ROOT" http://deb.debian.org/debian \
				>"$UCMD_CACHE/sid-debootstrap.log" 2>&1 ||
				{ tail -20 "$UCMD_CACHE/sid-debootstrap.log" >&2; die "debootstrap failed"; }
		fi
		touch "$SID_ROOT/.ucmd-debootstrap"
	fi
	# The archive may serve a Release file older than its Valid-Until (snapshots, clocks).
	echo 'Acquire::Check-Valid-Until "false";' >"$SID_ROOT/etc/apt/apt.conf.d/99ucmd"
	trap sid_umount EXIT
	if [ ! -f "$SID_ROOT/.ucmd-apt-updated" ] ||
		[ -n "$(find "$SID_ROOT/.ucmd-apt-updated" -mmin +720)" ]; then
		sid_run apt-get update -qq
		touch "$SID_ROOT/.ucmd-apt-updated"
	fi
}

# Download the image packages of $KVER (apt runs via "$@") and extract them into $KDIR/root.
fetch_image() {
	local imgver=$1 pkgs p
	shift
	pkgs="linux-image-$KVER $(depends_on "linux-image-$KVER=$imgver" 'linux-\(binary\|modules\)-' "$@")"
	local dl=$KDIR/debs
	rm -rf "$dl" "$KDIR/root"
	mkdir -p "$dl" "$KDIR/root"
	for p in $pkgs; do
		log "downloading $p"
		if [ "$FLAVOUR" = sid ]; then
			sid_run sh -c "cd /tmp && rm -f ${p}_*.deb && apt-get download -qq $p"
			mv "$SID_ROOT"/tmp/"${p}"_*.deb "$dl/"
		else
			(cd "$dl" && apt-get download -qq -o APT::Sandbox::User=root "$p")
		fi
	done
	for p in "$dl"/*.deb; do dpkg-deb -x "$p" "$KDIR/root"; done
}

# Unpack the headers of $1 (version $2) and their kbuild into $KDIR/headers; nothing is installed.
fetch_headers() {
	local kver=$1 ver=$2 dl=$KDIR/headers-debs p pkgs
	pkgs="linux-headers-$kver $(depends_on "linux-headers-$kver=$ver" 'linux-\(headers\|kbuild\)-')"
	rm -rf "$dl" "$KDIR/headers"
	mkdir -p "$dl" "$KDIR/headers"
	for p in $pkgs; do
		log "downloading $p (unpacked into the cache)"
		(cd "$dl" && apt-get download -qq -o APT::Sandbox::User=root "$p")
	done
	for p in "$dl"/*.deb; do dpkg-deb -x "$p" "$KDIR/headers"; done
	# The flavour's Makefile includes the common tree by absolute path.
	sed -i "s|^include /usr/src/|include $KDIR/headers/usr/src/|" \
		"$KDIR/headers/usr/src/linux-headers-$kver/Makefile"
	[ -f "$KDIR/headers/usr/src/linux-headers-$kver/Module.symvers" ] ||
		die "no usable headers for $kver after unpacking $pkgs"
}

# Copy the wanted crypto modules (and what they depend on) to $KDIR/kmod, in load order: the
# test set to kmod/order, then what only the accelerated drivers need to kmod/accel-order.
extract_crypto() {
	local moddir=$1 m list=order
	declare -A file=() seen=()
	while read -r m f; do
		m=${m%%.ko*}; file[${m//-/_}]=$f
	done < <(find "$moddir" -name '*.ko*' -printf '%f %p\n')
	rm -rf "$KDIR/kmod"; mkdir -p "$KDIR/kmod"
	: >"$KDIR/kmod/order"
	: >"$KDIR/kmod/accel-order"
	visit() {
		local name=$1 src ko dep
		[ -z "${seen[$name]:-}" ] || return 0
		seen[$name]=1
		src=${file[$name]:-}
		[ -n "$src" ] || return 0	# built in (or absent): nothing to load
		ko=$KDIR/kmod/$name.ko
		case "$src" in
		*.ko.xz) xz -dc "$src" >"$ko" ;;
		*.ko.zst) zstd -qdc "$src" >"$ko" ;;
		*.ko.gz) gzip -dc "$src" >"$ko" ;;
		*) cp "$src" "$ko" ;;
		esac
		for dep in $(modinfo -F depends "$ko" | tr ',' ' '); do visit "${dep//-/_}"; done
		echo "$name" >>"$KDIR/kmod/$list"
	}
	for m in $CRYPTO_MODS; do visit "$m"; done
	list=accel-order
	for m in $ACCEL_MODS; do visit "$m"; done
}

case "$FLAVOUR" in
bookworm | backports)
	if [ "$FLAVOUR" = bookworm ]; then suites='bookworm|bookworm-updates|bookworm-security'
	else suites='bookworm-backports'; fi
	metaver=$(best_version linux-image-amd64 "$suites")
	KVER=$(depends_on "linux-image-amd64=$metaver" linux-image-)
	KVER=${KVER#linux-image-}
	[ -n "$KVER" ] || die "cannot resolve the kernel behind linux-image-amd64=$metaver"
	imgver=$(apt-cache show "linux-image-$KVER" | sed -n 's/^Version: //p' | head -1)
	# Never installed: backports' headers depend on their kernel image (a new kernel and
	# initramfs on the host), and bookworm's on a linux-kbuild that may be newer than the
	# host's. Both are unpacked into the cache.
	KBUILD=$KDIR/headers/usr/src/linux-headers-$KVER
	if [ ! -f "$KDIR/.ucmd-headers-$KVER" ]; then
		fetch_headers "$KVER" "$imgver"
		touch "$KDIR/.ucmd-headers-$KVER"
	fi
	if [ ! -f "$KDIR/.ucmd-image-$KVER" ]; then
		fetch_image "$imgver"
		touch "$KDIR/.ucmd-image-$KVER"
	fi
	KIMAGE=$(first_of "$KDIR"/root/boot/vmlinuz-"$KVER" "$KDIR"/root/usr/lib/modules/"$KVER"/vmlinuz)
	KCHROOT=""
	;;
sid)
	sid_lock
	sid_chroot
	metaver=$(best_version linux-image-amd64 'sid|unstable' sid_run)
	KVER=$(depends_on "linux-image-amd64=$metaver" linux-image- sid_run)
	KVER=${KVER#linux-image-}
	[ -n "$KVER" ] || die "cannot resolve the kernel behind sid linux-image-amd64=$metaver"
	KBUILD=/usr/src/linux-headers-$KVER
	if [ ! -f "$SID_ROOT$KBUILD/Makefile" ] || [ ! -x "$SID_ROOT/usr/bin/make" ]; then
		log "installing linux-headers-$KVER and make in the sid chroot"
		sid_run apt-get install -y -qq --no-install-recommends "linux-headers-$KVER" make \
			>"$KDIR/apt.log" 2>&1 || { tail -20 "$KDIR/apt.log" >&2; die "apt-get failed in sid chroot"; }
	fi
	if [ ! -f "$KDIR/.ucmd-image-$KVER" ]; then
		fetch_image "$metaver" sid_run
		touch "$KDIR/.ucmd-image-$KVER"
	fi
	sid_unlock
	KIMAGE=$(first_of "$KDIR"/root/boot/vmlinuz-"$KVER" "$KDIR"/root/usr/lib/modules/"$KVER"/vmlinuz)
	KCHROOT=$SID_ROOT
	;;
debug)
	"$UCMD_ROOT/vm/debug-kernel.sh" debug
	KBUILD=$KDIR/build
	KVER=$(cat "$KBUILD/include/config/kernel.release")
	KIMAGE=$KBUILD/arch/x86/boot/bzImage
	KCHROOT=""
	rm -rf "$KDIR/kmod"; mkdir -p "$KDIR/kmod"; : >"$KDIR/kmod/order"	# all built in
	;;
sid-debug)
	sid_lock
	sid_chroot
	sid_unlock
	"$UCMD_ROOT/vm/debug-kernel.sh" sid-debug
	KBUILD=/ucmd-kbuild/sid-debug	# as the chroot sees it
	KVER=$(cat "$SID_ROOT$KBUILD/include/config/kernel.release")
	KIMAGE=$SID_ROOT$KBUILD/arch/x86/boot/bzImage
	KCHROOT=$SID_ROOT
	rm -rf "$KDIR/kmod"; mkdir -p "$KDIR/kmod"; : >"$KDIR/kmod/order"	# all built in
	;;
esac

[ -n "${KIMAGE:-}" ] && [ -f "$KIMAGE" ] || die "no kernel image found for $KVER"
if [ "$FLAVOUR" != debug ] && [ "$FLAVOUR" != sid-debug ]; then
	moddir=$(first_of "$KDIR"/root/lib/modules/"$KVER" "$KDIR"/root/usr/lib/modules/"$KVER")
	[ -n "$moddir" ] || die "no module directory in the $KVER image packages"
	extract_crypto "$moddir"
fi

cat >"$KDIR/kernel.env" <<ENV
KFLAVOUR=$FLAVOUR
KVER=$KVER
KIMAGE=$KIMAGE
KBUILD=$KBUILD
KCHROOT=$KCHROOT
KMOD=$KDIR/kmod
ENV
log "kernel $KVER"
log "  image:    $KIMAGE"
log "  build:    ${KCHROOT:+(in $KCHROOT) }$KBUILD"
log "  modules:  $KDIR/kmod ($(tr '\n' ' ' <"$KDIR/kmod/order"))"
if [ -s "$KDIR/kmod/accel-order" ]; then
	log "  accelerated (bench only): $(tr '\n' ' ' <"$KDIR/kmod/accel-order")"
fi
