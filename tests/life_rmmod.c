// SPDX-License-Identifier: GPL-2.0
/* life_rmmod.c - the modules cannot be removed while the device is open or has commands in flight, can be once all is done, and ucmd_demo loads again (left loaded for later tests). */
/*
 * Steps:
 *  1. delete_module("ucmd_demo", O_NONBLOCK) with the device open: EAGAIN
 *     or EBUSY, and the device keeps working;
 *  2. the same with the file closed but 100 SLEEPs of 3.5-4 s on it still
 *     in flight on an open ring (long enough for a guest stalled by its host);
 *  3. delete_module("ucmd") while ucmd_demo uses it: EAGAIN or EBUSY;
 *  4. a child submits 200 SLEEPs of 1-2 s and exits with its ring open.
 *     Its exit ends them (6.1 waits for them, 6.12+ cancels them), so this
 *     step checks what a removal after such an exit sees, not a refusal
 *     (step 2 checks that): delete_module is tried every 2 ms, every
 *     refusal is EAGAIN/EBUSY, one succeeds within 15 s, and the device
 *     node disappears;
 *  5. finit_module(/lib/ucmd/ucmd_demo.ko) loads it again: the node comes
 *     back within 5 s with fresh counters, and commands work.
 * Skipped when ucmd_demo is built in or its .ko is not in /lib/ucmd.
 * Bounds: ~3-6 s (a kernel that cannot cancel finishes step 2's SLEEPs
 * during step 4); each wait is capped at 15 s.
 */
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

static void refused(const char *what, const char *name)
{
	int ret = t_module_delete(name);

	if (!t_ok(t_module_busy(ret), "%s: delete_module(\"%s\") refused with EAGAIN/EBUSY", what,
		  name))
		t_diag("  got %d (%s)", ret, ret ? strerror(-ret) : "removed");
	t_ok(t_module_loaded(name), "%s: %s still loaded", what, name);
}

static bool works(void)
{
	int fd = ucmd_open(t_dev_path(), O_RDWR), ok;

	if (fd < 0)
		return false;
	ok = ucmd_call_ioctl(fd, UCMD_DEMO_NOP, NULL) == 0;
	close(fd);
	return ok;
}

/* 200 SLEEPs of 1-2 s. */
static bool sleeps_1_2s(struct io_uring *ring, int fd, void *arg)
{
	(void)arg;
	return t_queue_sleeps(ring, fd, 200, 0, 1000 * T_NS_PER_MS, 2000 * T_NS_PER_MS) == 200;
}

int main(void)
{
	struct ucmd_stats s0, st;
	struct io_uring ring;
	const char *why;
	unsigned int tries = 0, in_flight_refusals = 0, other = 0;
	int fd, status = 0, ret = -EAGAIN, v = -1;
	uint64_t t0;
	bool ok;
	pid_t pid;

	t_init();
	t_require_device();
	why = t_demo_reloadable();
	if (why)
		t_skip_all("%s", why);
	t_wait_idle(&s0, 15000);

	/* 1. Open file. */
	fd = t_open(O_RDWR);
	refused("device open", T_DEMO_MODULE);
	t_eq(ucmd_call_ioctl(fd, UCMD_DEMO_HELLO, NULL), 0, "device open: it still works");

	/* 2. Closed file, commands in flight. */
	t_ring(&ring, 128, IORING_SETUP_CQE32);
	t_eq(t_queue_sleeps(&ring, fd, 100, 0, 3500 * T_NS_PER_MS, 4000 * T_NS_PER_MS), 100,
	     "100 SLEEPs of 3.5-4 s submitted");
	close(fd);
	refused("file closed, 100 SLEEPs in flight", T_DEMO_MODULE);

	/* 3. The framework under the driver. */
	refused("ucmd_demo loaded", "ucmd");
	t_ok(works(), "the device still works");
	io_uring_queue_exit(&ring);

	/* 4. A process that exited with commands in flight. */
	pid = t_child_ring(256, IORING_SETUP_CQE32, sleeps_1_2s, NULL, false, &ok);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	t_ok(ok && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	     "a child submitted 200 SLEEPs of 1-2 s and exited");
	t0 = t_now_ns();
	for (;;) {
		uint64_t inflight;

		t_stats(&st);
		inflight = st.inflight;
		ret = t_module_delete(T_DEMO_MODULE);
		tries++;
		if (ret == 0)
			break;
		if (!t_module_busy(ret)) {
			other++;
			t_diag("delete_module failed with %d (%s)", ret, strerror(-ret));
		} else if (inflight) {
			in_flight_refusals++;
		}
		if (t_now_ns() - t0 > 15000 * T_NS_PER_MS)
			break;
		t_sleep_ms(2);
	}
	t_eq(ret, 0,
	     "ucmd_demo removed within 15 s once the commands were gone (%" PRIu64
	     " ms, %u attempts)",
	     (t_now_ns() - t0) / T_NS_PER_MS, tries);
	t_eq(other, 0, "every refusal before was EAGAIN/EBUSY");
	/* Usually 0: the child's exit waited for its commands or cancelled them (step 4). */
	t_diag("%u attempts refused while the counters showed commands in flight",
	       in_flight_refusals);
	if (ret) {
		/* Still loaded: leave it so, the other tests need it. */
		return t_done();
	}
	t_ok(!t_module_loaded(T_DEMO_MODULE), "/sys/module/ucmd_demo is gone");
	t_ok(t_wait_path(t_dev_path(), false, 5000), "%s is gone within 5 s", t_dev_path());
	t_ok(t_module_loaded("ucmd"), "the framework module stays loaded");

	/* 5. Load it again. */
	ret = t_module_load(T_DEMO_KO);
	if (ret)
		t_bail("finit_module(%s): %s: later tests lack the device", T_DEMO_KO,
		       strerror(-ret));
	t_ok(t_wait_path(t_dev_path(), true, 5000), "loaded again: %s is back within 5 s",
	     t_dev_path());
	t_stats(&st);
	t_ok(st.issued == 0 && st.inflight == 0 && st.cancelled == 0 && st.refused == 0,
	     "the new device starts with zero counters");
	fd = t_open(O_RDWR);
	t_ring(&ring, 8, IORING_SETUP_CQE32);
	t_eq(t_demo_set(&(struct t_path){ "uring", &ring }, fd, 42), 0, "SET over io_uring works");
	t_ok(t_demo_get(&(struct t_path){ "ioctl", NULL }, fd, &v) == 0 && v == 42,
	     "GET over ioctl sees it");
	t_eq(t_demo_sleep(&(struct t_path){ "uring", &ring }, fd, T_NS_PER_MS, 9, NULL), 0,
	     "a SLEEP over io_uring completes");
	io_uring_queue_exit(&ring);
	close(fd);
	memset(&s0, 0, sizeof(s0));
	t_settle("after reload", &s0, 3, 2, 0, 10000, NULL);
	return t_done();
}
