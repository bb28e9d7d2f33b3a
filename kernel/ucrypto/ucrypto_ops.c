// SPDX-License-Identifier: GPL-2.0
/* ucrypto_ops.c - hash, cipher and AEAD operations of /dev/ucrypto, synchronous and asynchronous. */

#include <crypto/aead.h>
#include <crypto/hash.h>
#include <crypto/skcipher.h>
#include <linux/highmem.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include "ucrypto_compat.h"
#include "ucrypto_internal.h"

/* Hash inputs up to this size are bounced through the stack. */
#define UCRYPTO_HASH_STACK	256
/*
 * Larger ones are read in place, a batch of pinned user pages at a time;
 * through a bounce buffer of this size where pages cannot be pinned.
 */
#define UCRYPTO_PIN_BATCH	16
#define UCRYPTO_HASH_CHUNK	8192
/*
 * Synchronous cipher inputs from this size, in whole blocks, are en- or
 * decrypted in the user's pages (pinned) rather than through a copy.
 */
#define UCRYPTO_PIN_MIN		512

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

/* Copies results of asynchronous operations to user memory. */
static struct workqueue_struct *ucrypto_wq;

/* A kernel copy of user data and the scatterlist that describes it. */
struct ucrypto_buf {
	u8 *va;
	unsigned int len;
	struct scatterlist *sg;
	struct scatterlist sg1;
};

/*
 * One cipher, AEAD or asynchronous hash operation.  The crypto request
 * (ahash, skcipher or aead, with its context) follows at @creq.
 */
struct ucrypto_req {
	struct ucrypto_sess *s;	/* reference owned */
	u32 cmd;
	unsigned int len;
	unsigned int aad_len;
	void __user *dst;
	void __user *tag;
	struct ucrypto_buf buf;
	/* Asynchronous operations only. */
	struct work_struct work;
	struct ucrypto_file *uf;
	struct ucmd_token tok;
	int err;
	u8 iv[UCRYPTO_MAX_IV_SIZE] __aligned(16);
	u8 digest[HASH_MAX_DIGESTSIZE];
	u8 creq[] CRYPTO_MINALIGN_ATTR;
};

static int ucrypto_buf_alloc(struct ucrypto_buf *b, unsigned int len)
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
 * Checks an operation against its session.  Returns the bytes of the kernel
 * buffer it needs, or a negative errno.
 */
static long ucrypto_op_check(const struct ucrypto_sess *s,
			     const struct ucrypto_op *op, u32 cmd)
{
	if (op->flags)
		return -EINVAL;
	if (op->len > UCRYPTO_MAX_LEN || op->aad_len > UCRYPTO_MAX_LEN)
		return -EMSGSIZE;
	switch (s->type) {
	case UCRYPTO_TYPE_HASH:
		if (cmd != UCRYPTO_HASH || !op->dst || op->iv || op->aad ||
		    op->aad_len || op->tag)
			return -EINVAL;
		return op->len;
	case UCRYPTO_TYPE_SKCIPHER:
		if (cmd == UCRYPTO_HASH || (s->ivsize && !op->iv) ||
		    op->aad || op->aad_len || op->tag)
			return -EINVAL;
		return op->len;
	default:
		if (cmd == UCRYPTO_HASH || (s->ivsize && !op->iv) ||
		    (s->authsize && !op->tag))
			return -EINVAL;
		return (long)op->aad_len + op->len + s->authsize;
	}
}

/*
 * Allocates the request of an operation on @s (whose reference it takes
 * over on success), copies its input in and sets up the crypto request.
 */
static int ucrypto_req_prepare(struct ucrypto_sess *s,
			       const struct ucrypto_op *op, u32 cmd,
			       unsigned int bytes, struct ucrypto_req **rp)
{
	const u8 __user *src = u64_to_user_ptr(op->src);
	struct ucrypto_req *r;
	u8 *va;
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
	r->dst = u64_to_user_ptr(op->dst ? op->dst : op->src);
	r->tag = u64_to_user_ptr(op->tag);
	va = r->buf.va;
	ret = -EFAULT;
	if (s->ivsize && copy_from_user(r->iv, u64_to_user_ptr(op->iv), s->ivsize))
		goto err;
	if (s->type == UCRYPTO_TYPE_AEAD) {
		if (copy_from_user(va, u64_to_user_ptr(op->aad), r->aad_len))
			goto err;
		va += r->aad_len;
	}
	if (copy_from_user(va, src, r->len))
		goto err;
	if (s->type == UCRYPTO_TYPE_AEAD && cmd == UCRYPTO_DECRYPT &&
	    copy_from_user(va + r->len, r->tag, s->authsize))
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
	default: {
		struct aead_request *req = (void *)r->creq;

		aead_request_set_tfm(req, s->aead);
		aead_request_set_ad(req, r->aad_len);
		aead_request_set_crypt(req, r->buf.sg, r->buf.sg,
				       cmd == UCRYPTO_DECRYPT ?
				       r->len + s->authsize : r->len, r->iv);
		break;
	}
	}
	*rp = r;
	return 0;

