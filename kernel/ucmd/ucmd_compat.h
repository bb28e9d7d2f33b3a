/* SPDX-License-Identifier: GPL-2.0 */
/* ucmd_compat.h - every io_uring API difference between the kernels ucmd supports. */
#ifndef _UCMD_COMPAT_H
#define _UCMD_COMPAT_H

/*
 * The UCMD_HAVE_* flags come from probe.sh, which greps the headers of the
 * kernel being built against: stable backports move these APIs, so the
 * kernel version number is not a reliable guide.
 */
#ifdef UCMD_HAVE_IO_URING_CMD_H
#include <linux/io_uring/cmd.h>
#else
#include <linux/io_uring.h>
#endif

/* The SQE command area (16 bytes; 80 on SQE128 rings). */
#ifdef UCMD_HAVE_CMD_SQE
#define ucmd_compat_sqe_cmd(ioucmd)	((const void *)(ioucmd)->sqe->cmd)
#else
#define ucmd_compat_sqe_cmd(ioucmd)	((const void *)(ioucmd)->cmd)
#endif

/* Post the CQE; res2 reaches user space only on CQE32 rings. */
static inline void ucmd_compat_done(struct io_uring_cmd *ioucmd, int res,
				    u64 res2, bool cqe32,
				    unsigned int issue_flags)
{
#ifdef UCMD_HAVE_DONE32
	if (cqe32)
		io_uring_cmd_done32(ioucmd, res, res2, issue_flags);
	else
		io_uring_cmd_done(ioucmd, res, issue_flags);
#else
	io_uring_cmd_done(ioucmd, res, cqe32 ? res2 : 0, issue_flags);
#endif
}

/*
 * Task-work callbacks.  UCMD_TW_CB(name) defines a callback whose body sees
 * "ioucmd" and "issue_flags" as on older kernels.
 */
#ifdef UCMD_HAVE_TW_REQ
#define UCMD_TW_CB(name)						\
static void name##_body(struct io_uring_cmd *ioucmd,			\
			unsigned int issue_flags);			\
static void name(struct io_tw_req tw_req, io_tw_token_t tw)		\
{									\
	name##_body(io_uring_cmd_from_tw(tw_req),			\
		    IO_URING_CMD_TASK_WORK_ISSUE_FLAGS);		\
}									\
static void name##_body(struct io_uring_cmd *ioucmd, unsigned int issue_flags)
#else
#define UCMD_TW_CB(name)						\
static void name(struct io_uring_cmd *ioucmd, unsigned int issue_flags)
#endif


#ifdef UCMD_HAVE_LAZY
#define ucmd_compat_complete_in_task(ioucmd, cb, lazy)			\
	do {								\
		if (lazy)						\
			io_uring_cmd_do_in_task_lazy(ioucmd, cb);	\
		else							\
			io_uring_cmd_complete_in_task(ioucmd, cb);	\
	} while (0)
#else
#define ucmd_compat_complete_in_task(ioucmd, cb, lazy)			\
	io_uring_cmd_complete_in_task(ioucmd, cb)
#endif

/*
 * Polled (IOPOLL) rings: 6.x refuses uring_cmd there before calling a driver
 * without ->uring_cmd_iopoll; 7.x lets it through without IO_URING_F_IOPOLL.
 * The ring's own flags say it on every kernel.
 */
#include <linux/io_uring_types.h>
#define ucmd_compat_ring_iopoll(ioucmd)					\
	(cmd_to_io_kiocb(ioucmd)->ctx->flags & IORING_SETUP_IOPOLL)

/* Cancelable commands: io_uring calls ->uring_cmd with IO_URING_F_CANCEL. */
#ifdef UCMD_HAVE_CANCELABLE
#define UCMD_CAN_CANCEL			1
#define UCMD_COMPAT_F_CANCEL		IO_URING_F_CANCEL
#define ucmd_compat_is_cancel(f)	((f) & IO_URING_F_CANCEL)
#define ucmd_compat_mark_cancelable(ioucmd, f)				\
	io_uring_cmd_mark_cancelable(ioucmd, f)
