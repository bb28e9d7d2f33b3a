/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/* ucmd_demo.h - user ABI of /dev/ucmd-demo, the ucmd framework's sample misc driver. */
#ifndef _UAPI_LINUX_UCMD_DEMO_H
#define _UAPI_LINUX_UCMD_DEMO_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define UCMD_DEMO_DEVICE	"/dev/ucmd-demo"
#define UCMD_DEMO_MAGIC		'|'

/*
 * Every command below is reachable through ioctl(2) and IORING_OP_URING_CMD
 * with the same number in sqe->cmd_op.  Over io_uring the payload is the SQE
 * command area: an _IOW command carries its argument inline, an _IOR command
 * carries a __u64 user pointer to the output in bytes 0-7.  Bytes a command
 * does not use must be zero (-EINVAL otherwise).
 */

/* 0; logs a greeting. */
#define UCMD_DEMO_HELLO		_IO(UCMD_DEMO_MAGIC, 0x80)
/* 0; stores the file's value at the int pointer. */
#define UCMD_DEMO_GET_VALUE	_IOR(UCMD_DEMO_MAGIC, 0x81, int)
/* 0; sets the file's value.  Needs a writable file (-EBADF). */
#define UCMD_DEMO_SET_VALUE	_IOW(UCMD_DEMO_MAGIC, 0x82, int)
/* 0; does nothing and logs nothing (benchmarks). */
#define UCMD_DEMO_NOP		_IO(UCMD_DEMO_MAGIC, 0x86)
/*
 * Adds to the file's value.  Result: the new value when it is >= 0, else 0
 * (a negative result is always an errno); the new value, sign-extended, is
 * the second result on CQE32 rings.  -ERANGE (value unchanged) if the sum
 * leaves the range of an int.  Needs a writable file (-EBADF).
 */
#define UCMD_DEMO_ADD		_IOW(UCMD_DEMO_MAGIC, 0x87, __s64)

/**
 * struct ucmd_demo_sleep - argument of UCMD_DEMO_SLEEP
 * @nsec: time until completion, at most UCMD_DEMO_MAX_SLEEP_NSEC
 * @tag: returned as the second result on CQE32 rings
 */
struct ucmd_demo_sleep {
	__u64 nsec;
	__u64 tag;
};

#define UCMD_DEMO_MAX_SLEEP_NSEC	10000000000ULL
/* Completes asynchronously with 0 after nsec; -ECANCELED when cancelled. */
#define UCMD_DEMO_SLEEP		_IOW(UCMD_DEMO_MAGIC, 0x90, struct ucmd_demo_sleep)

/** struct ucmd_demo_blob - argument of UCMD_DEMO_SUM128 (needs an SQE128 ring) */
struct ucmd_demo_blob {
	__u8 data[80];
};

/* Sum of the 80 bytes. */
#define UCMD_DEMO_SUM128	_IOW(UCMD_DEMO_MAGIC, 0x91, struct ucmd_demo_blob)
/**
 * struct ucmd_demo_watch - argument of UCMD_DEMO_WATCH
 * @count: events after which the driver ends the stream (result 0); 0 for
 *	no limit
 * @flags: must be 0
 */
struct ucmd_demo_watch {
	__u32 count;
	__u32 flags;
};

/**
 * struct ucmd_demo_event - one event of UCMD_DEMO_WATCH, in a provided buffer
 * @seq: the file's SET_VALUE count, this one included (1, 2, ...)
 * @value: the value SET_VALUE stored
 * @reserved: 0
 */
struct ucmd_demo_event {
	__u64 seq;
	__s32 value;
	__u32 reserved;
};

/*
 * An event stream (Linux 7.x; io_uring only): submit it with
 * IORING_URING_CMD_MULTISHOT in sqe->uring_cmd_flags, IOSQE_BUFFER_SELECT and
 * a provided-buffer group in sqe->buf_group.  Each UCMD_DEMO_SET_VALUE on the
 * same file then posts one CQE with IORING_CQE_F_MORE and IORING_CQE_F_BUFFER:
 * res = sizeof(struct ucmd_demo_event), the event in the buffer whose id is in
 * the CQE's flags.  UCMD_DEMO_ADD posts nothing.  The last CQE has no
 * IORING_CQE_F_MORE; its result: 0 after @count events, -ECANCELED when the
 * ring or task went away, -ENOBUFS when the group had no buffer for an event,
 * -EMSGSIZE when a buffer was smaller than an event, -EOVERFLOW when more
 * than UCMD_STREAM_DEPTH events waited for the task (it then missed some).
 * Without IORING_URING_CMD_MULTISHOT: -EINVAL.  Over ioctl, and on kernels
 * without multishot uring commands (6.1, 6.12): -EOPNOTSUPP.
 */
#define UCMD_DEMO_WATCH		_IOW(UCMD_DEMO_MAGIC, 0x92, struct ucmd_demo_watch)
/* 0; resets the framework counters of the device.  Needs CAP_SYS_ADMIN. */
#define UCMD_DEMO_RESET_STATS	_IO(UCMD_DEMO_MAGIC, 0xA0)

/* Size of the buffer shared by all opens behind read/write/lseek. */
#define UCMD_DEMO_BUF_SIZE	4096

#endif /* _UAPI_LINUX_UCMD_DEMO_H */