err:
	ucrypto_req_release(r, s);
	return ret;
}

static void ucrypto_req_set_callback(struct ucrypto_req *r, u32 flags,
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
		aead_request_set_callback((void *)r->creq, flags, done, r);
		break;
	}
}

static int ucrypto_req_start(struct ucrypto_req *r)
{
	bool enc = r->cmd == UCRYPTO_ENCRYPT;

	switch (r->s->type) {
	case UCRYPTO_TYPE_HASH:
		return crypto_ahash_digest((void *)r->creq);
	case UCRYPTO_TYPE_SKCIPHER:
		return enc ? crypto_skcipher_encrypt((void *)r->creq) :
			     crypto_skcipher_decrypt((void *)r->creq);
	default:
		return enc ? crypto_aead_encrypt((void *)r->creq) :
			     crypto_aead_decrypt((void *)r->creq);
	}
}

/*
 * Writes the output of a finished operation to user memory, in the
 * submitter's context.  Returns the operation's result.
 */
static int ucrypto_req_copy_out(struct ucrypto_req *r, int err)
{
	struct ucrypto_sess *s = r->s;
	const u8 *out = r->buf.va + r->aad_len;

	if (err)
		return err;
	switch (s->type) {
	case UCRYPTO_TYPE_HASH:
		if (copy_to_user(r->dst, r->digest, s->digestsize))
			return -EFAULT;
		return s->digestsize;
	case UCRYPTO_TYPE_SKCIPHER:
		if (copy_to_user(r->dst, out, r->len))
			return -EFAULT;
		return r->len;
	default:
		if (copy_to_user(r->dst, out, r->len))
			return -EFAULT;
		if (r->cmd == UCRYPTO_ENCRYPT &&
		    copy_to_user(r->tag, out + r->len, s->authsize))
			return -EFAULT;
		return r->len;
	}
}

/* The request context may hold key-derived state (tweaks, GHASH): wiped. */
static void ucrypto_req_free(struct ucrypto_req *r)
{
	struct ucrypto_sess *s = r->s;

	memzero_explicit(r->creq, s->reqsize);
	ucrypto_req_release(r, s);
	ucrypto_session_put(s);
}

/* Digests a large input a piece at a time through a small bounce buffer. */
static int ucrypto_hash_chunked(struct shash_desc *desc, const u8 __user *src,
				unsigned int len, u8 *digest)
{
	unsigned int chunk = min_t(unsigned int, len, UCRYPTO_HASH_CHUNK);
	u8 *buf = kmalloc(chunk, GFP_KERNEL_ACCOUNT);
	int ret;

	if (!buf)
		return -ENOMEM;
	ret = crypto_shash_init(desc);
	while (!ret && len) {
		unsigned int n = min(len, chunk);

		if (copy_from_user(buf, src, n)) {
			ret = -EFAULT;
			break;
		}
		ret = crypto_shash_update(desc, buf, n);
		src += n;
		len -= n;
		cond_resched();
	}
	if (!ret)
		ret = crypto_shash_final(desc, digest);
	kfree_sensitive(buf);
	return ret;
}

/*
 * Digests a large input where it is: pins a batch of the user's pages at a
 * time and hashes them through the kernel mapping (no copy, as AF_ALG).
 * -EFAULT when pages cannot be pinned; the caller then copies instead.
 */
