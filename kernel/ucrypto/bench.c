// SPDX-License-Identifier: GPL-2.0
/* bench.c - UCRYPTO_BENCH_LOOP (make bench): an operation run in a loop in the kernel; built only in the tree. */

#include <crypto/hash.h>
#include <crypto/skcipher.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "ucrypto_req.h"

/* Runs @iterations operations of @r's kind over its buffer; stops on a signal. */
static int ucrypto_bench_run(struct ucrypto_sess *s, struct ucrypto_req *r,
			     u32 iterations)
{
	SHASH_DESC_ON_STACK(desc, s->shash);
	int ret = 0;
	u32 i;

	if (s->type == UCRYPTO_TYPE_HASH)
		desc->tfm = s->shash;
	for (i = 0; i < iterations && !ret; i++) {
		if (s->type == UCRYPTO_TYPE_HASH)
			ret = crypto_shash_digest(desc, r->buf.va, r->len,
						  r->digest);
		else
			ret = ucrypto_req_start(r);
		if (need_resched())
			cond_resched();
		if (signal_pending(current))
			ret = -EINTR;
	}
	if (s->type == UCRYPTO_TYPE_HASH)
		shash_desc_zero(desc);
	return ret;
}

/**
 * ucrypto_bench_loop() - handler of UCRYPTO_BENCH_LOOP
 * @uc: the command
 *
 * Return: 0 with the loop's duration copied out, or a negative errno.
 */
int ucrypto_bench_loop(struct ucmd *uc)
{
	struct ucrypto_bench b = *ucmd_payload(uc, struct ucrypto_bench);
	struct ucrypto_op op = { .len = b.len, .aad_len = 0 };
	struct ucrypto_sess *s;
	struct ucrypto_req *r;
	u32 cmd = UCRYPTO_ENCRYPT;
	u64 t0;
	long bytes;
	int ret;

	/* Long: run it where io_uring may block. */
	if (ucmd_nonblock(uc))
		return UCMD_RETRY;
	if (!b.iterations || b.iterations > UCRYPTO_BENCH_MAX_ITERATIONS)
		return -EINVAL;
	s = ucrypto_session_get(ucrypto_file(uc), b.session);
	if (!s)
		return -ENOENT;
	ret = -EINVAL;
	if (s->async || b.op != (s->type == UCRYPTO_TYPE_HASH ?
				 UCRYPTO_BENCH_HASH : UCRYPTO_BENCH_ENCRYPT))
		goto err_put;
	if (s->type == UCRYPTO_TYPE_HASH) {
		cmd = UCRYPTO_HASH;
		op.dst = 1;	/* a digest buffer: never written */
	} else {
		/* Placeholders pass the checks; the data is the kernel's own. */
		op.iv = s->ivsize ? 1 : 0;
		op.tag = s->authsize ? 1 : 0;
	}
	bytes = ucrypto_op_check(s, &op, cmd);
	if (bytes < 0) {
		ret = bytes;
		goto err_put;
	}
	ret = -ENOMEM;
	r = kzalloc(sizeof(*r) + s->reqsize, GFP_KERNEL);
	if (!r)
		goto err_put;
	r->s = s;
	r->cmd = cmd;
	r->len = b.len;
	ret = ucrypto_buf_alloc(&r->buf, bytes);
	if (ret) {
		ucrypto_req_free(r);
		return ret;
	}
	memset(r->buf.va, 0xa5, bytes);
	if (s->type == UCRYPTO_TYPE_SKCIPHER) {
		skcipher_request_set_tfm((void *)r->creq, s->skcipher);
		skcipher_request_set_crypt((void *)r->creq, r->buf.sg,
					   r->buf.sg, r->len, r->iv);
	} else if (s->type == UCRYPTO_TYPE_AEAD) {
		ucrypto_aead_init(r);
	}
	if (s->type != UCRYPTO_TYPE_HASH)
		ucrypto_req_set_callback(r, CRYPTO_TFM_REQ_MAY_SLEEP, NULL);

	t0 = ktime_get_ns();
	ret = ucrypto_bench_run(s, r, b.iterations);
	b.nsec = ktime_get_ns() - t0;
	ucrypto_req_free(r);
	if (ret)
		return ret;
	return ucmd_copy_out(uc, &b, sizeof(b));

err_put:
	ucrypto_session_put(s);
	return ret;
}
