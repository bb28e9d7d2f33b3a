#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Removes everything under .cache (kernels, sid chroot, builds), unmounting the chroot first.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

sid_umount
if grep -q " $SID_ROOT/" /proc/mounts; then
	die "something is still mounted under $SID_ROOT; not removing .cache"
fi
rm -rf "${UCMD_CACHE:?}"