static int ucrypto_hash_pinned(struct shash_desc *desc, unsigned long uaddr,
			       unsigned int len, u8 *digest)
{
	struct page *pages[UCRYPTO_PIN_BATCH];
	int ret = crypto_shash_init(desc);

	while (!ret && len) {
		unsigned int off = offset_in_page(uaddr);
		unsigned int n = min_t(unsigned int, len,
				       UCRYPTO_PIN_BATCH * PAGE_SIZE - off);
		int i, np = DIV_ROUND_UP(off + n, PAGE_SIZE);
		int got = pin_user_pages_fast(uaddr & PAGE_MASK, np, 0, pages);

		if (got != np) {
			if (got > 0)
				unpin_user_pages(pages, got);
			return -EFAULT;
		}
		for (i = 0; i < np && !ret; i++) {
			unsigned int seg = min_t(unsigned int, n, PAGE_SIZE - off);
			u8 *va = kmap_local_page(pages[i]);

			ret = crypto_shash_update(desc, va + off, seg);
			kunmap_local(va);
			n -= seg;
			len -= seg;
			uaddr += seg;
			off = 0;
		}
		unpin_user_pages(pages, np);
		cond_resched();
	}
	if (!ret)
		ret = crypto_shash_final(desc, digest);
	return ret;
}

/* A small input, bounced through the stack (a frame of its own). */
static noinline_for_stack int ucrypto_hash_small(struct shash_desc *desc,
						 const u8 __user *src,
						 unsigned int len, u8 *digest)
{
	u8 buf[UCRYPTO_HASH_STACK] __uninitialized;

	if (copy_from_user(buf, src, len))
		return -EFAULT;
	return crypto_shash_digest(desc, buf, len, digest);
}

/*
 * The hot path of hashes: shash, no request.  The stack buffers are not
 * auto-initialised (INIT_STACK_ALL_ZERO would clear ~700 bytes per call);
 * only bytes written before are ever read or copied out.
 */
static int ucrypto_hash_sync(struct ucrypto_sess *s,
			     const struct ucrypto_op *op)
{
	char desc_buf[sizeof(struct shash_desc) + HASH_MAX_DESCSIZE]
		__aligned(__alignof__(struct shash_desc)) __uninitialized;
	struct shash_desc *desc = (struct shash_desc *)desc_buf;
	const u8 __user *src = u64_to_user_ptr(op->src);
	u8 digest[HASH_MAX_DIGESTSIZE] __uninitialized;
	int ret;

	desc->tfm = s->shash;
	if (op->len <= UCRYPTO_HASH_STACK) {
		ret = ucrypto_hash_small(desc, src, op->len, digest);
	} else {
		ret = ucrypto_hash_pinned(desc, op->src, op->len, digest);
		if (ret == -EFAULT)
			ret = ucrypto_hash_chunked(desc, src, op->len, digest);
	}
	/* The state of a keyed hash is key material. */
	shash_desc_zero(desc);
	if (!ret)
		ret = copy_to_user(u64_to_user_ptr(op->dst), digest,
				   s->digestsize) ? -EFAULT : s->digestsize;
	return ret;
}

/* User pages pinned for one operation, with the scatterlist over them. */
struct ucrypto_pin {
	struct page **pages;
	struct scatterlist *sg;
	int npages;
};

static int ucrypto_pin(struct ucrypto_pin *p, unsigned long uaddr,
		       unsigned int len, bool write)
{
	unsigned int off = offset_in_page(uaddr);
	int i, got, n = DIV_ROUND_UP(off + len, PAGE_SIZE);

	p->pages = kmalloc_array(n, sizeof(*p->pages) + sizeof(*p->sg),
				 GFP_KERNEL_ACCOUNT);
	if (!p->pages)
		return -ENOMEM;
	p->sg = (struct scatterlist *)(p->pages + n);
	got = pin_user_pages_fast(uaddr & PAGE_MASK, n, write ? FOLL_WRITE : 0,
				  p->pages);
	if (got != n) {
		if (got > 0)
			unpin_user_pages(p->pages, got);
		kfree(p->pages);
		return -EFAULT;
	}
	p->npages = n;
	sg_init_table(p->sg, n);
	for (i = 0; i < n; i++) {
		unsigned int seg = min_t(unsigned int, len, PAGE_SIZE - off);

		sg_set_page(&p->sg[i], p->pages[i], seg, off);
		len -= seg;
		off = 0;
	}
	return 0;
}

static void ucrypto_unpin(struct ucrypto_pin *p, bool dirty)
{
	unpin_user_pages_dirty_lock(p->pages, p->npages, dirty);
	kfree(p->pages);
}

