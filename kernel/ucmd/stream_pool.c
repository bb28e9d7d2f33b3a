// SPDX-License-Identifier: GPL-2.0
/* stream_pool.c - event streams' memory: the device's pool, the return to it, and the end of every stream when the device is removed. */

#include <linux/file.h>
#include <linux/rculist.h>
#include <linux/slab.h>

#include "ucmd_stream.h"

static struct ucmd_streams *ucmd_streams(struct ucmd_dev *ud)
{
	struct ucmd_streams *ss = READ_ONCE(ud->streams), *old;

	if (likely(ss))
		return ss;
	ss = kzalloc(sizeof(*ss), GFP_KERNEL);
	if (!ss)
		return NULL;
	spin_lock_init(&ss->lock);
	INIT_LIST_HEAD(&ss->all);
	INIT_LIST_HEAD(&ss->free);
	/* Fully ordered: the initialised lists are published with the pointer. */
	old = cmpxchg(&ud->streams, NULL, ss);
	if (old) {
		kfree(ss);
		return old;
	}
	return ss;
}

/* A free stream from the pool, a new one, or -EBUSY at the device's bound. */
struct ucmd_stream_req *ucmd_stream_alloc(struct ucmd_dev *ud)
{
	struct ucmd_streams *ss = ucmd_streams(ud);
	struct ucmd_stream_req *sr;
	unsigned long irq;
	bool grow = false;

	if (!ss)
		return ERR_PTR(-ENOMEM);
	spin_lock_irqsave(&ss->lock, irq);
	sr = list_first_entry_or_null(&ss->free, struct ucmd_stream_req, free);
	if (sr)
		list_del(&sr->free);
	else if (ss->nr < ud->max_inflight)
		grow = true;
	if (grow)
		ss->nr++;
	spin_unlock_irqrestore(&ss->lock, irq);
	if (sr)
		return sr;
	if (!grow)
		return ERR_PTR(-EBUSY);
	sr = kzalloc(struct_size(sr, priv,
				 DIV_ROUND_UP(ud->req_priv_size, sizeof(u64))),
		     GFP_KERNEL);
	if (sr) {
		sr->ud = ud;
		spin_lock_init(&sr->lock);
	}
	spin_lock_irqsave(&ss->lock, irq);
	/* Published whole: ucmd_stream_unplug() walks the list without the lock. */
	if (sr)
		list_add_tail_rcu(&sr->all, &ss->all);
	else
		ss->nr--;
	spin_unlock_irqrestore(&ss->lock, irq);
	if (!sr)
		return ERR_PTR(-ENOMEM);
	return sr;
}

/* Both sides are done: a new generation, back to the pool, the file let go. */
void ucmd_stream_free(struct ucmd_stream_req *sr)
{
	struct ucmd_dev *ud = sr->ud;
	struct ucmd_streams *ss = ud->streams;
	struct file *file = sr->file;
	unsigned long irq;

	spin_lock_irqsave(&sr->lock, irq);
	sr->flags = 0;
	sr->gen++;
	spin_unlock_irqrestore(&sr->lock, irq);
	spin_lock_irqsave(&ss->lock, irq);
	list_add(&sr->free, &ss->free);
	spin_unlock_irqrestore(&ss->lock, irq);
	this_cpu_dec(*ud->inflight);
	/* The count before the flag; pairs with ucmd_dev_unregister(). */
	smp_mb();
	if (unlikely(READ_ONCE(ud->dying)))
		wake_up_all(&ud->idle);
	/* Last: the file holds the module and the device. */
	fput(file);
}

/* Frees every stream of a device that has none in use any more. */
void ucmd_stream_drain(struct ucmd_dev *ud)
{
	struct ucmd_streams *ss = ud->streams;
	struct ucmd_stream_req *sr, *tmp;

	if (!ss)
		return;
	list_for_each_entry_safe(sr, tmp, &ss->all, all)
		kfree(sr);
	kfree(ss);
	ud->streams = NULL;
}

/*
 * ucmd_dev_remove() for one stream.  The removal takes over the cancel hook
 * unless the driver ended the stream, the user side is ending it, or its
 * handler still runs (its issuer ends it then); task_work delivers what is
 * queued, then -ENODEV.  The stream stays out of the pool until the hook has
 * returned, so the hook's handle and state are still this stream's.
 */
static void ucmd_stream_unplug_one(struct ucmd_stream_req *sr)
{
	struct ucmd_stream st;
	unsigned long irq;
	bool hook, queue, free;

	spin_lock_irqsave(&sr->lock, irq);
	if (!(sr->flags & UCMD_S_LIVE) ||
	    (sr->flags & (UCMD_S_DRV_DONE | UCMD_S_FINAL | UCMD_S_GONE))) {
		spin_unlock_irqrestore(&sr->lock, irq);
		return;
	}
	sr->flags |= UCMD_S_GONE;
	hook = !(sr->flags & UCMD_S_ISSUING);
	if (hook)
		sr->flags |= UCMD_S_RM_HOOK | UCMD_S_RM_BUSY;
	queue = ucmd_stream_kick(sr);
	st.sr = sr;
	st.gen = sr->gen;
	spin_unlock_irqrestore(&sr->lock, irq);
	if (queue)
		ucmd_stream_queue_tw(sr);
	if (!hook)
		return;
	sr->op->stream_cancel(st, sr->priv);
	spin_lock_irqsave(&sr->lock, irq);
	sr->flags &= ~UCMD_S_RM_BUSY;
	if (sr->flags & UCMD_S_POSTED)
		sr->flags |= UCMD_S_USER_DONE;
	free = (sr->flags & (UCMD_S_USER_DONE | UCMD_S_DRV_DONE)) ==
	       (UCMD_S_USER_DONE | UCMD_S_DRV_DONE);
	spin_unlock_irqrestore(&sr->lock, irq);
	if (free)
		ucmd_stream_free(sr);
}

/*
 * Ends every live stream of a removed device (ud->gone is set).  Streams
 * join the list but never leave it while the device exists, which the
 * caller's registration reference ensures.
 */
void ucmd_stream_unplug(struct ucmd_dev *ud)
{
	struct ucmd_streams *ss = READ_ONCE(ud->streams);
	struct ucmd_stream_req *sr;

	if (!ss)
		return;
	list_for_each_entry_rcu(sr, &ss->all, all, true)
		ucmd_stream_unplug_one(sr);
}
