// SPDX-License-Identifier: GPL-2.0
/* fuzz_sqe.c - every SQE field of IORING_OP_URING_CMD fuzzed on every ring kind (IOPOLL too), each answer checked against the running kernel's io_uring rules and the demo device's model. */
/*
 * usage: fuzz_sqe [ROUNDS]; UCMD_FUZZ_SEED=N picks another seed.  On top of
 * what fuzz varies: uring_cmd_flags (every bit, FIXED with and without a
 * registered buffer, MULTISHOT), IOSQE_BUFFER_SELECT with a buffer group
 * that has a provided-buffer ring and one that has none, IOSQE_IO_DRAIN
 * (refused once CQE_SKIP_SUCCESS was used on the ring), sqe->flags bit 7,
 * ioprio, the upper half of sqe->off (__pad1), personality (root, an
 * unprivileged one that must make RESET_STATS -EPERM, an unregistered id),
 * an eventfd (no ->uring_cmd) and a fixed-file index past the table, and
 * the fields URING_CMD does not use (addr, len, buf_index, file_index),
 * which must change nothing.  The per-kernel rules, with their sources, are in fuzz.h.
 * Bounds: 2000 rounds of at most 32 SQEs, SLEEPs of at most 0.2 ms; 3-25 s
 * on a stock kernel under TCG, depending on the host.
 */
#include "fuzz.h"

int main(int argc, char **argv)
{
	static const struct fz_cfg cfg = {
		.rounds = 2000,
		.kinds = (1U << FZ_K_NR) - 1,
		.p_field = 35,
		.personalities = true,
		.buffers = true,
	};

	return fz_main(&cfg, argc, argv);
}
