/* SPDX-License-Identifier: GPL-2.0 */
/* fuzz.h - the uring-command fuzzer's types and per-kernel rules, and its engine's declarations (SQE generator, exact model of io_uring's and /dev/ucmd-demo's answers, CQE/counter oracles; helpers_fuzz*.c). */
#ifndef UCMD_TESTS_FUZZ_H
#define UCMD_TESTS_FUZZ_H

/*
 * A round builds 1-32 SQEs on one ring, in link chains of 1-5, submits them
 * and checks:
 *  - every SQE yields exactly the CQEs the model says (user_data is unique
 *    per round and SQE: a duplicate, a stray CQE from an earlier round or a
 *    missing one fails), with CQE_SKIP_SUCCESS and link-chain semantics;
 *  - each CQE's res, flags (0) and, on CQE32 rings, res2 (ADD: the new
 *    value, SLEEP: the tag, else 0) and the second extra word (0);
 *  - GET's output and every UCMD_VEC entry's result and res2 against a
 *    model of each file's value; outputs of commands that did not run stay
 *    untouched;
 *  - after the round, the device's counters (issued, completed_sync,
 *    completed_async, cancelled, refused, retried, inflight) equal the
 *    model exactly: this is also the barrier that makes sure commands whose
 *    CQE was skipped have finished before the next round reads a value.
 * The value model is exact because a file whose value a round reads or
 * changes belongs to one link chain of that round (chains run in order);
 * other chains only send it commands that do not touch the value.
 *
 * What io_uring itself answers differs between kernels; fz_rules below
 * keeps those rules, each with the source it was read from.
 */
#include <stdbool.h>
#include <stdint.h>

#include "helpers.h"

#ifndef IORING_URING_CMD_MULTISHOT
#define IORING_URING_CMD_MULTISHOT (1U << 1)
#endif

#define FZ_MAX_BATCH 32
#define FZ_NRW 8 /* read-write files, value model each */
#define FZ_RO FZ_NRW /* a read-only file (value stays 0) */
#define FZ_NOCMD (FZ_NRW + 1) /* an eventfd: no ->uring_cmd (/dev/null has one) */
#define FZ_NFILES (FZ_NRW + 2) /* also the size of each ring's fixed-file table */
#define FZ_BADFIXED (-2) /* a fixed-file index past the table */
#define FZ_VEC_MAX 20
#define FZ_SENTINEL 0x5a5a5a5a
#define FZ_BGID 7 /* buffer group of the provided-buffer ring */
#define FZ_BAD_PERSONALITY 0x7ffe
#define FZ_R_NR_MAX 20 /* room for the FZ_R_* rules */