/*
 * A synchronous skcipher operation in the user's own pages: in place, or
 * from one buffer to another that does not overlap it.  Whole blocks only,
 * so that the cipher cannot fail half-way with output written.  Returns
 * -EAGAIN when the bounce path must do it (overlap, unpinnable memory).
 */
static int ucrypto_cipher_pinned(struct ucrypto_sess *s,
				 const struct ucrypto_op *op, u32 cmd)
{
	unsigned long src = op->src, dst = op->dst ? op->dst : op->src;
	struct skcipher_request *req;
	struct ucrypto_pin in, out;
	bool inplace = src == dst;
	u8 *iv;
	int ret;

	if (!inplace && src < dst + op->len && dst < src + op->len)
		return -EAGAIN;
	req = kmalloc(s->reqsize + UCRYPTO_MAX_IV_SIZE, GFP_KERNEL_ACCOUNT);
	if (!req)
		return -ENOMEM;
	iv = (u8 *)req + s->reqsize;
	ret = -EFAULT;
	if (copy_from_user(iv, u64_to_user_ptr(op->iv), s->ivsize))
		goto out_free;
	ret = ucrypto_pin(&in, src, op->len, inplace);
	if (ret)
		goto out_again;
	if (!inplace) {
		ret = ucrypto_pin(&out, dst, op->len, true);
		if (ret) {
			ucrypto_unpin(&in, false);
			goto out_again;
		}
	}
	skcipher_request_set_tfm(req, s->skcipher);
	skcipher_request_set_callback(req, CRYPTO_TFM_REQ_MAY_SLEEP, NULL, NULL);
	skcipher_request_set_crypt(req, in.sg, inplace ? in.sg : out.sg, op->len,
				   iv);
	ret = cmd == UCRYPTO_ENCRYPT ? crypto_skcipher_encrypt(req) :
				       crypto_skcipher_decrypt(req);
	if (inplace) {
		ucrypto_unpin(&in, !ret);
	} else {
		ucrypto_unpin(&out, !ret);
		ucrypto_unpin(&in, false);
	}
	if (!ret)
		ret = op->len;
	goto out_free;

out_again:
	if (ret == -EFAULT)
		ret = -EAGAIN;
out_free:
	kfree_sensitive(req);
	return ret;
}

/*
 * Hands a finished operation to the framework, in process context.  Its
 * output goes to user space in ucrypto_finish(), which the framework runs
 * only for a command user space has not cancelled, just before delivering
 * the result: nothing is ever written after -ECANCELED or -EINTR.
 */
static void ucrypto_async_complete(struct ucrypto_req *r, int err)
{
	struct ucrypto_file *uf = r->uf;

	/* The file may go away once the command is complete. */
	atomic_sub(r->buf.len, &uf->inflight_bytes);
	atomic_dec(&uf->inflight);
	/* Completed: @r belongs to ucrypto_finish(), unless it was cancelled. */
	if (ucmd_complete(r->tok, err) == -ECANCELED)
		ucrypto_req_free(r);
}

/**
 * ucrypto_finish() - ucmd finish hook of the operations: output to user space
 * @priv: the command's &struct ucrypto_priv
 * @res: 0 or the crypto error the operation ended with
 *
 * Return: the operation's result (digest size, length, or a negative errno).
 */
int ucrypto_finish(void *priv, int res)
{
	struct ucrypto_req *r = ((struct ucrypto_priv *)priv)->r;

	res = ucrypto_req_copy_out(r, res);
	ucrypto_req_free(r);
	return res;
}

static void ucrypto_async_work(struct work_struct *work)
{
	struct ucrypto_req *r = container_of(work, struct ucrypto_req, work);

	ucrypto_async_complete(r, r->err);
}

/* The crypto callback, perhaps in softirq context: copying out waits for a worker. */
UCRYPTO_CRYPTO_CB(ucrypto_async_done)
{
	struct ucrypto_req *r = data;

	if (err == -EINPROGRESS)
		return;		/* left the backlog; the result follows */
	r->err = err;
	queue_work(ucrypto_wq, &r->work);
}

