// SPDX-License-Identifier: GPL-2.0
/* ucrypto_stream_chain.c - cbc and ctr in random pieces chained by UCRYPTO_OP_IV_OUT equal AF_ALG's MSG_MORE stream and the one-shot result; xts pieces are data units of their own. */
#include "helpers.h"

#define ROUNDS 3

/* Bytes of a random stream at most, and of the library's: less on debug kernels (KASAN). */
static size_t total_max = 2U << 20, lib_len = 7U << 19;

static uint64_t seed = 0x636861696e73ULL;

/* ucrypto's: random pieces, each but the last with IV_OUT (whole blocks); false on an error. */
static bool ucrypto_stream(const struct t_path *p, int fd, int id, uint32_t cmd, const uint8_t *iv0,
			   const uint8_t *in, uint8_t *out, size_t len, int *pieces)
{
	uint8_t iv[16];
	size_t off = 0;
	int ret;

	memcpy(iv, iv0, sizeof(iv));
	for (*pieces = 0;; ++*pieces) {
		size_t n = t_stream_piece_len(&seed, len - off, 16);
		bool last = off + n == len || len - off < 16;

		if (last)
			n = len - off;
		ret = t_crypto_piece(p, fd, cmd, (uint32_t)id, last ? 0 : UCRYPTO_OP_IV_OUT,
				     in + off, out + off, (uint32_t)n, iv);
		if (ret != (int)n)
			return t_eq(ret, (int)n, "%s: piece %d of %zu bytes", p->name, *pieces, n);
		off += n;
		if (last)
			return true;
	}
}

static void chained(const struct t_path *p, int fd, const char *alg, size_t unit)
{
	int bad = 0, ran = 0;

	for (int r = 0; r < ROUNDS; r++) {
		size_t len = (size_t)t_rand(&seed, total_max) / unit * unit;
		uint8_t key[32], iv[16], *in = malloc(len + 1), *want = malloc(len + 1),
					 *got = malloc(len + 1), *one = malloc(len + 1);
		bool enc = r % 2 == 0;
		uint32_t cmd = enc ? UCRYPTO_ENCRYPT : UCRYPTO_DECRYPT;
		int id, tfm, pieces = 0;

		if (!in || !want || !got || !one)
			t_bail("out of memory");
		t_fill_random(key, sizeof(key), &seed);
		t_fill_random(iv, sizeof(iv), &seed);
		t_fill_random(in, len, &seed);
		id = t_crypto_session(p, fd, alg, UCRYPTO_TYPE_SKCIPHER, key, 16);
		tfm = t_afalg_tfm("skcipher", alg, key, 16);
		if (id <= 0 || tfm < 0)
			t_bail("%s: session %d, AF_ALG %d", alg, id, tfm);
		if (!t_afalg_cipher_stream(tfm, enc, iv, in, want, len) ||
		    !ucrypto_stream(p, fd, id, cmd, iv, in, got, len, &pieces) ||
		    memcmp(got, want, len)) {
			bad++;
			t_diag("%s %s %s: %zu bytes in %d pieces differ", p->name, alg,
			       enc ? "enc" : "dec", len, pieces);
		}
		/* Within one operation's reach, the one-shot result is the same. */
		if (len <= UCRYPTO_MAX_LEN &&
		    (t_crypto_cipher(p, fd, cmd, (uint32_t)id, in, one, (uint32_t)len, iv, NULL, 0,
				     NULL) != (int)len ||
		     memcmp(one, want, len)))
			bad++;
		ran++;
		close(tfm);
		t_crypto_destroy(p, fd, (uint32_t)id);
		free(in);
		free(want);
		free(got);
		free(one);
	}
	t_ok(!bad, "%s: %s: %d random streams (up to %zu bytes, random pieces) equal AF_ALG's",
	     p->name, alg, ran, total_max);
}

