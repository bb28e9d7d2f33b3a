#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check-lib.sh - make check's lib gate: libucmd as a library people link (its symbols, man pages, example, version, pkg-config file and build flags); prints one line per finding.
#
# usage: scripts/check-lib.sh [WORKDIR]
#
# Builds lib/ and tools/ into WORKDIR as a packager would (CPPFLAGS, LDFLAGS of its own, no
# WERROR) and checks:
#   - symbols: libucmd.a's global symbols and libucmd.so's exported ones are exactly the
#     names lib/libucmd.map lists (nothing internal such as ucmd_get_sqe), each declared
#     in lib/libucmd.h;
#   - flags: every compile line has the packager's CPPFLAGS, every link line its LDFLAGS, no
#     line -Werror; ucmdctl is linked dynamically and needs libucmd.so.MAJOR;
#   - man pages: one per function (scripts/man.sh output, up to date), no page and no
#     Makefile repeats the version;
#   - the EXAMPLES program of man/libucmd.3 compiles as written with -std=c11 -pedantic, links
#     through the built (relocatable) libucmd.pc and runs; so does it with <libucmd.h> after
#     other system headers, and with the deprecated <ucmd.h> in its place;
#   - <ucmd/version.h> and ucmd_version() say what VERSION says.
# The exit status is the number of findings (capped at 100).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
W=${1:-$ROOT/.cache/build/check/lib}
VERSION=$(cat "$ROOT/VERSION")
n=0
finding() {
	echo "lib: $*"
	n=$((n + 1))
}

rm -rf "$W"
mkdir -p "$W"
O=$W/build
MARK_CPP=-DUCMD_CHECK_PACKAGER_CPPFLAGS
MARK_LD=-Wl,--build-id=sha1
if ! make -C "$ROOT/tools" O="$O" CFLAGS="-O2 -g" CPPFLAGS="$MARK_CPP" LDFLAGS="$MARK_LD" \
	>"$W/build.log" 2>&1; then
	finding "make -C tools as a packager would failed (log: $W/build.log)"
	tail -n 15 "$W/build.log" | sed 's/^/    /'
	exit 1
fi

# Build flags: the compiler lines make printed.
lines=$(grep -E "^(cc|gcc|${CC:-cc}) " "$W/build.log")
grep -- '-Werror' <<<"$lines" | head -n 3 | while IFS= read -r l; do
	echo "lib: a packager's build has -Werror: ${l:0:120}"
done
n=$((n + $(grep -c -- '-Werror' <<<"$lines")))
c=$(grep -- ' -c ' <<<"$lines" | grep -vc -- "$MARK_CPP")
[ "$c" -eq 0 ] || finding "$c compile line(s) without the packager's CPPFLAGS"
c=$(grep -- '-o [^ ]*\(ucmdctl\|libucmd\.so\.[0-9]*\) ' <<<"$lines" | grep -vc -- "$MARK_LD")
[ "$c" -eq 0 ] || finding "$c link line(s) without the packager's LDFLAGS"
major=${VERSION%%.*}
if ! readelf -d "$O/bin/ucmdctl" 2>/dev/null | grep -q "NEEDED.*\[libucmd\.so\.$major\]"; then
	finding "ucmdctl is not linked with libucmd.so.$major by default"
fi

# Symbols.
api=$(sed -n 's/^[[:space:]]*\(ucmd_[a-z0-9_]*\);.*/\1/p' "$ROOT/lib/libucmd.map" | LC_ALL=C sort -u)
a=$(nm -g --defined-only "$O/lib/libucmd.a" | awk 'NF == 3 { sub(/@.*/, "", $3); print $3 }' |
	LC_ALL=C sort -u)
s=$(nm -D --defined-only "$O/lib/libucmd.so.$major" | awk 'NF == 3 && $2 != "A" {
	sub(/@.*/, "", $3); print $3 }' | LC_ALL=C sort -u)
