// SPDX-License-Identifier: GPL-2.0
/* ossl_evp_pieces.c - through EVP, ucrypto's SHA-256, HMAC-SHA256, AES-CBC and AES-CTR take data in random pieces of any size and give the default provider's one-shot result; a digest copy works until the stream reaches the kernel. */
#include <openssl/core_names.h>

#include "helpers_evp.h"

#define MAX_LEN (5 * 1048576 + 7)

/* A random piece: often tiny, sometimes large; at most @left. */
static size_t piece(uint64_t *seed, size_t left)
{
	size_t n = t_rand(seed, 4) == 0 ? t_rand(seed, 2 * 1048576) : t_rand(seed, 40);

	return n < left ? n : left;
}

static void digest(const uint8_t *buf, size_t len, uint64_t *seed)
{
	EVP_MD *uc = EVP_MD_fetch(NULL, "SHA256", "provider=ucrypto");
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint8_t want[32], got[32];
	unsigned int wl = 0, gl = 0;
	size_t off = 0, n, pieces = 0;
	bool ok = uc && ctx && EVP_DigestInit_ex2(ctx, uc, NULL);

	t_ok(uc && strcmp(OSSL_PROVIDER_get0_name(EVP_MD_get0_provider(uc)), "ucrypto") == 0,
	     "SHA256 fetched from ucrypto");
	EVP_Digest(buf, len, want, &wl, EVP_sha256(), NULL);
	while (ok && off < len) {
		n = piece(seed, len - off);
		ok = EVP_DigestUpdate(ctx, buf + off, n);
		off += n;
		pieces++;
	}
	ok = ok && EVP_DigestFinal_ex(ctx, got, &gl);
	t_ok(ok && gl == 32 && wl == 32 && memcmp(want, got, 32) == 0,
	     "sha256 of %zu bytes in %zu pieces equals the default's", len, pieces);
	EVP_MD_CTX_free(ctx);
	EVP_MD_free(uc);
}

/* EVP_MD_CTX_copy: fine while the data is in the provider's buffer, refused once in the kernel. */
static void digest_copy(const uint8_t *buf)
{
	EVP_MD *uc = EVP_MD_fetch(NULL, "SHA256", "provider=ucrypto");
	EVP_MD_CTX *a = EVP_MD_CTX_new(), *b = EVP_MD_CTX_new();
	uint8_t want[32], got[32];
	unsigned int l;

	EVP_Digest(buf, 100, want, &l, EVP_sha256(), NULL);
	t_ok(uc && a && b && EVP_DigestInit_ex2(a, uc, NULL) && EVP_DigestUpdate(a, buf, 60) &&
		     EVP_MD_CTX_copy_ex(b, a) && EVP_DigestUpdate(b, buf + 60, 40) &&
		     EVP_DigestFinal_ex(b, got, &l) && memcmp(want, got, 32) == 0,
	     "a copy of a context with 60 bytes in it goes on to the right digest");
	t_ok(EVP_DigestUpdate(a, buf + 60, 1 << 20) && !EVP_MD_CTX_copy_ex(b, a),
	     "a stream in the kernel is not copied (the device cannot export it)");
	ERR_clear_error();
	EVP_MD_CTX_free(a);
	EVP_MD_CTX_free(b);
	EVP_MD_free(uc);
}

static bool hmac_run(EVP_MAC *m, const uint8_t *key, size_t kl, const uint8_t *buf, size_t len,
		     uint64_t *seed, uint8_t out[32])
{
	OSSL_PARAM p[] = { OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0),
			   OSSL_PARAM_construct_end() };
	EVP_MAC_CTX *ctx = EVP_MAC_CTX_new(m);
	size_t off = 0, n, ol = 0;
	bool ok = ctx && EVP_MAC_init(ctx, key, kl, p);

	while (ok && off < len) {
		n = seed ? piece(seed, len - off) : len;
		ok = EVP_MAC_update(ctx, buf + off, n);
		off += n;
	}
	ok = ok && EVP_MAC_final(ctx, out, &ol, 32) && ol == 32;
	EVP_MAC_CTX_free(ctx);
	return ok;
}

