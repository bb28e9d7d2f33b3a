// SPDX-License-Identifier: LGPL-2.1 OR MIT
/* prov.c - the ucrypto OpenSSL 3 provider's entry point: /dev/ucrypto, the algorithms it offers, errors, sessions, hash streams. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>

#include <libucmd.h>

#include "prov.h"

static OSSL_FUNC_core_new_error_fn *core_new_error;
static OSSL_FUNC_core_set_error_debug_fn *core_set_error_debug;
static OSSL_FUNC_core_vset_error_fn *core_vset_error;

static const OSSL_ITEM reason_strings[] = {
	{ PROV_R_DEVICE, "/dev/ucrypto unavailable" },
	{ PROV_R_NO_ALG, "algorithm not in the kernel" },
	{ PROV_R_KERNEL, "kernel operation failed" },
	{ PROV_R_BAD_KEY, "bad key" },
	{ PROV_R_BAD_IV, "bad IV" },
	{ PROV_R_BAD_LENGTH, "bad length" },
	{ PROV_R_BAD_PADDING, "bad decrypt (padding)" },
	{ PROV_R_TOO_LARGE, "AEAD message larger than the kernel's one-shot limit" },
	{ PROV_R_TAG, "AEAD tag" },
	{ PROV_R_BAD_PARAM, "unsupported parameter" },
	{ PROV_R_STATE, "operation not possible in this state" },
	{ PROV_R_NO_MEMORY, "out of memory" },
	{ 0, NULL },
};

void prov_err_at(const struct prov_ctx *pc, int reason, const char *file, int line,
		 const char *func, const char *fmt, ...)
{
	const OSSL_CORE_HANDLE *handle = pc ? pc->handle : NULL;
	va_list ap;

	if (!core_new_error || !core_vset_error)
		return;
	core_new_error(handle);
	if (core_set_error_debug)
		core_set_error_debug(handle, file, line, func);
	va_start(ap, fmt);
	core_vset_error(handle, reason, fmt, ap);
	va_end(ap);
}

void prov_err_kernel_at(const struct prov_ctx *pc, int err, const char *what, const char *file,
			int line, const char *func)
{
	int reason = PROV_R_KERNEL;

	switch (err) {
	case -ENOENT:
		reason = PROV_R_NO_ALG;
		break;
	case -EBADMSG:
		reason = PROV_R_TAG;
		break;
	case -EMSGSIZE:
		reason = PROV_R_TOO_LARGE;
		break;
	case -ENOKEY:
		reason = PROV_R_BAD_KEY;
		break;
	}
	prov_err_at(pc, reason, file, line, func, "%s: %s (%s)", what, strerror(-err),
		    strerrorname_np(-err));
}

int prov_session_create(struct prov_ctx *pc, struct prov_session *s, const char *alg, uint32_t type,
			const void *key, size_t key_len, uint32_t tag_len)
{
	int fd = pc->fd, id;

	id = ucmd_crypto_session_create(NULL, fd, alg, type, key, (uint32_t)key_len, 0, tag_len,
					NULL);
	if (id == -EMFILE) {
		/* The shared file holds UCRYPTO_MAX_SESSIONS: this session gets a file of its own. */
		fd = open(UCRYPTO_DEVICE, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			prov_err(pc, PROV_R_DEVICE, "open %s: %s", UCRYPTO_DEVICE, strerror(errno));
			return -1;
		}
		id = ucmd_crypto_session_create(NULL, fd, alg, type, key, (uint32_t)key_len, 0,
						tag_len, NULL);
	}
	if (id < 0) {
		if (fd != pc->fd)
			close(fd);
		if (id == -EINVAL && key_len)
			prov_err(pc, PROV_R_BAD_KEY, "%s refuses a key of %zu bytes", alg, key_len);
		else
			prov_err_kernel(pc, id, alg);
		return -1;
	}
	s->id = (uint32_t)id;
	s->fd = fd;
	return 0;
}

void prov_session_destroy(struct prov_ctx *pc, struct prov_session *s)
{
	if (s->id)
		ucmd_crypto_session_destroy(NULL, s->fd, s->id);
	if (s->id && s->fd != pc->fd)
		close(s->fd);
	s->id = 0;
	s->fd = -1;
}

/* An idle unkeyed session from the pool, or a new one. */
static int hstream_session(struct prov_hstream *h, const char *alg)
{
	struct prov_ctx *pc = h->pc;

	pthread_mutex_lock(&pc->lock);
	if (pc->npool > 0) {
		h->s.id = pc->pool[--pc->npool];
		h->s.fd = pc->fd;
	}
	pthread_mutex_unlock(&pc->lock);
	if (h->s.id)
		return 0;
	return prov_session_create(pc, &h->s, alg, UCRYPTO_TYPE_HASH, NULL, 0, 0);
}

