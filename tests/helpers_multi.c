// SPDX-License-Identifier: GPL-2.0
/* helpers_multi.c - the multi_* tests' access to ucmd_multi: its control device, the devices it creates, their commands. */
#include <limits.h>
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

void t_multi_tick_prep(struct io_uring_sqe *sqe, const struct io_uring *ring, int fd,
		       uint64_t period_ns, uint16_t handler_ms, uint16_t bgid, uint64_t ud)
{
	struct ucmd_multi_tick arg = { .period_ns = period_ns, .handler_ms = handler_ms };

	if (!sqe || ucmd_prep_stream(ring, sqe, fd, UCMD_MULTI_TICK, &arg, sizeof(arg), bgid))
		t_bail("cannot prepare a TICK");
	io_uring_sqe_set_data64(sqe, ud);
}

/* Accounts one CQE to its stream; false if it belongs to none. */
static bool tick_one(struct t_tick *t, unsigned int nt, struct ucmd_bufs *b, uint32_t id,
		     const struct io_uring_cqe *cqe)
{
	for (unsigned int i = 0; i < nt; i++) {
		struct t_tick *x = &t[i];
		const struct ucmd_multi_event *ev;

		if (cqe->user_data != x->ud)
			continue;
		if (x->ended) {
			x->bad++;
			return true;
		}
		if (!(cqe->flags & IORING_CQE_F_MORE)) {
			x->ended = true;
			x->final_res = cqe->res;
			if (cqe->flags & IORING_CQE_F_BUFFER)
				x->bad++;
			return true;
		}
		ev = ucmd_bufs_data(b, cqe);
		if (!ev || cqe->res != (int)sizeof(*ev) || ev->id != id || ev->pad) {
			x->bad++;
		} else {
			if (ev->seq != x->last_seq + 1)
				x->bad_seq++;
			x->last_seq = ev->seq;
			x->events++;
		}
		if (ev)
			ucmd_bufs_recycle(b, cqe);
		return true;
	}
	return false;
}

static bool tick_done(const struct t_tick *t, unsigned int nt, unsigned int min_events)
{
	if (min_events == UINT_MAX)
		return false;
	for (unsigned int i = 0; i < nt; i++)
		if (!t[i].ended && (!min_events || t[i].events < min_events))
			return false;
	return true;
}

unsigned int t_tick_reap(struct io_uring *ring, struct t_tick *t, unsigned int nt,
			 struct ucmd_bufs *b, uint32_t id, unsigned int min_events,
			 unsigned int timeout_ms)
{
	uint64_t end = t_now_ns() + (uint64_t)timeout_ms * T_NS_PER_MS;
	unsigned int stray = 0;

	while (!tick_done(t, nt, min_events) && t_now_ns() < end) {
		struct __kernel_timespec ts = { 0, 10 * 1000 * 1000 };
		struct io_uring_cqe *cqe;
		int ret = io_uring_wait_cqe_timeout(ring, &cqe, &ts);

		if (ret == -ETIME || ret == -EINTR)
			continue;
		if (ret)
			t_bail("io_uring_wait_cqe_timeout: %s", strerror(-ret));
		if (!tick_one(t, nt, b, id, cqe)) {
			t_diag("stray CQE user_data %llu res %d",
			       (unsigned long long)cqe->user_data, cqe->res);
			stray++;
		}
		io_uring_cqe_seen(ring, cqe);
	}
	return stray;
}

void t_multi_tick_unsupported(int ctl, int fd)
{
	struct ucmd_multi_tick arg = { .period_ns = T_NS_PER_MS };
	struct ucmd_multi_stats s0, st;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	struct ucmd_bufs b;
	bool bufs;
	int ret;

	t_ring(&ring, 8, 0);
	bufs = ucmd_bufs_init(&ring, &b, 1, 4, sizeof(struct ucmd_multi_event)) == 0;
	t_multi_stats(ctl, &s0);
	t_err(ucmd_call_ioctl(fd, UCMD_MULTI_TICK, &arg), -EOPNOTSUPP,
	      "ioctl: TICK -> -EOPNOTSUPP");
	t_err(ucmd_call_uring(&ring, fd, UCMD_MULTI_TICK, &arg, sizeof(arg), NULL), -EOPNOTSUPP,
	      "uring without MULTISHOT: TICK -> -EOPNOTSUPP (this kernel has no streams)");
	t_multi_tick_prep(io_uring_get_sqe(&ring), &ring, fd, T_NS_PER_MS, 0, 1, 5);
	if (io_uring_submit(&ring) != 1)
		t_bail("io_uring_submit");
	ret = io_uring_wait_cqe(&ring, &cqe);
	if (ret)
		t_bail("io_uring_wait_cqe: %s", strerror(-ret));
	ret = cqe->res;
	t_ok(!(cqe->flags & IORING_CQE_F_MORE), "uring with MULTISHOT: one CQE, no F_MORE");
	io_uring_cqe_seen(&ring, cqe);
	t_ok(ret == -EINVAL || ret == -EOPNOTSUPP,
	     "... refused with -EINVAL or -EOPNOTSUPP (got %d)", ret);
	t_multi_stats(ctl, &st);
	t_eq_u64(st.streams - s0.streams, 0, "... no stream started");
	if (bufs)
		ucmd_bufs_free(&ring, &b);
	io_uring_queue_exit(&ring);
}
