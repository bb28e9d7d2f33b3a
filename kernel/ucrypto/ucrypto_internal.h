/* SPDX-License-Identifier: GPL-2.0 */
/* ucrypto_internal.h - sessions and per-file state shared by the ucrypto module's source files. */
#ifndef _UCRYPTO_INTERNAL_H
#define _UCRYPTO_INTERNAL_H

#include <linux/atomic.h>
#include <linux/build_bug.h>
#include <linux/err.h>
#include <linux/limits.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/ucmd.h>
#include <uapi/linux/ucrypto.h>
#ifdef UCRYPTO_WITH_BENCH
#include <uapi/linux/ucrypto_bench.h>
#endif

struct crypto_aead;
struct crypto_ahash;
struct shash_desc;
struct crypto_shash;
struct crypto_skcipher;
struct ucrypto_req;

/* Largest IV a session accepts (the IV is copied into each request). */
#define UCRYPTO_MAX_IV_SIZE	64

/* Sequence numbers wrap so that ids stay positive ints (command results). */
#define UCRYPTO_SEQ_WRAP	(INT_MAX / UCRYPTO_MAX_SESSIONS)
/* One bit per slot in ucrypto_file.used. */
static_assert(UCRYPTO_MAX_SESSIONS == 64);

/* Bytes of input an asynchronous operation may hold per file. */
#define UCRYPTO_MAX_INFLIGHT_BYTES	(8U << 20)

/*
 * One algorithm instance with its key.  Operations hold a reference; the
 * file's table holds one until the session is destroyed.  The last put
 * frees the transform (which wipes its key), from process context.
 */
struct ucrypto_sess {
	refcount_t ref;
	u32 id;
	u32 type;		/* UCRYPTO_TYPE_* */
	bool async;		/* request API, may complete from a callback */
	unsigned int digestsize;
	unsigned int ivsize;
	unsigned int authsize;
	unsigned int blocksize;
	unsigned int reqsize;	/* bytes of the crypto request, with its context */
	/*
	 * Synchronous cipher and AEAD sessions: a request with a small buffer,
	 * used by one operation at a time (bit 0 of @cache_busy) so that small
	 * operations allocate nothing.
	 */
	struct ucrypto_req *cache;
	unsigned long cache_busy;
	/*
	 * Data in pieces (stream.c): @streams says the session can;
	 * @chunk is what a chained cipher piece must be a multiple of.  The
	 * hash stream's state, allocated by its first UCRYPTO_OP_INIT, is
	 * used by one operation at a time (bit 0 of @stream_busy).
	 */
	bool streams;
	bool stream_open;
	unsigned int chunk;
	unsigned long stream_busy;
	struct shash_desc *stream;
	union {
		struct crypto_shash *shash;	/* HASH, synchronous */
		struct crypto_ahash *ahash;	/* HASH, asynchronous */
		struct crypto_skcipher *skcipher;
		struct crypto_aead *aead;
	};
	struct rcu_head rcu;
};

/*
 * Per open file.  A session id is seq * UCRYPTO_MAX_SESSIONS + slot + 1:
 * the lookup is one load, and a destroyed id stays invalid until seq wraps.
 */
struct ucrypto_file {
	struct ucrypto_sess __rcu *slot[UCRYPTO_MAX_SESSIONS];
	u64 used;			/* slots taken, published or not */
	u32 seq;			/* of the next session */
	struct mutex lock;		/* serialises create and destroy */
	atomic_t inflight;		/* asynchronous operations */
	atomic_t inflight_bytes;
};

/* The framework's per-command state of a deferred operation. */
struct ucrypto_req;

/* The framework's per-command area of an asynchronous operation. */
struct ucrypto_priv {
	struct ucrypto_req *r;	/* owned by ucrypto_finish() once completed */
};

static inline struct ucrypto_file *ucrypto_file(struct ucmd *uc)
{
	return ucmd_file(uc)->private_data;
}

struct ucrypto_sess *ucrypto_session_get(struct ucrypto_file *uf, u32 id);
void ucrypto_session_put(struct ucrypto_sess *s);
int ucrypto_session_create(struct ucmd *uc);
int ucrypto_session_destroy(struct ucmd *uc);
int ucrypto_aead_alloc(struct ucrypto_sess *s, const char *name,
		       bool allow_async, const u8 *key, unsigned int key_len,
		       unsigned int tag_len);

/*
 * No algorithm of the asked-for type has that name: -ENOENT, or since 6.x
 * the template's own -EINVAL when it cannot build that type.
 */
static inline int ucrypto_lookup_err(const void *tfm)
{
	return PTR_ERR(tfm) == -EINVAL ? -ENOENT : PTR_ERR(tfm);
}

int ucrypto_data_op(struct ucmd *uc);
int ucrypto_finish(void *priv, int res);
#ifdef UCRYPTO_WITH_BENCH
int ucrypto_bench_loop(struct ucmd *uc);
#endif
int ucrypto_session_cache_init(struct ucrypto_sess *s);
void ucrypto_session_cache_free(struct ucrypto_sess *s);

void ucrypto_stream_setup(struct ucrypto_sess *s);
void ucrypto_stream_free(struct ucrypto_sess *s);

int ucrypto_async_init(void);
void ucrypto_async_exit(void);

#endif /* _UCRYPTO_INTERNAL_H */
