// SPDX-License-Identifier: GPL-2.0
/* helpers_watch.c - event streams for the watch_* tests: the kernel's expected support, WATCH submission, reaping events per stream. */
#include <sys/utsname.h>

#include "helpers.h"

bool t_kernel_streams(void)
{
	struct utsname u;
	int major = 0;

	if (uname(&u) == 0)
		major = atoi(u.release);
	return major >= 7;
}

void t_watch_prep(struct io_uring_sqe *sqe, const struct io_uring *ring, int fd, uint32_t count,
		  uint16_t bgid, uint64_t ud)
{
	struct ucmd_demo_watch w = { .count = count };

	if (ucmd_prep_stream(ring, sqe, fd, UCMD_DEMO_WATCH, &w, sizeof(w), bgid))
		t_bail("ucmd_prep_stream failed");
	io_uring_sqe_set_data64(sqe, ud);
}

void t_watch_submit(struct io_uring *ring, int fd, uint32_t count, uint16_t bgid, uint64_t ud)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	int ret;

	if (!sqe)
		t_bail("no free SQE");
	t_watch_prep(sqe, ring, fd, count, bgid, ud);
	ret = io_uring_submit(ring);
	if (ret != 1)
		t_bail("io_uring_submit: %d", ret);
}

void t_watch_unsupported(void)
{
	struct ucmd_demo_watch w = { .count = 1 };
	struct ucmd_stats s0, st;
	struct io_uring ring;
	struct ucmd_bufs b;
	int fd = t_open(O_RDWR), ret;
	bool bufs;

	t_ring(&ring, 8, 0);
	bufs = ucmd_bufs_init(&ring, &b, 1, 4, sizeof(struct ucmd_demo_event)) == 0;
	t_err(ucmd_call_ioctl(fd, UCMD_DEMO_WATCH, &w), -EOPNOTSUPP, "ioctl: WATCH -> -EOPNOTSUPP");
	t_err(ucmd_call_uring(&ring, fd, UCMD_DEMO_WATCH, &w, sizeof(w), NULL), -EOPNOTSUPP,
	      "uring without MULTISHOT: WATCH -> -EOPNOTSUPP (this kernel has no streams)");
	t_stats(&s0);
	t_watch_submit(&ring, fd, 1, 1, 7);
	{
		struct io_uring_cqe *cqe;

		ret = io_uring_wait_cqe(&ring, &cqe);
		if (ret)
			t_bail("io_uring_wait_cqe: %s", strerror(-ret));
		ret = cqe->res;
		t_ok(!(cqe->flags & IORING_CQE_F_MORE), "uring with MULTISHOT: one CQE, no F_MORE");
		io_uring_cqe_seen(&ring, cqe);
	}
	t_ok(ret == -EINVAL || ret == -EOPNOTSUPP,
	     "... refused by io_uring with -EINVAL or -EOPNOTSUPP (got %d)", ret);
	t_stats(&st);
	t_eq_u64(st.issued - s0.issued, 0, "... before it reached the device");
	if (bufs)
		ucmd_bufs_free(&ring, &b);
	io_uring_queue_exit(&ring);
	close(fd);
}

void t_watch_require(const char *what)
{
	t_require_device();
	if (t_kernel_streams())
		return;
	t_watch_unsupported();
	t_skip("kernel before 7.x", "%s", what);
	exit(t_done());
}

void t_watch_init(struct t_watch *w, uint64_t ud, struct ucmd_bufs *bufs)
{
	memset(w, 0, sizeof(*w));
	w->ud = ud;
	w->bufs = bufs;
	w->final_res = 1;
}

/* Accounts one CQE to its stream; false if it belongs to none. */
static bool t_watch_one(struct t_watch *w, unsigned int nw, const struct io_uring_cqe *cqe)
{
	for (unsigned int i = 0; i < nw; i++) {
		struct t_watch *x = &w[i];
		const struct ucmd_demo_event *ev;

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
		ev = ucmd_bufs_data(x->bufs, cqe);
		if (cqe->res != (int)sizeof(*ev) || !ev) {
			x->bad++;
			return true;
		}
		if (ev->seq != x->last_seq + 1 && x->events)
			x->bad_seq++;
		x->last_seq = ev->seq;
		x->last_value = ev->value;
		if (ev->reserved)
			x->bad++;
		x->events++;
		if (!x->keep)
			ucmd_bufs_recycle(x->bufs, cqe);
		return true;
	}
	return false;
}

unsigned int t_watch_reap(struct io_uring *ring, struct t_watch *w, unsigned int nw,
			  unsigned int want, unsigned int timeout_ms)
{
	unsigned int got = 0;
	uint64_t end = t_now_ns() + (uint64_t)timeout_ms * T_NS_PER_MS;

	while (got < want) {
		struct __kernel_timespec ts = { 0, 10 * 1000 * 1000 };
		struct io_uring_cqe *cqe;
		int ret = io_uring_wait_cqe_timeout(ring, &cqe, &ts);

		if (ret == -ETIME || ret == -EINTR) {
			if (t_now_ns() > end)
				break;
			continue;
		}
		if (ret)
			t_bail("io_uring_wait_cqe_timeout: %s", strerror(-ret));
		if (t_watch_one(w, nw, cqe))
			got++;
		else
			t_diag("stray CQE user_data %llu res %d",
			       (unsigned long long)cqe->user_data, cqe->res);
		io_uring_cqe_seen(ring, cqe);
	}
	return got;
}

int t_set_ioctl(int fd, int v)
{
	return ucmd_call_ioctl(fd, UCMD_DEMO_SET_VALUE, &v);
}
