/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/* ucmd_multi.h - user ABI of ucmd_multi, the sample whose control device creates and removes ucmd devices at run time. */
#ifndef _UAPI_LINUX_UCMD_MULTI_H
#define _UAPI_LINUX_UCMD_MULTI_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define UCMD_MULTI_CTL_DEVICE	"/dev/ucmd-multi-ctl"
/* A created device: "/dev/ucmd-multi" followed by its number. */
#define UCMD_MULTI_DEVICE_PREFIX "/dev/ucmd-multi"
#define UCMD_MULTI_MAGIC	'}'
/* Devices that may exist at once, numbered 0 to UCMD_MULTI_MAX_DEVICES - 1. */
#define UCMD_MULTI_MAX_DEVICES	64

/*
 * As for every ucmd device, each command is reachable through ioctl(2) and
 * IORING_OP_URING_CMD with the same number in sqe->cmd_op; unused payload
 * bytes must be zero (-EINVAL).
 *
 * The control device (mode 0600; every command needs CAP_SYS_ADMIN and a
 * writable file):
 */

/* Creates a device; result: its number N (/dev/ucmd-multiN); -ENOSPC when all exist. */
#define UCMD_MULTI_CREATE	_IO(UCMD_MULTI_MAGIC, 0x80)
/*
 * Removes device N at once (-ENOENT if there is none), with files open and
 * commands in flight: their SLEEPs end with -ENODEV, new commands on those
 * files fail with -ENODEV; the device is freed when its last file closes.
 */
#define UCMD_MULTI_DESTROY	_IOW(UCMD_MULTI_MAGIC, 0x81, __u32)

/**
 * struct ucmd_multi_stats - what UCMD_MULTI_STATS reports, since the module loaded
 * @allocated: devices created and not yet freed (removed ones with files open count)
 * @created: devices created
 * @cancelled: SLEEPs whose timer a cancel hook stopped (removal, ring exit, signal)
 * @expired: SLEEPs whose timer fired
 */
struct ucmd_multi_stats {
	__u64 allocated;
	__u64 created;
	__u64 cancelled;
	__u64 expired;
};

/* 0; fills struct ucmd_multi_stats at the pointer. */
#define UCMD_MULTI_STATS	_IOR(UCMD_MULTI_MAGIC, 0x82, struct ucmd_multi_stats)

/* Each created device (mode 0600): */

/* The device's number N. */
#define UCMD_MULTI_ID		_IO(UCMD_MULTI_MAGIC, 0x90)
/* 0; sets the device's value (one per device, shared by its files).  Needs a writable file. */
#define UCMD_MULTI_SET		_IOW(UCMD_MULTI_MAGIC, 0x91, __u64)
/* 0; stores the device's value at the __u64 pointer. */
#define UCMD_MULTI_GET		_IOR(UCMD_MULTI_MAGIC, 0x92, __u64)

#define UCMD_MULTI_MAX_SLEEP_NSEC	10000000000ULL
/*
 * Completes asynchronously after nsec (at most UCMD_MULTI_MAX_SLEEP_NSEC,
 * -EINVAL beyond) with the device's number; -ECANCELED when cancelled (ring
 * exit), -EINTR for an interrupted ioctl, -ENODEV when the device is removed.
 */
#define UCMD_MULTI_SLEEP	_IOW(UCMD_MULTI_MAGIC, 0x93, __u64)

/**
 * struct ucmd_multi_slow - argument of UCMD_MULTI_SLEEP_SLOW
 * @nsec: as for UCMD_MULTI_SLEEP
 * @handler_ms: how long the handler keeps running after arming the timer, at most 1000
 * @pad: zero
 */
struct ucmd_multi_slow {
	__u64 nsec;
	__u32 handler_ms;
	__u32 pad;
};

/*
 * As UCMD_MULTI_SLEEP, but the handler blocks for handler_ms after arming the
 * timer (over io_uring it runs from io-wq): lets a test remove the device while
 * a deferred command's handler is still running.
 */
#define UCMD_MULTI_SLEEP_SLOW	_IOW(UCMD_MULTI_MAGIC, 0x94, struct ucmd_multi_slow)

#endif /* _UAPI_LINUX_UCMD_MULTI_H */
