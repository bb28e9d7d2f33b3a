// SPDX-License-Identifier: GPL-2.0
/* ucmd_core.c - dispatch, checks, payload copy and the exactly-once completion of ucmd. */

#include <linux/capability.h>
#include <linux/file.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "ucmd_compat.h"
#include "ucmd_internal.h"

#define CREATE_TRACE_POINTS
#include "ucmd_trace.h"

/* Marks a command that returned UCMD_RETRY, on kernels that do not flag reissues. */
#define UCMD_REISSUE_MAGIC	0x75636d6472657472UL

static bool ucmd_warn_refusals = true;

/* The last 8 bytes of io_uring's 32-byte pdu belong to the framework. */
static inline unsigned long *ucmd_slot(struct io_uring_cmd *ioucmd)
{
	BUILD_BUG_ON(UCMD_PDU_SIZE + sizeof(unsigned long) >
		     sizeof_field(struct io_uring_cmd, pdu));
	return (unsigned long *)(ioucmd->pdu + UCMD_PDU_SIZE);
}

static inline unsigned long ucmd_reissue_mark(struct io_uring_cmd *ioucmd)
{
	return UCMD_REISSUE_MAGIC ^ (unsigned long)ioucmd ^ ioucmd->cmd_op;
}

/* Bytes of the command area an op uses: its argument or a pointer. */
static unsigned int ucmd_inline_size(u32 cmd)
{
	switch (_IOC_DIR(cmd)) {
	case _IOC_NONE:
		return 0;
	case _IOC_WRITE:
		return _IOC_SIZE(cmd);
	default:
		return sizeof(u64);
	}
}

/* What dispatch checks for @op beyond its payload's unused bytes: UCMD_E_*. */
unsigned int ucmd_op_need(const struct ucmd_op *op)
{
	unsigned int need = 0;

	if (op->flags & UCMD_F_WRITE)
		need |= UCMD_E_WRITE;
	if (op->flags & UCMD_F_ADMIN)
		need |= UCMD_E_ADMIN;
	if ((op->flags & UCMD_F_SQE128) ||
	    ucmd_inline_size(op->cmd) > UCMD_SQE_PAYLOAD)
		need |= UCMD_E_SQE128;
	if (op->flags & UCMD_F_CQE32)
		need |= UCMD_E_CQE32;
	if (_IOC_DIR(op->cmd) == (_IOC_READ | _IOC_WRITE))
		need |= UCMD_E_INDIRECT;
	return need;
}

