// SPDX-License-Identifier: LGPL-2.1 OR MIT
/* cipher.c - AES-128/256 in CBC (PKCS#7 padding here) and CTR mode for the ucrypto provider, any length by chaining IVs. */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <libucmd.h>

#include "prov.h"

#define AES_BLOCK 16

struct cipher_ctx {
	struct prov_ctx *pc;
	struct prov_session s;
	const char *kernel; /* "cbc(aes)" or "ctr(aes)" */
	unsigned int mode; /* EVP_CIPH_CBC_MODE or EVP_CIPH_CTR_MODE */
	size_t key_len;
	unsigned char key[32]; /* for dupctx: a copy needs a session of its own */
	bool enc;
	bool iv_set;
	bool pad; /* CBC: PKCS#7, OpenSSL's default */
	unsigned char oiv[AES_BLOCK]; /* the IV given at init */
	unsigned char iv[AES_BLOCK]; /* the IV that continues the data */
	/* CBC: a partial block (decryption with padding keeps the last whole one back too). */
	unsigned char buf[AES_BLOCK];
	size_t nbuf;
	/* CTR: the current counter block's keystream; its last ks_left bytes are unused. */
	unsigned char ks[AES_BLOCK];
	size_t ks_left;
};

static void *cipher_newctx(void *provctx, const char *kernel, unsigned int mode, size_t key_len)
{
	struct cipher_ctx *c = calloc(1, sizeof(*c));

	if (!c) {
		prov_err(provctx, PROV_R_NO_MEMORY, "cipher context");
		return NULL;
	}
	c->pc = provctx;
	c->s.fd = -1;
	c->kernel = kernel;
	c->mode = mode;
	c->key_len = key_len;
	c->pad = true;
	return c;
}

static void cipher_freectx(void *ctx)
{
	struct cipher_ctx *c = ctx;

	if (!c)
		return;
	prov_session_destroy(c->pc, &c->s);
	OPENSSL_cleanse(c, sizeof(*c));
	free(c);
}

/* A copy: the same state on a session of its own with the same key. */
static void *cipher_dupctx(void *ctx)
{
	struct cipher_ctx *c = ctx, *d = malloc(sizeof(*d));

	if (!d) {
		prov_err(c->pc, PROV_R_NO_MEMORY, "cipher context");
		return NULL;
	}
	*d = *c;
	d->s.id = 0;
	d->s.fd = -1;
	if (c->s.id && prov_session_create(c->pc, &d->s, c->kernel, UCRYPTO_TYPE_SKCIPHER, c->key,
					   c->key_len, 0) < 0) {
		cipher_freectx(d);
		return NULL;
	}
	return d;
}

static int cipher_set_ctx_params(void *ctx, const OSSL_PARAM params[])
{
	struct cipher_ctx *c = ctx;
	const OSSL_PARAM *p;
	unsigned int u;
	size_t sz;

	if (!params)
		return 1;
	p = OSSL_PARAM_locate_const(params, OSSL_CIPHER_PARAM_PADDING);
	if (p) {
		if (!OSSL_PARAM_get_uint(p, &u))
			return 0;
		c->pad = u != 0;
	}
	p = OSSL_PARAM_locate_const(params, OSSL_CIPHER_PARAM_KEYLEN);
	if (p && (!OSSL_PARAM_get_size_t(p, &sz) || sz != c->key_len)) {
		prov_err(c->pc, PROV_R_BAD_KEY, "key length is fixed at %zu bytes", c->key_len);
		return 0;
	}
	p = OSSL_PARAM_locate_const(params, OSSL_CIPHER_PARAM_NUM);
	if (p && (!OSSL_PARAM_get_uint(p, &u) || u != 0)) {
		prov_err(c->pc, PROV_R_BAD_PARAM, "only num 0 can be set");
		return 0;
	}
	if (p)
		c->ks_left = 0;
	return 1;
}