/* An operation of an asynchronous session: may complete from a callback. */
static int ucrypto_op_async(struct ucmd *uc, struct ucrypto_sess *s,
			    const struct ucrypto_op *op, u32 cmd,
			    unsigned int bytes)
{
	struct ucrypto_file *uf = ucrypto_file(uc);
	struct ucrypto_priv *priv;
	struct ucmd_token tok;
	struct ucrypto_req *r;
	int ret;

	if (!current->mm) {
		ret = -EOPNOTSUPP;
		goto err_put;
	}
	ret = -EBUSY;
	if (atomic_inc_return(&uf->inflight) > UCRYPTO_MAX_INFLIGHT)
		goto err_dec;
	if (atomic_add_return(bytes, &uf->inflight_bytes) >
	    UCRYPTO_MAX_INFLIGHT_BYTES)
		goto err_sub;
	ret = ucrypto_req_prepare(s, op, cmd, bytes, &r);
	if (ret)
		goto err_sub;
	priv = ucmd_defer(uc, &tok);
	if (IS_ERR(priv)) {
		atomic_sub(bytes, &uf->inflight_bytes);
		atomic_dec(&uf->inflight);
		ucrypto_req_free(r);
		return PTR_ERR(priv);
	}
	priv->r = r;
	r->tok = tok;
	r->uf = uf;
	INIT_WORK(&r->work, ucrypto_async_work);
	ucrypto_req_set_callback(r, CRYPTO_TFM_REQ_MAY_BACKLOG,
				 ucrypto_async_done);
	ret = ucrypto_req_start(r);
	if (ret != -EINPROGRESS && ret != -EBUSY) {
		/* Finished already, here in the issuer's context. */
		ucrypto_async_complete(r, ret);
	}
	return UCMD_QUEUED;

err_sub:
	atomic_sub(bytes, &uf->inflight_bytes);
err_dec:
	atomic_dec(&uf->inflight);
err_put:
	ucrypto_session_put(s);
	return ret;
}

static int ucrypto_op(struct ucmd *uc, u32 cmd)
{
	const struct ucrypto_op *op = ucmd_payload(uc, struct ucrypto_op);
	struct ucrypto_sess *s;
	struct ucrypto_req *r;
	long bytes;
	int ret;

	s = ucrypto_session_get(ucrypto_file(uc), op->session);
	if (!s)
		return -ENOENT;
	bytes = ucrypto_op_check(s, op, cmd);
	if (bytes < 0) {
		ret = bytes;
		goto err_put;
	}
	if (s->async)
		return ucrypto_op_async(uc, s, op, cmd, bytes);
	if (s->type == UCRYPTO_TYPE_HASH) {
		ret = ucrypto_hash_sync(s, op);
		goto err_put;
	}
	if (s->type == UCRYPTO_TYPE_SKCIPHER && op->len >= UCRYPTO_PIN_MIN &&
	    !(op->len % s->blocksize)) {
		ret = ucrypto_cipher_pinned(s, op, cmd);
		if (ret != -EAGAIN)
			goto err_put;
	}
	ret = ucrypto_req_prepare(s, op, cmd, bytes, &r);
	if (ret)
		goto err_put;
	/* A synchronous transform: done when the call returns. */
	ucrypto_req_set_callback(r, CRYPTO_TFM_REQ_MAY_SLEEP, NULL);
	ret = ucrypto_req_copy_out(r, ucrypto_req_start(r));
	ucrypto_req_free(r);
	return ret;

err_put:
	ucrypto_session_put(s);
	return ret;
}

int ucrypto_hash(struct ucmd *uc)
{
	return ucrypto_op(uc, UCRYPTO_HASH);
}

int ucrypto_encrypt(struct ucmd *uc)
{
	return ucrypto_op(uc, UCRYPTO_ENCRYPT);
}

int ucrypto_decrypt(struct ucmd *uc)
{
	return ucrypto_op(uc, UCRYPTO_DECRYPT);
}

#ifdef UCRYPTO_WITH_BENCH
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
		aead_request_set_tfm((void *)r->creq, s->aead);
		aead_request_set_ad((void *)r->creq, 0);
		aead_request_set_crypt((void *)r->creq, r->buf.sg, r->buf.sg,
				       r->len, r->iv);
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
#endif /* UCRYPTO_WITH_BENCH */

int ucrypto_ops_init(void)
{
	ucrypto_wq = alloc_workqueue("ucrypto", WQ_UNBOUND, 0);
	return ucrypto_wq ? 0 : -ENOMEM;
}

/* Waits for the workers: no code of this module runs afterwards. */
void ucrypto_ops_exit(void)
{
	destroy_workqueue(ucrypto_wq);
}
