/* SPDX-License-Identifier: GPL-2.0 */
/* ucmd.h - the ucmd framework API: serve ioctl and io_uring commands from one op table. */
#ifndef _LINUX_UCMD_H
#define _LINUX_UCMD_H

#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/ioctl.h>
#include <linux/miscdevice.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <uapi/linux/ucmd.h>

struct io_uring_cmd;
struct iov_iter;
struct ucmd;
struct ucmd_dev;

/**
 * DOC: ucmd overview
 *
 * A driver declares its commands once, in a table of &struct ucmd_op, and
 * gets both ->unlocked_ioctl and ->uring_cmd from it (UCMD_FOPS()).  The
 * framework looks the command up, checks permissions and the payload, copies
 * the payload once and calls the handler with a &struct ucmd handle.  The
 * handler then either
 *
 * - returns a result (>= 0 or a negative errno): the command completes now;
 *   ucmd_set_res2() adds a second result for CQE32 rings;
 * - returns %UCMD_RETRY when ucmd_nonblock() says it must not block: io_uring
 *   issues the command again from a context that may block;
 * - calls ucmd_defer() and returns %UCMD_QUEUED: the returned token is then
 *   the only way to complete the command, with ucmd_complete(), exactly
 *   once, from any context.
 *
 * Completions are routed through task_work, so io_uring always sees the
 * issue_flags of the context the completion runs in; drivers never see
 * issue_flags at all.
 */

/* The file must be open for writing (-EBADF otherwise). */
#define UCMD_F_WRITE	BIT(0)
/* The caller needs CAP_SYS_ADMIN (-EPERM otherwise). */
#define UCMD_F_ADMIN	BIT(1)
/* Needs an SQE128 ring (-EINVAL otherwise); implied by a payload > 16 bytes. */
#define UCMD_F_SQE128	BIT(2)
/* Needs a CQE32 ring on the io_uring path (-EINVAL otherwise). */
#define UCMD_F_CQE32	BIT(3)
/* The handler may call ucmd_defer(). */
#define UCMD_F_ASYNC	BIT(4)
/* Deferred completions use the lazy task_work wake-up (batch friendly). */
#define UCMD_F_LAZY	BIT(5)
/*
 * The op takes a data buffer (ucmd_import_buf()); only such an op accepts
 * IORING_URING_CMD_FIXED, a registered buffer (-EINVAL otherwise).
 */
#define UCMD_F_BUF	BIT(6)
/*
 * An event stream (ucmd_stream_start()): io_uring only, with
 * IORING_URING_CMD_MULTISHOT and IOSQE_BUFFER_SELECT (-EINVAL without the
 * flag; -EOPNOTSUPP over ioctl, inside UCMD_VEC and on kernels without
 * multishot uring commands).  Needs a @stream_cancel hook; not with
 * %UCMD_F_ASYNC.
 */
#define UCMD_F_MULTISHOT	BIT(7)

/* Handler return value: issue the command again where it may block. */
#define UCMD_RETRY	(-MAX_ERRNO - 1)
/* Handler return value: the command was deferred with ucmd_defer(). */
#define UCMD_QUEUED	(-MAX_ERRNO - 2)

/* Largest payload: the command area of an SQE128 entry. */
#define UCMD_MAX_PAYLOAD	UCMD_SQE128_PAYLOAD
/* Bytes of the per-command scratch area (pdu) a driver may use. */
#define UCMD_PDU_SIZE		24

struct ucmd_req;
struct ucmd_stream_req;

/**
 * struct ucmd_token - the right to complete one deferred command
 * @req: the framework's request
 * @gen: its generation when the token was made
 *
 * Returned by ucmd_defer(); pass it by value to ucmd_complete().  A token
 * stays harmless after use while its device exists: completing it again is
 * refused and reported, even after the request was reused.
 */
struct ucmd_token {
	struct ucmd_req *req;
	u32 gen;
};

/**
 * struct ucmd_stream - the right to post to one event stream and to end it
 * @sr: the framework's stream
 * @gen: its generation when the stream started
 *
 * Returned by ucmd_stream_start(); pass it by value to ucmd_stream_post()
 * and ucmd_stream_end().  Like a &struct ucmd_token it stays harmless after
 * the end while its device exists: using it again is refused and reported.
 */
struct ucmd_stream {
	struct ucmd_stream_req *sr;
	u32 gen;
};

