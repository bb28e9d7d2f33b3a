/* SPDX-License-Identifier: GPL-2.0 */
/* ucrypto_compat.h - every kernel crypto API difference between the kernels ucrypto supports. */
#ifndef _UCRYPTO_COMPAT_H
#define _UCRYPTO_COMPAT_H

#include <linux/crypto.h>

/*
 * The UCRYPTO_HAVE_* flags come from probe.sh, which greps the headers of
 * the kernel being built against.
 *
 * Completion callbacks: since 6.3 crypto_completion_t receives the data
 * pointer given to *_request_set_callback(); before, it received the
 * request, whose ->data holds that pointer.  UCRYPTO_CRYPTO_CB(name) defines
 * a callback whose body sees "void *data" and "int err" on every kernel.
 */
#ifdef UCRYPTO_HAVE_COMPLETION_DATA
#define UCRYPTO_CRYPTO_CB(name)						\
static void name(void *data, int err)
#else
#define UCRYPTO_CRYPTO_CB(name)						\
static void name##_body(void *data, int err);				\
static void name(struct crypto_async_request *areq, int err)		\
{									\
	name##_body(areq->data, err);					\
}									\
static void name##_body(void *data, int err)
#endif

/* Whether a transform's implementation is asynchronous (may return -EINPROGRESS). */
static inline bool ucrypto_tfm_is_async(struct crypto_tfm *tfm)
{
	return tfm->__crt_alg->cra_flags & CRYPTO_ALG_ASYNC;
}

#endif /* _UCRYPTO_COMPAT_H */
