// SPDX-License-Identifier: GPL-2.0
/* ucrypto_stream.c - hash streams in random pieces (INIT, UPDATE, FINAL) equal AF_ALG's MSG_MORE streams, for sha256, hmac(sha256) and crc32c, over ioctl and io_uring. */
#include "helpers.h"

#define ROUNDS 3
#define TOTAL_MAX (3U << 20)

static uint64_t seed = 0x73747265616d31ULL;

static const struct {
	const char *alg;
	size_t klen;
} algs[] = {
	{ "sha256", 0 },
	{ "hmac(sha256)", 32 },
	{ "crc32c", 0 },
};

/*
 * One stream of @len bytes of @msg in random pieces, through ucrypto (session @id) and an
 * AF_ALG operation socket @op side by side; false if a piece failed (reported).
 */
static bool stream(const struct t_path *p, int fd, int id, int op, const uint8_t *msg, size_t len,
		   uint8_t *got, uint8_t *want, int dsize)
{
	size_t off = 0, pieces = 0;
	uint32_t flags = UCRYPTO_OP_INIT;

	for (;;) {
		size_t n = t_stream_piece_len(&seed, len - off, 1);
		bool last = off + n == len && t_rand(&seed, 3);
		uint32_t f = last ? (flags & UCRYPTO_OP_INIT) | UCRYPTO_OP_FINAL : flags;
		int ret = t_crypto_piece(p, fd, UCRYPTO_HASH, (uint32_t)id, f, msg + off,
					 last ? got : NULL, (uint32_t)n, NULL);

		if (ret != (last ? dsize : (int)n))
			return t_eq(ret, last ? dsize : (int)n,
				    "%s: piece %zu (%zu bytes, flags %#x)", p->name, pieces, n, f);
		if (t_afalg_send(op, msg + off, n, !last, -1, NULL, 0))
			return t_ok(false, "%s: AF_ALG send: %s", p->name, strerror(errno));
		off += n;
		pieces++;
		flags = UCRYPTO_OP_UPDATE;
		if (last)
			break;
	}
	return t_eq(t_afalg_read(op, want, (size_t)dsize), dsize, "%s: AF_ALG digest", p->name);
}

static void random_streams(const struct t_path *p, int fd)
{
	for (size_t a = 0; a < sizeof(algs) / sizeof(algs[0]); a++) {
		struct ucrypto_session s;
		uint8_t key[64], got[64], want[64];
		int id, tfm, bad = 0, ran = 0;

		t_fill_random(key, algs[a].klen, &seed);
		id = t_crypto_session_ex(p, fd, algs[a].alg, UCRYPTO_TYPE_HASH, key,
					 (uint32_t)algs[a].klen, 0, 0, &s);
		tfm = t_afalg_tfm("hash", algs[a].alg, key, algs[a].klen);
		if (id == -ENOENT || tfm < 0) {
			t_skip("not in this kernel", "%s: %s streams", p->name, algs[a].alg);
			if (id > 0)
				t_crypto_destroy(p, fd, (uint32_t)id);
			if (tfm >= 0)
				close(tfm);
			continue;
		}
		t_ok(id > 0 && (s.flags & UCRYPTO_SESSION_STREAM), "%s: %s session streams",
		     p->name, algs[a].alg);
		for (int r = 0; r < ROUNDS && id > 0; r++) {
			size_t len = (size_t)t_rand(&seed, TOTAL_MAX);
			uint8_t *msg = malloc(len + 1);
			int op = t_afalg_op(tfm);

			if (!msg || op < 0)
				t_bail("out of memory or AF_ALG accept");
			t_fill_random(msg, len, &seed);
			memset(got, 0, sizeof(got));
			if (!stream(p, fd, id, op, msg, len, got, want, (int)s.digest_size) ||
			    memcmp(got, want, s.digest_size))
				bad++;
			ran++;
			close(op);
			free(msg);
		}
		t_ok(ran == ROUNDS && !bad,
		     "%s: %s: %d random streams of up to %u bytes equal AF_ALG's", p->name,
		     algs[a].alg, ran, TOTAL_MAX);
		close(tfm);
		t_crypto_destroy(p, fd, (uint32_t)id);
	}
}

