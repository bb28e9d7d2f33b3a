// SPDX-License-Identifier: GPL-2.0
/* session.c - the crypto sessions of a /dev/ucrypto file: one keyed algorithm each, created, looked up and destroyed. */

#include <crypto/aead.h>
#include <crypto/hash.h>
#include <crypto/skcipher.h>
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "ucrypto_compat.h"
#include "ucrypto_internal.h"

/**
 * ucrypto_session_get() - look a session up for an operation
 * @uf: the file
 * @id: the session id
 *
 * Return: the session with a reference held, or NULL.
 */
struct ucrypto_sess *ucrypto_session_get(struct ucrypto_file *uf, u32 id)
{
	struct ucrypto_sess *s;

	if (!id)
		return NULL;
	rcu_read_lock();
	s = rcu_dereference(uf->slot[(id - 1) % UCRYPTO_MAX_SESSIONS]);
	if (s && (s->id != id || !refcount_inc_not_zero(&s->ref)))
		s = NULL;
	rcu_read_unlock();
	return s;
}

static void ucrypto_session_free(struct ucrypto_sess *s)
{
	switch (s->type) {
	case UCRYPTO_TYPE_HASH:
		if (s->async)
			crypto_free_ahash(s->ahash);
		else
			crypto_free_shash(s->shash);
		break;
	case UCRYPTO_TYPE_SKCIPHER:
		crypto_free_skcipher(s->skcipher);
		break;
	case UCRYPTO_TYPE_AEAD:
		crypto_free_aead(s->aead);
		break;
	}
	ucrypto_session_cache_free(s);
	ucrypto_stream_free(s);
	kfree_rcu(s, rcu);
}

/**
 * ucrypto_session_put() - drop a reference; the last one frees (and wipes) the key
 * @s: the session
 *
 * Process context only.
 */
void ucrypto_session_put(struct ucrypto_sess *s)
{
	if (refcount_dec_and_test(&s->ref))
		ucrypto_session_free(s);
}

/* A hash refuses a key it cannot take with an odd errno: say -EINVAL. */
static int ucrypto_setkey_err(int ret)
{
	return ret == -ENOMEM ? ret : -EINVAL;
}

static int ucrypto_setup_shash(struct ucrypto_sess *s,
			       struct crypto_shash *shash, const u8 *key,
			       unsigned int key_len)
{
	int ret;

	s->shash = shash;
	s->digestsize = crypto_shash_digestsize(shash);
	s->blocksize = crypto_shash_blocksize(shash);
	if (key_len) {
		ret = crypto_shash_setkey(shash, key, key_len);
		if (ret)
			return ucrypto_setkey_err(ret);
	}
	if (crypto_shash_get_flags(shash) & CRYPTO_TFM_NEED_KEY)
		return -ENOKEY;
	return 0;
}

/*
 * The best implementation is looked up first, with asynchronous ones
 * allowed; a synchronous one is looked for only if that one is not, and
 * not allowed.  (Looking up cryptd(...) masked to synchronous first leaves
 * 6.12 and later unable to find the instance it then registers: -EEXIST.
 * So a failed second lookup just means there is no synchronous one.)
 * Synchronous hashes are served through shash (no request, no
 * scatterlist); asynchronous ones exist only as ahash.
 */
static int ucrypto_alloc_hash(struct ucrypto_sess *s, const char *name,
			      bool allow_async, const u8 *key,
			      unsigned int key_len)
{
	struct crypto_ahash *ahash = crypto_alloc_ahash(name, 0, 0);
	struct crypto_shash *shash;
	bool async;
	int ret;

	if (IS_ERR(ahash))
		return ucrypto_lookup_err(ahash);
	async = ucrypto_tfm_is_async(crypto_ahash_tfm(ahash));
	if (!async || !allow_async) {
		shash = crypto_alloc_shash(name, 0, 0);
		if (!IS_ERR(shash)) {
			crypto_free_ahash(ahash);
			return ucrypto_setup_shash(s, shash, key, key_len);
		}
		/* Only an ahash: served through the request path. */
	}
	s->ahash = ahash;
	s->async = true;
	s->digestsize = crypto_ahash_digestsize(ahash);
	s->blocksize = crypto_tfm_alg_blocksize(crypto_ahash_tfm(ahash));
	s->reqsize = sizeof(struct ahash_request) + crypto_ahash_reqsize(ahash);
	if (key_len) {
		ret = crypto_ahash_setkey(ahash, key, key_len);
		if (ret)
			return ucrypto_setkey_err(ret);
	}
	if (crypto_ahash_get_flags(ahash) & CRYPTO_TFM_NEED_KEY)
		return -ENOKEY;
	return 0;
}

