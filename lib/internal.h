/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* internal.h - declarations shared by libucmd's source files, not installed. */
#ifndef LIBUCMD_INTERNAL_H
#define LIBUCMD_INTERNAL_H

#include "libucmd.h"

/*
 * None of these is part of the API: the shared library exports only what
 * libucmd.map lists, and lib/Makefile makes every other symbol of libucmd.a
 * local (objcopy over the archive's one relocatable object).
 */

/* Get a free SQE of @ring (submitting what is queued if the SQ ring is full), or NULL. */
struct io_uring_sqe *ucmd_get_sqe(struct io_uring *ring);

/* Turn @sqe into a plain IORING_OP_NOP (what a failed prep leaves behind). */
void ucmd_prep_nop(const struct io_uring *ring, struct io_uring_sqe *sqe);

/*
 * Submit what is queued on @ring, @sqe (the last queued, with @user_data)
 * among it, and wait for @sqe's completion; take it out of the CQ ring,
 * leaving every other completion unseen, and return its result (see
 * ucmd_call_uring() for the errors).
 */
int ucmd_submit_wait(struct io_uring *ring, struct io_uring_sqe *sqe, uint64_t user_data,
		     uint64_t *res2);

/*
 * Give @sqe (the last queued on @ring, prepared) a user_data of its own, then
 * ucmd_submit_wait() for it: ucmd_call_uring() for an SQE the caller prepared.
 */
int ucmd_call_sqe(struct io_uring *ring, struct io_uring_sqe *sqe, uint64_t *res2);

#endif /* LIBUCMD_INTERNAL_H */
