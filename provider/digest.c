// SPDX-License-Identifier: LGPL-2.1 OR MIT
/* digest.c - SHA-256 (digest) and HMAC-SHA256 (MAC) of the ucrypto provider, on kernel hash streams. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>

#include "prov.h"

#define SHA256_SIZE 32
#define SHA256_BLOCK 64

/* ---- SHA-256 ---- */

static void *sha256_newctx(void *provctx)
{
	struct prov_hstream *h = calloc(1, sizeof(*h));

	if (!h) {
		prov_err(provctx, PROV_R_NO_MEMORY, "digest context");
		return NULL;
	}
	h->pc = provctx;
	h->s.fd = -1;
	return h;
}

static void sha256_freectx(void *ctx)
{
	struct prov_hstream *h = ctx;

	if (!h)
		return;
	prov_hstream_release(h);
	OPENSSL_cleanse(h->buf, sizeof(h->buf));
	free(h);
}

/*
 * A copy of a context whose data has not reached the kernel yet (all of it still in the
 * gathering buffer); an open kernel stream cannot be copied (the device has no export of a
 * hash state): NULL, with PROV_R_STATE on the error queue.
 */
static void *sha256_dupctx(void *ctx)
{
	struct prov_hstream *h = ctx, *d;

	if (h->open) {
		prov_err(h->pc, PROV_R_STATE,
			 "the kernel cannot copy a hash stream that has started (over %d bytes)",
			 PROV_STREAM_BUF);
		return NULL;
	}
	d = sha256_newctx(h->pc);
	if (!d)
		return NULL;
	if (h->started) {
		if (!prov_hstream_init(d, "sha256", NULL, 0)) {
			sha256_freectx(d);
			return NULL;
		}
		memcpy(d->buf, h->buf, h->nbuf);
		d->nbuf = h->nbuf;
	}
	return d;
}

static int sha256_init(void *ctx, const OSSL_PARAM params[])
{
	(void)params;
	return prov_hstream_init(ctx, "sha256", NULL, 0);
}

static int sha256_update(void *ctx, const unsigned char *in, size_t len)
{
	return prov_hstream_update(ctx, in, len);
}

static int sha256_final(void *ctx, unsigned char *out, size_t *outl, size_t outsz)
{
	struct prov_hstream *h = ctx;

	if (outsz < SHA256_SIZE) {
		prov_err(h->pc, PROV_R_BAD_LENGTH, "digest buffer of %zu bytes", outsz);
		return 0;
	}
	if (!prov_hstream_final(h, out, SHA256_SIZE))
		return 0;
	*outl = SHA256_SIZE;
	return 1;
}

static const OSSL_PARAM *sha256_gettable_params(void *provctx)
{
	static const OSSL_PARAM p[] = {
		OSSL_PARAM_size_t(OSSL_DIGEST_PARAM_BLOCK_SIZE, NULL),
		OSSL_PARAM_size_t(OSSL_DIGEST_PARAM_SIZE, NULL),
		OSSL_PARAM_int(OSSL_DIGEST_PARAM_XOF, NULL),
		OSSL_PARAM_int(OSSL_DIGEST_PARAM_ALGID_ABSENT, NULL),
		OSSL_PARAM_END,
	};

	(void)provctx;
	return p;
}

static int sha256_get_params(OSSL_PARAM params[])
{
	OSSL_PARAM *p;

	p = OSSL_PARAM_locate(params, OSSL_DIGEST_PARAM_BLOCK_SIZE);
	if (p && !OSSL_PARAM_set_size_t(p, SHA256_BLOCK))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_DIGEST_PARAM_SIZE);
	if (p && !OSSL_PARAM_set_size_t(p, SHA256_SIZE))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_DIGEST_PARAM_XOF);
	if (p && !OSSL_PARAM_set_int(p, 0))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_DIGEST_PARAM_ALGID_ABSENT);
	if (p && !OSSL_PARAM_set_int(p, 1))
		return 0;
	return 1;
}