/* The rest of ucmd_prepare(): rights, ring needs, SQE128 rings and ioctl. */
int ucmd_prepare_slow(struct ucmd *uc, const struct ucmd_entry *e,
		      unsigned int area)
{
	u32 cmd = e->op->cmd;
	unsigned int need = ucmd_op_need(e->op), used = ucmd_inline_size(cmd);

	BUILD_BUG_ON((UCMD_E_SQE128 ^ UCMD_H_SQE128) |
		     (UCMD_E_CQE32 ^ UCMD_H_CQE32));
	if ((need & UCMD_E_WRITE) && !(uc->file->f_mode & FMODE_WRITE))
		return -EBADF;
	if ((need & UCMD_E_ADMIN) && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (area) {
		/* io_uring or UCMD_VEC: the argument or pointer came inline. */
		if (used > area ||
		    ucmd_tail_nonzero(uc->payload, used, area))
			return -EINVAL;
		unsigned int ring = need & (UCMD_E_SQE128 | UCMD_E_CQE32);

		/* A vector's entries have neither a wide SQE nor a wide CQE. */
		if (ring & ((uc->hflags & UCMD_H_VEC) ? ~0U : ~uc->hflags))
			return -EINVAL;
		uc->out = u64_to_user_ptr(uc->payload[0]);
	}
	if ((need & UCMD_E_INDIRECT) &&
	    copy_from_user(uc->payload, uc->out, _IOC_SIZE(cmd)))
		return -EFAULT;
	return 0;
}

void ucmd_refuse(struct ucmd_dev *ud, const char *what)
{
	if (ud)
		ucmd_stat_inc(ud, refused);
	WARN_ONCE(ucmd_warn_refusals, "ucmd: %s: %s (driver bug)\n",
		  ud ? ud->misc.name : "?", what);
}

/**
 * ucmd_set_warn_refusals() - silence the refusal warning (framework self-tests)
 * @on: warn (default) or not
 */
void ucmd_set_warn_refusals(bool on)
{
	ucmd_warn_refusals = on;
}
EXPORT_SYMBOL_GPL(ucmd_set_warn_refusals);

/* The unusual handler results of ucmd_dispatch_sync(), out of line. */
int ucmd_dispatch_fixup(struct ucmd *uc, int ret)
{
	if (uc->hflags & UCMD_H_DEFERRED) {
		if (ret != UCMD_QUEUED)
			ucmd_refuse(uc->ud, "handler deferred but returned a result");
		return UCMD_QUEUED;
	}
	if (ret == UCMD_QUEUED) {
		ucmd_refuse(uc->ud, "UCMD_QUEUED without ucmd_defer()");
		return -EIO;
	}
	if (ret == UCMD_RETRY) {
		if (uc->hflags & UCMD_H_NONBLOCK)
			return UCMD_RETRY;
		ucmd_refuse(uc->ud, "UCMD_RETRY from a context that may block");
		return -EIO;
	}
	if (ret >= UCMD_ERRNO_USER_MIN)
		return ret;
	/* The ioctl syscall path turns the -ERESTART* family into a restart. */
	if (!(uc->hflags & UCMD_H_URING) && ret >= -ERESTART_RESTARTBLOCK &&
	    ret <= -ERESTARTSYS)
		return ret;
	ucmd_refuse(uc->ud, "handler returned a kernel-internal errno");
	return -EIO;
}

/**
 * ucmd_copy_out() - write a command's output through its user pointer
 * @uc: an _IOR or _IOWR command
 * @src: the output
 * @len: at most _IOC_SIZE() of the command
 *
 * Return: 0, -EFAULT, or -EINVAL when the command has no output.
 */
int ucmd_copy_out(struct ucmd *uc, const void *src, size_t len)
{
	u32 cmd = uc->op->cmd;

	if (WARN_ON_ONCE(!(_IOC_DIR(cmd) & _IOC_READ) || len > _IOC_SIZE(cmd)))
		return -EINVAL;
	return copy_to_user(uc->out, src, len) ? -EFAULT : 0;
}
EXPORT_SYMBOL_GPL(ucmd_copy_out);

static inline u32 ucmd_req_gen(int state)
{
	return (u32)state >> UCMD_R_GEN_SHIFT;
}

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
 * reused command.  The pool is freed when the device is unregistered.  Each
 * CPU keeps one request aside in a slot taken and filled with one locked
 * instruction (so that the slow path may take it from another CPU); at most
 * max_inflight requests exist, which is the bound on commands in flight.
 */
static __always_inline struct ucmd_req *ucmd_req_alloc(struct ucmd_dev *ud)
{
	return xchg(raw_cpu_ptr(ud->req_cache), NULL);
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
	if (unlikely(file))
		fput(file);
	this_cpu_dec(*ud->inflight);
	/* The count before the flag; pairs with ucmd_dev_unregister(). */
	smp_mb();
	if (unlikely(READ_ONCE(ud->dying)))
		wake_up_all(&ud->idle);
}

static noinline void ucmd_req_free(struct ucmd_req *req)
{
	__ucmd_req_free(req);
}

static void ucmd_pool_drain(struct ucmd_dev *ud)
{
	struct ucmd_req *req, *tmp;
	int cpu;

	llist_for_each_entry_safe(req, tmp, llist_del_all(&ud->pool), node)
		kfree(req);
	for_each_possible_cpu(cpu)
		kfree(*per_cpu_ptr(ud->req_cache, cpu));
}

/* Sets one side's done bit; whoever sets the second one frees the request. */
static void ucmd_req_put(struct ucmd_req *req, unsigned int bit)
{
	unsigned int both = UCMD_R_DRV_DONE | UCMD_R_IOU_DONE;
	/* Each done bit is set once: an add sets it. */
	unsigned int old = atomic_fetch_add(bit, &req->state);

	if (((old | bit) & both) == both)
		__ucmd_req_free(req);
}

/*
 * The user side gives up on the command; false if the driver completed
 * first.  The driver may still run for a while: from now on the request
 * holds the file (and so the module and device) until it is freed, which
 * io_uring or the ioctl caller no longer does for it.
 */
static bool ucmd_req_try_cancel(struct ucmd_req *req)
{
	int old = atomic_read(&req->state);

	do {
		/* While its handler runs, a command cannot be cancelled yet. */
		if (old & (UCMD_R_DRV_DONE | UCMD_R_CANCELLED | UCMD_R_ISSUING))
			return false;
	} while (!atomic_try_cmpxchg(&req->state, &old, old | UCMD_R_CANCELLED));
	/* Before the user side's done bit: no free can come earlier. */
	get_file(req->file);
	ucmd_stat_inc(req->ud, cancelled);
	return true;
}

static void ucmd_req_cancel_hook(struct ucmd_req *req)
{
	struct ucmd_token tok = {
		.req = req,
		.gen = ucmd_req_gen(atomic_read(&req->state)),
	};

	if (req->op->cancel)
		req->op->cancel(tok, req->priv);
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

/* The result a completed, uncancelled command delivers (after the op's finish). */
static int ucmd_req_result(struct ucmd_req *req)
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
	ucmd_req_put(req, UCMD_R_IOU_DONE);
}

/**
 * ucmd_complete2() - complete a deferred command with a second result
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
int ucmd_complete2(struct ucmd_token tok, int res, u64 res2)
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
EXPORT_SYMBOL_GPL(ucmd_complete2);

/* io_uring cancels a command marked cancelable (ring exit, task death). */
static void ucmd_uring_cancel(struct io_uring_cmd *ioucmd,
			      unsigned int issue_flags)
{
	struct ucmd_req *req = (struct ucmd_req *)*ucmd_slot(ioucmd);

	/* A command on the cancel list always has its live request. */
	if (WARN_ON_ONCE(!req || req->ioucmd != ioucmd ||
			 !(atomic_read(&req->state) & UCMD_R_LIVE)))
		return;
	if (!ucmd_req_try_cancel(req))
		return;	/* the driver won: its task_work posts the CQE */
	trace_ucmd_complete(req->ud, req->op->cmd, -ECANCELED, true);
	ucmd_compat_done(ioucmd, -ECANCELED, 0, req->cqe32, issue_flags);
	ucmd_req_cancel_hook(req);
	ucmd_req_put(req, UCMD_R_IOU_DONE);
}

/*
 * Without the kernel's REISSUE flag the framework marks a command that
 * returned UCMD_RETRY.  A request that io-wq cancelled before its reissue
 * goes back to io_uring's cache with the mark; the next command in it must
 * not inherit it.  A reissue is always a blocking issue that user space did
 * not force to io-wq, so only such an issue honours the mark, and every
 * issue consumes it.
 */
static bool ucmd_uring_reissue(struct io_uring_cmd *ioucmd,
			       unsigned int issue_flags)
{
	unsigned long *slot = ucmd_slot(ioucmd), mark;

	if (UCMD_HAVE_KERNEL_REISSUE)
		return ucmd_compat_reissue_flag(ioucmd);
	/* Anything else there is stale: cleared, so the next issue is a common one. */
	mark = *slot;
	*slot = 0;
	if (mark != ucmd_reissue_mark(ioucmd))
		return false;
	return !(issue_flags & IO_URING_F_NONBLOCK) &&
	       !ucmd_compat_force_async(ioucmd);
}

/*
 * The handler deferred the command and returned.  If the driver completed
 * it meanwhile, take the result now; otherwise make it cancelable and let go
 * of it: from then on its completion goes through task_work.
 *
 * Return: the result when completed already, else UCMD_QUEUED.  *@marked
 * says whether the command was made cancelable: its CQE must then be posted
 * with io_uring_cmd_done(), which takes it off io_uring's cancel list, and
 * only then may the request be freed (ucmd_uring_cmd() does both): a cancel
 * that found the command on the list must find its request, not a freed or
 * reused one.
 */
static int ucmd_uring_issue_end(struct ucmd *uc, unsigned int issue_flags,
				bool *marked)
{
	struct ucmd_req *req = uc->tok.req;
	int state = atomic_read_acquire(&req->state);

	*marked = false;
	if (!(state & UCMD_R_RESULT)) {
		/*
		 * Marked while still issuing: a cancel that comes now is turned
		 * away (io_uring tries again) instead of reaching a command whose
		 * completion may already be on its way.
		 */
		ucmd_compat_mark_cancelable(uc->ioucmd, issue_flags);
		*marked = true;
		/* Set since ucmd_defer(), cleared only here: a subtraction clears it. */
		state = atomic_fetch_sub(UCMD_R_ISSUING, &req->state);
		if (!(state & UCMD_R_RESULT))
			return UCMD_QUEUED;
	}
	uc->res2 = req->res2;
	ucmd_stat_inc(uc->ud, completed_async);
	return ucmd_req_result(req);
}

/*
 * Posts the CQE of a command finished during its issue when a plain return
 * would go wrong: on a CQE32 ring it cannot set the second result, and
 * 6.12+ would fill in the one a CQE_SKIP_SUCCESS command left in the same
 * request before (io_uring clears it only when it posts); -EAGAIN would make
 * io_uring issue the command again; 6.1 passes a positive result up as if
 * it were an error code (from io-wq, IOSQE_ASYNC, the request is then never
 * completed; inline it fails the link chain); and a command on io_uring's
 * cancel list (@marked) must leave it through io_uring_cmd_done().
 *
 * Return: true if posted (->uring_cmd then returns -EIOCBQUEUED).
 */
static bool ucmd_uring_post(struct io_uring_cmd *ioucmd, int ret,
			    const struct ucmd *uc, unsigned int issue_flags,
			    bool marked)
{
	if (ret > 0 || ret == -EAGAIN || marked ||
	    (uc->hflags & UCMD_H_CQE32)) {
		bool cqe32 = uc->hflags & UCMD_H_CQE32;

		/* res2 is set only on CQE32 rings. */
		ucmd_compat_done(ioucmd, ret, cqe32 ? uc->res2 : 0, cqe32,
				 issue_flags);
		return true;
	}
	return false;
}

/**
 * ucmd_prepare_miss() - a command number the op table does not have
 * @uc: as for ucmd_prepare()
 * @cmd: the command number
 * @area: as for ucmd_prepare(): the size of the io_uring command area, or 0
 *        for ioctl (the argument is then behind @uc->out)
 *
 * An op with needs (its key is UCMD_KEY_SLOW()) is checked here.  UCMD_VEC
 * is never in the table (registration refuses it), so it always lands here:
 * it runs where the device offers it, except inside a vector.
 *
 * Return: as ucmd_prepare(): -ENOTTY for a number no op has, the result of
 * a vector (never 0).
 */
int ucmd_prepare_miss(struct ucmd *uc, u32 cmd, unsigned int area)
{
	const struct ucmd_dev *ud = uc->ud;
	const struct ucmd_entry *e = &ud->entries[ud->index[_IOC_NR(cmd)]];
	struct ucmd_vec vec;

	if (e->key == UCMD_KEY_SLOW(cmd)) {
		uc->op = e->op;
		return ucmd_prepare_slow(uc, e, area);
	}
	if (cmd != UCMD_VEC || !uc->ud->vec || (uc->hflags & UCMD_H_VEC))
		return -ENOTTY;
	if (!area) {
		if (copy_from_user(&vec, uc->out, sizeof(vec)))
			return -EFAULT;
	} else {
		/* The rest of the command area must be zero. */
		if (memchr_inv((u8 *)uc->payload + sizeof(vec), 0,
			       area - sizeof(vec)))
			return -EINVAL;
		memcpy(&vec, uc->payload, sizeof(vec));
	}
	return ucmd_vec_run(uc->ud, uc->file, &vec);
}

/*
 * The end of an io_uring issue whose result is not a plain one (see
 * ucmd_uring_plain()): a deferred command, UCMD_RETRY, a handler protocol
 * error, a result io_uring must not see as a return value, or any result
 * on a CQE32 ring.  Counts, traces and hands the result to io_uring.
 */
/* The end of an io_uring issue whose handler deferred the command. */
static noinline int ucmd_uring_deferred(struct ucmd *uc, int ret,
					unsigned int issue_flags)
{
	struct io_uring_cmd *ioucmd = uc->ioucmd;
	bool marked;

	if (unlikely(ret != UCMD_QUEUED))
		ucmd_refuse(uc->ud, "handler deferred but returned a result");
	ret = ucmd_uring_issue_end(uc, issue_flags, &marked);
	if (ret == UCMD_QUEUED)
		return -EIOCBQUEUED;
	trace_ucmd_complete(uc->ud, ioucmd->cmd_op, ret, true);
	/* Never on the cancel list: nothing looks at the slot again. */
	if (!UCMD_HAVE_KERNEL_REISSUE && !marked)
		*ucmd_slot(ioucmd) = 0;
	if (ucmd_uring_post(ioucmd, ret, uc, issue_flags, marked))
		ret = -EIOCBQUEUED;
	__ucmd_req_free(uc->tok.req);
	return ret;
}

static noinline int ucmd_uring_end(struct ucmd *uc, int ret,
				   unsigned int issue_flags)
{
	struct io_uring_cmd *ioucmd = uc->ioucmd;
	struct ucmd_dev *ud = uc->ud;

	if (uc->hflags & UCMD_H_DEFERRED)
		return ucmd_uring_deferred(uc, ret, issue_flags);
	if (ret < UCMD_ERRNO_USER_MIN)
		ret = ucmd_dispatch_fixup(uc, ret);
	if (ret == UCMD_RETRY) {
		/* The reissue must find the pdu zeroed or as the handler left it. */
		__ucmd_pdu(uc);
		if (!UCMD_HAVE_KERNEL_REISSUE)
			*ucmd_slot(ioucmd) = ucmd_reissue_mark(ioucmd);
		ucmd_stat_inc(ud, retried);
		return -EAGAIN;
	}
	ucmd_stat_inc(ud, completed_sync);
	trace_ucmd_complete(ud, ioucmd->cmd_op, ret, false);
	if (ucmd_uring_post(ioucmd, ret, uc, issue_flags, false))
		return -EIOCBQUEUED;
	return ret;
}

/*
 * A result io_uring can take as the return value: 0 or a user-space errno
 * other than -EAGAIN (see ucmd_uring_post()).  One compare for the range.
 */
static __always_inline bool ucmd_uring_plain(int ret)
{
	return (unsigned int)(ret - UCMD_ERRNO_USER_MIN) <=
	       (unsigned int)-UCMD_ERRNO_USER_MIN && ret != -EAGAIN;
}

/* The context bits of hflags: one AND where io_uring's bits line up with ours. */
static __always_inline unsigned int ucmd_uring_hflags(unsigned int issue_flags)
{
	unsigned int h = UCMD_H_URING;

	if (!(((unsigned int)IO_URING_F_NONBLOCK ^ UCMD_H_NONBLOCK) |
	      (IO_URING_F_SQE128 ^ UCMD_H_SQE128) |
	      (IO_URING_F_CQE32 ^ UCMD_H_CQE32)))
		return h | (issue_flags & (UCMD_H_NONBLOCK | UCMD_H_SQE128 |
					   UCMD_H_CQE32));
	if (issue_flags & IO_URING_F_NONBLOCK)
		h |= UCMD_H_NONBLOCK;
	if (issue_flags & IO_URING_F_SQE128)
		h |= UCMD_H_SQE128;
	if (issue_flags & IO_URING_F_CQE32)
		h |= UCMD_H_CQE32;
	return h;
}

/* Everything but the common issue: see ucmd_uring_cmd(). */
static noinline int ucmd_uring_cmd_general(struct ucmd_dev *ud,
					   struct io_uring_cmd *ioucmd,
					   unsigned int issue_flags)
{
	struct ucmd uc __uninitialized;
	int ret;

	if (ucmd_compat_is_cancel(issue_flags)) {
		ucmd_uring_cancel(ioucmd, issue_flags);
		return 0;
	}
	/*
	 * Polled rings complete through ->uring_cmd_iopoll, which ucmd does
	 * not offer; older kernels refuse such rings before we are called,
	 * newer ones let the command through.  Refuse it the same way.
	 */
	if (unlikely(ucmd_compat_ring_iopoll(ioucmd)))
		return -EOPNOTSUPP;
	/*
	 * No ucmd op takes a uring_cmd_flags bit (a registered buffer, a
	 * multishot stream, or whatever a later kernel adds).
	 */
	if (unlikely(ioucmd->flags & ~UCMD_COMPAT_CMD_KERNEL_FLAGS))
		return -EINVAL;

	uc.ud = ud;
	uc.file = ioucmd->file;
	uc.ioucmd = ioucmd;
	uc.hflags = ucmd_uring_hflags(issue_flags);
	uc.res2 = 0;
	uc.pdu = ioucmd->pdu;
	if (ucmd_uring_reissue(ioucmd, issue_flags))
		uc.hflags |= UCMD_H_REISSUE;
	else
		ucmd_stat_inc(ud, issued);
	trace_ucmd_issue(ud, ioucmd->cmd_op, true);

	/* One copy of the command area; only the copy is looked at again. */
	if (!(uc.hflags & UCMD_H_SQE128)) {
		memcpy(uc.payload, ucmd_compat_sqe_cmd(ioucmd), UCMD_SQE_PAYLOAD);
		ret = ucmd_prepare(&uc, ioucmd->cmd_op, UCMD_SQE_PAYLOAD);
	} else {
		memcpy(uc.payload, ucmd_compat_sqe_cmd(ioucmd), UCMD_SQE128_PAYLOAD);
		ret = ucmd_prepare(&uc, ioucmd->cmd_op, UCMD_SQE128_PAYLOAD);
	}
	if (!ret)
		ret = uc.op->handler(&uc);
	return ucmd_uring_end(&uc, ret, issue_flags);
}

/*
 * True for an issue that needs more than the common path: a cancel, a polled
 * ring, an SQE128 or CQE32 ring, uring_cmd_flags (or io_uring's own flags,
 * such as a reissue), and on kernels without IORING_URING_CMD_REISSUE any
 * value in the framework's pdu slot (a reissue mark, or a stale value that
 * the general path clears).
 */
static __always_inline bool ucmd_uring_unusual(struct io_uring_cmd *ioucmd,
					       unsigned int issue_flags)
{
	unsigned long u = issue_flags & (UCMD_COMPAT_F_CANCEL |
					 IO_URING_F_SQE128 | IO_URING_F_CQE32);

	u |= ioucmd->flags;
	if (!UCMD_HAVE_KERNEL_REISSUE)
		u |= *ucmd_slot(ioucmd);
	return u || ucmd_compat_ring_iopoll(ioucmd);
}

/**
 * ucmd_uring_cmd() - &file_operations.uring_cmd of a ucmd device
 * @ud: the device
 * @ioucmd: the command
 * @issue_flags: io_uring's flags for this issue; never leave this function
 *
 * Use through UCMD_DEFINE_FOPS_HOOKS().
 *
 * The common issue (a 16-byte command area, no flags, a plain result) runs
 * here with the fewest steps; everything else goes through
 * ucmd_uring_cmd_general() and ucmd_uring_end(), with the same checks.
 * No stack protector (here and in ucmd_ioctl()): the frame's one array is
 * the command area, which only fixed-size copies fill (at most
 * UCMD_MAX_PAYLOAD bytes, which registration checks); the canary cost more
 * than any other step of a no-op command.
 *
 * Return: the result, -EIOCBQUEUED or -EAGAIN, as io_uring expects.
 */
int __no_stack_protector ucmd_uring_cmd(struct ucmd_dev *ud,
					struct io_uring_cmd *ioucmd,
					unsigned int issue_flags)
{
	struct ucmd uc __uninitialized;
	int ret;

	if (unlikely(ucmd_uring_unusual(ioucmd, issue_flags)))
		return ucmd_uring_cmd_general(ud, ioucmd, issue_flags);

	uc.ud = ud;
	uc.file = ioucmd->file;
	uc.ioucmd = ioucmd;
	/* Neither SQE128 nor CQE32 here: res2 is never read. */
	uc.hflags = ucmd_uring_hflags(issue_flags);
	uc.pdu = ioucmd->pdu;
	ucmd_stat_inc(ud, issued);
	trace_ucmd_issue(ud, ioucmd->cmd_op, true);

	/* One copy of the command area; only the copy is looked at again. */
	memcpy(uc.payload, ucmd_compat_sqe_cmd(ioucmd), UCMD_SQE_PAYLOAD);
	ret = ucmd_prepare(&uc, ioucmd->cmd_op, UCMD_SQE_PAYLOAD);
	if (likely(!ret))
		ret = uc.op->handler(&uc);
	if (unlikely(uc.hflags & UCMD_H_DEFERRED))
		return ucmd_uring_deferred(&uc, ret, issue_flags);
	/* Success, the common result, skips the range check. */
	if (unlikely(ret && !ucmd_uring_plain(ret)))
		return ucmd_uring_end(&uc, ret, issue_flags);
	ucmd_stat_inc(ud, completed_sync);
	trace_ucmd_complete(ud, ioucmd->cmd_op, ret, false);
	return ret;
}
EXPORT_SYMBOL_GPL(ucmd_uring_cmd);

/* An ioctl caller waits for its deferred command, interruptibly. */
static int ucmd_ioctl_wait(struct ucmd *uc)
{
	struct ucmd_req *req = uc->tok.req;
	int res;

	/* Completed while the handler ran: no wait, no wake-up. */
	if (atomic_fetch_sub(UCMD_R_ISSUING, &req->state) & UCMD_R_RESULT) {
		res = ucmd_req_result(req);
		ucmd_stat_inc(uc->ud, completed_async);
		ucmd_req_free(req);
		return res;
	}
	if (wait_for_completion_interruptible(&req->done)) {
		if (ucmd_req_try_cancel(req)) {
			ucmd_req_cancel_hook(req);
			ucmd_req_put(req, UCMD_R_IOU_DONE);
			return -EINTR;
		}
		/* The driver completed first: its result is moments away. */
		wait_for_completion(&req->done);
	}
	res = ucmd_req_result(req);
	ucmd_stat_inc(uc->ud, completed_async);
	ucmd_req_put(req, UCMD_R_IOU_DONE);
	return res;
}

/**
 * ucmd_ioctl() - &file_operations.unlocked_ioctl of a ucmd device
 * @ud: the device
 * @file: the file
 * @cmd: the command number
 * @arg: the argument: a user pointer for commands that carry data
 *
 * Same checks and handlers as the io_uring path; asynchronous commands are
 * waited for, and a signal cancels them (-EINTR).
 *
 * Return: the command's result.
 */
long __no_stack_protector ucmd_ioctl(struct ucmd_dev *ud, struct file *file,
				     unsigned int cmd, unsigned long arg)
{
	struct ucmd uc __uninitialized;
	int ret;

	ucmd_stat_inc(ud, issued);
	trace_ucmd_issue(ud, cmd, false);
	uc.ud = ud;
	uc.file = file;
	uc.ioucmd = NULL;
	uc.hflags = 0;		/* no CQE32: res2 is never read */
	uc.out = (void __user *)arg;
	uc.pdu = uc.local_pdu;
	ret = ucmd_prepare(&uc, cmd, 0);
	if (likely(!ret)) {
		if (_IOC_DIR(cmd) == _IOC_WRITE &&
		    copy_from_user(uc.payload, uc.out, _IOC_SIZE(cmd))) {
			ret = -EFAULT;
		} else {
			ret = ucmd_dispatch_sync(&uc);
			if (ret == UCMD_QUEUED)
				return ucmd_ioctl_wait(&uc);
		}
	}
	ucmd_stat_inc(ud, completed_sync);
	trace_ucmd_complete(ud, cmd, ret, false);
	return ret;
}
EXPORT_SYMBOL_GPL(ucmd_ioctl);

/* What dispatch checks for @op (see struct ucmd_entry). */
static void ucmd_entry_init(struct ucmd_entry *e, const struct ucmd_op *op)
{
	u8 tail[UCMD_SQE_PAYLOAD];
	unsigned int used = ucmd_inline_size(op->cmd);

	e->key = ucmd_op_need(op) ? UCMD_KEY_SLOW(op->cmd) : op->cmd;
	e->op = op;
	/* Byte-wise, so that the mask holds whatever the byte order. */
	memset(tail, 0, sizeof(tail));
	if (used < sizeof(tail))
		memset(tail + used, 0xff, sizeof(tail) - used);
	memcpy(e->tail, tail, sizeof(tail));
}

/* Checks the op table and builds the dispatch index and entries. */
static int ucmd_build_table(struct ucmd_dev *ud)
{
	unsigned int i;

	if (!ud->ops || !ud->nr_ops || ud->nr_ops > U8_MAX)
		return -EINVAL;
	memset(ud->index, 0, sizeof(ud->index));
	for (i = 0; i < ud->nr_ops; i++) {
		const struct ucmd_op *op = &ud->ops[i];
		unsigned int dir = _IOC_DIR(op->cmd);

		if (!op->handler || op->cmd == UCMD_VEC ||
		    ud->index[_IOC_NR(op->cmd)])
			return -EINVAL;
		/* Hooks of deferred commands on a command that cannot defer. */
		if ((op->cancel || op->finish) && !(op->flags & UCMD_F_ASYNC))
			return -EINVAL;
		if (dir & _IOC_WRITE && _IOC_SIZE(op->cmd) > UCMD_MAX_PAYLOAD)
			return -EINVAL;
		if ((op->flags & UCMD_F_SQE128) == 0 && dir == _IOC_WRITE &&
		    _IOC_SIZE(op->cmd) > UCMD_SQE_PAYLOAD)
			return -EINVAL;	/* say UCMD_F_SQE128 explicitly */
		ud->index[_IOC_NR(op->cmd)] = i + 1;
	}
	/* Entry 0 is where unused numbers lead: no command has its number. */
	ud->entries = kcalloc(ud->nr_ops + 1, sizeof(*ud->entries), GFP_KERNEL);
	if (!ud->entries)
		return -ENOMEM;
	ud->entries[0].key = U64_MAX;
	for (i = 0; i < ud->nr_ops; i++)
		ucmd_entry_init(&ud->entries[i + 1], &ud->ops[i]);
	return 0;
}

/**
 * ucmd_dev_register() - check the op table and register the misc device
 * @ud: the device, with misc, ops and nr_ops filled in
 *
 * Adds the framework counters under /sys/class/misc/<name>/ucmd/.
 *
 * Return: 0 or a negative errno (-EINVAL for a malformed op table).
 */
int ucmd_dev_register(struct ucmd_dev *ud)
{
	int ret;

	if (WARN_ON_ONCE(ud->misc.groups))
		return -EINVAL;
	ret = ucmd_build_table(ud);
	if (ret)
		return ret;
	ret = -ENOMEM;
	ud->stats = alloc_percpu(struct ucmd_stats);
	if (!ud->stats)
		goto out_entries;
	ud->req_cache = alloc_percpu(struct ucmd_req *);
	if (!ud->req_cache)
		goto out_stats;
	ud->inflight = alloc_percpu(int);
	if (!ud->inflight)
		goto out_cache;
	spin_lock_init(&ud->pool_lock);
	init_llist_head(&ud->pool);
	ud->nr_reqs = 0;
	ud->dying = false;
	init_waitqueue_head(&ud->idle);
	if (!ud->max_inflight)
		ud->max_inflight = 65536;
	ud->misc.groups = ucmd_sysfs_groups();
	ret = misc_register(&ud->misc);
	if (!ret)
		return 0;
	ud->misc.groups = NULL;
	free_percpu(ud->inflight);
out_cache:
	free_percpu(ud->req_cache);
out_stats:
	free_percpu(ud->stats);
out_entries:
	kfree(ud->entries);
	ud->entries = NULL;
	return ret;
}
EXPORT_SYMBOL_GPL(ucmd_dev_register);

/**
 * ucmd_dev_unregister() - remove the device once no command uses it
 * @ud: the device
 *
 * Waits until every deferred command has been completed by the driver.
 */
void ucmd_dev_unregister(struct ucmd_dev *ud)
{
	misc_deregister(&ud->misc);
	/* The flag before the count; pairs with ucmd_req_free(). */
	smp_store_mb(ud->dying, true);
	wait_event(ud->idle, !ucmd_dev_inflight(ud));
	ucmd_pool_drain(ud);
	free_percpu(ud->inflight);
	free_percpu(ud->req_cache);
	free_percpu(ud->stats);
	kfree(ud->entries);
	ud->entries = NULL;
	ud->misc.groups = NULL;
}
EXPORT_SYMBOL_GPL(ucmd_dev_unregister);

/**
 * ucmd_dev_reset_stats() - zero the counters, keeping in-flight commands issued
 * @ud: the device
 *
 * Commands in flight (the caller's own included) stay counted as issued, so
 * issued == completed_sync + completed_async + cancelled holds again once
 * they finish.  Commands racing with the reset on other CPUs may be missed.
 */
void ucmd_dev_reset_stats(struct ucmd_dev *ud)
{
	u64 issued = 0, finished = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct ucmd_stats *s = per_cpu_ptr(ud->stats, cpu);

		issued += s->issued;
		finished += s->completed_sync + s->completed_async + s->cancelled;
		memset(s, 0, sizeof(*s));
	}
	this_cpu_add(ud->stats->issued, issued - finished);
}
EXPORT_SYMBOL_GPL(ucmd_dev_reset_stats);

/**
 * ucmd_hrtimer_setup() - set up a driver's hrtimer, on every kernel ucmd supports
 * @timer: the timer
 * @function: its callback
 * @clock_id: the clock to use
 * @mode: the timer mode
 *
 * hrtimer_setup() replaced hrtimer_init() and a store to ->function in 6.13
 * (and stable kernels may carry either).  A driver that completes commands
 * from a timer calls this instead, with no probe of its own: ucmd.ko was
 * built for the same kernel and probed its headers.
 */
void ucmd_hrtimer_setup(struct hrtimer *timer,
			enum hrtimer_restart (*function)(struct hrtimer *),
			clockid_t clock_id, enum hrtimer_mode mode)
{
	ucmd_compat_hrtimer_setup(timer, function, clock_id, mode);
}
EXPORT_SYMBOL_GPL(ucmd_hrtimer_setup);

MODULE_DESCRIPTION("ucmd: safe io_uring commands for character devices");
MODULE_LICENSE("GPL");
