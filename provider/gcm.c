// SPDX-License-Identifier: LGPL-2.1 OR MIT
/* gcm.c - AES-128/256-GCM for the ucrypto provider: the kernel's AEAD is one-shot, so update() gathers and final() runs it. */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <libucmd.h>

#include "prov.h"

#define GCM_IV 12
#define GCM_TAG 16

/* A stretch of the caller's output that update() promised: filled at final(). */
struct gcm_out {
	unsigned char *out;
	size_t len;
};

struct gcm_ctx {
	struct prov_ctx *pc;
	struct prov_session s;
	uint32_t s_tag_len; /* the tag length of the session */
	size_t key_len;
	unsigned char key[32];
	bool key_set, rekey, enc, iv_set, tag_ready;
	unsigned char iv[GCM_IV];
	unsigned char tag[GCM_TAG];
	size_t tag_len; /* the tag's length: expected (decryption) or made */
	unsigned char *aad, *data;
	size_t aad_len, aad_cap, data_len, data_cap;
	struct gcm_out *outs;
	size_t nouts, outs_cap;
};

static void *gcm_newctx(void *provctx, size_t key_len)
{
	struct gcm_ctx *g = calloc(1, sizeof(*g));

	if (!g) {
		prov_err(provctx, PROV_R_NO_MEMORY, "GCM context");
		return NULL;
	}
	g->pc = provctx;
	g->s.fd = -1;
	g->key_len = key_len;
	g->tag_len = GCM_TAG;
	return g;
}

/* Forgets the message (its bytes wiped), keeps key and IV. */
static void gcm_reset(struct gcm_ctx *g)
{
	if (g->data)
		OPENSSL_cleanse(g->data, g->data_len);
	g->aad_len = 0;
	g->data_len = 0;
	g->nouts = 0;
	g->tag_ready = false;
}

static void gcm_freectx(void *ctx)
{
	struct gcm_ctx *g = ctx;

	if (!g)
		return;
	gcm_reset(g);
	prov_session_destroy(g->pc, &g->s);
	free(g->aad);
	free(g->data);
	free(g->outs);
	OPENSSL_cleanse(g, sizeof(*g));
	free(g);
}

/* Not copied: a message in the middle would have to be gathered twice. */
static void *gcm_dupctx(void *ctx)
{
	struct gcm_ctx *g = ctx;

	prov_err(g->pc, PROV_R_STATE, "GCM contexts of this provider cannot be copied");
	return NULL;
}

static int gcm_set_ctx_params(void *ctx, const OSSL_PARAM params[])
{
	struct gcm_ctx *g = ctx;
	const OSSL_PARAM *p;
	size_t sz;

	if (!params)
		return 1;
	p = OSSL_PARAM_locate_const(params, OSSL_CIPHER_PARAM_AEAD_TAG);
	if (p) {
		if (p->data_type != OSSL_PARAM_OCTET_STRING || p->data_size < 4 ||
		    p->data_size > GCM_TAG || (p->data && g->enc)) {
			prov_err(g->pc, PROV_R_TAG, "a tag of %zu bytes (4 to 16, to decrypt)",
				 p->data_size);
			return 0;
		}
		g->tag_len = p->data_size;
		if (p->data)
			memcpy(g->tag, p->data, p->data_size);
	}
	p = OSSL_PARAM_locate_const(params, OSSL_CIPHER_PARAM_AEAD_IVLEN);
	if (p && (!OSSL_PARAM_get_size_t(p, &sz) || sz != GCM_IV)) {
		prov_err(g->pc, PROV_R_BAD_IV, "the kernel's gcm(aes) takes %d-byte IVs only",
			 GCM_IV);
		return 0;
	}
	p = OSSL_PARAM_locate_const(params, OSSL_CIPHER_PARAM_KEYLEN);
	if (p && (!OSSL_PARAM_get_size_t(p, &sz) || sz != g->key_len)) {
		prov_err(g->pc, PROV_R_BAD_KEY, "key length is fixed at %zu bytes", g->key_len);
		return 0;
	}
	if (OSSL_PARAM_locate_const(params, OSSL_CIPHER_PARAM_AEAD_TLS1_AAD) ||
	    OSSL_PARAM_locate_const(params, OSSL_CIPHER_PARAM_AEAD_TLS1_IV_FIXED)) {
		prov_err(g->pc, PROV_R_BAD_PARAM, "no TLS record mode in this provider's GCM");
		return 0;
	}
	return 1;
}