const OSSL_DISPATCH prov_sha256_functions[] = {
	{ OSSL_FUNC_DIGEST_NEWCTX, (void (*)(void))sha256_newctx },
	{ OSSL_FUNC_DIGEST_FREECTX, (void (*)(void))sha256_freectx },
	{ OSSL_FUNC_DIGEST_DUPCTX, (void (*)(void))sha256_dupctx },
	{ OSSL_FUNC_DIGEST_INIT, (void (*)(void))sha256_init },
	{ OSSL_FUNC_DIGEST_UPDATE, (void (*)(void))sha256_update },
	{ OSSL_FUNC_DIGEST_FINAL, (void (*)(void))sha256_final },
	{ OSSL_FUNC_DIGEST_GET_PARAMS, (void (*)(void))sha256_get_params },
	{ OSSL_FUNC_DIGEST_GETTABLE_PARAMS, (void (*)(void))sha256_gettable_params },
	{ 0, NULL },
};

/* ---- HMAC-SHA256 ---- */

struct hmac_ctx {
	struct prov_hstream h;
	bool rekey; /* the key changed since the session was made */
	size_t key_len;
	unsigned char key[UCRYPTO_MAX_KEY_SIZE];
};

static void *hmac_newctx(void *provctx)
{
	struct hmac_ctx *m = calloc(1, sizeof(*m));

	if (!m) {
		prov_err(provctx, PROV_R_NO_MEMORY, "MAC context");
		return NULL;
	}
	m->h.pc = provctx;
	m->h.s.fd = -1;
	return m;
}

static void hmac_freectx(void *ctx)
{
	struct hmac_ctx *m = ctx;

	if (!m)
		return;
	prov_hstream_release(&m->h);
	OPENSSL_cleanse(m, sizeof(*m));
	free(m);
}

/* A copy with the same key; its stream (if one has started) cannot be copied, as for sha256. */
static void *hmac_dupctx(void *ctx)
{
	struct hmac_ctx *m = ctx, *d;

	if (m->h.open || m->h.nbuf) {
		prov_err(m->h.pc, PROV_R_STATE,
			 "the kernel cannot copy a MAC stream that has started");
		return NULL;
	}
	d = hmac_newctx(m->h.pc);
	if (!d)
		return NULL;
	memcpy(d->key, m->key, m->key_len);
	d->key_len = m->key_len;
	d->rekey = true;
	if (m->h.started && !prov_hstream_init(&d->h, "hmac(sha256)", d->key, d->key_len)) {
		hmac_freectx(d);
		return NULL;
	}
	d->rekey = false;
	return d;
}

static int hmac_set_key(struct hmac_ctx *m, const unsigned char *key, size_t len)
{
	if (len == 0 || len > sizeof(m->key)) {
		prov_err(m->h.pc, PROV_R_BAD_KEY, "HMAC key of %zu bytes (1 to %zu)", len,
			 sizeof(m->key));
		return 0;
	}
	OPENSSL_cleanse(m->key, sizeof(m->key));
	memcpy(m->key, key, len);
	m->key_len = len;
	m->rekey = true;
	return 1;
}

static bool is_sha256(const char *name)
{
	static const char *const names[] = { "SHA256", "SHA2-256", "SHA-256",
					     "2.16.840.1.101.3.4.2.1" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(name, names[i]) == 0)
			return true;
	return false;
}

static int hmac_set_ctx_params(void *ctx, const OSSL_PARAM params[])
{
	struct hmac_ctx *m = ctx;
	const OSSL_PARAM *p;

	if (!params)
		return 1;
	p = OSSL_PARAM_locate_const(params, OSSL_MAC_PARAM_DIGEST);
	if (p) {
		if (p->data_type != OSSL_PARAM_UTF8_STRING || !is_sha256(p->data)) {
			prov_err(m->h.pc, PROV_R_BAD_PARAM, "HMAC here is HMAC-SHA256 only, not %s",
				 p->data_type == OSSL_PARAM_UTF8_STRING ? (char *)p->data : "?");
			return 0;
		}
	}
	p = OSSL_PARAM_locate_const(params, OSSL_MAC_PARAM_KEY);
	if (p) {
		if (p->data_type != OSSL_PARAM_OCTET_STRING)
			return 0;
		return hmac_set_key(m, p->data, p->data_size);
	}
	return 1;
}

