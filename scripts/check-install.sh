#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check-install.sh - make check's install gate: the README's real-host commands (make install, uninstall, dkms-install, dkms-uninstall) and the Debian packages, run into private roots and checked.
#
# usage: scripts/check-install.sh [WORKDIR]
#
# Builds for Debian's 6.1 headers (or INSTALL_KVER): make install DESTDIR=<stage> must put the
# modules, the driver SDK, libucmd (a program builds and runs against it through pkg-config, and
# compiles with only -I PREFIX/include), ucmdctl and the man pages where the README says, with
# the kernel's vermagic, and nothing in PREFIX/include/linux nor any test module or benchmark
# header; the example driver must build against that SDK and install; make uninstall must leave
# no file behind. Then scripts/dkms.sh (what make dkms-install runs) with a private DKMS_ROOT
# must build and install ucmd.ko, ucmd_demo.ko and ucrypto.ko and keep their Module.symvers in
# DKMS's tree, the example must build against the SDK alone and that DKMS build, and uninstall
# must remove the modules, the Module.symvers and the sources. Then the Debian packages
# (debian/) are built from a copy of the tree under WORKDIR with dpkg-buildpackage -b, unpacked
# with dpkg-deb -x into a throw-away root and checked: each package's files, no test module,
# benchmark header or include/linux file, libucmd and ucmdctl usable from there, ucmd-dkms
# building under a private DKMS tree with the example driver on its SDK; and every SPDX
# identifier of the tree has its text in LICENSES/. Last, preparing the bookworm and
# backports kernels and running vm/deps.sh must leave every host package as it was (dpkg-query
# -W before and after; INSTALL_SKIP_HYGIENE=1 skips that). Every finding is printed as
# "install: ..."; the exit status is their number (capped at 100).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
W=${1:-$ROOT/.cache/build/check/install}
VERSION=$(cat "$ROOT/VERSION")
MODS=(ucmd ucmd_demo ucrypto)
n=0
finding() {
	echo "install: $*"
	n=$((n + 1))
}
# The last lines of a failed step's log, indented under its finding.
show() { tail -n 15 "$1" | sed 's/^/    /'; }

# The kernel to install for: bookworm's headers as the rig unpacked them (vm/kernels.sh
# bookworm), else installed ones; nothing here installs packages.
kver=${INSTALL_KVER:-} kdir=${INSTALL_KDIR:-}
if [ -z "$kdir" ]; then
	for k in "$ROOT"/.cache/kernels/bookworm/headers/usr/src/linux-headers-6.1.*-amd64 \
		/usr/src/linux-headers-6.1.*-amd64; do
		[ -f "$k/Makefile" ] && { kdir=$k; break; }
	done
fi
[ -n "$kver" ] || kver=${kdir##*/linux-headers-}
if [ -z "$kdir" ] || [ ! -f "$kdir/Makefile" ]; then
	finding "no 6.1 kernel headers (run vm/kernels.sh bookworm, or apt-get install linux-headers-amd64)"
	exit 1
fi
echo "install: for $kver in $W" >&2
rm -rf "$W"
mkdir -p "$W"

# vermagic_ok KO: the module was built for $kver (Debian stamps the 6.1 ABI's UTS_RELEASE,
# e.g. 6.1.192, not 6.1.0-57-amd64: compare with what the headers say).
release=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
	"$kdir/include/generated/utsrelease.h")
vermagic_ok() { modinfo -F vermagic "$1" 2>/dev/null | grep -q "^$release "; }

# 1. make install into a stage, every part.
stage=$W/stage P=$W/stage/usr/local
if ! make -s -C "$ROOT" install DESTDIR="$stage" KVER="$kver" KDIR="$kdir" BUILD_DIR="$W/build" \
	>"$W/install.log" 2>&1; then
	finding "make install DESTDIR=... KVER=$kver failed (log: $W/install.log)"
	show "$W/install.log"
fi
for m in "${MODS[@]}"; do
	ko=$stage/lib/modules/$kver/updates/ucmd/$m.ko
	if [ ! -f "$ko" ]; then
		finding "make install put no $m.ko in /lib/modules/$kver/updates/ucmd"
	elif ! vermagic_ok "$ko"; then
		finding "$m.ko has vermagic '$(modinfo -F vermagic "$ko")', not $release"
	fi