/*
 * Per-kernel rules of io_uring for IORING_OP_URING_CMD, as read in the
 * kernels' sources (Debian linux-source-6.1 6.1.192, linux-source-7.2
 * 7.2.13, and the upstream commits named):
 *  - io_init_req(), every kernel: sqe->flags bits outside SQE_VALID_FLAGS
 *    (0x80) -EINVAL; IOSQE_BUFFER_SELECT on an op without .buffer_select
 *    -EOPNOTSUPP; then an SQE with CQE_SKIP_SUCCESS disables drain on the
 *    ring for good, after which IOSQE_IO_DRAIN is -EOPNOTSUPP (before it,
 *    drain only orders); sqe->ioprio != 0 -EINVAL (URING_CMD has no
 *    .ioprio); an unregistered personality -EINVAL; in this order, then the
 *    op's prep.
 *  - io_uring_cmd_prep(), every kernel: sqe->__pad1 (the upper half of
 *    sqe->off) != 0 -EINVAL; uring_cmd_flags outside IORING_URING_CMD_MASK
 *    -EINVAL.  The mask is IORING_URING_CMD_FIXED up to 6.17 and also
 *    IORING_URING_CMD_MULTISHOT from 6.18 (multishot uring_cmd).
 *  - IORING_URING_CMD_FIXED up to 6.14: prep looks the registered buffer
 *    sqe->buf_index up, -EFAULT if there is none; from 6.15 ("io_uring:
 *    move fixed buffer import to issue path") prep only stores the index
 *    and the command reaches the driver.
 *  - ucmd: a command with FIXED alone is counted and checked as any other
 *    (unknown number, rights, payload), then refused with -EINVAL: no demo
 *    op declares UCMD_F_BUF (and neither does UCMD_VEC); any other
 *    uring_cmd_flags bit that gets past prep is -EINVAL before counting.
 *  - IOSQE_BUFFER_SELECT: -EOPNOTSUPP in io_init_req up to 6.17; from 6.18
 *    URING_CMD has .buffer_select and prep refuses FIXED|MULTISHOT and
 *    MULTISHOT without BUFFER_SELECT (or the reverse) with -EINVAL; with
 *    both the command reaches the driver.  Whether a buffer ring is
 *    registered for sqe->buf_group makes no difference (nothing selects).
 *  - IOPOLL rings: -EOPNOTSUPP for a file without ->uring_cmd_iopoll, from
 *    io_uring_cmd() on 6.x, from ucmd on 7.2 (whose io_uring_cmd() lets
 *    the command through): never counted by the device.
 *  - Unknown fd / fixed index past the table: -EBADF at issue; a file
 *    without ->uring_cmd (an eventfd; /dev/null has uring_cmd_null, which
 *    returns 0): -EOPNOTSUPP at issue.
 *  - Links (io_submit_fail_init(), io_fail_links(), req_set_fail(), the
 *    same in 6.1 and 7.2): if any member of a chain fails before issue, no
 *    member is issued: that member completes with its error, the others
 *    with -ECANCELED; the head always posts a CQE, the others only if the
 *    head did not carry CQE_SKIP_SUCCESS.  Once issued, a member that
 *    fails (res < 0) without IOSQE_IO_HARDLINK cancels the rest of the
 *    chain with -ECANCELED, posted only if that member did not carry
 *    CQE_SKIP_SUCCESS.  A failed request always posts its own CQE.
 *  - addr, len, buf_index without FIXED, file_index/splice_fd_in: not
 *    read by io_uring for URING_CMD on any of these kernels (nor by ucmd).
 *  - A known io_uring bug, not ucmd's: on 7.2 io_fill_cqe_req() clears
 *    req->big_cqe only when it fills a CQE, so a CQE32 completion with a
 *    second result (io_uring_cmd_done32()) whose CQE CQE_SKIP_SUCCESS
 *    suppressed leaves that res2 in the request, and the next request that
 *    reuses it and completes with a plain return shows it as its res2.
 *    6.1 marks set extras per request (REQ_F_CQE32_INIT) and is not
 *    affected; 6.12.95 is (seen with fz_probe_stale_res2()).  Where it
 *    applies the fuzzer never skips the CQE of an ADD or SLEEP on a CQE32
 *    ring.  ucmd works around it for its own results (it posts every
 *    CQE32 result through io_uring_cmd_done(), which sets both words), so
 *    fz_probe_stale_res2() checks the minimal case on every kernel; the
 *    rule stays for CQEs io_uring fills itself (failures before issue).
 *  - Seen, not explained: on 6.1 and 6.12 an IOSQE_IO_DRAIN uring_cmd on
 *    an SQPOLL ring was never issued and the SQEs after it never completed
 *    (the device saw none of them, nothing in flight); 7.2 runs the same
 *    seed fine.  DRAIN goes to SQPOLL rings only from 7.2.
 */
struct fz_rules {
	int kv; /* major * 100 + minor */
	bool fixed_at_prep; /* < 6.15 */
	bool multishot; /* >= 6.18 */
	bool stale_res2; /* > 6.1 */
	bool sqpoll_drain; /* >= 7.2 */
};

enum {
	FZ_K_PLAIN,
	FZ_K_SQE128,
	FZ_K_CQE32,
	FZ_K_BIG,
	FZ_K_DEFER,
	FZ_K_SQPOLL,
	FZ_K_SUBMIT_ALL,
	FZ_K_IOPOLL,
	FZ_K_NR
};

/* What a test turns on. */
struct fz_cfg {
	unsigned int rounds;
	unsigned int kinds; /* mask of FZ_K_* */
	int p_field; /* % of SQEs with a hostile or unused SQE field set */
	bool personalities; /* register root and nobody personalities */
	bool buffers; /* fixed buffers and a provided-buffer ring on half the rings */
};

struct fz_ring {
	struct io_uring ring;
	bool ok, sqe128, cqe32, iopoll, sqpoll;
	int nbufs; /* registered fixed buffers */
	bool pbuf; /* buffer ring for FZ_BGID registered */
	int pers_root, pers_nobody; /* 0: none */
	bool drain_disabled; /* a CQE_SKIP_SUCCESS SQE got past the first checks */
	unsigned long rounds, sqes, cqes, bad;
};

