#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boots a prepared flavour in QEMU (test|demo|bench|shell), streams the console and scores its TAP.
#
# Environment: ACCEL (tcg), VM_TIMEOUT (seconds for the whole boot; 1800, debug 3600, bench 2400),
# UCMD_FILTER (test glob), UCMD_TEST_TIMEOUT (per-test default), UCMD_TIMEOUT_SCALE (debug
# multiplies every per-test timeout by it, default 5), LOGLEVEL, QEMU_EXTRA (extra QEMU
# arguments; bench mode defaults to "-icount shift=0,sleep=off"), UCMD_BENCH_IDLE (seconds
# to idle first in bench mode, default 10).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

FLAVOUR=${1:?usage: vm/run.sh FLAVOUR test|demo|bench|shell}
MODE=${2:-test}
check_flavour "$FLAVOUR"
UCMD_LOG_TAG=$FLAVOUR
kernel_env "$FLAVOUR"
INITRD=$UCMD_OUT/build/$FLAVOUR/initramfs.cpio.gz
[ -f "$INITRD" ] || die "no initramfs: run vm/initramfs.sh $FLAVOUR"

# The whole-boot limit only catches a guest that hangs outside any test (each test has its
# own); bookworm runs every test twice (plain and ASan) and, on a fresh machine, beside a
# sanitizer guest and a kernel build: 900 s was seen to run out there.
mem=1G smp=2 extra=() limit=${VM_TIMEOUT:-1800} cpu=max
# A log big enough for the whole run: the guest scans every line between tests, and nothing
# may scroll out before it is read.
append="console=ttyS0 panic=-1 loglevel=${LOGLEVEL:-4} log_buf_len=16M ucmd.mode=$MODE"
if is_debug_flavour "$FLAVOUR"; then
	# KASAN needs shadow memory; KASAN + lockdep under TCG run several times slower, so
	# every per-test timeout is scaled and the whole boot gets more time. Scale 5: on a
	# fresh machine a sanitizer suite shares the two cores with a kernel build and another
	# guest, and fuzz_sqe (about 130 s alone on sid-debug) was seen at over 360 s then.
	mem=2G limit=${VM_TIMEOUT:-3600}
	append+=" ucmd.timeout_scale=${UCMD_TIMEOUT_SCALE:-5}"
	# Report every KASAN finding, not only the first one.
	append+=" kasan_multi_shot"
	# 6.1 clears the LA57 feature bit for a moment in identify_cpu(); an interrupt then makes
	# generic KASAN report a false wild-memory-access. Boot with 4-level paging.
	cpu=max,la57=off
else
	# Stock Debian kernels zero allocations; expose uninitialised memory instead. Benchmarks
	# keep Debian's defaults: SLUB debugging takes every allocation off its fast path.
	[ "$MODE" = bench ] || append+=" init_on_alloc=0 slub_debug=FZP"
	append+=" edd=off"
	if dpkg --compare-versions "$KVER" ge 6.12; then append+=" kfence.sample_interval=100"; fi
fi
[ -n "${UCMD_FILTER:-}" ] && append+=" ucmd.filter=$UCMD_FILTER"
[ -n "${UCMD_TEST_TIMEOUT:-}" ] && append+=" ucmd.timeout=$UCMD_TEST_TIMEOUT"
case "$MODE" in
test | demo) ;;
bench)
	# ucmd_bench and ucrypto_bench together run for minutes of real time under icount.
	smp=1 limit=${VM_TIMEOUT:-2400}
	append+=" ucmd.idle=${UCMD_BENCH_IDLE:-10}"
	read -r -a extra <<<"${QEMU_EXTRA--icount shift=0,sleep=off}"
	;;
shell) limit=0 ;;
*) die "unknown mode '$MODE' (test|demo|bench|shell)" ;;
esac
[ "$MODE" = bench ] || read -r -a extra <<<"${QEMU_EXTRA:-}"

qemu=(qemu-system-x86_64 -accel "${ACCEL:-tcg}" -cpu "$cpu" -m "$mem" -smp "$smp" -nic none
	-kernel "$KIMAGE" -initrd "$INITRD" -append "$append" -nographic -no-reboot "${extra[@]}")

if [ "$MODE" = shell ]; then
	exec "${qemu[@]}"