static int cipher_init(struct cipher_ctx *c, const unsigned char *key, size_t keylen,
		       const unsigned char *iv, size_t ivlen, const OSSL_PARAM params[], bool enc)
{
	c->enc = enc;
	c->nbuf = 0;
	c->ks_left = 0;
	if (key) {
		if (keylen != c->key_len) {
			prov_err(c->pc, PROV_R_BAD_KEY, "%s key of %zu bytes, not %zu", c->kernel,
				 keylen, c->key_len);
			return 0;
		}
		prov_session_destroy(c->pc, &c->s);
		if (prov_session_create(c->pc, &c->s, c->kernel, UCRYPTO_TYPE_SKCIPHER, key, keylen,
					0) < 0)
			return 0;
		memcpy(c->key, key, keylen);
	}
	if (iv) {
		if (ivlen != AES_BLOCK) {
			prov_err(c->pc, PROV_R_BAD_IV, "IV of %zu bytes, not %d", ivlen, AES_BLOCK);
			return 0;
		}
		memcpy(c->oiv, iv, AES_BLOCK);
		memcpy(c->iv, iv, AES_BLOCK);
		c->iv_set = true;
	}
	return cipher_set_ctx_params(c, params);
}

static int cipher_einit(void *ctx, const unsigned char *key, size_t keylen, const unsigned char *iv,
			size_t ivlen, const OSSL_PARAM params[])
{
	return cipher_init(ctx, key, keylen, iv, ivlen, params, true);
}

static int cipher_dinit(void *ctx, const unsigned char *key, size_t keylen, const unsigned char *iv,
			size_t ivlen, const OSSL_PARAM params[])
{
	return cipher_init(ctx, key, keylen, iv, ivlen, params, false);
}

/* @len (a multiple of the block) bytes through the kernel, the IV chained on. */
static int cipher_blocks(struct cipher_ctx *c, bool enc, unsigned char *out,
			 const unsigned char *in, size_t len)
{
	int ret;

	if (!len)
		return 1;
	ret = ucmd_crypto_cipher_chain(NULL, c->s.fd, c->s.id,
				       enc ? UCRYPTO_ENCRYPT : UCRYPTO_DECRYPT, UCRYPTO_OP_IV_OUT,
				       in, out, len, c->iv);
	if (ret < 0) {
		prov_err_kernel(c->pc, ret, c->kernel);
		return 0;
	}
	return 1;
}

static bool cipher_ready(struct cipher_ctx *c)
{
	if (!c->s.id || !c->iv_set) {
		prov_err(c->pc, PROV_R_STATE, "%s without %s", c->kernel, c->s.id ? "IV" : "key");
		return false;
	}
	return true;
}

/* CTR: keystream XOR; whole blocks go to the kernel, a partial one leaves keystream over. */
static int ctr_update(struct cipher_ctx *c, unsigned char *out, const unsigned char *in, size_t len)
{
	static const unsigned char zero[AES_BLOCK];
	size_t full, i;

	while (len && c->ks_left) {
		*out++ = *in++ ^ c->ks[AES_BLOCK - c->ks_left--];
		len--;
	}
	full = len & ~(size_t)(AES_BLOCK - 1);
	if (!cipher_blocks(c, true, out, in, full))
		return 0;
	in += full;
	out += full;
	len -= full;
	if (!len)
		return 1;
	if (!cipher_blocks(c, true, c->ks, zero, AES_BLOCK))
		return 0;
	for (i = 0; i < len; i++)
		out[i] = in[i] ^ c->ks[i];
	c->ks_left = AES_BLOCK - len;
	return 1;
}

/* CBC: whole blocks out, a partial one (and with padding on decryption the last one) kept. */
static int cbc_update(struct cipher_ctx *c, unsigned char *out, size_t *outl,
		      const unsigned char *in, size_t len)
{
	size_t total = c->nbuf + len, n = total & ~(size_t)(AES_BLOCK - 1), k;

	if (!c->enc && c->pad && n == total && n)
		n -= AES_BLOCK; /* it may be the padding block: final() decides */
	*outl = n;
	if (n && c->nbuf) {
		k = AES_BLOCK - c->nbuf;
		memcpy(c->buf + c->nbuf, in, k);
		if (!cipher_blocks(c, c->enc, out, c->buf, AES_BLOCK))
			return 0;
		in += k;
		len -= k;
		out += AES_BLOCK;
		n -= AES_BLOCK;
		c->nbuf = 0;
	}
	if (!cipher_blocks(c, c->enc, out, in, n))
		return 0;
	memcpy(c->buf + c->nbuf, in + n, len - n);
	c->nbuf += len - n;
	return 1;
}

