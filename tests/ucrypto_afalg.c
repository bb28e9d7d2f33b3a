// SPDX-License-Identifier: GPL-2.0
/* ucrypto_afalg.c - /dev/ucrypto matches AF_ALG byte for byte on random keys, IVs, inputs and sizes, over ioctl and io_uring. */
#include <sys/socket.h>
#include <unistd.h>

#include "helpers.h"

/*
 * The reference is AF_ALG through its socket interface, the same kernel
 * implementations reached another way.  AF_ALG queues cipher input in the
 * socket's send buffer, so ciphers are compared up to AFALG_MAX bytes per
 * call; longer CTR inputs are compared piecewise (the counter is advanced
 * here).
 */
#define AFALG_MAX 65536
#define ROUNDS 40

static uint64_t seed = 0x75637279707430ULL;

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		t_bail("out of memory");
	return p;
}

/* Sizes: mostly small and odd, some around block and page edges, a few large. */
static size_t pick_len(size_t max, size_t unit)
{
	return t_rand_len(&seed, max + 1, 2048, max, unit);
}

static const struct t_path *path_of(const struct t_path *paths, int round)
{
	return &paths[round % T_NPATHS];
}

static void hashes(const struct t_path *paths, int fd)
{
	static const struct {
		const char *alg;
		bool keyed;
	} algs[] = {
		{ "sha256", false },
		{ "sha1", false },
		{ "crc32c", false },
		{ "hmac(sha256)", true },
	};

	for (size_t a = 0; a < sizeof(algs) / sizeof(algs[0]); a++) {
		int bad = 0, ran = 0;

		for (int r = 0; r < ROUNDS; r++) {
			const struct t_path *p = path_of(paths, r);
			size_t klen = algs[a].keyed ? 1 + t_rand(&seed, 100) : 0;
			size_t len = pick_len(1 << 20, 1);
			uint8_t key[128], want[64], got[64];
			uint8_t *msg = xmalloc(len);
			int tfm, id, w, g;

			t_fill_random(key, klen, &seed);
			t_fill_random(msg, len, &seed);
			tfm = t_afalg_tfm("hash", algs[a].alg, key, klen);
			if (tfm < 0) {
				free(msg);
				if (r == 0)
					t_skip("not available through AF_ALG here", "%s: hash %s",
					       strerror(-tfm), algs[a].alg);
				break;
			}
			id = t_crypto_session(p, fd, algs[a].alg, UCRYPTO_TYPE_HASH, key,
					      (uint32_t)klen);
			w = t_afalg_hash(tfm, msg, len, want, sizeof(want));
			g = id > 0 ? t_crypto_hash(p, fd, (uint32_t)id, msg, (uint32_t)len, got) :
				     id;
			if (w <= 0 || g != w || memcmp(want, got, (size_t)w)) {
				bad++;
				t_diag("%s %s: len %zu key %zu: ucrypto %d, AF_ALG %d", p->name,
				       algs[a].alg, len, klen, g, w);
			}
			ran++;
			if (id > 0)
				t_crypto_destroy(p, fd, (uint32_t)id);
			close(tfm);
			free(msg);
		}
		if (ran)
			t_ok(!bad, "%s: %d random inputs (0 to 1 MiB) digest as through AF_ALG",
			     algs[a].alg, ran);
	}
}

struct cipher {
	const char *alg;
	size_t unit; /* input length granularity */
	size_t min; /* smallest input */
	const size_t *keys; /* key sizes, 0-terminated */
};

static const size_t aes_keys[] = { 16, 24, 32, 0 };
static const size_t xts_keys[] = { 32, 64, 0 };

static const struct cipher ciphers_list[] = {
	{ "cbc(aes)", 16, 0, aes_keys },
	{ "ctr(aes)", 1, 0, aes_keys },
	{ "xts(aes)", 1, 16, xts_keys },
};

