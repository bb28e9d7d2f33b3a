// SPDX-License-Identifier: GPL-2.0
/* cipher.c - synchronous skcipher operations in the user's own pinned pages (or a registered buffer's), without a copy. */

#include <crypto/skcipher.h>
#include <linux/bvec.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "ucrypto_req.h"

/*
 * User pages pinned for one operation, with the scatterlist over them; or
 * only the scatterlist, over a registered buffer (@npages 0).
 */
struct ucrypto_pin {
	struct page **pages;
	struct scatterlist *sg;
	int npages;
};

/*
 * A scatterlist over the range of a registered buffer that @it covers: its
 * pages were pinned by io_uring at registration and stay so until the
 * command completes.
 */
static int ucrypto_sg_bvec(struct ucrypto_pin *p, const struct iov_iter *it)
{
	const struct bio_vec *bv = it->bvec;
	size_t skip = it->iov_offset, left = iov_iter_count(it), rest;
	int i, n = 0;

	while (skip >= bv->bv_len) {
		skip -= bv->bv_len;
		bv++;
	}
	for (rest = left; rest; n++)
		rest -= min(rest, bv[n].bv_len - (n ? 0 : skip));
	p->sg = kmalloc_array(n, sizeof(*p->sg), GFP_KERNEL_ACCOUNT);
	if (!p->sg)
		return -ENOMEM;
	p->pages = NULL;
	p->npages = 0;
	sg_init_table(p->sg, n);
	for (i = 0; i < n; i++, bv++, skip = 0) {
		size_t seg = min(left, bv->bv_len - skip);

		sg_set_page(&p->sg[i], bv->bv_page, seg, bv->bv_offset + skip);
		left -= seg;
	}
	return 0;
}

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
	if (!p->npages) {
		kfree(p->sg);
		return;
	}
	unpin_user_pages_dirty_lock(p->pages, p->npages, dirty);
	kfree(p->pages);
}

/* The pages of @it: pinned now (user memory) or already (registered buffer). */
static int ucrypto_pin_iter(struct ucrypto_pin *p, const struct iov_iter *it,
			    unsigned long uaddr, unsigned int len, bool write)
{
	if (iov_iter_is_bvec(it))
		return ucrypto_sg_bvec(p, it);
	return ucrypto_pin(p, uaddr, len, write);
}

/*
 * A synchronous skcipher operation in the user's own pages: in place, or
 * from one buffer to another that does not overlap it.  Whole blocks only,
 * so that the cipher cannot fail half-way with output written.  Returns
 * -EAGAIN when the bounce path must do it (overlap, unpinnable memory).
 */
int ucrypto_cipher_pinned(struct ucrypto_sess *s,
				 const struct ucrypto_op *op, u32 cmd,
				 struct ucrypto_io *io)
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
	ret = ucrypto_pin_iter(&in, &io->src, src, op->len, inplace);
	if (ret)
		goto out_again;
	if (!inplace) {
		ret = ucrypto_pin_iter(&out, &io->dst, dst, op->len, true);
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
		ret = ucrypto_iv_out(s, op, iv) ?: op->len;
	goto out_free;

out_again:
	if (ret == -EFAULT)
		ret = -EAGAIN;
out_free:
	kfree_sensitive(req);
	return ret;
}
