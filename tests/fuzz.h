/* SPDX-License-Identifier: GPL-2.0 */
/* fuzz.h - the uring-command fuzzer's engine: SQE generator, exact model of io_uring's and /dev/ucmd-demo's answers per kernel, and the CQE/counter oracles. */
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

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

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
#define FZ_R_NR_MAX 16 /* room for the FZ_R_* rules */

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

static const struct {
	const char *name;
	unsigned int flags;
} fz_kinds[FZ_K_NR] = {
	{ "plain", 0 },
	{ "SQE128", IORING_SETUP_SQE128 },
	{ "CQE32", IORING_SETUP_CQE32 },
	{ "SQE128|CQE32", IORING_SETUP_SQE128 | IORING_SETUP_CQE32 },
	{ "SINGLE_ISSUER|DEFER_TASKRUN", IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN },
	{ "SQPOLL|SQE128|CQE32", IORING_SETUP_SQPOLL | IORING_SETUP_SQE128 | IORING_SETUP_CQE32 },
	{ "SUBMIT_ALL|COOP_TASKRUN|CQE32",
	  IORING_SETUP_SUBMIT_ALL | IORING_SETUP_COOP_TASKRUN | IORING_SETUP_CQE32 },
	{ "IOPOLL", IORING_SETUP_IOPOLL },
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

static uint64_t fz_rnd(struct fz *f)
{
	return t_xorshift(&f->rng);
}

static bool fz_chance(struct fz *f, int percent)
{
	return (int)(fz_rnd(f) % 100) < percent;
}

static void fz_rules_init(struct fz_rules *r)
{
	struct utsname u;
	int maj = 0, min = 0;

	uname(&u);
	sscanf(u.release, "%d.%d", &maj, &min);
	r->kv = maj * 100 + min;
	r->fixed_at_prep = r->kv < 615;
	r->multishot = r->kv >= 618;
	r->stale_res2 = r->kv > 601;
	r->sqpoll_drain = r->kv >= 702;
	t_diag("kernel %s: FIXED looked up at prep (-EFAULT): %s; multishot uring_cmd and "
	       "BUFFER_SELECT: %s",
	       u.release, r->fixed_at_prep ? "yes (< 6.15)" : "no (>= 6.15)",
	       r->multishot ? "yes (>= 6.18)" : "no, -EOPNOTSUPP (< 6.18)");
}

/* Bytes of the command area a demo command uses (the framework's rule). */
static unsigned int fz_used(uint32_t op)
{
	switch (_IOC_DIR(op)) {
	case _IOC_NONE:
		return 0;
	case _IOC_WRITE:
		return _IOC_SIZE(op);
	default:
		return 8;
	}
}

static bool fz_known(uint32_t op)
{
	return op == UCMD_DEMO_HELLO || op == UCMD_DEMO_GET_VALUE || op == UCMD_DEMO_SET_VALUE ||
	       op == UCMD_DEMO_NOP || op == UCMD_DEMO_ADD || op == UCMD_DEMO_SLEEP ||
	       op == UCMD_DEMO_SUM128 || op == UCMD_DEMO_RESET_STATS || op == UCMD_VEC;
}

static uint32_t fz_unknown_op(struct fz *f)
{
	uint32_t op;

	do
		op = fz_chance(f, 50) ?
			     (uint32_t)fz_rnd(f) :
			     _IOC(fz_rnd(f) % 4, UCMD_DEMO_MAGIC, fz_rnd(f) % 256, fz_rnd(f) % 96);
	while (fz_known(op));
	return op;
}

static int64_t fz_delta(struct fz *f)
{
	switch (fz_rnd(f) % 10) {
	case 0:
		return (int64_t)fz_rnd(f); /* mostly -ERANGE */
	case 1:
		return (int64_t)(fz_rnd(f) % 0x100000000ULL) - 0x80000000LL;
	default:
		return (int64_t)(fz_rnd(f) % 2001) - 1000;
	}
}

/* ADD on the model: result, res2 and the value, as ucmd_demo.h says. */
static int fz_add(int *val, int64_t delta, uint64_t *res2)
{
	int64_t sum;

	if (__builtin_add_overflow((int64_t)*val, delta, &sum) || sum < INT32_MIN ||
	    sum > INT32_MAX)
		return -ERANGE;
	*val = (int)sum;
	*res2 = (uint64_t)sum;
	return sum < 0 ? 0 : (int)sum;
}

/* Fills a sub-command of UCMD_VEC (payload only; the result is modelled when it runs). */
static void fz_gen_entry(struct fz *f, struct ucmd_vec_entry *e, int *out, bool nobody)
{
	static const uint32_t ops[] = { UCMD_DEMO_NOP,	     UCMD_DEMO_HELLO, UCMD_DEMO_GET_VALUE,
					UCMD_DEMO_SET_VALUE, UCMD_DEMO_ADD,   UCMD_DEMO_SLEEP,
					UCMD_DEMO_SUM128,    UCMD_VEC };
	uint32_t op = fz_chance(f, 6) ? fz_unknown_op(f) : ops[fz_rnd(f) % 8];

	if (nobody && fz_chance(f, 15))
		op = UCMD_DEMO_RESET_STATS;
	memset(e, 0, sizeof(*e));
	e->cmd_op = op;
	e->result = FZ_SENTINEL;
	e->res2 = 0xdeadbeefcafef00dULL;
	*out = FZ_SENTINEL;
	if (op == UCMD_DEMO_GET_VALUE) {
		uint64_t p = fz_chance(f, 10) ? 0x10 : (uintptr_t)out;

		memcpy(e->payload, &p, 8);
	} else if (op == UCMD_DEMO_SET_VALUE) {
		int32_t v = (int32_t)(fz_rnd(f) % 200001) - 100000;

		memcpy(e->payload, &v, 4);
	} else if (op == UCMD_DEMO_ADD) {
		int64_t d = fz_delta(f);

		memcpy(e->payload, &d, 8);
	} else if (op == UCMD_DEMO_SLEEP) {
		struct ucmd_demo_sleep s = { fz_rnd(f) % 1000, fz_rnd(f) };

		memcpy(e->payload, &s, 16);
	} else if (!fz_known(op) || op == UCMD_DEMO_SUM128 || op == UCMD_VEC) {
		for (int i = 0; i < 16; i++)
			e->payload[i] = fz_chance(f, 30) ? (uint8_t)fz_rnd(f) : 0;
	}
	if (fz_chance(f, 8) && fz_used(op) < 16)
		e->payload[fz_used(op) + fz_rnd(f) % (16 - fz_used(op))] |= 1 + fz_rnd(f) % 255;
}

static bool fz_tail_nonzero(const uint8_t *p, unsigned int used, unsigned int area)
{
	for (unsigned int i = used; i < area; i++)
		if (p[i])
			return true;
	return false;
}

/* A sub-command run on the model, in ucmd_vec_one()'s order of checks. */
static void fz_run_entry(struct fz *f, int file, bool nobody, const struct ucmd_vec_entry *in,
			 struct ucmd_vec_entry *w, int *want_out)
{
	uint32_t op = in->cmd_op;
	unsigned int used = fz_used(op);
	uint64_t p = 0;
	int res = 0;

	*w = *in;
	w->res2 = 0;
	*want_out = FZ_SENTINEL;
	memcpy(&p, in->payload, 8);
	if (!fz_known(op) || op == UCMD_VEC)
		res = -ENOTTY;
	else if ((op == UCMD_DEMO_SET_VALUE || op == UCMD_DEMO_ADD) && file == FZ_RO)
		res = -EBADF;
	else if (op == UCMD_DEMO_RESET_STATS && nobody)
		res = -EPERM;
	else if (used > 16 || fz_tail_nonzero(in->payload, used, 16))
		res = -EINVAL;
	else if (op == UCMD_DEMO_GET_VALUE) {
		if (p == 0x10) {
			res = -EFAULT;
		} else {
			*want_out = f->val[file];
			f->n_get++;
		}
	} else if (op == UCMD_DEMO_SET_VALUE) {
		int32_t v;

		memcpy(&v, in->payload, 4);
		f->val[file] = v;
	} else if (op == UCMD_DEMO_ADD) {
		int64_t d;

		memcpy(&d, in->payload, 8);
		{
			uint64_t r2 = 0;

			res = fz_add(&f->val[file], d, &r2);
			w->res2 = r2;
		}
	} else if (op == UCMD_DEMO_SLEEP) {
		res = p > UCMD_DEMO_MAX_SLEEP_NSEC ? -EINVAL : -EOPNOTSUPP;
	} else if (op == UCMD_DEMO_RESET_STATS) {
		res = -EPERM; /* never generated without the nobody personality */
	}
	w->result = res;
	f->want.issued++;
	f->want.completed_sync++;
}

/* The command reached the driver: its result on the model of the device and its counters. */
static int fz_exec(struct fz *f, const struct fz_ring *r, struct fz_sqe *s)
{
	unsigned int area = r->sqe128 ? 80 : 16, used = fz_used(s->op);
	bool nobody = r->pers_nobody && s->personality == r->pers_nobody;
	int file = s->file, res = 0;
	uint64_t p;

	memcpy(&p, s->pl, 8);
	f->want.issued++;
	if (s->op == UCMD_VEC) {
		struct ucmd_vec v;

		memcpy(&v, s->pl, sizeof(v));
		f->want.completed_sync++;
		if (fz_tail_nonzero(s->pl, 16, area) || v.flags || !v.nr || v.nr > UCMD_VEC_MAX)
			return -EINVAL;
		if (v.entries == 0x10)
			return -EFAULT;
		for (uint32_t j = 0; j < v.nr; j++)
			fz_run_entry(f, file, nobody, &s->want[j], &s->want[j], &s->want_vout[j]);
		s->vec_ran = true;
		f->n_vec++;
		return (int)v.nr;
	}
	if (s->op == UCMD_DEMO_SLEEP) {
		struct ucmd_demo_sleep sl;

		memcpy(&sl, s->pl, sizeof(sl));
		if (!fz_tail_nonzero(s->pl, used, area) && sl.nsec <= UCMD_DEMO_MAX_SLEEP_NSEC) {
			f->want.completed_async++;
			s->res2 = sl.tag;
			return 0;
		}
	}
	f->want.completed_sync++;
	if (!fz_known(s->op))
		return -ENOTTY;
	if ((s->op == UCMD_DEMO_SET_VALUE || s->op == UCMD_DEMO_ADD) && file == FZ_RO)
		return -EBADF;
	if (s->op == UCMD_DEMO_RESET_STATS && nobody)
		return -EPERM;
	if (used > area || fz_tail_nonzero(s->pl, used, area))
		return -EINVAL;
	switch (s->op) {
	case UCMD_DEMO_GET_VALUE:
		if (p == 0x10)
			return -EFAULT;
		s->get_val = f->val[file];
		f->n_get++;
		break;
	case UCMD_DEMO_SET_VALUE:
		memcpy(&f->val[file], s->pl, 4);
		break;
	case UCMD_DEMO_ADD:
		res = fz_add(&f->val[file], (int64_t)p, &s->res2);
		break;
	case UCMD_DEMO_SUM128:
		for (int i = 0; i < 80; i++)
			res += s->pl[i];
		break;
	case UCMD_DEMO_SLEEP:
		return -EINVAL; /* longer than UCMD_DEMO_MAX_SLEEP_NSEC */
	case UCMD_DEMO_RESET_STATS:
		return -EPERM; /* never generated without the nobody personality */
	}
	return res;
}

/* io_init_req() and io_uring_cmd_prep(), in their order (see fz_rules). */
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
	FZ_R_NOBODY_EPERM,
	FZ_R_UNUSED,
	FZ_R_NR
};

