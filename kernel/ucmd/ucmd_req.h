/* SPDX-License-Identifier: GPL-2.0 */
/* ucmd_req.h - the request of a deferred command: the inlines its lifetime shares with the entry points. */
#ifndef _UCMD_REQ_H
#define _UCMD_REQ_H

#include <linux/file.h>

#include "ucmd_compat.h"
#include "ucmd_internal.h"

/* The last 8 bytes of io_uring's 32-byte pdu belong to the framework. */
static inline unsigned long *ucmd_slot(struct io_uring_cmd *ioucmd)
{
	BUILD_BUG_ON(UCMD_PDU_SIZE + sizeof(unsigned long) >
		     sizeof_field(struct io_uring_cmd, pdu));
	return (unsigned long *)(ioucmd->pdu + UCMD_PDU_SIZE);
}

static inline u32 ucmd_req_gen(int state)
{
	return (u32)state >> UCMD_R_GEN_SHIFT;
}

static __always_inline void __ucmd_req_free(struct ucmd_req *req)
{
	struct ucmd_dev *ud = req->ud;
	u32 state = atomic_read(&req->state);
	/* The user side gave up first: the request holds the file (ucmd_req_try_cancel()). */
	struct file *file = (state & UCMD_R_CANCELLED) ? req->file : NULL;
	u32 gen = ucmd_req_gen(state) + 1;

	/* A new generation: every token of the old one is now refused. */
	atomic_set(&req->state, (int)(gen << UCMD_R_GEN_SHIFT));
	if (cmpxchg(raw_cpu_ptr(ud->req_cache), NULL, req))
		llist_add(&req->node, &ud->pool);
	this_cpu_dec(*ud->inflight);
	/* The count before the flag; pairs with ucmd_dev_unregister(). */
	smp_mb();
	if (unlikely(READ_ONCE(ud->dying)))
		wake_up_all(&ud->idle);
	/*
	 * Last: the file may hold the last reference on a ucmd_dev_add()
	 * device, which its release frees; nothing here touches @ud after.
	 */
	if (unlikely(file))
		fput(file);
}

/* The result a completed, uncancelled command delivers (after the op's finish). */
static inline int ucmd_req_result(struct ucmd_req *req)
{
	int res = req->res;

	if (req->op->finish) {
		res = req->op->finish(req->priv, res);
		if (unlikely(res < UCMD_ERRNO_USER_MIN)) {
			ucmd_refuse(req->ud, "finish returned a kernel-internal errno");
			res = -EIO;
		}
	}
	return res;
}

void ucmd_req_free(struct ucmd_req *req);
void ucmd_req_iou_done(struct ucmd_req *req);
bool ucmd_req_try_cancel(struct ucmd_req *req);
void ucmd_req_cancel_hook(struct ucmd_req *req);
void ucmd_pool_drain(struct ucmd_dev *ud);

#endif /* _UCMD_REQ_H */