static int hmac_init(void *ctx, const unsigned char *key, size_t keylen, const OSSL_PARAM params[])
{
	struct hmac_ctx *m = ctx;

	if (!hmac_set_ctx_params(m, params))
		return 0;
	if (key && !hmac_set_key(m, key, keylen))
		return 0;
	if (!m->key_len) {
		prov_err(m->h.pc, PROV_R_BAD_KEY, "HMAC needs a key");
		return 0;
	}
	if (m->rekey)
		prov_hstream_release(&m->h); /* the session has the old key */
	m->rekey = false;
	return prov_hstream_init(&m->h, "hmac(sha256)", m->key, m->key_len);
}

static int hmac_update(void *ctx, const unsigned char *in, size_t len)
{
	struct hmac_ctx *m = ctx;

	return prov_hstream_update(&m->h, in, len);
}

static int hmac_final(void *ctx, unsigned char *out, size_t *outl, size_t outsz)
{
	struct hmac_ctx *m = ctx;

	if (outsz < SHA256_SIZE) {
		prov_err(m->h.pc, PROV_R_BAD_LENGTH, "MAC buffer of %zu bytes", outsz);
		return 0;
	}
	if (!prov_hstream_final(&m->h, out, SHA256_SIZE))
		return 0;
	*outl = SHA256_SIZE;
	return 1;
}

static const OSSL_PARAM *hmac_gettable_ctx_params(void *ctx, void *provctx)
{
	static const OSSL_PARAM p[] = {
		OSSL_PARAM_size_t(OSSL_MAC_PARAM_SIZE, NULL),
		OSSL_PARAM_size_t(OSSL_MAC_PARAM_BLOCK_SIZE, NULL),
		OSSL_PARAM_END,
	};

	(void)ctx;
	(void)provctx;
	return p;
}

static int hmac_get_ctx_params(void *ctx, OSSL_PARAM params[])
{
	OSSL_PARAM *p;

	(void)ctx;
	p = OSSL_PARAM_locate(params, OSSL_MAC_PARAM_SIZE);
	if (p && !OSSL_PARAM_set_size_t(p, SHA256_SIZE))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_MAC_PARAM_BLOCK_SIZE);
	if (p && !OSSL_PARAM_set_size_t(p, SHA256_BLOCK))
		return 0;
	return 1;
}

static const OSSL_PARAM *hmac_settable_ctx_params(void *ctx, void *provctx)
{
	static const OSSL_PARAM p[] = {
		OSSL_PARAM_utf8_string(OSSL_MAC_PARAM_DIGEST, NULL, 0),
		OSSL_PARAM_utf8_string(OSSL_MAC_PARAM_PROPERTIES, NULL, 0),
		OSSL_PARAM_octet_string(OSSL_MAC_PARAM_KEY, NULL, 0),
		OSSL_PARAM_END,
	};

	(void)ctx;
	(void)provctx;
	return p;
}

const OSSL_DISPATCH prov_hmac_functions[] = {
	{ OSSL_FUNC_MAC_NEWCTX, (void (*)(void))hmac_newctx },
	{ OSSL_FUNC_MAC_DUPCTX, (void (*)(void))hmac_dupctx },
	{ OSSL_FUNC_MAC_FREECTX, (void (*)(void))hmac_freectx },
	{ OSSL_FUNC_MAC_INIT, (void (*)(void))hmac_init },
	{ OSSL_FUNC_MAC_UPDATE, (void (*)(void))hmac_update },
	{ OSSL_FUNC_MAC_FINAL, (void (*)(void))hmac_final },
	{ OSSL_FUNC_MAC_GETTABLE_CTX_PARAMS, (void (*)(void))hmac_gettable_ctx_params },
	{ OSSL_FUNC_MAC_GET_CTX_PARAMS, (void (*)(void))hmac_get_ctx_params },
	{ OSSL_FUNC_MAC_SETTABLE_CTX_PARAMS, (void (*)(void))hmac_settable_ctx_params },
	{ OSSL_FUNC_MAC_SET_CTX_PARAMS, (void (*)(void))hmac_set_ctx_params },
	{ 0, NULL },
};
