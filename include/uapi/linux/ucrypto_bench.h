/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/* ucrypto_bench.h - /dev/ucrypto's benchmark-only command (UCRYPTO_BENCH_LOOP); not installed. */
#ifndef _UAPI_LINUX_UCRYPTO_BENCH_H
#define _UAPI_LINUX_UCRYPTO_BENCH_H

#include <linux/ioctl.h>
#include <linux/types.h>

/**
 * struct ucrypto_bench - argument of UCRYPTO_BENCH_LOOP
 * @session: a synchronous session
 * @op: UCRYPTO_BENCH_HASH or UCRYPTO_BENCH_ENCRYPT (skcipher and AEAD)
 * @len: bytes per operation, at most UCRYPTO_MAX_LEN
 * @iterations: operations to run, 1 to UCRYPTO_BENCH_MAX_ITERATIONS
 * @nsec: out: nanoseconds the loop took (the kernel's monotonic clock)
 *
 * Runs @iterations operations on a kernel buffer and nothing else: the
 * algorithm's own cost, the bound for what any interface can reach.
 */
struct ucrypto_bench {
	__u32 session;
	__u32 op;
	__u32 len;
	__u32 iterations;
	__u64 nsec;
};

#define UCRYPTO_BENCH_HASH		1
#define UCRYPTO_BENCH_ENCRYPT		2
#define UCRYPTO_BENCH_MAX_ITERATIONS	(1U << 24)

/* 0; times a loop of operations on a kernel buffer.  Needs CAP_SYS_ADMIN. */
#define UCRYPTO_BENCH_LOOP	_IOWR(0xCE, 0x20, struct ucrypto_bench)	/* UCRYPTO_MAGIC */

#endif /* _UAPI_LINUX_UCRYPTO_BENCH_H */