static void hmac(const uint8_t *buf, size_t len, uint64_t *seed)
{
	EVP_MAC *uc = EVP_MAC_fetch(NULL, "HMAC", "provider=ucrypto");
	EVP_MAC *def = EVP_MAC_fetch(NULL, "HMAC", "provider=default");
	uint8_t key[100], want[32], got[32];
	size_t kl = 1 + t_rand(seed, sizeof(key));

	t_fill_random(key, kl, seed);
	t_ok(uc && def && hmac_run(def, key, kl, buf, len, NULL, want) &&
		     hmac_run(uc, key, kl, buf, len, seed, got) && memcmp(want, got, 32) == 0,
	     "HMAC-SHA256 (key %zu bytes) of %zu bytes in pieces equals the default's", kl, len);
	EVP_MAC_free(uc);
	EVP_MAC_free(def);
}

/* En- or decrypts @in in random pieces (or one when @seed is NULL); returns the output length. */
static long cipher_run(const EVP_CIPHER *c, int enc, const uint8_t *key, const uint8_t *iv,
		       const uint8_t *in, size_t len, uint8_t *out, uint64_t *seed)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	size_t off = 0, n;
	long total = 0;
	int outl;
	bool ok = ctx && EVP_CipherInit_ex2(ctx, c, key, iv, enc, NULL);

	while (ok && off < len) {
		n = seed ? piece(seed, len - off) : len;
		ok = EVP_CipherUpdate(ctx, out + total, &outl, in + off, (int)n);
		total += outl;
		off += n;
	}
	ok = ok && EVP_CipherFinal_ex(ctx, out + total, &outl);
	total += outl;
	EVP_CIPHER_CTX_free(ctx);
	return ok ? total : -1;
}

static void cipher(const char *name, const uint8_t *buf, size_t len, uint64_t *seed)
{
	EVP_CIPHER *uc = EVP_CIPHER_fetch(NULL, name, "provider=ucrypto");
	EVP_CIPHER *def = EVP_CIPHER_fetch(NULL, name, "provider=default");
	uint8_t key[32], iv[16], *want = malloc(len + 16), *got = malloc(len + 16);
	uint8_t *back = malloc(len + 32);
	long wl, gl, bl;

	if (!want || !got || !back)
		t_bail("out of memory");
	t_fill_random(key, sizeof(key), seed);
	t_fill_random(iv, sizeof(iv), seed);
	wl = cipher_run(def, 1, key, iv, buf, len, want, NULL);
	gl = cipher_run(uc, 1, key, iv, buf, len, got, seed);
	t_ok(uc && wl >= 0 && gl == wl && memcmp(want, got, (size_t)wl) == 0,
	     "%s of %zu bytes in pieces encrypts to the default's bytes", name, len);
	bl = gl >= 0 ? cipher_run(uc, 0, key, iv, got, (size_t)gl, back, seed) : -1;
	t_ok(bl == (long)len && memcmp(back, buf, len) == 0, "%s decrypts them back in pieces",
	     name);
	free(want);
	free(got);
	free(back);
	EVP_CIPHER_free(uc);
	EVP_CIPHER_free(def);
}

int main(void)
{
	static const char *const ciphers[] = { "AES-128-CBC", "AES-256-CBC", "AES-128-CTR",
					       "AES-256-CTR" };
	static const size_t lens[] = { 0, 1, 15, 16, 17, 1000, 65536 + 3, MAX_LEN };
	uint64_t seed = t_now_ns() | 1;
	uint8_t *buf = malloc(MAX_LEN);

	if (!buf)
		t_bail("out of memory");
	t_init();
	t_evp_setup();
	t_diag("seed %" PRIu64, seed);
	t_fill_random(buf, MAX_LEN, &seed);
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		digest(buf, lens[i], &seed);
		hmac(buf, lens[i], &seed);
		for (size_t c = 0; c < sizeof(ciphers) / sizeof(ciphers[0]); c++)
			cipher(ciphers[c], buf, lens[i], &seed);
	}
	digest_copy(buf);
	free(buf);
	return t_done();
}
