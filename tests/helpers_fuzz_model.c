// SPDX-License-Identifier: GPL-2.0
/* helpers_fuzz_model.c - the fuzzer's exact model of io_uring's and /dev/ucmd-demo's answers per kernel (the rules are in fuzz.h). */
#include <sys/utsname.h>

#include "fuzz.h"

void fz_rules_init(struct fz_rules *r)
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
unsigned int fz_used(uint32_t op)
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

bool fz_known(uint32_t op)
{
	return op == UCMD_DEMO_HELLO || op == UCMD_DEMO_GET_VALUE || op == UCMD_DEMO_SET_VALUE ||
	       op == UCMD_DEMO_NOP || op == UCMD_DEMO_ADD || op == UCMD_DEMO_SLEEP ||
	       op == UCMD_DEMO_SUM128 || op == UCMD_DEMO_RESET_STATS || op == UCMD_VEC;
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
	/* IORING_URING_CMD_FIXED: the command's checks, then -EINVAL (no demo op takes a buffer). */
	bool fixed = s->cmd_flags & IORING_URING_CMD_FIXED;
	int file = s->file, res = 0;
	uint64_t p;

	memcpy(&p, s->pl, 8);
	f->want.issued++;
	if (fixed)
		f->hits[FZ_R_FIXED_NOBUF]++;
	if (s->op == UCMD_VEC && fixed) {
		f->want.completed_sync++;
		return -EINVAL;
	}
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
	if (s->op == UCMD_DEMO_SLEEP && !fixed) {
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
	if (used > area || fz_tail_nonzero(s->pl, used, area) || fixed)
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

const char *const fz_rule_names[FZ_R_NR] = {
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
	"uring_cmd_flags but FIXED reaching ucmd, >= 6.18: -EINVAL, not counted",
	"FIXED reaching ucmd (no demo op takes a buffer): -EINVAL, counted",
	"RESET_STATS as nobody: -EPERM",
	"unused addr/len/buf_index/file_index: no effect",
};

/* Whether the rule applies on this kernel (fz_init_err() reaches only those). */
bool fz_rule_applies(const struct fz_rules *k, int rule)
{
	switch (rule) {
	case FZ_R_BUFSEL_OP:
		return !k->multishot;
	case FZ_R_FIXED_MSHOT:
	case FZ_R_MSHOT_BUFSEL:
	case FZ_R_UCMD_FLAGS: /* before 6.18 prep lets FIXED alone through */
		return k->multishot;
	case FZ_R_FIXED_EFAULT:
		return k->fixed_at_prep;
	default:
		return true;
	}
}

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
	/* ucmd takes no uring_cmd_flags bit but FIXED, which fz_exec() refuses on demo ops. */
	if (s->cmd_flags & ~IORING_URING_CMD_FIXED)
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
void fz_resolve_chain(struct fz *f, struct fz_ring *r, int a, int b)
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
