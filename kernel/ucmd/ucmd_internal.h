/* SPDX-License-Identifier: GPL-2.0 */
/* ucmd_internal.h - state shared by the ucmd framework's own source files. */
#ifndef _UCMD_INTERNAL_H
#define _UCMD_INTERNAL_H

#include <linux/completion.h>
#include <linux/percpu.h>
#include <linux/string.h>
#include <linux/kernel.h>
#include <linux/llist.h>
#include <linux/ucmd.h>

/* Per-CPU counters of a device; sysfs shows their sums. */
struct ucmd_stats {
	u64 issued;
	u64 completed_sync;
	u64 completed_async;
	u64 cancelled;
	u64 refused;
	u64 retried;
};

#define ucmd_stat_inc(ud, field)	this_cpu_inc((ud)->stats->field)

/*
 * A deferred command.  It goes back to the device's pool once both sides are done with it: the
 * driver (UCMD_R_DRV_DONE, set by its one ucmd_complete()) and the user side
 * (UCMD_R_IOU_DONE: the CQE was posted or the ioctl caller returned).
 * UCMD_R_CANCELLED means the user side completed it with -ECANCELED (or
 * -EINTR) before the driver did; the driver's completion is then absorbed,
 * and the request holds a reference on its file from then until it is
 * freed (io_uring or the ioctl caller no longer does).
 *
 * Each bit but UCMD_R_ISSUING is set at most once per generation, and
 * UCMD_R_ISSUING is cleared once: the one-way updates are atomic adds (one
 * locked instruction), not compare-and-swap loops.
 *
 * UCMD_R_ISSUING is set by ucmd_defer() and cleared by the framework once the
 * handler has returned: until then nothing may cancel the command (its
 * handler may not have armed what the cancel hook undoes), and a completion
 * only stores its result and sets UCMD_R_RESULT.  Whichever of the issuer
 * and the completer comes second posts the CQE: the issuer inline, with the
 * issue context's flags; the completer through task_work.
 */
#define UCMD_R_DRV_DONE		BIT(0)
#define UCMD_R_IOU_DONE		BIT(1)
#define UCMD_R_CANCELLED	BIT(2)
#define UCMD_R_ISSUING		BIT(3)
#define UCMD_R_RESULT		BIT(4)
/* Set by ucmd_defer(), cleared when the request goes back to the pool. */
#define UCMD_R_LIVE		BIT(5)
/* The rest of the state word is the request's generation. */
#define UCMD_R_GEN_SHIFT	6

struct ucmd_req {
	struct ucmd_dev *ud;
	const struct ucmd_op *op;
	struct io_uring_cmd *ioucmd;	/* NULL when issued through ioctl */
	struct file *file;		/* the issuing file */
	atomic_t state;			/* UCMD_R_* | generation */
	int res;			/* set by the completion */
	bool cqe32;
	u64 res2;			/* set by the completion */
	struct completion done;		/* ioctl caller waits here */
	struct llist_node node;		/* in the device's pool when free */
	struct list_head all;		/* in ud->reqs from allocation to teardown */
	u64 priv[];			/* ud->req_priv_size bytes for the driver */
};

const struct attribute_group **ucmd_sysfs_groups(void);
void ucmd_dev_teardown(struct ucmd_dev *ud);

/* Deferred commands in flight: counted where deferred, uncounted where freed. */
static inline int ucmd_dev_inflight(const struct ucmd_dev *ud)
{
	int cpu, n = 0;

	for_each_possible_cpu(cpu)
		n += *per_cpu_ptr(ud->inflight, cpu);
	return n;
}

/*
 * True if any byte in [used, area) of the payload copy is set: a few word
 * loads in the common cases instead of a call to memchr_inv().
 */
static inline bool ucmd_tail_nonzero(const u64 *p, unsigned int used,
				     unsigned int area)
{
#ifdef __LITTLE_ENDIAN
	unsigned int i = used / sizeof(u64);
	u64 acc = 0;

	if (used % sizeof(u64))
		acc = p[i++] & (~0ULL << (8 * (used % sizeof(u64))));
	for (; i < area / sizeof(u64); i++)
		acc |= p[i];
	return acc;
#else
	return memchr_inv((const u8 *)p + used, 0, area - used);
#endif
}

/*
 * Errnos below -511 (-ERESTARTSYS, -EIOCBQUEUED, -ENOTSUPP, ...) are the
 * kernel's own and must never reach user space (include/linux/errno.h).
 */
#define UCMD_ERRNO_USER_MIN	(-511)

void ucmd_refuse(struct ucmd_dev *ud, const char *what);
int ucmd_dispatch_fixup(struct ucmd *uc, int ret);

