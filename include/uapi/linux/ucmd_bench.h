/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/* ucmd_bench.h - commands of the benchmark-only devices /dev/ucmd-bench and /dev/ucmd-bench-raw. */
#ifndef _UAPI_LINUX_UCMD_BENCH_H
#define _UAPI_LINUX_UCMD_BENCH_H

#include <linux/ioctl.h>

/* Through the framework (/dev/ucmd-bench) and by hand (/dev/ucmd-bench-raw). */
#define UCMD_BENCH_NOP		_IO(0xCE, 0x01)
/* Deferred and completed at once through task_work (raw: by hand). */
#define UCMD_BENCH_ANOP		_IO(0xCE, 0x02)
/* Framework only: as ANOP, with the lazy task_work wake-up. */
#define UCMD_BENCH_ANOP_LAZY	_IO(0xCE, 0x03)

#endif /* _UAPI_LINUX_UCMD_BENCH_H */
