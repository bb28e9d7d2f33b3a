#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Prepares one flavour (kernel, modules, initramfs) and boots it in a mode: make demo/shell use it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

FLAVOUR=${1:?usage: vm/boot.sh FLAVOUR test|demo|bench|shell}
MODE=${2:-demo}
check_flavour "$FLAVOUR"
mkdir -p "$UCMD_OUT"

# The same lock as vm/test.sh: both write .cache/build/<flavour>. An interactive shell holds
# it only while its guest is prepared.
exec 9>"$UCMD_OUT/.test.lock"
if ! flock -n 9; then
	echo "=== another run is using this tree's build directory; waiting for it to finish" >&2
	flock 9
fi
for s in kernels modules initramfs; do
	"$UCMD_ROOT/vm/$s.sh" "$FLAVOUR"
done
[ "$MODE" != shell ] || exec 9>&-
"$UCMD_ROOT/vm/run.sh" "$FLAVOUR" "$MODE"
