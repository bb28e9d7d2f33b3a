# SPDX-License-Identifier: GPL-2.0
# Shared paths and helpers for the vm/ scripts (sourced, not run).

UCMD_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
UCMD_CACHE=${UCMD_CACHE:-$UCMD_ROOT/.cache}
SID_ROOT=$UCMD_CACHE/sid-root
# Where kernel/ and include/ are taken from, and where builds, logs and results go. Both can
# point elsewhere (e.g. to try the rig on a scratch module) without touching the repo's.
UCMD_SRC=${UCMD_SRC:-$UCMD_ROOT}
UCMD_OUT=${UCMD_OUT:-$UCMD_CACHE}
FLAVOURS="bookworm backports sid debug"

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

# Run a command inside the sid chroot, with a private /proc mounted. Users hold a shared lock
# so that sid_umount (after a script's last sid_run) leaves /proc to whoever still needs it.
sid_run() {
	(
		flock -s 8
		mountpoint -q "$SID_ROOT/proc" || mount -t proc proc "$SID_ROOT/proc"
		# Process substitution in scripts needs /dev/fd.
		[ -e "$SID_ROOT/dev/fd" ] || ln -s /proc/self/fd "$SID_ROOT/dev/fd"
		chroot "$SID_ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
	) 8>>"$SID_ROOT/.ucmd-proc.lock"
}

sid_umount() {
	[ -d "$SID_ROOT" ] || return 0
	(
		flock -n -x 8 || exit 0	# still in use by another run
		if mountpoint -q "$SID_ROOT/proc"; then umount "$SID_ROOT/proc"; fi
	) 8>>"$SID_ROOT/.ucmd-proc.lock"
}
