# SPDX-License-Identifier: GPL-2.0
# Shared paths and helpers for the vm/ scripts (sourced, not run).

UCMD_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
UCMD_CACHE=${UCMD_CACHE:-$UCMD_ROOT/.cache}
SID_ROOT=$UCMD_CACHE/sid-root
# Where kernel/ and include/ are taken from, and where builds, logs and results go. Both can
# point elsewhere (e.g. to try the rig on a scratch module) without touching the repo's.
UCMD_SRC=${UCMD_SRC:-$UCMD_ROOT}
UCMD_OUT=${UCMD_OUT:-$UCMD_CACHE}
FLAVOURS="bookworm backports sid debug sid-debug"

log() { echo "[${UCMD_LOG_TAG:-vm}] $*" >&2; }
die() { log "error: $*"; exit 1; }

check_flavour() {
	case " $FLAVOURS " in
	*" $1 "*) ;;
	*) die "unknown flavour '$1' (one of: $FLAVOURS)" ;;
	esac
}

# Print "KEY=value" lines describing a prepared kernel; load them with kernel_env.
kernel_env() {
	local f=$UCMD_CACHE/kernels/$1/kernel.env
	[ -f "$f" ] || die "kernel '$1' not prepared: run vm/kernels.sh $1"
	# shellcheck disable=SC1090
	. "$f"
}

# Run a command inside the sid chroot. Its /proc is mounted in a private mount namespace: no
# other run sees it, nothing is left mounted under .cache, and nothing needs unmounting.
sid_run() {
	# Process substitution in scripts needs /dev/fd.
	[ -e "$SID_ROOT/dev/fd" ] || ln -s /proc/self/fd "$SID_ROOT/dev/fd"
	unshare --mount --propagation private /bin/sh -c \
		'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"' "$SID_ROOT" \
		/usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
		DEBIAN_FRONTEND=noninteractive "$@"
}

# Unmounts a /proc that older versions of sid_run left mounted in the chroot.
sid_umount() {
	if [ -d "$SID_ROOT/proc" ] && mountpoint -q "$SID_ROOT/proc"; then
		umount "$SID_ROOT/proc" 2>/dev/null || true
	fi
}

# True for the sanitizer kernels built by vm/debug-kernel.sh (KASAN, lockdep, kmemleak).
is_debug_flavour() {
	case "$1" in debug | sid-debug) return 0 ;; *) return 1 ;; esac
}

# Prints the path of bookworm's linux-source-6.1 tarball, unpacked from its package into the
# cache (never installed) the first time.
linux_source_61() {
	local dir=$UCMD_CACHE/src/pkg t
	t=$(ls "$dir"/usr/src/linux-source-6.1.tar.xz 2>/dev/null) && { echo "$t"; return 0; }
	log "downloading linux-source-6.1 (unpacked into the cache)"
	rm -rf "$dir" && mkdir -p "$dir/debs"
	(cd "$dir/debs" && apt-get download -qq -o APT::Sandbox::User=root linux-source-6.1) >&2 ||
		die "cannot download linux-source-6.1"
	dpkg-deb -x "$dir"/debs/linux-source-6.1_*.deb "$dir"
	ls "$dir"/usr/src/linux-source-6.1.tar.xz
}

# Serialises apt and debootstrap in the sid chroot between concurrent preparations (make test
# builds the debug kernels in the background): sid_lock takes it, sid_unlock releases it.
sid_lock() {
	exec 8>"$UCMD_CACHE/.sid-chroot.lock"
	flock 8
}
sid_unlock() {
	flock -u 8
}
