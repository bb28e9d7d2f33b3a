// SPDX-License-Identifier: GPL-2.0
/* sleep_eintr.c - a signal interrupts a blocking ioctl SLEEP with -EINTR, SIGKILL ends it, and neither cancels a uring SLEEP. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

/* SIGALRM in @ms (0 disarms), again every @ms when @repeat. */
static void arm(unsigned int ms, bool repeat)
{
	struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 };
	struct itimerval it = { .it_value = tv };

	if (repeat)
		it.it_interval = tv;

	if (setitimer(ITIMER_REAL, &it, NULL))
		t_bail("setitimer: %s", strerror(errno));
}

int main(void)
{
	struct sigaction sa;
	struct io_uring ring;
	uint64_t t0, dt, res2 = 0;
	int fd, ret, status;
	pid_t pid;

	t_init();
	t_require_device();
	t_ring(&ring, 4, IORING_SETUP_CQE32);
	fd = t_open(O_RDWR);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = 0; /* no SA_RESTART: an interrupted ioctl must fail with EINTR */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL))
		t_bail("sigaction: %s", strerror(errno));

	/*
	 * ioctl SLEEP of 5 s, interrupted after 200 ms; SIGALRM repeats, so one lands inside the
	 * ioctl even when a stalled guest lets the first one beat it there.
	 */
	{
		struct ucmd_demo_sleep s = { .nsec = 5000 * T_NS_PER_MS, .tag = 1 };

		alarms = 0;
		/* Before arming: no signal can come (nor end the SLEEP) sooner than 200 ms after. */
		t0 = t_now_ns();
		arm(200, true);
		ret = ucmd_call_ioctl(fd, UCMD_DEMO_SLEEP, &s);
		dt = t_now_ns() - t0;
		arm(0, false);
		t_err(ret, -EINTR, "ioctl SLEEP 5 s interrupted by SIGALRM -> -EINTR");
		t_ok(alarms >= 1, "the handler ran (%d times)", (int)alarms);
		t_ok(dt >= 200 * T_NS_PER_MS && dt < 3000 * T_NS_PER_MS,
		     "returned when the signal came (%llu ms)",
		     (unsigned long long)(dt / T_NS_PER_MS));
	}

	/* The file still works afterwards. */
	t_eq(t_demo_sleep(&(struct t_path){ "ioctl", NULL }, fd, 10 * T_NS_PER_MS, 0, NULL), 0,
	     "ioctl SLEEP 10 ms after the interruption -> 0");
	t_eq(ucmd_call_ioctl(fd, UCMD_DEMO_HELLO, NULL), 0, "HELLO after the interruption -> 0");

	/* A signal while waiting for a uring SLEEP does not cancel it. */
	{
		struct t_path up = { "uring", &ring };

		alarms = 0;
		arm(100, false);
		t0 = t_now_ns();
		ret = t_demo_sleep(&up, fd, 400 * T_NS_PER_MS, 0xabcdef, &res2);
		dt = t_now_ns() - t0;
		t_eq(alarms, 1, "SIGALRM arrived while waiting for a uring SLEEP");
		t_eq(ret, 0, "uring SLEEP 400 ms still completes with 0");
		t_eq_u64(res2, 0xabcdef, "... with its tag");
		t_ok(dt >= 400 * T_NS_PER_MS, "... after the full 400 ms (%llu ms)",
		     (unsigned long long)(dt / T_NS_PER_MS));
	}

	/* SIGKILL ends a process blocked in ioctl SLEEP at once. */
	pid = t_fork();
	if (pid == 0) {
		struct ucmd_demo_sleep s = { .nsec = 10000 * T_NS_PER_MS, .tag = 0 };

		ioctl(fd, UCMD_DEMO_SLEEP, &s);
		_exit(3);
	}
	t_sleep_ms(200);
	t0 = t_now_ns();
	kill(pid, SIGKILL);
	ret = -1;
	while (t_now_ns() - t0 < 3000 * T_NS_PER_MS) {
		ret = waitpid(pid, &status, WNOHANG);
		if (ret != 0)
			break;
		t_sleep_ms(10);
	}
	dt = t_now_ns() - t0;
	if (!t_ok(ret == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
		  "SIGKILL ends a child blocked in ioctl SLEEP 10 s within 3 s (%llu ms)",
		  (unsigned long long)(dt / T_NS_PER_MS)) &&
	    ret == 0) {
		waitpid(pid, &status, 0);
	}

	close(fd);
	io_uring_queue_exit(&ring);
	return t_done();
}
