// SPDX-License-Identifier: GPL-2.0
/* ossl_enc.c - "openssl enc" AES-128/256-CBC (PKCS#7 padding) and -CTR with the ucrypto provider encrypts to the default provider's bytes and decrypts back, for files of 0 bytes to several MiB. */
#include "helpers.h"

static const size_t sizes[] = { 0, 1, 15, 16, 17, 4097, 1048576 + 17, 3 * 1048576 + 5 };
static const char *const ciphers[] = { "-aes-128-cbc", "-aes-256-cbc", "-aes-128-ctr",
				       "-aes-256-ctr" };

static void hex(char *out, size_t n, uint64_t *seed)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++)
		out[i] = digits[t_rand(seed, 16)];
	out[n] = '\0';
}

/* Encrypts @in with @prov (ucrypto: alone, by property) to @out, or decrypts with -d. */
static int enc(struct t_cli *r, const char *prov, const char *cipher, bool dec, const char *key,
	       const char *iv, const char *in, const char *out)
{
	char prop[32];

	snprintf(prop, sizeof(prop), "provider=%s", prov);

	return t_ossl(r, (const char *const[]){ "enc", "-provider", prov, "-propquery", prop,
						cipher, dec ? "-d" : "-e", "-K", key, "-iv", iv,
						"-in", in, "-out", out, NULL });
}

static void one(struct t_cli *r, const char *cipher, const char *file, size_t size, uint64_t *seed)
{
	char key[65], iv[33];
	const char *def = t_ossl_path("def.enc"), *uc = t_ossl_path("uc.enc");
	const char *back = t_ossl_path("uc.dec");
	uint64_t before;

	hex(key, strstr(cipher, "256") ? 64 : 32, seed);
	hex(iv, 32, seed);
	before = t_ossl_issued();
	t_ok(enc(r, "default", cipher, false, key, iv, file, def) == 0 &&
		     enc(r, "ucrypto", cipher, false, key, iv, file, uc) == 0 &&
		     t_ossl_same_files(def, uc),
	     "%s, %zu bytes: ucrypto encrypts to the default provider's bytes", cipher, size);
	t_ok(enc(r, "ucrypto", cipher, true, key, iv, def, back) == 0 &&
		     t_ossl_same_files(back, file),
	     "%s, %zu bytes: ucrypto decrypts them back", cipher, size);
	t_ok(t_ossl_issued() > before, "%s, %zu bytes: ucrypto's counter went up", cipher, size);
}

int main(void)
{
	struct t_cli *r = malloc(sizeof(*r));
	uint64_t seed = t_now_ns() | 1;
	char name[32], file[512];

	if (!r)
		t_bail("out of memory");
	t_init();
	t_ossl_setup("ossl_enc");
	t_diag("seed %" PRIu64, seed);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		snprintf(name, sizeof(name), "f%zu", sizes[i]);
		/* A copy: t_ossl_path()'s buffers rotate. */
		snprintf(file, sizeof(file), "%s", t_ossl_random_file(name, sizes[i], &seed));
		for (size_t c = 0; c < sizeof(ciphers) / sizeof(ciphers[0]); c++)
			one(r, ciphers[c], file, sizes[i], &seed);
	}
	free(r);
	return t_done();
}
