// SPDX-License-Identifier: GPL-2.0
/* life_scm_rights.c - commands in flight while their ring or device fd moves to another process (SCM_RIGHTS, pidfd_getfd) and the sender exits at once: every command is accounted once. */
/*
 * Phases, each with 200 SLEEPs of 0.2-1 s submitted by a sender process
 * that exits right after handing over a file:
 *  1. the ring fd over SCM_RIGHTS: the kernel refuses io_uring files in
 *     SCM_RIGHTS (-EINVAL; mainline 6.7, in the stable 6.1/6.6 series too),
 *     so the sender's sendmsg() must fail with EINVAL; should a kernel
 *     accept it, the receiver must reap every completion exactly once;
 *  2. the ring fd taken with pidfd_getfd(2): the receiver (this process)
 *     maps the ring after the sender exited and reaps every completion
 *     exactly once (0 or -ECANCELED);
 *  3. the device fd over SCM_RIGHTS: the receiver keeps using it (its own
 *     ring, SET/GET and SLEEPs) while the sender's commands on the same file
 *     finish or are cancelled;
 *  4. the device fd never received: the sender queues it on a socket pair,
 *     closes both ends and exits.
 * Bounds: each sender gone within 15 s, completions reaped within 15 s,
 * counters settled (inflight 0) within 10 s; ~3-6 s in total.
 */
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

#define NSLEEP 200

/* What the sender hands over. */
enum { HAND_RING_SCM, HAND_RING_PIDFD, HAND_DEV_SCM, HAND_DEV_LOST };

struct hello {
	int err; /* 0, or the negative errno of the hand-over */
	int ring_fd; /* the sender's fd number (pidfd_getfd) */
	struct io_uring_params p;
};

static int send_fd(int sock, int fd, const void *data, size_t len)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { .iov_base = (void *)data, .iov_len = len };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = u.buf,
		.msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	memset(u.buf, 0, sizeof(u.buf));
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -errno;
}

/* Receives @len bytes and, if one came along, a file descriptor (else -ENOENT in *fd). */
static int recv_msg(int sock, void *data, size_t len, int *fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { .iov_base = data, .iov_len = len };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = u.buf,
		.msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *c;
	ssize_t n;

	*fd = -ENOENT;
	/*
	 * With a receive timeout set, io_uring's task work (a ring of an earlier
	 * phase being torn down) interrupts the wait with EINTR: wait again.
	 */
	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC | MSG_WAITALL);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)len) {
		t_diag("recvmsg: %zd of %zu bytes (%s)", n, len, n < 0 ? strerror(errno) : "short");
		return n < 0 ? -errno : -EPROTO;
	}
	c = CMSG_FIRSTHDR(&msg);
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
		memcpy(fd, CMSG_DATA(c), sizeof(int));
	return 0;
}

/* The sender: a ring and the device, NSLEEP SLEEPs, the hand-over, exit. */
static noreturn void sender(int sock, int how)
{
	struct hello h = { 0 };
	struct io_uring ring;
	int fd = ucmd_open(t_dev_path(), O_RDWR), sv[2];
	char c;

	h.p.flags = IORING_SETUP_CQE32;
	if (fd < 0 || io_uring_queue_init_params(256, &ring, &h.p) < 0)
		_exit(2);
	if (t_queue_sleeps(&ring, fd, NSLEEP, 0, 200 * T_NS_PER_MS, 1000 * T_NS_PER_MS) != NSLEEP)
		_exit(3);
	h.ring_fd = ring.ring_fd;
	switch (how) {
	case HAND_RING_SCM:
		h.err = send_fd(sock, ring.ring_fd, &h, sizeof(h));
		if (h.err && write(sock, &h, sizeof(h)) != sizeof(h))
			_exit(4);
		break;
	case HAND_RING_PIDFD:
		/* The receiver takes the fd itself, then lets us go. */
		if (write(sock, &h, sizeof(h)) != sizeof(h) || read(sock, &c, 1) != 1)
			_exit(4);
		break;
	case HAND_DEV_SCM:
		if (send_fd(sock, fd, &h, sizeof(h)))
			_exit(4);
		break;
	case HAND_DEV_LOST:
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) || send_fd(sv[0], fd, &h, sizeof(h)))
			_exit(4);
		close(sv[0]);
		close(sv[1]);
		if (write(sock, &h, sizeof(h)) != sizeof(h))
			_exit(4);
		break;
	}
	_exit(0);
}

/* Starts a sender; returns its pid and our end of the socket in *sock. */
static pid_t spawn_sender(int how, int *sock)
{
	struct timeval tv = { .tv_sec = 15 };
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		t_bail("socketpair: %s", strerror(errno));
	/* A sender that dies early must not leave us waiting forever. */
	setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	pid = t_fork();
	if (pid == 0) {
		close(sv[1]);
		sender(sv[0], how);
	}
	close(sv[0]);
	*sock = sv[1];
	return pid;
}

static void wait_gone(const char *what, pid_t pid, uint64_t t0)
{
	int status = 0;
	uint64_t ms;

	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	ms = (t_now_ns() - t0) / T_NS_PER_MS;
	t_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0 && ms < 15000,
	     "%s: the sender exited normally within 15 s (status 0x%x, %" PRIu64 " ms)", what,
	     status, ms);
}

/* Maps a ring fd received from the sender and reaps its NSLEEP completions. */
static void reap_received(const char *what, int rfd, struct io_uring_params *p,
			  const struct ucmd_stats *s0)
{
	struct io_uring ring;
	struct t_reap r;

	if (!t_eq(io_uring_queue_mmap(rfd, p, &ring), 0, "%s: mapped the ring", what)) {
		close(rfd);
		t_settle(what, s0, NSLEEP, 0, -1, 10000, NULL);
		return;
	}
	t_reap_init(&r, 0, NSLEEP);
	t_ok(t_reap_all(&ring, &r, 15000), "%s: all %d completions reaped within 15 s", what,
	     NSLEEP);
	t_reap_check(what, &r, true);
	t_settle(what, s0, NSLEEP, 0, r.cancelled, 10000, NULL);
	t_reap_free(&r);
	io_uring_queue_exit(&ring);
}