/**
 * struct ucmd_op - one command of a device
 * @cmd: command number in ioctl encoding; also sqe->cmd_op
 * @flags: UCMD_F_* requirements
 * @handler: runs the command, see the overview
 * @cancel: for %UCMD_F_ASYNC commands: asks the driver to finish a deferred
 *	command early (ring exit, process death, signal to an ioctl caller).
 *	The command has already been completed to user space with -ECANCELED
 *	(-EINTR for ioctl); the driver must still call ucmd_complete() once,
 *	which is then absorbed.  May be NULL.  Runs in process context, never
 *	before the handler has returned; on 6.12+ with io_uring's uring_lock
 *	held (ring exit, task exit), so it must not wait for the ring.
 * @finish: for %UCMD_F_ASYNC commands: runs once for a deferred command the
 *	driver completed and user space did not cancel, in the context that
 *	delivers the result, just before it is delivered: the submitting
 *	task's task_work, the ioctl caller, or the issuer when the driver
 *	completed during the handler.  The submitter's memory is current, so
 *	this is where output goes to user space: a write here can never follow
 *	a -ECANCELED or -EINTR (a cancelled command never gets here).  Gets the
 *	driver state and the result given to ucmd_complete(); returns the
 *	result to deliver.  When ucmd_complete() returned -ECANCELED, @finish
 *	will not run for that command.  May be NULL.
 * @stream_cancel: for %UCMD_F_MULTISHOT commands: the user side ended the
 *	stream (ring exit, task exit, no provided buffer left, a full event
 *	queue, a fault) and its final CQE is posted, or the device was
 *	removed (ucmd_dev_remove(), which calls the hook itself; the queued
 *	events and the final -ENODEV CQE may still be on their way); the
 *	driver must stop posting and still call ucmd_stream_end() once, which
 *	is then absorbed (-ECANCELED, -ENODEV).  Runs once per stream, and not
 *	at all when the driver had ended the stream first.  Runs in process
 *	context, possibly with io_uring's uring_lock held or from
 *	ucmd_dev_remove() with whatever its caller holds: it must not wait
 *	for the ring or for those locks.  Required.
 * @name: for logs and tracing
 *
 * The payload follows from the ioctl encoding of @cmd: an _IOW command
 * carries _IOC_SIZE() bytes inline in the SQE (copied from the pointer
 * argument for ioctl); an _IOR or _IOWR command carries a __u64 user pointer
 * in bytes 0-7 (the pointer argument for ioctl), read from for _IOWR and
 * written through with ucmd_copy_out().  Unused payload bytes must be zero.
 */
struct ucmd_op {
	u32 cmd;
	u32 flags;
	int (*handler)(struct ucmd *uc);
	void (*cancel)(struct ucmd_token tok, void *priv);
	int (*finish)(void *priv, int res);
	void (*stream_cancel)(struct ucmd_stream st, void *priv);
	const char *name;
};

