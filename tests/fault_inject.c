// SPDX-License-Identifier: GPL-2.0
/* fault_inject.c - every slab allocation on the paths of io_uring submit, ioctl SLEEP, open/close and UCMD_VEC made to fail in turn (fail-nth): clean errors only, counters balance, device still works. */
/*
 * Needs a kernel with CONFIG_FAULT_INJECTION, CONFIG_FAILSLAB and
 * CONFIG_FAULT_INJECTION_DEBUG_FS (the rig's debug kernel); skipped
 * elsewhere.  Writing N to /proc/thread-self/fail-nth fails the N-th
 * fault-injection check of this thread; for N = 1, 2, ... up to 40, or
 * until a call no longer reaches its N-th allocation, around:
 *  (a) io_uring_enter() submitting one SLEEP (on a fresh ring each time),
 *  (b) ioctl(SLEEP, 1 ms),
 *  (c) open() + close() of the device,
 *  (d) ioctl(UCMD_VEC) with 16 sub-commands.
 * Each call must succeed or fail with a clean errno (ENOMEM, EAGAIN); a
 * submitted SLEEP must then complete with 0 or -ENOMEM.  When ucmd_demo can
 * be reloaded, it is reloaded first so that its request pool is empty and
 * the framework's own allocation is on the path: then at least one SLEEP
 * must fail with ENOMEM; and reloaded again at the end, which shows that
 * no failure path leaked a reference to the device.
 * failslab is set up for this (GFP_KERNEL allocations count, no console
 * output: its stack dumps could look like kernel reports to the runner) and
 * restored afterwards.
 * Bounds: SLEEPs of 3 s hold their requests; ~10-30 s on the debug kernel.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "helpers.h"

#define FAILSLAB "/sys/kernel/debug/failslab"
#define MAX_N 40

static int nth_fd = -1;

/* failslab settings changed here, restored at exit. */
static const char *const knobs[] = { "ignore-gfp-wait", "verbose", "times" };
static const char *const want[] = { "N", "0", NULL };
static char saved[3][32];
static bool changed[3];

static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static void restore_failslab(void)
{
	char path[128];

	if (nth_fd >= 0) {
		if (pwrite(nth_fd, "0", 1, 0) < 0)
			t_diag("disarming fail-nth: %s", strerror(errno));
	}
	for (int i = 0; i < 3; i++) {
		if (!changed[i])
			continue;
		snprintf(path, sizeof(path), FAILSLAB "/%s", knobs[i]);
		if (write_file(path, saved[i]))
			t_diag("could not restore %s to %s", path, saved[i]);
		changed[i] = false;
	}
}

static void setup_failslab(void)
{
	char path[128];

	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), FAILSLAB "/%s", knobs[i]);
		if (read_file(path, saved[i], sizeof(saved[i])))
			t_skip_all("cannot read %s", path);
	}
	atexit(restore_failslab);
	for (int i = 0; i < 3; i++) {
		if (!want[i])
			continue;
		snprintf(path, sizeof(path), FAILSLAB "/%s", knobs[i]);
		changed[i] = true;
		if (write_file(path, want[i]))
			t_bail("cannot write %s to %s", want[i], path);
	}
	t_diag("failslab: ignore-gfp-wait %s -> N, verbose %s -> 0 (restored at exit)", saved[0],
	       saved[1]);
}

/* Arms fail-nth: the @n-th fault-injection check from now on in this thread fails. */
static void arm(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (pwrite(nth_fd, buf, (size_t)len, 0) != len)
		t_bail("writing fail-nth: %s", strerror(errno));
}

/* Disarms; returns true if the failure was injected (the counter ran down to 0). */
static bool disarm(void)
{
	char buf[16] = "";
	ssize_t n = pread(nth_fd, buf, sizeof(buf) - 1, 0);

	if (pwrite(nth_fd, "0", 1, 0) != 1)
		t_bail("writing fail-nth: %s", strerror(errno));
	if (n <= 0)
		t_bail("reading fail-nth: %s", strerror(errno));
	buf[n] = '\0';
	return strtoul(buf, NULL, 10) == 0;
}

static bool clean_err(int err)
{
	return err == ENOMEM || err == EAGAIN;
}

/* Results of one kind of call over N = 1..: */
struct sweep {
	unsigned int calls, injected, ok, clean, dirty;
	int first_dirty;
	bool end; /* a call went through with no failure left to inject */
};

