#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs the suite on each given flavour (prepare kernel, modules, initramfs, boot) and the style
# gates of make check, two jobs at a time on a machine with two cores or more, and sums up.
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
# while the stock kernels' suites run. Each leaves a marker when its build is over, so its suite
# can start while the next one builds. sid-debug first: its suite is the longest.
PREBUILD=()
for k in sid-debug debug; do
	[[ " ${KERNELS[*]} " == *" $k "* ]] && PREBUILD+=("$k")
done
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
	if [ -f "$UCMD_OUT/logs/prebuild-$k.log" ] && [ -e "$MINE/prebuilt-$k" ]; then
		sed 's/^/    /' "$UCMD_OUT/logs/prebuild-$k.log" | tail -n 20
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

# The style gates of "make check", one TAP line each; their findings are in the log.
gates() {
	local g n=0 start=$SECONDS
	echo "=== style gates (make check)"
	for g in judge shellcheck checkpatch sparse clang-format kernel-doc asan lib install; do
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
	echo "=== style gates: done after $((SECONDS - start)) s"
}

# The jobs, about longest first: the sanitizer kernels' suites, bookworm's (with its ASan
# pass), the gates, the other stock kernels' suites.
{
	printf '%s\n' "${PREBUILD[@]}"
	for k in "${KERNELS[@]}"; do [ "$k" = bookworm ] && echo "$k"; done
	echo gates
	for k in "${KERNELS[@]}"; do is_debug_flavour "$k" || [ "$k" = bookworm ] || echo "$k"; done
} | sed '/^$/d' >"$MINE/queue"

# ready J: true unless J is a sanitizer kernel whose background build is still running.
ready() {
	[ -z "$prebuild_pid" ] || ! is_debug_flavour "$1" || [ -e "$MINE/prebuilt-$1" ] ||
		! kill -0 "$prebuild_pid" 2>/dev/null
}

# next_job: prints the first ready job and takes it off the queue, "wait" if none is ready
# yet, nothing once the queue is empty.
next_job() {
	local j jobs
	exec 7>"$MINE/queue.lock"
	flock 7
	mapfile -t jobs <"$MINE/queue"
	for j in "${jobs[@]}"; do
		# A warm cache's build check takes seconds: wait for it rather than start a short
		# job before the longest ones (a fresh machine's builds take minutes: go on).
		if ! ready "$j" && [ "$SECONDS" -lt "${UCMD_BUILD_WAIT:-40}" ]; then
			echo wait
			return
		fi
		if ready "$j"; then
			printf '%s\n' "${jobs[@]}" | grep -vx "$j" >"$MINE/queue.new" || true
			mv "$MINE/queue.new" "$MINE/queue"
			echo "$j"
			return
		fi
	done
	if [ ${#jobs[@]} -gt 0 ]; then echo wait; fi
}

# A worker runs jobs until the queue is empty.
worker() {
	local j
	while j=$(next_job) && [ -n "$j" ]; do
		case "$j" in
		wait) sleep 2 ;;
		gates) gates ;;
		*) suite "$j" ;;
		esac
	done
}

# Two workers, one guest each: a TCG guest keeps about one host core busy, so on two cores the
# sanitizer kernels' suites (the longest) run beside the stock kernels' suites and the gates.
# UCMD_LANES=1 runs one job at a time.
LANES=${UCMD_LANES:-$(($(nproc) >= 2 ? 2 : 1))}
echo "=== jobs: $(tr '\n' ' ' <"$MINE/queue")in $LANES lane(s)"
pids=()
for ((l = 1; l < LANES; l++)); do
	worker &
	pids+=($!)
done
worker
for p in "${pids[@]}"; do wait "$p" || true; done

# Where the time went: each flavour's slowest tests (guest-init's "# time:" lines).
echo "=== slowest tests"
for k in "${KERNELS[@]}"; do
	f=$UCMD_OUT/logs/$k-test.log
	[ -f "$f" ] || continue
	printf '%-10s %s\n' "$k" "$(sed -n 's/^# time: \(.*\) \([0-9]*\) s$/\2 \1/p' "$f" |
		sort -rn | head -n 5 | awk '{ printf "%s %s s, ", $2, $1 }' | sed 's/, $//')"
done
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
