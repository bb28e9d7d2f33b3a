// SPDX-License-Identifier: GPL-2.0
/* multi_unplug_handler.c - a device removed while a deferred command's handler still runs: as the handler returns, its issuer ends the command with -ENODEV (io_uring from io-wq, and ioctl). */
#include <sys/wait.h>

#include "helpers.h"

#define HANDLER_MS 400
#define LONG_NS (8000 * T_NS_PER_MS)

int main(void)
{
	struct ucmd_multi_slow slow = { .nsec = LONG_NS, .handler_ms = HANDLER_MS };
	struct ucmd_multi_stats st0, st;
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct __kernel_timespec ts = { .tv_sec = 4 };
	int ctl, id, fd, status = -1;
	uint64_t t0;
	pid_t child;

	t_init();
	ctl = t_multi_ctl();
	t_ring(&ring, 4, 0);
	id = t_multi_create(ctl);
	if (id < 0)
		t_bail("CREATE: %s", strerror(-id));
	fd = t_multi_open(id, O_RDWR);
	t_multi_stats(ctl, &st0);

	/* The bounds of the test command itself. */
	{
		struct ucmd_multi_slow bad = { .nsec = 1, .handler_ms = 1001 };

		t_err(ucmd_call_ioctl(fd, UCMD_MULTI_SLEEP_SLOW, &bad), -EINVAL,
		      "SLEEP_SLOW: handler_ms 1001 -> -EINVAL");
		bad.handler_ms = 0;
		bad.pad = 1;
		t_err(ucmd_call_ioctl(fd, UCMD_MULTI_SLEEP_SLOW, &bad), -EINVAL,
		      "SLEEP_SLOW: pad set -> -EINVAL");
		bad.pad = 0;
		t_eq(ucmd_call_ioctl(fd, UCMD_MULTI_SLEEP_SLOW, &bad), id,
		     "SLEEP_SLOW 1 ns, 0 ms: the device's number");
	}

	sqe = io_uring_get_sqe(&ring);
	ucmd_prep(&ring, sqe, fd, UCMD_MULTI_SLEEP_SLOW, &slow, sizeof(slow));
	io_uring_sqe_set_data64(sqe, 1);
	t_eq(io_uring_submit(&ring), 1, "io_uring SLEEP_SLOW submitted (its handler blocks %d ms)",
	     HANDLER_MS);
	child = t_fork();
	if (child == 0) {
		int ret = ucmd_call_ioctl(fd, UCMD_MULTI_SLEEP_SLOW, &slow);

		_exit(ret < 0 ? -ret : 0);
	}
	/* Both handlers are in their msleep() once both commands count as in flight. */
	t_ok(t_multi_wait_inflight(id, 2, 2000), "both commands deferred, their handlers running");
	t0 = t_now_ns();
	t_eq(t_multi_destroy(ctl, id), 0, "DESTROY while the handlers run");
	t_ok(t_now_ns() - t0 < (HANDLER_MS / 2) * T_NS_PER_MS,
	     "... returns without waiting for them");

	if (io_uring_wait_cqe_timeout(&ring, &cqe, &ts) == 0) {
		t_err(cqe->res, -ENODEV, "io_uring: -ENODEV as the handler returns");
		io_uring_cqe_seen(&ring, cqe);
	} else {
		t_ok(false, "io_uring: the command completed");
	}
	if (waitpid(child, &status, 0) == child && WIFEXITED(status))
		t_eq(WEXITSTATUS(status), ENODEV, "ioctl: -ENODEV as the handler returns");
	else
		t_ok(false, "ioctl: the child exited (status %d)", status);
	t_ok(t_now_ns() - t0 < 4000 * T_NS_PER_MS, "... long before the 8 s timers");
	t_multi_stats(ctl, &st);
	t_eq_u64(st.cancelled - st0.cancelled, 2, "the cancel hook stopped both timers");

	close(fd);
	io_uring_queue_exit(&ring);
	t_multi_stats(ctl, &st);
	t_eq_u64(st.allocated, st0.allocated - 1, "the last close frees the device");
	close(ctl);
	return t_done();
}