extra=$(comm -23 <(echo "$a") <(echo "$api") | tr '\n' ' ')
[ -z "$extra" ] || finding "libucmd.a has global symbols outside the API: $extra"
extra=$(comm -13 <(echo "$a") <(echo "$api") | tr '\n' ' ')
[ -z "$extra" ] || finding "libucmd.a lacks API symbols: $extra"
extra=$(comm -3 <(echo "$s") <(echo "$api") | tr -d '\t' | tr '\n' ' ')
[ -z "$extra" ] || finding "libucmd.so's exports differ from libucmd.map: $extra"
for f in $api; do
	grep -qE "^[a-z].*[ *]$f\(" "$ROOT/lib/libucmd.h" || finding "lib/libucmd.h does not declare $f()"
done

# Man pages: up to date with lib/libucmd.h, one per function, no version by hand.
if "$ROOT/scripts/man.sh" "$W/man" 2>"$W/man.log"; then
	for f in $api; do
		[ -f "$ROOT/man/$f.3" ] || finding "man/$f.3 is missing (run make docs)"
	done
	for p in "$W"/man/ucmd_*.3; do
		cmp -s "$p" "$ROOT/man/${p##*/}" || finding "man/${p##*/} is stale: run make docs"
	done
else
	finding "scripts/man.sh failed: $(head -n 1 "$W/man.log")"
fi
v=$(grep -rlF "$VERSION" "$ROOT"/man "$ROOT"/Makefile "$ROOT"/lib "$ROOT"/tools "$ROOT"/tests/Makefile \
	2>/dev/null | tr '\n' ' ')
[ -z "$v" ] || finding "files repeat the version $VERSION by hand (write it from VERSION): $v"

# The manual's example, as written, with <libucmd.h> included late, and through the deprecated
# name <ucmd.h>.
awk '/^\.SH EXAMPLES/ { f = 1; next } f && /^\.EX/ { p = 1; next } p && /^\.EE/ { exit }
	p { print }' "$ROOT/man/libucmd.3" | sed 's/\\e/\\/g' >"$W/example.c"
if ! grep -q 'int main' "$W/example.c"; then
	finding "man/libucmd.3 has no EXAMPLES program"
else
	{
		grep -v '#include <libucmd.h>' "$W/example.c" | sed -n '/^#include/p'
		echo '#include <libucmd.h>'
		grep -v '^#include' "$W/example.c"
	} >"$W/example-late.c"
	sed 's|^#include <libucmd.h>$|#include <ucmd.h>|' "$W/example.c" >"$W/example-old.c"
	grep -q '^#include <ucmd.h>$' "$W/example-old.c" ||
		finding "man/libucmd.3's EXAMPLES program does not include <libucmd.h>"
	pc=$O/lib/pkgconfig
	for ex in example example-late example-old; do
		# shellcheck disable=SC2046 # pkg-config's output is a list of flags
		if ! cc -std=c11 -pedantic -Wall -Wextra -Werror -o "$W/$ex" "$W/$ex.c" \
			$(PKG_CONFIG_PATH=$pc pkg-config --cflags --libs libucmd) >"$W/$ex.log" 2>&1; then
			finding "the EXAMPLES program ($ex.c) does not build with -std=c11 through libucmd.pc"
			head -n 5 "$W/$ex.log" | sed 's/^/    /'
		elif ! LD_LIBRARY_PATH=$O/lib "$W/$ex" >/dev/null 2>&1 && [ -e /dev/ucmd-demo ]; then
			finding "the EXAMPLES program ($ex) fails on this host's /dev/ucmd-demo"
		fi
	done
fi

# The version: header, library and VERSION agree.
cat >"$W/version.c" <<'EOF'
#include <stdio.h>
#include <string.h>
#include <libucmd.h>

int main(void)
{
	printf("%s %s %d.%d.%d %u\n", ucmd_version(), UCMD_VERSION_STRING, UCMD_VERSION_MAJOR,
	       UCMD_VERSION_MINOR, UCMD_VERSION_PATCH, ucmd_version_number() == UCMD_VERSION_NUMBER);
	return 0;
}
EOF
if cc -std=c11 -o "$W/version" "$W/version.c" -I"$O/include" -L"$O/lib" -lucmd -luring \
	>"$W/version.log" 2>&1; then
	got=$(LD_LIBRARY_PATH=$O/lib "$W/version")
	[ "$got" = "$VERSION $VERSION $VERSION 1" ] ||
		finding "ucmd_version(), <ucmd/version.h> and VERSION ($VERSION) disagree: $got"
else
	finding "a program using the version macros does not build"
fi
exit $((n > 100 ? 100 : n))