done
# Test devices and benchmark ABIs stay out of an installation.
left=$(find "$stage" -name '*_bench*' -o -name 'ucmd_kunit*')
[ -z "$left" ] || finding "make install shipped test or benchmark files: $(tr '\n' ' ' <<<"$left")"
# User headers live in ucmd's own directory: PREFIX/include/linux is linux-libc-dev's (PREFIX=/usr).
[ ! -e "$P/include/linux" ] || finding "make install wrote into PREFIX/include/linux:" \
	"$(cd "$P/include" && find linux | tr '\n' ' ')"
for f in share/ucmd/ucmd.mk share/ucmd/include/linux/ucmd.h share/ucmd/include/uapi/linux/ucmd.h \
	"share/ucmd/$kver/Module.symvers" share/ucmd/manifest include/libucmd.h include/ucmd.h include/ucmd/ucmd.h \
	include/ucmd/ucmd_demo.h include/ucmd/ucrypto.h include/ucmd/version.h \
	lib/libucmd.a lib/libucmd.so lib/ossl-modules/ucrypto.so "lib/libucmd.so.${VERSION%%.*}" lib/pkgconfig/libucmd.pc bin/ucmdctl \
	share/man/man1/ucmdctl.1 share/man/man3/libucmd.3 $(cd "$ROOT/man" && printf 'share/man/man3/%s ' ucmd_*.3); do
	[ -e "$P/$f" ] || finding "make install put no $f under PREFIX (/usr/local)"
done
awk '$2 ~ /^ucmd_/ { found = 1 } END { exit !found }' "$P/share/ucmd/$kver/Module.symvers" 2>/dev/null ||
	finding "the installed Module.symvers exports no ucmd_ symbol"

# 2. A program of a library user builds with pkg-config against the staged libucmd and runs;
# with nothing but -I PREFIX/include it compiles too, every ucmd header coming from there.
cat >"$W/user.c" <<'EOF'
/* A libucmd user: an absent device is a clean -ENOENT; the installed ABIs are usable. */
#include <errno.h>
#include <fcntl.h>
#include <libucmd.h>
#include <ucmd/ucmd_demo.h>

int main(void)
{
	struct ucmd_vec vec = { 0 };
	struct ucrypto_session sess = { 0 };

	(void)vec;
	(void)sess;
	return ucmd_open(UCMD_DEMO_DEVICE "-absent", O_RDWR) == -ENOENT ? 0 : 1;
}
EOF
if ! cc -Wall -Wextra -Werror -I"$P/include" -M "$W/user.c" >"$W/user.deps" \
	2>"$W/user-deps.log"; then
	finding "a program does not compile with only -I PREFIX/include (the staged one)"
	show "$W/user-deps.log"
else
	# Every ucmd header the program used is the staged one (not, say, /usr/local's).
	used=$(tr ' \\' '\n\n' <"$W/user.deps" | grep -E '/(libucmd|ucmd|ucmd_demo|ucrypto|ucmd/[^/]*)\.h$')
	stray=$(grep -v "^$P/include/" <<<"$used" | tr '\n' ' ')
	[ -z "$stray" ] || finding "the program compiled against ucmd headers outside PREFIX: $stray"
	for h in libucmd.h ucmd/ucmd.h ucmd/ucmd_demo.h ucmd/ucrypto.h; do
		grep -qx "$P/include/$h" <<<"$used" ||
			finding "the program did not use the staged <$h>"
	done
fi
# The deprecated name <ucmd.h> still builds the same program.
sed 's|^#include <libucmd.h>$|#include <ucmd.h>|' "$W/user.c" >"$W/user-old.c"
if ! cc -Wall -Wextra -Werror -I"$P/include" -fsyntax-only "$W/user-old.c" >"$W/user-old.log" 2>&1; then
	finding "a program including the deprecated <ucmd.h> does not compile against the staged headers"
	show "$W/user-old.log"
fi
# No PKG_CONFIG_SYSROOT_DIR: libucmd.pc is relocatable (${pcfiledir}), the staged one points
# into the stage by itself.
if ! flags=$(PKG_CONFIG_PATH=$P/lib/pkgconfig pkg-config --cflags --libs libucmd \
	2>"$W/pkg-config.log"); then
	finding "pkg-config does not find the staged libucmd.pc"
	show "$W/pkg-config.log"
