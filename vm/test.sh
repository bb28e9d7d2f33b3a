#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs the suite on each given flavour (prepare kernel, modules, initramfs, boot) and the style
# gates of make check, in two lanes on a machine with two cores or more, and sums up.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

KERNELS=("$@")
[ ${#KERNELS[@]} -gt 0 ] || read -r -a KERNELS <<<"$FLAVOURS"
for k in "${KERNELS[@]}"; do check_flavour "$k"; done
RES=$UCMD_OUT/results
mkdir -p "$RES"

# Runs in one tree share .cache/build and .cache/results: take turns.
exec 9>"$UCMD_OUT/.test.lock"
if ! flock -n 9; then
	echo "=== another 'make test' is running in this tree; waiting for it to finish"
	flock 9
fi
# This run's verdicts, safe from anything else writing to $RES.
MINE=$(mktemp -d)
trap 'rm -rf "$MINE"' EXIT

# The sanitizer kernels take minutes to build: build them one after the other in the background
# while the stock kernels' suites run (those spend much of their time waiting on guest timers).
# Each leaves a marker when its build is over, so the first one's suite runs while the next builds.
PREBUILD=()
for k in "${KERNELS[@]}"; do is_debug_flavour "$k" && PREBUILD+=("$k"); done
prebuild_pid=""
if [ ${#PREBUILD[@]} -gt 0 ]; then
	mkdir -p "$UCMD_OUT/logs"
	echo "=== building ${PREBUILD[*]} in the background (logs: $UCMD_OUT/logs/prebuild-*.log)"
	(for k in "${PREBUILD[@]}"; do
		"$UCMD_ROOT/vm/kernels.sh" "$k" >"$UCMD_OUT/logs/prebuild-$k.log" 2>&1 || true
		touch "$MINE/prebuilt-$k"
	done) &
	prebuild_pid=$!
fi

# suite K: kernel, modules, initramfs and the guest's run of flavour K; its TAP lands in $MINE.
suite() {
	local k=$1 start step="" s
	if [ -n "$prebuild_pid" ] && is_debug_flavour "$k"; then
		if [ ! -e "$MINE/prebuilt-$k" ]; then
			echo "=== $k: waiting for its background build"
			while [ ! -e "$MINE/prebuilt-$k" ] && kill -0 "$prebuild_pid" 2>/dev/null; do sleep 5; done
		fi
		if [ -f "$UCMD_OUT/logs/prebuild-$k.log" ]; then
			sed 's/^/    /' "$UCMD_OUT/logs/prebuild-$k.log" | tail -n 20
		fi
	fi
	echo "=== $k: kernel, modules, initramfs"
	rm -f "$RES/$k.tap"
	start=$SECONDS
	for s in kernels modules initramfs; do
		if ! "$UCMD_ROOT/vm/$s.sh" "$k"; then step=$s; break; fi
	done
	if [ -n "$step" ]; then
		printf 'not ok 1 - %s/%s # vm/%s.sh failed\n1..1\n' "$k" "$step" "$step" >"$RES/$k.tap"
		cp "$RES/$k.tap" "$MINE/"
		echo "=== $k: preparation failed in vm/$step.sh"
		return
	fi
	echo "=== $k: prepared in $((SECONDS - start)) s, booting"
	"$UCMD_ROOT/vm/run.sh" "$k" test || true
	if [ -f "$RES/$k.tap" ]; then
		cp "$RES/$k.tap" "$MINE/"
	else
		printf 'not ok 1 - %s/results # vm/run.sh left no TAP\n1..1\n' "$k" >"$MINE/$k.tap"
	fi
	echo "=== $k: done after $((SECONDS - start)) s"
}

# Two lanes, one guest each: a TCG guest keeps about one host core busy, so on two cores the
# sanitizer kernels' suites (the longest) run beside the stock kernels' suites and the style
# gates instead of after them. UCMD_LANES=1 runs everything one after the other.
LANES=${UCMD_LANES:-$(($(nproc) >= 2 ? 2 : 1))}
STOCK=() SANITIZER=()
for k in "${KERNELS[@]}"; do
	if [ "$LANES" -ge 2 ] && is_debug_flavour "$k"; then SANITIZER+=("$k"); else STOCK+=("$k"); fi
done
lane_pid=""
if [ ${#SANITIZER[@]} -gt 0 ]; then
	echo "=== second lane: ${SANITIZER[*]}; first lane: ${STOCK[*]:-} and the style gates"
	(for k in "${SANITIZER[@]}"; do suite "$k"; done) &
	lane_pid=$!
fi
for k in "${STOCK[@]}"; do suite "$k"; done

# The style gates of "make check", one TAP line each; their findings are in the log.
echo "=== style gates (make check)"
GATE_LIST=(judge shellcheck checkpatch sparse clang-format kernel-doc asan install)
n=0
for g in "${GATE_LIST[@]}"; do
	n=$((n + 1))
	if GATES=$g "$UCMD_ROOT/scripts/check.sh" >"$RES/check-$g.log" 2>&1; then
		echo "ok $n - check/$g" | tee -a "$MINE/check.tap"
	else
		echo "not ok $n - check/$g # findings in $RES/check-$g.log" | tee -a "$MINE/check.tap"
		grep -v '^=== check\|^check:' "$RES/check-$g.log" | head -20 | sed 's/^/    /'
	fi
done
echo "1..$n" >>"$MINE/check.tap"
cp "$MINE/check.tap" "$RES/check.tap"
if [ -n "$lane_pid" ]; then
	echo "=== waiting for the second lane (${SANITIZER[*]})"
	wait "$lane_pid" || true
fi

echo "=== summary after $SECONDS s"
tp=0 tf=0 ts=0
for k in "${KERNELS[@]}" check; do
	tap=$MINE/$k.tap
	[ -f "$tap" ] || printf 'not ok 1 - %s/results # its lane left no TAP\n1..1\n' "$k" >"$tap"
	p=$(grep -E '^ok [0-9]+ ' "$tap" | grep -cv '# SKIP' || true)
	s=$(grep -cE '^ok [0-9]+ .*# SKIP' "$tap" || true)
	f=$(grep -cE '^not ok ' "$tap" || true)
	printf '%-10s %4d passed, %4d failed, %4d skipped\n' "$k" "$p" "$f" "$s"
	grep -E '^not ok ' "$tap" | sed 's/^/             /' || true
	tp=$((tp + p)) tf=$((tf + f)) ts=$((ts + s))
done
echo "$tp passed, $tf failed, $ts skipped"
[ "$tf" -eq 0 ]