static const char *const fz_rule_names[FZ_R_NR] = {
	"sqe->flags bit 7: -EINVAL",
	"BUFFER_SELECT, < 6.18: -EOPNOTSUPP",
	"DRAIN after CQE_SKIP_SUCCESS: -EOPNOTSUPP",
	"ioprio: -EINVAL",
	"unregistered personality: -EINVAL",
	"__pad1: -EINVAL",
	"uring_cmd_flags outside the mask: -EINVAL",
	"FIXED|MULTISHOT, >= 6.18: -EINVAL",
	"FIXED without that buffer, < 6.15: -EFAULT",
	"MULTISHOT != BUFFER_SELECT, >= 6.18: -EINVAL",
	"fixed index past the table: -EBADF",
	"file without ->uring_cmd: -EOPNOTSUPP",
	"IOPOLL ring: -EOPNOTSUPP, not counted",
	"uring_cmd_flags reaching ucmd: -EINVAL, not counted",
	"RESET_STATS as nobody: -EPERM",
	"unused addr/len/buf_index/file_index: no effect",
};

/* Whether the rule applies on this kernel (fz_init_err() reaches only those). */
static bool fz_rule_applies(const struct fz_rules *k, int rule)
{
	switch (rule) {
	case FZ_R_BUFSEL_OP:
		return !k->multishot;
	case FZ_R_FIXED_MSHOT:
	case FZ_R_MSHOT_BUFSEL:
		return k->multishot;
	case FZ_R_FIXED_EFAULT:
		return k->fixed_at_prep;
	default:
		return true;
	}
}

