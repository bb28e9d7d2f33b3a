// SPDX-License-Identifier: GPL-2.0
/* uring_separate_wait.c - a command completed from hard IRQ is seen by a waiter that entered the kernel after submitting (io_uring_submit(), then a wait in a second io_uring_enter()). */
/*
 * SLEEPs of 0-3 us (and 20-200 us, so that the waiter is often asleep first)
 * complete from the demo's hrtimer, in hard IRQ: the framework posts the CQE
 * through task_work, or inline when the timer fired before the handler
 * returned.  One at a time or in batches, on plain and on SQE128/CQE32 rings
 * (no SQPOLL, no DEFER_TASKRUN, no COOP_TASKRUN), each submission made with
 * io_uring_submit() and waited for in a separate io_uring_enter().
 *
 * Two ways to wait.  With a 5 s timeout (an hrtimer in the kernel's wait):
 * a timeout is a lost completion; whether the framework had finished the
 * command (inflight 0) and whether one more io_uring_enter() brings the CQE
 * (its task_work was pending, the waiter was not woken to run it) is shown.
 * Without a timeout (a plain io_uring_wait_cqe()): in a child that the
 * parent watches (t_watch_child()): one that makes no progress for 5 s is
 * shown with the kernel's view of its ring, then sent a signal (which runs
 * pending task_work) to see whether it goes on.
 *
 * The hang this pattern was blamed for on 7.2 was libucmd's own wait count
 * (see call_uring_late); this test is the kernel side: neither ucmd nor
 * io_uring loses such a completion or its wake-up.
 */
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

#include "helpers.h"

#define STALL_MS 5000

struct variant {
	const char *name;
	unsigned int iters; /* submissions */
	unsigned int batch; /* SLEEPs per submission */
	uint64_t min_ns, max_ns;
	unsigned int sqe_flags;
	unsigned int ring_flags;
};

#define R128 (IORING_SETUP_SQE128 | IORING_SETUP_CQE32)
static const struct variant variants[] = {
	{ "1-3 us", 3000, 1, 1000, 3000, 0, 0 },
	{ "1-3 us, SQE128/CQE32", 3000, 1, 1000, 3000, 0, R128 },
	{ "0 us", 2000, 1, 0, 0, 0, 0 },
	{ "0 us, SQE128/CQE32", 2000, 1, 0, 0, 0, R128 },
	{ "20-200 us", 1000, 1, 20000, 200000, 0, 0 },
	{ "1-3 us IOSQE_ASYNC", 1000, 1, 1000, 3000, IOSQE_ASYNC, 0 },
	{ "batches of 8, 0-3 us", 400, 8, 0, 3000, 0, 0 },
};

/* What one run of a variant saw. */
struct outcome {
	unsigned int done; /* completions reaped */
	unsigned int bad; /* wrong user_data or result */
	unsigned int lost; /* waits that timed out (timeout mode) or stalls (child mode) */
	unsigned int late; /* of those: the CQE came with one more io_uring_enter() or a signal */
	unsigned int entered; /* waits that found no CQE and entered the kernel */
	uint64_t worst_ns; /* longest wait that returned a completion */
	int err; /* first unexpected error */
};

static uint64_t seed = 0x5e9a7a7e11ULL;
/* Submissions of a variant: a quarter on the debug kernels, where nearly every wait sleeps. */
static unsigned int iters_div = 1;
#define ITERS(v) ((v)->iters / iters_div)

/* Queues @v->batch SLEEPs with user_data @base + k and submits them with io_uring_submit(). */
static int submit_batch(struct io_uring *ring, int fd, const struct variant *v, uint64_t base)
{
	for (unsigned int k = 0; k < v->batch; k++) {
		struct ucmd_demo_sleep s = { .tag = base + k };
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

		s.nsec = v->min_ns + t_rand(&seed, v->max_ns - v->min_ns + 1);
		if (!sqe || ucmd_prep(ring, sqe, fd, UCMD_DEMO_SLEEP, &s, sizeof(s)))
			return -ENOSPC;
		sqe->flags |= v->sqe_flags;
		io_uring_sqe_set_data64(sqe, base + k);
	}
	return io_uring_submit(ring);
}

