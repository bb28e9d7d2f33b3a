// SPDX-License-Identifier: GPL-2.0
/* stream.c - event streams: one multishot io_uring command, one CQE per event, each event in a provided buffer. */

#include <linux/file.h>

#include "ucmd_stream.h"
#include "ucmd_trace.h"

/*
 * True for a multishot op's number: only those take IORING_URING_CMD_MULTISHOT.
 * Also for any number once the device is removed: the lookup then fails the
 * command with -ENODEV, as every other one.
 */
bool ucmd_stream_op(const struct ucmd_dev *ud, u32 cmd)
{
	const struct ucmd_op *op = ud->entries[ud->index[_IOC_NR(cmd)]].op;

	if (op && op->cmd == cmd && (op->flags & UCMD_F_MULTISHOT))
		return true;
	return UCMD_CAN_MULTISHOT && READ_ONCE(ud->gone);
}

/* ucmd_prepare_slow() for a multishot op: where and how it was issued. */
int ucmd_stream_check(const struct ucmd *uc)
{
	if (!UCMD_CAN_MULTISHOT || (uc->hflags & UCMD_H_VEC) ||
	    !(uc->hflags & UCMD_H_URING))
		return -EOPNOTSUPP;
	return (uc->hflags & UCMD_H_MULTISHOT) ? 0 : -EINVAL;
}

UCMD_TW_CB_CANCEL_DECL(ucmd_stream_tw);

void ucmd_stream_queue_tw(struct ucmd_stream_req *sr)
{
	ucmd_compat_complete_in_task(sr->ioucmd, ucmd_stream_tw,
				     sr->op->flags & UCMD_F_LAZY);
}

/* What the owner of the io_uring command does next, decided under the lock. */
enum ucmd_stream_act {
	UCMD_A_NONE,		/* nothing: the command stays as it is */
	UCMD_A_EVENT,		/* deliver the event taken off the queue */
	UCMD_A_AGAIN,		/* queue the task_work again */
	UCMD_A_USER,		/* the user side ends the stream (sr->ures) */
	UCMD_A_DRV,		/* the driver's end: its final CQE */
};

/* Under the lock: the user side ends the stream with @err. */
static int ucmd_stream_user_ends(struct ucmd_stream_req *sr, int err)
{
	sr->hook_due = !(sr->flags & (UCMD_S_DRV_DONE | UCMD_S_RM_HOOK));
	sr->flags |= UCMD_S_FINAL;
	sr->count = 0;
	sr->ures = err;
	return UCMD_A_USER;
}

/* Under the lock: the driver ended the stream and every event is out. */
static int ucmd_stream_drv_ends(struct ucmd_stream_req *sr)
{
	sr->flags |= UCMD_S_FINAL | UCMD_S_USER_DONE;
	return UCMD_A_DRV;
}

/*
 * Without the lock, by the owner of the command, after UCMD_A_USER or
 * UCMD_A_DRV: the final CQE; for the user side's end, the driver's cancel
 * hook unless it ended the stream first, then the user side's done bit.
 */
static void ucmd_stream_final(struct ucmd_stream_req *sr, int act,
			      unsigned int issue_flags)
{
	struct ucmd_stream st = { .sr = sr, .gen = sr->gen };
	unsigned long irq;
	bool free;

	if (act == UCMD_A_DRV) {
		ucmd_stat_inc(sr->ud, completed_async);
		trace_ucmd_complete(sr->ud, sr->op->cmd, sr->res, true);
		ucmd_compat_done(sr->ioucmd, sr->res, 0, sr->cqe32, issue_flags);
		ucmd_stream_free(sr);
		return;
	}
	ucmd_stat_inc(sr->ud, cancelled);
	trace_ucmd_complete(sr->ud, sr->op->cmd, sr->ures, true);
	ucmd_compat_done(sr->ioucmd, sr->ures, 0, sr->cqe32, issue_flags);
	if (sr->hook_due)
		sr->op->stream_cancel(st, sr->priv);
	spin_lock_irqsave(&sr->lock, irq);
	/* The removal is in the hook: it finishes the user side (ucmd_stream_unplug_one()). */
	if (sr->flags & UCMD_S_RM_BUSY)
		sr->flags |= UCMD_S_POSTED;
	else
		sr->flags |= UCMD_S_USER_DONE;
	free = (sr->flags & (UCMD_S_USER_DONE | UCMD_S_DRV_DONE)) ==
	       (UCMD_S_USER_DONE | UCMD_S_DRV_DONE);
	spin_unlock_irqrestore(&sr->lock, irq);
	if (free)
		ucmd_stream_free(sr);
}

