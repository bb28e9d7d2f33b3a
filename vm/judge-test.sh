#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# judge-test.sh - the runner's self-test: stub results that must be judged failed, skipped or passed, under busybox sh as in the guest.
#
# Run by make test (check/judge); exits non-zero if any stub gets the wrong verdict.
# usage: vm/judge-test.sh   (re-executes itself under busybox sh when that is installed)
if [ -z "${JUDGE_TEST_SH:-}" ] && command -v busybox >/dev/null; then
	JUDGE_TEST_SH=1 exec busybox sh "$0" "$@"
fi
here=$(cd "$(dirname "$0")" && pwd)
. "$here/judge.sh"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
n=0 bad=0

# expect NAME WANT RC REPORT-TEXT: the test printed $W/out; REPORT-TEXT is its dmesg.
expect() {
	n=$((n + 1))
	printf '%s' "$4" | grep -E "$REPORTS" >"$W/rep"
	judge "$3" "$W/out" "$W/rep"
	if [ "$VERDICT" = "$2" ]; then
		echo "ok $n - $1: $VERDICT${WHY:+ ($WHY)}"
	else
		echo "not ok $n - $1: judged $VERDICT${WHY:+ ($WHY)}, must be $2"
		bad=$((bad + 1))
	fi
}
out() { printf '%s\n' "$@" >"$W/out"; }

out "ok 1 - a" "not ok 2 - b" "1..2"
expect "exit 0 after not ok" fail 0 ""
out "ok 1 - a" "ok 2 - b"
expect "no plan" fail 0 ""
out "ok 1 - a" "1..3"
expect "plan larger than the results" fail 0 ""
out "not ok 1 - a" "SKIP: no device"
expect "exit 77 after a failure" fail 77 ""
out "ok 1 - a" "1..1"
expect "a report logged by the previous test's teardown" fail 0 \
	"[ 12.3] WARNING: CPU: 0 PID: 7 at io_uring/io_uring.c:123 io_ring_exit_work"
flood=$(i=0; while [ $i -lt 5000 ]; do echo "[ 1.0] ucmd-demo: hello over io_uring"; i=$((i + 1)); done)
expect "a WARN after a flood of log lines" fail 0 "$flood
[ 13.0] WARNING: CPU: 1 PID: 9 at kernel/foo.c:1 bar"
expect "SLUB's BUG report" fail 0 "[ 2.0] BUG kmalloc-64 (Not tainted): Poison overwritten"
expect "kernel BUG at" fail 0 "[ 2.0] kernel BUG at mm/slub.c:400!"
expect "invalid opcode" fail 0 "[ 2.0] invalid opcode: 0000 [#1] PREEMPT SMP"
expect "an RCU stall" fail 0 "[ 2.0] rcu: INFO: rcu_preempt self-detected stall on CPU"
out "ok 1 - a" "not ok 2 - b # TODO later" "ok 3 - c # SKIP no cqe32" "1..3"
expect "TODO and SKIP directives" ok 0 "[ 1.0] ucmd-demo: hello over ioctl"
out "ok 1 - a # SKIP x" "ok 2 - b # SKIP x" "1..2"
expect "every check skipped" skip 0 ""
out "SKIP: no device"
expect "a clean skip" skip 77 ""
out "ok 1 - a" "1..1"
expect "a clean pass" ok 0 ""
echo "1..$n"
[ $bad -eq 0 ]
