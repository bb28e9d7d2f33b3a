// SPDX-License-Identifier: GPL-2.0
/* example_driver.c - /dev/ucmd-example (examples/ucmd_example) over ioctl and io_uring. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ucmd_example.h>

#include "helpers.h"

#define NOBODY 65534
#define NDELAY 8
#define DEV_NAME "ucmd-example"

static struct io_uring ring, ring32;

/* A path: ioctl (ring NULL), a normal ring, a CQE32 ring. */
struct path {
	const char *name;
	struct io_uring *ring;
};

static struct path paths[] = {
	{ "ioctl", NULL },
	{ "uring", &ring },
	{ "uring-cqe32", &ring32 },
};

#define NPATHS (sizeof(paths) / sizeof(paths[0]))

/* An _IOW command: @arg inline over io_uring, through the pointer for ioctl. */
static int call_w(const struct path *p, int fd, uint32_t cmd, void *arg, size_t len, uint64_t *res2)
{
	if (res2)
		*res2 = 0;
	if (!p->ring)
		return ucmd_call_ioctl(fd, cmd, arg);
	return ucmd_call_uring(p->ring, fd, cmd, arg, len, res2);
}

/* An _IOR command: the pointer itself is the payload. */
static int call_r(const struct path *p, int fd, uint32_t cmd, void *out)
{
	uint64_t ptr = (uint64_t)(uintptr_t)out;

	if (!p->ring)
		return ucmd_call_ioctl(fd, cmd, out);
	return ucmd_call_uring(p->ring, fd, cmd, &ptr, sizeof(ptr), NULL);
}

static struct ucmd_example_info info(int fd)
{
	struct ucmd_example_info in;

	memset(&in, 0xff, sizeof(in));
	if (ucmd_call_ioctl(fd, UCMD_EXAMPLE_INFO, &in))
		t_bail("INFO failed");
	return in;
}

static void check_info(int fd)
{
	for (size_t i = 0; i < NPATHS; i++) {
		const struct path *p = &paths[i];
		struct ucmd_example_info in;

		memset(&in, 0xff, sizeof(in));
		t_eq(call_r(p, fd, UCMD_EXAMPLE_INFO, &in), 0, "%s: INFO -> 0", p->name);
		t_ok(in.abi_version == UCMD_EXAMPLE_ABI_VERSION &&
			     in.max_delay_ms == UCMD_EXAMPLE_MAX_DELAY_MS,
		     "%s: INFO reports ABI %u, max delay %u ms", p->name, in.abi_version,
		     in.max_delay_ms);
		t_err(call_r(p, fd, UCMD_EXAMPLE_INFO, (void *)8), -EFAULT,
		      "%s: INFO through a bad pointer -> -EFAULT", p->name);
	}
}

static void check_add(int fd)
{
	for (size_t i = 0; i < NPATHS; i++) {
		const struct path *p = &paths[i];
		struct ucmd_example_add a = { .a = 2, .b = 3 };
		uint64_t res2;

		t_eq(call_w(p, fd, UCMD_EXAMPLE_ADD, &a, sizeof(a), &res2), 5, "%s: ADD 2 3 -> 5",
		     p->name);
		if (p->ring == &ring32)
			t_eq_u64(res2, 6, "%s: ... with the product 6 as the second result",
				 p->name);
		a = (struct ucmd_example_add){ .a = INT_MAX, .b = 0 };
		t_eq(call_w(p, fd, UCMD_EXAMPLE_ADD, &a, sizeof(a), NULL), INT_MAX,
		     "%s: ADD INT_MAX 0 -> INT_MAX", p->name);
		a = (struct ucmd_example_add){ .a = INT_MAX, .b = 1 };
		t_err(call_w(p, fd, UCMD_EXAMPLE_ADD, &a, sizeof(a), NULL), -EOVERFLOW,
		      "%s: ADD INT_MAX 1 -> -EOVERFLOW", p->name);
		a = (struct ucmd_example_add){ .a = UINT64_MAX, .b = 2 };
		t_err(call_w(p, fd, UCMD_EXAMPLE_ADD, &a, sizeof(a), NULL), -EOVERFLOW,
		      "%s: ADD 2^64-1 2 -> -EOVERFLOW", p->name);
	}
}

