// SPDX-License-Identifier: GPL-2.0
/* ops.c - the handler of UCRYPTO_HASH, UCRYPTO_ENCRYPT and UCRYPTO_DECRYPT: check, then pick the path. */

#include "ucrypto_req.h"

/*
 * Synchronous cipher inputs from this size, in whole blocks, are en- or
 * decrypted in the user's pages (pinned) rather than through a copy.
 */
#define UCRYPTO_PIN_MIN		512

/*
 * Checks an operation against its session.  Returns the bytes of the kernel
 * buffer it needs, or a negative errno.
 */
long ucrypto_op_check(const struct ucrypto_sess *s,
			     const struct ucrypto_op *op, u32 cmd)
{
	long ret = op->flags ? ucrypto_chain_check(s, op, cmd) : 0;

	if (ret)
		return ret;
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
		return ucrypto_aead_check(s, op, cmd);
	}
}

/*
 * The operation's input and output, as iterators: over the ring's registered
 * buffer when the command says IORING_URING_CMD_FIXED (both must lie inside
 * it), else over the user's memory.  The output is the digest of a hash, and
 * is written over the input when a cipher's @dst is 0.
 */
static int ucrypto_io_import(struct ucmd *uc, const struct ucrypto_sess *s,
			     const struct ucrypto_op *op, struct ucrypto_io *io)
{
	u64 dst = op->dst ? op->dst : op->src;
	size_t out = s->type == UCRYPTO_TYPE_HASH ? s->digestsize : op->len;
	int ret;

	ret = ucmd_import_buf(uc, op->src, op->len, ITER_SOURCE, &io->src);
	if (!ret)
		ret = ucmd_import_buf(uc, dst, out, ITER_DEST, &io->dst);
	return ret;
}

/**
 * ucrypto_data_op() - the handler of UCRYPTO_HASH, UCRYPTO_ENCRYPT and UCRYPTO_DECRYPT
 * @uc: the command; ucmd_cmd_op() says which of the three
 *
 * Return: as a ucmd handler.
 */
int ucrypto_data_op(struct ucmd *uc)
{
	const struct ucrypto_op *op = ucmd_payload(uc, struct ucrypto_op);
	u32 cmd = ucmd_cmd_op(uc);
	struct ucrypto_sess *s;
	struct ucrypto_req *r;
	struct ucrypto_io io;
	long bytes;
	int ret;

	s = ucrypto_session_get(ucrypto_file(uc), op->session);
	if (!s)
		return -ENOENT;
	if (op->flags & ~UCRYPTO_OP_IV_OUT) {
		/* Hash streams read plain user memory, piece by piece. */
		ret = ucmd_buf_registered(uc) ? -EOPNOTSUPP :
						ucrypto_stream_hash(s, op, cmd);
		goto err_put;
	}
	bytes = ucrypto_op_check(s, op, cmd);
	if (bytes < 0) {
		ret = bytes;
		goto err_put;
	}
	ret = ucrypto_io_import(uc, s, op, &io);
	if (ret)
		goto err_put;
	if (s->async)
		return ucrypto_op_async(uc, s, op, cmd, bytes, &io);
	if (s->type == UCRYPTO_TYPE_HASH) {
		ret = ucrypto_hash_sync(s, op, &io);
		goto err_put;
	}
	if (s->type == UCRYPTO_TYPE_SKCIPHER && op->len >= UCRYPTO_PIN_MIN &&
	    !(op->len % s->blocksize)) {
		ret = ucrypto_cipher_pinned(s, op, cmd, &io);
		if (ret != -EAGAIN)
			goto err_put;
	}
	ret = ucrypto_req_prepare(s, op, cmd, bytes, &io, &r);
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
