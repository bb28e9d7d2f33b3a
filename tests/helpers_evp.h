/* SPDX-License-Identifier: GPL-2.0 */
/* helpers_evp.h - what the ossl_evp_* tests (linked with libcrypto) share: loading the providers, fetching from one of them. */
#ifndef UCMD_TESTS_HELPERS_EVP_H
#define UCMD_TESTS_HELPERS_EVP_H

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/provider.h>

#include "helpers.h"

static OSSL_PROVIDER *t_evp_provs[2];

/* At exit (before OpenSSL's own cleanup): the providers go, so LeakSanitizer sees nothing left. */
static inline void t_evp_unload(void)
{
	for (int i = 0; i < 2; i++)
		if (t_evp_provs[i])
			OSSL_PROVIDER_unload(t_evp_provs[i]);
}

/* Skips without /dev/ucrypto; loads the ucrypto and default providers (bails if one fails). */
static inline void t_evp_setup(void)
{
	if (access(UCRYPTO_DEVICE, F_OK) != 0)
		t_skip_all("no %s (ucrypto.ko not loaded)", UCRYPTO_DEVICE);
	t_evp_provs[0] = OSSL_PROVIDER_load(NULL, "ucrypto");
	t_evp_provs[1] = OSSL_PROVIDER_load(NULL, "default");
	atexit(t_evp_unload);
	if (!t_evp_provs[0]) {
		ERR_print_errors_fp(stdout);
		t_bail("the ucrypto provider does not load (is ucrypto.so in OpenSSL's MODULESDIR?)");
	}
	if (!t_evp_provs[1])
		t_bail("the default provider does not load");
}

/* The name of the provider an EVP_CIPHER comes from. */
static inline const char *t_evp_cipher_prov(const EVP_CIPHER *c)
{
	return c ? OSSL_PROVIDER_get0_name(EVP_CIPHER_get0_provider(c)) : "(none)";
}

/* The reason of the first error on OpenSSL's queue as text (the queue is emptied). */
static inline void t_evp_reason(char *buf, size_t len)
{
	unsigned long e = ERR_peek_error();
	const char *data = NULL, *func = NULL;

	buf[0] = '\0';
	if (e) {
		ERR_peek_error_all(NULL, NULL, &func, &data, NULL);
		snprintf(buf, len, "%s: %s",
			 ERR_reason_error_string(e) ? ERR_reason_error_string(e) : "?",
			 data ? data : "");
	}
	ERR_clear_error();
}

#endif /* UCMD_TESTS_HELPERS_EVP_H */