#define UCMD_OP(_cmd, _handler, _flags)					\
	{ .cmd = (_cmd), .handler = (_handler), .flags = (_flags),	\
	  .name = #_cmd }

#define UCMD_OP_ASYNC(_cmd, _handler, _cancel, _flags)			\
	{ .cmd = (_cmd), .handler = (_handler), .cancel = (_cancel),	\
	  .flags = (_flags) | UCMD_F_ASYNC, .name = #_cmd }

/* An async command whose output goes to user space in @_finish. */
#define UCMD_OP_ASYNC_FINISH(_cmd, _handler, _cancel, _finish, _flags)	\
	{ .cmd = (_cmd), .handler = (_handler), .cancel = (_cancel),	\
	  .finish = (_finish), .flags = (_flags) | UCMD_F_ASYNC,	\
	  .name = #_cmd }

/* An event stream: one multishot io_uring command, one CQE per event. */
#define UCMD_OP_STREAM(_cmd, _handler, _cancel, _flags)		\
	{ .cmd = (_cmd), .handler = (_handler),				\
	  .stream_cancel = (_cancel),					\
	  .flags = (_flags) | UCMD_F_MULTISHOT, .name = #_cmd }

struct ucmd_stats;
struct ucmd_entry;
struct ucmd_streams;

/* The command table: one slot per command number (_IOC_NR(), 8 bits). */
#define UCMD_CMD_SLOTS (1U << _IOC_NRBITS)
/* At most this many ops: a slot holds an op's position + 1 in a u8, 0 is "none". */
#define UCMD_MAX_OPS U8_MAX
/* What @max_inflight of struct ucmd_dev becomes when the driver leaves it 0. */
#define UCMD_DEFAULT_MAX_INFLIGHT 65536

/**
 * struct ucmd_dev - a misc device served by ucmd
 * @misc: the misc device; fill minor, name, fops (with UCMD_FOPS()), mode
 * @ops: the command table
 * @nr_ops: entries in @ops
 * @req_priv_size: bytes of driver state per deferred command (ucmd_defer())
 *	and per event stream (ucmd_stream_start())
 * @max_inflight: bound on deferred commands in flight (0:
 *	UCMD_DEFAULT_MAX_INFLIGHT); -EBUSY beyond it
 * @vec: also serve UCMD_VEC, the vectored command
 * @release: for a device added with ucmd_dev_add(): frees the driver's
 *	object that embeds this one, once the device was removed and its last
 *	file closed; the framework's own parts are freed already.  NULL for a
 *	device registered with ucmd_dev_register().
 *
 * The remaining fields are private to the framework.
 */
struct ucmd_dev {
	struct miscdevice misc;
	const struct ucmd_op *ops;
	unsigned int nr_ops;
	size_t req_priv_size;
	unsigned int max_inflight;
	bool vec;
	void (*release)(struct ucmd_dev *ud);

	/* private: */
	u8 index[UCMD_CMD_SLOTS];
	struct ucmd_entry *entries;
	struct ucmd_stats __percpu *stats;
	struct ucmd_req * __percpu *req_cache;
	int __percpu *inflight;
	/* Written only on slow paths; the fields above are read-mostly. */
	spinlock_t pool_lock ____cacheline_aligned_in_smp;
	struct llist_head pool;
	unsigned int nr_reqs;
	bool dying;
	wait_queue_head_t idle;
	/* Event streams, allocated with the first one (stream.c). */
	struct ucmd_streams *streams;
	/* Every request of the device, free or not; freed with the device. */
	struct list_head reqs;
	/* The registration and every open file (ucmd_dev_add() devices). */
	refcount_t refs;
	/* Removed (ucmd_dev_remove()): new commands fail with -ENODEV. */
	bool gone;
};

/**
 * struct ucmd - one command being issued, handed to the handler
 *
 * Lives on the stack of the issuing context: valid only until the handler
 * returns.  Use the accessors below; the fields are private.
 */
struct ucmd {
	/* private: */
	struct ucmd_dev *ud;
	const struct ucmd_op *op;
	struct file *file;
	struct io_uring_cmd *ioucmd;
	unsigned int hflags;
	unsigned int iflags;	/* io_uring's issue_flags, with UCMD_H_FIXED only */
	u64 res2;
	void __user *out;
	void *pdu;
	struct ucmd_token tok;
	u64 payload[UCMD_MAX_PAYLOAD / sizeof(u64)];
	u64 local_pdu[UCMD_PDU_SIZE / sizeof(u64)];
};

/* ucmd.hflags bits (private) */
#define UCMD_H_URING	BIT(0)
#define UCMD_H_REISSUE	BIT(1)
#define UCMD_H_SQE128	BIT(2)
#define UCMD_H_CQE32	BIT(3)
#define UCMD_H_FIXED	BIT(4)
#define UCMD_H_DEFERRED	BIT(5)
#define UCMD_H_VEC	BIT(6)
#define UCMD_H_PDU_READY	BIT(7)
#define UCMD_H_MULTISHOT	BIT(8)	/* IORING_URING_CMD_MULTISHOT */
#define UCMD_H_STREAM	BIT(9)	/* the handler started a stream */
/* Where io_uring keeps it in issue_flags (taken over with one AND when the bits line up). */
#define UCMD_H_NONBLOCK	BIT(31)

/** ucmd_cmd_op() - the command number, for a handler that serves several commands */
static inline u32 ucmd_cmd_op(const struct ucmd *uc)
{
	return uc->op->cmd;
}

/** ucmd_dev_of() - the device the command was issued on (container_of() to the driver's) */
static inline struct ucmd_dev *ucmd_dev_of(const struct ucmd *uc)
{
	return uc->ud;
}

/** ucmd_file() - the file the command was issued on */
static inline struct file *ucmd_file(const struct ucmd *uc)
{
	return uc->file;
}

/** ucmd_is_uring() - true when issued through io_uring, false for ioctl */
static inline bool ucmd_is_uring(const struct ucmd *uc)
{
	return uc->hflags & UCMD_H_URING;
}

/** ucmd_is_reissue() - true when io_uring issues the command again after %UCMD_RETRY */
static inline bool ucmd_is_reissue(const struct ucmd *uc)
{
	return uc->hflags & UCMD_H_REISSUE;
}

/**
 * ucmd_buf_registered() - true when the command names a registered buffer
 * @uc: the command
 *
 * That is, io_uring with %IORING_URING_CMD_FIXED: ucmd_import_buf() then
 * imports from the ring's buffer.  For a handler with a path that reads user
 * memory otherwise and so must refuse the flag there.
 *
 * Return: true for a registered buffer, false otherwise (and over ioctl).
 */
static inline bool ucmd_buf_registered(const struct ucmd *uc)
{
	return uc->hflags & UCMD_H_FIXED;
}

/** ucmd_nonblock() - true when the handler must not block (return %UCMD_RETRY) */
static inline bool ucmd_nonblock(const struct ucmd *uc)
{
	return uc->hflags & UCMD_H_NONBLOCK;
}

/** ucmd_set_res2() - set the second result (CQE32 rings; ignored otherwise) */
static inline void ucmd_set_res2(struct ucmd *uc, u64 res2)
{
	uc->res2 = res2;
}

/**
 * ucmd_payload() - the command's payload, a kernel copy read once
 * @uc: the command
 * @type: the payload type; at most %UCMD_MAX_PAYLOAD bytes, 8-byte aligned
 */
#define ucmd_payload(uc, type) ({					\
	BUILD_BUG_ON(sizeof(type) > UCMD_MAX_PAYLOAD);			\
	BUILD_BUG_ON(__alignof__(type) > sizeof(u64));			\
	(const type *)(uc)->payload;					\
})

/* Zeroing happens on first access: commands that never use the pdu pay nothing. */
static inline void *__ucmd_pdu(struct ucmd *uc)
{
	if (!(uc->hflags & UCMD_H_PDU_READY)) {
		if (!(uc->hflags & UCMD_H_REISSUE))
			memset(uc->pdu, 0, UCMD_PDU_SIZE);
		uc->hflags |= UCMD_H_PDU_READY;
	}
	return uc->pdu;
}

/**
 * ucmd_pdu() - typed access to the per-command scratch area
 * @uc: the command
 * @type: at most %UCMD_PDU_SIZE bytes, at most 8-byte aligned
 *
 * Zeroed on first issue, kept when io_uring issues the command again.
 */
#define ucmd_pdu(uc, type) ({						\
	BUILD_BUG_ON(sizeof(type) > UCMD_PDU_SIZE);			\
	BUILD_BUG_ON(__alignof__(type) > sizeof(u64));			\
	(type *)__ucmd_pdu(uc);						\
})