fi

mkdir -p "$UCMD_OUT/logs" "$UCMD_OUT/results"
LOG=$UCMD_OUT/logs/$FLAVOUR-$MODE.log
if [ "$MODE" = test ]; then TAP=$UCMD_OUT/results/$FLAVOUR.tap; else TAP=$UCMD_OUT/results/$FLAVOUR-$MODE.tap; fi
prefix="[$FLAVOUR] "
[ "$MODE" = demo ] && prefix=""

# A kernel that dies before /init printed anything of ours (seen once with 7.2 under TCG: an
# int3 Oops in the scheduler while the kernel patched its own text on another vCPU) tells
# nothing about ucmd: boot once more, keep the first log, and say so.
for attempt in 1 2; do
	log "booting $KVER ($MODE, timeout ${limit} s)"
	start=$SECONDS
	rc=0
	# Console: drop carriage returns and the firmware's terminal escape sequences.
	timeout -k 10 "$limit" "${qemu[@]}" </dev/null 2>&1 |
		sed -u 's/\r//g; s/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1b[c=>]//g' | tee "$LOG" |
		sed -u "s/^/$prefix/" || rc=$?
	secs=$((SECONDS - start))
	if [ $attempt -eq 2 ] || grep -qE '^(not )?ok [0-9]+ |^UCMD-SUITE-END|^# ucmd ' "$LOG" ||
		! grep -qE 'Kernel panic|Oops' "$LOG"; then
		break
	fi
	mv "$LOG" "$LOG.boot1"
	log "warning: the kernel died while booting, before any test ($(grep -m1 -E 'Oops|Kernel panic' "$LOG.boot1" | sed 's/^\[[ 0-9.]*\] //')); log: $LOG.boot1; booting once more"
done

# Score the TAP lines; a missing end marker (hang, panic, timeout) is one more failure.
grep -E '^(not )?ok [0-9]+ ' "$LOG" >"$TAP.tmp" || true
if ! grep -q '^UCMD-SUITE-END' "$LOG"; then
	n=$(($(wc -l <"$TAP.tmp") + 1))
	why="no end marker after $secs s (qemu status $rc: hang, panic or timeout)"
	last=$(sed -n 's/^# === \([^ ]*\) .*/\1/p' "$LOG" | tail -n 1)
	[ -n "$last" ] && why+=" during test $last"
	echo "not ok $n - $FLAVOUR/boot # $why" >>"$TAP.tmp"
	log "$why; last lines of $LOG:"
	tail -n 40 "$LOG" | sed "s/^/$prefix| /" >&2
fi
# Cross-check the guest's own plan and summary against the lines read here.
gplan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$LOG" | tail -n 1)
gsum=$(sed -n 's/^# \([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped$/\1 \2 \3/p' "$LOG" | tail -n 1)
if [ "$MODE" = test ] && [ -n "$gplan" ]; then
	read -r gp gf gs <<<"${gsum:-x x x}"
	hp=$(grep -E '^ok [0-9]+ ' "$TAP.tmp" | grep -cv '# SKIP' || true)
	hs=$(grep -cE '^ok [0-9]+ .*# SKIP' "$TAP.tmp" || true)
	hf=$(grep -cE '^not ok ' "$TAP.tmp" || true)
	if [ "$gplan" -ne "$((hp + hs + hf))" ] || [ "$gp $gf $gs" != "$hp $hf $hs" ]; then
		echo "not ok $(($(wc -l <"$TAP.tmp") + 1)) - $FLAVOUR/tap-crosscheck # guest said 1..$gplan ($gp passed, $gf failed, $gs skipped), the host read $hp/$hf/$hs" >>"$TAP.tmp"
	fi
fi
echo "1..$(wc -l <"$TAP.tmp")" >>"$TAP.tmp"
mv "$TAP.tmp" "$TAP"
pass=$(grep -E '^ok [0-9]+ ' "$TAP" | grep -cv '# SKIP' || true)
skip=$(grep -cE '^ok [0-9]+ .*# SKIP' "$TAP" || true)
fail=$(grep -cE '^not ok ' "$TAP" || true)
log "$pass passed, $fail failed, $skip skipped in $secs s (log: $LOG, TAP: $TAP)"
[ "$fail" -eq 0 ]
