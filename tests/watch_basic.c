// SPDX-License-Identifier: GPL-2.0
/* watch_basic.c - a WATCH stream posts one event per SET_VALUE and ends after its count; ioctl, a missing flag and bad arguments are refused; on kernels without streams WATCH fails with -EOPNOTSUPP. */
#include "helpers.h"

#define BGID 3

/* One CQE with a timeout; false if none came. */
static bool wait_cqe(struct io_uring *ring, struct io_uring_cqe *out, unsigned int ms)
{
	struct __kernel_timespec ts = { ms / 1000, (ms % 1000) * 1000000LL };
	struct io_uring_cqe *cqe;

	if (io_uring_wait_cqe_timeout(ring, &cqe, &ts))
		return false;
	*out = *cqe;
	io_uring_cqe_seen(ring, cqe);
	return true;
}

static void events_and_end(struct io_uring *ring, struct ucmd_bufs *b, int fd)
{
	struct io_uring_cqe cqe;
	struct ucmd_stats s0, st;
	uint64_t seq = 0;
	int i;

	t_stats(&s0);
	t_watch_submit(ring, fd, 3, BGID, 1);
	t_ok(!wait_cqe(ring, &cqe, 50), "WATCH 3: no CQE before the first SET_VALUE");
	for (i = 1; i <= 3; i++) {
		const struct ucmd_demo_event *ev;

		t_eq(t_set_ioctl(fd, 100 + i), 0, "SET_VALUE %d", 100 + i);
		if (!t_ok(wait_cqe(ring, &cqe, 5000), "... an event arrives"))
			break;
		t_eq(cqe.res, sizeof(*ev), "... res = sizeof(struct ucmd_demo_event)");
		t_ok((cqe.flags & IORING_CQE_F_MORE) && (cqe.flags & IORING_CQE_F_BUFFER),
		     "... with IORING_CQE_F_MORE and IORING_CQE_F_BUFFER");
		ev = ucmd_bufs_data(b, &cqe);
		t_ok(ev && ev->value == 100 + i && ev->reserved == 0,
		     "... the event carries the new value");
		if (i > 1 && ev)
			t_eq_u64(ev->seq, seq + 1, "... and the next seq");
		if (ev)
			seq = ev->seq;
		ucmd_bufs_recycle(b, &cqe);
	}
	if (t_ok(wait_cqe(ring, &cqe, 5000), "after 3 events: the final CQE")) {
		t_eq(cqe.res, 0, "... res 0");
		t_ok(!(cqe.flags & (IORING_CQE_F_MORE | IORING_CQE_F_BUFFER)),
		     "... without F_MORE and without a buffer");
	}
	t_eq(t_set_ioctl(fd, 7), 0, "SET_VALUE after the end");
	t_ok(!wait_cqe(ring, &cqe, 50), "... posts nothing");
	t_settle("WATCH 3", &s0, 5, 4, 0, 5000, &st);
}

static void refusals(struct io_uring *ring, int fd)
{
	struct ucmd_demo_watch w = { .count = 1 };
	struct ucmd_vec_entry e;
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;

	t_err(ucmd_call_ioctl(fd, UCMD_DEMO_WATCH, &w), -EOPNOTSUPP, "ioctl: WATCH -> -EOPNOTSUPP");
	t_err(ucmd_call_uring(ring, fd, UCMD_DEMO_WATCH, &w, sizeof(w), NULL), -EINVAL,
	      "uring without IORING_URING_CMD_MULTISHOT: WATCH -> -EINVAL");
	ucmd_vec_entry_init(&e, UCMD_DEMO_WATCH, &w, sizeof(w));
	t_eq(ucmd_vec_call_ioctl(fd, &e, 1), 1, "UCMD_VEC with a WATCH runs its one entry");
	t_err(e.result, -EOPNOTSUPP, "... whose result is -EOPNOTSUPP");

	sqe = io_uring_get_sqe(ring);
	ucmd_prep_stream(ring, sqe, fd, UCMD_DEMO_NOP, NULL, 0, BGID);
	io_uring_submit(ring);
	if (t_ok(wait_cqe(ring, &cqe, 5000), "NOP with MULTISHOT completes"))
		t_ok(cqe.res == -EINVAL && !(cqe.flags & IORING_CQE_F_MORE),
		     "... with -EINVAL, no F_MORE (got %d)", cqe.res);

	w.flags = 1;
	sqe = io_uring_get_sqe(ring);
	ucmd_prep_stream(ring, sqe, fd, UCMD_DEMO_WATCH, &w, sizeof(w), BGID);
	io_uring_submit(ring);
	if (t_ok(wait_cqe(ring, &cqe, 5000), "WATCH with flags 1 completes"))
		t_ok(cqe.res == -EINVAL && !(cqe.flags & IORING_CQE_F_MORE),
		     "... with -EINVAL, no F_MORE (got %d)", cqe.res);
}

/* ADD changes the value but posts nothing; a read-only file may watch. */
static void add_and_rdonly(struct io_uring *ring, struct ucmd_bufs *b, int fd)
{
	struct io_uring_cqe cqe;
	int64_t d = 5;
	int ro = t_open(O_RDONLY);

	t_watch_submit(ring, ro, 1, BGID, 2);
	t_ok(ucmd_call_ioctl(fd, UCMD_DEMO_ADD, &d) >= 0, "ADD on another file");
	t_ok(!wait_cqe(ring, &cqe, 50), "... posts nothing (and the watcher's file is another)");
	t_eq(t_set_ioctl(ro, 1), -EBADF, "a read-only file cannot SET_VALUE");
	/* The read-only file's watcher only sees SET_VALUEs on its own file: none can come. */
	close(ro);
	io_uring_queue_exit(ring);
	(void)b;
}

int main(void)
{
	struct ucmd_stats s0, st;
	struct io_uring ring;
	struct ucmd_bufs b;
	int fd, ret;

	t_init();
	t_watch_require("event streams");
	fd = t_open(O_RDWR);
	t_ring(&ring, 16, 0);
	ret = ucmd_bufs_init(&ring, &b, BGID, 8, sizeof(struct ucmd_demo_event));
	if (ret)
		t_bail("ucmd_bufs_init: %s", strerror(-ret));
	events_and_end(&ring, &b, fd);
	refusals(&ring, fd);
	t_stats(&s0);
	add_and_rdonly(&ring, &b, fd);
	t_settle("a watcher's ring torn down", &s0, 3, 2, 1, 5000, &st);
	ucmd_bufs_free(NULL, &b);
	close(fd);
	return t_done();
}
