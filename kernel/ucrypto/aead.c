// SPDX-License-Identifier: GPL-2.0
/* aead.c - AEAD sessions and operations, one-shot: the associated data, the text and the tag in one kernel buffer. */

#include <crypto/aead.h>
#include <linux/err.h>
#include <linux/uaccess.h>

#include "ucrypto_compat.h"
#include "ucrypto_req.h"

/**
 * ucrypto_aead_alloc() - give a session an AEAD transform, keyed
 * @s: the session, of type UCRYPTO_TYPE_AEAD
 * @name: the algorithm, e.g. "gcm(aes)"
 * @allow_async: whether an asynchronous implementation may serve it
 * @key: the key
 * @key_len: its bytes
 * @tag_len: the tag's bytes, 0 for the algorithm's default
 *
 * On error the caller frees what was allocated (@s->aead).
 *
 * Return: 0, -ENOENT if there is no such AEAD, or a negative errno.
 */
int ucrypto_aead_alloc(struct ucrypto_sess *s, const char *name,
		       bool allow_async, const u8 *key, unsigned int key_len,
		       unsigned int tag_len)
{
	struct crypto_aead *tfm = crypto_alloc_aead(name, 0, 0);
	struct crypto_aead *sync;
	int ret;

	if (IS_ERR(tfm))
		return ucrypto_lookup_err(tfm);
	if (!allow_async && ucrypto_tfm_is_async(crypto_aead_tfm(tfm))) {
		sync = crypto_alloc_aead(name, 0, CRYPTO_ALG_ASYNC);
		if (!IS_ERR(sync)) {
			crypto_free_aead(tfm);
			tfm = sync;
		}
	}
	s->aead = tfm;
	s->async = ucrypto_tfm_is_async(crypto_aead_tfm(tfm));
	s->ivsize = crypto_aead_ivsize(tfm);
	s->blocksize = crypto_aead_blocksize(tfm);
	s->reqsize = sizeof(struct aead_request) + crypto_aead_reqsize(tfm);
	if (s->ivsize > UCRYPTO_MAX_IV_SIZE)
		return -EOPNOTSUPP;
	ret = crypto_aead_setkey(tfm, key, key_len);
	if (ret)
		return ret;
	if (tag_len) {
		ret = crypto_aead_setauthsize(tfm, tag_len);
		if (ret)
			return ret;
	}
	s->authsize = crypto_aead_authsize(tfm);
	return 0;
}

/*
 * Checks an AEAD operation against its session.  Returns the bytes of the
 * kernel buffer it needs (associated data, text and tag), or -EINVAL.
 */
long ucrypto_aead_check(const struct ucrypto_sess *s,
			const struct ucrypto_op *op, u32 cmd)
{
	if (cmd == UCRYPTO_HASH || (s->ivsize && !op->iv) ||
	    (s->authsize && !op->tag))
		return -EINVAL;
	return (long)op->aad_len + op->len + s->authsize;
}

/*
 * Copies an AEAD operation's input into @r's buffer: the associated data,
 * the text from @src, and to decrypt the tag after it.
 */
int ucrypto_aead_copy_in(struct ucrypto_req *r, const struct ucrypto_op *op,
			 struct iov_iter *src)
{
	u8 *va = r->buf.va;

	if (copy_from_user(va, u64_to_user_ptr(op->aad), r->aad_len))
		return -EFAULT;
	va += r->aad_len;
	if (!copy_from_iter_full(va, r->len, src))
		return -EFAULT;
	if (r->cmd == UCRYPTO_DECRYPT &&
	    copy_from_user(va + r->len, r->tag, r->s->authsize))
		return -EFAULT;
	return 0;
}

/* Sets up @r's aead_request, in place over its buffer. */
void ucrypto_aead_init(struct ucrypto_req *r)
{
	struct aead_request *req = (void *)r->creq;

	aead_request_set_tfm(req, r->s->aead);
	aead_request_set_ad(req, r->aad_len);
	aead_request_set_crypt(req, r->buf.sg, r->buf.sg,
			       r->cmd == UCRYPTO_DECRYPT ?
			       r->len + r->s->authsize : r->len, r->iv);
}

void ucrypto_aead_set_callback(struct ucrypto_req *r, u32 flags,
			       crypto_completion_t done)
{
	aead_request_set_callback((void *)r->creq, flags, done, r);
}

int ucrypto_aead_start(struct ucrypto_req *r)
{
	return r->cmd == UCRYPTO_ENCRYPT ?
	       crypto_aead_encrypt((void *)r->creq) :
	       crypto_aead_decrypt((void *)r->creq);
}

/*
 * Writes a finished AEAD operation's text, and when it encrypted its tag,
 * to user memory.  Returns the text's bytes or -EFAULT.
 */
int ucrypto_aead_copy_out(struct ucrypto_req *r)
{
	const u8 *out = r->buf.va + r->aad_len;

	if (copy_to_iter(out, r->len, &r->dst) != r->len)
		return -EFAULT;
	if (r->cmd == UCRYPTO_ENCRYPT &&
	    copy_to_user(r->tag, out + r->len, r->s->authsize))
		return -EFAULT;
	return r->len;
}