/* The framework's rules, seen through this driver: unused bytes, unknown numbers. */
static void check_framework_rules(int fd)
{
	uint64_t pad[2] = { 0, 1 };
	uint8_t one = 1;
	struct ucmd_example_info in;

	pad[0] = (uint64_t)(uintptr_t)&in;
	t_err(ucmd_call_uring(&ring, fd, UCMD_EXAMPLE_INFO, pad, sizeof(pad), NULL), -EINVAL,
	      "uring: INFO with a non-zero byte after its pointer -> -EINVAL");
	t_err(ucmd_call_uring(&ring, fd, UCMD_EXAMPLE_RESET, &one, 1, NULL), -EINVAL,
	      "uring: RESET (no argument) with a non-zero payload byte -> -EINVAL");
	for (size_t i = 0; i < NPATHS; i++)
		t_err(call_w(&paths[i], fd, _IO(UCMD_EXAMPLE_MAGIC, 0x7f), NULL, 0, NULL), -ENOTTY,
		      "%s: an unknown command -> -ENOTTY", paths[i].name);
}

static void check_delay_sync(int fd)
{
	struct ucmd_example_info before = info(fd), after;
	struct ucmd_example_delay d = { .msec = 50, .tag = 7 };
	uint64_t t0 = t_now_ns(), dt;

	t_eq(call_w(&paths[0], fd, UCMD_EXAMPLE_DELAY, &d, sizeof(d), NULL), 0,
	     "ioctl: DELAY 50 ms -> 0");
	dt = t_now_ns() - t0;
	/* msecs_to_jiffies() timer: it may fire up to one jiffy (4 ms at HZ=250) early. */
	t_ok(dt >= 40 * T_NS_PER_MS, "ioctl: ... after at least 50 ms, less a jiffy (%llu ms)",
	     (unsigned long long)(dt / T_NS_PER_MS));
	after = info(fd);
	t_eq_u64(after.delays_fired - before.delays_fired, 1, "ioctl: INFO counts the timer");

	for (size_t i = 0; i < NPATHS; i++) {
		const struct path *p = &paths[i];

		d = (struct ucmd_example_delay){ .msec = UCMD_EXAMPLE_MAX_DELAY_MS + 1 };
		t_err(call_w(p, fd, UCMD_EXAMPLE_DELAY, &d, sizeof(d), NULL), -EINVAL,
		      "%s: DELAY above the maximum -> -EINVAL", p->name);
		d = (struct ucmd_example_delay){ .msec = 1, .flags = 1 };
		t_err(call_w(p, fd, UCMD_EXAMPLE_DELAY, &d, sizeof(d), NULL), -EINVAL,
		      "%s: DELAY with flags set -> -EINVAL", p->name);
	}
}