static int cipher_update(void *ctx, unsigned char *out, size_t *outl, size_t outsize,
			 const unsigned char *in, size_t inl)
{
	struct cipher_ctx *c = ctx;
	size_t need;

	if (!cipher_ready(c))
		return 0;
	if (c->mode == EVP_CIPH_CTR_MODE) {
		need = inl;
	} else {
		need = (c->nbuf + inl) & ~(size_t)(AES_BLOCK - 1);
	}
	if (outsize < need) {
		prov_err(c->pc, PROV_R_BAD_LENGTH, "output buffer of %zu bytes for %zu", outsize,
			 need);
		return 0;
	}
	if (c->mode == EVP_CIPH_CTR_MODE) {
		*outl = inl;
		return ctr_update(c, out, in, inl);
	}
	return cbc_update(c, out, outl, in, inl);
}

static int cbc_final_dec(struct cipher_ctx *c, unsigned char *out, size_t *outl)
{
	unsigned char blk[AES_BLOCK];
	unsigned int padv, bad = 0, i;

	if (c->nbuf != AES_BLOCK) {
		prov_err(c->pc, PROV_R_BAD_LENGTH, "wrong final block length (%zu bytes)", c->nbuf);
		return 0;
	}
	if (!cipher_blocks(c, false, blk, c->buf, AES_BLOCK))
		return 0;
	padv = blk[AES_BLOCK - 1];
	bad = padv == 0 || padv > AES_BLOCK;
	for (i = 0; !bad && i < padv; i++)
		bad |= blk[AES_BLOCK - 1 - i] != padv;
	if (bad) {
		OPENSSL_cleanse(blk, sizeof(blk));
		prov_err(c->pc, PROV_R_BAD_PADDING, "bad decrypt: the padding is wrong");
		return 0;
	}
	memcpy(out, blk, AES_BLOCK - padv);
	*outl = AES_BLOCK - padv;
	OPENSSL_cleanse(blk, sizeof(blk));
	return 1;
}

static int cipher_final(void *ctx, unsigned char *out, size_t *outl, size_t outsize)
{
	struct cipher_ctx *c = ctx;
	size_t i;
	int ret;

	*outl = 0;
	if (!cipher_ready(c))
		return 0;
	if (c->mode == EVP_CIPH_CTR_MODE)
		return 1;
	if (!c->pad) {
		if (c->nbuf) {
			prov_err(c->pc, PROV_R_BAD_LENGTH,
				 "data not a multiple of the block size without padding");
			return 0;
		}
		return 1;
	}
	if (outsize < AES_BLOCK) {
		prov_err(c->pc, PROV_R_BAD_LENGTH, "final output buffer of %zu bytes", outsize);
		return 0;
	}
	if (!c->enc) {
		ret = cbc_final_dec(c, out, outl);
		c->nbuf = 0;
		return ret;
	}
	for (i = c->nbuf; i < AES_BLOCK; i++)
		c->buf[i] = (unsigned char)(AES_BLOCK - c->nbuf);
	c->nbuf = 0;
	if (!cipher_blocks(c, true, out, c->buf, AES_BLOCK))
		return 0;
	*outl = AES_BLOCK;
	return 1;
}

