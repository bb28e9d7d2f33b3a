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

# What judge needs from OUT, read in one pass (under KASAN and TCG every fork costs a tenth of
# a second, and this runs after every test), one per line: the number of results, of skipped
# results, the last plan (empty: none), the first "not ok" that is not a SKIP or TODO without
# its number (empty: none), the reason of a "SKIP:" line or else of a "1..0 # SKIP" plan, and
# the directive's reason of the first result.
judge_scan() {
	awk '
	/^(not )?ok [0-9]+/ {
		results++
		if (results == 1) {
			r = $0; sub(/.*#[[:space:]]*SKIP[[:space:]]*/, "", r); first_result = substr(r, 1, 120)
		}
	}
	/^ok [0-9]+/ && /#[[:space:]]*SKIP/ { skips++ }
	/^not ok [0-9]+/ && !/#[[:space:]]*(SKIP|TODO)/ && !failed {
		failed = 1; f = $0; sub(/^not ok [0-9]* *-* */, "", f); first = substr(f, 1, 160)
	}
	/^1\.\.[0-9]+/ { match($0, /^1\.\.[0-9]+/); plan = substr($0, 4, RLENGTH - 3) }
	/^SKIP: */ && !skipline { skipline = 1; w = $0; sub(/^SKIP: */, "", w); skipwhy = w }
	/^1\.\.0 *# *[Ss][Kk][Ii][Pp] */ && !skipplan {
		skipplan = 1; w = $0; sub(/^1\.\.0 *# *[Ss][Kk][Ii][Pp] */, "", w); planwhy = w
	}
	END {
		print results + 0; print skips + 0; print plan; print first
		print (skipwhy != "" ? skipwhy : planwhy); print first_result
	}' "$1"
}

judge() {
	_rc=$1 _out=$2 _rep=$3
	VERDICT=fail WHY=""
	if [ -s "$_rep" ]; then
		WHY="kernel report in dmesg"
		return
	fi
	{
		read -r _results; read -r _skips; read -r _plan; read -r _first
		read -r _skipwhy; read -r _firstskip
	} <<EOF
$(judge_scan "$_out")
EOF
	if [ "$_rc" -eq 77 ]; then
		if [ -n "$_first" ]; then
			WHY="skipped after a failed check: $_first"
			return
		fi
		VERDICT=skip
		WHY=${_skipwhy:-no reason given}
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
		WHY="every check skipped: $_firstskip"
		return
	else
		VERDICT=ok
		return
	fi
	[ -n "$_first" ] && WHY="$WHY; first failed check: $_first"
	return 0
}
