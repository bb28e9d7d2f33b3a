// SPDX-License-Identifier: GPL-2.0
/* vec.c - UCMD_VEC: one command carrying an array of sub-commands, one completion. */

#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "ucmd_internal.h"

/* Sub-commands are copied in and written back this many at a time. */
#define UCMD_VEC_CHUNK	16

/* Runs one entry with @uc set up by ucmd_vec_run(); the result goes into @e. */
static void ucmd_vec_one(struct ucmd *uc, struct ucmd_vec_entry *e)
{
	int ret;

	BUILD_BUG_ON(sizeof(e->payload) != UCMD_SQE_PAYLOAD);
	memcpy(uc->payload, e->payload, sizeof(e->payload));
	uc->hflags = UCMD_H_VEC;
	uc->res2 = 0;
	/* UCMD_VEC itself is no op: a vector inside a vector is -ENOTTY. */
	ret = ucmd_prepare(uc, e->cmd_op, sizeof(e->payload));
	if (!ret) {
		ret = ucmd_dispatch_sync(uc);
		if (ret == UCMD_QUEUED || ret == UCMD_RETRY)
			ret = -EIO;	/* refused by ucmd_dispatch_sync() already */
	}
	e->res2 = uc->res2;
	e->result = ret;
}

/**
 * ucmd_vec_run() - run the sub-commands of a UCMD_VEC command
 * @ud: the device
 * @file: the file the vector was issued on
 * @vec: the kernel copy of the argument
 *
 * Up to UCMD_VEC_MAX entries run here, in the issuing context (under
 * io_uring's uring_lock for an inline issue): between chunks the task may be
 * rescheduled, and a fatal signal stops the vector.
 *
 * Return: the number of entries run: all of them, unless an entry could not
 * be read, a fatal signal arrived, or a chunk's results could not be written
 * back (that chunk ran and is counted: its entries must not be run again,
 * whatever their results say); -EFAULT if the first chunk could not be read,
 * -EINTR if a fatal signal came before any entry ran.
 */
int ucmd_vec_run(struct ucmd_dev *ud, struct file *file,
		 const struct ucmd_vec *vec)
{
	struct ucmd_vec_entry __user *uents = u64_to_user_ptr(vec->entries);
	struct ucmd_vec_entry ents[UCMD_VEC_CHUNK];
	struct ucmd uc __uninitialized;
	u32 done = 0;

	if (vec->flags || !vec->nr || vec->nr > UCMD_VEC_MAX)
		return -EINVAL;
	uc.ud = ud;
	uc.file = file;
	uc.ioucmd = NULL;
	uc.pdu = uc.local_pdu;
	while (done < vec->nr) {
		u32 i, n = min_t(u32, vec->nr - done, UCMD_VEC_CHUNK);

		if (done) {
			if (fatal_signal_pending(current))
				break;
			cond_resched();
		} else if (fatal_signal_pending(current)) {
			return -EINTR;
		}
		if (copy_from_user(ents, uents + done, n * sizeof(ents[0])))
			break;
		/* Every entry is issued and completed here, counted per chunk. */
		this_cpu_add(ud->stats->issued, n);
		for (i = 0; i < n; i++)
			ucmd_vec_one(&uc, &ents[i]);
		this_cpu_add(ud->stats->completed_sync, n);
		done += n;
		if (copy_to_user(uents + done - n, ents, n * sizeof(ents[0])))
			break;
	}
	return done ? done : -EFAULT;
}