/* NDELAY DELAYs in flight on the CQE32 ring, longest first: they complete shortest first. */
static void check_delay_async(int fd)
{
	bool seen[NDELAY] = { false }, tags_ok = true, res_ok = true;
	struct ucmd_example_delay d[NDELAY];
	struct io_uring_cqe *cqe;
	uint64_t first = UINT64_MAX, first_at = 0, t0, dt;
	int got = 0, ret;

	for (int i = 0; i < NDELAY; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring32);

		d[i] = (struct ucmd_example_delay){ .msec = 200 + 50 * (NDELAY - 1 - i),
						    .tag = 0x1000 + (uint64_t)i };
		ucmd_prep(&ring32, sqe, fd, UCMD_EXAMPLE_DELAY, &d[i], sizeof(d[i]));
		io_uring_sqe_set_data64(sqe, (uint64_t)i);
	}
	t0 = t_now_ns();
	t_eq(io_uring_submit(&ring32), NDELAY, "uring-cqe32: %d DELAYs of 200-550 ms submitted",
	     NDELAY);
	/*
	 * (A guest stalled by its host for 200 ms or more may see the first timers fire; jiffy
	 * timers may fire up to one jiffy, 4 ms at HZ=250, early.)
	 */
	ret = io_uring_peek_cqe(&ring32, &cqe);
	dt = t_now_ns() - t0;
	t_ok(ret == -EAGAIN || dt >= 190 * T_NS_PER_MS,
	     "uring-cqe32: none completed at once (%llu ms)",
	     (unsigned long long)(dt / T_NS_PER_MS));
	while (got < NDELAY && t_now_ns() - t0 < 10000 * T_NS_PER_MS) {
		struct __kernel_timespec ts = { .tv_sec = 1 };
		uint64_t i;

		if (io_uring_wait_cqe_timeout(&ring32, &cqe, &ts))
			continue;
		i = cqe->user_data;
		if (i >= NDELAY || seen[i]) {
			tags_ok = false;
		} else {
			seen[i] = true;
			res_ok = res_ok && cqe->res == 0;
			tags_ok = tags_ok && ucmd_cqe_res2(&ring32, cqe) == d[i].tag;
			if (first == UINT64_MAX) {
				first = i;
				first_at = t_now_ns() - t0;
			}
		}
		io_uring_cqe_seen(&ring32, cqe);
		got++;
	}
	t_eq(got, NDELAY, "uring-cqe32: all %d completed within 10 s", NDELAY);
	t_ok(res_ok, "uring-cqe32: each with 0");
	t_ok(tags_ok, "uring-cqe32: each once, with its own tag as the second result");
	/*
	 * Reaped after 550 ms, less a jiffy (a stalled guest), every timer may have fired: the
	 * order proves nothing.
	 */
	t_ok(first != UINT64_MAX && (first != 0 || first_at >= 540 * T_NS_PER_MS),
	     "uring-cqe32: the first completion is not the first (longest) DELAY (#%llu, at %llu ms)",
	     (unsigned long long)first, (unsigned long long)(first_at / T_NS_PER_MS));
}

static void on_alarm(int sig)
{
	(void)sig;
}

/*
 * A signal cancels an ioctl DELAY: the cancel hook completes it, -EINTR. SIGALRM repeats every
 * 100 ms, so one arrives inside the ioctl even when the first beats it there.
 */
static void check_cancel_ioctl(int fd)
{
	struct itimerval it = { .it_value = { .tv_usec = 100000 },
				.it_interval = { .tv_usec = 100000 } };
	struct itimerval off = { 0 };
	struct ucmd_example_delay d = { .msec = 3000 };
	struct ucmd_example_info before = info(fd), after;
	struct sigaction sa;
	uint64_t t0, dt;
	int ret;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm; /* no SA_RESTART */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL) || setitimer(ITIMER_REAL, &it, NULL))
		t_bail("SIGALRM: %s", strerror(errno));
	t0 = t_now_ns();
	ret = ucmd_call_ioctl(fd, UCMD_EXAMPLE_DELAY, &d);
	dt = t_now_ns() - t0;
	if (setitimer(ITIMER_REAL, &off, NULL))
		t_bail("setitimer: %s", strerror(errno));
	t_err(ret, -EINTR, "ioctl: DELAY 3 s interrupted by SIGALRM -> -EINTR");
	/* Not the 3 s timer (a jiffy early at most): the signal ended it. */
	t_ok(dt < 2900 * T_NS_PER_MS, "ioctl: ... when the signal came (%llu ms)",
	     (unsigned long long)(dt / T_NS_PER_MS));
	after = info(fd);
	t_eq_u64(after.delays_cancelled - before.delays_cancelled, 1,
		 "ioctl: the cancel hook stopped the timer");
	t_eq_u64(after.delays_fired - before.delays_fired, 0, "ioctl: ... which never fired");
}