/*
 * Under the lock, in task_work (@n events delivered in this run, @err the
 * last delivery's error or the task's cancel): the next step.
 */
static int ucmd_stream_tw_next(struct ucmd_stream_req *sr,
			       struct ucmd_stream_ev *ev, int err, int n)
{
	if (!err && (sr->flags & UCMD_S_CANCEL))
		err = -ECANCELED;
	if (!err && !sr->count && (sr->flags & UCMD_S_OVERFLOW))
		err = -EOVERFLOW;
	/* Removed: after the queued events, -ENODEV, whatever the driver's end said. */
	if (!err && !sr->count && (sr->flags & UCMD_S_GONE))
		err = -ENODEV;
	if (err)
		return ucmd_stream_user_ends(sr, err);
	if (!sr->count) {
		if (sr->flags & UCMD_S_DRV_DONE)
			return ucmd_stream_drv_ends(sr);
		sr->flags &= ~UCMD_S_TW;
		return UCMD_A_NONE;
	}
	/* More than a queue's worth came meanwhile: let other work run first. */
	if (n == UCMD_STREAM_DEPTH)
		return UCMD_A_AGAIN;
	ev->len = sr->ev[sr->head].len;
	memcpy(ev->data, sr->ev[sr->head].data, ev->len);
	sr->head = (sr->head + 1) % UCMD_STREAM_DEPTH;
	sr->count--;
	return UCMD_A_EVENT;
}

/*
 * Delivers the queued events in the submitting task (its memory is current,
 * io_uring's uring_lock is held), at most a queue's worth per run; then the
 * final CQE once the stream has ended.
 */
UCMD_TW_CB_CANCEL(ucmd_stream_tw)
{
	struct ucmd_stream_req *sr = (struct ucmd_stream_req *)*ucmd_slot(ioucmd);
	struct ucmd_stream_ev ev;
	unsigned long irq;
	int n, act, err = tw_cancel ? -ECANCELED : 0;

	for (n = 0; ; n++) {
		spin_lock_irqsave(&sr->lock, irq);
		act = ucmd_stream_tw_next(sr, &ev, err, n);
		spin_unlock_irqrestore(&sr->lock, irq);
		if (act != UCMD_A_EVENT)
			break;
		err = ucmd_compat_stream_deliver(ioucmd, sr->bgid, ev.data,
						 ev.len, issue_flags);
	}
	if (act == UCMD_A_AGAIN)
		ucmd_stream_queue_tw(sr);
	else if (act != UCMD_A_NONE)
		ucmd_stream_final(sr, act, issue_flags);
}

/**
 * ucmd_stream_start() - make the current command an event stream
 * @uc: the command; its op must have %UCMD_F_MULTISHOT
 * @st: receives the handle that posts to and ends the stream
 *
 * Call at most once, from the handler, then return %UCMD_QUEUED.  Events
 * posted and an end made before the handler returns are delivered once it
 * has returned; until then the stream cannot be cancelled.  The file stays
 * referenced until both the driver and the user side are done with the
 * stream.
 *
 * Context: process context; may sleep (allocates with GFP_KERNEL).
 *
 * Return: the driver's zeroed per-stream state (&ucmd_dev.req_priv_size
 * bytes, 8-byte aligned), or an ERR_PTR: -ENOMEM, -EBUSY (as many streams
 * as &ucmd_dev.max_inflight), -EINVAL (not a multishot command, or started
 * twice).
 */
void *ucmd_stream_start(struct ucmd *uc, struct ucmd_stream *st)
{
	struct io_uring_cmd *ioucmd = uc->ioucmd;
	struct ucmd_stream_req *sr;
	unsigned long irq;

	might_sleep();
	if (!(uc->hflags & UCMD_H_MULTISHOT) || (uc->hflags & UCMD_H_STREAM)) {
		ucmd_refuse(uc->ud, "stream started twice or on a command without one");
		return ERR_PTR(-EINVAL);
	}
	sr = ucmd_stream_alloc(uc->ud);
	if (IS_ERR(sr))
		return sr;
	this_cpu_inc(*uc->ud->inflight);
	get_file(uc->file);
	sr->file = uc->file;
	sr->op = uc->op;
	sr->ioucmd = ioucmd;
	sr->bgid = ucmd_compat_buf_group(ioucmd);
	sr->cqe32 = uc->hflags & UCMD_H_CQE32;
	sr->res = 0;
	sr->head = 0;
	sr->count = 0;
	if (uc->ud->req_priv_size)
		memset(sr->priv, 0, uc->ud->req_priv_size);
	spin_lock_irqsave(&sr->lock, irq);
	sr->flags = UCMD_S_LIVE | UCMD_S_ISSUING;
	st->sr = sr;
	st->gen = sr->gen;
	spin_unlock_irqrestore(&sr->lock, irq);
	*ucmd_slot(ioucmd) = (unsigned long)sr;
	uc->hflags |= UCMD_H_STREAM;
	return sr->priv;
}
EXPORT_SYMBOL_GPL(ucmd_stream_start);

