// SPDX-License-Identifier: GPL-2.0
/* life_sqpoll.c - an SQPOLL ring with 1000 SLEEPs in flight torn down (io_uring_queue_exit, then process exit; or process exit alone): bounded teardown, every command accounted once. */
/*
 * The SQPOLL thread issues the commands, so they belong to it, not to the
 * process.  Bounds: SLEEPs last 0.5-2 s.  The kernel must pick all 1000 up
 * within 15 s; a kernel that cannot cancel uring commands (6.1) stops the
 * SQPOLL thread only after its commands finished, so queue_exit and the
 * process exit may take up to ~2 s there: both are allowed 15 s.  The
 * counters must settle within 15 s.  ~5-8 s in total.
 */
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

#define NSLEEP 1000

/* The child: SQPOLL ring, NSLEEP SLEEPs, then waits for the go and tears down. */
static void child(int to_parent, int from_parent, bool queue_exit)
{
	struct io_uring_params p;
	struct io_uring ring;
	uint64_t t0;
	int fd = ucmd_open(t_dev_path(), O_RDWR), r;
	char c;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQPOLL | IORING_SETUP_CQE32;
	p.sq_thread_idle = 100; /* ms before the thread sleeps: exercise wake-ups too */
	if (fd < 0)
		_exit(2);
	r = io_uring_queue_init_params(1024, &ring, &p);
	if (r < 0) {
		c = r == -EPERM || r == -EINVAL ? 's' : 'e';
		if (write(to_parent, &c, 1) != 1)
			_exit(3);
		_exit(0);
	}
	r = t_queue_sleeps(&ring, fd, NSLEEP, 0, 500 * T_NS_PER_MS, 2000 * T_NS_PER_MS);
	c = r == NSLEEP ? 'y' : 'n';
	if (write(to_parent, &c, 1) != 1 || read(from_parent, &c, 1) != 1)
		_exit(3);
	if (queue_exit) {
		uint64_t ms;

		t0 = t_now_ns();
		io_uring_queue_exit(&ring);
		ms = (t_now_ns() - t0) / T_NS_PER_MS;
		if (write(to_parent, &ms, sizeof(ms)) != sizeof(ms))
			_exit(3);
	}
	_exit(0);
}

static void phase(const char *what, bool queue_exit)
{
	int up[2], down[2], status = 0;
	struct ucmd_stats s0, st;
	uint64_t t0, short_at, ms = 0, qe_ms = ~0ULL;
	bool picked = false, stalled;
	char c = 0;
	pid_t pid;

	t_wait_idle(&s0, 15000);
	if (pipe(up) || pipe(down))
		t_bail("pipe: %s", strerror(errno));
	/* None of this phase's SLEEPs is issued yet. */
	short_at = t_now_ns();
	pid = t_fork();
	if (pid == 0) {
		close(up[0]);
		close(down[1]);
		child(up[1], down[0], queue_exit);
	}
	close(up[1]);
	close(down[0]);
	if (read(up[0], &c, 1) != 1)
		c = 0;
	if (c == 's') {
		t_skip("SQPOLL ring refused", "%s", what);
		waitpid(pid, &status, 0);
		return;
	}
	t_ok(c == 'y', "%s: %d SLEEPs of 0.5-2 s queued on an SQPOLL ring", what, NSLEEP);

	/*
	 * The SQPOLL thread submits them: wait until all reached the device.  @short_at: when
	 * the last read that saw fewer than all issued began.
	 */
	t0 = t_now_ns();
	while (t_now_ns() - t0 < 15000 * T_NS_PER_MS) {
		uint64_t at = t_now_ns();

		t_stats(&st);
		if (st.issued - s0.issued >= NSLEEP) {
			picked = true;
			break;
		}
		short_at = at;
		t_sleep_ms(5);
	}
	t_ok(picked, "%s: the SQPOLL thread issued all %d within 15 s (%" PRIu64 " ms)", what,
	     NSLEEP, (t_now_ns() - t0) / T_NS_PER_MS);
	/*
	 * One SLEEP was issued after @short_at and runs at least 0.5 s: read less than 0.5 s
	 * after @short_at, it is in flight.  Read again: t_stats() reads inflight before
	 * issued, so this inflight comes after the read that saw all issued.
	 */
	t_stats(&st);
	ms = (t_now_ns() - short_at) / T_NS_PER_MS;
	stalled = ms >= 500;
	if (stalled)
		t_diag("%s: the guest stalled: read %" PRIu64 " ms after not all were issued, "
		       "all may be done",
		       what, ms);
	t_ok(st.inflight >= 1 || stalled,
	     "%s: they are in flight (%" PRIu64 " in flight, read %" PRIu64
	     " ms after not all were issued)",
	     what, st.inflight, ms);

	t0 = t_now_ns();
	if (write(down[1], "g", 1) != 1)
		t_bail("write: %s", strerror(errno));
	if (queue_exit && read(up[0], &qe_ms, sizeof(qe_ms)) != sizeof(qe_ms))
		qe_ms = ~0ULL;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	ms = (t_now_ns() - t0) / T_NS_PER_MS;
	if (queue_exit)
		t_ok(qe_ms < 15000, "%s: io_uring_queue_exit returned within 15 s (%" PRIu64 " ms)",
		     what, qe_ms);
	t_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0 && ms < 15000,
	     "%s: the process exited within 15 s (status 0x%x, %" PRIu64 " ms)", what, status, ms);
	close(up[0]);
	close(down[1]);
	t_settle(what, &s0, NSLEEP, 0, -1, 15000, NULL);
}

int main(void)
{
	t_init();
	t_require_device();
	phase("queue_exit, then exit", true);
	phase("exit with the ring open", false);
	return t_done();
}
