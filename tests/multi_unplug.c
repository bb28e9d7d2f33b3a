// SPDX-License-Identifier: GPL-2.0
/* multi_unplug.c - removing a device with io_uring and ioctl SLEEPs in flight ends them with -ENODEV at once, fails new commands with -ENODEV and frees it at the last close. */
#include <signal.h>
#include <sys/wait.h>

#include "helpers.h"

#define NRING 8
#define LONG_NS (8000 * T_NS_PER_MS)

/* A child's ioctl SLEEP on @fd; exits with the errno it got (0 if it completed). */
static pid_t ioctl_sleeper(int fd)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		const struct t_path p = { .name = "ioctl" };
		int ret = t_multi_sleep(&p, fd, LONG_NS);

		_exit(ret < 0 ? -ret : 0);
	}
	return pid;
}

int main(void)
{
	struct t_path paths[T_NPATHS];
	struct ucmd_multi_stats st0, st;
	struct io_uring ring;
	int ctl, id, fd, fd2, status = -1, got = 0, enodev = 0;
	uint64_t t0, dt;
	pid_t child;

	t_init();
	ctl = t_multi_ctl();
	t_paths(paths);
	t_ring(&ring, 32, 0);
	id = t_multi_create(ctl);
	if (id < 0)
		t_bail("CREATE: %s", strerror(-id));
	fd = t_multi_open(id, O_RDWR);
	fd2 = t_multi_open(id, O_RDONLY);
	t_multi_stats(ctl, &st0);

	for (int i = 0; i < NRING; i++)
		if (t_multi_queue_sleep(&ring, fd, LONG_NS, 100 + i))
			t_bail("cannot queue SLEEP %d", i);
	t_eq(io_uring_submit(&ring), NRING, "%d io_uring SLEEPs of 8 s submitted", NRING);
	child = ioctl_sleeper(fd2);
	if (!t_ok(t_multi_wait_inflight(id, NRING + 1, 5000), "all %d SLEEPs in flight (sysfs)",
		  NRING + 1))
		t_diag("inflight: %d", t_multi_inflight(id));

	t0 = t_now_ns();
	t_eq(t_multi_destroy(ctl, id), 0, "DESTROY with files open and commands in flight");
	dt = t_now_ns() - t0;
	t_ok(dt < 1000 * T_NS_PER_MS, "... returns at once (%" PRIu64 " ms)", dt / T_NS_PER_MS);
	t_ok(t_wait_path(t_multi_path(id), false, 2000), "... the node goes away");

	while (got < NRING) {
		struct io_uring_cqe *cqe;
		struct __kernel_timespec ts = { .tv_sec = 3 };

		if (io_uring_wait_cqe_timeout(&ring, &cqe, &ts))
			break;
		got++;
		if (cqe->res == -ENODEV)
			enodev++;
		else
			t_diag("user_data %llu: res %d", (unsigned long long)cqe->user_data,
			       cqe->res);
		io_uring_cqe_seen(&ring, cqe);
	}
	dt = t_now_ns() - t0;
	t_eq(got, NRING, "every io_uring SLEEP completed");
	t_eq(enodev, NRING, "... each with -ENODEV");
	t_ok(dt < 4000 * T_NS_PER_MS, "... long before their 8 s (%" PRIu64 " ms)",
	     dt / T_NS_PER_MS);
	if (waitpid(child, &status, 0) == child && WIFEXITED(status))
		t_eq(WEXITSTATUS(status), ENODEV, "the ioctl SLEEP returned -ENODEV");
	else
		t_ok(false, "the ioctl SLEEP's child exited (status %d)", status);

	t_multi_stats(ctl, &st);
	t_eq_u64(st.cancelled - st0.cancelled, NRING + 1, "the cancel hook stopped all %d timers",
		 NRING + 1);
	t_eq_u64(st.expired - st0.expired, 0, "... none of them fired");

	/* The files stay usable for what a removed device can still do: fail and close. */
	for (int k = 0; k < T_NPATHS; k++) {
		uint64_t v;

		t_err(t_multi_id(&paths[k], fd), -ENODEV, "%s: ID after removal -> -ENODEV",
		      paths[k].name);
		t_err(t_multi_get(&paths[k], fd, &v), -ENODEV, "%s: GET after removal -> -ENODEV",
		      paths[k].name);
		t_err(t_multi_sleep(&paths[k], fd2, T_NS_PER_MS), -ENODEV,
		      "%s: SLEEP after removal -> -ENODEV", paths[k].name);
	}
	t_err(ucmd_call_ioctl(fd, UCMD_VEC, NULL), -ENODEV,
	      "ioctl: UCMD_VEC after removal -> -ENODEV");
	t_err(ucmd_call_ioctl(fd, _IO('x', 1), NULL), -ENODEV,
	      "ioctl: an unknown number -> -ENODEV");

	t_eq_u64(st.allocated, st0.allocated, "removed with files open: not freed yet");
	close(fd);
	t_multi_stats(ctl, &st);
	t_eq_u64(st.allocated, st0.allocated, "one file still open: not freed yet");
	close(fd2);
	io_uring_queue_exit(&ring);
	t_multi_stats(ctl, &st);
	t_eq_u64(st.allocated, st0.allocated - 1, "the last close frees the device");

	close(ctl);
	t_paths_exit(paths);
	return t_done();
}
