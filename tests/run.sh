#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# run.sh - the one test runner: every test binary of a directory as one TAP line, judged by vm/judge.sh, on a host or sourced by the guest's /init.
#
# usage: tests/run.sh [-v] [DIR]     (make -C tests check / asan-check run it on $(O)/tests)
#   DIR holds the test binaries (default: this script's directory). UCMD_FILTER picks tests by
#   name (a glob, default '*'); each gets UCMD_TEST_TIMEOUT seconds (default 300). -v shows
#   every test's output, else only a failed one's. Prints TAP ("ok N - NAME", "not ok N - NAME
#   # WHY", "ok N - NAME # SKIP WHY"), then "1..N" and "# N passed, N failed, N skipped";
#   exit status 1 if any test failed.
#
# A test passes when vm/judge.sh says so: exit 0 with a matching plan and no "not ok"; exit 77
# is a skip. Each test runs in its own session under a watchdog (SIGTERM at the timeout, then
# SIGKILL), and whatever it leaves behind is killed before the next one starts.
#
# The guest's /init (vm/guest-init.sh) sources this file with RUN_LIB=1 for its functions
# (run_dir, run_test, tap_result) and redefines the hooks: run_before loads the modules and
# scans the kernel log, run_after scans it again, run_stuck crashes the guest. On a host the
# hooks do nothing of the kind: the kernel's log is not ours to clear.
#
# Reads FILTER, TIMEOUT and SCALE (the per-test limit is TIMEOUT x SCALE seconds), VERBOSE (1:
# every test's output as "# " lines, as it comes) and W (a directory for the runner's files);
# counts in N, PASS, FAIL and SKIP.

N=0 PASS=0 FAIL=0 SKIP=0
W=/tmp VERBOSE=1 RUN_WHY=""

# Hooks (the guest redefines them). run_before NAME: before a test, with "$W/rep" empty;
# anything it writes there fails the test; non-zero skips running it and fails it with RUN_WHY.
run_before() { :; }
# run_after: after a test; anything it appends to "$W/rep" fails it.
run_after() { :; }
# run_stuck NAME: a test's process outlived SIGKILL by 10 s.
run_stuck() { echo "# $1: a process still alive 10 s after SIGKILL (stuck in the kernel?), left behind"; }

# tap_result NAME STATUS [REASON], STATUS one of ok, fail, skip.
tap_result() {
	N=$((N + 1))
	case "$2" in
	ok) PASS=$((PASS + 1)); echo "ok $N - $1" ;;
	skip) SKIP=$((SKIP + 1)); echo "ok $N - $1 # SKIP ${3:-no reason given}" ;;
	*) FAIL=$((FAIL + 1)); echo "not ok $N - $1${3:+ # $3}" ;;
	esac
}

# UP: whole seconds since boot, read without a fork.
uptime_s() {
	read -r UP _ </proc/uptime
	UP=${UP%.*}
}

# Ends the process group $1 of a test after $2 s: SIGTERM, then SIGKILL. Killed before that
# (the test ended), it takes its sleep along, so nothing lingers.
watchdog() {
	trap 'kill $wd_sleep 2>/dev/null; exit 0' TERM
	sleep "$2" &
	wd_sleep=$!
	wait $wd_sleep
	kill -TERM -"$1" 2>/dev/null || return 0
	sleep 2
	kill -KILL -"$1" 2>/dev/null
}

# Kills what is left of the test's process group $1 (named $2). A process still there 10 s
# after SIGKILL is stuck in the kernel: run_stuck reports it; returns non-zero then.
reap_group() {
	kill -KILL -"$1" 2>/dev/null || return 0
	i=0
	while kill -0 -"$1" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 20 ]; then
			run_stuck "$2"
			return 1
		fi
		sleep 0.5
	done
}

# run_test PATH NAME: one test binary as one TAP line.
run_test() {
	t=$1 name=$2
	: >"$W/rep"
	run_before "$name" || { tap_result "$name" fail "$RUN_WHY"; return; }
	limit=$((TIMEOUT * SCALE))
	[ "$VERBOSE" = 1 ] && echo "# === $name (timeout $limit s)"
	# The test runs in its own session: on timeout, or when it leaves children behind, the
	# whole group is killed, so nothing keeps its output pipe open.
	[ -p "$W/fifo" ] || mkfifo "$W/fifo"
	if [ "$VERBOSE" = 1 ]; then
		tee "$W/out" <"$W/fifo" | sed 's/^/# /' &
	else
		cat <"$W/fifo" >"$W/out" &
	fi
	reader=$!
	uptime_s; start=$UP
	# (The wrapper shell exits normally on TERM, so the calling shell reports no killed job.)
	(cd "$W" && exec setsid sh -c 'trap "exit 143" TERM; "$0"; exit $?' "$t" \
		</dev/null >"$W/fifo" 2>&1) &
	pid=$!
	# Its output goes nowhere: its sleep must not hold a caller's pipe open once we are done.
	watchdog $pid "$limit" >/dev/null 2>&1 &
	watchdog=$!
	wait $pid 2>/dev/null; rc=$?
	uptime_s; secs=$((UP - start))
	kill $watchdog 2>/dev/null
	stuck=0
	reap_group $pid "$name" || stuck=1
	wait $reader
	run_after
	judge "$rc" "$W/out" "$W/rep"
	[ "$VERBOSE" = 1 ] || [ "$VERDICT" != fail ] || sed 's/^/# /' "$W/out"
	[ -s "$W/rep" ] && sed 's/^/# /' "$W/rep"
	if [ "$VERDICT" = fail ] && [ "$rc" -ne 0 ] && [ "$secs" -ge "$limit" ]; then
		WHY="timed out after ${limit} s; $WHY"
	fi
	[ $stuck = 1 ] && VERDICT=fail WHY="stuck: alive 10 s after SIGKILL; $WHY"
	tap_result "$name" "$VERDICT" "$WHY"
	# Where a run's time goes (make test's budget): one line per test.
	[ "$VERBOSE" = 1 ] && echo "# time: $name $secs s"
	return 0
}

# run_dir DIR [PREFIX]: run_test on every executable in DIR whose name FILTER matches, named
# PREFIX (e.g. "asan/") followed by its file name.
run_dir() {
	for t in "$1"/*; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		# shellcheck disable=SC2254 # $FILTER is a glob on purpose
		case "${t##*/}" in *.sh) continue ;; $FILTER) ;; *) continue ;; esac
		run_test "$t" "$2${t##*/}"
	done
}

[ "${RUN_LIB:-0}" = 1 ] && return 0

# On a host: the judge from vm/, a private directory, the summary and the exit status.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=vm/judge.sh
. "$here/../vm/judge.sh"
VERBOSE=0
if [ "$1" = "-v" ]; then
	VERBOSE=1
	shift
fi
dir=$(cd "${1:-$here}" && pwd) || exit 2
FILTER=${UCMD_FILTER:-*} TIMEOUT=${UCMD_TEST_TIMEOUT:-300} SCALE=1
W=$(mktemp -d "${TMPDIR:-/tmp}/ucmd-test.XXXXXX") || exit 2
trap 'rm -rf "$W"' EXIT
run_dir "$dir"
echo "1..$N"
echo "# $PASS passed, $FAIL failed, $SKIP skipped"
[ "$FAIL" -eq 0 ]
