#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Proves ucmd_pdu()/ucmd_payload() reject oversized and over-aligned types at compile time.
# usage: scripts/pdu-buildfail.sh KBUILD_DIR   (exits non-zero if a bad type compiles)
set -euo pipefail
KDIR=${1:?usage: $0 KBUILD_DIR}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

# try NAME EXPECT TYPE ACCESSOR: builds a one-function module using ACCESSOR(uc, TYPE).
try() {
	local d=$W/$1
	mkdir -p "$d"
	printf 'ccflags-y += -I%s/include\nobj-m += t.o\n' "$ROOT" >"$d/Kbuild"
	cat >"$d/t.c" <<C
// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>
#include <linux/ucmd.h>
struct big { u8 b[UCMD_PDU_SIZE + 1]; };
struct wide { u64 v; } __aligned(16);
struct fits { u64 v[3]; };
struct huge { u8 b[UCMD_MAX_PAYLOAD + 1]; };
int t_use(struct ucmd *uc);
int t_use(struct ucmd *uc) { return !!$4(uc, $3); }
EXPORT_SYMBOL_GPL(t_use);
MODULE_LICENSE("GPL");
C
	local rc=0
	make -C "$KDIR" M="$d" modules >"$d/log" 2>&1 || rc=1
	if [ "$2" = ok ] && [ $rc -ne 0 ]; then
		tail -5 "$d/log" >&2
		echo "pdu-buildfail: $1 should compile but did not" >&2
		return 1
	fi
	if [ "$2" = fail ] && [ $rc -eq 0 ]; then
		echo "pdu-buildfail: $1 compiled but must not" >&2
		return 1
	fi
	echo "pdu-buildfail: $1: $([ $rc -eq 0 ] && echo compiles || echo refused), as it must"
}

try pdu-fits ok 'struct fits' ucmd_pdu
try pdu-oversized fail 'struct big' ucmd_pdu
try pdu-overaligned fail 'struct wide' ucmd_pdu
try payload-oversized fail 'struct huge' ucmd_payload
try payload-overaligned fail 'struct wide' ucmd_payload
