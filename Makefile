# SPDX-License-Identifier: GPL-2.0
# Top-level entry points: building for this host, the VM rig (vm/*.sh) and installing (scripts/*.sh).
#
#   make                          modules for the running kernel (KVER=, KDIR=) and user space;
#                                 installs and downloads nothing
#   make demo                     build for bookworm, boot it, show the demo transcript
#   make test [KERNELS="..."]     the whole suite on every kernel flavour
#   make modules KERNEL=sid       modules for one flavour (bookworm backports sid debug)
#   make shell KERNEL=debug       an interactive guest shell (leave with "exit")
#   make bench [KERNELS="..."]    benchmarks (icount and wall clock) on the default kernel
#
# On a real host (scripts/*.sh do the work):
#   make install [DESTDIR=] [PREFIX=/usr/local] [LIBDIR=PREFIX/lib] [KVER=`uname -r`]
#                [KDIR=/lib/modules/$KVER/build] [MODULES=no] [USERSPACE=no]   modules, driver
#                                 SDK (PREFIX/share/ucmd), libucmd (headers: PREFIX/include/libucmd.h
#                                 and PREFIX/include/ucmd/), ucmdctl, man pages
#   make uninstall [DESTDIR=] [PREFIX=]   removes what the manifest lists
#   make dkms-install [KVER=]     register kernel/ with DKMS (/usr/src/ucmd-VERSION); dkms-uninstall
#   make docs                     docs/api.rst from the kernel-doc comments, and man/ucmd_*.3
#                                 (a page per libucmd function) from lib/libucmd.h's
#   make check [GATES="checkpatch sparse clang-format kernel-doc asan lib install"]   style gates,
#                                 a host ASan/UBSan run and the install paths (into private
#                                 roots); non-zero on any finding

KERNEL ?= bookworm
KERNELS ?= bookworm backports sid debug sid-debug
O := $(CURDIR)/.cache/build/user
USER_DIRS := lib tools tests provider

# Plain "make": the modules for the running kernel (or KVER/KDIR) and the user-space tools.
# It never installs packages or downloads anything; the VM rig has its own targets.
all: host-modules user

HOST_BUILD := $(CURDIR)/.cache/build/host
host-modules:
	@kver="$${KVER:-$$(uname -r)}"; kdir="$${KDIR:-/lib/modules/$$kver/build}"; \
	if [ ! -f "$$kdir/Makefile" ]; then \
		echo "make: SKIPPED the modules: no kernel build tree at $$kdir" \
			"(Debian: apt-get install linux-headers-$$kver; or KDIR=...)"; \
	else \
		rm -rf "$(HOST_BUILD)" && mkdir -p "$(HOST_BUILD)" && \
		cp -a kernel include "$(HOST_BUILD)/" && \
		$(MAKE) -C "$$kdir" M="$(HOST_BUILD)/kernel" modules && \
		echo "make: modules for $$kver in $(HOST_BUILD)/kernel"; \
	fi

deps:
	vm/deps.sh

kernel: deps
	vm/kernels.sh $(KERNEL)

modules: kernel
	vm/modules.sh $(KERNEL)

# The rig's user space: static binaries (the guests have no shared libraries) and warnings as
# errors. lib/ and tools/ alone build what a packager wants: a dynamic ucmdctl, no -Werror.
user:
	@pkg-config --exists liburing libcrypto || { echo "user: needs liburing-dev and libssl-dev" \
		"(apt-get install liburing-dev libssl-dev pkg-config)" >&2; exit 1; }
	@for d in $(USER_DIRS); do \
		if [ -f $$d/Makefile ]; then $(MAKE) -C $$d O=$(O) LINK=static WERROR=-Werror || exit 1; \
		else echo "user: no $$d/Makefile yet, skipping $$d"; fi; \
	done

initramfs: modules user
	vm/initramfs.sh $(KERNEL)

# These prepare the kernel, modules and initramfs themselves, under the build lock.
demo: deps user
	vm/boot.sh $(KERNEL) demo

shell: deps user
	vm/boot.sh $(KERNEL) shell

# The tests once more with ASan/UBSan, for the guests that run them (UCMD_ASAN_FLAVOURS).
user-asan: user
	$(MAKE) -C tests O=$(O) asan

test: deps user user-asan
	vm/test.sh $(KERNELS)

PREFIX ?= /usr/local
install uninstall:
	DESTDIR="$(DESTDIR)" PREFIX="$(PREFIX)" LIBDIR="$(LIBDIR)" KVER="$(KVER)" KDIR="$(KDIR)" \
		MODULES="$(MODULES)" USERSPACE="$(USERSPACE)" BUILD_DIR="$(BUILD_DIR)" \
		scripts/install.sh $@

dkms-install dkms-uninstall:
	KVER="$(KVER)" scripts/dkms.sh $(@:dkms-%=%)

docs:
	scripts/docs.sh
	scripts/man.sh

check:
	GATES="$(GATES)" scripts/check.sh

# Deterministic (icount) and wall-clock figures; KERNELS defaults to the default kernel here.
bench: deps user
	$(MAKE) -C bench O=$(O)
	bench/run.sh $(if $(filter command line environment,$(origin KERNELS)),$(KERNELS),$(KERNEL))

# Keeps the downloaded kernels, the debug kernel and the sid chroot; distclean drops them too.
clean:
	rm -rf .cache/build .cache/logs .cache/results

distclean: clean
	vm/clean-cache.sh


.PHONY: bench
.PHONY: all host-modules deps kernel modules user user-asan initramfs demo shell test install uninstall dkms-install \
	dkms-uninstall docs check clean distclean