#else
#define UCMD_CAN_CANCEL			0
#define UCMD_COMPAT_F_CANCEL		0
#define ucmd_compat_is_cancel(f)	0
#define ucmd_compat_mark_cancelable(ioucmd, f)	do { } while (0)
#endif

/* io_uring marks a reissued command itself on newer kernels. */
#ifdef UCMD_HAVE_REISSUE_FLAG
#define ucmd_compat_reissue_flag(ioucmd)				\
	((ioucmd)->flags & IORING_URING_CMD_REISSUE)
#define UCMD_HAVE_KERNEL_REISSUE	1
#else
#define ucmd_compat_reissue_flag(ioucmd)	false
#define UCMD_HAVE_KERNEL_REISSUE	0
#endif

/*
 * Bits of io_uring_cmd.flags that io_uring sets for itself; every other bit
 * came from the SQE's uring_cmd_flags.
 */
#ifdef IORING_URING_CMD_CANCELABLE
#define UCMD_COMPAT_CMD_CANCELABLE	IORING_URING_CMD_CANCELABLE
#else
#define UCMD_COMPAT_CMD_CANCELABLE	0
#endif
#ifdef UCMD_HAVE_REISSUE_FLAG
#define UCMD_COMPAT_CMD_KERNEL_FLAGS	(UCMD_COMPAT_CMD_CANCELABLE | IORING_URING_CMD_REISSUE)
#else
#define UCMD_COMPAT_CMD_KERNEL_FLAGS	UCMD_COMPAT_CMD_CANCELABLE
#endif

/*
 * Multishot commands (event streams): IORING_URING_CMD_MULTISHOT with
 * IOSQE_BUFFER_SELECT, since 6.18.  ucmd serves them where task_work
 * callbacks take struct io_tw_req (7.x), whose token says when the task is
 * gone (the callback then runs outside it and must not touch user memory).
 * Elsewhere UCMD_CAN_MULTISHOT is 0, the flag is refused and the stubs
 * below are never reached.
 */
#if defined(UCMD_HAVE_MULTISHOT) && defined(UCMD_HAVE_TW_REQ)
#include <linux/uaccess.h>
#define UCMD_CAN_MULTISHOT		1
#define UCMD_COMPAT_CMD_MULTISHOT	IORING_URING_CMD_MULTISHOT
/* The group io_uring read from sqe->buf_group; a buffer selection overwrites it. */
#define ucmd_compat_buf_group(ioucmd)	(cmd_to_io_kiocb(ioucmd)->buf_index)
/* As UCMD_TW_CB(), and the body sees "tw_cancel": not in the submitting task. */
#define UCMD_TW_CB_CANCEL_DECL(name)					\
static void name(struct io_tw_req tw_req, io_tw_token_t tw)
#define UCMD_TW_CB_CANCEL(name)						\
static void name##_sbody(struct io_uring_cmd *ioucmd,			\
			unsigned int issue_flags, bool tw_cancel);	\
static void name(struct io_tw_req tw_req, io_tw_token_t tw)		\
{									\
	name##_sbody(io_uring_cmd_from_tw(tw_req),			\
		    IO_URING_CMD_TASK_WORK_ISSUE_FLAGS, tw.cancel);	\
}									\
static void name##_sbody(struct io_uring_cmd *ioucmd,			\
			unsigned int issue_flags, bool tw_cancel)

/*
 * One event into one provided buffer of group @bgid and one CQE with
 * IORING_CQE_F_MORE, in task_work.  A buffer taken but not used goes back
 * to the group.  Return: 0, -ENOBUFS (the group is empty), -EMSGSIZE (the
 * buffer is smaller than the event), -EFAULT, or -EOVERFLOW (the CQ ring
 * could not take the CQE).
 */