void prov_hstream_release(struct prov_hstream *h)
{
	struct prov_ctx *pc = h->pc;

	h->nbuf = 0;
	h->started = false;
	if (!h->s.id)
		return;
	if (h->pooled && !h->open && h->s.fd == pc->fd) {
		pthread_mutex_lock(&pc->lock);
		if (pc->npool < PROV_POOL) {
			pc->pool[pc->npool++] = h->s.id;
			h->s.id = 0;
		}
		pthread_mutex_unlock(&pc->lock);
	}
	prov_session_destroy(pc, &h->s);
	h->open = false;
}

int prov_hstream_init(struct prov_hstream *h, const char *alg, const void *key, size_t key_len)
{
	/* A stream left open (init again before final) cannot be reset: its session goes. */
	if (h->open)
		prov_hstream_release(h);
	h->nbuf = 0;
	h->started = true;
	if (h->s.id)
		return 1;
	h->pooled = key_len == 0;
	if (h->pooled)
		return hstream_session(h, alg) == 0;
	return prov_session_create(h->pc, &h->s, alg, UCRYPTO_TYPE_HASH, key, key_len, 0) == 0;
}

/* Sends @len bytes into the kernel stream, opening it first if needed. */
static int hstream_send(struct prov_hstream *h, const unsigned char *in, size_t len)
{
	int ret;

	ret = ucmd_crypto_hash_update(NULL, h->s.fd, h->s.id, h->open ? 0 : UCRYPTO_OP_INIT, in,
				      len, NULL);
	if (ret < 0) {
		h->open = false; /* an error while hashing ends the stream */
		prov_err_kernel(h->pc, ret, "hash update");
		return 0;
	}
	h->open = true;
	return 1;
}

int prov_hstream_update(struct prov_hstream *h, const unsigned char *in, size_t len)
{
	size_t n;

	if (!h->started || !h->s.id) {
		prov_err(h->pc, PROV_R_STATE, "update without init");
		return 0;
	}
	if (h->nbuf) {
		n = sizeof(h->buf) - h->nbuf;
		n = n < len ? n : len;
		memcpy(h->buf + h->nbuf, in, n);
		h->nbuf += n;
		in += n;
		len -= n;
		if (h->nbuf < sizeof(h->buf))
			return 1;
		if (!hstream_send(h, h->buf, h->nbuf))
			return 0;
		h->nbuf = 0;
	}
	if (len >= sizeof(h->buf))
		return hstream_send(h, in, len);
	memcpy(h->buf, in, len);
	h->nbuf = len;
	return 1;
}

int prov_hstream_final(struct prov_hstream *h, unsigned char *out, size_t size)
{
	unsigned char digest[64];
	uint32_t flags = UCRYPTO_OP_FINAL | (h->open ? 0 : UCRYPTO_OP_INIT);
	int ret;

	if (!h->started || !h->s.id) {
		prov_err(h->pc, PROV_R_STATE, "final without init");
		return 0;
	}
	ret = ucmd_crypto_hash_update(NULL, h->s.fd, h->s.id, flags, h->buf, h->nbuf, digest);
	h->open = false;
	h->started = false;
	h->nbuf = 0;
	if (ret < 0) {
		prov_err_kernel(h->pc, ret, "hash final");
		return 0;
	}
	if ((size_t)ret != size) {
		prov_err(h->pc, PROV_R_KERNEL, "the kernel's digest has %d bytes, not %zu", ret,
			 size);
		return 0;
	}
	memcpy(out, digest, size);
	OPENSSL_cleanse(digest, sizeof(digest));
	return 1;
}

/* ---- the provider ---- */

/* What the provider offers of what the kernel has (filled at init). */
struct prov_alg {
	int op;
	const char *kernel; /* the kernel's name, probed at init */
	uint32_t type;
	size_t key_len;
	OSSL_ALGORITHM alg;
};