static void ciphers(const struct t_path *paths, int fd)
{
	for (size_t a = 0; a < sizeof(ciphers_list) / sizeof(ciphers_list[0]); a++) {
		const struct cipher *c = &ciphers_list[a];
		int bad = 0, ran = 0;

		for (int r = 0; r < ROUNDS; r++) {
			const struct t_path *p = path_of(paths, r);
			size_t nk = 0, klen, len = pick_len(AFALG_MAX, c->unit);
			uint8_t key[64], iv[16], *in, *want, *got;
			bool enc = r % 2 == 0;
			int tfm, id, w, g;

			while (c->keys[nk])
				nk++;
			klen = c->keys[t_rand(&seed, nk)];
			if (len < c->min)
				len = c->min;
			t_fill_random(key, klen, &seed);
			if (!strcmp(c->alg, "xts(aes)")) /* the halves must differ */
				key[0] = (uint8_t)~key[klen / 2];
			t_fill_random(iv, sizeof(iv), &seed);
			tfm = t_afalg_tfm("skcipher", c->alg, key, klen);
			if (tfm < 0) {
				if (r == 0)
					t_skip("not available through AF_ALG here", "%s: %s",
					       strerror(-tfm), c->alg);
				break;
			}
			in = xmalloc(len);
			want = xmalloc(len);
			got = xmalloc(len);
			t_fill_random(in, len, &seed);
			id = t_crypto_session(p, fd, c->alg, UCRYPTO_TYPE_SKCIPHER, key,
					      (uint32_t)klen);
			w = t_afalg_crypt(tfm, enc, iv, sizeof(iv), 0, in, len, want, len);
			g = id > 0 ? t_crypto_cipher(p, fd, enc ? UCRYPTO_ENCRYPT : UCRYPTO_DECRYPT,
						     (uint32_t)id, in, got, (uint32_t)len, iv, NULL,
						     0, NULL) :
				     id;
			if (g != w || w != (int)len || memcmp(want, got, len)) {
				bad++;
				t_diag("%s %s %s: len %zu key %zu: ucrypto %d, AF_ALG %d", p->name,
				       c->alg, enc ? "enc" : "dec", len, klen, g, w);
			}
			ran++;
			if (id > 0)
				t_crypto_destroy(p, fd, (uint32_t)id);
			close(tfm);
			free(in);
			free(want);
			free(got);
		}
		if (ran)
			t_ok(!bad, "%s: %d random inputs (0 to 64 KiB) as through AF_ALG", c->alg,
			     ran);
	}
}

/* Adds @n to the 128-bit big-endian counter @ctr. */
static void ctr_add(uint8_t ctr[16], uint64_t n)
{
	for (int i = 15; i >= 0 && n; i--) {
		uint64_t s = ctr[i] + (n & 0xff);

		ctr[i] = (uint8_t)s;
		n = (n >> 8) + (s >> 8);
	}
}

/*
 * Long inputs against AF_ALG in pieces: out of place and in place (the
 * user's pages, pinned), and with the output overlapping the input by one
 * byte (a vmalloc'ed bounce buffer beyond 64 KiB).
 */
static void ctr_large(const struct t_path *paths, int fd)
{
	static const size_t sizes[] = { 65537, 200000, 1 << 20 };
	static const char *const how[] = { "out of place", "in place", "overlapping" };
	uint8_t key[32], iv[16], ctr[16];
	int tfm;

	t_fill_random(key, sizeof(key), &seed);
	t_fill_random(iv, sizeof(iv), &seed);
	iv[8] = 0xff; /* a carry out of the low 64 bits on the way */
	tfm = t_afalg_tfm("skcipher", "ctr(aes)", key, sizeof(key));
	if (tfm < 0) {
		t_skip("not available through AF_ALG here", "%s: ctr(aes) large", strerror(-tfm));
		return;
	}
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t len = sizes[i];
		uint8_t *in = xmalloc(len), *want = xmalloc(len), *buf = xmalloc(len + 1);
		int bad = 0;

		t_fill_random(in, len, &seed);
		memcpy(ctr, iv, sizeof(ctr));
		for (size_t off = 0; off < len; off += AFALG_MAX) {
			size_t n = len - off < AFALG_MAX ? len - off : AFALG_MAX;

			if (t_afalg_crypt(tfm, true, ctr, 16, 0, in + off, n, want + off, n) !=
			    (int)n)
				bad++;
			ctr_add(ctr, AFALG_MAX / 16);
		}
		for (int m = 0; m < 3; m++) {
			const struct t_path *p = path_of(paths, (int)i + m);
			int id = t_crypto_session(p, fd, "ctr(aes)", UCRYPTO_TYPE_SKCIPHER, key,
						  sizeof(key));
			uint8_t *src = buf, *dst = m == 0 ? xmalloc(len) : m == 1 ? buf : buf + 1;
			int g = -1;

			memcpy(src, in, len);
			if (id > 0)
				g = t_crypto_cipher(p, fd, UCRYPTO_ENCRYPT, (uint32_t)id, src, dst,
						    (uint32_t)len, iv, NULL, 0, NULL);
			t_ok(g == (int)len && !bad && !memcmp(want, dst, len),
			     "%s: ctr(aes) over %zu bytes %s as through AF_ALG (%d)", p->name, len,
			     how[m], g);
			if (id > 0)
				t_crypto_destroy(p, fd, (uint32_t)id);
			if (m == 0)
				free(dst);
		}
		free(in);
		free(want);
		free(buf);
	}
	close(tfm);
}