_Static_assert(FZ_R_NR <= FZ_R_NR_MAX, "FZ_R_NR_MAX too small");
#define FZ_RULE(id, err) (f->hits[id]++, (err))

/* io_init_req() and io_uring_cmd_prep(), in their order (see fz_rules). */
static int fz_init_err(struct fz *f, struct fz_ring *r, const struct fz_sqe *s)
{
	const struct fz_rules *k = &f->rules;
	uint32_t mask = IORING_URING_CMD_FIXED | (k->multishot ? IORING_URING_CMD_MULTISHOT : 0);

	if (s->flags & 0x80)
		return FZ_RULE(FZ_R_FLAG7, -EINVAL);
	if ((s->flags & IOSQE_BUFFER_SELECT) && !k->multishot)
		return FZ_RULE(FZ_R_BUFSEL_OP, -EOPNOTSUPP);
	if (s->flags & IOSQE_CQE_SKIP_SUCCESS)
		r->drain_disabled = true;
	if ((s->flags & IOSQE_IO_DRAIN) && r->drain_disabled)
		return FZ_RULE(FZ_R_DRAIN_OFF, -EOPNOTSUPP);
	if (s->ioprio)
		return FZ_RULE(FZ_R_IOPRIO, -EINVAL);
	if (s->personality && s->personality != r->pers_root && s->personality != r->pers_nobody)
		return FZ_RULE(FZ_R_PERSONALITY, -EINVAL);
	if (s->pad1)
		return FZ_RULE(FZ_R_PAD1, -EINVAL);
	if (s->cmd_flags & ~mask)
		return FZ_RULE(FZ_R_CMD_MASK, -EINVAL);
	if (s->cmd_flags & IORING_URING_CMD_FIXED) {
		if (s->cmd_flags & IORING_URING_CMD_MULTISHOT)
			return FZ_RULE(FZ_R_FIXED_MSHOT, -EINVAL);
		if (k->fixed_at_prep && s->buf_index >= r->nbufs)
			return FZ_RULE(FZ_R_FIXED_EFAULT, -EFAULT);
	}
	if (k->multishot &&
	    !!(s->cmd_flags & IORING_URING_CMD_MULTISHOT) != !!(s->flags & IOSQE_BUFFER_SELECT))
		return FZ_RULE(FZ_R_MSHOT_BUFSEL, -EINVAL);
	return 0;
}

/* Issued: io_uring's file checks, IOPOLL and ucmd's flag check come before the driver. */
static int fz_issue(struct fz *f, const struct fz_ring *r, struct fz_sqe *s)
{
	int res;

	f->n_issue_err++;
	if (s->file == FZ_BADFIXED)
		return FZ_RULE(FZ_R_BADFIXED, -EBADF);
	if (s->file == FZ_NOCMD)
		return FZ_RULE(FZ_R_NOCMD, -EOPNOTSUPP);
	if (r->iopoll)
		return FZ_RULE(FZ_R_IOPOLL, -EOPNOTSUPP);
	if (s->cmd_flags) /* ucmd takes no uring_cmd_flags bit */
		return FZ_RULE(FZ_R_UCMD_FLAGS, -EINVAL);
	f->n_issue_err--;
	s->ran = true;
	res = fz_exec(f, r, s);
	if (s->op == UCMD_DEMO_RESET_STATS && res == -EPERM)
		f->hits[FZ_R_NOBODY_EPERM]++;
	if (s->addr || s->len || s->file_index || s->buf_index)
		f->hits[FZ_R_UNUSED]++;
	return res;
}

/* Link-chain semantics (see fz_rules) for SQEs a..b-1 of the round. */
static void fz_resolve_chain(struct fz *f, struct fz_ring *r, int a, int b)
{
	bool any_init = false, cancel = false, quiet = false;
	int ie[FZ_MAX_BATCH];

	for (int j = a; j < b; j++) {
		ie[j] = fz_init_err(f, r, &f->s[j]);
		any_init |= ie[j] != 0;
		f->n_init_err += ie[j] != 0;
	}
	for (int j = a; j < b; j++) {
		struct fz_sqe *s = &f->s[j];
		bool skip = s->flags & IOSQE_CQE_SKIP_SUCCESS;

		if (any_init) {
			s->res = ie[j] ? ie[j] : -ECANCELED;
			s->post = j == a || !(f->s[a].flags & IOSQE_CQE_SKIP_SUCCESS);
		} else if (cancel) {
			s->res = -ECANCELED;
			s->post = !quiet;
		} else {
			s->res = fz_issue(f, r, s);
			s->post = s->res < 0 || !skip;
			if (s->res < 0 && j + 1 < b && !(s->flags & IOSQE_IO_HARDLINK)) {
				cancel = true;
				quiet = skip;
			}
		}
		if (s->res == -ECANCELED && !s->ran)
			s->post ? f->n_cancel_posted++ : f->n_cancel_quiet++;
		f->n_skipped += !s->post;
		if (!s->ran || !r->cqe32)
			s->res2 = 0;
	}
}

