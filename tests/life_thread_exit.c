// SPDX-License-Identifier: GPL-2.0
/* life_thread_exit.c - a thread that submitted 500 SLEEPs on a shared ring exits; the main thread reaps each exactly once (0 or -ECANCELED) and the counters settle. */
/*
 * Bounds: every SLEEP lasts 0.2-1 s.  On the kernels tested (6.1 to 7.2)
 * the thread's exit neither waits for nor cancels its commands (io_uring
 * cancels only when the ring itself goes away), so they complete with 0;
 * -ECANCELED is allowed should a kernel cancel them.  Each phase allows
 * 15 s for the exit, 15 s for reaping and 10 s for the counters to settle
 * (TCG is slow); the whole test takes ~2-4 s.
 */
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include "helpers.h"

#define NSLEEP 500

struct submitter {
	struct io_uring *ring;
	int fd;
	uint64_t base;
	int submitted;
};

static void *submit_and_exit(void *arg)
{
	struct submitter *s = arg;

	s->submitted = t_queue_sleeps(s->ring, s->fd, NSLEEP, s->base, 200 * T_NS_PER_MS,
				      1000 * T_NS_PER_MS);
	pthread_exit(NULL);
}

/*
 * @reap_first: the main thread is already waiting in io_uring_enter for
 * completions while the other thread submits and exits.
 */
static void one_phase(const char *what, uint64_t base, bool reap_first)
{
	struct submitter sub;
	struct ucmd_stats s0;
	struct t_reap r;
	struct io_uring ring;
	pthread_t th;
	uint64_t t0;
	bool all;
	int fd = t_open(O_RDWR);

	t_ring(&ring, 512, IORING_SETUP_CQE32);
	if (!t_ok(t_wait_idle(&s0, 15000), "%s: nothing in flight before", what))
		t_stats_diag(what, &s0);
	sub = (struct submitter){ .ring = &ring, .fd = fd, .base = base };
	t_reap_init(&r, base, NSLEEP);
	t0 = t_now_ns();
	if (pthread_create(&th, NULL, submit_and_exit, &sub))
		t_bail("pthread_create");
	if (reap_first) {
		all = t_reap_all(&ring, &r, 15000);
		pthread_join(th, NULL);
	} else {
		pthread_join(th, NULL);
		t_ok(t_now_ns() - t0 < 15000 * T_NS_PER_MS,
		     "%s: the submitting thread exited within 15 s (%" PRIu64 " ms)", what,
		     (t_now_ns() - t0) / T_NS_PER_MS);
		all = t_reap_all(&ring, &r, 15000);
	}
	t_eq(sub.submitted, NSLEEP, "%s: the thread submitted %d SLEEPs of 0.2-1 s", what, NSLEEP);
	t_ok(all, "%s: the main thread reaped all completions within 15 s (%" PRIu64 " ms)", what,
	     (t_now_ns() - t0) / T_NS_PER_MS);
	t_reap_check(what, &r, true);
	t_settle(what, &s0, NSLEEP, 0, r.cancelled, 10000, NULL);
	t_reap_free(&r);
	io_uring_queue_exit(&ring);
	close(fd);
}

int main(void)
{
	t_init();
	t_require_device();
	one_phase("thread exits, then main reaps", 0, false);
	one_phase("main waits while the thread submits and exits", 1000, true);
	return t_done();
}
