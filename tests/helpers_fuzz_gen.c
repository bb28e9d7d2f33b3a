// SPDX-License-Identifier: GPL-2.0
/* helpers_fuzz_gen.c - the fuzzer's SQE generator: commands, payloads, link chains and hostile SQE fields, from the seeded random sequence. */
#include "fuzz.h"

uint64_t fz_rnd(struct fz *f)
{
	return t_xorshift(&f->rng);
}

bool fz_chance(struct fz *f, int percent)
{
	return (int)(fz_rnd(f) % 100) < percent;
}

static uint32_t fz_unknown_op(struct fz *f)
{
	uint32_t op;

	do
		op = fz_chance(f, 50) ?
			     (uint32_t)fz_rnd(f) :
			     _IOC(fz_rnd(f) % 4, UCMD_DEMO_MAGIC, fz_rnd(f) % 256, fz_rnd(f) % 96);
	/* WATCH, a stream, is outside the model: never sent. */
	while (fz_known(op) || op == UCMD_DEMO_WATCH);
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
void fz_gen_fields(struct fz *f, const struct fz_ring *r, struct fz_sqe *s)
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
void fz_gen_cmd(struct fz *f, const struct fz_ring *r, int i, int chain)
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

void fz_fill_sqe(struct fz *f, struct fz_ring *r, int i)
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
