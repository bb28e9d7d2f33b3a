// SPDX-License-Identifier: GPL-2.0
/* life_defer_taskrun.c - on a SINGLE_ISSUER|DEFER_TASKRUN ring completions appear only when the task asks for events, and closing the ring or exiting with commands in flight accounts every command once. */
/*
 * Phases:
 *  1. 64 SLEEPs of 20-30 ms; 500 ms without entering the kernel: the CQ
 *     ring stays empty; io_uring_get_events() then brings all 64 (in one
 *     call up to 6.x; 7.x runs at most a batch of task work per call).
 *  2. 64 SLEEPs of 20 ms whose completions are pending (500 ms, no
 *     get_events) when the ring is closed: all complete (none may count as
 *     cancelled: the driver finished them first).
 *  (At least 20 ms: a command whose timer fires before its handler has
 *  returned completes during the submission, inline, and is posted at once.)
 *  3. A child with 100 SLEEPs of 0.2-1 s in flight and 50 finished but not
 *     yet reaped exits without closing its ring.
 * Bounds: the child gone within 15 s, counters settled within 10 s; ~3 s.
 */
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

#define DEFER (IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_CQE32)

static void only_on_request(void)
{
	const char *what = "completions wait for the task";
	struct ucmd_stats s0, st;
	struct io_uring ring;
	struct t_reap r;
	struct io_uring_cqe *cqe;
	unsigned int ready;
	int fd = t_open(O_RDWR);

	t_ring(&ring, 64, DEFER);
	t_wait_idle(&s0, 15000);
	t_eq(t_queue_sleeps(&ring, fd, 64, 0, 20 * T_NS_PER_MS, 30 * T_NS_PER_MS), 64,
	     "%s: 64 SLEEPs of 20-30 ms submitted", what);
	t_sleep_ms(500);
	t_eq(io_uring_cq_ready(&ring), 0, "%s: after 500 ms without entering, no CQE posted", what);
	t_stats(&st);
	t_diag("%s: inflight %" PRIu64 " while the completions wait", what, st.inflight);
	/* Newer kernels (7.x) run a bounded batch of task work per call. */
	ready = 0;
	for (int calls = 1; calls <= 64; calls++) {
		int ret = io_uring_get_events(&ring);

		if (ret) {
			t_eq(ret, 0, "%s: io_uring_get_events", what);
			break;
		}
		if (io_uring_cq_ready(&ring) == ready || (ready = io_uring_cq_ready(&ring)) >= 64) {
			t_diag("%s: %u posted after %d get_events calls", what, ready, calls);
			break;
		}
	}
	t_eq(ready, 64, "%s: io_uring_get_events posts all 64 without waiting", what);
	t_reap_init(&r, 0, 64);
	while (io_uring_peek_cqe(&ring, &cqe) == 0) {
		t_reap_one(&ring, &r, cqe);
		io_uring_cqe_seen(&ring, cqe);
	}
	t_reap_check(what, &r, false);
	t_settle(what, &s0, 64, 0, 0, 10000, NULL);
	t_reap_free(&r);

	/* And a plain wait runs them too. */
	t_eq(t_queue_sleeps(&ring, fd, 8, 100, 100000, T_NS_PER_MS), 8, "%s: 8 more submitted",
	     what);
	t_reap_init(&r, 100, 8);
	t_ok(t_reap_all(&ring, &r, 10000), "%s: waiting brings all 8", what);
	t_reap_check("wait", &r, false);
	t_reap_free(&r);
	io_uring_queue_exit(&ring);
	close(fd);
}

static void close_with_pending(void)
{
	const char *what = "ring closed with completions pending";
	struct ucmd_stats s0;
	struct io_uring ring;
	int fd = t_open(O_RDWR);

	t_ring(&ring, 64, DEFER);
	t_wait_idle(&s0, 15000);
	t_eq(t_queue_sleeps(&ring, fd, 64, 0, 20 * T_NS_PER_MS, 20 * T_NS_PER_MS), 64,
	     "%s: 64 SLEEPs of 20 ms submitted", what);
	t_sleep_ms(500);
	t_eq(io_uring_cq_ready(&ring), 0, "%s: none posted yet", what);
	io_uring_queue_exit(&ring);
	close(fd);
	t_settle(what, &s0, 64, 0, 0, 10000, NULL);
}

/* 100 SLEEPs of 0.2-1 s, then 50 of 0.1 ms that have finished when it reports. */
static bool sleeps_then_wait(struct io_uring *ring, int fd, void *arg)
{
	(void)arg;
	if (t_queue_sleeps(ring, fd, 100, 0, 200 * T_NS_PER_MS, 1000 * T_NS_PER_MS) != 100 ||
	    t_queue_sleeps(ring, fd, 50, 100, 100000, 100000) != 50)
		return false;
	t_sleep_ms(100);
	return true;
}

static void exit_in_flight(void)
{
	const char *what = "process exits with commands in flight";
	struct ucmd_stats s0;
	int status = 0;
	uint64_t t0, ms;
	bool ok;
	pid_t pid;

	t_wait_idle(&s0, 15000);
	pid = t_child_ring(256, DEFER, sleeps_then_wait, NULL, false, &ok);
	t0 = t_now_ns();
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	ms = (t_now_ns() - t0) / T_NS_PER_MS;
	t_ok(ok, "%s: the child submitted 150 SLEEPs (50 of them finished)", what);
	t_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0 && ms < 15000,
	     "%s: the child exited within 15 s (status 0x%x, %" PRIu64 " ms)", what, status, ms);
	if (ok)
		t_settle(what, &s0, 150, 0, -1, 10000, NULL);
}

int main(void)
{
	t_init();
	t_require_device();
	only_on_request();
	close_with_pending();
	exit_in_flight();
	return t_done();
}