static int ucrypto_alloc_skcipher(struct ucrypto_sess *s, const char *name,
				  bool allow_async, const u8 *key,
				  unsigned int key_len)
{
	struct crypto_skcipher *tfm = crypto_alloc_skcipher(name, 0, 0);
	struct crypto_skcipher *sync;

	if (IS_ERR(tfm))
		return ucrypto_lookup_err(tfm);
	if (!allow_async && ucrypto_tfm_is_async(crypto_skcipher_tfm(tfm))) {
		sync = crypto_alloc_skcipher(name, 0, CRYPTO_ALG_ASYNC);
		if (!IS_ERR(sync)) {
			crypto_free_skcipher(tfm);
			tfm = sync;
		}
	}
	s->skcipher = tfm;
	s->async = ucrypto_tfm_is_async(crypto_skcipher_tfm(tfm));
	s->ivsize = crypto_skcipher_ivsize(tfm);
	s->blocksize = crypto_skcipher_blocksize(tfm);
	s->reqsize = sizeof(struct skcipher_request) +
		     crypto_skcipher_reqsize(tfm);
	if (s->ivsize > UCRYPTO_MAX_IV_SIZE)
		return -EOPNOTSUPP;
	return crypto_skcipher_setkey(tfm, key, key_len);
}

/*
 * Allocates the transform of a session of @type (0: the first type that
 * knows @name).  On error the caller frees whatever was allocated.
 */
static int ucrypto_alloc_tfm(struct ucrypto_sess *s, const char *name,
			     u32 type, bool allow_async, const u8 *key,
			     unsigned int key_len, unsigned int tag_len)
{
	u32 t = type ? type : UCRYPTO_TYPE_HASH;
	int ret;

	for (;;) {
		s->type = t;
		switch (t) {
		case UCRYPTO_TYPE_HASH:
			ret = ucrypto_alloc_hash(s, name, allow_async, key,
						 key_len);
			break;
		case UCRYPTO_TYPE_SKCIPHER:
			ret = ucrypto_alloc_skcipher(s, name, allow_async, key,
						     key_len);
			break;
		default:
			ret = ucrypto_aead_alloc(s, name, allow_async, key,
						 key_len, tag_len);
			break;
		}
		if (ret != -ENOENT || type || t == UCRYPTO_TYPE_AEAD)
			return ret;
		s->type = 0;	/* nothing allocated */
		s->async = false;
		t++;
	}
}

static const char *ucrypto_driver_name(struct ucrypto_sess *s)
{
	switch (s->type) {
	case UCRYPTO_TYPE_HASH:
		return s->async ? crypto_ahash_driver_name(s->ahash) :
				  crypto_shash_driver_name(s->shash);
	case UCRYPTO_TYPE_SKCIPHER:
		return crypto_skcipher_driver_name(s->skcipher);
	default:
		return crypto_aead_driver_name(s->aead);
	}
}

/* Checks a UCRYPTO_SESSION_CREATE argument and copies the algorithm's name in. */
static int ucrypto_session_args(const struct ucrypto_session *in,
				char name[UCRYPTO_NAME_MAX])
{
	long len;

	if (in->flags & ~UCRYPTO_SESSION_ALLOW_ASYNC ||
	    in->type > UCRYPTO_TYPE_AEAD || in->key_len > UCRYPTO_MAX_KEY_SIZE ||
	    (in->type != UCRYPTO_TYPE_AEAD && in->type && in->tag_len))
		return -EINVAL;
	len = strncpy_from_user(name, u64_to_user_ptr(in->alg), UCRYPTO_NAME_MAX);
	if (len < 0)
		return len;
	if (len == UCRYPTO_NAME_MAX)
		return -ENAMETOOLONG;
	if (!len)
		return -EINVAL;
	return 0;
}

/* A new session with its transform keyed and set up, or an ERR_PTR. */
static struct ucrypto_sess *ucrypto_session_new(const struct ucrypto_session *in,
						const char *name)
{
	struct ucrypto_sess *s;
	u8 *key = NULL;
	int ret;

	if (in->key_len) {
		key = memdup_user(u64_to_user_ptr(in->key), in->key_len);
		if (IS_ERR(key))
			return ERR_CAST(key);
	}
	s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
	if (!s) {
		kfree_sensitive(key);
		return ERR_PTR(-ENOMEM);
	}
	refcount_set(&s->ref, 1);
	ret = ucrypto_alloc_tfm(s, name, in->type,
				in->flags & UCRYPTO_SESSION_ALLOW_ASYNC, key,
				in->key_len, in->tag_len);
	kfree_sensitive(key);
	if (!ret && s->type != UCRYPTO_TYPE_AEAD && in->tag_len)
		ret = -EINVAL;
	if (!ret)
		ret = ucrypto_session_cache_init(s);
	if (!ret)
		ucrypto_stream_setup(s);
	if (ret) {
		ucrypto_session_put(s);
		return ERR_PTR(ret);
	}
	return s;
}

