// SPDX-License-Identifier: LGPL-2.1 OR MIT
/* dev.c - libucmd: telling which ucmd device an open file is, from its entry in /sys/dev/char. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "internal.h"

/* Where sysfs lists character devices by number: /sys/dev/char/MAJOR:MINOR. */
#define SYS_DEV_CHAR "/sys/dev/char"

int ucmd_dev_sysfs(int fd, char *dir, size_t len)
{
	struct stat st;
	int n;

	if (!dir || !len)
		return -EINVAL;
	if (fstat(fd, &st))
		return -errno;
	if (!S_ISCHR(st.st_mode))
		return -ENOTTY;
	n = snprintf(dir, len, SYS_DEV_CHAR "/%u:%u", major(st.st_rdev), minor(st.st_rdev));
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

int ucmd_dev_name(int fd, char *name, size_t len)
{
	char dir[64], group[80], link[4096];
	const char *base;
	struct stat st;
	ssize_t n;
	int ret;

	if (!name || !len)
		return -EINVAL;
	ret = ucmd_dev_sysfs(fd, dir, sizeof(dir));
	if (ret)
		return ret;
	if (stat(SYS_DEV_CHAR, &st))
		return -errno; /* sysfs not mounted: nothing can be told */
	snprintf(group, sizeof(group), "%s/ucmd", dir);
	if (stat(group, &st) || !S_ISDIR(st.st_mode))
		return -ENODEV; /* a character device, but not one of the framework's */
	n = readlink(dir, link, sizeof(link) - 1);
	if (n < 0)
		return -errno;
	link[n] = '\0';
	base = strrchr(link, '/');
	base = base ? base + 1 : link;
	if (strlen(base) >= len)
		return -ENAMETOOLONG;
	strcpy(name, base);
	return 0;
}

int ucmd_dev_check(int fd, const char *name)
{
	char got[256];
	int ret = ucmd_dev_name(fd, got, sizeof(got));

	if (ret)
		return ret;
	return !name || strcmp(got, name) == 0 ? 0 : -ENXIO;
}