static void note(struct sweep *s, bool injected, int err)
{
	s->calls++;
	s->injected += injected;
	s->end = !injected;
	if (!err) {
		s->ok++;
	} else if (clean_err(err)) {
		s->clean++;
	} else if (!s->dirty++) {
		s->first_dirty = err;
	}
}

static void report(const char *what, const struct sweep *s)
{
	t_diag("%s: %u calls, %u with a failure injected, %u succeeded, %u failed cleanly", what,
	       s->calls, s->injected, s->ok, s->clean);
	if (!t_eq(s->dirty, 0, "%s: every call succeeded or failed with ENOMEM/EAGAIN", what))
		t_diag("  first other error: %d (%s)", s->first_dirty, strerror(s->first_dirty));
	t_ok(s->injected > 0, "%s: failures were injected (%u)", what, s->injected);
	t_ok(s->end, "%s: the sweep reached its end (N=%u left nothing to fail)", what, s->calls);
}

static void sweep_ioctl_sleep(int fd, unsigned int *nomem)
{
	struct sweep s = { 0 };

	for (unsigned int n = 1; n <= MAX_N; n++) {
		struct ucmd_demo_sleep sl = { .nsec = T_NS_PER_MS };
		int ret, err;
		bool inj;

		arm(n);
		ret = ioctl(fd, UCMD_DEMO_SLEEP, &sl);
		err = ret < 0 ? errno : 0;
		inj = disarm();
		note(&s, inj, err);
		*nomem += err == ENOMEM;
		if (!inj)
			break;
	}
	report("(b) ioctl SLEEP", &s);
}

static void sweep_uring_submit(int fd, unsigned int *nomem)
{
	static struct io_uring rings[MAX_N];
	struct sweep s = { 0 }, cq = { 0 };
	unsigned int nrings = 0;

	for (unsigned int n = 1; n <= MAX_N; n++) {
		struct io_uring *ring = &rings[nrings];
		struct ucmd_demo_sleep sl = { .nsec = 3000 * T_NS_PER_MS, .tag = n };
		struct io_uring_sqe *sqe;
		int ret;
		bool inj;

		t_ring(ring, 4, IORING_SETUP_CQE32);
		nrings++;
		sqe = io_uring_get_sqe(ring);
		ucmd_prep(ring, sqe, fd, UCMD_DEMO_SLEEP, &sl, sizeof(sl));
		io_uring_sqe_set_data64(sqe, n);
		arm(n);
		ret = io_uring_submit(ring); /* the one syscall: io_uring_enter() */
		inj = disarm();
		note(&s, inj, ret < 0 ? -ret : ret == 1 ? 0 : EPROTO);
		if (ret != 1) {
			/* The SQE is still queued: submit it again, without failures. */
			ret = io_uring_submit(ring);
			if (!t_eq(ret, 1, "(a) N=%u: the SQE submits again after the failure", n))
				nrings--, io_uring_queue_exit(ring);
		}
		if (!inj)
			break;
	}
	report("(a) io_uring_enter submitting a SLEEP", &s);
	/* Each submitted SLEEP completes exactly once, with 0 or a clean error. */
	for (unsigned int i = 0; i < nrings; i++) {
		struct __kernel_timespec ts = { .tv_sec = 15 };
		struct io_uring_cqe *cqe;

		if (io_uring_wait_cqe_timeout(&rings[i], &cqe, &ts)) {
			note(&cq, false, ETIME);
		} else {
			note(&cq, false, cqe->res < 0 ? -cqe->res : 0);
			*nomem += cqe->res == -ENOMEM;
			io_uring_cqe_seen(&rings[i], cqe);
		}
		io_uring_queue_exit(&rings[i]);
	}
	t_diag("(a) completions: %u with 0, %u with ENOMEM/EAGAIN", cq.ok, cq.clean);
	if (!t_eq(cq.dirty, 0, "(a) every SLEEP completed with 0 or -ENOMEM/-EAGAIN within 15 s"))
		t_diag("  first other result: -%d (%s)", cq.first_dirty, strerror(cq.first_dirty));
}

static void sweep_open_close(void)
{
	struct sweep s = { 0 };
	unsigned int close_fail = 0;

	for (unsigned int n = 1; n <= MAX_N; n++) {
		int fd, err = 0;
		bool inj;

		arm(n);
		fd = open(t_dev_path(), O_RDWR | O_CLOEXEC);
		if (fd < 0)
			err = errno;
		else if (close(fd))
			close_fail++;
		inj = disarm();
		note(&s, inj, err);
		if (!inj)
			break;
	}
	report("(c) open+close", &s);
	t_eq(close_fail, 0, "(c) close never failed");
}