static int gcm_init(struct gcm_ctx *g, const unsigned char *key, size_t keylen,
		    const unsigned char *iv, size_t ivlen, const OSSL_PARAM params[], bool enc)
{
	gcm_reset(g);
	g->enc = enc;
	g->tag_len = GCM_TAG;
	if (key) {
		if (keylen != g->key_len) {
			prov_err(g->pc, PROV_R_BAD_KEY, "gcm(aes) key of %zu bytes, not %zu",
				 keylen, g->key_len);
			return 0;
		}
		memcpy(g->key, key, keylen);
		g->key_set = true;
		g->rekey = true;
	}
	if (iv) {
		if (ivlen != GCM_IV) {
			prov_err(g->pc, PROV_R_BAD_IV, "GCM IV of %zu bytes, not %d", ivlen,
				 GCM_IV);
			return 0;
		}
		memcpy(g->iv, iv, GCM_IV);
		g->iv_set = true;
	}
	return gcm_set_ctx_params(g, params);
}

static int gcm_einit(void *ctx, const unsigned char *key, size_t keylen, const unsigned char *iv,
		     size_t ivlen, const OSSL_PARAM params[])
{
	return gcm_init(ctx, key, keylen, iv, ivlen, params, true);
}

static int gcm_dinit(void *ctx, const unsigned char *key, size_t keylen, const unsigned char *iv,
		     size_t ivlen, const OSSL_PARAM params[])
{
	return gcm_init(ctx, key, keylen, iv, ivlen, params, false);
}

/* Appends @len bytes to *@buf (capacity *@cap, length *@n), at most UCRYPTO_MAX_LEN in all. */
static int gcm_append(struct gcm_ctx *g, unsigned char **buf, size_t *n, size_t *cap,
		      const unsigned char *in, size_t len)
{
	unsigned char *nb;
	size_t ncap;

	if (len > UCRYPTO_MAX_LEN - *n) {
		prov_err(g->pc, PROV_R_TOO_LARGE, "GCM message or AAD over %u bytes",
			 UCRYPTO_MAX_LEN);
		return 0;
	}
	if (*n + len > *cap) {
		ncap = *cap ? *cap : 4096;
		while (ncap < *n + len)
			ncap *= 2;
		/* A fresh buffer, the old one wiped: realloc() would leave the bytes behind. */
		nb = malloc(ncap);
		if (!nb) {
			prov_err(g->pc, PROV_R_NO_MEMORY, "GCM buffer of %zu bytes", ncap);
			return 0;
		}
		if (*n)
			memcpy(nb, *buf, *n);
		if (*buf)
			OPENSSL_cleanse(*buf, *cap);
		free(*buf);
		*buf = nb;
		*cap = ncap;
	}
	memcpy(*buf + *n, in, len);
	*n += len;
	return 1;
}

/*
 * AAD with @out NULL; else message bytes, gathered: their output is written to @out at
 * final(), which the caller must call before reading it.  *@outl says @inl bytes, as
 * EVP counts them.
 */
