# SPDX-License-Identifier: GPL-2.0
# ksrc.sh - sourced by docs.sh and check.sh: finds the kernel's scripts (kernel-doc, checkpatch.pl) of Linux 6.1.
#
# They come from the unpacked tree in .cache/src/linux-source-6.1 (vm/debug-kernel.sh unpacks
# it) if it is there, else just the needed files are extracted from Debian's linux-source-6.1
# tarball into .cache/src/linux-source-6.1-scripts (never into the tree's directory, which
# vm/debug-kernel.sh owns).

KSRC_TREE=$ROOT/.cache/src/linux-source-6.1
KSRC_ONLY=$ROOT/.cache/src/linux-source-6.1-scripts
# vm/lib.sh unpacks the package there; an installed linux-source-6.1 serves too.
KSRC_TARBALL=${KSRC_TARBALL:-$ROOT/.cache/src/pkg/usr/src/linux-source-6.1.tar.xz}
[ -f "$KSRC_TARBALL" ] || ! [ -f /usr/src/linux-source-6.1.tar.xz ] || KSRC_TARBALL=/usr/src/linux-source-6.1.tar.xz

# ksrc_scripts FILE... - prints the scripts/ directory that holds every FILE (paths in scripts/).
ksrc_scripts() {
	local dir f ok members=()
	for dir in "$KSRC_TREE/scripts" "$KSRC_ONLY/scripts"; do
		ok=1
		for f; do [ -f "$dir/$f" ] || ok=0; done
		if [ $ok = 1 ]; then
			echo "$dir"
			return 0
		fi
	done
	if [ ! -f "$KSRC_TARBALL" ]; then
		# shellcheck source=../vm/lib.sh
		KSRC_TARBALL=$(UCMD_CACHE=$ROOT/.cache bash -c '. "$0/vm/lib.sh" && linux_source_61' "$ROOT") ||
			return 1
	fi
	for f; do members+=("linux-source-6.1/scripts/$f"); done
	echo "extracting ${*} from $KSRC_TARBALL" >&2
	mkdir -p "$KSRC_ONLY"
	tar -C "$KSRC_ONLY" --strip-components=1 -xJf "$KSRC_TARBALL" "${members[@]}" || return 1
	echo "$KSRC_ONLY/scripts"
}
