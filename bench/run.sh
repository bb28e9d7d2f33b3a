#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: boots each kernel twice (icount, then plain TCG) and collects the benchmark figures.
set -euo pipefail
cd "$(dirname "$0")/.."
. vm/lib.sh

KERNELS=${*:-bookworm}
OUT=$UCMD_CACHE/bench
mkdir -p "$OUT"
: >"$OUT/lines.txt"
for k in $KERNELS; do
	make --no-print-directory initramfs KERNEL="$k"
	for clock in icount wall; do
		if [ "$clock" = icount ]; then
			QEMU_EXTRA="-icount shift=0,sleep=off" vm/run.sh "$k" bench || true
		else
			QEMU_EXTRA="" vm/run.sh "$k" bench || true
		fi
		# Label each figure with the clock it was measured by.
		grep -a '^BENCH {' "$UCMD_OUT/logs/$k-bench.log" |
			sed "s/^BENCH {/{\"clock\":\"$clock\",\"flavour\":\"$k\",/; s/\"clock\":\"guest\",//" \
				>>"$OUT/lines.txt" || true
		cp "$UCMD_OUT/logs/$k-bench.log" "$OUT/$k-$clock.log"
	done
done
python3 bench/report.py "$OUT/lines.txt" "$OUT"