/* Which file a command of link chain @chain uses; a value command gets a file of its own. */
static int fz_pick_file(struct fz *f, int chain, bool value)
{
	unsigned int start = (unsigned int)fz_rnd(f);

	if (!value)
		return (int)(fz_rnd(f) % (FZ_NRW + 1));
	for (int k = 0; k < FZ_NRW; k++)
		if (f->owner[k] == chain && fz_chance(f, 80))
			return k;
	for (int k = 0; k < FZ_NRW; k++) {
		int c = (int)((start + k) % FZ_NRW);

		if (f->owner[c] < 0) {
			f->owner[c] = chain;
			return c;
		}
	}
	return FZ_RO;
}

/* Hostile or unused SQE fields (fuzz_sqe). */
static void fz_gen_fields(struct fz *f, const struct fz_ring *r, struct fz_sqe *s)
{
	if (fz_chance(f, 50)) { /* fields URING_CMD does not use */
		s->addr = fz_rnd(f);
		s->len = (uint32_t)fz_rnd(f);
		s->file_index = (uint32_t)fz_rnd(f);
		s->buf_index = (uint16_t)fz_rnd(f);
	}
	if (fz_chance(f, 25)) {
		int which = (int)(fz_rnd(f) % 3);

		s->personality = which == 0 ? FZ_BAD_PERSONALITY :
				 which == 1 ? (uint16_t)r->pers_root :
					      (uint16_t)r->pers_nobody;
	}
	for (int m = 0; m < 2 && fz_chance(f, m ? 25 : f->cfg->p_field); m++) {
		switch (fz_rnd(f) % 13) {
		case 0:
			s->ioprio = (uint16_t)(1 + fz_rnd(f) % 0xffff);
			break;
		case 1:
			s->pad1 = (uint32_t)(1 + fz_rnd(f) % 0xfffffffe);
			break;
		case 2:
			s->cmd_flags |= 1U << (fz_rnd(f) % 32);
			break;
		case 3:
			s->cmd_flags |= (uint32_t)fz_rnd(f);
			break;
		case 4:
		case 5:
			s->cmd_flags |= IORING_URING_CMD_FIXED;
			s->buf_index = fz_chance(f, 50) ? 0 : (uint16_t)(1 + fz_rnd(f) % 8);
			break;
		case 6:
			s->cmd_flags |= IORING_URING_CMD_MULTISHOT;
			if (fz_chance(f, 70))
				s->flags |= IOSQE_BUFFER_SELECT;
			s->buf_index = fz_chance(f, 70) ? FZ_BGID : (uint16_t)fz_rnd(f);
			break;
		case 7:
			s->flags |= IOSQE_BUFFER_SELECT;
			s->buf_index = fz_chance(f, 70) ? FZ_BGID : (uint16_t)fz_rnd(f);
			break;
		case 8:
			s->cmd_flags |= IORING_URING_CMD_FIXED | IORING_URING_CMD_MULTISHOT;
			if (fz_chance(f, 50))
				s->flags |= IOSQE_BUFFER_SELECT;
			break;
		case 9:
			s->flags |= 0x80;
			break;
		case 10:
			s->file = FZ_NOCMD;
			break;
		case 11:
			s->file = FZ_BADFIXED;
			s->fixed = true;
			break;
		case 12:
			s->flags |= IOSQE_IO_DRAIN;
			break;
		}
	}
}

/* A command and its payload for SQE @i of link chain @chain. */
static void fz_gen_cmd(struct fz *f, const struct fz_ring *r, int i, int chain)
{
	static const uint32_t ops[] = { UCMD_DEMO_HELLO,     UCMD_DEMO_GET_VALUE,
					UCMD_DEMO_SET_VALUE, UCMD_DEMO_NOP,
					UCMD_DEMO_ADD,	     UCMD_DEMO_SLEEP,
					UCMD_DEMO_SUM128,    UCMD_VEC };
	struct fz_sqe *s = &f->s[i];
	unsigned int area = r->sqe128 ? 80 : 16, used;
	bool nobody = r->pers_nobody && s->personality == r->pers_nobody;
	bool value;
	uint32_t op;

	op = fz_chance(f, 5) ? fz_unknown_op(f) : ops[fz_rnd(f) % 8];
	if (nobody && fz_chance(f, 20))
		op = UCMD_DEMO_RESET_STATS;
	value = op == UCMD_DEMO_GET_VALUE || op == UCMD_DEMO_SET_VALUE || op == UCMD_DEMO_ADD ||
		op == UCMD_VEC;
	if (s->file != FZ_NOCMD && s->file != FZ_BADFIXED)
		s->file = fz_pick_file(f, chain, value);
	s->op = op;
	f->outs[i] = FZ_SENTINEL;
	s->get_val = FZ_SENTINEL;
	switch (op) {
	case UCMD_DEMO_GET_VALUE: {
		uint64_t p = fz_chance(f, 10) ? 0x10 : (uintptr_t)&f->outs[i];

		memcpy(s->pl, &p, 8);
		s->get_ok = p != 0x10;
		break;
	}
	case UCMD_DEMO_SET_VALUE: {
		int32_t v = (int32_t)(fz_rnd(f) % 200001) - 100000;

		memcpy(s->pl, &v, 4);
		break;
	}
	case UCMD_DEMO_ADD: {
		int64_t d = fz_delta(f);

		memcpy(s->pl, &d, 8);
		break;
	}
	case UCMD_DEMO_SLEEP: {
		struct ucmd_demo_sleep sl = { fz_rnd(f) % 200000, fz_rnd(f) };

		if (fz_chance(f, 5))
			sl.nsec = UCMD_DEMO_MAX_SLEEP_NSEC + 1 + fz_rnd(f) % 1000;
		memcpy(s->pl, &sl, sizeof(sl));
		break;
	}
	case UCMD_DEMO_SUM128:
		for (int j = 0; j < 80; j++)
			s->pl[j] = (uint8_t)fz_rnd(f);
		break;
	case UCMD_VEC: {
		struct ucmd_vec v = { (uintptr_t)f->vecs[i], 1 + fz_rnd(f) % 8, 0 };

		if (fz_chance(f, 10))
			v.nr = 16 + fz_rnd(f) % (FZ_VEC_MAX - 15);
		for (uint32_t j = 0; j < v.nr; j++) {
			fz_gen_entry(f, &f->vecs[i][j], &f->vouts[i][j], nobody);
			s->want[j] = f->vecs[i][j];
		}
		s->vec_nr = (int)v.nr;
		if (fz_chance(f, 3))
			v.nr = 0;
		else if (fz_chance(f, 2))
			v.nr = UCMD_VEC_MAX + 1 + fz_rnd(f) % 1000;
		else if (fz_chance(f, 2))
			v.flags = 1U << (fz_rnd(f) % 32);
		else if (fz_chance(f, 3))
			v.entries = 0x10;
		memcpy(s->pl, &v, sizeof(v));
		break;
	}
	default: /* NOP, HELLO, RESET_STATS, unknown numbers */
		if (!fz_known(op))
			for (unsigned int j = 0; j < area; j++)
				s->pl[j] = fz_chance(f, 30) ? (uint8_t)fz_rnd(f) : 0;
		break;
	}
	/* A stray byte past what the command uses: -EINVAL, never acted on. */
	used = fz_used(op);
	if (fz_known(op) && used < area && fz_chance(f, 10))
		s->pl[used + fz_rnd(f) % (area - used)] |= (uint8_t)(1 + fz_rnd(f) % 255);
}

