// SPDX-License-Identifier: GPL-2.0
/* req.c - the lifetime of a deferred command's request: pool, ucmd_defer() and the exactly-once completion. */

#include <linux/module.h>
#include <linux/slab.h>

#include "ucmd_req.h"
#include "ucmd_trace.h"

/* No request in this CPU's slot: the pool, a new one, or -EBUSY at the bound. */
static noinline struct ucmd_req *ucmd_req_alloc_slow(struct ucmd_dev *ud)
{
	struct llist_node *node;
	struct ucmd_req *req;
	bool grow = false;
	int cpu;

	spin_lock(&ud->pool_lock);
	node = llist_del_first(&ud->pool);
	if (!node && ud->nr_reqs < ud->max_inflight) {
		ud->nr_reqs++;
		grow = true;
	}
	spin_unlock(&ud->pool_lock);
	if (node)
		return llist_entry(node, struct ucmd_req, node);
	if (grow) {
		req = kmalloc(struct_size(req, priv,
					  DIV_ROUND_UP(ud->req_priv_size, sizeof(u64))),
			      GFP_KERNEL);
		if (req) {
			req->ud = ud;
			atomic_set(&req->state, 0);
			/* Published whole: ucmd_dev_remove() walks the list without the lock. */
			spin_lock(&ud->pool_lock);
			list_add_tail_rcu(&req->all, &ud->reqs);
			spin_unlock(&ud->pool_lock);
			return req;
		}
		spin_lock(&ud->pool_lock);
		ud->nr_reqs--;
		spin_unlock(&ud->pool_lock);
		return ERR_PTR(-ENOMEM);
	}
	/* Every request exists: one idle in another CPU's slot is free too. */
	for_each_possible_cpu(cpu) {
		req = xchg(per_cpu_ptr(ud->req_cache, cpu), NULL);
		if (req)
			return req;
	}
	return ERR_PTR(-EBUSY);
}

/*
 * Requests come from a per-device pool and go back to it: their memory stays
 * valid while the device exists, so a stale token is always safe to check
 * (its generation no longer matches) and is refused instead of reaching a
 * reused command.  The pool is freed when the device is unregistered (or,
 * for a device added with ucmd_dev_add(), released).  Each
 * CPU keeps one request aside in a slot taken and filled with one locked
 * instruction (so that the slow path may take it from another CPU); at most
 * max_inflight requests exist, which is the bound on commands in flight.
 */
static __always_inline struct ucmd_req *ucmd_req_alloc(struct ucmd_dev *ud)
{
	return xchg(raw_cpu_ptr(ud->req_cache), NULL);
}

noinline void ucmd_req_free(struct ucmd_req *req)
{
	__ucmd_req_free(req);
}

/* Every request is free (in the pool or a CPU's slot): all go. */
void ucmd_pool_drain(struct ucmd_dev *ud)
{
	struct ucmd_req *req, *tmp;

	list_for_each_entry_safe(req, tmp, &ud->reqs, all)
		kfree(req);
	INIT_LIST_HEAD(&ud->reqs);
}

/*
 * The user side is done with the request (the CQE was posted, or the ioctl
 * caller returned); whoever sets the second done bit frees the request.
 */
void ucmd_req_iou_done(struct ucmd_req *req)
{
	unsigned int both = UCMD_R_DRV_DONE | UCMD_R_IOU_DONE;
	/* Each done bit is set once: an add sets it. */
	unsigned int old = atomic_fetch_add(UCMD_R_IOU_DONE, &req->state);

	if (((old | UCMD_R_IOU_DONE) & both) == both)
		__ucmd_req_free(req);
}

/**
 * ucmd_defer() - make the current command asynchronous
 * @uc: the command; its op must have %UCMD_F_ASYNC
 * @tok: receives the token that completes the command (ucmd_complete())
 *
 * Call at most once, from the handler, before starting the work that will
 * complete the command; then return %UCMD_QUEUED.  The file stays referenced
 * until the driver has completed the command, also when user space cancelled
 * it first.
 *
 * Until the handler returns, the command cannot be cancelled (the op's
 * cancel hook never runs before the handler has armed its work), and a
 * ucmd_complete() made meanwhile is posted when the handler returns, inline.
 *
 * Context: process context; may sleep (allocates with GFP_KERNEL; it is no
 * rescheduling point, but debug kernels check it as one).
 *
 * Return: the driver's zeroed per-command state (&ucmd_dev.req_priv_size
 * bytes, 8-byte aligned), or an ERR_PTR: -ENOMEM, -EBUSY (too many commands
 * in flight), -EOPNOTSUPP (inside a vectored command), -EINVAL (not async).
 */
