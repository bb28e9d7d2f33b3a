// SPDX-License-Identifier: GPL-2.0
/* life_cancel_race.c - ring exit racing the SLEEPs' own expiry, 200 rounds of 64: each command ends exactly once (completed or cancelled), never twice. */
/*
 * Each round sets up a ring (plain, CQE32, or SINGLE_ISSUER|DEFER_TASKRUN in
 * turn), submits 64 SLEEPs of 0-200 us, waits 0-200 us, and closes the ring:
 * on kernels that cancel uring commands at ring exit (6.12+) the driver's
 * completion (hrtimer, hard IRQ) races the cancellation.  Afterwards: issued
 * == completed_async + cancelled for exactly 200 * 64 commands, none
 * completed synchronously, and refused unchanged (the framework counts and
 * refuses a second completion of one command there).
 * Bounds: ~1-10 s for the rounds (ring setup dominates), 30 s to settle.
 */
#include <fcntl.h>
#include <unistd.h>

#include "helpers.h"

#define ROUNDS 200
#define PER_ROUND 64

static uint64_t rng = 0x853c49e6748fea9bULL;

static uint64_t rnd(void)
{
	return t_xorshift(&rng);
}

static void spin_ns(uint64_t ns)
{
	uint64_t end = t_now_ns() + ns;

	while (t_now_ns() < end)
		;
}

int main(void)
{
	static const unsigned int kinds[3] = {
		0,
		IORING_SETUP_CQE32,
		IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
	};
	struct ucmd_stats s0, st;
	unsigned int submitted = 0, reaped = 0, defer_ok = 1;
	uint64_t t0;
	int fd;

	t_init();
	fd = t_open(O_RDWR);
	t_wait_idle(&s0, 15000);
	t0 = t_now_ns();
	for (int round = 0; round < ROUNDS; round++) {
		unsigned int flags = kinds[round % 3];
		struct io_uring ring;
		struct io_uring_cqe *cqe;
		int ret;

		if (flags & IORING_SETUP_DEFER_TASKRUN && !defer_ok)
			flags = 0;
		ret = ucmd_ring_init(&ring, PER_ROUND, flags);
		if (ret == -EINVAL && (flags & IORING_SETUP_DEFER_TASKRUN)) {
			defer_ok = 0;
			ret = ucmd_ring_init(&ring, PER_ROUND, 0);
		}
		if (ret)
			t_bail("ring setup: %s", strerror(-ret));
		for (int i = 0; i < PER_ROUND; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
			struct ucmd_demo_sleep s = { .nsec = rnd() % 200001, .tag = (uint64_t)i };

			ucmd_prep(&ring, sqe, fd, UCMD_DEMO_SLEEP, &s, sizeof(s));
			io_uring_sqe_set_data64(sqe, (uint64_t)i);
		}
		ret = io_uring_submit(&ring);
		if (ret != PER_ROUND) {
			t_ok(false, "round %d: submit returned %d", round, ret);
			break;
		}
		submitted += PER_ROUND;
		spin_ns(rnd() % 200001);
		/* Whatever already arrived is reaped; the rest is left to the ring exit. */
		while (io_uring_peek_cqe(&ring, &cqe) == 0) {
			reaped++;
			io_uring_cqe_seen(&ring, cqe);
		}
		io_uring_queue_exit(&ring);
	}
	t_eq(submitted, ROUNDS * PER_ROUND, "%d rounds of %d SLEEPs (0-200 us) submitted", ROUNDS,
	     PER_ROUND);
	t_diag("rounds took %" PRIu64 " ms; %u completions reaped before the ring exits%s",
	       (t_now_ns() - t0) / T_NS_PER_MS, reaped, defer_ok ? "" : " (no DEFER_TASKRUN)");
	close(fd);
	t_settle("after all rounds", &s0, submitted, 0, -1, 30000, &st);
	t_diag("%" PRIu64 " cancelled, %" PRIu64 " completed by the driver",
	       st.cancelled - s0.cancelled, st.completed_async - s0.completed_async);
	return t_done();
}