static void sweep_vec(int fd)
{
	struct sweep s = { 0 };
	unsigned int wrong = 0;

	for (unsigned int n = 1; n <= MAX_N; n++) {
		struct ucmd_vec_entry e[16];
		struct ucmd_vec v = { .entries = (uint64_t)(uintptr_t)e, .nr = 16 };
		int ret, err;
		bool inj;

		for (int i = 0; i < 16; i++)
			ucmd_vec_entry_init(&e[i], i % 2 ? UCMD_DEMO_NOP : UCMD_DEMO_HELLO, NULL,
					    0);
		arm(n);
		ret = ioctl(fd, UCMD_VEC, &v);
		err = ret < 0 ? errno : 0;
		inj = disarm();
		note(&s, inj, err);
		if (!err) {
			wrong += ret != 16;
			for (int i = 0; i < 16; i++)
				wrong += e[i].result != 0;
		}
		if (!inj)
			break;
	}
	t_diag("(d) ioctl UCMD_VEC: %u calls, %u with a failure injected", s.calls, s.injected);
	t_eq(s.dirty, 0, "(d) ioctl UCMD_VEC: every call succeeded or failed cleanly");
	t_ok(s.end, "(d) ioctl UCMD_VEC: the sweep reached its end (N=%u)", s.calls);
	t_eq(wrong, 0, "(d) ioctl UCMD_VEC: every successful call ran all 16 entries with 0");
}

int main(void)
{
	struct ucmd_stats s0, st;
	const char *why;
	unsigned int nomem_b = 0, nomem_a = 0;
	bool drained = false;
	uint64_t res2 = 0;
	int fd, ret;

	t_init();
	t_require_device();
	if (access("/proc/thread-self/fail-nth", F_OK))
		t_skip_all("no /proc/thread-self/fail-nth: kernel without CONFIG_FAULT_INJECTION");
	if (access(FAILSLAB, F_OK))
		t_skip_all(
			"no %s: kernel without CONFIG_FAILSLAB and CONFIG_FAULT_INJECTION_DEBUG_FS"
			" (or debugfs not mounted)",
			FAILSLAB);
	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (nth_fd < 0)
		t_skip_all("cannot open /proc/thread-self/fail-nth: %s", strerror(errno));
	setup_failslab();

	why = t_demo_reloadable();
	if (!why) {
		ret = t_demo_reload(15000);
		drained = ret == 0;
		t_ok(drained, "ucmd_demo reloaded: its request pool starts empty (%d)", ret);
	} else {
		t_diag("not reloading ucmd_demo (%s): the framework's allocation may not be hit",
		       why);
	}
	fd = t_open(O_RDWR);
	t_wait_idle(&s0, 15000);

	sweep_ioctl_sleep(fd, &nomem_b);
	sweep_uring_submit(fd, &nomem_a);
	sweep_open_close();
	sweep_vec(fd);
	restore_failslab();
	if (drained) {
		t_ok(nomem_b > 0,
		     "(b) the request allocation failed cleanly: ioctl SLEEP gave ENOMEM");
		t_ok(nomem_a > 0, "(a) the request allocation failed cleanly: a SLEEP completed "
				  "with -ENOMEM");
	}

	/* The device still works and the counters balance. */
	{
		struct io_uring ring;
		struct t_path p = { "uring", &ring };

		t_ring(&ring, 8, IORING_SETUP_CQE32);
		t_eq(t_demo_cmd(&p, fd, UCMD_DEMO_HELLO), 0, "afterwards: HELLO over io_uring");
		t_ok(t_demo_sleep(&p, fd, T_NS_PER_MS, 77, &res2) == 0 && res2 == 77,
		     "afterwards: SLEEP over io_uring completes with its tag");
		io_uring_queue_exit(&ring);
	}
	t_eq(ucmd_call_ioctl(fd, UCMD_DEMO_NOP, NULL), 0, "afterwards: NOP over ioctl");
	close(fd);
	if (!t_ok(t_wait_idle(&st, 15000), "inflight back to 0 within 15 s"))
		t_stats_diag("after", &st);
	if (!t_ok(t_imbalance(&st) == t_imbalance(&s0),
		  "counters balance (issued - completed - cancelled unchanged)"))
		t_stats_diag("after", &st);
	t_eq_u64(st.refused - s0.refused, 0, "refused unchanged");
	if (drained) {
		ret = t_demo_reload(15000);
		t_eq(ret, 0, "ucmd_demo unloads and loads again: no reference leaked");
	}
	return t_done();
}