static void aeads(const struct t_path *paths, int fd)
{
	int bad = 0, ran = 0;

	for (int r = 0; r < ROUNDS; r++) {
		const struct t_path *p = path_of(paths, r);
		size_t klen = aes_keys[t_rand(&seed, 3)], alen = pick_len(512, 1);
		size_t len = pick_len(AFALG_MAX - 1024, 1), taglen = 4 + 4 * t_rand(&seed, 4);
		uint8_t key[32], iv[12], *in, *ref, *got, tag[16];
		int tfm, id, w, g, d;

		if (taglen == 16 || r % 3)
			taglen = 16;
		t_fill_random(key, klen, &seed);
		t_fill_random(iv, sizeof(iv), &seed);
		tfm = t_afalg_aead_tfm("gcm(aes)", key, klen, (unsigned int)taglen);
		if (tfm < 0) {
			if (r == 0)
				t_skip("not available through AF_ALG here", "%s: gcm(aes)",
				       strerror(-tfm));
			return;
		}
		/* AF_ALG: in = AAD || PT, out = AAD || CT || TAG. */
		in = xmalloc(alen + len + 16);
		ref = xmalloc(alen + len + 16);
		got = xmalloc(len + 1);
		t_fill_random(in, alen + len, &seed);
		id = t_crypto_session_ex(p, fd, "gcm(aes)", UCRYPTO_TYPE_AEAD, key, (uint32_t)klen,
					 0, (uint32_t)taglen, NULL);
		w = t_afalg_crypt(tfm, true, iv, sizeof(iv), alen, in, alen + len, ref,
				  alen + len + taglen);
		g = id > 0 ? t_crypto_cipher(p, fd, UCRYPTO_ENCRYPT, (uint32_t)id, in + alen, got,
					     (uint32_t)len, iv, in, (uint32_t)alen, tag) :
			     id;
		if (w != (int)(alen + len + taglen) || g != (int)len ||
		    memcmp(ref + alen, got, len) || memcmp(ref + alen + len, tag, taglen)) {
			bad++;
			t_diag("%s gcm(aes) enc: len %zu aad %zu tag %zu key %zu: ucrypto %d, AF_ALG %d",
			       p->name, len, alen, taglen, klen, g, w);
		}
		/* And back: decrypting AF_ALG's output gives the plaintext. */
		memset(got, 0, len + 1);
		d = id > 0 ? t_crypto_cipher(p, fd, UCRYPTO_DECRYPT, (uint32_t)id, ref + alen, got,
					     (uint32_t)len, iv, in, (uint32_t)alen,
					     ref + alen + len) :
			     id;
		if (d != (int)len || memcmp(got, in + alen, len)) {
			bad++;
			t_diag("%s gcm(aes) dec: len %zu aad %zu tag %zu: ucrypto %d", p->name, len,
			       alen, taglen, d);
		}
		ran++;
		if (id > 0)
			t_crypto_destroy(p, fd, (uint32_t)id);
		close(tfm);
		free(in);
		free(ref);
		free(got);
	}
	t_ok(!bad, "gcm(aes): %d random keys, AAD, inputs and tag lengths as through AF_ALG", ran);
}

int main(void)
{
	struct t_path paths[T_NPATHS];
	const char *s = getenv("UCRYPTO_SEED");
	int fd, probe;

	t_init();
	fd = t_crypto_open();
	probe = socket(AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (probe < 0)
		t_skip_all("AF_ALG sockets: %s (af_alg not loaded?)", strerror(errno));
	close(probe);
	if (s)
		seed = strtoull(s, NULL, 0);
	t_diag("seed 0x%llx (set UCRYPTO_SEED to repeat)", (unsigned long long)seed);
	t_paths(paths);
	hashes(paths, fd);
	ciphers(paths, fd);
	ctr_large(paths, fd);
	aeads(paths, fd);
	t_paths_exit(paths);
	return t_done();
}