/* ucmd_crypto_cipher_chain(): several MiB in one call and in two, in place too. */
static void library(const struct t_path *p, int fd, const char *alg, size_t tail)
{
	size_t len = lib_len + tail, cut = lib_len / 2 + 4096;
	uint8_t key[16], iv0[16], iv[16], *in = malloc(len), *want = malloc(len),
					  *got = malloc(len);
	int id, tfm, r1, r2;

	if (!in || !want || !got)
		t_bail("out of memory");
	t_fill_random(key, sizeof(key), &seed);
	t_fill_random(iv0, sizeof(iv0), &seed);
	t_fill_random(in, len, &seed);
	id = t_crypto_session(p, fd, alg, UCRYPTO_TYPE_SKCIPHER, key, 16);
	tfm = t_afalg_tfm("skcipher", alg, key, 16);
	if (!t_afalg_cipher_stream(tfm, true, iv0, in, want, len))
		t_bail("%s: AF_ALG stream", alg);
	memcpy(iv, iv0, 16);
	r1 = ucmd_crypto_cipher_chain(p->ring, fd, (uint32_t)id, UCRYPTO_ENCRYPT, 0, in, got, len,
				      iv);
	t_ok(r1 == 0 && !memcmp(got, want, len),
	     "%s: %s: ucmd_crypto_cipher_chain() of %zu bytes (%d) equals AF_ALG", p->name, alg,
	     len, r1);
	memcpy(iv, iv0, 16);
	memcpy(got, in, len);
	r1 = ucmd_crypto_cipher_chain(p->ring, fd, (uint32_t)id, UCRYPTO_ENCRYPT, UCRYPTO_OP_IV_OUT,
				      got, got, cut, iv);
	r2 = ucmd_crypto_cipher_chain(p->ring, fd, (uint32_t)id, UCRYPTO_ENCRYPT, 0, got + cut,
				      got + cut, len - cut, iv);
	t_ok(r1 == 0 && r2 == 0 && !memcmp(got, want, len),
	     "%s: %s: in place, in two calls handing the IV on (%d, %d)", p->name, alg, r1, r2);
	memcpy(iv, iv0, 16);
	r1 = ucmd_crypto_cipher_chain(p->ring, fd, (uint32_t)id, UCRYPTO_DECRYPT, 0, want, got, len,
				      iv);
	t_ok(r1 == 0 && !memcmp(got, in, len), "%s: %s: and back (%d)", p->name, alg, r1);
	close(tfm);
	t_crypto_destroy(p, fd, (uint32_t)id);
	free(in);
	free(want);
	free(got);
}

/* xts: each piece is a data unit with its own IV, as one AF_ALG operation each. */
static void xts(const struct t_path *p, int fd)
{
	uint8_t key[32], iv[16], in[4096], got[4096], want[4096];
	int id, tfm, bad = 0;

	t_fill_random(key, sizeof(key), &seed);
	key[0] = (uint8_t)~key[16]; /* the halves must differ */
	id = t_crypto_session(p, fd, "xts(aes)", UCRYPTO_TYPE_SKCIPHER, key, 32);
	tfm = t_afalg_tfm("skcipher", "xts(aes)", key, 32);
	if (id <= 0 || tfm < 0) {
		t_skip("no xts(aes) here", "%s: xts pieces as data units", p->name);
		if (id > 0)
			t_crypto_destroy(p, fd, (uint32_t)id);
		if (tfm >= 0)
			close(tfm);
		return;
	}
	for (uint64_t unit = 0; unit < 8; unit++) {
		size_t n = 512;

		memset(iv, 0, sizeof(iv));
		memcpy(iv, &unit, sizeof(unit)); /* the sector number, as dm-crypt's plain64 */
		t_fill_random(in, n, &seed);
		if (t_afalg_crypt(tfm, true, iv, 16, 0, in, n, want, n) != (int)n ||
		    t_crypto_piece(p, fd, UCRYPTO_ENCRYPT, (uint32_t)id, 0, in, got, (uint32_t)n,
				   iv) != (int)n ||
		    memcmp(got, want, n))
			bad++;
	}
	t_ok(!bad, "%s: 8 xts sectors, each its own piece with its own IV, equal AF_ALG's",
	     p->name);
	close(tfm);
	t_crypto_destroy(p, fd, (uint32_t)id);
}

int main(void)
{
	struct t_path paths[T_NPATHS];
	int fd;

	t_init();
	fd = t_crypto_open();
	t_afalg_need("skcipher", "cbc(aes)");
	if (t_debug_kernel()) {
		total_max = 1U << 20;
		lib_len = 5U << 19;
		t_diag("a debug kernel: streams of up to %zu bytes, the library's %zu", total_max,
		       lib_len);
	}
	t_paths(paths);
	for (int i = 0; i < T_NPATHS; i++) {
		chained(&paths[i], fd, "cbc(aes)", 16);
		chained(&paths[i], fd, "ctr(aes)", 1);
		library(&paths[i], fd, "cbc(aes)", 0);
		library(&paths[i], fd, "ctr(aes)", 13);
		xts(&paths[i], fd);
	}
	t_paths_exit(paths);
	close(fd);
	return t_done();
}