static struct prov_alg prov_algs[] = {
	{ OSSL_OP_DIGEST,
	  "sha256",
	  UCRYPTO_TYPE_HASH,
	  0,
	  { "SHA2-256:SHA-256:SHA256:2.16.840.1.101.3.4.2.1", PROV_PROPS, prov_sha256_functions,
	    "SHA-256 by the kernel (sha256 over /dev/ucrypto)" } },
	{ OSSL_OP_MAC,
	  "hmac(sha256)",
	  UCRYPTO_TYPE_HASH,
	  32,
	  { "HMAC", PROV_PROPS, prov_hmac_functions,
	    "HMAC-SHA256 by the kernel (hmac(sha256) over /dev/ucrypto)" } },
	{ OSSL_OP_CIPHER,
	  "cbc(aes)",
	  UCRYPTO_TYPE_SKCIPHER,
	  16,
	  { "AES-128-CBC:AES128:2.16.840.1.101.3.4.1.2", PROV_PROPS, prov_aes128cbc_functions,
	    "AES-128-CBC by the kernel" } },
	{ OSSL_OP_CIPHER,
	  "cbc(aes)",
	  UCRYPTO_TYPE_SKCIPHER,
	  32,
	  { "AES-256-CBC:AES256:2.16.840.1.101.3.4.1.42", PROV_PROPS, prov_aes256cbc_functions,
	    "AES-256-CBC by the kernel" } },
	{ OSSL_OP_CIPHER,
	  "ctr(aes)",
	  UCRYPTO_TYPE_SKCIPHER,
	  16,
	  { "AES-128-CTR", PROV_PROPS, prov_aes128ctr_functions, "AES-128-CTR by the kernel" } },
	{ OSSL_OP_CIPHER,
	  "ctr(aes)",
	  UCRYPTO_TYPE_SKCIPHER,
	  32,
	  { "AES-256-CTR", PROV_PROPS, prov_aes256ctr_functions, "AES-256-CTR by the kernel" } },
	{ OSSL_OP_CIPHER,
	  "gcm(aes)",
	  UCRYPTO_TYPE_AEAD,
	  16,
	  { "AES-128-GCM:id-aes128-GCM:2.16.840.1.101.3.4.1.6", PROV_PROPS,
	    prov_aes128gcm_functions, "AES-128-GCM by the kernel (one-shot: output at final)" } },
	{ OSSL_OP_CIPHER,
	  "gcm(aes)",
	  UCRYPTO_TYPE_AEAD,
	  32,
	  { "AES-256-GCM:id-aes256-GCM:2.16.840.1.101.3.4.1.46", PROV_PROPS,
	    prov_aes256gcm_functions, "AES-256-GCM by the kernel (one-shot: output at final)" } },
};

#define PROV_NALGS (sizeof(prov_algs) / sizeof(prov_algs[0]))

/* The algorithms of each operation the kernel has, NULL-terminated (one provider per process). */
static OSSL_ALGORITHM offered_digest[PROV_NALGS + 1], offered_mac[PROV_NALGS + 1],
	offered_cipher[PROV_NALGS + 1];

/* Whether the kernel has @a: a session of it can be created (with an all-zero key). */
static bool prov_probe(int fd, const struct prov_alg *a)
{
	static const unsigned char zero[32];
	int id;

	id = ucmd_crypto_session_create(NULL, fd, a->kernel, a->type, zero, (uint32_t)a->key_len, 0,
					0, NULL);
	if (id <= 0)
		return false;
	ucmd_crypto_session_destroy(NULL, fd, (uint32_t)id);
	return true;
}

static void prov_offer(int fd)
{
	size_t i, nd = 0, nm = 0, nc = 0;

	memset(offered_digest, 0, sizeof(offered_digest));
	memset(offered_mac, 0, sizeof(offered_mac));
	memset(offered_cipher, 0, sizeof(offered_cipher));
	for (i = 0; i < PROV_NALGS; i++) {
		if (!prov_probe(fd, &prov_algs[i]))
			continue;
		if (prov_algs[i].op == OSSL_OP_DIGEST)
			offered_digest[nd++] = prov_algs[i].alg;
		else if (prov_algs[i].op == OSSL_OP_MAC)
			offered_mac[nm++] = prov_algs[i].alg;
		else
			offered_cipher[nc++] = prov_algs[i].alg;
	}
}

static const OSSL_ALGORITHM *prov_query(void *provctx, int op, int *no_cache)
{
	(void)provctx;
	*no_cache = 0;
	switch (op) {
	case OSSL_OP_DIGEST:
		return offered_digest;
	case OSSL_OP_MAC:
		return offered_mac;
	case OSSL_OP_CIPHER:
		return offered_cipher;
	}
	return NULL;
}

static void prov_teardown(void *provctx)
{
	struct prov_ctx *pc = provctx;

	while (pc->npool > 0)
		ucmd_crypto_session_destroy(NULL, pc->fd, pc->pool[--pc->npool]);
	close(pc->fd);
	pthread_mutex_destroy(&pc->lock);
	free(pc);
}