else
	# shellcheck disable=SC2086 # pkg-config's output is a list of flags
	# (The compiler's default dialect, as a user's Makefile would have it.)
	if ! cc -Wall -Wextra -Werror -o "$W/user" "$W/user.c" $flags >"$W/user.log" 2>&1; then
		finding "a program does not build against the staged libucmd: cc ... $flags"
		show "$W/user.log"
	elif ! LD_LIBRARY_PATH=$P/lib "$W/user"; then
		finding "a program linked with the staged libucmd.so does not run as expected"
	fi
fi
if ! out=$(LD_LIBRARY_PATH=$P/lib "$P/bin/ucmdctl" --help 2>&1) || ! grep -q crypto <<<"$out"; then
	finding "the staged ucmdctl --help fails or does not list its commands"
fi

# 3. The example driver builds against the staged SDK and installs, as the README shows.
ex=$W/example
cp -a "$ROOT/examples/ucmd_example" "$ex"
rm -f "$ex"/*.o "$ex"/*.ko "$ex"/*.mod* "$ex"/.*.cmd "$ex"/Module.symvers "$ex"/modules.order
if ! make -C "$ex" KDIR="$kdir" UCMD_DIR="$P/share/ucmd" install \
	DESTDIR="$W/example-stage" >"$W/example.log" 2>&1; then
	finding "make -C examples/ucmd_example install against the staged SDK failed (log: $W/example.log)"
	show "$W/example.log"
fi
ko=$W/example-stage/lib/modules/$kver/updates/ucmd/ucmd_example.ko
if [ ! -f "$ko" ]; then
	finding "the example's make install put no ucmd_example.ko in /lib/modules/$kver/updates/ucmd"
elif ! vermagic_ok "$ko"; then
	finding "ucmd_example.ko has vermagic '$(modinfo -F vermagic "$ko")', not $release"
elif [ "$(modinfo -F depends "$ko")" != ucmd ]; then
	finding "ucmd_example.ko depends on '$(modinfo -F depends "$ko")', not ucmd (Module.symvers unused?)"
fi

# 4. make uninstall leaves no file behind.
if ! make -s -C "$ROOT" uninstall DESTDIR="$stage" >"$W/uninstall.log" 2>&1; then
	finding "make uninstall DESTDIR=... failed (log: $W/uninstall.log)"
	show "$W/uninstall.log"
fi
left=$(find "$stage" ! -type d 2>/dev/null)
[ -z "$left" ] || finding "make uninstall left $(grep -c . <<<"$left") file(s): $(head -n 3 <<<"$left" | tr '\n' ' ')"

# 5. make dkms-install / dkms-uninstall (scripts/dkms.sh) with a private DKMS root; in between,
# the example driver builds against the driver SDK alone (make install MODULES=no USERSPACE=no:
# no Module.symvers of its own) and DKMS's ucmd.ko, whose Module.symvers dkms.conf's
# POST_BUILD keeps in DKMS's tree for ucmd.mk.
check_dkms() {
	local dk=$W/dkms m ko sdk=$W/sdk-stage ex=$W/example-dkms symvers
	if ! DKMS_ROOT=$dk KVER=$kver KDIR=$kdir "$ROOT/scripts/dkms.sh" install \
		>"$W/dkms-install.log" 2>&1; then
		finding "make dkms-install KVER=$kver failed (log: $W/dkms-install.log)"
		show "$W/dkms-install.log"
	fi
	for m in "${MODS[@]}"; do
		ko=$(find "$dk/lib/modules/$kver" -name "$m.ko*" 2>/dev/null | head -n 1)
		if [ -z "$ko" ]; then
			finding "dkms installed no $m.ko for $kver"
		elif ! vermagic_ok "$ko"; then
			finding "the DKMS $m.ko has vermagic '$(modinfo -F vermagic "$ko")', not $release"
		fi
	done
	ko=$(find "$dk" \( -name 'ucmd_bench*' -o -name 'ucmd_kunit*' -o -path '*/kernel/test' \) \
		2>/dev/null | tr '\n' ' ')
	[ -z "$ko" ] || finding "DKMS's sources or build have test modules: $ko"
	dkms status -m ucmd -v "$VERSION" --dkmstree "$dk/var/lib/dkms" 2>/dev/null | grep -q installed ||
		finding "dkms status does not report ucmd $VERSION installed"
	symvers=$(find "$dk/var/lib/dkms/ucmd/$VERSION/$kver" -name Module.symvers 2>/dev/null)
	if [ -z "$symvers" ]; then
		finding "no Module.symvers in DKMS's tree after the build (dkms.conf's POST_BUILD)"
	elif ! awk -F'\t' '$2 == "ucmd_dev_register" && $3 == "updates/dkms/ucmd" { f = 1 }
		END { exit !f }' "$symvers"; then
		finding "DKMS's Module.symvers has no ucmd_dev_register of updates/dkms/ucmd"
	fi
	if ! make -s -C "$ROOT" install MODULES=no USERSPACE=no DESTDIR="$sdk" BUILD_DIR="$W/build-sdk" \
		>"$W/sdk-install.log" 2>&1; then
		finding "make install MODULES=no USERSPACE=no failed (log: $W/sdk-install.log)"
		show "$W/sdk-install.log"
	fi
	cp -a "$ROOT/examples/ucmd_example" "$ex"
	rm -f "$ex"/*.o "$ex"/*.ko "$ex"/*.mod* "$ex"/.*.cmd "$ex"/Module.symvers "$ex"/modules.order
	if ! make -C "$ex" KDIR="$kdir" UCMD_DIR="$sdk/usr/local/share/ucmd" \
		UCMD_DKMS_TREE="$dk/var/lib/dkms" >"$W/example-dkms.log" 2>&1; then
		finding "the example does not build against the SDK and DKMS's ucmd.ko (log: $W/example-dkms.log)"
		show "$W/example-dkms.log"
	elif [ "$(modinfo -F depends "$ex/ucmd_example.ko")" != ucmd ]; then
		finding "the example built against DKMS's ucmd.ko depends on" \
			"'$(modinfo -F depends "$ex/ucmd_example.ko")', not ucmd"
	fi
	if ! DKMS_ROOT=$dk KVER=$kver "$ROOT/scripts/dkms.sh" uninstall >"$W/dkms-uninstall.log" 2>&1; then
		finding "make dkms-uninstall failed (log: $W/dkms-uninstall.log)"
		show "$W/dkms-uninstall.log"
	fi
	ko=$(find "$dk/lib/modules" -name '*.ko*' 2>/dev/null)
	[ -z "$ko" ] || finding "make dkms-uninstall left modules: $(tr '\n' ' ' <<<"$ko")"
	[ ! -e "$dk/usr/src/ucmd-$VERSION" ] || finding "make dkms-uninstall left the sources in /usr/src"
	[ -z "$(find "$dk/var/lib/dkms" -name Module.symvers 2>/dev/null)" ] ||
		finding "make dkms-uninstall left a Module.symvers in DKMS's tree"
	[ -z "$(dkms status -m ucmd --dkmstree "$dk/var/lib/dkms" 2>/dev/null)" ] ||
		finding "dkms still lists ucmd after make dkms-uninstall"
	# Without that DKMS build, the SDK alone refuses to build a driver, naming both fixes.
	rm -f "$ex"/*.o "$ex"/*.ko "$ex"/*.mod* "$ex"/.*.cmd "$ex"/Module.symvers "$ex"/modules.order
	if make -C "$ex" KDIR="$kdir" UCMD_DIR="$sdk/usr/local/share/ucmd" \
		UCMD_DKMS_TREE="$dk/var/lib/dkms" >"$W/example-nodkms.log" 2>&1; then
		finding "the example built against the SDK with no ucmd.ko built for $kver"
	elif ! grep -q "make dkms-install KVER=$kver" "$W/example-nodkms.log"; then
		finding "ucmd.mk's error without a ucmd.ko for $kver does not name make dkms-install"
		show "$W/example-nodkms.log"
	fi
}

# 6. The Debian packages: dpkg-buildpackage -b -us -uc in a copy of the tree under $W (the
# .debs land in $W/deb, never beside the checkout), each unpacked with dpkg-deb -x into a
# throw-away root (maintainer scripts do not run: nothing reaches the host's DKMS). The file
# lists must be exactly what each package is for; a program builds and runs against the unpacked
# libucmd, and the unpacked ucmd-dkms's dkms.conf builds the modules with a private DKMS tree,
# against which the example driver builds with the unpacked SDK.
# files_of DEB: the files and links in a package, without the leading "./", sorted.
files_of() { dpkg-deb -c "$1" | awk '$1 !~ /^d/ { sub(/^\.\//, "", $6); print $6 }' | LC_ALL=C sort; }
check_debian() {
	local id
	# The licence of every SPDX line has its text in LICENSES/ (debian/copyright points there).
	for id in $(grep -rhoI --exclude-dir=.cache --exclude-dir=.git --exclude-dir=LICENSES \
		'SPDX-License-Identifier: [A-Za-z0-9.+ ()-]*' "$ROOT" | sed 's/^SPDX-License-Identifier://' |
		tr ' ()' '\n\n\n' | grep -E '^[A-Za-z0-9][A-Za-z0-9.+-]*$' | grep -vxE 'OR|AND|WITH' |
		LC_ALL=C sort -u); do
		grep -rqxE "(Valid-License-Identifier|SPDX-Exception-Identifier): $id" "$ROOT/LICENSES" \
			2>/dev/null || finding "no licence text in LICENSES/ declares $id, which SPDX lines name"
	done
	check_packages
}
check_packages() {
	local d=$W/deb src root=$W/deb/root ma pkg deb t want got dk ex ko parent_before parent_after
	for t in dpkg-buildpackage dpkg-checkbuilddeps dh dh_dkms fakeroot; do
		command -v "$t" >/dev/null ||
			{ finding "$t is not installed (vm/deps.sh installs what the packages need)"; return; }
	done
	ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
	rm -rf "$d"
	mkdir -p "$d/src" "$root"
	tar -C "$ROOT" --exclude=./.cache --exclude=./.git -cf - . | tar -C "$d/src" -xf -
	src=$d/src
	t=$(cd "$src" && dpkg-parsechangelog -S Version 2>/dev/null)
	[ "$t" = "$VERSION" ] || finding "debian/changelog is at version '$t', VERSION says $VERSION"
	if ! (cd "$src" && dpkg-checkbuilddeps) >"$W/deb-builddeps.log" 2>&1; then
		finding "the packages' build dependencies are missing (vm/deps.sh)"
		show "$W/deb-builddeps.log"
		return
	fi
	parent_before=$(ls -d "$ROOT"/../*.deb "$ROOT"/../*.changes "$ROOT"/../*.buildinfo 2>/dev/null)
	if ! (cd "$src" && dpkg-buildpackage -b -us -uc) >"$W/deb-build.log" 2>&1; then
		finding "dpkg-buildpackage -b -us -uc failed (log: $W/deb-build.log)"
		show "$W/deb-build.log"
		return
	fi
	parent_after=$(ls -d "$ROOT"/../*.deb "$ROOT"/../*.changes "$ROOT"/../*.buildinfo 2>/dev/null)
	[ "$parent_before" = "$parent_after" ] ||
		finding "building the packages wrote beside the checkout: $parent_after"
	for pkg in ucmd-dkms libucmd1 libucmd-dev ucmdctl ucmd-openssl-provider; do
		deb=$(ls "$d/${pkg}_${VERSION}_"*.deb 2>/dev/null)
		if [ -z "$deb" ]; then
			finding "dpkg-buildpackage built no $pkg package"
			continue
		fi
		files_of "$deb" >"$d/$pkg.files"
		dpkg-deb -x "$deb" "$root"
		dpkg-deb -e "$deb" "$d/$pkg.control"
		for t in copyright changelog.gz; do
			grep -qx "usr/share/doc/$pkg/$t" "$d/$pkg.files" || finding "$pkg has no /usr/share/doc/$pkg/$t"
		done
		# What the package is for, exactly (ucmd-dkms's sources: the checks below).
		case "$pkg" in
		libucmd1) want="usr/lib/$ma/libucmd.so.${VERSION%%.*}" ;;
		libucmd-dev) want="usr/include/libucmd.h usr/include/ucmd.h usr/include/ucmd/ucmd.h usr/include/ucmd/ucmd_demo.h
			usr/include/ucmd/ucrypto.h usr/include/ucmd/version.h usr/lib/$ma/libucmd.a
			usr/lib/$ma/libucmd.so usr/lib/$ma/pkgconfig/libucmd.pc usr/share/man/man3/libucmd.3.gz
			$(cd "$ROOT/man" && printf "usr/share/man/man3/%s.gz " ucmd_*.3)" ;;
		ucmdctl) want="usr/bin/ucmdctl usr/share/man/man1/ucmdctl.1.gz" ;;
		ucmd-openssl-provider) want="usr/lib/$ma/ossl-modules/ucrypto.so" ;;
		ucmd-dkms) want="" ;;
		esac
		if [ -n "$want" ]; then
			got=$(grep -v "^usr/share/doc/$pkg/" "$d/$pkg.files" | tr '\n' ' ')
			want=$(tr -s ' \t\n' '\n' <<<"$want" | grep . | LC_ALL=C sort | tr '\n' ' ')
			[ "$got" = "$want" ] || finding "$pkg holds '$got', not '$want'"
		fi
	done
	[ -f "$d/ucmd-dkms.files" ] || return
	# ucmd-dkms: the DKMS sources of the shipped modules and the driver SDK, nothing else.
	t=$(grep -v -e "^usr/src/ucmd-$VERSION/" -e '^usr/share/ucmd/' -e '^usr/share/doc/ucmd-dkms/' \
		"$d/ucmd-dkms.files" | tr '\n' ' ')
	[ -z "$t" ] || finding "ucmd-dkms holds files outside its source tree and SDK: $t"
	for t in dkms.conf dkms-post-build.sh VERSION kernel/Kbuild kernel/ucmd/Kbuild kernel/ucmd/entry.c \
		kernel/demo/ucmd_demo.c kernel/ucrypto/main.c include/linux/ucmd.h \
		include/uapi/linux/ucmd.h; do
		grep -qx "usr/src/ucmd-$VERSION/$t" "$d/ucmd-dkms.files" ||
			finding "ucmd-dkms has no /usr/src/ucmd-$VERSION/$t"
	done
	for t in ucmd.mk include/linux/ucmd.h include/uapi/linux/ucmd.h; do
		grep -qx "usr/share/ucmd/$t" "$d/ucmd-dkms.files" || finding "ucmd-dkms has no /usr/share/ucmd/$t"
	done
	grep -q "^PACKAGE_VERSION=\"$VERSION\"$" "$root/usr/src/ucmd-$VERSION/dkms.conf" 2>/dev/null ||
		finding "ucmd-dkms's dkms.conf does not say PACKAGE_VERSION=\"$VERSION\""
	[ -x "$root/usr/src/ucmd-$VERSION/dkms-post-build.sh" ] ||
		finding "ucmd-dkms's dkms-post-build.sh is not executable (DKMS would skip it)"
	grep -q "^DKMS_NAME=ucmd$" "$d/ucmd-dkms.control/postinst" 2>/dev/null &&
		grep -q "^DKMS_VERSION=$VERSION$" "$d/ucmd-dkms.control/postinst" ||
		finding "ucmd-dkms's postinst does not register ucmd $VERSION with DKMS (dh_dkms)"
	# Across all four: only the shipped modules' sources, no test or benchmark ABI (not even
	# in the DKMS sources: ucrypto.ko is built without UCRYPTO_BENCH_LOOP there), no built
	# objects, nothing in include/linux.
	t=$(cat "$d"/*.files | grep -e '^usr/include/linux/' -e '\.ko$' -e '\.o$' -e 'ucmd_bench' \
		-e 'ucmd_kunit' -e '/kernel/test/' -e '_bench\.h$' | tr '\n' ' ')
	[ -z "$t" ] || finding "the packages ship test, benchmark, built or include/linux files: $t"

	# A program against the unpacked libucmd-dev/libucmd1, through its relocatable pkg-config file.
	if ! flags=$(PKG_CONFIG_LIBDIR=$root/usr/lib/$ma/pkgconfig \
		PKG_CONFIG_PATH=/usr/lib/$ma/pkgconfig:/usr/share/pkgconfig \
		pkg-config --cflags --libs libucmd 2>"$W/deb-pkg-config.log"); then
		finding "pkg-config does not find libucmd.pc in the unpacked libucmd-dev"
		show "$W/deb-pkg-config.log"
	else
		# shellcheck disable=SC2086 # pkg-config's output is a list of flags
		if ! cc -Wall -Wextra -Werror -o "$W/deb-user" "$W/user.c" $flags >"$W/deb-user.log" 2>&1; then
			finding "a program does not build against the unpacked libucmd-dev: cc ... $flags"
			show "$W/deb-user.log"
		elif ! LD_LIBRARY_PATH=$root/usr/lib/$ma "$W/deb-user"; then
			finding "a program linked with the unpacked libucmd1 does not run as expected"
		fi
	fi
	if ! t=$(LD_LIBRARY_PATH=$root/usr/lib/$ma "$root/usr/bin/ucmdctl" --help 2>&1) ||
		! grep -q crypto <<<"$t"; then
		finding "the unpacked ucmdctl --help fails or does not list its commands"
	fi

	# The unpacked ucmd-dkms under DKMS (a private tree), and a driver on its SDK.
	command -v dkms >/dev/null || return
	dk=(--dkmstree "$d/dkms" --sourcetree "$root/usr/src" --installtree "$d/lib/modules" --no-depmod)
	mkdir -p "$d/dkms" "$d/lib/modules/$kver"
	if ! { dkms add -m ucmd -v "$VERSION" "${dk[@]}" &&
		dkms build -m ucmd -v "$VERSION" -k "$kver" --kernelsourcedir "$kdir" "${dk[@]}"; } \
		>"$W/deb-dkms.log" 2>&1; then
		finding "dkms add/build of the unpacked ucmd-dkms failed (log: $W/deb-dkms.log)"
		show "$W/deb-dkms.log"
		return
	fi
	for m in "${MODS[@]}"; do
		ko=$(find "$d/dkms/ucmd/$VERSION/$kver" -name "$m.ko*" 2>/dev/null | head -n 1)
		[ -n "$ko" ] && vermagic_ok "$ko" || finding "DKMS built no $m.ko for $release from ucmd-dkms"
	done
	ex=$d/example
	cp -a "$ROOT/examples/ucmd_example" "$ex"
	rm -f "$ex"/*.o "$ex"/*.ko "$ex"/*.mod* "$ex"/.*.cmd "$ex"/Module.symvers "$ex"/modules.order
	if ! make -C "$ex" KDIR="$kdir" UCMD_DIR="$root/usr/share/ucmd" UCMD_DKMS_TREE="$d/dkms" \
		>"$W/deb-example.log" 2>&1; then
		finding "the example does not build on ucmd-dkms's SDK and DKMS build (log: $W/deb-example.log)"
		show "$W/deb-example.log"
	elif [ "$(modinfo -F depends "$ex/ucmd_example.ko")" != ucmd ]; then
		finding "the example on ucmd-dkms's SDK depends on '$(modinfo -F depends "$ex/ucmd_example.ko")'"
	fi
}

# 7. The rig leaves the host's packages as they were: preparing the stock kernels (their images,
# headers and crypto modules; downloaded and unpacked into .cache) and running vm/deps.sh
# change nothing that dpkg knows about.
check_hygiene() {
	local before=$W/dpkg-before after=$W/dpkg-after k moved
	dpkg-query -W -f='${Package} ${Version}\n' | sort >"$before"
	for k in bookworm backports; do
		"$ROOT/vm/kernels.sh" "$k" >"$W/kernels-$k.log" 2>&1 ||
			{ finding "vm/kernels.sh $k failed (log: $W/kernels-$k.log)"; show "$W/kernels-$k.log"; }
	done
	"$ROOT/vm/deps.sh" >"$W/deps.log" 2>&1 ||
		{ finding "vm/deps.sh failed (log: $W/deps.log)"; show "$W/deps.log"; }
	dpkg-query -W -f='${Package} ${Version}\n' | sort >"$after"
	moved=$(diff "$before" "$after" | sed -n 's/^[<>] //p' | tr '\n' ' ')
	[ -z "$moved" ] || finding "preparing the kernels changed host packages: $moved"
}

if command -v dkms >/dev/null; then
	check_dkms
else
	finding "dkms is not installed (apt-get install dkms)"
fi
check_debian
if [ -z "${INSTALL_SKIP_HYGIENE:-}" ] && command -v apt-get >/dev/null; then
	check_hygiene
fi
exit $((n > 100 ? 100 : n))
