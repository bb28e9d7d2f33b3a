// SPDX-License-Identifier: GPL-2.0
/* buf.c - ucmd_import_buf(): a command's data buffer, registered with the ring or plain user memory, as an iov_iter. */

#include <linux/fs.h>
#include <linux/uio.h>

#include "ucmd_compat.h"
#include "ucmd_internal.h"

/**
 * ucmd_import_buf() - an iov_iter over the command's data buffer
 * @uc: the command being issued; its op must have %UCMD_F_BUF
 * @addr: user address of the data, as user space wrote it in the payload
 * @len: bytes at @addr
 * @dir: %ITER_SOURCE when the driver reads the data, %ITER_DEST when it
 *	writes it
 * @iter: filled in on success
 *
 * One call for every path, so one handler serves them all: over io_uring
 * with %IORING_URING_CMD_FIXED the range must lie inside the ring's
 * registered buffer that ``sqe->buf_index`` names, and @iter is a bvec
 * iterator over its pinned pages (no page pinning, no copy); otherwise
 * (io_uring without the flag, ioctl, an entry of %UCMD_VEC) @addr is plain
 * user memory and @iter a user-backed iterator (``user_backed_iter()``).
 * Call it from the handler, as often as the command has buffers (source and
 * destination); with a registered buffer all of them come from the one
 * buffer the SQE names.
 *
 * What the driver may keep: the &struct iov_iter is a small value that it
 * may copy into its per-command state (ucmd_defer()).  A user-backed
 * iterator can be used only in the submitter's context: the handler and
 * the op's @finish hook.  A registered buffer stays pinned by io_uring until
 * the command's completion has been posted, even if user space unregisters
 * it meanwhile (6.1 and 6.12 make the unregistration wait; newer kernels
 * free the buffer after the last command that uses it), so its iterator may
 * also be used from a worker or an interrupt, up to the driver's
 * ucmd_complete() and in @finish.  If the command is cancelled, io_uring may
 * release the buffer as soon as the op's @cancel hook has returned: a driver
 * that touches the buffer outside the handler and @finish must have stopped
 * doing so when @cancel returns.
 *
 * Return: 0; -EFAULT when the range is not inside the registered buffer
 * (or no buffer has that index, or the buffers were unregistered) or is not
 * user memory; -EINVAL when @len exceeds %MAX_RW_COUNT, or the op lacks
 * %UCMD_F_BUF (a driver bug: refused and counted).
 */
int ucmd_import_buf(struct ucmd *uc, u64 addr, size_t len, int dir,
		    struct iov_iter *iter)
{
	if (unlikely(!(uc->op->flags & UCMD_F_BUF))) {
		ucmd_refuse(uc->ud, "buffer import for an op without UCMD_F_BUF");
		return -EINVAL;
	}
	if (unlikely(len > MAX_RW_COUNT))
		return -EINVAL;
	if (uc->hflags & UCMD_H_FIXED)
		return ucmd_compat_import_fixed(addr, len, dir, iter,
						uc->ioucmd, uc->iflags);
	return ucmd_compat_import_ubuf(dir, u64_to_user_ptr(addr), len, iter);
}
EXPORT_SYMBOL_GPL(ucmd_import_buf);
