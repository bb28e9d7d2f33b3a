// SPDX-License-Identifier: GPL-2.0
/* watch_teardown.c - WATCH streams end cleanly when their ring is torn down mid-stream (events delivered, events still queued in task_work, issued through io-wq) or their process is killed. */
#include <signal.h>
#include <sys/wait.h>

#include "helpers.h"

#define BGID 1

/* A ring with @n live watchers of @fd that got 2 events each, then torn down. */
static void ring_exit(int fd, unsigned int n, unsigned int setup, unsigned int sqe_flags,
		      const char *what)
{
	struct t_watch w[8];
	struct ucmd_stats s0, st;
	struct io_uring ring;
	struct ucmd_bufs b;
	unsigned int got;

	t_stats(&s0);
	t_ring(&ring, 16, setup);
	if (ucmd_bufs_init(&ring, &b, BGID, 64, sizeof(struct ucmd_demo_event)))
		t_bail("ucmd_bufs_init");
	for (unsigned int i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

		t_watch_init(&w[i], i + 1, &b);
		t_watch_prep(sqe, &ring, fd, 0, BGID, i + 1);
		sqe->flags |= sqe_flags;
	}
	if (io_uring_submit(&ring) != (int)n)
		t_bail("submit");
	/* io-wq issues asynchronously: let the streams start before posting. */
	t_sleep_ms(20);
	t_set_ioctl(fd, 1);
	t_set_ioctl(fd, 2);
	got = t_watch_reap(&ring, w, n, 2 * n, 5000);
	t_eq(got, 2 * n, "%s: %u watchers got 2 events each", what, n);
	t_eq(t_set_ioctl(fd, 3), 0, "%s: one more SET_VALUE, not reaped", what);
	io_uring_queue_exit(&ring);
	ucmd_bufs_free(NULL, &b);
	t_settle(what, &s0, n + 3, 3, n, 10000, &st);
	t_eq(t_set_ioctl(fd, 4), 0, "%s: SET_VALUE still works after", what);
}

/* Events queued in the stream, their task_work not yet run (DEFER_TASKRUN), then the ring goes. */
static void queued_exit(int fd)
{
	struct ucmd_stats s0, st;
	struct io_uring ring;
	struct ucmd_bufs b;

	t_stats(&s0);
	t_ring(&ring, 16, IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN);
	if (ucmd_bufs_init(&ring, &b, BGID, 64, sizeof(struct ucmd_demo_event)))
		t_bail("ucmd_bufs_init");
	t_watch_submit(&ring, fd, 0, BGID, 1);
	for (int i = 0; i < 5; i++)
		t_set_ioctl(fd, 10 + i);
	io_uring_queue_exit(&ring);
	ucmd_bufs_free(NULL, &b);
	t_settle("DEFER_TASKRUN ring torn down with 5 events queued", &s0, 6, 5, 1, 10000, &st);
}

/* A child watches the parent's file, gets one event, and is killed. */
static void killed(int fd)
{
	struct ucmd_stats s0, st;
	int go[2], done[2], status;
	char c;
	pid_t pid;

	if (pipe(go) || pipe(done))
		t_bail("pipe");
	t_stats(&s0);
	pid = t_fork();
	if (pid == 0) {
		struct t_watch w;
		struct io_uring ring;
		struct ucmd_bufs b;

		if (io_uring_queue_init(16, &ring, 0) ||
		    ucmd_bufs_init(&ring, &b, BGID, 16, sizeof(struct ucmd_demo_event)))
			_exit(1);
		t_watch_init(&w, 9, &b);
		t_watch_submit(&ring, fd, 0, BGID, 9);
		c = 'w';
		if (write(go[1], &c, 1) != 1)
			_exit(1);
		c = t_watch_reap(&ring, &w, 1, 1, 10000) == 1 && w.last_value == 77 ? 'y' : 'n';
		if (write(done[1], &c, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	if (read(go[0], &c, 1) != 1)
		t_bail("child setup");
	t_eq(t_set_ioctl(fd, 77), 0, "SET_VALUE 77 for the child's watcher");
	if (read(done[0], &c, 1) != 1)
		t_bail("child report");
	t_ok(c == 'y', "the child got the event");
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	t_ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "the child was killed");
	t_settle("a killed watcher", &s0, 2, 1, 1, 10000, &st);
	close(go[0]);
	close(go[1]);
	close(done[0]);
	close(done[1]);
}

int main(void)
{
	int fd;

	t_init();
	t_watch_require("ring teardown with live streams");
	fd = t_open(O_RDWR);
	ring_exit(fd, 3, 0, 0, "ring torn down mid-stream");
	ring_exit(fd, 2, 0, IOSQE_ASYNC, "streams issued through io-wq, ring torn down");
	ring_exit(fd, 2, IORING_SETUP_SQE128 | IORING_SETUP_CQE32, 0,
		  "SQE128|CQE32 ring torn down");
	queued_exit(fd);
	killed(fd);
	close(fd);
	return t_done();
}
