// SPDX-License-Identifier: GPL-2.0
/* req.c - the request of a cipher, AEAD or asynchronous hash operation: its buffer, set-up, start, output and wiping (AEAD's own steps in aead.c). */

#include <crypto/skcipher.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "ucrypto_req.h"

/*
 * Cipher buffers up to this size are tried with kmalloc (one scatterlist
 * entry); larger ones are vmalloc'ed rather than ask for high-order pages.
 */
#define UCRYPTO_KMALLOC_MAX	SZ_64K

/*
 * Synchronous cipher and AEAD operations whose kernel buffer fits in this
 * many bytes run in their session's preallocated request when it is free.
 */
#define UCRYPTO_CACHE_BYTES	512

int ucrypto_buf_alloc(struct ucrypto_buf *b, unsigned int len)
{
	unsigned int i, n;

	b->len = len;
	if (len <= UCRYPTO_KMALLOC_MAX)
		b->va = kvmalloc(max(len, 1U), GFP_KERNEL_ACCOUNT);
	else
		b->va = __vmalloc(len, GFP_KERNEL_ACCOUNT);
	if (!b->va)
		return -ENOMEM;
	if (!is_vmalloc_addr(b->va)) {
		b->sg = &b->sg1;
		sg_init_one(b->sg, b->va, len);
		return 0;
	}
	/* vmalloc memory is contiguous only virtually: one entry per page. */
	n = DIV_ROUND_UP(len, PAGE_SIZE);
	b->sg = kmalloc_array(n, sizeof(*b->sg), GFP_KERNEL_ACCOUNT);
	if (!b->sg) {
		kvfree(b->va);
		b->va = NULL;
		return -ENOMEM;
	}
	sg_init_table(b->sg, n);
	for (i = 0; i < n; i++)
		sg_set_page(&b->sg[i], vmalloc_to_page(b->va + i * PAGE_SIZE),
			    min_t(unsigned int, len - i * PAGE_SIZE, PAGE_SIZE),
			    0);
	return 0;
}

/* The buffer held user data, perhaps secret: wiped before it is freed. */
static void ucrypto_buf_free(struct ucrypto_buf *b)
{
	if (!b->va)
		return;
	if (b->sg != &b->sg1)
		kfree(b->sg);
	kvfree_sensitive(b->va, b->len);
}

/**
 * ucrypto_session_cache_init() - preallocate a session's small request
 * @s: a session whose transform is set up
 *
 * Return: 0, or -ENOMEM.
 */
int ucrypto_session_cache_init(struct ucrypto_sess *s)
{
	if (s->async || s->type == UCRYPTO_TYPE_HASH)
		return 0;
	s->cache = kmalloc(sizeof(*s->cache) + ALIGN(s->reqsize, CRYPTO_MINALIGN) +
			   UCRYPTO_CACHE_BYTES, GFP_KERNEL_ACCOUNT);
	return s->cache ? 0 : -ENOMEM;
}

/**
 * ucrypto_session_cache_free() - free a session's small request, wiped
 * @s: a session no operation uses any more
 */
void ucrypto_session_cache_free(struct ucrypto_sess *s)
{
	kfree_sensitive(s->cache);
}

/* Takes @s's preallocated request for a buffer of @bytes, if it is free. */
static struct ucrypto_req *ucrypto_req_cached(struct ucrypto_sess *s,
					      unsigned int bytes)
{
	struct ucrypto_req *r = s->cache;

	if (!r || bytes > UCRYPTO_CACHE_BYTES ||
	    test_and_set_bit_lock(0, &s->cache_busy))
		return NULL;
	r->buf.va = r->creq + ALIGN(s->reqsize, CRYPTO_MINALIGN);
	r->buf.len = bytes;
	r->buf.sg = &r->buf.sg1;
	sg_init_one(r->buf.sg, r->buf.va, bytes);
	return r;
}

/* Gives back @r's memory (not its session reference), its data wiped. */
static void ucrypto_req_release(struct ucrypto_req *r, struct ucrypto_sess *s)
{
	if (r == s->cache) {
		memzero_explicit(r->buf.va, r->buf.len);
		clear_bit_unlock(0, &s->cache_busy);
		return;
	}
	ucrypto_buf_free(&r->buf);
	kfree(r);
}


/*
 * Allocates the request of an operation on @s (whose reference it takes
 * over on success), copies its input in and sets up the crypto request.
 */
