// SPDX-License-Identifier: GPL-2.0
/* call_uring_late.c - ucmd_call_uring() returns when its completion arrives while it looks through the caller's unseen completions: it never waits for one completion more than will come. */
/*
 * The caller leaves NKEEP NOP completions of its own unseen in the CQ ring.
 * Each ucmd_call_uring() of a 0-200 us SLEEP then finds completions at once
 * and looks through all of them for its own; under QEMU that takes long
 * enough that the SLEEP's timer often fires meanwhile.  The interrupt
 * returns to user space through the task_work that posts the CQE, so the
 * CQE lands behind the ones being looked through.  libucmd before this test
 * counted the ready completions again after looking and waited for one more
 * than that: for a completion that never comes (2 hangs in 2 runs of 1000
 * plain calls on 7.2; here within the first calls on every kernel).
 * The calls run in a child that the parent watches (t_watch_child()).
 */
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "helpers.h"

#define NKEEP 1000 /* the caller's unseen completions */
#define NCALLS 1500
#define STALL_MS 5000

struct shared {
	unsigned int calls; /* calls that returned 0 */
	int bad_ret; /* the first other result */
	unsigned int kept; /* the caller's completions still there, in order, at the end */
};

/* Queues and submits NKEEP NOPs with user_data 0..NKEEP-1 and waits until all completed. */
static bool fill_caller(struct io_uring *ring)
{
	struct io_uring_cqe *cqe;

	for (unsigned int i = 0; i < NKEEP; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

		if (!sqe) {
			if (io_uring_submit(ring) < 0)
				return false;
			sqe = io_uring_get_sqe(ring);
			if (!sqe)
				return false;
		}
		io_uring_prep_nop(sqe);
		io_uring_sqe_set_data64(sqe, i);
	}
	return io_uring_submit(ring) >= 0 && io_uring_wait_cqe_nr(ring, &cqe, NKEEP) == 0 &&
	       io_uring_cq_ready(ring) == NKEEP;
}

/* How many of the caller's completions are still at the head of the CQ ring, in order. */
static unsigned int count_kept(struct io_uring *ring)
{
	unsigned int head = *ring->cq.khead, n = 0;

	while (n < io_uring_cq_ready(ring)) {
		/* A ring of 16-byte CQEs. */
		if (ring->cq.cqes[(head + n) & *ring->cq.kring_mask].user_data != n)
			break;
		n++;
	}
	return n;
}

static noreturn void child(struct shared *sh)
{
	uint64_t seed = 0xca11a7e5ULL;
	struct io_uring ring;
	int fd = ucmd_open(t_dev_path(), O_RDWR);

	/* 2048 CQ entries: room for the caller's and for a call's. */
	if (fd < 0 || ucmd_ring_init(&ring, 1024, 0) < 0 || !fill_caller(&ring))
		_exit(2);
	for (unsigned int i = 0; i < NCALLS; i++) {
		struct ucmd_demo_sleep s = { .nsec = t_rand(&seed, 200001), .tag = i };
		int ret = ucmd_call_uring(&ring, fd, UCMD_DEMO_SLEEP, &s, sizeof(s), NULL);

		if (ret) {
			sh->bad_ret = ret;
			break;
		}
		__atomic_add_fetch(&sh->calls, 1, __ATOMIC_SEQ_CST);
	}
	sh->kept = count_kept(&ring);
	_exit(0);
}

int main(void)
{
	struct shared *sh =
		mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct ucmd_stats before, after;
	struct t_stall st;
	uint64_t t0;
	pid_t pid;
	int status;

	t_init();
	t_require_device();
	if (sh == MAP_FAILED)
		t_bail("mmap: %s", strerror(errno));
	memset(sh, 0, sizeof(*sh));
	t_stats(&before);
	t0 = t_now_ns();
	pid = t_fork();
	if (pid == 0)
		child(sh);
	status = t_watch_child(pid, &sh->calls, STALL_MS, 0, &st);
	t_diag("%u calls in %llu ms", sh->calls,
	       (unsigned long long)((t_now_ns() - t0) / T_NS_PER_MS));
	t_ok(!st.stalled, "no call hangs with its completion in the CQ ring");
	t_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	     "the child set up its ring and %u caller's completions, and exited (status 0x%x)",
	     NKEEP, status);
	t_ok(sh->calls == NCALLS && !sh->bad_ret, "all %u calls returned 0 (%u did; other: %d)",
	     NCALLS, sh->calls, sh->bad_ret);
	t_eq(sh->kept, NKEEP, "the caller's %u completions are still there, unseen and in order",
	     NKEEP);
	t_ok(t_wait_idle(&after, 5000), "nothing left in flight");
	t_eq(t_imbalance(&after), t_imbalance(&before), "the counters balance");
	return t_done();
}