/* Under the lock: @st is the stream's current handle, and the driver has not ended it. */
static bool ucmd_stream_valid(const struct ucmd_stream_req *sr,
			      struct ucmd_stream st)
{
	return sr->gen == st.gen && (sr->flags & UCMD_S_LIVE) &&
	       !(sr->flags & UCMD_S_DRV_DONE);
}

/**
 * ucmd_stream_post() - queue one event of a stream, from any context
 * @st: the handle ucmd_stream_start() returned
 * @data: the event's bytes, copied now
 * @len: 1 to %UCMD_STREAM_EVENT_MAX
 *
 * The event reaches user space in a provided buffer, with one CQE whose
 * result is @len and which has IORING_CQE_F_MORE, from task_work in the
 * submitting task.  Callable from any context, including hard IRQ.
 *
 * Return: 0; -ENODEV when the device was removed (ucmd_dev_remove(); the
 * event is dropped; the cancel hook runs or ran); -ECANCELED when the user
 * side ended the stream (likewise); -EOVERFLOW when %UCMD_STREAM_DEPTH
 * events wait already (dropped; the stream ends with -EOVERFLOW after the
 * queued ones); -EINVAL for a bad @len; -EALREADY for a handle the driver
 * ended (refused and reported).
 */
int ucmd_stream_post(struct ucmd_stream st, const void *data, size_t len)
{
	struct ucmd_stream_req *sr = st.sr;
	struct ucmd_stream_ev *ev;
	unsigned long irq;
	bool queue = false;
	int ret = 0;

	if (!sr)
		goto refused;
	spin_lock_irqsave(&sr->lock, irq);
	if (!ucmd_stream_valid(sr, st)) {
		spin_unlock_irqrestore(&sr->lock, irq);
		goto refused;
	}
	if (!len || len > UCMD_STREAM_EVENT_MAX) {
		ret = -EINVAL;
	} else if (sr->flags & UCMD_S_GONE) {
		ret = -ENODEV;
	} else if (sr->flags & (UCMD_S_FINAL | UCMD_S_CANCEL)) {
		ret = -ECANCELED;
	} else if (sr->count == UCMD_STREAM_DEPTH ||
		   (sr->flags & UCMD_S_OVERFLOW)) {
		sr->flags |= UCMD_S_OVERFLOW;
		ret = -EOVERFLOW;
		queue = ucmd_stream_kick(sr);
	} else {
		ev = &sr->ev[(sr->head + sr->count) % UCMD_STREAM_DEPTH];
		ev->len = len;
		memcpy(ev->data, data, len);
		sr->count++;
		queue = ucmd_stream_kick(sr);
	}
	spin_unlock_irqrestore(&sr->lock, irq);
	if (queue)
		ucmd_stream_queue_tw(sr);
	return ret;

refused:
	ucmd_refuse(sr ? sr->ud : NULL, "stream posted to after its end");
	return -EALREADY;
}
EXPORT_SYMBOL_GPL(ucmd_stream_post);

/**
 * ucmd_stream_end() - end a stream, from any context
 * @st: the handle ucmd_stream_start() returned
 * @res: the result of the final CQE (the one without IORING_CQE_F_MORE)
 *
 * Events already posted are delivered first.  The driver calls this exactly
 * once per stream, also after the user side ended it (then from the cancel
 * hook or wherever it drops the stream); the handle is stale afterwards.
 * A kernel-internal errno (below -511) is refused and becomes -EIO.
 *
 * Return: 0, -ECANCELED when the user side ended the stream first, -ENODEV
 * when the device was removed first (@res is dropped in both cases; not an
 * error of the driver), or -EALREADY when the driver had ended it already
 * (refused and reported).
 */
