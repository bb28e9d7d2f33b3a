// SPDX-License-Identifier: GPL-2.0
/* life_fork.c - fork with SLEEPs in flight: the child's exit (or its own submissions on the inherited ring) never disturbs the parent's commands, and every command is accounted once. */
/*
 * Phases:
 *  1. 500 SLEEPs, fork, the child exits at once: the parent reaps all 500,
 *     each with 0 (the commands belong to the parent, nothing is cancelled).
 *  2. 100 SLEEPs, fork, the child submits 100 more on the inherited ring and
 *     exits: the parent's complete with 0, the child's with 0 or -ECANCELED
 *     (6.12+ cancels an exiting task's commands), all reaped by the parent.
 *  3. The same on an IORING_SETUP_SINGLE_ISSUER ring: the child's submit
 *     fails with -EEXIST and nothing of it reaches the device.
 * Bounds: SLEEPs last 0.2-1 s; each child must be gone within 15 s, all
 * completions within 15 s, the counters settle within 10 s; ~3-5 s total.
 */
#include <fcntl.h>
#include <limits.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

#define NPARENT1 500
#define NPARENT 100
#define NCHILD 100
#define CHILD_BASE 100000

/* Forks a child that runs @fn and writes its int result to the parent; returns it (INT_MIN if it wrote none). */
static int run_child(int (*fn)(struct io_uring *, int), struct io_uring *ring, int fd,
		     uint64_t *exit_ms)
{
	int pipefd[2], status = 0, res = INT_MIN;
	uint64_t t0;
	pid_t pid;

	if (pipe(pipefd))
		t_bail("pipe: %s", strerror(errno));
	pid = t_fork();
	if (pid == 0) {
		int r = fn ? fn(ring, fd) : 0;

		if (write(pipefd[1], &r, sizeof(r)) != sizeof(r))
			_exit(1);
		_exit(0);
	}
	close(pipefd[1]);
	t0 = t_now_ns();
	if (read(pipefd[0], &res, sizeof(res)) != sizeof(res))
		res = INT_MIN;
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	*exit_ms = (t_now_ns() - t0) / T_NS_PER_MS;
	t_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child exited normally");
	return res;
}

static int child_submits(struct io_uring *ring, int fd)
{
	return t_queue_sleeps(ring, fd, NCHILD, CHILD_BASE, 200 * T_NS_PER_MS, 1000 * T_NS_PER_MS);
}

static int child_submits_one(struct io_uring *ring, int fd)
{
	struct ucmd_demo_sleep s = { .nsec = 1000, .tag = 1 };
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		return -EBUSY;
	ucmd_prep(ring, sqe, fd, UCMD_DEMO_SLEEP, &s, sizeof(s));
	io_uring_sqe_set_data64(sqe, CHILD_BASE);
	return io_uring_submit(ring);
}

static void child_exits(void)
{
	const char *what = "child exits at once";
	struct ucmd_stats s0;
	struct io_uring ring;
	struct t_reap r;
	uint64_t ms;
	int fd = t_open(O_RDWR);

	t_ring(&ring, 512, IORING_SETUP_CQE32);
	t_wait_idle(&s0, 15000);
	t_reap_init(&r, 0, NPARENT1);
	t_eq(t_queue_sleeps(&ring, fd, NPARENT1, 0, 200 * T_NS_PER_MS, 1000 * T_NS_PER_MS),
	     NPARENT1, "%s: %d SLEEPs of 0.2-1 s submitted before fork", what, NPARENT1);
	run_child(NULL, &ring, fd, &ms);
	t_ok(ms < 15000, "%s: the child is gone within 15 s (%" PRIu64 " ms)", what, ms);
	t_ok(t_reap_all(&ring, &r, 15000), "%s: the parent reaped all within 15 s", what);
	t_reap_check(what, &r, false);
	t_settle(what, &s0, NPARENT1, 0, 0, 10000, NULL);
	t_reap_free(&r);
	io_uring_queue_exit(&ring);
	close(fd);
}

static void child_submits_too(void)
{
	const char *what = "child submits on the inherited ring";
	struct ucmd_stats s0;
	struct io_uring ring;
	struct t_reap rp, rc;
	struct io_uring_cqe *cqe;
	uint64_t deadline, ms;
	int fd = t_open(O_RDWR), got;

	t_ring(&ring, 512, IORING_SETUP_CQE32);
	t_wait_idle(&s0, 15000);
	t_reap_init(&rp, 0, NPARENT);
	t_reap_init(&rc, CHILD_BASE, NCHILD);
	t_eq(t_queue_sleeps(&ring, fd, NPARENT, 0, 200 * T_NS_PER_MS, 1000 * T_NS_PER_MS), NPARENT,
	     "%s: parent submitted %d SLEEPs before fork", what, NPARENT);
	got = run_child(child_submits, &ring, fd, &ms);
	t_eq(got, NCHILD, "%s: the child's submit of %d SLEEPs was accepted", what, NCHILD);
	t_ok(ms < 15000, "%s: the child is gone within 15 s (%" PRIu64 " ms)", what, ms);
	/* The parent's own liburing state is stale now: it only reaps. */
	deadline = t_now_ns() + 15000 * T_NS_PER_MS;
	while (rp.got + rc.got < NPARENT + (unsigned int)(got > 0 ? got : 0) &&
	       t_now_ns() < deadline) {
		struct __kernel_timespec ts = { .tv_nsec = 50 * (long)T_NS_PER_MS };

		if (io_uring_wait_cqe_timeout(&ring, &cqe, &ts))
			continue;
		if (cqe->user_data >= CHILD_BASE)
			t_reap_one(&ring, &rc, cqe);
		else
			t_reap_one(&ring, &rp, cqe);
		io_uring_cqe_seen(&ring, cqe);
	}
	t_reap_check("parent's commands", &rp, false);
	t_reap_check("child's commands", &rc, true);
	t_settle(what, &s0, NPARENT + NCHILD, 0, rc.cancelled, 10000, NULL);
	t_reap_free(&rp);
	t_reap_free(&rc);
	io_uring_queue_exit(&ring);
	close(fd);
}

static void single_issuer(void)
{
	const char *what = "SINGLE_ISSUER ring";
	struct ucmd_stats s0;
	struct io_uring ring;
	struct t_reap r;
	uint64_t ms;
	int fd = t_open(O_RDWR), got;

	t_ring(&ring, 256, IORING_SETUP_CQE32 | IORING_SETUP_SINGLE_ISSUER);
	t_wait_idle(&s0, 15000);
	t_reap_init(&r, 0, NPARENT);
	t_eq(t_queue_sleeps(&ring, fd, NPARENT, 0, 200 * T_NS_PER_MS, 1000 * T_NS_PER_MS), NPARENT,
	     "%s: parent submitted %d SLEEPs before fork", what, NPARENT);
	got = run_child(child_submits_one, &ring, fd, &ms);
	t_err(got, -EEXIST, "%s: the child's submit fails with -EEXIST", what);
	t_ok(t_reap_all(&ring, &r, 15000), "%s: the parent reaped all within 15 s", what);
	t_reap_check(what, &r, false);
	t_settle(what, &s0, NPARENT, 0, 0, 10000, NULL);
	t_reap_free(&r);
	io_uring_queue_exit(&ring);
	close(fd);
}

int main(void)
{
	t_init();
	t_require_device();
	child_exits();
	child_submits_too();
	single_issuer();
	return t_done();
}