static inline int ucmd_compat_stream_deliver(struct io_uring_cmd *ioucmd,
					     unsigned int bgid,
					     const void *data, size_t len,
					     unsigned int issue_flags)
{
	size_t blen = len;
	struct io_br_sel sel = io_uring_cmd_buffer_select(ioucmd, bgid, &blen,
							  issue_flags);
	int err;

	if (sel.val < 0)
		return sel.val;
	if (!sel.addr)
		return -ENOBUFS;
	if (blen < len)
		err = -EMSGSIZE;
	else if (copy_to_user(sel.addr, data, len))
		err = -EFAULT;
	else
		err = 0;
	/* A result <= 0 gives the buffer back; then the caller ends the stream. */
	sel.val = err ? err : len;
	if (io_uring_mshot_cmd_post_cqe(ioucmd, &sel, issue_flags))
		return err ? err : -EOVERFLOW;
	return 0;
}
#else
#define UCMD_CAN_MULTISHOT		0
#define UCMD_COMPAT_CMD_MULTISHOT	0
#define ucmd_compat_buf_group(ioucmd)	0
#ifdef UCMD_HAVE_TW_REQ
#define UCMD_TW_CB_CANCEL_DECL(name)					\
static void name(struct io_tw_req tw_req, io_tw_token_t tw)
#else
#define UCMD_TW_CB_CANCEL_DECL(name)					\
static void name(struct io_uring_cmd *ioucmd, unsigned int issue_flags)
#endif
#define UCMD_TW_CB_CANCEL(name)						\
static void name##_sbody(struct io_uring_cmd *ioucmd,			\
			unsigned int issue_flags, bool tw_cancel);	\
UCMD_TW_CB(name)							\
{									\
	name##_sbody(ioucmd, issue_flags, true);				\
}									\
static void name##_sbody(struct io_uring_cmd *ioucmd,			\
			unsigned int issue_flags, bool tw_cancel)
static inline int ucmd_compat_stream_deliver(struct io_uring_cmd *ioucmd,
					     unsigned int bgid,
					     const void *data, size_t len,
					     unsigned int issue_flags)
{
	return -EOPNOTSUPP;
}
#endif

/*
 * Issued through io-wq because user space asked for it (IOSQE_ASYNC): such
 * a first issue can block and so never follows a UCMD_RETRY of its own.
 */
#define ucmd_compat_force_async(ioucmd)					\
	(cmd_to_io_kiocb(ioucmd)->flags & REQ_F_FORCE_ASYNC)

/*
 * A command's data buffer.  Registered (IORING_URING_CMD_FIXED): 6.1 and
 * 6.12 took the buffer at prep time (an index out of range fails there,
 * -EFAULT) and import it from the request; since 6.15 the import looks it up
 * itself, under the ring's lock, and needs the issue's flags.  Either way
 * the buffer's rsrc node stays with the request until it is freed.  Plain
 * user memory: import_ubuf() since 6.3; before, the same by hand.
 */
#include <linux/uio.h>
#ifdef UCMD_HAVE_IMPORT_FIXED_FLAGS
#define ucmd_compat_import_fixed(addr, len, dir, iter, ioucmd, f)	\
	io_uring_cmd_import_fixed(addr, len, dir, iter, ioucmd, f)
#else
#define ucmd_compat_import_fixed(addr, len, dir, iter, ioucmd, f)	\
	io_uring_cmd_import_fixed(addr, len, dir, iter, ioucmd)
#endif
#ifdef UCMD_HAVE_IMPORT_UBUF
#define ucmd_compat_import_ubuf(dir, buf, len, iter)			\
	import_ubuf(dir, buf, len, iter)
#else
static inline int ucmd_compat_import_ubuf(int dir, void __user *buf,
					  size_t len, struct iov_iter *iter)
{
	if (len > MAX_RW_COUNT)
		len = MAX_RW_COUNT;
	if (unlikely(!access_ok(buf, len)))
		return -EFAULT;
	iov_iter_ubuf(iter, dir, buf, len);
	return 0;
}
#endif

/* Drivers' timers (ucmd_hrtimer_setup()): hrtimer_setup() replaced hrtimer_init() in 6.13. */
#include <linux/hrtimer.h>
#ifdef UCMD_HAVE_HRTIMER_SETUP
#define ucmd_compat_hrtimer_setup(t, fn, clock, mode)			\
	hrtimer_setup(t, fn, clock, mode)
#else
#define ucmd_compat_hrtimer_setup(t, fn, clock, mode)			\
	do {								\
		hrtimer_init(t, clock, mode);				\
		(t)->function = (fn);					\
	} while (0)
#endif

#endif /* _UCMD_COMPAT_H */