int ucrypto_req_prepare(struct ucrypto_sess *s,
			       const struct ucrypto_op *op, u32 cmd,
			       unsigned int bytes, struct ucrypto_io *io,
			       struct ucrypto_req **rp)
{
	struct ucrypto_req *r;
	int ret;

	/* Not zeroed: every field a synchronous operation reads is set here. */
	r = ucrypto_req_cached(s, bytes);
	if (!r) {
		r = kmalloc(sizeof(*r) + s->reqsize, GFP_KERNEL_ACCOUNT);
		if (!r)
			return -ENOMEM;
		ret = ucrypto_buf_alloc(&r->buf, bytes);
		if (ret)
			goto err;
	}
	r->s = s;
	r->cmd = cmd;
	r->len = op->len;
	r->aad_len = op->aad_len;
	r->dst = io->dst;
	r->tag = u64_to_user_ptr(op->tag);
	r->iv_out = op->flags & UCRYPTO_OP_IV_OUT ? u64_to_user_ptr(op->iv) : NULL;
	ret = -EFAULT;
	if (s->ivsize && copy_from_user(r->iv, u64_to_user_ptr(op->iv), s->ivsize))
		goto err;
	if (s->type == UCRYPTO_TYPE_AEAD)
		ret = ucrypto_aead_copy_in(r, op, &io->src);
	else if (copy_from_iter_full(r->buf.va, r->len, &io->src))
		ret = 0;
	if (ret)
		goto err;

	switch (s->type) {
	case UCRYPTO_TYPE_HASH: {
		struct ahash_request *req = (void *)r->creq;

		ahash_request_set_tfm(req, s->ahash);
		ahash_request_set_crypt(req, r->buf.sg, r->digest, r->len);
		break;
	}
	case UCRYPTO_TYPE_SKCIPHER: {
		struct skcipher_request *req = (void *)r->creq;

		skcipher_request_set_tfm(req, s->skcipher);
		skcipher_request_set_crypt(req, r->buf.sg, r->buf.sg, r->len,
					   r->iv);
		break;
	}
	default:
		ucrypto_aead_init(r);
		break;
	}
	*rp = r;
	return 0;

err:
	ucrypto_req_release(r, s);
	return ret;
}

void ucrypto_req_set_callback(struct ucrypto_req *r, u32 flags,
				     crypto_completion_t done)
{
	switch (r->s->type) {
	case UCRYPTO_TYPE_HASH:
		ahash_request_set_callback((void *)r->creq, flags, done, r);
		break;
	case UCRYPTO_TYPE_SKCIPHER:
		skcipher_request_set_callback((void *)r->creq, flags, done, r);
		break;
	default:
		ucrypto_aead_set_callback(r, flags, done);
		break;
	}
}

int ucrypto_req_start(struct ucrypto_req *r)
{
	bool enc = r->cmd == UCRYPTO_ENCRYPT;

	switch (r->s->type) {
	case UCRYPTO_TYPE_HASH:
		return crypto_ahash_digest((void *)r->creq);
	case UCRYPTO_TYPE_SKCIPHER:
		return enc ? crypto_skcipher_encrypt((void *)r->creq) :
			     crypto_skcipher_decrypt((void *)r->creq);
	default:
		return ucrypto_aead_start(r);
	}
}

/*
 * Writes the output of a finished operation to user memory, in the
 * submitter's context.  Returns the operation's result.
 */
int ucrypto_req_copy_out(struct ucrypto_req *r, int err)
{
	struct ucrypto_sess *s = r->s;
	const u8 *out = r->buf.va + r->aad_len;

	if (err)
		return err;
	switch (s->type) {
	case UCRYPTO_TYPE_HASH:
		if (copy_to_iter(r->digest, s->digestsize, &r->dst) !=
		    s->digestsize)
			return -EFAULT;
		return s->digestsize;
	case UCRYPTO_TYPE_SKCIPHER:
		if (copy_to_iter(out, r->len, &r->dst) != r->len ||
		    (r->iv_out && copy_to_user(r->iv_out, r->iv, s->ivsize)))
			return -EFAULT;
		return r->len;
	default:
		return ucrypto_aead_copy_out(r);
	}
}

/* The request context may hold key-derived state (tweaks, GHASH): wiped. */
void ucrypto_req_free(struct ucrypto_req *r)
{
	struct ucrypto_sess *s = r->s;

	memzero_explicit(r->creq, s->reqsize);
	ucrypto_req_release(r, s);
	ucrypto_session_put(s);
}