static void ring_over_scm(void)
{
	const char *what = "ring fd over SCM_RIGHTS";
	struct ucmd_stats s0;
	struct hello h = { 0 };
	int sock, rfd;
	uint64_t t0;
	pid_t pid;

	t_wait_idle(&s0, 15000);
	t0 = t_now_ns();
	pid = spawn_sender(HAND_RING_SCM, &sock);
	if (recv_msg(sock, &h, sizeof(h), &rfd))
		h.err = -EIO;
	close(sock);
	wait_gone(what, pid, t0);
	if (rfd < 0) {
		t_err(h.err, -EINVAL, "%s: the kernel refuses to send an io_uring fd", what);
		t_settle(what, &s0, NSLEEP, 0, -1, 10000, NULL);
		return;
	}
	t_diag("%s: this kernel passes io_uring fds over SCM_RIGHTS", what);
	reap_received(what, rfd, &h.p, &s0);
}

static void ring_over_pidfd(void)
{
	const char *what = "ring fd taken with pidfd_getfd";
	struct ucmd_stats s0;
	struct hello h = { 0 };
	int sock, pidfd, rfd = -1, dummy;
	uint64_t t0;
	pid_t pid;

	t_wait_idle(&s0, 15000);
	t0 = t_now_ns();
	pid = spawn_sender(HAND_RING_PIDFD, &sock);
	if (recv_msg(sock, &h, sizeof(h), &dummy))
		h.err = -EIO;
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd >= 0)
		rfd = (int)syscall(SYS_pidfd_getfd, pidfd, h.ring_fd, 0);
	if (rfd < 0 && (errno == ENOSYS || errno == EPERM)) {
		t_skip(strerror(errno), "%s: pidfd_getfd unavailable", what);
		close(sock);
		wait_gone(what, pid, t0);
		t_settle(what, &s0, NSLEEP, 0, -1, 10000, NULL);
		return;
	}
	if (pidfd >= 0)
		close(pidfd);
	t_ok(h.err == 0 && rfd >= 0, "%s: took the sender's ring fd (%d)", what, rfd);
	/* Let the sender exit with its 200 SLEEPs in flight. */
	if (write(sock, "g", 1) != 1)
		t_bail("write: %s", strerror(errno));
	close(sock);
	wait_gone(what, pid, t0);
	if (rfd >= 0)
		reap_received(what, rfd, &h.p, &s0);
	else
		t_settle(what, &s0, NSLEEP, 0, -1, 10000, NULL);
}

static void device_over_scm(void)
{
	const char *what = "device fd over SCM_RIGHTS";
	struct ucmd_stats s0;
	struct hello h;
	struct io_uring ring, ring2;
	struct t_reap r;
	int sock, dfd, v = -1;
	uint64_t t0;
	pid_t pid;

	t_wait_idle(&s0, 15000);
	t0 = t_now_ns();
	pid = spawn_sender(HAND_DEV_SCM, &sock);
	if (recv_msg(sock, &h, sizeof(h), &dfd))
		dfd = -EIO;
	close(sock);
	if (!t_ok(dfd >= 0, "%s: received the device fd (%d)", what, dfd)) {
		wait_gone(what, pid, t0);
		return;
	}
	/* Use it while the sender exits and its SLEEPs on the same file finish. */
	t_ring(&ring, 64, IORING_SETUP_CQE32);
	t_reap_init(&r, 1000, 50);
	t_eq(t_queue_sleeps(&ring, dfd, 50, 1000, 100 * T_NS_PER_MS, 500 * T_NS_PER_MS), 50,
	     "%s: the receiver submitted 50 SLEEPs on the received file", what);
	wait_gone(what, pid, t0);
	/* (On a second ring: ucmd_call_uring() wants a ring with nothing else in flight.) */
	t_ring(&ring2, 4, 0);
	t_ok(t_demo_set(&(struct t_path){ "uring", &ring2 }, dfd, 77) == 0 &&
		     ucmd_call_ioctl(dfd, UCMD_DEMO_GET_VALUE, &v) == 0 && v == 77,
	     "%s: SET (io_uring) and GET (ioctl) work on the received file", what);
	io_uring_queue_exit(&ring2);
	t_ok(t_reap_all(&ring, &r, 15000), "%s: the receiver's SLEEPs completed", what);
	t_reap_check(what, &r, false);
	io_uring_queue_exit(&ring);
	close(dfd);
	t_settle(what, &s0, NSLEEP + 50 + 2, 2, -1, 10000, NULL);
	t_reap_free(&r);
}

static void device_never_received(void)
{
	const char *what = "device fd left unread in a closed socket";
	struct ucmd_stats s0;
	struct hello h;
	uint64_t t0;
	int sock, dummy;
	pid_t pid;

	t_wait_idle(&s0, 15000);
	t0 = t_now_ns();
	pid = spawn_sender(HAND_DEV_LOST, &sock);
	t_eq(recv_msg(sock, &h, sizeof(h), &dummy), 0,
	     "%s: the sender queued the fd and closed both ends", what);
	close(sock);
	wait_gone(what, pid, t0);
	t_settle(what, &s0, NSLEEP, 0, -1, 10000, NULL);
}

int main(void)
{
	t_init();
	t_require_device();
	ring_over_scm();
	ring_over_pidfd();
	device_over_scm();
	device_never_received();
	return t_done();
}