/* Accounts one CQE of the batch at @base. */
static void take(struct io_uring *ring, struct io_uring_cqe *cqe, const struct variant *v,
		 uint64_t base, struct outcome *o)
{
	if (cqe->res != 0 || cqe->user_data < base || cqe->user_data >= base + v->batch) {
		if (!o->bad++)
			t_diag("%s: unexpected CQE user_data %llu res %d (batch from %llu)",
			       v->name, (unsigned long long)cqe->user_data, cqe->res,
			       (unsigned long long)base);
	}
	o->done++;
	io_uring_cqe_seen(ring, cqe);
}

/* The framework's commands in flight on the demo device (-1 if unreadable). */
static long long inflight(void)
{
	struct ucmd_stats st;

	if (ucmd_stats_read(t_dev_path(), &st) < 0)
		return -1;
	return (long long)st.inflight;
}

/* A wait of 5 s that timed out: what the kernel has for us.  Returns true if the CQE came late. */
static bool timed_out(struct io_uring *ring, const struct variant *v, unsigned int i, uint64_t base,
		      struct outcome *o)
{
	struct __kernel_timespec ts = { .tv_sec = 1 };
	struct io_uring_cqe *cqe;
	unsigned int ready = io_uring_cq_ready(ring);
	long long fl = inflight();
	int ret;

	/* One more io_uring_enter() runs any task_work the waiter was not woken for. */
	ret = io_uring_wait_cqe_timeout(ring, &cqe, &ts);
	t_diag("%s: submission %u: no CQE within %d ms; CQ ready %u, framework inflight %lld; "
	       "one more wait: %s",
	       v->name, i, STALL_MS, ready, fl, ret ? strerror(-ret) : "the CQE came");
	if (ret)
		return false;
	take(ring, cqe, v, base, o);
	return true;
}

/* Waits for the @v->batch completions of the batch at @base, each with a timeout. */
static bool wait_batch_timeout(struct io_uring *ring, const struct variant *v, unsigned int i,
			       uint64_t base, struct outcome *o)
{
	for (unsigned int k = 0; k < v->batch; k++) {
		struct __kernel_timespec ts = { .tv_sec = STALL_MS / 1000 };
		struct io_uring_cqe *cqe;
		uint64_t t0 = t_now_ns(), dt;
		int ret;

		if (io_uring_peek_cqe(ring, &cqe))
			o->entered++;
		do {
			ret = io_uring_wait_cqe_timeout(ring, &cqe, &ts);
		} while (ret == -EINTR);
		dt = t_now_ns() - t0;
		if (ret == -ETIME) {
			o->lost++;
			if (timed_out(ring, v, i, base, o))
				o->late++;
			return false; /* the rest of the batch is not worth waiting for */
		}
		if (ret) {
			o->err = ret;
			return false;
		}
		if (dt > o->worst_ns)
			o->worst_ns = dt;
		take(ring, cqe, v, base, o);
	}
	return true;
}

/* Runs @v with waits that time out after 5 s, in this process. */
static void run_timeout(int fd, const struct variant *v, struct outcome *o)
{
	struct io_uring ring;

	memset(o, 0, sizeof(*o));
	t_ring(&ring, 16, v->ring_flags);
	for (unsigned int i = 0; i < ITERS(v); i++) {
		uint64_t base = (uint64_t)i * v->batch;
		int ret = submit_batch(&ring, fd, v, base);

		if (ret != (int)v->batch) {
			o->err = ret < 0 ? ret : -EIO;
			break;
		}
		if (!wait_batch_timeout(&ring, v, i, base, o))
			break;
	}
	io_uring_queue_exit(&ring);
}

/* Shared between the parent and the child of run_child(). */
struct watch {
	unsigned int progress; /* completions reaped */
	unsigned int eintr; /* waits a signal interrupted */
	unsigned int finished;
	struct outcome o;
};

static void on_usr1(int sig)
{
	(void)sig;
}

