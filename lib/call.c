// SPDX-License-Identifier: LGPL-2.1 OR MIT
/* call.c - libucmd: one synchronous uring command on a ring the caller may share with its own requests. */
#include <errno.h>
#include <string.h>

#include "internal.h"

/* Newer kernels' ring layouts whose CQEs (or SQEs) are of mixed sizes: not handled here. */
#ifndef IORING_SETUP_CQE_MIXED
#define IORING_SETUP_CQE_MIXED (1U << 18)
#endif
#ifndef IORING_SETUP_SQE_MIXED
#define IORING_SETUP_SQE_MIXED (1U << 19)
#endif

/* The per-call numbers in the low 32 bits of user_data; any value will do, wrapping is fine. */
static unsigned int call_seq;

static uint64_t next_user_data(void)
{
	uint32_t seq = __atomic_add_fetch(&call_seq, 1, __ATOMIC_RELAXED);

	return (UCMD_CALL_USER_DATA & UCMD_CALL_USER_DATA_MASK) | seq;
}

struct io_uring_sqe *ucmd_get_sqe(struct io_uring *ring)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe && io_uring_submit(ring) >= 0)
		sqe = io_uring_get_sqe(ring);
	return sqe;
}

/* Entry @i of the CQ ring (a free-running index), 16 or 32 bytes. */
static struct io_uring_cqe *cq_entry(const struct io_uring *ring, unsigned int i)
{
	return &ring->cq.cqes[io_uring_cqe_index(ring, i, *ring->cq.kring_mask)];
}

/*
 * Consume entry @head + @k of the CQ ring and keep the @k entries before it,
 * unseen and in their order: move them one slot up and advance the head by
 * one.  Everything from the head to the tail is user space's until the head
 * moves past it (the kernel writes only at the tail), and the head is
 * published with a store-release after the moves.
 */
static void cq_take(struct io_uring *ring, unsigned int k)
{
	size_t size = sizeof(struct io_uring_cqe) << io_uring_cqe_shift(ring);
	unsigned int head = *ring->cq.khead;

	for (; k > 0; k--)
		memmove(cq_entry(ring, head + k), cq_entry(ring, head + k - 1), size);
	io_uring_cq_advance(ring, 1);
}

/*
 * Look at the @ready completions from the head for the one with @user_data:
 * copy out its result and take it (cq_take()).  Completions of earlier calls
 * that returned before theirs arrived (a user_data tagged as ours with another
 * number) are libucmd's, not the caller's: they are taken too.
 * Return: true if ours was found; if not, *@kept is how many completions
 * were looked at and left in place (the caller's), from the head.
 */
static bool reap_own(struct io_uring *ring, unsigned int ready, uint64_t user_data, int *res,
		     uint64_t *res2, unsigned int *kept)
{
	unsigned int head = *ring->cq.khead, k = 0;

	while (k < ready) {
		struct io_uring_cqe *cqe = cq_entry(ring, head + k);

		if (cqe->user_data == user_data) {
			*res = cqe->res;
			if (res2)
				*res2 = ucmd_cqe_res2(ring, cqe);
			cq_take(ring, k);
			return true;
		}
		if (UCMD_IS_CALL_USER_DATA(cqe->user_data)) {
			cq_take(ring, k); /* a leftover: drop it, look at the same index again */
			head++;
			ready--;
			continue;
		}
		k++;
	}
	*kept = k;
	return false;
}

int ucmd_submit_wait(struct io_uring *ring, struct io_uring_sqe *sqe, uint64_t user_data,
		     uint64_t *res2)
{
	unsigned int ours = ring->sq.sqe_tail - 1, kept;
	struct io_uring_cqe *cqe;
	int ret, res;

	/*
	 * Submit and wait for a first completion in one io_uring_enter(): one
	 * system call fewer than io_uring_submit() and a wait.  (It was made so
	 * as a workaround for a hang on 7.2 with the two calls; that hang was
	 * the count of the wait below, which this order only made rarer.)
	 */
	do {
		ret = io_uring_submit_and_wait(ring, 1);
	} while (ret == -EINTR);
	/*
	 * Without SQPOLL the kernel has consumed the SQEs it took when
	 * io_uring_enter() returned; if ours is not among them (an error, or a
	 * partial submission), it would run at the caller's next submission.
	 * Make it a NOP instead (its completion is a leftover, dropped later).
	 */
	if (!(ring->flags & IORING_SETUP_SQPOLL) && (int)(*ring->sq.khead - ours) <= 0) {
		ucmd_prep_nop(ring, sqe);
		io_uring_sqe_set_data64(sqe, user_data);
		return ret < 0 ? ret : -EAGAIN;
	}
	/*
	 * Wait for one completion more than were looked at, never for one more
	 * than are ready after looking: ours may arrive while we look (its
	 * task_work runs on any return to user space, from an interrupt too),
	 * and a count that includes it waits for a completion that never comes.
	 */
	for (;;) {
		if (reap_own(ring, io_uring_cq_ready(ring), user_data, &res, res2, &kept))
			return res;
		if (kept >= *ring->cq.kring_entries)
			return -EOVERFLOW; /* the caller's completions fill the CQ ring */
		ret = io_uring_wait_cqe_nr(ring, &cqe, kept + 1);
		if (ret < 0 && ret != -EINTR && ret != -ETIME && ret != -EAGAIN)
			return ret;
	}
}

int ucmd_call_sqe(struct io_uring *ring, struct io_uring_sqe *sqe, uint64_t *res2)
{
	uint64_t user_data = next_user_data();

	io_uring_sqe_set_data64(sqe, user_data);
	return ucmd_submit_wait(ring, sqe, user_data, res2);
}

int ucmd_call_uring(struct io_uring *ring, int fd, uint32_t cmd_op, const void *payload, size_t len,
		    uint64_t *res2)
{
	struct io_uring_sqe *sqe;

	if (res2)
		*res2 = 0;
	if (!ring || len > ucmd_ring_payload_size(ring) || (len && !payload) ||
	    (ring->flags & (IORING_SETUP_CQE_MIXED | IORING_SETUP_SQE_MIXED)))
		return -EINVAL;
	sqe = ucmd_get_sqe(ring);
	if (!sqe)
		return -EBUSY;
	ucmd_prep(ring, sqe, fd, cmd_op, payload, len); /* cannot fail: checked above */
	return ucmd_call_sqe(ring, sqe, res2);
}