int ucmd_stream_end(struct ucmd_stream st, int res)
{
	struct ucmd_stream_req *sr = st.sr;
	unsigned long irq;
	bool queue = false, free = false;
	int ret = 0;

	if (!sr)
		goto refused;
	spin_lock_irqsave(&sr->lock, irq);
	if (!ucmd_stream_valid(sr, st)) {
		spin_unlock_irqrestore(&sr->lock, irq);
		goto refused;
	}
	if (unlikely(res < UCMD_ERRNO_USER_MIN)) {
		ucmd_refuse(sr->ud, "stream ended with a kernel-internal errno");
		res = -EIO;
	}
	sr->flags |= UCMD_S_DRV_DONE;
	sr->res = res;
	if (sr->flags & UCMD_S_GONE)
		ret = -ENODEV;
	else if (sr->flags & UCMD_S_FINAL)
		ret = -ECANCELED;
	if (sr->flags & UCMD_S_FINAL)
		free = sr->flags & UCMD_S_USER_DONE;
	else
		queue = ucmd_stream_kick(sr);
	spin_unlock_irqrestore(&sr->lock, irq);
	if (free)
		ucmd_stream_free(sr);
	if (queue)
		ucmd_stream_queue_tw(sr);
	return ret;

refused:
	ucmd_refuse(sr ? sr->ud : NULL, "stream ended twice or never started");
	return -EALREADY;
}
EXPORT_SYMBOL_GPL(ucmd_stream_end);

/*
 * The end of the issue whose handler started a stream.  Ended during the
 * handler with nothing to deliver: one plain CQE now.  Otherwise the command
 * becomes cancelable (still marked as issuing, so that a cancel that comes
 * meanwhile is turned away and tried again), and what the driver did during
 * the handler goes out through task_work.  A removal that came meanwhile
 * left the stream to its issuer: it ends through task_work with -ENODEV,
 * which runs the cancel hook.
 */
int ucmd_stream_issue_end(struct ucmd *uc, int ret, unsigned int issue_flags)
{
	struct io_uring_cmd *ioucmd = uc->ioucmd;
	struct ucmd_stream_req *sr = (struct ucmd_stream_req *)*ucmd_slot(ioucmd);
	int act = UCMD_A_NONE;
	unsigned long irq;
	bool queue = false, gone;

	if (unlikely(ret != UCMD_QUEUED))
		ucmd_refuse(uc->ud, "handler started a stream but returned a result");
	/*
	 * The live stream before the flag: pairs with ucmd_dev_remove(), which
	 * sets gone before it looks at the streams, so one sees the other.
	 */
	smp_mb();
	gone = READ_ONCE(uc->ud->gone);
	spin_lock_irqsave(&sr->lock, irq);
	if (unlikely(gone) && !(sr->flags & UCMD_S_DRV_DONE))
		sr->flags |= UCMD_S_GONE;
	if ((sr->flags & UCMD_S_DRV_DONE) && !sr->count &&
	    !(sr->flags & (UCMD_S_OVERFLOW | UCMD_S_GONE)))
		act = ucmd_stream_drv_ends(sr);
	spin_unlock_irqrestore(&sr->lock, irq);
	if (act != UCMD_A_NONE) {
		ucmd_stream_final(sr, act, issue_flags);
		return -EIOCBQUEUED;
	}
	ucmd_compat_mark_cancelable(ioucmd, issue_flags);
	spin_lock_irqsave(&sr->lock, irq);
	sr->flags &= ~UCMD_S_ISSUING;
	if (sr->count ||
	    (sr->flags & (UCMD_S_DRV_DONE | UCMD_S_OVERFLOW | UCMD_S_GONE)))
		queue = ucmd_stream_kick(sr);
	spin_unlock_irqrestore(&sr->lock, irq);
	if (queue)
		ucmd_stream_queue_tw(sr);
	return -EIOCBQUEUED;
}

/*
 * io_uring cancels a stream (ring exit, task exit).  While task_work owns
 * the command it ends the stream there; while the handler runs, the cancel
 * is turned away and io_uring tries again.
 */
void ucmd_stream_uring_cancel(struct io_uring_cmd *ioucmd,
			      unsigned int issue_flags)
{
	struct ucmd_stream_req *sr = (struct ucmd_stream_req *)*ucmd_slot(ioucmd);
	int act = UCMD_A_NONE;
	unsigned long irq;

	/* A command on the cancel list always has its live stream. */
	if (WARN_ON_ONCE(!sr || sr->ioucmd != ioucmd))
		return;
	spin_lock_irqsave(&sr->lock, irq);
	WARN_ON_ONCE(!(sr->flags & UCMD_S_LIVE));
	/* While the handler runs, turned away; after the final CQE, nothing left. */
	if ((sr->flags & UCMD_S_LIVE) &&
	    !(sr->flags & (UCMD_S_ISSUING | UCMD_S_FINAL))) {
		if (sr->flags & UCMD_S_TW)
			sr->flags |= UCMD_S_CANCEL;
		else
			act = ucmd_stream_user_ends(sr, -ECANCELED);
	}
	spin_unlock_irqrestore(&sr->lock, irq);
	if (act != UCMD_A_NONE)
		ucmd_stream_final(sr, act, issue_flags);
}
