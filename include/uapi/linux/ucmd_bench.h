/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/* ucmd_bench.h - commands of the benchmark and test-only devices /dev/ucmd-bench, -bench-later, -bench-raw and /dev/ucmd-test. */
#ifndef _UAPI_LINUX_UCMD_BENCH_H
#define _UAPI_LINUX_UCMD_BENCH_H

#include <linux/ioctl.h>

/* Through the framework (/dev/ucmd-bench) and by hand (/dev/ucmd-bench-raw). */
#define UCMD_BENCH_NOP		_IO(0xCE, 0x01)
/* Deferred and completed at once through task_work (raw: by hand). */
#define UCMD_BENCH_ANOP		_IO(0xCE, 0x02)
/* Framework only: as ANOP, with the lazy task_work wake-up. */
#define UCMD_BENCH_ANOP_LAZY	_IO(0xCE, 0x03)
/*
 * Deferred, then completed after the handler returned, from the issuing task's
 * task_work (task_work_add()): the framework on /dev/ucmd-bench-later, by hand
 * on /dev/ucmd-bench-raw.
 */
#define UCMD_BENCH_ANOP_LATER	_IO(0xCE, 0x04)


/*
 * Test-only commands of /dev/ucmd-test (same module): each opens one window of the
 * completion protocol wide enough for a test to hit it every time.  Issued
 * without blocking they return UCMD_RETRY, so they run in io-wq.
 */
/* Defers, sleeps @arg microseconds (at most 100000), then arms an hrtimer of 1 ms. */
#define UCMD_BENCH_SLOW_ARM	_IOW(0xCE, 0x10, __u32)
/* Returns 1 when io_uring issues the command again after UCMD_RETRY, else 0. */
#define UCMD_BENCH_REISSUE_PROBE	_IO(0xCE, 0x11)
/* Sleeps @arg milliseconds (at most 1000), returns 0. */
#define UCMD_BENCH_BLOCK	_IOW(0xCE, 0x12, __u32)

#endif /* _UAPI_LINUX_UCMD_BENCH_H */
