// SPDX-License-Identifier: GPL-2.0
/* ucrypto_vec.c - one UCMD_VEC runs many /dev/ucrypto operations with the same results as one at a time, failing entries alone. */
#include "helpers.h"

#define N 32

static int vec(const struct t_path *p, int fd, struct ucmd_vec_entry *e, uint32_t n)
{
	return p->ring ? ucmd_vec_call_uring(p->ring, fd, e, n) : ucmd_vec_call_ioctl(fd, e, n);
}

static void entry(struct ucmd_vec_entry *e, uint32_t cmd, void *arg)
{
	uint64_t ptr = (uintptr_t)arg;

	if (ucmd_vec_entry_init(e, cmd, &ptr, sizeof(ptr)))
		t_bail("ucmd_vec_entry_init");
	e->result = 0x5a5a5a5a;
}

/* 32 crc32c digests of 64-byte messages in one command. */
static void batch_hash(const struct t_path *p, int fd, uint64_t *seed)
{
	static uint8_t msg[N][64], got[N][4], want[N][4];
	struct ucmd_vec_entry e[N];
	struct ucrypto_op op[N];
	int id = t_crypto_session(p, fd, "crc32c", UCRYPTO_TYPE_HASH, NULL, 0), ret, bad = 0;

	if (id == -ENOENT) {
		t_skip("crc32c not in this kernel", "%s: batch of crc32c", p->name);
		return;
	}
	t_fill_random(msg, sizeof(msg), seed);
	for (int i = 0; i < N; i++) {
		if (t_crypto_hash(p, fd, (uint32_t)id, msg[i], 64, want[i]) != 4)
			bad++;
		op[i] = (struct ucrypto_op){ .session = (uint32_t)id,
					     .src = (uintptr_t)msg[i],
					     .dst = (uintptr_t)got[i],
					     .len = 64 };
		entry(&e[i], UCRYPTO_HASH, &op[i]);
	}
	memset(got, 0, sizeof(got));
	ret = vec(p, fd, e, N);
	t_eq(ret, N, "%s: a vector of %d crc32c digests ran whole", p->name, N);
	for (int i = 0; i < N; i++)
		if (e[i].result != 4 || memcmp(got[i], want[i], 4))
			bad++;
	t_ok(!bad, "%s: each entry's result is 4 and its digest the single-op one", p->name);
	t_crypto_destroy(p, fd, (uint32_t)id);
}