/* EVP_Cipher(): raw blocks (CBC, a multiple of 16 bytes) or keystream (CTR), no padding. */
static int cipher_cipher(void *ctx, unsigned char *out, size_t *outl, size_t outsize,
			 const unsigned char *in, size_t inl)
{
	struct cipher_ctx *c = ctx;

	if (!cipher_ready(c))
		return 0;
	if (outsize < inl) {
		prov_err(c->pc, PROV_R_BAD_LENGTH, "output buffer of %zu bytes for %zu", outsize,
			 inl);
		return 0;
	}
	*outl = inl;
	if (c->mode == EVP_CIPH_CTR_MODE)
		return ctr_update(c, out, in, inl);
	if (inl % AES_BLOCK) {
		prov_err(c->pc, PROV_R_BAD_LENGTH, "CBC data of %zu bytes, not whole blocks", inl);
		return 0;
	}
	return cipher_blocks(c, c->enc, out, in, inl);
}

static int cipher_get_ctx_params(void *ctx, OSSL_PARAM params[])
{
	struct cipher_ctx *c = ctx;
	OSSL_PARAM *p;

	p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_IVLEN);
	if (p && !OSSL_PARAM_set_size_t(p, AES_BLOCK))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_KEYLEN);
	if (p && !OSSL_PARAM_set_size_t(p, c->key_len))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_PADDING);
	if (p && !OSSL_PARAM_set_uint(p, c->pad))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_NUM);
	if (p && !OSSL_PARAM_set_uint(p, (unsigned int)((AES_BLOCK - c->ks_left) % AES_BLOCK)))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_IV);
	if (p && !OSSL_PARAM_set_octet_string(p, c->oiv, AES_BLOCK) &&
	    !OSSL_PARAM_set_octet_ptr(p, c->oiv, AES_BLOCK))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_UPDATED_IV);
	if (p && !OSSL_PARAM_set_octet_string(p, c->iv, AES_BLOCK) &&
	    !OSSL_PARAM_set_octet_ptr(p, c->iv, AES_BLOCK))
		return 0;
	return 1;
}

static const OSSL_PARAM *cipher_gettable_ctx_params(void *ctx, void *provctx)
{
	static const OSSL_PARAM p[] = {
		OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_KEYLEN, NULL),
		OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_IVLEN, NULL),
		OSSL_PARAM_uint(OSSL_CIPHER_PARAM_PADDING, NULL),
		OSSL_PARAM_uint(OSSL_CIPHER_PARAM_NUM, NULL),
		OSSL_PARAM_octet_string(OSSL_CIPHER_PARAM_IV, NULL, 0),
		OSSL_PARAM_octet_string(OSSL_CIPHER_PARAM_UPDATED_IV, NULL, 0),
		OSSL_PARAM_END,
	};

	(void)ctx;
	(void)provctx;
	return p;
}

static const OSSL_PARAM *cipher_settable_ctx_params(void *ctx, void *provctx)
{
	static const OSSL_PARAM p[] = {
		OSSL_PARAM_uint(OSSL_CIPHER_PARAM_PADDING, NULL),
		OSSL_PARAM_uint(OSSL_CIPHER_PARAM_NUM, NULL),
		OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_KEYLEN, NULL),
		OSSL_PARAM_END,
	};

	(void)ctx;
	(void)provctx;
	return p;
}

/* The constant parameters of a cipher (shared with gcm.c through prov_cipher_get_params). */
int prov_cipher_get_params(OSSL_PARAM params[], unsigned int mode, size_t key_len, size_t iv_len,
			   size_t block, int aead)
{
	OSSL_PARAM *p;

	p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_MODE);
	if (p && !OSSL_PARAM_set_uint(p, mode))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_KEYLEN);
	if (p && !OSSL_PARAM_set_size_t(p, key_len))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_IVLEN);
	if (p && !OSSL_PARAM_set_size_t(p, iv_len))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_BLOCK_SIZE);
	if (p && !OSSL_PARAM_set_size_t(p, block))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_AEAD);
	if (p && !OSSL_PARAM_set_int(p, aead))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_CUSTOM_IV);
	if (p && !OSSL_PARAM_set_int(p, aead))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_CTS);
	if (p && !OSSL_PARAM_set_int(p, 0))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_TLS1_MULTIBLOCK);
	if (p && !OSSL_PARAM_set_int(p, 0))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_HAS_RAND_KEY);
	if (p && !OSSL_PARAM_set_int(p, 0))
		return 0;
	return 1;
}

