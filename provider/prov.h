/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/* prov.h - what the files of the ucrypto OpenSSL 3 provider share: the provider context, errors, sessions, hash streams. */
#ifndef UCRYPTO_PROV_H
#define UCRYPTO_PROV_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/core.h>
#include <openssl/core_dispatch.h>

#include <ucmd/ucrypto.h>

#define PROV_NAME "ucrypto"
#define PROV_PROPS "provider=ucrypto"

/* Reasons on the OpenSSL error queue (library: the provider's name). */
enum prov_reason {
	PROV_R_DEVICE = 1, /* /dev/ucrypto cannot be opened or is not ucrypto */
	PROV_R_NO_ALG, /* the kernel lacks the algorithm */
	PROV_R_KERNEL, /* an operation failed in the kernel */
	PROV_R_BAD_KEY, /* key missing or of a size the algorithm refuses */
	PROV_R_BAD_IV, /* IV missing or of the wrong size */
	PROV_R_BAD_LENGTH, /* a length the mode cannot do */
	PROV_R_BAD_PADDING, /* PKCS#7 padding wrong on decryption */
	PROV_R_TOO_LARGE, /* an AEAD message larger than the kernel's one-shot limit */
	PROV_R_TAG, /* AEAD tag missing, of a bad size, or not matching */
	PROV_R_BAD_PARAM, /* a parameter the provider does not take */
	PROV_R_STATE, /* an operation out of order (no init, dup of a stream) */
	PROV_R_NO_MEMORY,
};

#define PROV_STREAM_BUF 16384 /* hash bytes gathered before one kernel call */
#define PROV_POOL 8 /* idle unkeyed sha256 sessions kept for reuse */

/* The provider context: one /dev/ucrypto file for every operation of this provider instance. */
struct prov_ctx {
	const OSSL_CORE_HANDLE *handle;
	int fd;
	pthread_mutex_t lock; /* the session pool */
	uint32_t pool[PROV_POOL];
	int npool;
};

/*
 * Puts @reason with a formatted message on the OpenSSL error queue, with the caller's file,
 * line and function (prov_err()); prov_err_kernel() for a kernel error (-errno @err) of @what.
 */
void prov_err_at(const struct prov_ctx *pc, int reason, const char *file, int line,
		 const char *func, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void prov_err_kernel_at(const struct prov_ctx *pc, int err, const char *what, const char *file,
			int line, const char *func);
#define prov_err(pc, reason, ...) prov_err_at(pc, reason, __FILE__, __LINE__, __func__, __VA_ARGS__)
#define prov_err_kernel(pc, err, what) \
	prov_err_kernel_at(pc, err, what, __FILE__, __LINE__, __func__)

/*
 * A session on /dev/ucrypto: its id and the file it lives on (the provider's, or one of its
 * own when the provider's file holds UCRYPTO_MAX_SESSIONS already).
 */
struct prov_session {
	uint32_t id;
	int fd;
};

/* Creates a session; 0 or -1 after putting the error on the queue. */
int prov_session_create(struct prov_ctx *pc, struct prov_session *s, const char *alg, uint32_t type,
			const void *key, size_t key_len, uint32_t tag_len);
/* Destroys it (if any) and closes its own file. */
void prov_session_destroy(struct prov_ctx *pc, struct prov_session *s);

/* A hash stream on a session (sha256 digests, hmac(sha256) MACs), gathering small pieces. */
struct prov_hstream {
	struct prov_ctx *pc;
	struct prov_session s;
	bool pooled; /* an unkeyed session that goes back to the pool */
	bool open; /* the kernel stream is open (INIT sent) */
	bool started; /* init() was called and final() not yet */
	size_t nbuf;
	unsigned char buf[PROV_STREAM_BUF];
};

/* Starts a stream on @alg (and @key); takes a pooled session when @key_len is 0. */
int prov_hstream_init(struct prov_hstream *h, const char *alg, const void *key, size_t key_len);
int prov_hstream_update(struct prov_hstream *h, const unsigned char *in, size_t len);
/* Ends the stream; the digest (@size bytes) goes to @out. */
int prov_hstream_final(struct prov_hstream *h, unsigned char *out, size_t size);
/* Drops the session: into the pool if it is an idle unkeyed one, else destroyed. */
void prov_hstream_release(struct prov_hstream *h);

/* A cipher's constant parameters (cipher.c); @aead also means a custom IV. */
int prov_cipher_get_params(OSSL_PARAM params[], unsigned int mode, size_t key_len, size_t iv_len,
			   size_t block, int aead);
const OSSL_PARAM *prov_cipher_gettable_params(void *provctx);

extern const OSSL_DISPATCH prov_sha256_functions[];
extern const OSSL_DISPATCH prov_hmac_functions[];
extern const OSSL_DISPATCH prov_aes128cbc_functions[];
extern const OSSL_DISPATCH prov_aes256cbc_functions[];
extern const OSSL_DISPATCH prov_aes128ctr_functions[];
extern const OSSL_DISPATCH prov_aes256ctr_functions[];
extern const OSSL_DISPATCH prov_aes128gcm_functions[];
extern const OSSL_DISPATCH prov_aes256gcm_functions[];

#endif /* UCRYPTO_PROV_H */
