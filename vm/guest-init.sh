#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the test guest (busybox sh): loads the modules, then runs ucmd.mode=test|demo|bench|shell.
#
# Test mode prints TAP on the console; every test runs with a clean dmesg, which is scanned
# afterwards for kernel reports. The last line is the end marker the host waits for.

export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/tmp TERM=vt100
END_MARKER=UCMD-SUITE-END
# REPORTS, the patterns of a kernel report, comes from judge.sh; the per-test loop from
# tests/run.sh, the one runner, installed as /lib/run.sh.

. /lib/judge.sh
# The test runner's functions (run_dir, run_test, tap_result); the hooks are redefined below.
RUN_LIB=1
. /lib/run.sh

mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tmpfs tmp /tmp
# shellcheck disable=SC3045 # busybox ash has ulimit -c
ulimit -c 0

MODE=test FILTER='*' TIMEOUT=120 IDLE=0 SCALE=1
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	ucmd.mode=*) MODE=${arg#*=} ;;
	ucmd.filter=*) FILTER=${arg#*=} ;;
	ucmd.timeout=*) TIMEOUT=${arg#*=} ;;
	ucmd.idle=*) IDLE=${arg#*=} ;;
	ucmd.timeout_scale=*) SCALE=${arg#*=} ;;
	esac
done

# Kernel crypto modules, in dependency order; ones built into this kernel simply fail.
if [ -f /lib/kmod/order ]; then
	while read -r m; do insmod "/lib/kmod/$m.ko" 2>/dev/null; done </lib/kmod/order
fi

modname() { n=${1##*/}; n=${n%.ko}; echo "$n" | tr - _; }

# The ucmd modules as "FILE:NAME" pairs, the framework first, worked out once: under KASAN and
# TCG every fork costs a tenth of a second, and the check runs before every test.
UCMD_MODS=""
for ko in /lib/ucmd/ucmd.ko /lib/ucmd/*.ko; do
	[ -f "$ko" ] || continue
	case " $UCMD_MODS " in *" $ko:"*) continue ;; esac
	UCMD_MODS="$UCMD_MODS $ko:$(modname "$ko")"
done

# Load ucmd.ko, then every other module in /lib/ucmd; print errors, return non-zero on failure.
load_ucmd() {
	rc=0
	for m in $UCMD_MODS; do
		[ -d "/sys/module/${m#*:}" ] && continue
		insmod "${m%:*}" || { echo "insmod ${m%:*} failed"; rc=1; }
	done
	return $rc
}

# Unload the ucmd modules (the framework last); print errors, return non-zero on failure.
unload_ucmd() {
	rc=0
	for n in $(for ko in /lib/ucmd/*.ko; do modname "$ko"; done | grep -vx ucmd) ucmd; do
		[ -d "/sys/module/$n" ] || continue
		# Teardown that the kernel finishes asynchronously (io_uring ring exit) may hold a
		# reference for a moment: retry a busy module for up to 10 s.
		tries=0
		until rmmod "$n" 2>/tmp/rmmod.err; do
			tries=$((tries + 1))
			if [ $tries -ge 20 ] || ! grep -q 'temporarily unavailable' /tmp/rmmod.err; then
				cat /tmp/rmmod.err; echo "rmmod $n failed (refcount $(cat /sys/module/$n/refcnt))"
				rc=1; break
			fi
			sleep 0.5
		done
		[ $tries -gt 0 ] && [ $rc -eq 0 ] && echo "rmmod $n: busy for $tries tries of 0.5 s"
	done
	return $rc
}

# The README's real-host commands on the modules as "make install" laid them out (depmod'ed in
# the initramfs): modprobe pulls in ucmd first, ucmdctl demo passes, and ucmdctl crypto hashes
# a file as sha256sum does. Unloads them again.
installed_check() {
	[ -d "/lib/modules/$(uname -r)/updates/ucmd" ] || { echo "no installed modules"; return 1; }
	modprobe ucmd_demo || { echo "modprobe ucmd_demo failed"; return 1; }
	[ -d /sys/module/ucmd ] || { echo "modprobe ucmd_demo did not load ucmd"; return 1; }
	ucmdctl demo >/tmp/demo.out 2>&1 || { tail -20 /tmp/demo.out; echo "ucmdctl demo failed"; return 1; }
	modprobe ucrypto || { echo "modprobe ucrypto failed"; return 1; }
	got=$(ucmdctl crypto hash sha256 /etc/os-release) want=$(sha256sum /etc/os-release)
	[ "$got" = "$want" ] || { echo "ucmdctl crypto hash: '$got', sha256sum: '$want'"; return 1; }
	unload_ucmd
}

# Messages of a normal boot that the report patterns would otherwise match.
BOOT_NOISE='kmemleak: Kernel memory leak detector initialized|kmemleak: Automatic memory scanning thread started|Lock dependency validator|lockdep|MAX_LOCKDEP|per task-struct memory footprint'

# Taint bits our own doing sets: O and E (out-of-tree, unsigned modules), N (KUnit ran).
TAINT_OURS=$((4096 | 8192 | 262144))
TAINT=$(($(cat /proc/sys/kernel/tainted) | TAINT_OURS))

# Kernel reports logged since the last call (dmesg is cleared: every line is scanned exactly
# once), and taint bits new since then; prints them, true if any.
kernel_reports() {
	dmesg -c >/tmp/dmesg 2>/dev/null
	now=$(($(cat /proc/sys/kernel/tainted) | TAINT_OURS))	# not "read": sysctls end at offset 1
	if [ "$now" -ne "$TAINT" ]; then
		echo "kernel taint changed: $TAINT -> $now (new bits $((now & ~TAINT)))"
		TAINT=$now
		head -150 /tmp/dmesg
		return 0
	fi
	[ -s /tmp/dmesg ] && grep -Eq "$REPORTS" /tmp/dmesg || return 1
	echo "kernel reports:"
	grep -E "$REPORTS" /tmp/dmesg | head -20
	echo "dmesg:"
	head -150 /tmp/dmesg
	return 0
}

# Runs a shell function as a TAP test with dmesg checking.
check_step() {
	name=$1
	shift
	pre=$(kernel_reports) && pre="logged before $name started: $pre"
	out=$("$@" 2>&1); rc=$?
	rep=$(kernel_reports) && rc=1
	[ -n "$pre" ] && { rep="$pre
$rep"; rc=1; }
	[ -n "$out$rep" ] && printf '%s\n%s\n' "$out" "$rep" | grep -v '^$' | sed 's/^/# /'
	if [ $rc -eq 0 ]; then tap_result "$name" ok; else tap_result "$name" fail; fi
}

# The runner's hooks (tests/run.sh): before each test the modules are loaded, and what the
# previous test's late teardown (ring exit work, io-wq exit) or the module loads logged counts
# against this test: nothing is thrown away unread.
run_before() {
	load_ucmd >/tmp/load.out 2>&1 || { sed 's/^/# /' /tmp/load.out; RUN_WHY="cannot load modules"; return 1; }
	if kernel_reports >/tmp/prerep; then
		echo "kernel report logged before $1 started (previous teardown or module load):" >/tmp/rep
		cat /tmp/prerep >>/tmp/rep
	fi
	return 0
}

run_after() {
	kernel_reports >>/tmp/rep
}

# A process still there 10 s after SIGKILL is stuck in the kernel: report it with the blocked
# tasks, then crash the guest (panic=-1 ends QEMU) rather than wait forever.
run_stuck() {
	echo "not ok $((N + 1)) - $1 # stuck in the kernel: alive 10 s after SIGKILL"
	echo w >/proc/sysrq-trigger 2>/dev/null
	dmesg | tail -150 | sed 's/^/# /'
	echo c >/proc/sysrq-trigger
	sleep 10
}

kmemleak_check() {
	km=/sys/kernel/debug/kmemleak
	sleep 5	# kmemleak ignores objects younger than 5 s
	echo scan >$km; sleep 1; echo scan >$km
	if grep -q . $km; then head -200 $km; return 1; fi
	return 0
}

run_tests() {
	echo "# ucmd test suite on $(uname -r), filter '$FILTER', default timeout $TIMEOUT s x $SCALE"
	# What the kernel reported while booting (and loading the crypto modules).
	dmesg -c | grep -Ev "$BOOT_NOISE" >/tmp/bootlog
	if grep -Eq "$REPORTS" /tmp/bootlog; then
		grep -E -B2 -A30 "$REPORTS" /tmp/bootlog | head -120 | sed 's/^/# /'
		tap_result kernel-boot fail "kernel report while booting"
	else
		tap_result kernel-boot ok
	fi
	# Whatever kmemleak would blame on the boot is not ours: scan, forget it, and drop its
	# "new suspected memory leaks" line.
	if [ -w /sys/kernel/debug/kmemleak ]; then
		# No scans in the background while tests run (they would take a vCPU from them for
		# half a minute each): kmemleak_check scans when the suite is over.
		echo scan=off >/sys/kernel/debug/kmemleak
		echo scan >/sys/kernel/debug/kmemleak
		echo clear >/sys/kernel/debug/kmemleak
		dmesg -c >/dev/null
	fi
	check_step load-modules load_ucmd
	run_dir /tests
	# The same tests built with ASan/UBSan (only in initramfs images that carry them). A
	# sanitizer report ends the test with a non-zero status. Every sanitized process starts
	# slowly under TCG (cli_crypto runs ucmdctl ~200 times): timeouts are 4 times longer.
	if [ -d /asan/tests ]; then
		plain_scale=$SCALE SCALE=$((SCALE * 4))
		export UCMDCTL=/asan/bin/ucmdctl
		export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1
		# The tree's own libraries, wherever the checkout lives on the host.
		export LD_LIBRARY_PATH=/asan/lib
		run_dir /asan/tests asan/
		unset UCMDCTL ASAN_OPTIONS UBSAN_OPTIONS LD_LIBRARY_PATH
		SCALE=$plain_scale
	fi
	check_step modules-unload unload_ucmd
	if [ -d "/lib/modules/$(uname -r)/updates/ucmd" ]; then
		# shellcheck disable=SC2194,SC2254 # does the $FILTER glob select this check?
		case installed-modules in $FILTER) check_step installed-modules installed_check ;; esac
	fi
	[ -w /sys/kernel/debug/kmemleak ] && check_step kmemleak kmemleak_check
	echo "1..$N"
	echo "# $PASS passed, $FAIL failed, $SKIP skipped"
}

echo	# start on a line of our own after the firmware's messages
# The benchmark's second pass: the accelerated drivers a Debian host loads (AES-NI, SHA-256 with
# SSSE3/AVX2, CLMUL GHASH; kmod/accel-order), then ucrypto_bench again, its rows marked "accel".
bench_accel() {
	loaded="" name=ucrypto_bench-accel
	[ -x /bench/ucrypto_bench ] && [ -s /lib/kmod/accel-order ] || return 0
	# shellcheck disable=SC2254 # $FILTER is a glob on purpose
	case $name in $FILTER) ;; *) return 0 ;; esac
	while read -r accel_mod; do
		insmod "/lib/kmod/$accel_mod.ko" 2>/dev/null && loaded="$loaded $accel_mod"
	done </lib/kmod/accel-order
	echo "# bench ucrypto_bench-accel (loaded:${loaded:- none}; CPU flags: $(grep -o -w -E 'aes|pclmulqdq|ssse3|avx2|sha_ni' /proc/cpuinfo | sort -u | tr '\n' ' '))"
	/bench/ucrypto_bench -D accel; rc=$?
	[ "$rc" -eq 0 ] && tap_result ucrypto_bench-accel ok || tap_result ucrypto_bench-accel fail "exit status $rc"
	# AF_ALG takes asynchronous implementations (the SIMD skciphers are, formally); so may ucrypto.
	echo "# bench ucrypto_bench-accel-async (ctr(aes), sessions with UCRYPTO_SESSION_ALLOW_ASYNC)"
	/bench/ucrypto_bench -D accel-async -A -a 'ctr(aes)'; rc=$?
	[ "$rc" -eq 0 ] && tap_result ucrypto_bench-accel-async ok ||
		tap_result ucrypto_bench-accel-async fail "exit status $rc"
}

case "$MODE" in
test)
	run_tests
	;;
demo)
	load_ucmd
	dmesg -c >/dev/null
	if [ -x /bin/ucmdctl ]; then
		/bin/ucmdctl demo; rc=$?
	else
		echo "no /bin/ucmdctl in this initramfs (run 'make user')"; rc=1
	fi
	rep=$(kernel_reports) && { echo "$rep"; rc=1; }
	[ "$rc" -eq 0 ] && tap_result demo ok || tap_result demo fail "exit status $rc"
	;;
bench)
	load_ucmd
	sleep "$IDLE"	# let boot-time background work settle (free under icount sleep=off)
	for b in /bench/*; do
		[ -f "$b" ] && [ -x "$b" ] || continue
		# shellcheck disable=SC2254 # $FILTER is a glob on purpose
		case "${b##*/}" in $FILTER) ;; *) continue ;; esac
		echo "# bench ${b##*/}"
		"$b"; rc=$?
		[ "$rc" -eq 0 ] && tap_result "${b##*/}" ok || tap_result "${b##*/}" fail "exit status $rc"
	done
	bench_accel
	;;
shell)
	load_ucmd
	echo "ucmd guest shell: exit to power off"
	setsid cttyhack sh -l
	;;
*)
	echo "unknown ucmd.mode=$MODE"
	;;
esac
echo "$END_MARKER"
sleep 1	# let the console drain before the kernel's last messages
# Reboot, which -no-reboot turns into QEMU's exit (power-off would need ACPI, which the debug
# kernel lacks: it halts and QEMU waits forever); should that fail, returning from init panics
# and panic=-1 ends QEMU all the same.
reboot -f
sleep 5