static void fz_fill_sqe(struct fz *f, struct fz_ring *r, int i)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&r->ring);
	const struct fz_sqe *s = &f->s[i];

	if (!sqe)
		t_bail("no free SQE");
	memset(sqe, 0, r->sqe128 ? 128 : 64);
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->flags = s->flags | (s->fixed ? IOSQE_FIXED_FILE : 0);
	sqe->ioprio = s->ioprio;
	if (s->file == FZ_BADFIXED)
		sqe->fd = FZ_NFILES + (int)(fz_rnd(f) % 64);
	else
		sqe->fd = s->fixed ? s->file : f->fds[s->file];
	sqe->cmd_op = s->op;
	sqe->__pad1 = s->pad1;
	sqe->addr = s->addr;
	sqe->len = s->len;
	sqe->uring_cmd_flags = s->cmd_flags;
	sqe->user_data = f->round << 8 | (uint64_t)i;
	sqe->buf_index = s->buf_index;
	sqe->personality = s->personality;
	sqe->file_index = s->file_index;
	memcpy(sqe->cmd, s->pl, r->sqe128 ? 80 : 16);
}

static void fz_diag(struct fz *f, struct fz_ring *r, int i, const char *what, long long got,
		    long long want)
{
	const struct fz_sqe *s = &f->s[i];

	f->bad++;
	r->bad++;
	if (f->diags++ >= 25)
		return;
	t_diag("round %" PRIu64 " [%d] on %s: %s: got %lld (%#llx), want %lld (%#llx); op %#x "
	       "file %d%s flags %#x cmd_flags %#x ioprio %u pad1 %#x personality %u buf %u",
	       f->round, i, fz_kinds[r - f->rings].name, what, got, (unsigned long long)got, want,
	       (unsigned long long)want, s->op, s->file, s->fixed ? " (fixed)" : "", s->flags,
	       s->cmd_flags, s->ioprio, s->pad1, s->personality, s->buf_index);
}

/* The device's counters and the model's, for a diagnosis. */
static void fz_stats_now(struct fz *f, const char *what)
{
	struct ucmd_stats st, w = f->want;

	t_stats(&st);
	w.issued += f->base.issued;
	w.completed_sync += f->base.completed_sync;
	w.completed_async += f->base.completed_async;
	t_diag("%s: device issued %" PRIu64 " sync %" PRIu64 " async %" PRIu64 " inflight %" PRIu64
	       "; model issued %" PRIu64 " sync %" PRIu64 " async %" PRIu64,
	       what, st.issued, st.completed_sync, st.completed_async, st.inflight, w.issued,
	       w.completed_sync, w.completed_async);
}

/* After a round: the counters equal the model (and everything issued has finished). */
static void fz_barrier(struct fz *f, struct fz_ring *r)
{
	uint64_t deadline = t_now_ns() + 10000000000ULL;
	struct ucmd_stats st, w = f->want;

	w.issued += f->base.issued;
	w.completed_sync += f->base.completed_sync;
	w.completed_async += f->base.completed_async;
	w.cancelled += f->base.cancelled;
	w.refused += f->base.refused;
	for (;;) {
		/* Deferred task_work (DEFER_TASKRUN) runs only when the task asks for events. */
		if (!r->sqpoll)
			io_uring_get_events(&r->ring);
		t_stats(&st);
		if (st.inflight == 0 && st.issued == w.issued &&
		    st.completed_sync + st.completed_async + st.cancelled == w.issued)
			break;
		if (t_now_ns() > deadline)
			break;
		usleep(st.inflight ? 50 : 10);
	}
	if (st.issued != w.issued || st.completed_sync != w.completed_sync ||
	    st.completed_async != w.completed_async || st.cancelled != w.cancelled ||
	    st.refused != w.refused || st.inflight) {
		t_diag("round %" PRIu64 " on %s: counters differ from the model", f->round,
		       fz_kinds[r - f->rings].name);
		t_stats_diag("  device", &st);
		t_stats_diag("  model ", &w);
		f->bad++;
		r->bad++;
		f->stop = true;
	}
	while (r->sqpoll && io_uring_sq_ready(&r->ring) && t_now_ns() < deadline)
		usleep(20);
}

