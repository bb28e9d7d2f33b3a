#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check.sh - "make check": the style gates (checkpatch, sparse, clang-format, kernel-doc), a host ASan/UBSan run and the install paths; non-zero if any finds anything.
#
# usage: scripts/check.sh            every gate
#        GATES="sparse kernel-doc" scripts/check.sh
#
# Gates (each must report nothing; every finding is printed as FILE:LINE: message):
#   checkpatch    Linux 6.1's checkpatch.pl --no-tree -f: no ERROR and no WARNING in kernel/*/*.[ch],
#                 include/linux/*.h, include/uapi/linux/*.h and examples/*/*.[ch]
#   sparse        C=2 builds of kernel/ and of examples/*/ (against a private framework install)
#                 for each kernel in SPARSE_KDIRS (default: Debian's 6.1 headers, and 6.12 from
#                 bookworm-backports when installed); no sparse or compiler warnings
#   clang-format  clang-format --dry-run --Werror (.clang-format) over the user-space C in lib/,
#                 tools/, tests/, bench/ and provider/
#   asan          libucmd, ucmdctl and the tests built with -fsanitize=address,undefined
#                 (tests/Makefile asan-check) and run here: what needs no device (lib_unit, the
#                 usage checks of cli and cli_crypto_usage) must pass with no sanitizer report
#   kernel-doc    Linux 6.1's kernel-doc -none -v (and -Wall with the newest kernel-doc that an
#                 installed linux-kbuild package ships) over include/linux/ucmd.h,
#                 kernel/ucmd/*.c and include/uapi/linux/ucmd.h; docs/api.rst up to date
#   lib           libucmd as a library people link (scripts/check-lib.sh): only the API's symbols
#                 global in libucmd.a and libucmd.so, a packager's CPPFLAGS/LDFLAGS honoured and no
#                 -Werror, ucmdctl linked dynamically, one man page per function and up to date,
#                 libucmd(3)'s example built with -std=c11 through libucmd.pc, the version from
#                 VERSION only
#   install       the README's real-host commands into private roots (scripts/check-install.sh):
#                 make install/uninstall DESTDIR=, make dkms-install/dkms-uninstall (DKMS_ROOT)
#                 with the example driver on DKMS's build, and the Debian packages (debian/)
#                 built from a copy of the tree in .cache and unpacked into a throw-away root
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/ksrc.sh"
GATES=${GATES:-judge shellcheck checkpatch sparse clang-format kernel-doc asan lib install}
WORK=$ROOT/.cache/build/check
mkdir -p "$WORK"
cd "$ROOT" || exit 1
shopt -s nullglob

failed=()
gate_begin() { echo "=== check: $1" >&2; }
# gate_end NAME COUNT [NOTE]: a gate passes with 0 findings.
gate_end() {
	if [ "$2" -eq 0 ]; then
		echo "=== check: $1: ok${3:+ ($3)}" >&2
	else
		echo "=== check: $1: FAILED, $2 finding(s)${3:+ ($3)}" >&2
		failed+=("$1")
	fi
}

sources() {
	local f
	for f in "$@"; do
		case "$f" in *.mod.c) continue ;; esac
		echo "$f"
	done
}