/* Reserves a slot of @uf for @s and gives @s its id; lookups see nothing yet. */
static int ucrypto_session_reserve(struct ucrypto_file *uf,
				   struct ucrypto_sess *s, unsigned int *slot)
{
	int ret = -EMFILE;

	mutex_lock(&uf->lock);
	if (uf->used != U64_MAX) {
		*slot = __ffs64(~uf->used);
		uf->used |= BIT_ULL(*slot);
		s->id = uf->seq * UCRYPTO_MAX_SESSIONS + *slot + 1;
		uf->seq = (uf->seq + 1) % UCRYPTO_SEQ_WRAP;
		ret = 0;
	}
	mutex_unlock(&uf->lock);
	return ret;
}

/* Tells user space what the session is: id, sizes and, if asked, the driver. */
static int ucrypto_session_report(struct ucmd *uc, struct ucrypto_session *out,
				  struct ucrypto_sess *s)
{
	void __user *udriver = u64_to_user_ptr(out->driver);

	out->type = s->type;
	out->flags |= s->async ? UCRYPTO_SESSION_ASYNC : 0;
	out->flags |= s->streams ? UCRYPTO_SESSION_STREAM : 0;
	out->tag_len = s->authsize;
	out->id = s->id;
	out->digest_size = s->digestsize;
	out->iv_size = s->ivsize;
	out->block_size = s->blocksize;
	if (udriver) {
		const char *drv = ucrypto_driver_name(s);
		size_t n = strnlen(drv, UCRYPTO_NAME_MAX - 1);

		if (copy_to_user(udriver, drv, n) ||
		    put_user(0, (char __user *)udriver + n))
			return -EFAULT;
	}
	return ucmd_copy_out(uc, out, sizeof(*out));
}

/**
 * ucrypto_session_create() - handler of UCRYPTO_SESSION_CREATE
 * @uc: the command
 *
 * Return: the new session's id, or a negative errno.
 */
int ucrypto_session_create(struct ucmd *uc)
{
	const struct ucrypto_session *in = ucmd_payload(uc, struct ucrypto_session);
	struct ucrypto_file *uf = ucrypto_file(uc);
	struct ucrypto_session out = *in;
	char name[UCRYPTO_NAME_MAX];
	struct ucrypto_sess *s;
	unsigned int slot = 0;
	u32 id;
	int ret;

	ret = ucrypto_session_args(&out, name);
	if (ret)
		return ret;
	if (READ_ONCE(uf->used) == U64_MAX)
		return -EMFILE;
	s = ucrypto_session_new(&out, name);
	if (IS_ERR(s))
		return PTR_ERR(s);

	/* Reserve a slot (lookups see nothing yet), report, then publish. */
	ret = ucrypto_session_reserve(uf, s, &slot);
	if (ret)
		goto err_put;
	/* Once published, another thread may destroy it: @s is not read after. */
	id = s->id;
	ret = ucrypto_session_report(uc, &out, s);
	mutex_lock(&uf->lock);
	if (ret)
		uf->used &= ~BIT_ULL(slot);
	else
		rcu_assign_pointer(uf->slot[slot], s);
	mutex_unlock(&uf->lock);
	if (ret)
		goto err_put;
	return id;

err_put:
	ucrypto_session_put(s);
	return ret;
}

/**
 * ucrypto_session_destroy() - handler of UCRYPTO_SESSION_DESTROY
 * @uc: the command
 *
 * Return: 0, or -ENOENT for an id that names no session of this file.
 */
int ucrypto_session_destroy(struct ucmd *uc)
{
	struct ucrypto_file *uf = ucrypto_file(uc);
	u32 id = *ucmd_payload(uc, u32);
	unsigned int slot = (id - 1) % UCRYPTO_MAX_SESSIONS;
	struct ucrypto_sess *s;

	mutex_lock(&uf->lock);
	s = rcu_dereference_protected(uf->slot[slot], lockdep_is_held(&uf->lock));
	if (s && id && s->id == id) {
		RCU_INIT_POINTER(uf->slot[slot], NULL);
		uf->used &= ~BIT_ULL(slot);
	} else {
		s = NULL;
	}
	mutex_unlock(&uf->lock);
	if (!s)
		return -ENOENT;
	ucrypto_session_put(s);
	return 0;
}
