#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# dkms-post-build.sh - dkms.conf's POST_BUILD: keeps ucmd.ko's Module.symvers in DKMS's tree next to the modules it built, where ucmd.mk finds it.
#
# usage (DKMS runs it from its build directory, the copy of /usr/src/ucmd-<version>):
#   dkms-post-build.sh DKMS_TREE/ucmd/VERSION/KERNELRELEASE/ARCH
#
# DKMS keeps only the .ko files of a build and then deletes the build directory, Module.symvers
# with it; an out-of-tree driver needs that file for modpost (KBUILD_EXTRA_SYMBOLS). It goes to
# DKMS's per-kernel directory of this build, which "dkms remove"/"dkms unbuild" delete, so it
# lives exactly as long as the modules it describes. Module paths are rewritten to where DKMS
# installs the modules (updates/dkms/, relative to /lib/modules/<release>), as "make install"
# does for its own copy.
set -eu

dest=${1:?usage: dkms-post-build.sh DKMS_TREE/ucmd/VERSION/KERNELRELEASE/ARCH}
if [ ! -s kernel/Module.symvers ]; then
	echo "ucmd: no kernel/Module.symvers in $(pwd): out-of-tree drivers cannot build" \
		"against this DKMS build" >&2
	exit 1
fi
mkdir -p "$dest"
awk -F'\t' 'BEGIN { OFS = "\t" } { n = split($3, p, "/"); $3 = "updates/dkms/" p[n]; print }' \
	kernel/Module.symvers >"$dest/Module.symvers.tmp"
chmod 644 "$dest/Module.symvers.tmp"
mv -f "$dest/Module.symvers.tmp" "$dest/Module.symvers"
echo "ucmd: Module.symvers for ucmd.mk in $dest"
