// SPDX-License-Identifier: GPL-2.0
/* counters.c - the framework counters in sysfs: format, exact deltas for sync and async commands, inflight, balance (issued == completed_sync + completed_async + cancelled) and RESET_STATS. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

static const char *const names[] = { "issued",	  "completed_sync", "completed_async",
				     "cancelled", "refused",	    "inflight" };

static void check_format(void)
{
	const char *dev = strrchr(t_dev_path(), '/');

	dev = dev ? dev + 1 : t_dev_path();

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[512], text[64];
		ssize_t n;
		int fd;
		size_t k = 0;

		snprintf(path, sizeof(path), UCMD_SYSFS_DIR "/%s", dev, names[i]);
		fd = open(path, O_RDONLY);
		if (!t_ok(fd >= 0, "%s exists", path))
			continue;
		n = read(fd, text, sizeof(text) - 1);
		close(fd);
		text[n > 0 ? n : 0] = '\0';
		while (text[k] >= '0' && text[k] <= '9')
			k++;
		t_ok(n > 1 && k > 0 && text[k] == '\n' && text[k + 1] == '\0',
		     "%s holds one decimal number and a newline", names[i]);
	}
}

static struct ucmd_stats delta(const struct ucmd_stats *a, const struct ucmd_stats *b)
{
	return (struct ucmd_stats){
		.issued = b->issued - a->issued,
		.completed_sync = b->completed_sync - a->completed_sync,
		.completed_async = b->completed_async - a->completed_async,
		.cancelled = b->cancelled - a->cancelled,
		.refused = b->refused - a->refused,
		.inflight = b->inflight - a->inflight,
	};
}

/* The imbalance (t_imbalance()) the test's commands must leave unchanged. */
static int64_t base;

static void balanced(const char *when)
{
	struct ucmd_stats st;

	t_ok(t_wait_idle(&st, 5000), "%s: inflight is 0", when);
	if (!t_ok(t_imbalance(&st) == base,
		  "%s: issued grew by completed_sync + completed_async + cancelled", when))
		t_stats_diag(when, &st);
}

/* Right after RESET_STATS, with nothing in flight, the counters must balance outright. */
static void after_reset(const char *when)
{
	struct ucmd_stats st;

	t_stats(&st);
	if (!t_ok(st.issued <= 1 && st.completed_sync <= 1 && st.completed_async == 0 &&
			  st.cancelled == 0 && st.refused == 0 && st.inflight == 0,
		  "%s: every counter is 0 (RESET_STATS itself may count once)", when))
		t_stats_diag(when, &st);
	if (!t_ok(t_stats_balanced(&st),
		  "%s: issued == completed_sync + completed_async + cancelled "
		  "(the reset command counts both issued and completed, or neither)",
		  when))
		t_stats_diag(when, &st);
	base = t_imbalance(&st);
}

