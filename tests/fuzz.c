// SPDX-License-Identifier: GPL-2.0
/* fuzz.c - random commands and payloads on every ring kind, each CQE, res2, GET output, UCMD_VEC entry and counter checked against a model of /dev/ucmd-demo. */
/*
 * usage: fuzz [ROUNDS]; UCMD_FUZZ_SEED=N picks another seed (the default is
 * fixed and printed, so a run is repeatable).  The engine is in
 * helpers_fuzz*.c, the rules it checks in fuzz.h.  SQE fields other than
 * the command, its payload, the file (plain or fixed) and the flags ASYNC,
 * IO_LINK, IO_HARDLINK and CQE_SKIP_SUCCESS stay valid here; fuzz_sqe
 * varies them.
 * Bounds: 2000 rounds of at most 32 SQEs, SLEEPs of at most 0.2 ms; 3-25 s
 * on a stock kernel under TCG, depending on the host.
 */
#include "fuzz.h"

int main(int argc, char **argv)
{
	static const struct fz_cfg cfg = {
		.rounds = 2000, .kinds = (1U << FZ_K_IOPOLL) - 1, /* all but IOPOLL (fuzz_sqe) */
	};

	return fz_main(&cfg, argc, argv);
}
