// SPDX-License-Identifier: GPL-2.0
/* ossl_evp_gcm.c - AES-128/256-GCM fetched from the ucrypto provider through EVP equals the default provider (ciphertext and tag, any AAD, data in pieces), and a tampered tag or ciphertext fails to decrypt. */
#include "helpers_evp.h"

static const size_t sizes[] = { 0, 1, 15, 16, 17, 100, 4096, 65539, 1048576 };
static const size_t aad_sizes[] = { 0, 13, 100 };

struct gcm_run {
	const EVP_CIPHER *c;
	const uint8_t *key, *iv, *aad, *in;
	size_t aad_len, len, pieces; /* data in @pieces updates (1: one) */
	uint64_t *seed;
};

/* Encrypts into @out and @tag; false on any EVP failure. */
static bool gcm_enc(const struct gcm_run *g, uint8_t *out, uint8_t tag[16])
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	size_t off = 0, n;
	int outl, fl;
	bool ok = ctx && EVP_EncryptInit_ex2(ctx, g->c, g->key, g->iv, NULL);

	if (ok && g->aad_len)
		ok = EVP_EncryptUpdate(ctx, NULL, &outl, g->aad, (int)g->aad_len);
	for (size_t p = 0; ok && p < g->pieces; p++) {
		n = p + 1 == g->pieces ? g->len - off : t_rand(g->seed, g->len - off + 1);
		ok = EVP_EncryptUpdate(ctx, out + off, &outl, g->in + off, (int)n) &&
		     (size_t)outl == n;
		off += n;
	}
	ok = ok && EVP_EncryptFinal_ex(ctx, out + off, &fl) && fl == 0 &&
	     EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, 16, tag);
	EVP_CIPHER_CTX_free(ctx);
	return ok;
}

/* Decrypts @in with @tag into @out: 1 authentic, 0 refused at final, -1 another failure. */
static int gcm_dec(const struct gcm_run *g, const uint8_t tag[16], uint8_t *out)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int outl, fl, ret = -1;

	if (ctx && EVP_DecryptInit_ex2(ctx, g->c, g->key, g->iv, NULL) &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, 16, (void *)tag) &&
	    (!g->aad_len || EVP_DecryptUpdate(ctx, NULL, &outl, g->aad, (int)g->aad_len)) &&
	    EVP_DecryptUpdate(ctx, out, &outl, g->in, (int)g->len))
		ret = EVP_DecryptFinal_ex(ctx, out + g->len, &fl) > 0;
	EVP_CIPHER_CTX_free(ctx);
	return ret;
}

static void one(EVP_CIPHER *uc, EVP_CIPHER *def, size_t len, size_t aad_len, uint64_t *seed)
{
	uint8_t key[32], iv[12], aad[100], tag_d[16], tag_u[16], tag_p[16];
	uint8_t *pt = malloc(len + 1), *ct_d = malloc(len + 1), *ct_u = malloc(len + 1);
	uint8_t *ct_p = malloc(len + 1), *back = malloc(len + 1);
	struct gcm_run g = { def, key, iv, aad, pt, aad_len, len, 1, seed };
	int bits = EVP_CIPHER_get_key_length(uc) * 8;
	char why[256];

	if (!pt || !ct_d || !ct_u || !ct_p || !back)
		t_bail("out of memory");
	t_fill_random(key, sizeof(key), seed);
	t_fill_random(iv, sizeof(iv), seed);
	t_fill_random(aad, sizeof(aad), seed);
	t_fill_random(pt, len, seed);
	bool ok = gcm_enc(&g, ct_d, tag_d);

	g.c = uc;
	ok = gcm_enc(&g, ct_u, tag_u) && ok;
	g.pieces = 1 + t_rand(seed, 5);
	ok = gcm_enc(&g, ct_p, tag_p) && ok;
	t_ok(ok && memcmp(ct_d, ct_u, len) == 0 && memcmp(tag_d, tag_u, 16) == 0 &&
		     memcmp(ct_d, ct_p, len) == 0 && memcmp(tag_d, tag_p, 16) == 0,
	     "AES-%d-GCM, %zu bytes, %zu AAD: ucrypto's ciphertext and tag equal the default's "
	     "(also in %zu pieces)",
	     bits, len, aad_len, g.pieces);
	g.in = ct_d;
	t_ok(gcm_dec(&g, tag_d, back) == 1 && memcmp(back, pt, len) == 0,
	     "AES-%d-GCM, %zu bytes: ucrypto decrypts and authenticates", bits, len);
	tag_d[len % 16] ^= 0x01;
	t_ok(gcm_dec(&g, tag_d, back) == 0, "AES-%d-GCM, %zu bytes: a tampered tag fails", bits,
	     len);
	t_evp_reason(why, sizeof(why));
	t_ok(strstr(why, "tag") != NULL, "the reason says so: '%s'", why);
	tag_d[len % 16] ^= 0x01;
	if (len) {
		ct_d[len / 2] ^= 0x80;
		t_ok(gcm_dec(&g, tag_d, back) == 0,
		     "AES-%d-GCM, %zu bytes: a tampered ciphertext "
		     "fails",
		     bits, len);
		ERR_clear_error();
	}
	free(pt);
	free(ct_d);
	free(ct_u);
	free(ct_p);
	free(back);
}

/* One byte over the kernel's one-shot limit is refused at update() with a reason. */
static void too_large(EVP_CIPHER *uc)
{
	static uint8_t key[32], iv[12];
	size_t len = UCRYPTO_MAX_LEN + 1;
	uint8_t *buf = calloc(1, len);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	char why[256];
	int outl;

	if (!buf || !ctx)
		t_bail("out of memory");
	t_ok(EVP_EncryptInit_ex2(ctx, uc, key, iv, NULL) &&
		     !EVP_EncryptUpdate(ctx, buf, &outl, buf, (int)len),
	     "a message of %zu bytes is refused", len);
	t_evp_reason(why, sizeof(why));
	t_ok(strstr(why, "one-shot") != NULL, "the reason says why: '%s'", why);
	EVP_CIPHER_CTX_free(ctx);
	free(buf);
}

int main(void)
{
	static const char *const names[] = { "AES-128-GCM", "AES-256-GCM" };
	uint64_t seed = t_now_ns() | 1;

	t_init();
	t_evp_setup();
	t_diag("seed %" PRIu64, seed);
	for (size_t n = 0; n < 2; n++) {
		EVP_CIPHER *uc = EVP_CIPHER_fetch(NULL, names[n], "provider=ucrypto");
		EVP_CIPHER *def = EVP_CIPHER_fetch(NULL, names[n], "provider=default");

		if (!t_ok(uc && def && strcmp(t_evp_cipher_prov(uc), "ucrypto") == 0,
			  "%s fetched from %s", names[n], t_evp_cipher_prov(uc)))
			t_bail("cannot fetch %s", names[n]);
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
			one(uc, def, sizes[i], aad_sizes[i % 3], &seed);
		if (n == 0)
			too_large(uc);
		EVP_CIPHER_free(uc);
		EVP_CIPHER_free(def);
	}
	return t_done();
}
