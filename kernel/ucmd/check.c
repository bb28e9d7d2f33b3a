// SPDX-License-Identifier: GPL-2.0
/* check.c - the checks of every command: the op table at registration, rights, payload and handler results. */

#include <linux/capability.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "ucmd_internal.h"

static bool ucmd_warn_refusals = true;

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
	if (op->flags & UCMD_F_MULTISHOT)
		need |= UCMD_E_MULTISHOT;
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
	if (need & UCMD_E_MULTISHOT) {
		int ret = ucmd_stream_check(uc);

		if (ret)
			return ret;
	}
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

	/*
	 * ucmd_dev_remove() sets gone, then points every number at the empty
	 * entry: a removed device costs the common path nothing.
	 */
	smp_rmb();
	if (unlikely(READ_ONCE(ud->gone)))
		return -ENODEV;
	if (e->key == UCMD_KEY_SLOW(cmd)) {
		uc->op = e->op;
		return ucmd_prepare_slow(uc, e, area);
	}
	if (cmd != UCMD_VEC || !uc->ud->vec || (uc->hflags & UCMD_H_VEC))
		return -ENOTTY;
	/* A vector takes no registered buffer: its entries use plain memory. */
	if (uc->hflags & UCMD_H_FIXED)
		return -EINVAL;
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
int ucmd_build_table(struct ucmd_dev *ud)
{
	unsigned int i;

	if (!ud->ops || !ud->nr_ops || ud->nr_ops > UCMD_MAX_OPS)
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
		/* A stream has its cancel hook and is no deferred command. */
		if (!(op->flags & UCMD_F_MULTISHOT) != !op->stream_cancel ||
		    (op->flags & (UCMD_F_MULTISHOT | UCMD_F_ASYNC)) ==
		    (UCMD_F_MULTISHOT | UCMD_F_ASYNC))
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