/* Hashes, ciphers and AEAD mixed, with failing entries between them. */
static void batch_mixed(const struct t_path *p, int fd, uint64_t *seed)
{
	uint8_t key[16], iv[16], pt[256], ct1[256], ct2[256], dg1[32], dg2[32], tag1[16], tag2[16];
	uint8_t out[256];
	struct ucmd_vec_entry e[6];
	struct ucrypto_op op[5];
	int h = t_crypto_session(p, fd, "sha256", UCRYPTO_TYPE_HASH, NULL, 0);
	int c, g;

	t_fill_random(key, sizeof(key), seed);
	t_fill_random(iv, sizeof(iv), seed);
	t_fill_random(pt, sizeof(pt), seed);
	c = t_crypto_session(p, fd, "ctr(aes)", UCRYPTO_TYPE_SKCIPHER, key, 16);
	g = t_crypto_session(p, fd, "gcm(aes)", UCRYPTO_TYPE_AEAD, key, 16);
	if (c == -ENOENT || g == -ENOENT) {
		t_skip("ctr(aes) or gcm(aes) not in this kernel", "%s: mixed batch", p->name);
		goto out;
	}
	t_crypto_hash(p, fd, (uint32_t)h, pt, sizeof(pt), dg1);
	t_crypto_cipher(p, fd, UCRYPTO_ENCRYPT, (uint32_t)c, pt, ct1, sizeof(pt), iv, NULL, 0,
			NULL);
	t_crypto_cipher(p, fd, UCRYPTO_ENCRYPT, (uint32_t)g, pt, out, 100, iv, pt + 100, 20, tag1);

	op[0] = (struct ucrypto_op){ .session = (uint32_t)h,
				     .src = (uintptr_t)pt,
				     .dst = (uintptr_t)dg2,
				     .len = sizeof(pt) };
	op[1] = (struct ucrypto_op){
		.session = 4242, .src = (uintptr_t)pt, .dst = (uintptr_t)dg2, .len = 1
	};
	op[2] = (struct ucrypto_op){ .session = (uint32_t)c,
				     .src = (uintptr_t)pt,
				     .dst = (uintptr_t)ct2,
				     .iv = (uintptr_t)iv,
				     .len = sizeof(pt) };
	op[3] = (struct ucrypto_op){
		.session = (uint32_t)h, .src = 16, .dst = (uintptr_t)dg2, .len = 1
	};
	op[4] = (struct ucrypto_op){ .session = (uint32_t)g,
				     .src = (uintptr_t)pt,
				     .dst = (uintptr_t)ct2 + 128,
				     .iv = (uintptr_t)iv,
				     .aad = (uintptr_t)pt + 100,
				     .aad_len = 20,
				     .tag = (uintptr_t)tag2,
				     .len = 100 };
	memset(ct2, 0, sizeof(ct2));
	entry(&e[0], UCRYPTO_HASH, &op[0]);
	entry(&e[1], UCRYPTO_HASH, &op[1]);
	entry(&e[2], UCRYPTO_ENCRYPT, &op[2]);
	entry(&e[3], UCRYPTO_HASH, &op[3]);
	entry(&e[4], UCRYPTO_ENCRYPT, &op[4]);
	entry(&e[5], UCRYPTO_ENCRYPT, (void *)16);
	t_eq(vec(p, fd, e, 6), 6, "%s: a mixed vector of 6 ran whole", p->name);
	t_ok(e[0].result == 32 && !memcmp(dg1, dg2, 32), "%s: entry 0 sha256 (%d)", p->name,
	     e[0].result);
	t_err(e[1].result, -ENOENT, "%s: entry 1 unknown session", p->name);
	/* ct2[128..] is overwritten by entry 4 below; compare the CTR part before it. */
	t_ok(e[2].result == 256 && !memcmp(ct1, ct2, 128), "%s: entry 2 ctr(aes) (%d)", p->name,
	     e[2].result);
	t_err(e[3].result, -EFAULT, "%s: entry 3 unmapped input", p->name);
	t_ok(e[4].result == 100 && !memcmp(ct2 + 128, out, 100) && !memcmp(tag1, tag2, 16),
	     "%s: entry 4 gcm(aes) with AAD and tag (%d)", p->name, e[4].result);
	t_err(e[5].result, -EFAULT, "%s: entry 5 unmapped op struct", p->name);
out:
	if (h > 0)
		t_crypto_destroy(p, fd, (uint32_t)h);
	if (c > 0)
		t_crypto_destroy(p, fd, (uint32_t)c);
	if (g > 0)
		t_crypto_destroy(p, fd, (uint32_t)g);
}

/* Session management runs inside a vector too. */
static void batch_sessions(const struct t_path *p, int fd)
{
	struct ucrypto_session s = { .alg = (uintptr_t) "sha1", .type = UCRYPTO_TYPE_HASH };
	struct ucmd_vec_entry e[3];
	uint8_t dg[20];
	struct ucrypto_op op = { .src = (uintptr_t) "abc", .dst = (uintptr_t)dg, .len = 3 };
	uint32_t id;

	entry(&e[0], UCRYPTO_SESSION_CREATE, &s);
	t_eq(vec(p, fd, e, 1), 1, "%s: SESSION_CREATE in a vector", p->name);
	t_ok(e[0].result > 0 && (uint32_t)e[0].result == s.id, "%s: its result is the id (%d)",
	     p->name, e[0].result);
	id = s.id;
	op.session = id;
	entry(&e[0], UCRYPTO_HASH, &op);
	if (ucmd_vec_entry_init(&e[1], UCRYPTO_SESSION_DESTROY, &id, sizeof(id)))
		t_bail("ucmd_vec_entry_init");
	entry(&e[2], UCRYPTO_HASH, &op);
	t_eq(vec(p, fd, e, 3), 3, "%s: hash, destroy, hash in a vector", p->name);
	t_ok(e[0].result == 20 && dg[0] == 0xa9 && e[1].result == 0 && e[2].result == -ENOENT,
	     "%s: they run in order: 20, 0, -ENOENT (%d %d %d)", p->name, e[0].result, e[1].result,
	     e[2].result);
}

int main(void)
{
	struct t_path paths[T_NPATHS];
	uint64_t seed = 0x766563;
	int fd;

	t_init();
	fd = t_crypto_open();
	t_paths(paths);
	for (int i = 0; i < T_NPATHS; i++) {
		batch_hash(&paths[i], fd, &seed);
		batch_mixed(&paths[i], fd, &seed);
		batch_sessions(&paths[i], fd);
	}
	t_paths_exit(paths);
	return t_done();
}
