// SPDX-License-Identifier: GPL-2.0
/* dyn.c - devices created and removed at run time: their references, their files and hot unplug. */

#include <linux/file.h>
#include <linux/module.h>
#include <linux/rculist.h>

#include "ucmd_req.h"
#include "ucmd_trace.h"

/**
 * ucmd_dev_add() - register a device that may be removed while in use
 * @ud: the device, embedded in the driver's object: misc (its fops made
 *	with UCMD_DEV_FOPS), ops, nr_ops and release filled in
 *
 * As ucmd_dev_register(), but the device is reference counted: the
 * registration holds one reference, every open file another.  Remove it
 * with ucmd_dev_remove(); &ucmd_dev.release frees the driver's object.
 * The op table may have event streams (%UCMD_F_MULTISHOT ops), served as on
 * a ucmd_dev_register() device: on kernels without multishot uring
 * commands their commands fail (-EOPNOTSUPP), the table does not.
 *
 * Context: process context.
 * Return: 0 or a negative errno (-EINVAL: no release, fops without
 * UCMD_DEV_FOPS, or a malformed op table).  On failure @release is not
 * called: the object is still the caller's.
 */
int ucmd_dev_add(struct ucmd_dev *ud)
{
	const struct file_operations *fops = ud->misc.fops;

	/* Without the framework's open and release, a file would not hold the device. */
	if (!ud->release || !fops || fops->open != ucmd_dev_open ||
	    fops->release != ucmd_dev_file_release)
		return -EINVAL;
	return ucmd_dev_register(ud);
}
EXPORT_SYMBOL_GPL(ucmd_dev_add);

/**
 * ucmd_dev_get() - take a reference on a ucmd_dev_add() device
 * @ud: the device; the caller holds a reference already
 */
void ucmd_dev_get(struct ucmd_dev *ud)
{
	refcount_inc(&ud->refs);
}
EXPORT_SYMBOL_GPL(ucmd_dev_get);

/**
 * ucmd_dev_put() - drop a reference on a ucmd_dev_add() device
 * @ud: the device
 *
 * The last one frees the framework's parts of the device, then calls
 * &ucmd_dev.release.
 *
 * Context: process context (the release of the last file, or the caller
 * of ucmd_dev_remove()).
 */
void ucmd_dev_put(struct ucmd_dev *ud)
{
	if (!refcount_dec_and_test(&ud->refs))
		return;
	/* No file is open: every request is free (each held its file). */
	WARN_ON_ONCE(ucmd_dev_inflight(ud));
	ucmd_dev_teardown(ud);
	ud->release(ud);
}
EXPORT_SYMBOL_GPL(ucmd_dev_put);

/**
 * ucmd_dev_open() - &file_operations.open of a ucmd_dev_add() device
 * @inode: the inode
 * @file: the file; its private_data becomes the &struct ucmd_dev
 *
 * Return: 0.
 */
int ucmd_dev_open(struct inode *inode, struct file *file)
{
	struct miscdevice *misc = file->private_data;
	struct ucmd_dev *ud = container_of(misc, struct ucmd_dev, misc);

	/*
	 * misc_open() calls this under misc_mtx, which misc_deregister() takes
	 * before ucmd_dev_remove() drops the registration's reference.
	 */
	ucmd_dev_get(ud);
	file->private_data = ud;
	return 0;
}
EXPORT_SYMBOL_GPL(ucmd_dev_open);

/**
 * ucmd_dev_file_release() - &file_operations.release of a ucmd_dev_add() device
 * @inode: the inode
 * @file: the file
 *
 * Return: 0.
 */
int ucmd_dev_file_release(struct inode *inode, struct file *file)
{
	ucmd_dev_put(file->private_data);
	return 0;
}
EXPORT_SYMBOL_GPL(ucmd_dev_file_release);

/**
 * ucmd_dev_uring_cmd() - &file_operations.uring_cmd of a ucmd_dev_add() device
 * @ioucmd: the command
 * @issue_flags: io_uring's flags for this issue
 *
 * Return: as ucmd_uring_cmd(), for the device the file was opened on.
 */
