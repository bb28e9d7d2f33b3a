// SPDX-License-Identifier: GPL-2.0
/* helpers_fuzz.c - the fuzzer's engine: ring setup, rounds, the CQE, output and counter oracles, and the run's verdicts (see fuzz.h). */
#include <sys/eventfd.h>
#include <sys/mman.h>

#include "fuzz.h"

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
int fz_main(const struct fz_cfg *cfg, int argc, char **argv)
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
