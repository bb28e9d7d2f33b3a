// SPDX-License-Identifier: GPL-2.0
/* stream.c - data of any size in pieces: the hash stream of a session (UCRYPTO_OP_INIT, _UPDATE, _FINAL) and chained cipher IVs (UCRYPTO_OP_IV_OUT). */

#include <crypto/hash.h>
#include <crypto/skcipher.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "ucrypto_req.h"

#define UCRYPTO_OP_PIECE	(UCRYPTO_OP_INIT | UCRYPTO_OP_UPDATE | UCRYPTO_OP_FINAL)

/**
 * ucrypto_stream_setup() - say whether a new session takes data in pieces
 * @s: a session whose transform is set up
 *
 * Synchronous hashes stream.  Of the ciphers, those whose output IV the
 * crypto API defines as the next piece's (cbc and ctr update req->iv) chain;
 * xts does not (crypto/xts.c leaves req->iv as it was).
 */
void ucrypto_stream_setup(struct ucrypto_sess *s)
{
	const char *name;

	if (s->type == UCRYPTO_TYPE_HASH) {
		s->streams = !s->async;
		return;
	}
	if (s->type != UCRYPTO_TYPE_SKCIPHER || !s->ivsize)
		return;
	name = crypto_tfm_alg_name(crypto_skcipher_tfm(s->skcipher));
	s->streams = str_has_prefix(name, "cbc(") || str_has_prefix(name, "ctr(");
	s->chunk = max(crypto_skcipher_chunksize(s->skcipher), s->blocksize);
}

/**
 * ucrypto_stream_free() - free a session's hash stream, wiped
 * @s: a session no operation uses any more
 */
void ucrypto_stream_free(struct ucrypto_sess *s)
{
	kfree_sensitive(s->stream);
}

/**
 * ucrypto_chain_check() - check the flags of a cipher operation
 * @s: the session
 * @op: the operation, whose flags are not 0
 * @cmd: UCRYPTO_ENCRYPT or UCRYPTO_DECRYPT (UCRYPTO_HASH is refused)
 *
 * Return: 0 if @op may chain its IV, else a negative errno.
 */
long ucrypto_chain_check(const struct ucrypto_sess *s,
			 const struct ucrypto_op *op, u32 cmd)
{
	if (s->type == UCRYPTO_TYPE_AEAD)
		return -EOPNOTSUPP;	/* one-shot: the tag covers the message */
	if (op->flags != UCRYPTO_OP_IV_OUT || s->type != UCRYPTO_TYPE_SKCIPHER ||
	    cmd == UCRYPTO_HASH)
		return -EINVAL;
	if (!s->streams)
		return -EOPNOTSUPP;
	if (op->len % s->chunk || !op->iv)
		return -EINVAL;
	return 0;
}

/**
 * ucrypto_iv_out() - write the next piece's IV for UCRYPTO_OP_IV_OUT
 * @s: the session
 * @op: the operation, finished successfully
 * @iv: the IV as the crypto API left it
 *
 * Return: 0, or -EFAULT.
 */
int ucrypto_iv_out(const struct ucrypto_sess *s, const struct ucrypto_op *op,
		   const u8 *iv)
{
	if (!(op->flags & UCRYPTO_OP_IV_OUT))
		return 0;
	return copy_to_user(u64_to_user_ptr(op->iv), iv, s->ivsize) ? -EFAULT : 0;
}

/* One piece of the stream, the stream held (bit 0 of s->stream_busy). */
static int ucrypto_stream_piece(struct ucrypto_sess *s,
				const struct ucrypto_op *op)
{
	u8 digest[HASH_MAX_DIGESTSIZE];
	struct shash_desc *desc;
	int ret;

	if (op->flags & UCRYPTO_OP_INIT) {
		if (s->stream_open)
			return -EALREADY;
		if (!s->stream) {
			s->stream = kmalloc(sizeof(*s->stream) +
					    crypto_shash_descsize(s->shash),
					    GFP_KERNEL_ACCOUNT);
			if (!s->stream)
				return -ENOMEM;
		}
		s->stream->tfm = s->shash;
		ret = crypto_shash_init(s->stream);
		if (ret)
			return ret;
		s->stream_open = true;
	} else if (!s->stream_open) {
		return -EBADFD;
	}
	desc = s->stream;
	ret = ucrypto_hash_user(desc, op->src, op->len);
	if (!ret && (op->flags & UCRYPTO_OP_FINAL)) {
		ret = crypto_shash_final(desc, digest);
		if (!ret && copy_to_user(u64_to_user_ptr(op->dst), digest,
					 s->digestsize))
			ret = -EFAULT;
		memzero_explicit(digest, sizeof(digest));
		if (!ret)
			ret = s->digestsize;
	} else if (!ret) {
		ret = op->len;
	}
	/* Finished or failed half-way: the stream ends, its state (keyed) wiped. */
	if (ret < 0 || (op->flags & UCRYPTO_OP_FINAL)) {
		s->stream_open = false;
		memzero_explicit(desc, sizeof(*desc) + crypto_shash_descsize(s->shash));
	}
	return ret;
}

/**
 * ucrypto_stream_hash() - a UCRYPTO_HASH piece (UCRYPTO_OP_INIT, _UPDATE, _FINAL)
 * @s: the session
 * @op: the operation, with one of those flags
 * @cmd: the command
 *
 * Return: @op->len for INIT and UPDATE, the digest size for FINAL, or a
 * negative errno (see the flags in <uapi/linux/ucrypto.h>).
 */
int ucrypto_stream_hash(struct ucrypto_sess *s, const struct ucrypto_op *op,
			u32 cmd)
{
	u32 f = op->flags;
	int ret;

	if (s->type == UCRYPTO_TYPE_AEAD)
		return -EOPNOTSUPP;
	if (s->type != UCRYPTO_TYPE_HASH || cmd != UCRYPTO_HASH ||
	    (f & ~UCRYPTO_OP_PIECE) ||
	    (f != UCRYPTO_OP_INIT && f != UCRYPTO_OP_UPDATE &&
	     f != UCRYPTO_OP_FINAL && f != (UCRYPTO_OP_INIT | UCRYPTO_OP_FINAL)) ||
	    !(f & UCRYPTO_OP_FINAL) != !op->dst || op->iv || op->aad ||
	    op->aad_len || op->tag)
		return -EINVAL;
	if (op->len > UCRYPTO_MAX_LEN)
		return -EMSGSIZE;
	if (!s->streams)
		return -EOPNOTSUPP;
	if (test_and_set_bit_lock(0, &s->stream_busy))
		return -EBUSY;
	ret = ucrypto_stream_piece(s, op);
	clear_bit_unlock(0, &s->stream_busy);
	return ret;
}