/* One SQE: what was sent and what must come back. */
struct fz_sqe {
	/* sent */
	uint32_t op;
	uint8_t pl[80];
	int file; /* index into fz.fds, or FZ_BADFIXED */
	bool fixed;
	uint8_t flags;
	uint16_t ioprio, personality, buf_index;
	uint32_t pad1, cmd_flags, len, file_index;
	uint64_t addr;
	int vec_nr; /* entries prepared (UCMD_VEC) */
	bool get_ok; /* GET with a valid output pointer */
	/* expected */
	int res;
	uint64_t res2;
	bool post, ran;
	int get_val;
	struct ucmd_vec_entry want[FZ_VEC_MAX];
	int want_vout[FZ_VEC_MAX];
	bool vec_ran;
};

struct fz {
	const struct fz_cfg *cfg;
	struct fz_rules rules;
	uint64_t seed, rng;
	int fds[FZ_NFILES];
	int val[FZ_NFILES];
	struct fz_ring rings[FZ_K_NR];
	struct fz_sqe s[FZ_MAX_BATCH];
	int outs[FZ_MAX_BATCH];
	struct ucmd_vec_entry vecs[FZ_MAX_BATCH][FZ_VEC_MAX];
	int vouts[FZ_MAX_BATCH][FZ_VEC_MAX];
	int owner[FZ_NFILES];
	struct ucmd_stats base, want; /* counters: at the start, expected deltas */
	uint64_t round;
	unsigned long bad, stray, diags;
	bool stop;
	void *bufmem;
	long long retried0;
	/* coverage: what the run exercised */
	unsigned long n_init_err, n_issue_err, n_cancel_posted, n_cancel_quiet, n_skipped, n_vec,
		n_get, n_res2;
	unsigned long hits[FZ_R_NR_MAX]; /* per FZ_R_* rule */
};

/* The rules that decide an SQE's fate, counted to show the run reached each. */
enum {
	FZ_R_FLAG7,
	FZ_R_BUFSEL_OP,
	FZ_R_DRAIN_OFF,
	FZ_R_IOPRIO,
	FZ_R_PERSONALITY,
	FZ_R_PAD1,
	FZ_R_CMD_MASK,
	FZ_R_FIXED_MSHOT,
	FZ_R_FIXED_EFAULT,
	FZ_R_MSHOT_BUFSEL,
	FZ_R_BADFIXED,
	FZ_R_NOCMD,
	FZ_R_IOPOLL,
	FZ_R_UCMD_FLAGS,
	FZ_R_FIXED_NOBUF,
	FZ_R_NOBODY_EPERM,
	FZ_R_UNUSED,
	FZ_R_NR
};

_Static_assert(FZ_R_NR <= FZ_R_NR_MAX, "FZ_R_NR_MAX too small");

/* ---- the model of io_uring's and the device's answers (helpers_fuzz_model.c) ---- */

extern const char *const fz_rule_names[FZ_R_NR];
void fz_rules_init(struct fz_rules *r);
/* Bytes of the command area a demo command uses (the framework's rule). */
unsigned int fz_used(uint32_t op);
bool fz_known(uint32_t op);
/* Whether the rule applies on this kernel (fz_init_err() reaches only those). */
bool fz_rule_applies(const struct fz_rules *k, int rule);
/* Link-chain semantics (see fz_rules) for SQEs a..b-1 of the round. */
void fz_resolve_chain(struct fz *f, struct fz_ring *r, int a, int b);

/* ---- the SQE generator (helpers_fuzz_gen.c) ---- */

/* The run's random sequence, from the seed: all the generator's choices and the ring kind of each round. */
uint64_t fz_rnd(struct fz *f);
bool fz_chance(struct fz *f, int percent);
/* Hostile or unused SQE fields (fuzz_sqe). */
void fz_gen_fields(struct fz *f, const struct fz_ring *r, struct fz_sqe *s);
/* A command and its payload for SQE @i of link chain @chain. */
void fz_gen_cmd(struct fz *f, const struct fz_ring *r, int i, int chain);
void fz_fill_sqe(struct fz *f, struct fz_ring *r, int i);

/* ---- the rounds, the CQE and counter oracles, the run (helpers_fuzz.c) ---- */

/* The whole run: setup, rounds on random ring kinds, the verdicts. */
int fz_main(const struct fz_cfg *cfg, int argc, char **argv);

#endif /* UCMD_TESTS_FUZZ_H */