void *ucmd_defer(struct ucmd *uc, struct ucmd_token *tok)
{
	struct ucmd_dev *ud = uc->ud;
	struct ucmd_req *req;
	int state;

	/* The check of might_sleep() without its rescheduling point. */
	__might_sleep(__FILE__, __LINE__);
	if (unlikely((uc->hflags & (UCMD_H_VEC | UCMD_H_DEFERRED)) ||
		     !(uc->op->flags & UCMD_F_ASYNC))) {
		if (uc->hflags & UCMD_H_VEC)
			return ERR_PTR(-EOPNOTSUPP);
		ucmd_refuse(ud, "deferring a sync command, or deferring twice");
		return ERR_PTR(-EINVAL);
	}
	req = ucmd_req_alloc(ud);
	if (unlikely(!req)) {
		req = ucmd_req_alloc_slow(ud);
		if (IS_ERR(req))
			return req;
	}
	this_cpu_inc(*ud->inflight);
	req->op = uc->op;
	req->ioucmd = uc->ioucmd;
	/* io_uring's request or the ioctl caller holds the file meanwhile. */
	req->file = uc->file;
	req->cqe32 = uc->hflags & UCMD_H_CQE32;
	if (uc->ioucmd)
		*ucmd_slot(uc->ioucmd) = (unsigned long)req;
	else
		init_completion(&req->done);
	if (ud->req_priv_size)
		memset(req->priv, 0, ud->req_priv_size);
	uc->hflags |= UCMD_H_DEFERRED;
	/*
	 * Only stale tokens (another generation) can look at the state now, and
	 * they never write it: a plain store is enough.
	 */
	state = atomic_read(&req->state);
	atomic_set(&req->state, state | UCMD_R_ISSUING | UCMD_R_LIVE);
	uc->tok.req = req;
	uc->tok.gen = ucmd_req_gen(state);
	*tok = uc->tok;
	return req->priv;
}
EXPORT_SYMBOL_GPL(ucmd_defer);

UCMD_TW_CB(ucmd_tw_done)
{
	struct ucmd_req *req = (struct ucmd_req *)*ucmd_slot(ioucmd);
	struct ucmd_dev *ud = req->ud;
	int res = ucmd_req_result(req);

	trace_ucmd_complete(ud, req->op->cmd, res, true);
	/*
	 * Without cancellation nothing else reads the slot: clear it, so that
	 * the next command in this request takes the common issue path.
	 */
	if (!UCMD_HAVE_KERNEL_REISSUE && !UCMD_CAN_CANCEL)
		*ucmd_slot(ioucmd) = 0;
	ucmd_compat_done(ioucmd, res, req->res2, req->cqe32, issue_flags);
	ucmd_stat_inc(ud, completed_async);
	ucmd_req_iou_done(req);
}

/**
 * ucmd_complete_res2() - complete a deferred command with a second result
 * @tok: the token ucmd_defer() returned
 * @res: the result
 * @res2: the second result, seen on CQE32 rings
 *
 * Callable from any context, including hard IRQ.  The CQE is posted from
 * task_work, with the issue_flags of that context; or, when the handler that
 * deferred the command has not returned yet, by the framework as the handler
 * returns.  A kernel-internal errno (below -511) is refused and becomes -EIO.
 *
 * Return: as ucmd_complete().
 */
int ucmd_complete_res2(struct ucmd_token tok, int res, u64 res2)
{
	struct ucmd_req *req = tok.req;
	int old;

	if (!req)
		goto refused;
	old = atomic_read(&req->state);
	do {
		if (ucmd_req_gen(old) != tok.gen || (old & UCMD_R_DRV_DONE))
			goto refused;
	} while (!atomic_try_cmpxchg(&req->state, &old, old | UCMD_R_DRV_DONE));

	if (old & UCMD_R_CANCELLED) {
		if (old & UCMD_R_IOU_DONE)
			ucmd_req_free(req);
		return -ECANCELED;
	}
	if (unlikely(res < UCMD_ERRNO_USER_MIN)) {
		ucmd_refuse(req->ud, "completion with a kernel-internal errno");
		res = -EIO;
	}
	req->res = res;
	req->res2 = res2;
	/*
	 * The handler still runs: hand it the result (fully ordered; only the
	 * winner of UCMD_R_DRV_DONE sets UCMD_R_RESULT, so an add sets it).
	 */
	if ((old & UCMD_R_ISSUING) &&
	    (atomic_fetch_add(UCMD_R_RESULT, &req->state) & UCMD_R_ISSUING))
		return 0;
	if (req->ioucmd)
		ucmd_compat_complete_in_task(req->ioucmd, ucmd_tw_done,
					     req->op->flags & UCMD_F_LAZY);
	else
		complete(&req->done);
	return 0;

refused:
	ucmd_refuse(req ? req->ud : NULL,
		    "command completed twice or never deferred");
	return -EALREADY;
}
EXPORT_SYMBOL_GPL(ucmd_complete_res2);