int ucmd_copy_out(struct ucmd *uc, const void *src, size_t len);
int ucmd_import_buf(struct ucmd *uc, u64 addr, size_t len, int dir,
		    struct iov_iter *iter);
void *ucmd_defer(struct ucmd *uc, struct ucmd_token *tok);
int ucmd_complete_res2(struct ucmd_token tok, int res, u64 res2);

/**
 * ucmd_complete() - complete a deferred command, from any context
 * @tok: the token ucmd_defer() returned
 * @res: the result
 *
 * Return: 0, -ECANCELED when the command was cancelled first (the result is
 * dropped; not an error of the driver), or -EALREADY when @tok was already
 * completed (refused, counted and warned about once).
 */
static inline int ucmd_complete(struct ucmd_token tok, int res)
{
	return ucmd_complete_res2(tok, res, 0);
}

/**
 * ucmd_complete2() - deprecated name of ucmd_complete_res2()
 * @tok: the token ucmd_defer() returned
 * @res: the result
 * @res2: the second result, seen on CQE32 rings
 *
 * Kept so that drivers written against the old name still build (the "2"
 * was res2); new code calls ucmd_complete_res2().
 *
 * Return: as ucmd_complete_res2().
 */
static inline int ucmd_complete2(struct ucmd_token tok, int res, u64 res2)
{
	return ucmd_complete_res2(tok, res, res2);
}

/**
 * DOC: Event streams
 *
 * An op with %UCMD_F_MULTISHOT (UCMD_OP_STREAM()) serves one io_uring
 * command that completes many times.  Its handler calls ucmd_stream_start()
 * and returns %UCMD_QUEUED; from then on the driver posts events with
 * ucmd_stream_post() from any context, and each event becomes one CQE with
 * IORING_CQE_F_MORE whose data (the event's bytes) is in a buffer taken
 * from the SQE's provided-buffer group.  ucmd_stream_end() ends the stream:
 * the events still queued are delivered, then a final CQE without
 * IORING_CQE_F_MORE carries the driver's result.
 *
 * Events are queued in the stream (at most %UCMD_STREAM_DEPTH, each at most
 * %UCMD_STREAM_EVENT_MAX bytes) and delivered by task_work in the submitting
 * task.  The user side ends a stream, with the final CQE's result, when the
 * ring or the task goes away (-ECANCELED), the buffer group has no buffer
 * left (-ENOBUFS), a buffer is smaller than the event (-EMSGSIZE), the
 * buffer cannot be written (-EFAULT), or the driver posted into a full
 * queue (-EOVERFLOW, after the queued events); the op's @stream_cancel hook
 * then runs.  ucmd_dev_remove() ends every stream of the device the driver
 * has not ended: the hook runs, posts fail with -ENODEV, the queued events
 * are delivered, then the final CQE has -ENODEV.  Multishot uring commands
 * exist since Linux 6.18; ucmd serves them on kernels whose task_work
 * callbacks take &struct io_tw_req (7.x).
 */