gate_checkpatch() {
	local scripts out n files
	gate_begin checkpatch
	mapfile -t files < <(sources kernel/*/*.c kernel/*/*.h include/linux/*.h include/uapi/linux/*.h \
		examples/*/*.c examples/*/*.h)
	if ! scripts=$(ksrc_scripts checkpatch.pl spelling.txt const_structs.checkpatch); then
		gate_end checkpatch 1 "checkpatch.pl not available"
		return
	fi
	out=$(perl "$scripts/checkpatch.pl" --no-tree -f --terse --show-types --no-summary \
		"${files[@]}" 2>&1)
	out=$(grep -E ': (ERROR|WARNING):' <<<"$out")
	[ -z "$out" ] || echo "$out"
	n=$(grep -c . <<<"$out")
	gate_end checkpatch "$n" "${#files[@]} files"
}

# sparse_one KDIR: C=2 builds of kernel/ and of the examples against it; prints findings.
sparse_one() {
	local kdir=$1 kver w ex sdk
	kver=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$kdir/include/generated/utsrelease.h")
	w=$WORK/sparse-$kver
	rm -rf "$w"
	mkdir -p "$w"
	cp -a kernel include "$w/"
	find "$w/kernel" \( -name '*.o' -o -name '*.ko' -o -name '*.mod*' -o -name '.*.cmd' \) -delete
	if ! make -C "$kdir" M="$w/kernel" C=2 modules >"$w/kernel.log" 2>&1; then
		echo "$w/kernel.log:1: error: the C=2 build of kernel/ for $kver failed"
	fi
	grep -E '(warning|error):' "$w/kernel.log" | sed "s|$w/||"
	# The examples build against ucmd.mk, as installed: headers, ucmd.mk and this Module.symvers.
	[ -f "$w/kernel/Module.symvers" ] || return 0
	sdk=$w/sdk
	mkdir -p "$sdk/include/linux" "$sdk/include/uapi/linux" "$sdk/$kver"
	cp include/linux/ucmd.h "$sdk/include/linux/"
	cp include/uapi/linux/ucmd*.h "$sdk/include/uapi/linux/"
	cp "$w/kernel/Module.symvers" "$sdk/$kver/"
	sed "s/@VERSION@/$(cat VERSION)/" scripts/ucmd.mk.in >"$sdk/ucmd.mk"
	for ex in examples/*/; do
		ex=${ex%/}
		[ -f "$ex/Kbuild" ] || continue
		mkdir -p "$w/$ex"
		cp -a "$ex"/. "$w/$ex/"
		if ! make -C "$kdir" M="$w/$ex" UCMD_DIR="$sdk" C=2 modules >"$w/$ex.log" 2>&1; then
			echo "$w/$ex.log:1: error: the C=2 build of $ex for $kver failed"
		fi
		grep -E '(warning|error):' "$w/$ex.log" | sed "s|$w/||"
	done
}

gate_sparse() {
	local kdirs=() k out all="" n
	gate_begin sparse
	if ! command -v sparse >/dev/null; then
		gate_end sparse 1 "sparse is not installed (apt-get install sparse)"
		return
	fi
	if [ -n "${SPARSE_KDIRS:-}" ]; then
		read -r -a kdirs <<<"$SPARSE_KDIRS"
	else
		for k in "$ROOT"/.cache/kernels/{bookworm,backports}/headers/usr/src/linux-headers-*-amd64 \
			/usr/src/linux-headers-6.1.*-amd64 /usr/src/linux-headers-6.12.*-amd64; do
			[ -f "$k/Makefile" ] && kdirs+=("$k")
		done
	fi
	if [ ${#kdirs[@]} -eq 0 ]; then
		gate_end sparse 1 "no kernel headers (run vm/kernels.sh bookworm)"
		return
	fi
	for k in "${kdirs[@]}"; do
		echo "sparse: $k" >&2
		out=$(sparse_one "$k")
		[ -z "$out" ] || { echo "$out"; all+="$out"$'\n'; }
	done
	n=$(grep -c . <<<"$all")
	gate_end sparse "$n" "${kdirs[*]##*/}"
}

gate_clang_format() {
	local cf files out n
	gate_begin clang-format
	cf=$(command -v clang-format-14 || command -v clang-format) || {
		gate_end clang-format 1 "clang-format is not installed"
		return
	}
	mapfile -t files < <(sources lib/*.c lib/*.h lib/*/*.h tools/*.c tools/*.h tests/*.c tests/*.h \
		bench/*.c bench/*.h provider/*.c provider/*.h)
	out=$("$cf" --style=file --dry-run --Werror "${files[@]}" 2>&1 |
		sed -n 's/^\([^ :]*:[0-9]*\):[0-9]*: error: \(.*\)/\1: \2/p')
	[ -z "$out" ] || echo "$out"
	n=$(grep -c . <<<"$out")
	gate_end clang-format "$n" "$("$cf" --version | grep -o 'version [0-9.]*'), ${#files[@]} files"
}

gate_kernel_doc() {
	local scripts out all="" n newest="" k files=(include/linux/ucmd.h kernel/ucmd/*.c
		include/uapi/linux/ucmd.h)
	gate_begin kernel-doc
	if ! scripts=$(ksrc_scripts kernel-doc); then
		gate_end kernel-doc 1 "kernel-doc not available"
		return
	fi
	# 6.1 has no -Wall; -v adds the missing-"Return:" warnings that -Wall has later.
	out=$(perl "$scripts/kernel-doc" -none -v "${files[@]}" 2>&1 |
		grep -vE ': info: |^[0-9]+ (warnings?|errors?)$')
	[ -z "$out" ] || { echo "$out"; all+="$out"$'\n'; }
	for k in /usr/lib/linux-kbuild-*/scripts/kernel-doc; do
		if perl "$k" -none -Wall /dev/null >/dev/null 2>&1; then newest=$k; fi
	done
	if [ -n "$newest" ]; then
		out=$(perl "$newest" -none -Wall "${files[@]}" 2>&1 |
			grep -vE '^[0-9]+ (warnings?|errors?)$')
		[ -z "$out" ] || { echo "$out" | sed 's/$/ [newer kernel-doc -Wall]/'; all+="$out"$'\n'; }
	fi
	if scripts/docs.sh "$WORK/api.rst" 2>/dev/null; then
		if ! cmp -s "$WORK/api.rst" docs/api.rst; then
			out="docs/api.rst:1: stale: run make docs and commit the result"
			echo "$out"
			all+="$out"$'\n'
		fi
	else
		all+="docs.sh failed"$'\n'
	fi
	n=$(grep -c . <<<"$all")
	gate_end kernel-doc "$n" "6.1 -v${newest:+, ${newest#/usr/lib/} -Wall}"
}

gate_asan() {
	local out n
	gate_begin asan
	# The tree make user-asan builds (and the bookworm guest runs): built once, not twice.
	out=$(make -s -C tests asan-check O="$ROOT/.cache/build/user" 2>&1)
	n=$(grep -cE '^not ok |runtime error:|ERROR: (Address|Leak)Sanitizer' <<<"$out")
	if ! grep -q '^# [0-9]* passed, 0 failed' <<<"$out"; then
		[ "$n" -gt 0 ] || n=1
	fi
	[ "$n" -eq 0 ] || echo "$out" | tail -40
	gate_end asan "$n" "$(sed -n 's/^# \([0-9]* passed, .*\)/\1/p' <<<"$out")"
}

# The runner's judge against stub results (vm/judge-test.sh).
gate_judge() {
	local out
	gate_begin judge
	out=$(vm/judge-test.sh 2>&1)
	echo "$out" | grep '^not ok' || true
	gate_end judge "$(echo "$out" | grep -c '^not ok')" "$(echo "$out" | grep -c '^ok') stub verdicts"
}

# Shell scripts: bash ones as bash; what runs in the guest (busybox ash) and what DKMS runs
# (dkms-post-build.sh, #!/bin/sh) as POSIX sh.
gate_shellcheck() {
	local out n=0 f
	gate_begin shellcheck
	if ! command -v shellcheck >/dev/null; then
		gate_end shellcheck 1 "shellcheck is not installed (apt-get install shellcheck)"
		return
	fi
	for f in vm/*.sh scripts/*.sh kernel/probe.sh bench/*.sh bench/ossl_speed tests/*.sh .ci/run; do
		[ -f "$f" ] || continue
		case "$f" in
		vm/guest-init.sh | vm/judge.sh | vm/judge-test.sh | tests/run.sh | kernel/probe.sh | \
			scripts/dkms-post-build.sh | bench/ossl_speed) sh="sh" ;;
		*) sh="bash" ;;
		esac
		out=$(shellcheck -x -s "$sh" -S warning -e SC2034 "$f" 2>&1) || {
			echo "$out"
			n=$((n + 1))
		}
	done
	gate_end shellcheck "$n"
}

gate_lib() {
	local out n
	gate_begin lib
	out=$(scripts/check-lib.sh "$WORK/lib")
	n=$?
	[ -z "$out" ] || echo "$out"
	gate_end lib "$n" "symbols, build flags, man pages, the example with -std=c11, version"
}

gate_install() {
	local out n
	gate_begin install
	out=$(scripts/check-install.sh "$WORK/install")
	n=$?
	[ -z "$out" ] || echo "$out"
	gate_end install "$n" "make install, the example's install, uninstall, dkms-install, dkms-uninstall, Debian packages"
}

for g in $GATES; do
	case "$g" in
	judge) gate_judge ;;
	shellcheck) gate_shellcheck ;;
	checkpatch) gate_checkpatch ;;
	sparse) gate_sparse ;;
	clang-format) gate_clang_format ;;
	kernel-doc) gate_kernel_doc ;;
	asan) gate_asan ;;
	lib) gate_lib ;;
	install) gate_install ;;
	*) echo "check: unknown gate '$g' (judge shellcheck checkpatch sparse clang-format kernel-doc asan lib install)" >&2; exit 2 ;;
	esac
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "check: FAILED: ${failed[*]}" >&2
	exit 1
fi
echo "check: all gates passed ($GATES)" >&2
