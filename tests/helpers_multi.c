// SPDX-License-Identifier: GPL-2.0
/* helpers_multi.c - the multi_* tests' access to ucmd_multi: its control device, the devices it creates, their commands. */
#include <sys/stat.h>

#include "helpers.h"

int t_multi_ctl(void)
{
	int fd;

	if (geteuid() != 0)
		t_skip_all("the control device needs root");
	if (access(UCMD_MULTI_CTL_DEVICE, F_OK)) {
		/* A test of this group may have unloaded the module and failed before loading it. */
		if (!t_module_loaded(T_MULTI_MODULE) && !access(T_MULTI_KO, R_OK))
			t_module_load(T_MULTI_KO);
		if (!t_wait_path(UCMD_MULTI_CTL_DEVICE, true, 2000))
			t_skip_all("%s is missing (ucmd_multi not loaded)", UCMD_MULTI_CTL_DEVICE);
	}
	fd = open(UCMD_MULTI_CTL_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		t_bail("open %s: %s", UCMD_MULTI_CTL_DEVICE, strerror(errno));
	return fd;
}

int t_multi_create(int ctl)
{
	return ucmd_call_ioctl(ctl, UCMD_MULTI_CREATE, NULL);
}

int t_multi_destroy(int ctl, uint32_t id)
{
	return ucmd_call_ioctl(ctl, UCMD_MULTI_DESTROY, &id);
}

void t_multi_stats(int ctl, struct ucmd_multi_stats *st)
{
	int ret = ucmd_call_ioctl(ctl, UCMD_MULTI_STATS, st);

	if (ret)
		t_bail("UCMD_MULTI_STATS: %s", strerror(-ret));
}

const char *t_multi_path(uint32_t id)
{
	static char path[64];

	snprintf(path, sizeof(path), UCMD_MULTI_DEVICE_PREFIX "%u", id);
	return path;
}

int t_multi_open(uint32_t id, int flags)
{
	const char *path = t_multi_path(id);
	int fd;

	/* devtmpfs makes the node as the device is added; a moment at most. */
	if (!t_wait_path(path, true, 2000))
		t_bail("%s did not appear", path);
	fd = open(path, flags | O_CLOEXEC);
	if (fd < 0)
		t_bail("open %s: %s", path, strerror(errno));
	return fd;
}

static int call(const struct t_path *p, int fd, uint32_t cmd, void *ioctl_arg, const void *payload,
		size_t len)
{
	if (!p->ring)
		return ucmd_call_ioctl(fd, cmd, ioctl_arg);
	return ucmd_call_uring(p->ring, fd, cmd, payload, len, NULL);
}

int t_multi_id(const struct t_path *p, int fd)
{
	return call(p, fd, UCMD_MULTI_ID, NULL, NULL, 0);
}

int t_multi_set(const struct t_path *p, int fd, uint64_t v)
{
	return call(p, fd, UCMD_MULTI_SET, &v, &v, sizeof(v));
}

int t_multi_get(const struct t_path *p, int fd, uint64_t *v)
{
	uint64_t ptr = (uint64_t)(uintptr_t)v;

	return call(p, fd, UCMD_MULTI_GET, v, &ptr, sizeof(ptr));
}

int t_multi_sleep(const struct t_path *p, int fd, uint64_t nsec)
{
	return call(p, fd, UCMD_MULTI_SLEEP, &nsec, &nsec, sizeof(nsec));
}

int t_multi_queue_sleep(struct io_uring *ring, int fd, uint64_t nsec, uint64_t user_data)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		return -EBUSY;
	if (ucmd_prep(ring, sqe, fd, UCMD_MULTI_SLEEP, &nsec, sizeof(nsec)))
		return -EINVAL;
	io_uring_sqe_set_data64(sqe, user_data);
	return 0;
}

int t_multi_inflight(uint32_t id)
{
	char path[128];
	FILE *f;
	int n = -1;

	snprintf(path, sizeof(path), "/sys/class/misc/ucmd-multi%u/ucmd/inflight", id);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	if (fscanf(f, "%d", &n) != 1)
		n = -EIO;
	fclose(f);
	return n;
}

bool t_multi_wait_inflight(uint32_t id, int n, unsigned int timeout_ms)
{
	uint64_t deadline = t_now_ns() + (uint64_t)timeout_ms * T_NS_PER_MS;

	while (t_multi_inflight(id) != n) {
		if (t_now_ns() > deadline)
			return false;
		t_sleep_ms(5);
	}
	return true;
}
