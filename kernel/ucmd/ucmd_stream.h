/* SPDX-License-Identifier: GPL-2.0 */
/* ucmd_stream.h - an event stream's state, shared by stream.c (its protocol) and stream_pool.c (its memory and hot unplug). */
#ifndef _UCMD_STREAM_H
#define _UCMD_STREAM_H

#include "ucmd_req.h"

/*
 * A stream's state, under its lock.  The io_uring command belongs to whoever
 * holds it: the issuer (UCMD_S_ISSUING), the task_work that delivers events
 * (UCMD_S_TW), or else the cancel path; the one that sets UCMD_S_FINAL posts
 * the final CQE, after which nobody touches the command.  The stream goes
 * back to the pool when both sides are done: the driver (UCMD_S_DRV_DONE,
 * its one ucmd_stream_end()) and the user side (UCMD_S_USER_DONE: the final
 * CQE is posted and the cancel hook, if due, has run).
 *
 * ucmd_dev_remove() marks each live stream the driver has not ended
 * UCMD_S_GONE: posts fail with -ENODEV, the queued events are delivered,
 * then the final CQE says -ENODEV.  Unless the handler still runs, the
 * removal calls the cancel hook itself (UCMD_S_RM_HOOK), and until the hook
 * has returned (UCMD_S_RM_BUSY) the stream stays out of the pool: a final
 * CQE posted meanwhile only sets UCMD_S_POSTED, and the removal sets
 * UCMD_S_USER_DONE once out of the hook.
 */
#define UCMD_S_LIVE		BIT(0)	/* started, not back in the pool */
#define UCMD_S_ISSUING		BIT(1)	/* the handler that started it runs */
#define UCMD_S_TW		BIT(2)	/* task_work queued or running */
#define UCMD_S_DRV_DONE		BIT(3)	/* the driver ended it */
#define UCMD_S_FINAL		BIT(4)	/* the final CQE is (being) posted */
#define UCMD_S_USER_DONE	BIT(5)	/* the user side is done with it */
#define UCMD_S_CANCEL		BIT(6)	/* io_uring cancelled it during task_work */
#define UCMD_S_OVERFLOW		BIT(7)	/* the driver posted into a full queue */
#define UCMD_S_GONE		BIT(8)	/* the device was removed */
#define UCMD_S_RM_HOOK		BIT(9)	/* the removal runs or ran the cancel hook */
#define UCMD_S_RM_BUSY		BIT(10)	/* ... and has not returned from it */
#define UCMD_S_POSTED		BIT(11)	/* the final CQE went out during UCMD_S_RM_BUSY */

struct ucmd_stream_ev {
	u8 len;
	u8 data[UCMD_STREAM_EVENT_MAX];
};

struct ucmd_stream_req {
	struct ucmd_dev *ud;
	const struct ucmd_op *op;
	struct io_uring_cmd *ioucmd;
	struct file *file;		/* held from start to free */
	spinlock_t lock;		/* protects everything below */
	u32 gen;			/* a new one at each free */
	u32 flags;			/* UCMD_S_* */
	int res;			/* the driver's final result */
	int ures;			/* the user side's, when it ends it */
	u16 bgid;			/* the SQE's provided-buffer group */
	u8 head, count;			/* the queue in ev[] */
	bool cqe32;
	bool hook_due;			/* the user side ended it first */
	struct list_head all;		/* in ud->streams->all, until teardown (RCU-published) */
	struct list_head free;		/* in ud->streams->free while free */
	struct ucmd_stream_ev ev[UCMD_STREAM_DEPTH];
	u64 priv[];			/* ud->req_priv_size bytes for the driver */
};

/* A device's streams: allocated with its first one, freed with the device. */
struct ucmd_streams {
	spinlock_t lock;
	struct list_head all;
	struct list_head free;
	unsigned int nr;
};

/* Under the lock: whether the caller must queue the task_work (the command is then its). */
static inline bool ucmd_stream_kick(struct ucmd_stream_req *sr)
{
	if (sr->flags & (UCMD_S_ISSUING | UCMD_S_TW | UCMD_S_FINAL))
		return false;
	sr->flags |= UCMD_S_TW;
	return true;
}

struct ucmd_stream_req *ucmd_stream_alloc(struct ucmd_dev *ud);
void ucmd_stream_free(struct ucmd_stream_req *sr);
void ucmd_stream_queue_tw(struct ucmd_stream_req *sr);

#endif /* _UCMD_STREAM_H */
