// SPDX-License-Identifier: GPL-2.0
/* entry.c - the entry points, ucmd_uring_cmd() and ucmd_ioctl(): the hot path, kept in one unit for inlining. */

#include <linux/file.h>
#include <linux/module.h>
#include <linux/uaccess.h>

#include "ucmd_req.h"

#define CREATE_TRACE_POINTS
#include "ucmd_trace.h"

/* Marks a command that returned UCMD_RETRY, on kernels that do not flag reissues. */
#define UCMD_REISSUE_MAGIC	0x75636d6472657472UL

static inline unsigned long ucmd_reissue_mark(struct io_uring_cmd *ioucmd)
{
	return UCMD_REISSUE_MAGIC ^ (unsigned long)ioucmd ^ ioucmd->cmd_op;
}

/*
 * The user side gives up on the command; false if the driver completed
 * first.  The driver may still run for a while: from now on the request
 * holds the file (and so the module and device) until it is freed, which
 * io_uring or the ioctl caller no longer does for it.
 */
bool ucmd_req_try_cancel(struct ucmd_req *req)
{
	int old = atomic_read(&req->state);

	do {
		/* While its handler runs, a command cannot be cancelled yet. */
		if (old & (UCMD_R_DRV_DONE | UCMD_R_CANCELLED | UCMD_R_ISSUING))
			return false;
		/* A free request (ucmd_dev_remove() looks at every one). */
		if (!(old & UCMD_R_LIVE))
			return false;
	} while (!atomic_try_cmpxchg(&req->state, &old, old | UCMD_R_CANCELLED));
	/* Before the user side's done bit: no free can come earlier. */
	get_file(req->file);
	ucmd_stat_inc(req->ud, cancelled);
	return true;
}

void ucmd_req_cancel_hook(struct ucmd_req *req)
{
	struct ucmd_token tok = {
		.req = req,
		.gen = ucmd_req_gen(atomic_read(&req->state)),
	};

	if (req->op->cancel)
		req->op->cancel(tok, req->priv);
}

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
	ucmd_req_iou_done(req);
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

/*
 * The device was removed while the handler ran (ucmd_dev_remove() sets
 * gone before it looks at the requests, the issuer cleared UCMD_R_ISSUING
 * before it looks at gone: one of them sees the other).  Unless the removal
 * or the driver came first, the command ends here.
 */
static void ucmd_uring_gone(struct ucmd_req *req, unsigned int issue_flags)
{
	if (!ucmd_req_try_cancel(req))
		return;
	ucmd_req_cancel_hook(req);
	ucmd_compat_done(req->ioucmd, -ENODEV, 0, req->cqe32, issue_flags);
	ucmd_req_iou_done(req);
}

/* The end of an io_uring issue whose handler deferred the command. */
static noinline int ucmd_uring_deferred(struct ucmd *uc, int ret,
					unsigned int issue_flags)
{
	struct io_uring_cmd *ioucmd = uc->ioucmd;
	bool marked;

	if (unlikely(ret != UCMD_QUEUED))
		ucmd_refuse(uc->ud, "handler deferred but returned a result");
	ret = ucmd_uring_issue_end(uc, issue_flags, &marked);
	if (ret == UCMD_QUEUED) {
		if (unlikely(READ_ONCE(uc->ud->gone)))
			ucmd_uring_gone(uc->tok.req, issue_flags);
		return -EIOCBQUEUED;
	}
	trace_ucmd_complete(uc->ud, ioucmd->cmd_op, ret, true);
	/* Never on the cancel list: nothing looks at the slot again. */
	if (!UCMD_HAVE_KERNEL_REISSUE && !marked)
		*ucmd_slot(ioucmd) = 0;
	if (ucmd_uring_post(ioucmd, ret, uc, issue_flags, marked))
		ret = -EIOCBQUEUED;
	__ucmd_req_free(uc->tok.req);
	return ret;
}

/*
 * The end of an io_uring issue whose result is not a plain one (see
 * ucmd_uring_plain()): a deferred command, UCMD_RETRY, a handler protocol
 * error, a result io_uring must not see as a return value, or any result
 * on a CQE32 ring.  Counts, traces and hands the result to io_uring.
 */
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
		if (ioucmd->flags & UCMD_COMPAT_CMD_MULTISHOT)
			ucmd_stream_uring_cancel(ioucmd, issue_flags);
		else
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
	 * The uring_cmd_flags bits an op may take: a registered buffer
	 * (IORING_URING_CMD_FIXED, for UCMD_F_BUF ops, checked below) and
	 * MULTISHOT, only for a multishot op (UCMD_F_MULTISHOT, on kernels ucmd
	 * serves it on); not whatever a later kernel adds.
	 */
	if (unlikely(ioucmd->flags & ~(UCMD_COMPAT_CMD_KERNEL_FLAGS |
				       IORING_URING_CMD_FIXED |
				       UCMD_COMPAT_CMD_MULTISHOT)) ||
	    unlikely((ioucmd->flags & UCMD_COMPAT_CMD_MULTISHOT) &&
		     !ucmd_stream_op(ud, ioucmd->cmd_op)))
		return -EINVAL;

	uc.ud = ud;
	uc.file = ioucmd->file;
	uc.ioucmd = ioucmd;
	uc.hflags = ucmd_uring_hflags(issue_flags);
	if (ioucmd->flags & UCMD_COMPAT_CMD_MULTISHOT)
		uc.hflags |= UCMD_H_MULTISHOT;
	uc.res2 = 0;
	uc.pdu = ioucmd->pdu;
	if (ioucmd->flags & IORING_URING_CMD_FIXED) {
		/* For ucmd_import_buf() alone: the handler never sees them. */
		uc.hflags |= UCMD_H_FIXED;
		uc.iflags = issue_flags;
	}
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
	if (!ret && (uc.hflags & UCMD_H_FIXED) && !(uc.op->flags & UCMD_F_BUF))
		ret = -EINVAL;	/* a registered buffer for an op without one */
	if (!ret)
		ret = uc.op->handler(&uc);
	if (uc.hflags & UCMD_H_STREAM)
		return ucmd_stream_issue_end(&uc, ret, issue_flags);
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
	/* Removed while the handler ran: see ucmd_uring_gone(). */
	if (unlikely(READ_ONCE(uc->ud->gone)) && ucmd_req_try_cancel(req)) {
		ucmd_req_cancel_hook(req);
		ucmd_req_iou_done(req);
		return -ENODEV;
	}
	if (wait_for_completion_interruptible(&req->done)) {
		if (ucmd_req_try_cancel(req)) {
			ucmd_req_cancel_hook(req);
			ucmd_req_iou_done(req);
			return -EINTR;
		}
		/* The driver or the removal came first: the wake-up is moments away. */
		wait_for_completion(&req->done);
	}
	/* Woken by ucmd_dev_remove(), which cancelled the command. */
	if (unlikely(atomic_read(&req->state) & UCMD_R_CANCELLED)) {
		ucmd_req_iou_done(req);
		return -ENODEV;
	}
	res = ucmd_req_result(req);
	ucmd_stat_inc(uc->ud, completed_async);
	ucmd_req_iou_done(req);
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
