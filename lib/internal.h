/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* internal.h - declarations shared by libucmd's source files, not installed. */
#ifndef LIBUCMD_INTERNAL_H
#define LIBUCMD_INTERNAL_H

#include "ucmd.h"

/* Get a free SQE of @ring, or NULL if the submission queue is full. */
struct io_uring_sqe *ucmd_get_sqe(struct io_uring *ring);

/* Turn @sqe into a plain IORING_OP_NOP (what a failed prep leaves behind). */
void ucmd_prep_nop(const struct io_uring *ring, struct io_uring_sqe *sqe);

/*
 * Submit what is queued on @ring and wait for the completion whose
 * user_data is UCMD_CALL_USER_DATA; consume it and return its result.
 */
int ucmd_submit_wait(struct io_uring *ring, uint64_t *res2);

#endif /* LIBUCMD_INTERNAL_H */