/* What an op needs checked beyond its payload's unused bytes (ucmd_entry.need). */
#define UCMD_E_WRITE		BIT(0)	/* file open for writing */
#define UCMD_E_ADMIN		BIT(1)	/* CAP_SYS_ADMIN */
#define UCMD_E_SQE128		BIT(2)	/* an SQE128 ring; no UCMD_VEC */
#define UCMD_E_CQE32		BIT(3)	/* a CQE32 ring; no UCMD_VEC */
#define UCMD_E_INDIRECT		BIT(4)	/* _IOWR: the argument is behind the pointer */
#define UCMD_E_MULTISHOT	BIT(5)	/* an event stream: io_uring with MULTISHOT only */

/*
 * One op as dispatch sees it, computed once at registration: the checks
 * become a few compares on the hot path.  @key is the command number when
 * the op needs nothing but its payload checked, and UCMD_KEY_SLOW() of it
 * otherwise: one 64-bit compare both finds the op and tells the common case,
 * and no 32-bit command number equals a slow key.  Entry 0, where the index
 * leads unused numbers, has no op and a key no command matches.
 */
struct ucmd_entry {
	u64 key;
	/* Bits of a 16-byte command area (SQE, UCMD_VEC entry) that must be zero. */
	u64 tail[UCMD_SQE_PAYLOAD / sizeof(u64)];
	const struct ucmd_op *op;
};

#define UCMD_KEY_SLOW(cmd)	(BIT_ULL(32) | (cmd))

unsigned int ucmd_op_need(const struct ucmd_op *op);
int ucmd_build_table(struct ucmd_dev *ud);

int ucmd_prepare_slow(struct ucmd *uc, const struct ucmd_entry *e,
		      unsigned int area);
int ucmd_prepare_miss(struct ucmd *uc, u32 cmd, unsigned int area);

/**
 * ucmd_prepare() - the checks of every path: io_uring, ioctl and UCMD_VEC
 * @uc: the command, with ud, file, hflags and (io_uring, UCMD_VEC) payload set
 * @cmd: the command number
 * @area: bytes of @uc->payload copied from user space (the SQE's command
 *        area or a UCMD_VEC entry's payload); 0 for ioctl, whose caller sets
 *        @uc->out and copies exactly what the op uses
 *
 * Looks the command up (-ENOTTY; UCMD_VEC runs here, see
 * ucmd_prepare_miss(), which also checks the ops with needs), checks the caller's rights (-EBADF,
 * -EPERM), that every byte the op does not use is zero and that the ring
 * has what the op needs (-EINVAL), and fetches an _IOWR argument (-EFAULT).
 * Sets @uc->op and @uc->out.
 *
 * Return: 0, a negative errno, or the result of a vector.
 */
static __always_inline int ucmd_prepare(struct ucmd *uc, u32 cmd,
					unsigned int area)
{
	const struct ucmd_dev *ud = uc->ud;
	const struct ucmd_entry *e = &ud->entries[ud->index[_IOC_NR(cmd)]];

	/* An op with needs, an unused number, UCMD_VEC: all miss here. */
	if (unlikely(e->key != cmd))
		return ucmd_prepare_miss(uc, cmd, area);
	uc->op = e->op;
	if (!area)
		return 0;
	if (area == UCMD_SQE_PAYLOAD) {
		if ((uc->payload[0] & e->tail[0]) |
		    (uc->payload[1] & e->tail[1]))
			return -EINVAL;
		uc->out = u64_to_user_ptr(uc->payload[0]);
		return 0;
	}
	return ucmd_prepare_slow(uc, e, area);
}

/*
 * Runs the handler of a command that has been looked up, checked and whose
 * payload is in @uc.  Returns the synchronous result, UCMD_QUEUED when the
 * handler deferred, or UCMD_RETRY; handler protocol errors are refused.
 */
static __always_inline int ucmd_dispatch_sync(struct ucmd *uc)
{
	int ret = uc->op->handler(uc);

	/* One compare catches UCMD_QUEUED, UCMD_RETRY and kernel-internal errnos. */
	if (unlikely(ret < UCMD_ERRNO_USER_MIN || (uc->hflags & UCMD_H_DEFERRED)))
		return ucmd_dispatch_fixup(uc, ret);
	return ret;
}
int ucmd_vec_run(struct ucmd_dev *ud, struct file *file,
		 const struct ucmd_vec *vec);

/* Event streams (stream.c). */
struct io_uring_cmd;
bool ucmd_stream_op(const struct ucmd_dev *ud, u32 cmd);
int ucmd_stream_check(const struct ucmd *uc);
int ucmd_stream_issue_end(struct ucmd *uc, int ret, unsigned int issue_flags);
void ucmd_stream_uring_cancel(struct io_uring_cmd *ioucmd,
			      unsigned int issue_flags);
void ucmd_stream_drain(struct ucmd_dev *ud);
void ucmd_stream_unplug(struct ucmd_dev *ud);

#endif /* _UCMD_INTERNAL_H */