/* A ring torn down with a DELAY in flight: cancelled (newer kernels) or completed; never lost. */
static void check_ring_exit(int fd)
{
	struct ucmd_example_delay d = { .msec = UCMD_EXAMPLE_MAX_DELAY_MS };
	struct ucmd_example_info before = info(fd), after;
	struct ucmd_stats s0, st;
	struct io_uring r;
	uint64_t t0, dt;
	int ret;

	t_ring(&r, 4, 0);
	ret = ucmd_stats_read(DEV_NAME, &s0);
	if (ret)
		t_bail("reading the counters: %s", strerror(-ret));
	ucmd_prep(&r, io_uring_get_sqe(&r), fd, UCMD_EXAMPLE_DELAY, &d, sizeof(d));
	t_eq(io_uring_submit(&r), 1, "ring exit: a DELAY of %u ms (the maximum) submitted",
	     UCMD_EXAMPLE_MAX_DELAY_MS);
	t_sleep_ms(50);
	t0 = t_now_ns();
	io_uring_queue_exit(&r);
	dt = t_now_ns() - t0;
	/* Waiting for the DELAY would take ~5 s. */
	t_ok(dt < 3000 * T_NS_PER_MS, "ring exit: io_uring_queue_exit returns at once (%llu ms)",
	     (unsigned long long)(dt / T_NS_PER_MS));
	do {
		t_sleep_ms(20);
		ret = ucmd_stats_read(DEV_NAME, &st);
	} while (!ret && st.inflight && t_now_ns() - t0 < 10000 * T_NS_PER_MS);
	t_ok(!ret && st.inflight == 0, "ring exit: nothing in flight within 10 s");
	t_eq_u64((st.completed_async + st.cancelled) - (s0.completed_async + s0.cancelled), 1,
		 "ring exit: the DELAY was completed or cancelled, once");
	after = info(fd);
	t_eq_u64((after.delays_fired + after.delays_cancelled) -
			 (before.delays_fired + before.delays_cancelled),
		 1, "ring exit: the driver saw its timer fire or be cancelled, once");
	t_diag("ring exit: %s", st.cancelled > s0.cancelled ? "cancelled (cancelable uring_cmd)" :
							      "completed (no uring_cmd cancel)");
}

static void check_counters(const struct ucmd_stats *s0)
{
	struct ucmd_stats st;
	int ret = ucmd_stats_read(DEV_NAME, &st);

	t_ok(ret == 0, "counters readable in /sys/class/misc/" DEV_NAME "/ucmd");
	if (ret)
		return;
	t_eq_u64(st.inflight, 0, "counters: nothing in flight");
	t_ok(st.issued - s0->issued == (st.completed_sync - s0->completed_sync) +
					       (st.completed_async - s0->completed_async) +
					       (st.cancelled - s0->cancelled),
	     "counters: this test's commands balance (issued +%llu)",
	     (unsigned long long)(st.issued - s0->issued));
	t_ok(st.refused == s0->refused, "counters: the framework refused no driver action");
}

/* The guide's "ucmdctl --dev /dev/ucmd-example stats": the counters libucmd reads, printed. */
static void check_ucmdctl_stats(void)
{
	char tool[PATH_MAX], out[2048], err[512], want[64];
	const char *argv[] = { "ucmdctl", "--dev", UCMD_EXAMPLE_DEVICE, "stats", NULL };
	struct ucmd_stats st;
	int status;

	if (!t_find_ucmdctl(tool, sizeof(tool))) {
		t_skip("no ucmdctl", "ucmdctl --dev " UCMD_EXAMPLE_DEVICE " stats");
		return;
	}
	if (ucmd_stats_read(DEV_NAME, &st))
		t_bail("reading the counters");
	status = t_run(tool, argv, -1, -1, out, sizeof(out), NULL, err, sizeof(err), 60);
	snprintf(want, sizeof(want), " issued %" PRIu64 "\n", st.issued);
	/* ucmdctl pads the names: compare with the spaces squeezed. */
	for (char *r = out, *w = out; (*w = *r); r++)
		if (!(*r == ' ' && w > out && w[-1] == ' '))
			w++;
	if (!t_ok(status == 0 && strstr(out, "framework counters of " UCMD_EXAMPLE_DEVICE ":") &&
			  strstr(out, want) && strstr(out, " inflight 0\n"),
		  "ucmdctl --dev %s stats -> exit 0, issued %" PRIu64 " and inflight 0 as libucmd "
		  "reads them",
		  UCMD_EXAMPLE_DEVICE, st.issued))
		t_diag("exit %d, stdout '%s', stderr '%s'", status, out, err);
}