const OSSL_PARAM *prov_cipher_gettable_params(void *provctx)
{
	static const OSSL_PARAM p[] = {
		OSSL_PARAM_uint(OSSL_CIPHER_PARAM_MODE, NULL),
		OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_KEYLEN, NULL),
		OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_IVLEN, NULL),
		OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_BLOCK_SIZE, NULL),
		OSSL_PARAM_int(OSSL_CIPHER_PARAM_AEAD, NULL),
		OSSL_PARAM_int(OSSL_CIPHER_PARAM_CUSTOM_IV, NULL),
		OSSL_PARAM_int(OSSL_CIPHER_PARAM_CTS, NULL),
		OSSL_PARAM_int(OSSL_CIPHER_PARAM_TLS1_MULTIBLOCK, NULL),
		OSSL_PARAM_int(OSSL_CIPHER_PARAM_HAS_RAND_KEY, NULL),
		OSSL_PARAM_END,
	};

	(void)provctx;
	return p;
}

#define PROV_CIPHER(name, kernel, mode, bits, block)                                               \
	static void *name##_newctx(void *provctx)                                                  \
	{                                                                                          \
		return cipher_newctx(provctx, kernel, mode, (bits) / 8);                           \
	}                                                                                          \
	static int name##_get_params(OSSL_PARAM params[])                                          \
	{                                                                                          \
		return prov_cipher_get_params(params, mode, (bits) / 8, AES_BLOCK, block, 0);      \
	}                                                                                          \
	const OSSL_DISPATCH prov_##name##_functions[] = {                                          \
		{ OSSL_FUNC_CIPHER_NEWCTX, (void (*)(void))name##_newctx },                        \
		{ OSSL_FUNC_CIPHER_FREECTX, (void (*)(void))cipher_freectx },                      \
		{ OSSL_FUNC_CIPHER_DUPCTX, (void (*)(void))cipher_dupctx },                        \
		{ OSSL_FUNC_CIPHER_ENCRYPT_INIT, (void (*)(void))cipher_einit },                   \
		{ OSSL_FUNC_CIPHER_DECRYPT_INIT, (void (*)(void))cipher_dinit },                   \
		{ OSSL_FUNC_CIPHER_UPDATE, (void (*)(void))cipher_update },                        \
		{ OSSL_FUNC_CIPHER_FINAL, (void (*)(void))cipher_final },                          \
		{ OSSL_FUNC_CIPHER_CIPHER, (void (*)(void))cipher_cipher },                        \
		{ OSSL_FUNC_CIPHER_GET_PARAMS, (void (*)(void))name##_get_params },                \
		{ OSSL_FUNC_CIPHER_GETTABLE_PARAMS, (void (*)(void))prov_cipher_gettable_params }, \
		{ OSSL_FUNC_CIPHER_GET_CTX_PARAMS, (void (*)(void))cipher_get_ctx_params },        \
		{ OSSL_FUNC_CIPHER_SET_CTX_PARAMS, (void (*)(void))cipher_set_ctx_params },        \
		{ OSSL_FUNC_CIPHER_GETTABLE_CTX_PARAMS,                                            \
		  (void (*)(void))cipher_gettable_ctx_params },                                    \
		{ OSSL_FUNC_CIPHER_SETTABLE_CTX_PARAMS,                                            \
		  (void (*)(void))cipher_settable_ctx_params },                                    \
		{ 0, NULL },                                                                       \
	}

PROV_CIPHER(aes128cbc, "cbc(aes)", EVP_CIPH_CBC_MODE, 128, AES_BLOCK);
PROV_CIPHER(aes256cbc, "cbc(aes)", EVP_CIPH_CBC_MODE, 256, AES_BLOCK);
PROV_CIPHER(aes128ctr, "ctr(aes)", EVP_CIPH_CTR_MODE, 128, 1);
PROV_CIPHER(aes256ctr, "ctr(aes)", EVP_CIPH_CTR_MODE, 256, 1);
