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
 * commands in flight: their SLEEPs end with -ENODEV, their TICK streams with
 * a final -ENODEV CQE, new commands on those files fail with -ENODEV; the
 * device is freed when its last file closes.
 */
#define UCMD_MULTI_DESTROY	_IOW(UCMD_MULTI_MAGIC, 0x81, __u32)

/**
 * struct ucmd_multi_stats - what UCMD_MULTI_STATS reports, since the module loaded
 * @allocated: devices created and not yet freed (removed ones with files open count)
 * @created: devices created
 * @cancelled: SLEEPs whose timer a cancel hook stopped (removal, ring exit, signal)
 * @expired: SLEEPs whose timer fired
 * @streams: TICK streams started
 * @stream_hooks: calls of TICK's stream_cancel hook (removal, ring exit, ...)
 * @stream_ends: TICK streams the driver ended at their count
 * @gone_posts: TICK events ucmd_stream_post() refused with -ENODEV (the
 *	device was removed): each hook tries one, the timer may meet it too
 * @stream_bad: what must never happen: a second hook call for one stream,
 *	a post from the hook that was taken, an end from the hook that was not
 *	absorbed
 */
struct ucmd_multi_stats {
	__u64 allocated;
	__u64 created;
	__u64 cancelled;
	__u64 expired;
	__u64 streams;
	__u64 stream_hooks;
	__u64 stream_ends;
	__u64 gone_posts;
	__u64 stream_bad;
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

/* Shortest TICK period: a timer that fires more often would only overflow the stream. */
#define UCMD_MULTI_MIN_TICK_NSEC	20000ULL

/**
 * struct ucmd_multi_tick - argument of UCMD_MULTI_TICK
 * @period_ns: time between two events, UCMD_MULTI_MIN_TICK_NSEC to
 *	UCMD_MULTI_MAX_SLEEP_NSEC
 * @count: events after which the driver ends the stream with 0; 0: no end
 * @handler_ms: how long the handler keeps running after starting the
 *	stream, at most 1000 (over io_uring it then runs from io-wq)
 * @pad: zero
 */
struct ucmd_multi_tick {
	__u64 period_ns;
	__u32 count;
	__u16 handler_ms;
	__u16 pad;
};

/**
 * struct ucmd_multi_event - one TICK event
 * @seq: 1, 2, ... within the stream
 * @id: the device's number
 * @pad: zero
 */
struct ucmd_multi_event {
	__u64 seq;
	__u32 id;
	__u32 pad;
};

/*
 * An event stream (io_uring with IORING_URING_CMD_MULTISHOT and a provided
 * buffer group; Linux 7.x): a timer posts one struct ucmd_multi_event every
 * period_ns, from hard IRQ.  The final CQE: 0 after count events, -ENODEV
 * when the device is removed (after the events already queued), or the user
 * side's end (-ECANCELED, -ENOBUFS, -EOVERFLOW, ...).  -EOPNOTSUPP over
 * ioctl and on kernels without multishot uring commands.
 */
#define UCMD_MULTI_TICK		_IOW(UCMD_MULTI_MAGIC, 0x95, struct ucmd_multi_tick)

#endif /* _UAPI_LINUX_UCMD_MULTI_H */
