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
/* 0; resets the framework counters of the device.  Needs CAP_SYS_ADMIN. */
#define UCMD_DEMO_RESET_STATS	_IO(UCMD_DEMO_MAGIC, 0xA0)

/* Size of the buffer shared by all opens behind read/write/lseek. */
#define UCMD_DEMO_BUF_SIZE	4096

#endif /* _UAPI_LINUX_UCMD_DEMO_H */