int main(void)
{
	struct ucmd_stats s0, s1, s2, s3, d;
	struct io_uring ring;
	uint64_t t0, dt;
	int fd, v;

	t_init();
	t_require_device();
	t_ring(&ring, 64, IORING_SETUP_CQE32);
	fd = t_open(O_RDWR);

	check_format();
	t_ok(t_wait_idle(&s0, 5000), "nothing in flight at start");
	t_stats_diag("at start", &s0);
	base = t_imbalance(&s0);
	if (base)
		t_diag("an earlier RESET_STATS left issued - completed - cancelled at %lld",
		       (long long)base);

	/* Synchronous commands. */
	for (int i = 0; i < 10; i++)
		ucmd_call_uring(&ring, fd, UCMD_DEMO_NOP, NULL, 0, NULL);
	t_eq(ucmd_call_uring(&ring, fd, UCMD_DEMO_GET_VALUE, &(uint64_t){ (uintptr_t)&v }, 8, NULL),
	     0, "GET_VALUE");
	t_stats(&s1);
	d = delta(&s0, &s1);
	t_eq_u64(d.issued, 11, "11 sync uring commands: issued +11");
	t_eq_u64(d.completed_sync, 11, "... completed_sync +11");
	t_eq_u64(d.completed_async, 0, "... completed_async +0");
	t_eq_u64(d.cancelled, 0, "... cancelled +0");
	t_eq_u64(s1.inflight, 0, "... inflight 0");

	/* Asynchronous commands: counted in flight until they complete. */
	for (int i = 0; i < 20; i++) {
		struct ucmd_demo_sleep s = { .nsec = 300 * T_NS_PER_MS + (uint64_t)i * T_NS_PER_MS,
					     .tag = (uint64_t)i };
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

		ucmd_prep(&ring, sqe, fd, UCMD_DEMO_SLEEP, &s, sizeof(s));
		io_uring_sqe_set_data64(sqe, (uint64_t)i);
	}
	t0 = t_now_ns();
	t_eq(io_uring_submit(&ring), 20, "20 SLEEPs of 300 ms submitted");
	t_stats(&s2);
	dt = t_now_ns() - t0;
	d = delta(&s1, &s2);
	t_eq_u64(d.issued, 20, "while they sleep: issued +20");
	/* Read 300 ms (the shortest SLEEP) after the submit or later, some may be done. */
	if (!t_ok(s2.inflight == 20 || dt >= 300 * T_NS_PER_MS,
		  "... inflight 20 (read after %llu ms)", (unsigned long long)(dt / T_NS_PER_MS)))
		t_diag("  inflight %llu", (unsigned long long)s2.inflight);
	if (!t_ok(d.completed_async == 0 || dt >= 300 * T_NS_PER_MS,
		  "... completed_async +0 (read after %llu ms)",
		  (unsigned long long)(dt / T_NS_PER_MS)))
		t_diag("  completed_async +%llu", (unsigned long long)d.completed_async);
	t_eq_u64(d.completed_sync, 0, "... completed_sync +0 (SLEEP completes asynchronously)");
	for (int i = 0; i < 20; i++) {
		struct io_uring_cqe *cqe;

		if (io_uring_wait_cqe(&ring, &cqe))
			break;
		io_uring_cqe_seen(&ring, cqe);
	}
	t_stats(&s3);
	d = delta(&s2, &s3);
	t_eq_u64(d.completed_async, 20, "after they complete: completed_async +20");
	t_eq_u64(d.issued, 0, "... issued +0");
	t_eq_u64(s3.inflight, 0, "... inflight 0");
	balanced("after sync and async uring commands");

	/* Failing commands, ioctl commands and the SQE128 area must keep the balance. */
	ucmd_call_uring(&ring, fd, _IO('|', 0), NULL, 0, NULL);
	ucmd_call_uring(&ring, fd, UCMD_DEMO_HELLO, "x", 1, NULL);
	ucmd_call_uring(&ring, fd, UCMD_DEMO_SLEEP,
			&(struct ucmd_demo_sleep){ .nsec = UCMD_DEMO_MAX_SLEEP_NSEC + 1 }, 16,
			NULL);
	ucmd_call_ioctl(fd, UCMD_DEMO_HELLO, NULL);
	ucmd_call_ioctl(fd, UCMD_DEMO_SLEEP, &(struct ucmd_demo_sleep){ .nsec = T_NS_PER_MS });
	ucmd_call_ioctl(fd, _IO('|', 0), NULL);
	balanced("after failing commands and ioctls");

	/* RESET_STATS (as root) zeroes the counters. */
	if (geteuid() == 0) {
		t_eq(ucmd_call_ioctl(fd, UCMD_DEMO_RESET_STATS, NULL), 0, "ioctl RESET_STATS -> 0");
		after_reset("after ioctl RESET_STATS");
		t_eq(ucmd_call_uring(&ring, fd, UCMD_DEMO_RESET_STATS, NULL, 0, NULL), 0,
		     "uring RESET_STATS -> 0");
		after_reset("after uring RESET_STATS");

		t_stats(&s0);
		for (int i = 0; i < 5; i++)
			ucmd_call_uring(&ring, fd, UCMD_DEMO_NOP, NULL, 0, NULL);
		t_stats(&s1);
		t_eq_u64(s1.issued - s0.issued, 5, "counting goes on after a reset: issued +5");
		balanced("after commands following a reset");
	} else {
		t_skip("not root", "RESET_STATS zeroes the counters");
	}

	close(fd);
	io_uring_queue_exit(&ring);
	return t_done();
}
