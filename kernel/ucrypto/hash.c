// SPDX-License-Identifier: GPL-2.0
/* hash.c - synchronous hashing (shash, no request): small inputs through the stack, large ones in the user's pages (for hash streams too). */

#include <crypto/hash.h>
#include <linux/highmem.h>
#include <linux/bvec.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "ucrypto_req.h"

/* Hash inputs up to this size are bounced through the stack. */
#define UCRYPTO_HASH_STACK	256
/*
 * Larger ones are read in place, a batch of pinned user pages at a time;
 * through a bounce buffer of this size where pages cannot be pinned.
 */
#define UCRYPTO_PIN_BATCH	16
#define UCRYPTO_HASH_CHUNK	8192

/* Hashes @len bytes at @uaddr into @desc through a small bounce buffer. */
static int ucrypto_hash_copy(struct shash_desc *desc, unsigned long uaddr,
			     unsigned int len)
{
	unsigned int chunk = min_t(unsigned int, len, UCRYPTO_HASH_CHUNK);
	u8 *buf = kmalloc(max(chunk, 1U), GFP_KERNEL_ACCOUNT);
	int ret = 0;

	if (!buf)
		return -ENOMEM;
	while (!ret && len) {
		unsigned int n = min(len, chunk);

		if (copy_from_user(buf, (const void __user *)uaddr, n)) {
			ret = -EFAULT;
			break;
		}
		ret = crypto_shash_update(desc, buf, n);
		uaddr += n;
		len -= n;
		cond_resched();
	}
	kfree_sensitive(buf);
	return ret;
}

/*
 * Hashes @len bytes at @uaddr into @desc where they are: pins a batch of the
 * user's pages at a time and hashes them through the kernel mapping (no
 * copy, as AF_ALG).  On -EFAULT (pages that cannot be pinned) *@done says
 * how many bytes went in, for the bounce path to go on from there.
 */
static int ucrypto_hash_pinned(struct shash_desc *desc, unsigned long uaddr,
			       unsigned int len, unsigned int *done)
{
	struct page *pages[UCRYPTO_PIN_BATCH];
	int ret = 0;

	*done = 0;
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
			*done += seg;
			off = 0;
		}
		unpin_user_pages(pages, np);
		cond_resched();
	}
	return ret;
}

/**
 * ucrypto_hash_user() - hash user memory into an initialised shash
 * @desc: the hash, initialised
 * @uaddr: the user address of the data
 * @len: its bytes
 *
 * In place, a batch of pinned pages at a time; where pages cannot be pinned,
 * on from there through a bounce buffer.
 *
 * Return: 0, -EFAULT, -ENOMEM or the hash's error.
 */
int ucrypto_hash_user(struct shash_desc *desc, unsigned long uaddr,
		      unsigned int len)
{
	unsigned int done;
	int ret;

	if (!len)
		return 0;
	ret = ucrypto_hash_pinned(desc, uaddr, len, &done);
	if (ret == -EFAULT)
		ret = ucrypto_hash_copy(desc, uaddr + done, len - done);
	return ret;
}

/*
 * Hashes a registered buffer's pages where they are: io_uring pinned them
 * when user space registered the buffer, so there is nothing to pin here.
 * A segment may span several pages (a huge page): mapped a page at a time.
 */
static int ucrypto_hash_bvec(struct shash_desc *desc, const struct iov_iter *it)
{
	const struct bio_vec *bv = it->bvec;
	size_t skip = it->iov_offset, left = iov_iter_count(it);
	int ret = 0;

	for (; !ret && left; bv++) {
		size_t off, n;

		if (skip >= bv->bv_len) {
			skip -= bv->bv_len;
			continue;
		}
		off = bv->bv_offset + skip;
		n = min(left, bv->bv_len - skip);
		skip = 0;
		left -= n;
		while (!ret && n) {
			unsigned int po = offset_in_page(off);
			unsigned int seg = min_t(size_t, n, PAGE_SIZE - po);
			u8 *va = kmap_local_page(bv->bv_page + off / PAGE_SIZE);

			ret = crypto_shash_update(desc, va + po, seg);
			kunmap_local(va);
			off += seg;
			n -= seg;
		}
		cond_resched();
	}
	return ret;
}

/* A small input, bounced through the stack (a frame of its own). */
static noinline_for_stack int ucrypto_hash_small(struct shash_desc *desc,
						 struct iov_iter *src,
						 unsigned int len, u8 *digest)
{
	u8 buf[UCRYPTO_HASH_STACK] __uninitialized;

	if (!copy_from_iter_full(buf, len, src))
		return -EFAULT;
	return crypto_shash_digest(desc, buf, len, digest);
}

/*
 * The hot path of hashes: shash, no request.  The stack buffers are not
 * auto-initialised (INIT_STACK_ALL_ZERO would clear ~700 bytes per call);
 * only bytes written before are ever read or copied out.
 */
int ucrypto_hash_sync(struct ucrypto_sess *s,
			     const struct ucrypto_op *op, struct ucrypto_io *io)
{
	char desc_buf[sizeof(struct shash_desc) + HASH_MAX_DESCSIZE]
		__aligned(__alignof__(struct shash_desc)) __uninitialized;
	struct shash_desc *desc = (struct shash_desc *)desc_buf;
	u8 digest[HASH_MAX_DIGESTSIZE] __uninitialized;
	int ret;

	desc->tfm = s->shash;
	if (op->len <= UCRYPTO_HASH_STACK) {
		ret = ucrypto_hash_small(desc, &io->src, op->len, digest);
	} else {
		ret = crypto_shash_init(desc);
		if (!ret && iov_iter_is_bvec(&io->src))
			ret = ucrypto_hash_bvec(desc, &io->src);
		else if (!ret)
			ret = ucrypto_hash_user(desc, op->src, op->len);
		if (!ret)
			ret = crypto_shash_final(desc, digest);
	}
	/* The state of a keyed hash is key material. */
	shash_desc_zero(desc);
	if (!ret)
		ret = copy_to_iter(digest, s->digestsize, &io->dst) !=
		      s->digestsize ? -EFAULT : s->digestsize;
	return ret;
}