static int gcm_update(void *ctx, unsigned char *out, size_t *outl, size_t outsize,
		      const unsigned char *in, size_t inl)
{
	struct gcm_ctx *g = ctx;
	struct gcm_out *no;

	*outl = 0;
	if (!out)
		return gcm_append(g, &g->aad, &g->aad_len, &g->aad_cap, in, inl);
	if (outsize < inl) {
		prov_err(g->pc, PROV_R_BAD_LENGTH, "output buffer of %zu bytes for %zu", outsize,
			 inl);
		return 0;
	}
	if (!inl)
		return 1;
	if (g->nouts == g->outs_cap) {
		no = realloc(g->outs, (g->outs_cap * 2 + 8) * sizeof(*no));
		if (!no) {
			prov_err(g->pc, PROV_R_NO_MEMORY, "GCM output list");
			return 0;
		}
		g->outs = no;
		g->outs_cap = g->outs_cap * 2 + 8;
	}
	if (!gcm_append(g, &g->data, &g->data_len, &g->data_cap, in, inl))
		return 0;
	g->outs[g->nouts].out = out;
	g->outs[g->nouts++].len = inl;
	*outl = inl;
	return 1;
}

/* A session with the current key and tag length. */
static int gcm_session(struct gcm_ctx *g)
{
	if (g->s.id && !g->rekey && g->s_tag_len == g->tag_len)
		return 1;
	prov_session_destroy(g->pc, &g->s);
	if (prov_session_create(g->pc, &g->s, "gcm(aes)", UCRYPTO_TYPE_AEAD, g->key, g->key_len,
				(uint32_t)g->tag_len) < 0)
		return 0;
	g->s_tag_len = (uint32_t)g->tag_len;
	g->rekey = false;
	return 1;
}

/* The one kernel operation over the gathered message; its output goes where update() said. */
static int gcm_final(void *ctx, unsigned char *out, size_t *outl, size_t outsize)
{
	struct gcm_ctx *g = ctx;
	static const unsigned char empty[1];
	struct ucrypto_op op = { 0 };
	size_t i, off = 0;
	int ret;

	(void)out;
	(void)outsize;
	*outl = 0;
	if (!g->key_set || !g->iv_set) {
		prov_err(g->pc, PROV_R_STATE, "GCM without %s", g->key_set ? "IV" : "key");
		return 0;
	}
	if (!gcm_session(g))
		return 0;
	op.session = g->s.id;
	op.src = (uintptr_t)(g->data_len ? g->data : empty);
	op.len = (uint32_t)g->data_len;
	op.iv = (uintptr_t)g->iv;
	op.aad = g->aad_len ? (uintptr_t)g->aad : 0;
	op.aad_len = (uint32_t)g->aad_len;
	op.tag = (uintptr_t)g->tag;
	ret = ucmd_crypto_call(NULL, g->s.fd, g->enc ? UCRYPTO_ENCRYPT : UCRYPTO_DECRYPT, &op);
	if (ret < 0) {
		if (ret == -EBADMSG)
			prov_err(g->pc, PROV_R_TAG,
				 "GCM tag mismatch: the message is not authentic");
		else
			prov_err_kernel(g->pc, ret, "gcm(aes)");
		gcm_reset(g);
		return 0;
	}
	for (i = 0; i < g->nouts; off += g->outs[i++].len)
		memcpy(g->outs[i].out, g->data + off, g->outs[i].len);
	gcm_reset(g);
	g->tag_ready = g->enc;
	return 1;
}

static int gcm_get_ctx_params(void *ctx, OSSL_PARAM params[])
{
	struct gcm_ctx *g = ctx;
	OSSL_PARAM *p;

	p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_IVLEN);
	if (p && !OSSL_PARAM_set_size_t(p, GCM_IV))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_KEYLEN);
	if (p && !OSSL_PARAM_set_size_t(p, g->key_len))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_AEAD_TAGLEN);
	if (p && !OSSL_PARAM_set_size_t(p, g->tag_len))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_IV);
	if (p && !OSSL_PARAM_set_octet_string(p, g->iv, GCM_IV))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_UPDATED_IV);
	if (p && !OSSL_PARAM_set_octet_string(p, g->iv, GCM_IV))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_AEAD_TAG);
	if (p) {
		if (!g->tag_ready || p->data_size < 1 || p->data_size > g->tag_len) {
			prov_err(g->pc, PROV_R_TAG, "no tag of %zu bytes: encrypt and final first",
				 p->data_size);
			return 0;
		}
		if (!OSSL_PARAM_set_octet_string(p, g->tag, p->data_size))
			return 0;
	}
	return 1;
}

