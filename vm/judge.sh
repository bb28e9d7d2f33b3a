# SPDX-License-Identifier: GPL-2.0
# judge.sh - the verdict on one test from its exit status, its TAP output and the kernel's reports (POSIX sh, sourced).
#
# judge RC OUT REPORTS: RC the exit status, OUT a file with what the test printed, REPORTS a
# file with the kernel reports logged while it ran (empty: none). Sets VERDICT to ok, skip or
# fail and WHY to the reason. A test passes only when it exits 0, prints a plan "1..N" that
# matches the N results it printed, and no "not ok" outside a "# SKIP" or "# TODO"
# directive. A skip (exit 77) after a failure is a failure; a test whose every result was a
# skip is a skip.

# What a kernel report looks like in dmesg: oopses, BUGs (SLUB's "BUG kmalloc-64 (...)" too),
# WARNs, sanitizers, lockdep, RCU stalls, hung tasks, KTAP failures of in-kernel tests.
REPORTS='BUG:|BUG [a-z0-9_.()-]+ [(]|kernel BUG at|invalid opcode:|WARNING:|KASAN|UBSAN|rcu: INFO|self-detected stall|RCU stall|possible recursive locking|possible circular locking|inconsistent lock state|suspicious RCU|lockdep|kmemleak|hung_task|blocked for more than|Oops|general protection|refcount_t:|list_add corruption|list_del corruption|ODEBUG|Kernel panic|EXPECTATION FAILED|ASSERTION FAILED|^[[] *[0-9.]*[]] *not ok [0-9]|^ *not ok [0-9]'

# The first "not ok" line of OUT that is not a SKIP or TODO, without its number (empty: none).
judge_first_failure() {
	grep -E '^not ok [0-9]+' "$1" | grep -Ev '#[[:space:]]*(SKIP|TODO)' | head -n 1 |
		sed 's/^not ok [0-9]* *-* *//' | cut -c1-160
}

judge() {
	_rc=$1 _out=$2 _rep=$3
	VERDICT=fail WHY=""
	if [ -s "$_rep" ]; then
		WHY="kernel report in dmesg"
		return
	fi
	_first=$(judge_first_failure "$_out")
	_results=$(grep -cE '^(not )?ok [0-9]+' "$_out")
	_skips=$(grep -E '^ok [0-9]+' "$_out" | grep -cE '#[[:space:]]*SKIP')
	_plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' "$_out" | tail -n 1)
	if [ "$_rc" -eq 77 ]; then
		if [ -n "$_first" ]; then
			WHY="skipped after a failed check: $_first"
			return
		fi
		VERDICT=skip
		WHY=$(sed -n 's/^SKIP: *//p' "$_out" | head -n 1)
		[ -n "$WHY" ] || WHY=$(sed -n 's/^1\.\.0 *# *[Ss][Kk][Ii][Pp] *//p' "$_out" | head -n 1)
		[ -n "$WHY" ] || WHY="no reason given"
		return
	fi
	if [ "$_rc" -ne 0 ]; then
		WHY="exit status $_rc"
	elif [ -n "$_first" ]; then
		WHY="exit status 0 after a failed check"
	elif [ -z "$_plan" ]; then
		WHY="no plan (1..N) printed"
	elif [ "$_plan" -ne "$_results" ]; then
		WHY="plan 1..$_plan but $_results results"
	elif [ "$_results" -gt 0 ] && [ "$_skips" -eq "$_results" ]; then
		VERDICT=skip
		WHY="every check skipped: $(grep -E '^ok [0-9]+' "$_out" | head -n 1 |
			sed 's/.*#[[:space:]]*SKIP[[:space:]]*//' | cut -c1-120)"
		return
	else
		VERDICT=ok
		return
	fi
	[ -n "$_first" ] && WHY="$WHY; first failed check: $_first"
	return 0
}