void *ucmd_stream_start(struct ucmd *uc, struct ucmd_stream *st);
int ucmd_stream_post(struct ucmd_stream st, const void *data, size_t len);
int ucmd_stream_end(struct ucmd_stream st, int res);

int ucmd_dev_register(struct ucmd_dev *ud);
void ucmd_dev_unregister(struct ucmd_dev *ud);
void ucmd_dev_reset_stats(struct ucmd_dev *ud);
void ucmd_set_warn_refusals(bool on);
void ucmd_hrtimer_setup(struct hrtimer *timer,
			enum hrtimer_restart (*function)(struct hrtimer *),
			clockid_t clock_id, enum hrtimer_mode mode);

int ucmd_uring_cmd(struct ucmd_dev *ud, struct io_uring_cmd *ioucmd,
		   unsigned int issue_flags);
long ucmd_ioctl(struct ucmd_dev *ud, struct file *file, unsigned int cmd,
		unsigned long arg);

/**
 * UCMD_DEFINE_FOPS_HOOKS() - define the ioctl/uring_cmd entry points of a device
 * @prefix: prefix of the generated functions
 * @udev: the &struct ucmd_dev (a static object)
 */
#define UCMD_DEFINE_FOPS_HOOKS(prefix, udev)				\
static int prefix##_uring_cmd(struct io_uring_cmd *ioucmd,		\
			      unsigned int issue_flags)			\
{									\
	return ucmd_uring_cmd(&(udev), ioucmd, issue_flags);		\
}									\
static long prefix##_unlocked_ioctl(struct file *file, unsigned int cmd, \
				    unsigned long arg)			\
{									\
	return ucmd_ioctl(&(udev), file, cmd, arg);			\
}

/**
 * DOC: Devices created and removed at run time
 *
 * A driver that creates devices while it runs (one per card, namespace or
 * user request) embeds a &struct ucmd_dev in its own object, sets
 * &ucmd_dev.release and the misc device's fops to a &struct file_operations
 * with UCMD_DEV_FOPS, and calls ucmd_dev_add().  Every open file then holds
 * a reference on the device and the entry points find it from the file:
 * one fops serves any number of devices.  ucmd_dev_remove() unplugs it at
 * once, with files open and commands in flight: new opens and commands fail
 * (-ENODEV), deferred commands end with -ENODEV after their op's cancel
 * hook ran, event streams end with a final -ENODEV CQE after their queued
 * events (their @stream_cancel hook runs once), and @release runs when the
 * last file is closed.
 */
int ucmd_dev_add(struct ucmd_dev *ud);
void ucmd_dev_remove(struct ucmd_dev *ud);
void ucmd_dev_get(struct ucmd_dev *ud);
void ucmd_dev_put(struct ucmd_dev *ud);
int ucmd_dev_open(struct inode *inode, struct file *file);
int ucmd_dev_file_release(struct inode *inode, struct file *file);
int ucmd_dev_uring_cmd(struct io_uring_cmd *ioucmd, unsigned int issue_flags);
long ucmd_dev_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

/**
 * UCMD_DEV_FOPS - the file_operations members of a ucmd_dev_add() device
 *
 * The file's private_data is the &struct ucmd_dev (ucmd_dev_of() in a
 * handler); the driver adds .owner and may add members ucmd does not set.
 */
#define UCMD_DEV_FOPS							\
	.open = ucmd_dev_open,						\
	.release = ucmd_dev_file_release,				\
	.uring_cmd = ucmd_dev_uring_cmd,				\
	.unlocked_ioctl = ucmd_dev_ioctl,				\
	.compat_ioctl = compat_ptr_ioctl

/**
 * UCMD_FOPS() - the file_operations members served by ucmd
 * @prefix: as given to UCMD_DEFINE_FOPS_HOOKS()
 */
#define UCMD_FOPS(prefix)						\
	.uring_cmd = prefix##_uring_cmd,				\
	.unlocked_ioctl = prefix##_unlocked_ioctl,			\
	.compat_ioctl = compat_ptr_ioctl

#endif /* _LINUX_UCMD_H */
