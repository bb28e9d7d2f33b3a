/* SPDX-License-Identifier: GPL-2.0 */
/* modctl.h - unloading and reloading the ucmd_demo module from a test (delete_module, finit_module), for life_rmmod and fault_inject. */
#ifndef UCMD_TESTS_MODCTL_H
#define UCMD_TESTS_MODCTL_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tap.h"

/* Where the guest's /init loads the modules from. */
#define MC_DEMO_KO "/lib/ucmd/ucmd_demo.ko"
#define MC_DEMO "ucmd_demo"

/* delete_module(@name, O_NONBLOCK): 0 or -errno (-EAGAIN/-EBUSY: in use). */
static inline int mc_delete(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

/* finit_module() of @path without parameters: 0 or -errno. */
static inline int mc_load(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

/* Whether module @name is loaded (as a module, not built in: it has a refcnt). */
static inline bool mc_loaded(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/module/%s/refcnt", name);
	return access(path, F_OK) == 0;
}

static inline bool mc_busy(int err)
{
	return err == -EAGAIN || err == -EBUSY;
}

/*
 * Why the demo module cannot be unloaded and loaded again here, or NULL if
 * it can: it must be a loaded module whose .ko is where /init took it from.
 */
static inline const char *mc_demo_reloadable(void)
{
	if (geteuid() != 0)
		return "needs root (CAP_SYS_MODULE)";
	if (!mc_loaded(MC_DEMO))
		return "ucmd_demo is not a loaded module";
	if (access(MC_DEMO_KO, R_OK))
		return MC_DEMO_KO " is missing: could not load it again";
	return NULL;
}

/* Retries delete_module while it is busy, up to @timeout_ms; returns the last result. */
static inline int mc_delete_wait(const char *name, unsigned int timeout_ms, unsigned int *tries)
{
	uint64_t deadline = tu_now_ns() + (uint64_t)timeout_ms * 1000000;
	int ret;

	*tries = 0;
	for (;;) {
		ret = mc_delete(name);
		++*tries;
		if (!mc_busy(ret) || tu_now_ns() > deadline)
			return ret;
		tu_sleep_ms(20);
	}
}

/* Waits up to @timeout_ms for @path to exist (@exist) or to be gone. */
static inline bool mc_wait_path(const char *path, bool exist, unsigned int timeout_ms)
{
	uint64_t deadline = tu_now_ns() + (uint64_t)timeout_ms * 1000000;

	for (;;) {
		if ((access(path, F_OK) == 0) == exist)
			return true;
		if (tu_now_ns() > deadline)
			return false;
		tu_sleep_ms(10);
	}
}

/*
 * Unloads ucmd_demo (retrying while busy, up to @timeout_ms) and loads it
 * again; waits for the device node.  Returns 0 or the failing step's -errno;
 * bails if the module is gone and cannot be loaded again.
 */
static inline int mc_reload_demo(unsigned int timeout_ms)
{
	unsigned int tries;
	int ret = mc_delete_wait(MC_DEMO, timeout_ms, &tries);

	if (ret)
		return ret;
	ret = mc_load(MC_DEMO_KO);
	if (ret)
		tap_bail("ucmd_demo unloaded but cannot be loaded again: %s", strerror(-ret));
	if (!mc_wait_path(tu_dev_path(), true, 5000))
		tap_bail("ucmd_demo loaded again but %s did not appear", tu_dev_path());
	return 0;
}

#endif /* UCMD_TESTS_MODCTL_H */
