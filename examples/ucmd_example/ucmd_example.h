/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/* ucmd_example.h - user ABI of /dev/ucmd-example, the out-of-tree example driver built on ucmd. */
#ifndef _UAPI_LINUX_UCMD_EXAMPLE_H
#define _UAPI_LINUX_UCMD_EXAMPLE_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define UCMD_EXAMPLE_DEVICE		"/dev/ucmd-example"
#define UCMD_EXAMPLE_MAGIC		0xCF
#define UCMD_EXAMPLE_ABI_VERSION	1
#define UCMD_EXAMPLE_MAX_DELAY_MS	5000

/*
 * Each command works through ioctl(2) and as IORING_OP_URING_CMD with the
 * same number in sqe->cmd_op.  Over io_uring an _IOW command's argument sits
 * inline in the SQE command area; an _IOR command carries a __u64 user
 * pointer in bytes 0-7.  Unused bytes of the area must be zero (-EINVAL).
 */

/**
 * struct ucmd_example_info - written by UCMD_EXAMPLE_INFO
 * @abi_version: UCMD_EXAMPLE_ABI_VERSION
 * @max_delay_ms: UCMD_EXAMPLE_MAX_DELAY_MS
 * @delays_fired: DELAY commands whose timer ran
 * @delays_cancelled: DELAY commands cancelled before their timer ran
 */
struct ucmd_example_info {
	__u32 abi_version;
	__u32 max_delay_ms;
	__u64 delays_fired;
	__u64 delays_cancelled;
};

/* 0; fills struct ucmd_example_info (synchronous, pointer payload). */
#define UCMD_EXAMPLE_INFO	_IOR(UCMD_EXAMPLE_MAGIC, 0x01, struct ucmd_example_info)

/** struct ucmd_example_add - argument of UCMD_EXAMPLE_ADD (16 bytes inline) */
struct ucmd_example_add {
	__u64 a;
	__u64 b;
};

/* a + b, or -EOVERFLOW above INT_MAX; second result (CQE32 rings): a * b. */
#define UCMD_EXAMPLE_ADD	_IOW(UCMD_EXAMPLE_MAGIC, 0x02, struct ucmd_example_add)

/**
 * struct ucmd_example_delay - argument of UCMD_EXAMPLE_DELAY
 * @msec: delay, at most UCMD_EXAMPLE_MAX_DELAY_MS
 * @flags: must be 0
 * @tag: returned as the second result on CQE32 rings
 */
struct ucmd_example_delay {
	__u32 msec;
	__u32 flags;
	__u64 tag;
};

/*
 * Completes asynchronously with 0 after @msec.  Cancelled: -ECANCELED over
 * io_uring (ring exit, task exit), -EINTR for an ioctl hit by a signal.
 */
#define UCMD_EXAMPLE_DELAY	_IOW(UCMD_EXAMPLE_MAGIC, 0x03, struct ucmd_example_delay)

/* 0; zeroes the driver's and the framework's counters.  Writable file, CAP_SYS_ADMIN. */
#define UCMD_EXAMPLE_RESET	_IO(UCMD_EXAMPLE_MAGIC, 0x04)

#endif /* _UAPI_LINUX_UCMD_EXAMPLE_H */