/* Two streams on two sessions, their pieces interleaved: neither sees the other's bytes. */
static void interleaved(const struct t_path *p, int fd)
{
	static uint8_t a[200000], b[300000];
	uint8_t da[32], db[32], wa[32], wb[32];
	int ia = t_crypto_session(p, fd, "sha256", UCRYPTO_TYPE_HASH, NULL, 0);
	int ib = t_crypto_session(p, fd, "sha256", UCRYPTO_TYPE_HASH, NULL, 0);
	size_t step = 10000;
	int ok = 1;

	t_fill_random(a, sizeof(a), &seed);
	t_fill_random(b, sizeof(b), &seed);
	ok &= t_crypto_piece(p, fd, UCRYPTO_HASH, (uint32_t)ia, UCRYPTO_OP_INIT, a, NULL, 0,
			     NULL) == 0;
	ok &= t_crypto_piece(p, fd, UCRYPTO_HASH, (uint32_t)ib, UCRYPTO_OP_INIT, b, NULL, 0,
			     NULL) == 0;
	for (size_t off = 0; off < sizeof(b); off += step) {
		if (off < sizeof(a))
			ok &= t_crypto_piece(p, fd, UCRYPTO_HASH, (uint32_t)ia, UCRYPTO_OP_UPDATE,
					     a + off, NULL, (uint32_t)step, NULL) == (int)step;
		ok &= t_crypto_piece(p, fd, UCRYPTO_HASH, (uint32_t)ib, UCRYPTO_OP_UPDATE, b + off,
				     NULL, (uint32_t)step, NULL) == (int)step;
	}
	ok &= t_crypto_piece(p, fd, UCRYPTO_HASH, (uint32_t)ia, UCRYPTO_OP_FINAL, a, da, 0, NULL) ==
	      32;
	ok &= t_crypto_piece(p, fd, UCRYPTO_HASH, (uint32_t)ib, UCRYPTO_OP_FINAL, b, db, 0, NULL) ==
	      32;
	ok &= t_crypto_hash(p, fd, (uint32_t)ia, a, sizeof(a), wa) == 32;
	ok &= t_crypto_hash(p, fd, (uint32_t)ib, b, sizeof(b), wb) == 32;
	t_ok(ok && !memcmp(da, wa, 32) && !memcmp(db, wb, 32),
	     "%s: two sessions' streams interleaved give each its one-shot digest", p->name);
	t_crypto_destroy(p, fd, (uint32_t)ia);
	t_crypto_destroy(p, fd, (uint32_t)ib);
}

/* libucmd's ucmd_crypto_hash_update(): 5 MiB and more in two calls, pieces linked on a ring. */
static void library(const struct t_path *p, int fd)
{
	size_t len = (5U << 20) + 12345, half = len / 2 + 7;
	uint8_t *msg = malloc(len), got[32], want[32];
	int id = t_crypto_session(p, fd, "sha256", UCRYPTO_TYPE_HASH, NULL, 0);
	int tfm = t_afalg_tfm("hash", "sha256", NULL, 0), r1, r2;

	if (!msg || tfm < 0)
		t_bail("out of memory or AF_ALG sha256");
	t_fill_random(msg, len, &seed);
	r1 = ucmd_crypto_hash_update(p->ring, fd, (uint32_t)id, UCRYPTO_OP_INIT, msg, half, NULL);
	r2 = ucmd_crypto_hash_update(p->ring, fd, (uint32_t)id, UCRYPTO_OP_FINAL, msg + half,
				     len - half, got);
	t_eq(t_afalg_hash(tfm, msg, len, want, sizeof(want)), 32, "%s: AF_ALG digest of %zu bytes",
	     p->name, len);
	t_ok(r1 == 0 && r2 == 32 && !memcmp(got, want, 32),
	     "%s: ucmd_crypto_hash_update() of %zu bytes in two calls (%d, %d) equals AF_ALG",
	     p->name, len, r1, r2);
	r1 = ucmd_crypto_hash_update(p->ring, fd, (uint32_t)id, UCRYPTO_OP_INIT | UCRYPTO_OP_FINAL,
				     msg, 0, got);
	t_eq(r1, 32, "%s: ucmd_crypto_hash_update() of nothing, INIT | FINAL", p->name);
	close(tfm);
	free(msg);
	t_crypto_destroy(p, fd, (uint32_t)id);
}

int main(void)
{
	static t_crypto_case *const cases[] = { random_streams, interleaved, library, NULL };
	int fd;

	t_init();
	fd = t_crypto_open();
	t_afalg_need("hash", "sha256");
	t_crypto_cases(fd, cases);
	close(fd);
	return t_done();
}