/* A CQE: the SQE it answers, once, and its contents. */
static void fz_check_cqe(struct fz *f, struct fz_ring *r, unsigned int n,
			 const struct io_uring_cqe *cqe, unsigned char *seen)
{
	uint64_t ud = cqe->user_data;
	unsigned int i = (unsigned int)(ud & 0xff);
	struct fz_sqe *s;

	if (ud >> 8 != f->round || i >= n) {
		f->bad++;
		r->bad++;
		f->stray++;
		if (f->diags++ < 25)
			t_diag("round %" PRIu64 " on %s: CQE with user_data %#" PRIx64
			       " (res %d) from no SQE of this round",
			       f->round, fz_kinds[r - f->rings].name, ud, cqe->res);
		return;
	}
	s = &f->s[i];
	if (seen[i]++) {
		fz_diag(f, r, (int)i, "a second CQE", cqe->res, s->res);
		return;
	}
	if (!s->post)
		fz_diag(f, r, (int)i, "a CQE where none is due (skipped success or quiet cancel)",
			cqe->res, s->res);
	if (cqe->res != s->res)
		fz_diag(f, r, (int)i, "res", cqe->res, s->res);
	if (cqe->flags)
		fz_diag(f, r, (int)i, "cqe->flags", cqe->flags, 0);
	if (r->cqe32) {
		if (cqe->big_cqe[0] != s->res2)
			fz_diag(f, r, (int)i, "res2", (long long)cqe->big_cqe[0],
				(long long)s->res2);
		if (cqe->big_cqe[1])
			fz_diag(f, r, (int)i, "big_cqe[1]", (long long)cqe->big_cqe[1], 0);
		f->n_res2 += s->res2 != 0;
	}
	r->cqes++;
}

/* Outputs written through user pointers: GET's int and UCMD_VEC's entries. */
static void fz_check_outputs(struct fz *f, struct fz_ring *r, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		const struct fz_sqe *s = &f->s[i];

		if (s->op == UCMD_DEMO_GET_VALUE && s->get_ok && f->outs[i] != s->get_val)
			fz_diag(f, r, (int)i, "GET output", f->outs[i], s->get_val);
		for (int j = 0; s->op == UCMD_VEC && j < s->vec_nr; j++) {
			const struct ucmd_vec_entry *e = &f->vecs[i][j];
			const struct ucmd_vec_entry *w = s->vec_ran ? &s->want[j] : e;
			int want_out = s->vec_ran ? s->want_vout[j] : FZ_SENTINEL;

			if (s->vec_ran && (e->result != w->result || e->res2 != w->res2)) {
				char what[64];

				snprintf(what, sizeof(what), "VEC entry %d (op %#x) result", j,
					 e->cmd_op);
				fz_diag(f, r, (int)i, what, e->result, w->result);
				if (e->res2 != w->res2)
					fz_diag(f, r, (int)i, "  its res2", (long long)e->res2,
						(long long)w->res2);
			} else if (!s->vec_ran &&
				   (e->result != FZ_SENTINEL || e->res2 != 0xdeadbeefcafef00dULL)) {
				fz_diag(f, r, (int)i,
					"VEC entry written although the vector did not run",
					e->result, FZ_SENTINEL);
			}
			if (e->cmd_op == UCMD_DEMO_GET_VALUE && f->vouts[i][j] != want_out)
				fz_diag(f, r, (int)i, "VEC entry GET output", f->vouts[i][j],
					want_out);
		}
	}
}

/* Submits everything queued; without SUBMIT_ALL the kernel stops after a failed SQE. */
static bool fz_submit(struct fz *f, struct fz_ring *r)
{
	for (int tries = 0; tries < 2 * FZ_MAX_BATCH + 2; tries++) {
		int ret = io_uring_submit(&r->ring);

		if (ret < 0) {
			t_diag("round %" PRIu64 " on %s: submit: %s", f->round,
			       fz_kinds[r - f->rings].name, strerror(-ret));
			return false;
		}
		if (r->sqpoll || !io_uring_sq_ready(&r->ring))
			return true;
	}
	t_diag("round %" PRIu64 ": SQEs left unsubmitted", f->round);
	return false;
}

/* One round on ring @r. */
static void fz_round(struct fz *f, struct fz_ring *r)
{
	unsigned int n = 1 + (unsigned int)(fz_rnd(f) % FZ_MAX_BATCH), posts = 0, got = 0;
	unsigned char seen[FZ_MAX_BATCH] = { 0 };
	uint64_t deadline;
	int chain = 0;

	f->round++;
	for (int k = 0; k < FZ_NFILES; k++)
		f->owner[k] = -1;
	for (unsigned int a = 0; a < n; chain++) {
		unsigned int len = fz_chance(f, 20) ? 2 + (unsigned int)(fz_rnd(f) % 4) : 1;

		if (a + len > n)
			len = n - a;
		for (unsigned int j = a; j < a + len; j++) {
			struct fz_sqe *s = &f->s[j];

			memset(s, 0, sizeof(*s));
			s->file = 0;
			s->fixed = fz_chance(f, 30);
			if (fz_chance(f, 15))
				s->flags |= IOSQE_ASYNC;
			if (fz_chance(f, 15))
				s->flags |= IOSQE_CQE_SKIP_SUCCESS;
			if (j + 1 < a + len) {
				int l = (int)(fz_rnd(f) % 10);

				s->flags |= l < 7 ? IOSQE_IO_LINK :
					    l < 9 ? IOSQE_IO_HARDLINK :
						    IOSQE_IO_LINK | IOSQE_IO_HARDLINK;
			}
			if (f->cfg->p_field)
				fz_gen_fields(f, r, s);
			/*
			 * IOSQE_IO_DRAIN: not on SQPOLL rings before 7.2 (see fz_rules), and
			 * only where nothing after io_init_req()'s drain step fails.
			 */
			if (r->sqpoll && !f->rules.sqpoll_drain)
				s->flags &= (uint8_t)~IOSQE_IO_DRAIN;
			if (s->flags & IOSQE_IO_DRAIN) {
				s->flags &= (uint8_t) ~(IOSQE_BUFFER_SELECT | 0x80);
				s->ioprio = 0;
				s->pad1 = 0;
				s->cmd_flags = 0;
				if (s->personality == FZ_BAD_PERSONALITY)
					s->personality = 0;
			}
			fz_gen_cmd(f, r, (int)j, chain);
			/* See fz_rules: a skipped res2 would show up in a later CQE. */
			if (f->rules.stale_res2 && r->cqe32 &&
			    (s->op == UCMD_DEMO_ADD || s->op == UCMD_DEMO_SLEEP))
				s->flags &= ~IOSQE_CQE_SKIP_SUCCESS;
		}
		fz_resolve_chain(f, r, (int)a, (int)(a + len));
		a += len;
	}
	for (unsigned int i = 0; i < n; i++) {
		fz_fill_sqe(f, r, (int)i);
		posts += f->s[i].post;
	}
	r->rounds++;
	r->sqes += n;
	if (!fz_submit(f, r)) {
		f->bad++;
		r->bad++;
		f->stop = true;
		return;
	}
	deadline = t_now_ns() + 15000000000ULL;
	while (got < posts) {
		struct __kernel_timespec ts = { .tv_nsec = 100000000 };
		struct io_uring_cqe *cqe;
		int ret = io_uring_wait_cqe_timeout(&r->ring, &cqe, &ts);

		if (ret == -ETIME || ret == -EINTR) {
			if (t_now_ns() < deadline)
				continue;
			f->bad++;
			r->bad++;
			f->stop = true;
			t_diag("round %" PRIu64 " on %s: %u of %u CQEs within 15 s; missing:",
			       f->round, fz_kinds[r - f->rings].name, got, posts);
			fz_stats_now(f, "  counters now");
			for (unsigned int i = 0; i < n; i++)
				if (f->s[i].post && !seen[i])
					t_diag("  [%u] op %#x flags %#x want %d", i, f->s[i].op,
					       f->s[i].flags, f->s[i].res);
			return;
		}
		if (ret) {
			t_diag("wait: %s", strerror(-ret));
			f->bad++;
			r->bad++;
			f->stop = true;
			return;
		}
		fz_check_cqe(f, r, n, cqe, seen);
		if (cqe->user_data >> 8 == f->round && (cqe->user_data & 0xff) < n &&
		    f->s[cqe->user_data & 0xff].post && seen[cqe->user_data & 0xff] == 1)
			got++;
		io_uring_cqe_seen(&r->ring, cqe);
	}
	fz_barrier(f, r);
	fz_check_outputs(f, r, n);
	/* Nothing more may come: no duplicate, no CQE for a skipped success. */
	if (!r->sqpoll)
		io_uring_get_events(&r->ring);
	for (struct io_uring_cqe *cqe; io_uring_peek_cqe(&r->ring, &cqe) == 0;) {
		fz_check_cqe(f, r, n, cqe, seen);
		io_uring_cqe_seen(&r->ring, cqe);
	}
}

