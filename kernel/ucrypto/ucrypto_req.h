/* SPDX-License-Identifier: GPL-2.0 */
/* ucrypto_req.h - an operation's request and kernel buffer, shared by the files that run operations. */
#ifndef _UCRYPTO_REQ_H
#define _UCRYPTO_REQ_H

#include <crypto/hash.h>
#include <linux/scatterlist.h>
#include <linux/uio.h>
#include <linux/workqueue.h>

#include "ucrypto_internal.h"

/* A kernel copy of user data and the scatterlist that describes it. */
struct ucrypto_buf {
	u8 *va;
	unsigned int len;
	struct scatterlist *sg;
	struct scatterlist sg1;
};

/*
 * An operation's input (@src) and output (@dst, the digest of a hash), from
 * ucmd_import_buf(): the user's memory, or the ring's registered buffer.
 */
struct ucrypto_io {
	struct iov_iter src;
	struct iov_iter dst;
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
	struct iov_iter dst;	/* used in the submitter's context only */
	void __user *tag;
	void __user *iv_out;	/* UCRYPTO_OP_IV_OUT: the next IV goes there */
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

int ucrypto_buf_alloc(struct ucrypto_buf *b, unsigned int len);
int ucrypto_req_prepare(struct ucrypto_sess *s, const struct ucrypto_op *op,
			u32 cmd, unsigned int bytes, struct ucrypto_io *io,
			struct ucrypto_req **rp);
void ucrypto_req_set_callback(struct ucrypto_req *r, u32 flags,
			      crypto_completion_t done);
int ucrypto_req_start(struct ucrypto_req *r);
int ucrypto_req_copy_out(struct ucrypto_req *r, int err);
void ucrypto_req_free(struct ucrypto_req *r);

long ucrypto_op_check(const struct ucrypto_sess *s, const struct ucrypto_op *op,
		      u32 cmd);
long ucrypto_aead_check(const struct ucrypto_sess *s,
			const struct ucrypto_op *op, u32 cmd);
int ucrypto_aead_copy_in(struct ucrypto_req *r, const struct ucrypto_op *op,
			 struct iov_iter *src);
void ucrypto_aead_init(struct ucrypto_req *r);
void ucrypto_aead_set_callback(struct ucrypto_req *r, u32 flags,
			       crypto_completion_t done);
int ucrypto_aead_start(struct ucrypto_req *r);
int ucrypto_aead_copy_out(struct ucrypto_req *r);
int ucrypto_hash_sync(struct ucrypto_sess *s, const struct ucrypto_op *op,
		      struct ucrypto_io *io);
int ucrypto_hash_user(struct shash_desc *desc, unsigned long uaddr,
		      unsigned int len);
int ucrypto_cipher_pinned(struct ucrypto_sess *s, const struct ucrypto_op *op,
			  u32 cmd, struct ucrypto_io *io);
long ucrypto_chain_check(const struct ucrypto_sess *s,
			 const struct ucrypto_op *op, u32 cmd);
int ucrypto_iv_out(const struct ucrypto_sess *s, const struct ucrypto_op *op,
		   const u8 *iv);
int ucrypto_stream_hash(struct ucrypto_sess *s, const struct ucrypto_op *op,
			u32 cmd);
int ucrypto_op_async(struct ucmd *uc, struct ucrypto_sess *s,
		     const struct ucrypto_op *op, u32 cmd, unsigned int bytes,
		     struct ucrypto_io *io);

#endif /* _UCRYPTO_REQ_H */