/* The child of run_child(): its own ring, plain io_uring_wait_cqe(), progress into @w. */
static noreturn void child_loop(int fd, const struct variant *v, struct watch *w)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct io_uring ring;

	sigaction(SIGUSR1, &sa, NULL); /* no SA_RESTART: the wait returns -EINTR */
	if (ucmd_ring_init(&ring, 16, v->ring_flags) < 0)
		_exit(2);
	for (unsigned int i = 0; i < ITERS(v); i++) {
		uint64_t base = (uint64_t)i * v->batch;

		if (submit_batch(&ring, fd, v, base) != (int)v->batch)
			_exit(3);
		for (unsigned int k = 0; k < v->batch; k++) {
			struct io_uring_cqe *cqe;
			int ret;

			uint64_t t0 = t_now_ns();

			if (io_uring_peek_cqe(&ring, &cqe))
				w->o.entered++;
			while ((ret = io_uring_wait_cqe(&ring, &cqe)) == -EINTR)
				__atomic_add_fetch(&w->eintr, 1, __ATOMIC_SEQ_CST);
			if (ret)
				_exit(4);
			if (t_now_ns() - t0 > w->o.worst_ns)
				w->o.worst_ns = t_now_ns() - t0;
			if (cqe->res != 0 || cqe->user_data < base ||
			    cqe->user_data >= base + v->batch)
				w->o.bad++;
			io_uring_cqe_seen(&ring, cqe);
			__atomic_add_fetch(&w->progress, 1, __ATOMIC_SEQ_CST);
		}
	}
	__atomic_store_n(&w->finished, 1, __ATOMIC_SEQ_CST);
	_exit(0);
}

/* Runs @v in a child that waits without a timeout, watched by this process. */
static void run_child(int fd, const struct variant *v, struct outcome *o)
{
	struct watch *w =
		mmap(NULL, sizeof(*w), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct t_stall st;
	int status;
	pid_t pid;

	memset(o, 0, sizeof(*o));
	if (w == MAP_FAILED)
		t_bail("mmap: %s", strerror(errno));
	memset(w, 0, sizeof(*w));
	pid = t_fork();
	if (pid == 0)
		child_loop(fd, v, w);
	status = t_watch_child(pid, &w->progress, STALL_MS, SIGUSR1, &st);
	o->lost = st.stalled;
	o->late = st.resumed;
	o->done = w->progress;
	o->bad = w->o.bad;
	o->entered = w->o.entered;
	o->worst_ns = w->o.worst_ns;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		o->err = WIFEXITED(status) ? -WEXITSTATUS(status) : -EINTR;
	if (w->eintr)
		t_diag("%s: %u waits ended by the watcher's signal", v->name, w->eintr);
	munmap(w, sizeof(*w));
}

static void report(const char *mode, const struct variant *v, const struct outcome *o, uint64_t ns)
{
	unsigned int want = ITERS(v) * v->batch;

	t_diag("%s, %s: %u of %u completions in %llu ms; %u waits entered the kernel, the "
	       "longest took %llu us",
	       mode, v->name, o->done, want, (unsigned long long)(ns / T_NS_PER_MS), o->entered,
	       (unsigned long long)(o->worst_ns / 1000));
	t_eq(o->lost, 0,
	     "%s, %s: no completion lost (%u late: woken only by another "
	     "io_uring_enter() or a signal)",
	     mode, v->name, o->late);
	t_ok(o->done == want && !o->bad && !o->err,
	     "%s, %s: all %u SLEEPs completed with 0, each once (bad %u, error %d)", mode, v->name,
	     want, o->bad, o->err);
}

int main(void)
{
	struct ucmd_stats before, after;
	int fd;

	t_init();
	t_require_device();
	iters_div = t_debug_kernel() ? 4 : 1;
	fd = t_open(O_RDWR);
	t_stats(&before);
	for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		const struct variant *v = &variants[i];
		struct outcome o;
		uint64_t t0 = t_now_ns();

		run_child(fd, v, &o);
		report("plain wait", v, &o, t_now_ns() - t0);
		t0 = t_now_ns();
		run_timeout(fd, v, &o);
		report("5 s timeout", v, &o, t_now_ns() - t0);
	}
	t_ok(t_wait_idle(&after, 5000), "the framework settles: nothing in flight");
	t_eq(t_imbalance(&after), t_imbalance(&before),
	     "the counters balance: every issued SLEEP completed");
	close(fd);
	return t_done();
}