static const OSSL_PARAM *prov_gettable_params(void *provctx)
{
	static const OSSL_PARAM p[] = {
		OSSL_PARAM_DEFN(OSSL_PROV_PARAM_NAME, OSSL_PARAM_UTF8_PTR, NULL, 0),
		OSSL_PARAM_DEFN(OSSL_PROV_PARAM_VERSION, OSSL_PARAM_UTF8_PTR, NULL, 0),
		OSSL_PARAM_DEFN(OSSL_PROV_PARAM_BUILDINFO, OSSL_PARAM_UTF8_PTR, NULL, 0),
		OSSL_PARAM_DEFN(OSSL_PROV_PARAM_STATUS, OSSL_PARAM_INTEGER, NULL, 0),
		OSSL_PARAM_END,
	};

	(void)provctx;
	return p;
}

static int prov_get_params(void *provctx, OSSL_PARAM params[])
{
	OSSL_PARAM *p;

	(void)provctx;
	p = OSSL_PARAM_locate(params, OSSL_PROV_PARAM_NAME);
	if (p && !OSSL_PARAM_set_utf8_ptr(p, "ucrypto: the kernel crypto API over /dev/ucrypto"))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_PROV_PARAM_VERSION);
	if (p && !OSSL_PARAM_set_utf8_ptr(p, ucmd_version()))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_PROV_PARAM_BUILDINFO);
	if (p && !OSSL_PARAM_set_utf8_ptr(p, "libucmd " UCMD_VERSION_STRING))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_PROV_PARAM_STATUS);
	if (p && !OSSL_PARAM_set_int(p, 1))
		return 0;
	return 1;
}

static const OSSL_ITEM *prov_reason_strings(void *provctx)
{
	(void)provctx;
	return reason_strings;
}

static const OSSL_DISPATCH prov_functions[] = {
	{ OSSL_FUNC_PROVIDER_TEARDOWN, (void (*)(void))prov_teardown },
	{ OSSL_FUNC_PROVIDER_QUERY_OPERATION, (void (*)(void))prov_query },
	{ OSSL_FUNC_PROVIDER_GETTABLE_PARAMS, (void (*)(void))prov_gettable_params },
	{ OSSL_FUNC_PROVIDER_GET_PARAMS, (void (*)(void))prov_get_params },
	{ OSSL_FUNC_PROVIDER_GET_REASON_STRINGS, (void (*)(void))prov_reason_strings },
	{ 0, NULL },
};

static void prov_core_functions(const OSSL_DISPATCH *in)
{
	for (; in->function_id; in++) {
		switch (in->function_id) {
		case OSSL_FUNC_CORE_NEW_ERROR:
			core_new_error = OSSL_FUNC_core_new_error(in);
			break;
		case OSSL_FUNC_CORE_SET_ERROR_DEBUG:
			core_set_error_debug = OSSL_FUNC_core_set_error_debug(in);
			break;
		case OSSL_FUNC_CORE_VSET_ERROR:
			core_vset_error = OSSL_FUNC_core_vset_error(in);
			break;
		}
	}
}

/*
 * Opens /dev/ucrypto (or $UCRYPTO_DEVICE) and checks it is ucrypto.  Without it the provider
 * does not load: "openssl ... -provider ucrypto" then fails with the reason on the error queue.
 */
__attribute__((visibility("default"))) int OSSL_provider_init(const OSSL_CORE_HANDLE *handle,
							      const OSSL_DISPATCH *in,
							      const OSSL_DISPATCH **out,
							      void **provctx)
{
	struct prov_ctx tmp = { .handle = handle };
	const char *dev = secure_getenv("UCRYPTO_DEVICE");
	struct prov_ctx *pc;
	int fd, ret;

	prov_core_functions(in);
	dev = dev && *dev ? dev : UCRYPTO_DEVICE;
	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		prov_err(&tmp, PROV_R_DEVICE, "open %s: %s", dev, strerror(errno));
		return 0;
	}
	ret = ucmd_dev_check(fd, "ucrypto");
	if (ret < 0) {
		prov_err(&tmp, PROV_R_DEVICE, "%s is not /dev/ucrypto: %s", dev, strerror(-ret));
		close(fd);
		return 0;
	}
	pc = calloc(1, sizeof(*pc));
	if (!pc) {
		close(fd);
		return 0;
	}
	pc->handle = handle;
	pc->fd = fd;
	pthread_mutex_init(&pc->lock, NULL);
	prov_offer(fd);
	*provctx = pc;
	*out = prov_functions;
	return 1;
}