/* RESET needs a writable file and CAP_SYS_ADMIN; run as uid 65534 in a child. */
static void check_reset(void)
{
	struct ucmd_example_info in;
	struct ucmd_stats st;
	int fd, status;
	pid_t pid;

	fd = ucmd_open(UCMD_EXAMPLE_DEVICE, O_RDONLY);
	/* Without the open, the -EBADF checks below would pass on a bad fd. */
	if (!t_ok(fd >= 0, "open %s read-only", UCMD_EXAMPLE_DEVICE))
		return;
	t_err(call_w(&paths[0], fd, UCMD_EXAMPLE_RESET, NULL, 0, NULL), -EBADF,
	      "ioctl: RESET on a read-only file -> -EBADF");
	t_err(call_w(&paths[1], fd, UCMD_EXAMPLE_RESET, NULL, 0, NULL), -EBADF,
	      "uring: RESET on a read-only file -> -EBADF");
	close(fd);
	if (geteuid() != 0) {
		t_skip("not root", "RESET as root and as uid %d", NOBODY);
		return;
	}
	pid = t_fork();
	if (pid == 0) {
		if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(2);
		struct io_uring r;
		struct path mine[] = { { "ioctl", NULL }, { "uring", &r } };

		fd = ucmd_open(UCMD_EXAMPLE_DEVICE, O_RDWR);
		if (fd < 0 || ucmd_ring_init(&r, 4, 0))
			_exit(3);
		for (size_t i = 0; i < 2; i++)
			t_err(call_w(&mine[i], fd, UCMD_EXAMPLE_RESET, NULL, 0, NULL), -EPERM,
			      "%s: RESET as uid %d -> -EPERM", mine[i].name, NOBODY);
		_exit(0);
	}
	t_ok(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	     "the uid %d child opened the 0666 device and finished", NOBODY);
	fd = ucmd_open(UCMD_EXAMPLE_DEVICE, O_RDWR);
	if (!t_ok(fd >= 0, "open %s read-write", UCMD_EXAMPLE_DEVICE))
		return;
	t_eq(call_w(&paths[1], fd, UCMD_EXAMPLE_RESET, NULL, 0, NULL), 0,
	     "uring: RESET as root -> 0");
	in = info(fd);
	t_ok(in.delays_fired == 0 && in.delays_cancelled == 0,
	     "RESET zeroed the driver's counters");
	if (ucmd_stats_read(DEV_NAME, &st))
		t_bail("reading the counters after RESET");
	t_ok(st.issued <= 2 && st.inflight == 0,
	     "RESET zeroed the framework counters (issued %llu since)",
	     (unsigned long long)st.issued);
	close(fd);
}

int main(void)
{
	struct ucmd_stats s0;
	int fd, ret;

	t_init();
	if (access(UCMD_EXAMPLE_DEVICE, F_OK))
		t_skip_all("%s is absent (ucmd_example.ko not loaded)", UCMD_EXAMPLE_DEVICE);
	t_ring(&ring, 16, 0);
	t_ring(&ring32, 16, IORING_SETUP_CQE32);
	fd = ucmd_open(UCMD_EXAMPLE_DEVICE, O_RDWR);
	if (fd < 0)
		t_bail("open %s: %s", UCMD_EXAMPLE_DEVICE, strerror(-fd));
	ret = ucmd_stats_read(DEV_NAME, &s0);
	if (ret)
		t_bail("reading the counters: %s", strerror(-ret));

	check_info(fd);
	check_add(fd);
	check_framework_rules(fd);
	check_delay_sync(fd);
	check_delay_async(fd);
	check_cancel_ioctl(fd);
	check_ring_exit(fd);
	check_counters(&s0);
	check_ucmdctl_stats();
	close(fd);
	check_reset();

	io_uring_queue_exit(&ring);
	io_uring_queue_exit(&ring32);
	return t_done();
}