static const OSSL_PARAM *gcm_gettable_ctx_params(void *ctx, void *provctx)
{
	static const OSSL_PARAM p[] = {
		OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_KEYLEN, NULL),
		OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_IVLEN, NULL),
		OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_AEAD_TAGLEN, NULL),
		OSSL_PARAM_octet_string(OSSL_CIPHER_PARAM_IV, NULL, 0),
		OSSL_PARAM_octet_string(OSSL_CIPHER_PARAM_UPDATED_IV, NULL, 0),
		OSSL_PARAM_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, NULL, 0),
		OSSL_PARAM_END,
	};

	(void)ctx;
	(void)provctx;
	return p;
}

static const OSSL_PARAM *gcm_settable_ctx_params(void *ctx, void *provctx)
{
	static const OSSL_PARAM p[] = {
		OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_AEAD_IVLEN, NULL),
		OSSL_PARAM_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, NULL, 0),
		OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_KEYLEN, NULL),
		OSSL_PARAM_END,
	};

	(void)ctx;
	(void)provctx;
	return p;
}

#define PROV_GCM(name, bits)                                                                       \
	static void *name##_newctx(void *provctx)                                                  \
	{                                                                                          \
		return gcm_newctx(provctx, (bits) / 8);                                            \
	}                                                                                          \
	static int name##_get_params(OSSL_PARAM params[])                                          \
	{                                                                                          \
		return prov_cipher_get_params(params, EVP_CIPH_GCM_MODE, (bits) / 8, GCM_IV, 1,    \
					      1);                                                  \
	}                                                                                          \
	const OSSL_DISPATCH prov_##name##_functions[] = {                                          \
		{ OSSL_FUNC_CIPHER_NEWCTX, (void (*)(void))name##_newctx },                        \
		{ OSSL_FUNC_CIPHER_FREECTX, (void (*)(void))gcm_freectx },                         \
		{ OSSL_FUNC_CIPHER_DUPCTX, (void (*)(void))gcm_dupctx },                           \
		{ OSSL_FUNC_CIPHER_ENCRYPT_INIT, (void (*)(void))gcm_einit },                      \
		{ OSSL_FUNC_CIPHER_DECRYPT_INIT, (void (*)(void))gcm_dinit },                      \
		{ OSSL_FUNC_CIPHER_UPDATE, (void (*)(void))gcm_update },                           \
		{ OSSL_FUNC_CIPHER_FINAL, (void (*)(void))gcm_final },                             \
		{ OSSL_FUNC_CIPHER_GET_PARAMS, (void (*)(void))name##_get_params },                \
		{ OSSL_FUNC_CIPHER_GETTABLE_PARAMS, (void (*)(void))prov_cipher_gettable_params }, \
		{ OSSL_FUNC_CIPHER_GET_CTX_PARAMS, (void (*)(void))gcm_get_ctx_params },           \
		{ OSSL_FUNC_CIPHER_SET_CTX_PARAMS, (void (*)(void))gcm_set_ctx_params },           \
		{ OSSL_FUNC_CIPHER_GETTABLE_CTX_PARAMS, (void (*)(void))gcm_gettable_ctx_params }, \
		{ OSSL_FUNC_CIPHER_SETTABLE_CTX_PARAMS, (void (*)(void))gcm_settable_ctx_params }, \
		{ 0, NULL },                                                                       \
	}

PROV_GCM(aes128gcm, 128);
PROV_GCM(aes256gcm, 256);
