// SPDX-License-Identifier: GPL-2.0
/* call_uring_order.c - ucmd_call_uring() returns its own command's result when the caller's other commands complete first, leaving their completions in the CQ ring; a command runs once. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "helpers.h"

/* Queues and submits a SLEEP of @ms with @tag and user_data @user_data. */
static void sleep_async(struct io_uring *ring, int fd, unsigned int ms, uint64_t tag,
			uint64_t user_data)
{
	struct ucmd_demo_sleep s = { .nsec = ms * T_NS_PER_MS, .tag = tag };
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe || ucmd_prep(ring, sqe, fd, UCMD_DEMO_SLEEP, &s, sizeof(s)))
		t_bail("preparing a SLEEP");
	io_uring_sqe_set_data64(sqe, user_data);
	if (io_uring_submit(ring) != 1)
		t_bail("submitting a SLEEP");
}

/* Whether the CQ ring holds exactly one completion: @user_data, result 0, res2 @tag; reaps it. */
static bool one_waiting(struct io_uring *ring, uint64_t user_data, uint64_t tag)
{
	struct io_uring_cqe *cqe;
	bool ok;

	if (io_uring_cq_ready(ring) != 1 || io_uring_peek_cqe(ring, &cqe))
		return false;
	ok = cqe->user_data == user_data && cqe->res == 0 && ucmd_cqe_res2(ring, cqe) == tag;
	io_uring_cqe_seen(ring, cqe);
	return ok;
}

int main(void)
{
	struct ucmd_demo_sleep s = { .nsec = 200 * T_NS_PER_MS, .tag = 0xb };
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	uint64_t res2 = 0, t0;
	int64_t delta = 5;
	int fd, ret, v = -1;

	t_init();
	t_require_device();
	fd = t_open(O_RDWR);
	t_ring(&ring, 8, IORING_SETUP_CQE32);

	/* A 20 ms SLEEP of the caller's in flight; ours sleeps 200 ms: theirs completes first. */
	sleep_async(&ring, fd, 20, 0xa, 1);
	t0 = t_now_ns();
	ret = ucmd_call_uring(&ring, fd, UCMD_DEMO_SLEEP, &s, sizeof(s), &res2);
	t_eq(ret, 0, "SLEEP 200 ms through ucmd_call_uring while a 20 ms SLEEP is in flight -> 0");
	t_eq_u64(res2, 0xb, "... with its own tag as res2 (not the other's)");
	t_ok(t_now_ns() - t0 >= 200 * T_NS_PER_MS, "... returned after its own 200 ms");
	t_ok(one_waiting(&ring, 1, 0xa),
	     "the other SLEEP's completion stays in the CQ ring for the caller (user_data, tag)");

	/* A completion of the caller's already waiting: ADD runs once and says so. */
	sleep_async(&ring, fd, 1, 0xc, 2);
	t_sleep_ms(50);
	t_eq(io_uring_cq_ready(&ring), 1, "a 1 ms SLEEP's completion is waiting unseen");
	ret = ucmd_call_uring(&ring, fd, UCMD_DEMO_ADD, &delta, sizeof(delta), &res2);
	t_eq(ret, 5, "ADD 5 through ucmd_call_uring with it waiting -> 5 (not -EBUSY)");
	t_ok(one_waiting(&ring, 2, 0xc), "the waiting completion is still there, unseen");
	ret = ucmd_call_ioctl(fd, UCMD_DEMO_GET_VALUE, &v);
	t_ok(ret == 0 && v == 5, "the value is 5: ADD ran once (got %d, value %d)", ret, v);

	/* A longer command of the caller's stays in flight; ours does not wait for it. */
	sleep_async(&ring, fd, 300, 0xd, 3);
	t0 = t_now_ns();
	delta = 1;
	ret = ucmd_call_uring(&ring, fd, UCMD_DEMO_ADD, &delta, sizeof(delta), NULL);
	t_eq(ret, 6, "ADD 1 with a 300 ms SLEEP in flight -> 6");
	t_ok(t_now_ns() - t0 < 250 * T_NS_PER_MS, "... without waiting for the SLEEP");
	ret = io_uring_wait_cqe(&ring, &cqe);
	t_ok(ret == 0 && cqe->user_data == 3 && cqe->res == 0 && ucmd_cqe_res2(&ring, cqe) == 0xd,
	     "the SLEEP's completion comes to the caller afterwards");
	if (ret == 0)
		io_uring_cqe_seen(&ring, cqe);
	t_eq(io_uring_cq_ready(&ring), 0, "nothing else is left in the CQ ring");

	io_uring_queue_exit(&ring);
	close(fd);
	return t_done();
}
