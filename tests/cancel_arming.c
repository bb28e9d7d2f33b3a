// SPDX-License-Identifier: GPL-2.0
/* cancel_arming.c - ring exit while a handler that deferred is still arming its work never runs the cancel hook early (no oops), and every command completes or is cancelled. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/ucmd_bench.h>

#include "helpers.h"

#define ROUNDS 150
#define PER_RING 4
/* The handler sleeps this long between ucmd_defer() and arming its timer. */
#define ARM_USEC 3000

/* Submits PER_RING SLOW_ARMs through io-wq and tears the ring down at once. */
static int one_ring(int fd, unsigned int round)
{
	struct io_uring ring;
	uint32_t usec = ARM_USEC;
	int ret;

	ret = ucmd_ring_init(&ring, 8, 0);
	if (ret < 0)
		return ret;
	for (int i = 0; i < PER_RING; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

		ucmd_prep(&ring, sqe, fd, UCMD_BENCH_SLOW_ARM, &usec, sizeof(usec));
		io_uring_sqe_set_flags(sqe, IOSQE_ASYNC);
	}
	ret = io_uring_submit(&ring);
	/* Vary where in the handler's sleep the exit lands. */
	if (round % 3)
		usleep((round % 3) * 1000);
	io_uring_queue_exit(&ring);
	return ret == PER_RING ? 0 : (ret < 0 ? ret : -EIO);
}

int main(void)
{
	struct ucmd_stats s0, st;
	int fd, bad = 0;

	t_init();
	setenv("UCMD_DEVICE", "/dev/ucmd-test", 1);
	fd = t_open(O_RDWR);
	t_stats(&s0);
	for (unsigned int r = 0; r < ROUNDS; r++) {
		int ret = one_ring(fd, r);

		if (ret < 0 && !bad++)
			t_diag("round %u: %s", r, strerror(-ret));
	}
	t_eq(bad, 0, "%d rings of %d SLOW_ARMs submitted and torn down", ROUNDS, PER_RING);
	t_ok(t_wait_idle(&st, 20000), "nothing in flight within 20 s of the last ring exit");
	/* Ring exit may cancel some in io-wq's queue before they reach the driver. */
	t_ok(st.issued - s0.issued > 0 && st.issued - s0.issued <= (uint64_t)ROUNDS * PER_RING,
	     "%llu of %d commands reached the driver", (unsigned long long)(st.issued - s0.issued),
	     ROUNDS * PER_RING);
	t_eq_u64((st.completed_async + st.cancelled) - (s0.completed_async + s0.cancelled),
		 st.issued - s0.issued, "every one that did completed or was cancelled, once");
	t_eq_u64(st.refused - s0.refused, 0, "no protocol refusal");
	t_diag("%llu completed by their timer, %llu cancelled by ring exit",
	       (unsigned long long)(st.completed_async - s0.completed_async),
	       (unsigned long long)(st.cancelled - s0.cancelled));
	close(fd);
	return t_done();
}