/* Sets up ring kind @k with its fixed files, and buffers and personalities if asked. */
static void fz_ring_setup(struct fz *f, int k)
{
	struct fz_ring *r = &f->rings[k];
	struct io_uring_params p = { .flags = fz_kinds[k].flags };
	int ret;

	if (k == FZ_K_SQPOLL)
		p.sq_thread_idle = 50;
	ret = io_uring_queue_init_params(64, &r->ring, &p);
	if (ret) {
		t_skip(ret == -EPERM ? "not permitted" : "the kernel refuses it",
		       "ring kind %s: %s", fz_kinds[k].name, strerror(-ret));
		return;
	}
	r->ok = true;
	r->sqe128 = p.flags & IORING_SETUP_SQE128;
	r->cqe32 = p.flags & IORING_SETUP_CQE32;
	r->iopoll = p.flags & IORING_SETUP_IOPOLL;
	r->sqpoll = p.flags & IORING_SETUP_SQPOLL;
	ret = io_uring_register_files(&r->ring, f->fds, FZ_NFILES);
	if (ret)
		t_bail("ring kind %s: registering the files: %s", fz_kinds[k].name, strerror(-ret));
	if (f->cfg->buffers && k % 2) {
		struct iovec iov = { (char *)f->bufmem, 4096 };
		struct io_uring_buf_reg reg = { 0 };
		struct io_uring_buf_ring *br;

		ret = io_uring_register_buffers(&r->ring, &iov, 1);
		if (ret)
			t_bail("ring kind %s: io_uring_register_buffers: %s", fz_kinds[k].name,
			       strerror(-ret));
		r->nbufs = 1;
		br = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (br == MAP_FAILED)
			t_bail("mmap: %s", strerror(errno));
		reg.ring_addr = (uintptr_t)br;
		reg.ring_entries = 8;
		reg.bgid = FZ_BGID;
		ret = io_uring_register_buf_ring(&r->ring, &reg, 0);
		if (ret == 0) {
			io_uring_buf_ring_init(br);
			for (int b = 0; b < 8; b++)
				io_uring_buf_ring_add(br, (char *)f->bufmem + 4096 + b * 256, 256,
						      (unsigned short)b, io_uring_buf_ring_mask(8),
						      b);
			io_uring_buf_ring_advance(br, 8);
			r->pbuf = true;
		} else {
			t_diag("ring kind %s: no provided-buffer ring: %s", fz_kinds[k].name,
			       strerror(-ret));
		}
	}
	if (f->cfg->personalities) {
		ret = io_uring_register_personality(&r->ring);
		r->pers_root = ret > 0 ? ret : 0;
		if (seteuid(65534) == 0) {
			ret = io_uring_register_personality(&r->ring);
			r->pers_nobody = ret > 0 ? ret : 0;
			if (seteuid(0))
				t_bail("seteuid(0): %s", strerror(errno));
		}
	}
	t_diag("ring kind %s: fixed files%s%s%s", fz_kinds[k].name,
	       r->nbufs ? ", a registered buffer" : "", r->pbuf ? ", a buffer ring" : "",
	       r->pers_nobody ? ", root and nobody personalities" :
	       r->pers_root   ? ", a root personality" :
				"");
}

/* The device's "retried" counter (not in struct ucmd_stats). */
static long long fz_retried(void)
{
	FILE *fp = fopen("/sys/class/misc/ucmd-demo/ucmd/retried", "r");
	long long v = -1;

	if (fp) {
		if (fscanf(fp, "%lld", &v) != 1)
			v = -1;
		fclose(fp);
	}
	return v;
}

