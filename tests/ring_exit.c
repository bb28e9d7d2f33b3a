// SPDX-License-Identifier: GPL-2.0
/* ring_exit.c - tearing down rings, files and processes with ~1000 SLEEPs in flight returns promptly and the counters settle and balance. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

#define NFLIGHT 1000

/* Queue @n SLEEPs of 1-2 s (plus, if @with_max, one of exactly 10 s) on @ring. */
static int queue_sleeps(struct io_uring *ring, int fd, int n, bool with_max)
{
	for (int i = 0; i < n + with_max; i++) {
		struct ucmd_demo_sleep s = {
			.nsec = i < n ? 1000 * T_NS_PER_MS +
						(uint64_t)(i * 997 % 1000) * T_NS_PER_MS :
					UCMD_DEMO_MAX_SLEEP_NSEC,
			.tag = (uint64_t)i,
		};
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

		if (!sqe)
			return -EBUSY;
		ucmd_prep(ring, sqe, fd, UCMD_DEMO_SLEEP, &s, sizeof(s));
		io_uring_sqe_set_data64(sqe, (uint64_t)i);
	}
	return io_uring_submit(ring);
}

static void settle(const char *what, const struct ucmd_stats *before, uint64_t n)
{
	struct ucmd_stats st;

	/* The 10 s SLEEP bounds the wait on kernels that cannot cancel. */
	t_ok(t_wait_idle(&st, 20000), "%s: inflight drops to 0 within 20 s", what);
	t_eq_u64(st.issued - before->issued, n, "%s: issued +%llu", what, (unsigned long long)n);
	t_eq_u64((st.completed_async + st.cancelled) -
			 (before->completed_async + before->cancelled),
		 n, "%s: every one completed or was cancelled", what);
	t_eq_u64(st.completed_sync - before->completed_sync, 0, "%s: none completed synchronously",
		 what);
	if (!t_ok(t_imbalance(&st) == t_imbalance(before),
		  "%s: counters balance (issued - completed - cancelled unchanged)", what))
		t_stats_diag(what, &st);
	t_diag("%s: %llu completed, %llu cancelled", what,
	       (unsigned long long)(st.completed_async - before->completed_async),
	       (unsigned long long)(st.cancelled - before->cancelled));
}

/* 1000 SLEEPs and one of the maximum 10 s, then io_uring_queue_exit(). */
static void ring_teardown(void)
{
	struct ucmd_stats s0, st;
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	uint64_t t0, dt;
	int fd = t_open(O_RDWR), ret;

	t_ring(&ring, 1024, IORING_SETUP_CQE32);
	t_stats(&s0);
	t_eq_u64(s0.inflight, 0, "nothing in flight before");
	/* The shortest SLEEP is 1 s: looked at 1 s after the submit or later, some may be done. */
	t0 = t_now_ns();
	t_eq(queue_sleeps(&ring, fd, NFLIGHT, true), NFLIGHT + 1,
	     "%d SLEEPs of 1-2 s and one of exactly 10 s submitted", NFLIGHT);
	t_sleep_ms(100);
	ret = io_uring_peek_cqe(&ring, &cqe);
	dt = t_now_ns() - t0;
	t_ok(ret == -EAGAIN || dt >= 1000 * T_NS_PER_MS,
	     "none completed after 100 ms (looked after %llu ms; from 1 s on some may have)",
	     (unsigned long long)(dt / T_NS_PER_MS));
	t_stats(&st);
	dt = t_now_ns() - t0;
	if (!t_ok(st.inflight == NFLIGHT + 1 || dt >= 1000 * T_NS_PER_MS,
		  "inflight counts all %d (read after %llu ms)", NFLIGHT + 1,
		  (unsigned long long)(dt / T_NS_PER_MS)))
		t_diag("  inflight %llu", (unsigned long long)st.inflight);

	/* A kernel that waited for the commands would take until the 10 s SLEEP is done. */
	t0 = t_now_ns();
	io_uring_queue_exit(&ring);
	dt = t_now_ns() - t0;
	t_ok(dt < 5000 * T_NS_PER_MS, "io_uring_queue_exit returns at once (%llu ms)",
	     (unsigned long long)(dt / T_NS_PER_MS));
	close(fd);
	settle("ring exit", &s0, NFLIGHT + 1);
}

/* The device file closed first, the ring afterwards. */
static void file_then_ring(void)
{
	struct ucmd_stats s0;
	struct io_uring ring;
	uint64_t t0, dt;
	int fd = t_open(O_RDWR);

	t_ring(&ring, 256, IORING_SETUP_CQE32);
	t_stats(&s0);
	t_eq(queue_sleeps(&ring, fd, 200, true), 201,
	     "200 SLEEPs of 1-2 s and one of exactly 10 s submitted");
	t0 = t_now_ns();
	t_eq(close(fd), 0, "closing the device file with them in flight");
	io_uring_queue_exit(&ring);
	dt = t_now_ns() - t0;
	/* Waiting for the commands would take until the 10 s SLEEP is done. */
	t_ok(dt < 5000 * T_NS_PER_MS, "close and ring exit return at once (%llu ms)",
	     (unsigned long long)(dt / T_NS_PER_MS));
	settle("file closed, then ring exit", &s0, 201);
}

static bool sleeps_500(struct io_uring *ring, int fd, void *arg)
{
	(void)arg;
	return queue_sleeps(ring, fd, 500, false) == 500;
}

/* A process killed with SLEEPs in flight on its ring. */
static void killed_process(void)
{
	struct ucmd_stats s0;
	int status, ret = 0;
	uint64_t t0;
	bool ok;
	pid_t pid;

	t_stats(&s0);
	pid = t_child_ring(512, IORING_SETUP_CQE32, sleeps_500, NULL, true, &ok);
	t_ok(ok, "a child submitted 500 SLEEPs");
	t0 = t_now_ns();
	kill(pid, SIGKILL);
	while (t_now_ns() - t0 < 15000 * T_NS_PER_MS) {
		ret = waitpid(pid, &status, WNOHANG);
		if (ret != 0)
			break;
		t_sleep_ms(10);
	}
	t_ok(ret == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	     "the SIGKILLed child is reaped within 15 s (%llu ms)",
	     (unsigned long long)((t_now_ns() - t0) / T_NS_PER_MS));
	if (ret == 0)
		waitpid(pid, &status, 0);
	if (ok)
		settle("killed process", &s0, 500);
}

int main(void)
{
	t_init();
	t_require_device();
	ring_teardown();
	file_then_ring();
	killed_process();
	return t_done();
}
