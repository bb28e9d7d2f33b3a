/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/* ucmd.h - user ABI shared by every device built on the ucmd framework. */
#ifndef _UAPI_LINUX_UCMD_H
#define _UAPI_LINUX_UCMD_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* Size of the SQE command area on normal and on SQE128 rings. */
#define UCMD_SQE_PAYLOAD	16
#define UCMD_SQE128_PAYLOAD	80

/*
 * Framework counters of a device, one value per file, in
 * /sys/class/misc/<name>/ucmd/<counter>.
 */
#define UCMD_SYSFS_DIR		"/sys/class/misc/%s/ucmd"

/**
 * struct ucmd_vec_entry - one sub-command of UCMD_VEC
 * @cmd_op: command number, as in sqe->cmd_op
 * @result: written back: the sub-command's result (or negative errno)
 * @res2: written back: the sub-command's second result (0 if none)
 * @payload: the sub-command's payload, as in the SQE command area
 */
struct ucmd_vec_entry {
	__u32 cmd_op;
	__s32 result;
	__u64 res2;
	__u8 payload[16];
};

/**
 * struct ucmd_vec - argument of UCMD_VEC: run @nr sub-commands, one completion
 * @entries: user pointer to an array of @nr struct ucmd_vec_entry
 * @nr: number of entries, 1 to UCMD_VEC_MAX
 * @flags: must be 0
 *
 * The command's result is the number of entries that ran; each entry's
 * result and res2 are written back.  Asynchronous sub-commands are refused
 * (-EOPNOTSUPP in their entry).  Entries run in chunks of 16: a result
 * smaller than @nr means the next chunk could not be read, a fatal signal
 * stopped the vector, or the last chunk counted ran but its results could
 * not be written back (never run a counted entry again).  -EFAULT: the first
 * chunk could not be read; -EINTR: a fatal signal came first.
 */
struct ucmd_vec {
	__u64 entries;
	__u32 nr;
	__u32 flags;
};

#define UCMD_VEC_MAX		1024

/*
 * Event streams (multishot commands, Linux 7.x): events a driver may queue
 * for one stream before the submitting task takes them (the stream then
 * ends with -EOVERFLOW), and the largest event, in bytes.
 */
#define UCMD_STREAM_DEPTH	16
#define UCMD_STREAM_EVENT_MAX	64
#define UCMD_VEC		_IOW(0xCD, 0x01, struct ucmd_vec)

#endif /* _UAPI_LINUX_UCMD_H */