/*
 * The minimal case of the stale-res2 bug (see fz_rules): ADD +5 with
 * CQE_SKIP_SUCCESS (posted with res2 5 and skipped), then a NOP, whose res2
 * must be 0.  A check on kernels known to clear the extras, TODO elsewhere.
 */
static void fz_probe_stale_res2(struct fz *f, struct fz_ring *r)
{
	struct io_uring_cqe *cqe;
	int64_t delta = 5;
	struct ucmd_stats st;
	uint64_t res2 = ~0ULL;
	int res = -1;

	for (int i = 0; i < 2; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&r->ring);

		ucmd_prep(&r->ring, sqe, f->fds[0], i ? UCMD_DEMO_NOP : UCMD_DEMO_ADD, &delta,
			  i ? 0 : sizeof(delta));
		if (!i)
			sqe->flags |= IOSQE_CQE_SKIP_SUCCESS;
		sqe->user_data = 0xffULL;
		io_uring_submit(&r->ring);
	}
	if (io_uring_wait_cqe(&r->ring, &cqe) == 0) {
		res = cqe->res;
		res2 = cqe->big_cqe[0];
		io_uring_cqe_seen(&r->ring, cqe);
	}
	f->val[0] += 5;
	r->drain_disabled = true; /* by the skipped ADD */
	f->want.issued += 2;
	f->want.completed_sync += 2;
	t_wait_idle(&st, 10000);
	/* ucmd posts every result on a CQE32 ring itself, second word included. */
	t_ok(res == 0 && res2 == 0,
	     "%s: a NOP after a skipped ADD has res2 0 (res %d, res2 %#" PRIx64 ")",
	     fz_kinds[r - f->rings].name, res, res2);
}

/* The whole run: setup, rounds on random ring kinds, the verdicts. */
static int fz_main(const struct fz_cfg *cfg, int argc, char **argv)
{
	static struct fz fz;
	struct fz *f = &fz;
	const char *env = getenv("UCMD_FUZZ_SEED");
	unsigned int rounds = argc > 1 ? (unsigned int)strtoul(argv[1], NULL, 0) : cfg->rounds;
	int nk = 0, kinds[FZ_K_NR];
	uint64_t t0 = t_now_ns();
	struct ucmd_stats st;

	t_init();
	f->cfg = cfg;
	f->seed = env && *env ? strtoull(env, NULL, 0) : 0x9e3779b97f4a7c15ULL;
	f->rng = f->seed ? f->seed : 1;
	t_diag("seed %#" PRIx64 " (UCMD_FUZZ_SEED), %u rounds", f->seed, rounds);
	fz_rules_init(&f->rules);
	for (int k = 0; k < FZ_NFILES; k++) {
		f->fds[k] = k == FZ_NOCMD ? eventfd(0, 0) : t_open(k == FZ_RO ? O_RDONLY : O_RDWR);
		if (f->fds[k] < 0)
			t_bail("open: %s", strerror(errno));
	}
	f->bufmem = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (f->bufmem == MAP_FAILED)
		t_bail("mmap: %s", strerror(errno));
	for (int k = 0; k < FZ_K_NR; k++) {
		if (!(cfg->kinds & (1U << k)))
			continue;
		fz_ring_setup(f, k);
		if (f->rings[k].ok)
			kinds[nk++] = k;
	}
	if (!f->rings[FZ_K_PLAIN].ok)
		t_bail("no plain ring");
	if (!t_wait_idle(&f->base, 15000))
		t_bail("the device is busy before the run");
	f->retried0 = fz_retried();
	if (f->rings[FZ_K_CQE32].ok)
		fz_probe_stale_res2(f, &f->rings[FZ_K_CQE32]);
	for (unsigned int i = 0; i < rounds && !f->stop; i++)
		fz_round(f, &f->rings[kinds[fz_rnd(f) % (uint64_t)nk]]);
	for (int k = 0; k < FZ_K_NR; k++) {
		struct fz_ring *r = &f->rings[k];

		if (r->ok) {
			t_ok(!r->bad && r->rounds > 0,
			     "ring kind %s: %lu rounds, %lu SQEs, %lu CQEs, each as modelled",
			     fz_kinds[k].name, r->rounds, r->sqes, r->cqes);
			io_uring_queue_exit(&r->ring);
		}
	}
	t_diag("%.1f s; coverage: %lu refused before issue, %lu by io_uring or ucmd before the "
	       "driver, %lu cancelled links posted and %lu quiet, %lu successes skipped, %lu "
	       "vectors run, %lu values read, %lu non-zero res2",
	       (double)(t_now_ns() - t0) / 1e9, f->n_init_err, f->n_issue_err, f->n_cancel_posted,
	       f->n_cancel_quiet, f->n_skipped, f->n_vec, f->n_get, f->n_res2);
	t_ok(f->n_cancel_posted && f->n_skipped && f->n_vec && f->n_get &&
		     (!cfg->p_field || (f->n_init_err && f->n_issue_err && f->n_cancel_quiet)),
	     "the run reached links cancelled, skipped successes, vectors and values%s",
	     cfg->p_field ? ", refusals before and at issue, quiet cancels" : "");
	if (cfg->p_field) {
		bool all = true;

		for (int i = 0; i < FZ_R_NR; i++) {
			bool applies = fz_rule_applies(&f->rules, i);

			t_diag("  rule %-52s %s %lu", fz_rule_names[i],
			       applies ? "hit" : "(not this kernel)", f->hits[i]);
			all &= !applies || f->hits[i] > 0;
		}
		t_ok(all, "every per-kernel rule that applies decided some SQE's fate");
	}
	t_eq(f->stray, 0, "no CQE outside the round it belongs to");
	for (int k = 0; k < FZ_NFILES; k++)
		close(f->fds[k]);
	t_wait_idle(&st, 10000);
	t_ok(t_imbalance(&st) == t_imbalance(&f->base) && st.inflight == 0 && !f->stop,
	     "counters: every command issued is accounted for, nothing in flight");
	/* Each file's value belongs to one chain a round: no lock is ever contended. */
	t_eq(fz_retried() - f->retried0, 0, "no command was sent back for a retry");
	return t_done();
}

#endif /* UCMD_TESTS_FUZZ_H */