int ucmd_dev_uring_cmd(struct io_uring_cmd *ioucmd, unsigned int issue_flags)
{
	return ucmd_uring_cmd(ioucmd->file->private_data, ioucmd, issue_flags);
}
EXPORT_SYMBOL_GPL(ucmd_dev_uring_cmd);

/**
 * ucmd_dev_ioctl() - &file_operations.unlocked_ioctl of a ucmd_dev_add() device
 * @file: the file
 * @cmd: the command number
 * @arg: the argument
 *
 * Return: as ucmd_ioctl(), for the device the file was opened on.
 */
long ucmd_dev_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return ucmd_ioctl(file->private_data, file, cmd, arg);
}
EXPORT_SYMBOL_GPL(ucmd_dev_ioctl);

/* An io_uring command the removal cancelled: its CQE, from the submitter's task_work. */
UCMD_TW_CB(ucmd_tw_gone)
{
	struct ucmd_req *req = (struct ucmd_req *)*ucmd_slot(ioucmd);

	trace_ucmd_complete(req->ud, req->op->cmd, -ENODEV, true);
	if (!UCMD_HAVE_KERNEL_REISSUE && !UCMD_CAN_CANCEL)
		*ucmd_slot(ioucmd) = 0;
	ucmd_compat_done(ioucmd, -ENODEV, 0, req->cqe32, issue_flags);
	ucmd_req_iou_done(req);
}

/*
 * Cancels one deferred command whose handler has returned; one still in its
 * handler is ended by its issuer, which looks at gone once it is done.  The
 * cancel hook runs before the user side is told: until then the request
 * cannot be freed, so the hook's token is still of this generation.
 */
static void ucmd_req_unplug(struct ucmd_req *req)
{
	if (!ucmd_req_try_cancel(req))
		return;
	ucmd_req_cancel_hook(req);
	if (req->ioucmd)
		ucmd_compat_complete_in_task(req->ioucmd, ucmd_tw_gone, false);
	else
		complete(&req->done);
}

/**
 * ucmd_dev_remove() - unplug a ucmd_dev_add() device, in use or not
 * @ud: the device
 *
 * Removes the device node, then fails new commands on files still open
 * with -ENODEV, and ends every deferred command with -ENODEV (io_uring and
 * ioctl alike) after running its op's cancel hook, which must then complete
 * it as after any cancel.  Every event stream the driver has not ended is
 * ended too: its @stream_cancel hook runs here, ucmd_stream_post() fails
 * with -ENODEV from now on, the events already queued are delivered and
 * then the final CQE (without IORING_CQE_F_MORE) has -ENODEV; the driver
 * still calls ucmd_stream_end() once, which is absorbed.  A stream the
 * driver ended first keeps its result.  Waits for nothing else: a command
 * or stream whose handler is running is ended by its issuer when the
 * handler returns (for a stream, its hook then runs in task_work after the
 * final CQE).  The files stay open until user space closes them; the last
 * reference (a file's, or the registration's dropped here) frees the
 * device through &ucmd_dev.release.
 *
 * Context: process context; not from a cancel hook or a handler of @ud.
 * The stream hooks run here: they must not wait for what the caller
 * holds.
 */
void ucmd_dev_remove(struct ucmd_dev *ud)
{
	struct ucmd_req *req;

	misc_deregister(&ud->misc);
	/* Before the requests are looked at: pairs with ucmd_uring_gone(). */
	smp_store_mb(ud->gone, true);
	/* Every lookup now misses, and a miss sees gone (ucmd_prepare_miss()). */
	memset(ud->index, 0, sizeof(ud->index));
	/*
	 * Requests are added under pool_lock and leave the list only when the
	 * device is freed, which the registration's reference prevents here.
	 */
	list_for_each_entry_rcu(req, &ud->reqs, all, true)
		ucmd_req_unplug(req);
	ucmd_stream_unplug(ud);
	ucmd_dev_put(ud);
}
EXPORT_SYMBOL_GPL(ucmd_dev_remove);
