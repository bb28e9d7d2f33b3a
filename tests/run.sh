#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# run.sh - runs every test binary in a directory (default: this script's) and closes with "N passed, N failed, N skipped".
#
# usage: run.sh [-v] [DIR]   -v shows the output of passing and skipped tests too
# Exit 77 counts as skipped. Each test gets $UCMD_TEST_TIMEOUT seconds (default 300).

verbose=0
if [ "$1" = "-v" ]; then
	verbose=1
	shift
fi
dir=${1:-$(dirname "$0")}
limit=${UCMD_TEST_TIMEOUT:-300}
log=${TMPDIR:-/tmp}/ucmd-test.$$.log
pass=0
fail=0
skip=0
failed=""

for t in "$dir"/*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	case "$t" in *.sh) continue ;; esac
	name=$(basename "$t")
	if command -v timeout >/dev/null 2>&1; then
		timeout "$limit" "$t" >"$log" 2>&1
	else
		"$t" >"$log" 2>&1
	fi
	rc=$?
	case $rc in
	0)
		pass=$((pass + 1))
		echo "PASS $name"
		;;
	77)
		skip=$((skip + 1))
		echo "SKIP $name: $(sed -n 's/^SKIP: //p' "$log" | head -n 1)"
		;;
	*)
		fail=$((fail + 1))
		failed="$failed $name"
		[ $rc -eq 124 ] && echo "# $name: timed out after ${limit}s" >>"$log"
		echo "FAIL $name (exit $rc)"
		sed 's/^/    /' "$log"
		;;
	esac
	if [ $verbose = 1 ] && { [ $rc -eq 0 ] || [ $rc -eq 77 ]; }; then
		sed 's/^/    /' "$log"
	fi
done
rm -f "$log"
[ -n "$failed" ] && echo "failed:$failed"
echo "tests: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
