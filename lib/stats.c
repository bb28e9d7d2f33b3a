// SPDX-License-Identifier: LGPL-2.1 OR MIT
/* stats.c - libucmd: reading a device's framework counters from sysfs. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/* Read one file holding a single decimal number (and an optional newline). */
static int read_u64(const char *dir, const char *name, uint64_t *out)
{
	char path[4096], buf[64], *end;
	unsigned long long v;
	ssize_t n;
	int fd, len;

	len = snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (len < 0 || (size_t)len >= sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do {
		n = read(fd, buf, sizeof(buf) - 1);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	close(fd);
	buf[n] = '\0';
	if (n == 0 || buf[0] < '0' || buf[0] > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(buf, &end, 10);
	if (errno)
		return -errno;
	if (*end == '\n')
		end++;
	if (*end != '\0')
		return -EINVAL;
	*out = v;
	return 0;
}

/* The struct as libucmd 1.0 defined it: everything before retried. */
#define UCMD_STATS_V1_SIZE offsetof(struct ucmd_stats, retried)

/* Fill the first @size bytes of @st from the counter files in @dir. */
static int stats_read_dir(const char *dir, struct ucmd_stats *st, size_t size)
{
	static const struct {
		const char *name;
		size_t off;
	} files[] = {
		/*
		 * inflight first: once it reads 0, the counters read after it
		 * already include every completion and cancellation of what
		 * was in flight (the files are not read atomically).
		 */
		{ "inflight", offsetof(struct ucmd_stats, inflight) },
		{ "issued", offsetof(struct ucmd_stats, issued) },
		{ "completed_sync", offsetof(struct ucmd_stats, completed_sync) },
		{ "completed_async", offsetof(struct ucmd_stats, completed_async) },
		{ "cancelled", offsetof(struct ucmd_stats, cancelled) },
		{ "refused", offsetof(struct ucmd_stats, refused) },
		{ "retried", offsetof(struct ucmd_stats, retried) },
	};
	struct ucmd_stats tmp;
	size_t i;
	int ret;

	if (!dir || !st)
		return -EINVAL;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (files[i].off >= size)
			continue;
		ret = read_u64(dir, files[i].name, (uint64_t *)((char *)&tmp + files[i].off));
		if (ret)
			return ret;
	}
	memcpy(st, &tmp, size);
	return 0;
}

/* Fill the first @size bytes of @st from the counters of device @dev. */
static int stats_read(const char *dev, struct ucmd_stats *st, size_t size)
{
	char dir[4096];
	const char *name;
	int len;

	if (!dev || !st)
		return -EINVAL;
	name = strrchr(dev, '/');
	name = name ? name + 1 : dev;
	if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return -EINVAL;
	len = snprintf(dir, sizeof(dir), UCMD_SYSFS_DIR, name);
	if (len < 0 || (size_t)len >= sizeof(dir))
		return -ENAMETOOLONG;
	return stats_read_dir(dir, st, size);
}

/*
 * Two versions of each reader (see libucmd.map): programs linked against
 * 1.0 pass the six-counter struct and get LIBUCMD_1's, which never writes
 * past it; everything linked since gets the whole struct.
 */
int ucmd_stats_read_dir_v1_1(const char *dir, struct ucmd_stats *st);
__attribute__((symver("ucmd_stats_read_dir@@LIBUCMD_1.1"))) int
ucmd_stats_read_dir_v1_1(const char *dir, struct ucmd_stats *st)
{
	return stats_read_dir(dir, st, sizeof(*st));
}

int ucmd_stats_read_v1_1(const char *dev, struct ucmd_stats *st);
__attribute__((symver("ucmd_stats_read@@LIBUCMD_1.1"))) int
ucmd_stats_read_v1_1(const char *dev, struct ucmd_stats *st)
{
	return stats_read(dev, st, sizeof(*st));
}

int ucmd_stats_read_dir_v1(const char *dir, struct ucmd_stats *st);
__attribute__((symver("ucmd_stats_read_dir@LIBUCMD_1"))) int
ucmd_stats_read_dir_v1(const char *dir, struct ucmd_stats *st)
{
	return stats_read_dir(dir, st, UCMD_STATS_V1_SIZE);
}

int ucmd_stats_read_v1(const char *dev, struct ucmd_stats *st);
__attribute__((symver("ucmd_stats_read@LIBUCMD_1"))) int ucmd_stats_read_v1(const char *dev,
									    struct ucmd_stats *st)
{
	return stats_read(dev, st, UCMD_STATS_V1_SIZE);
}
