// SPDX-License-Identifier: GPL-2.0
/* ucrypto_sessions.c - /dev/ucrypto sessions: reported sizes and types, per-file ids and limit, destroy, close with sessions open. */
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

static const uint8_t key[32] = { 0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
				 0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c };

/* What SESSION_CREATE reports, with the type given and detected. */
static void describe(const struct t_path *p, int fd)
{
	static const struct {
		const char *alg;
		uint32_t type, klen, digest, iv, block, tag;
	} algs[] = {
		{ "sha256", UCRYPTO_TYPE_HASH, 0, 32, 0, 64, 0 },
		{ "sha1", UCRYPTO_TYPE_HASH, 0, 20, 0, 64, 0 },
		{ "crc32c", UCRYPTO_TYPE_HASH, 0, 4, 0, 1, 0 },
		{ "hmac(sha256)", UCRYPTO_TYPE_HASH, 16, 32, 0, 64, 0 },
		{ "cbc(aes)", UCRYPTO_TYPE_SKCIPHER, 16, 0, 16, 16, 0 },
		{ "ctr(aes)", UCRYPTO_TYPE_SKCIPHER, 24, 0, 16, 1, 0 },
		{ "xts(aes)", UCRYPTO_TYPE_SKCIPHER, 32, 0, 16, 16, 0 },
		{ "gcm(aes)", UCRYPTO_TYPE_AEAD, 32, 0, 12, 1, 16 },
	};

	for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
		for (int detect = 0; detect < 2; detect++) {
			char driver[UCRYPTO_NAME_MAX];
			struct ucrypto_session s = {
				.alg = (uintptr_t)algs[i].alg,
				.key = (uintptr_t)key,
				.key_len = algs[i].klen,
				.type = detect ? 0 : algs[i].type,
				.driver = (uintptr_t)driver,
				.id = 77,
				.digest_size = 77,
			};
			int id;

			memset(driver, 0x5a, sizeof(driver));
			id = t_crypto_call(p, fd, UCRYPTO_SESSION_CREATE, &s);
			if (id == -ENOENT) {
				t_skip("not in this kernel", "%s: %s", p->name, algs[i].alg);
				break;
			}
			t_ok(id > 0 && s.id == (uint32_t)id && s.type == algs[i].type &&
				     s.digest_size == algs[i].digest && s.iv_size == algs[i].iv &&
				     s.block_size == algs[i].block && s.tag_len == algs[i].tag &&
				     !(s.flags & UCRYPTO_SESSION_ASYNC),
			     "%s: %s%s: id %d type %u digest %u iv %u block %u tag %u flags 0x%x",
			     p->name, algs[i].alg, detect ? " (type detected)" : "", id, s.type,
			     s.digest_size, s.iv_size, s.block_size, s.tag_len, s.flags);
			t_ok(memchr(driver, 0, sizeof(driver)) && driver[0] && driver[0] != 0x5a,
			     "%s: %s implemented by \"%.*s\"", p->name, algs[i].alg,
			     (int)sizeof(driver), driver);
			if (id > 0)
				t_eq(t_crypto_destroy(p, fd, (uint32_t)id), 0, "%s: %s destroyed",
				     p->name, algs[i].alg);
		}
	}
}

/* UCRYPTO_MAX_SESSIONS per file, then -EMFILE; a destroy frees a slot; ids are not reused at once. */
static void limit(const struct t_path *p)
{
	int fd = t_crypto_open(), other = t_crypto_open(), ids[UCRYPTO_MAX_SESSIONS], id, ok = 1;
	uint8_t dg[32];

	for (int i = 0; i < UCRYPTO_MAX_SESSIONS; i++) {
		ids[i] = t_crypto_session(p, fd, i % 2 ? "sha1" : "sha256", UCRYPTO_TYPE_HASH, NULL,
					  0);
		for (int j = 0; j < i && ok; j++)
			if (ids[j] == ids[i])
				ok = 0;
		if (ids[i] <= 0)
			ok = 0;
	}
	t_ok(ok, "%s: %d sessions on one file, distinct ids > 0", p->name, UCRYPTO_MAX_SESSIONS);
	t_err(t_crypto_session(p, fd, "sha256", UCRYPTO_TYPE_HASH, NULL, 0), -EMFILE,
	      "%s: one more -> -EMFILE", p->name);
	id = t_crypto_session(p, other, "sha256", UCRYPTO_TYPE_HASH, NULL, 0);
	t_ok(id > 0, "%s: another file is not limited by this one (%d)", p->name, id);
	if (id != ids[3])
		t_err(t_crypto_hash(p, other, (uint32_t)ids[3], "abc", 3, dg), -ENOENT,
		      "%s: a session id of one file means nothing on another", p->name);
	t_eq(t_crypto_destroy(p, fd, (uint32_t)ids[5]), 0, "%s: destroy one", p->name);
	id = t_crypto_session(p, fd, "sha256", UCRYPTO_TYPE_HASH, NULL, 0);
	t_ok(id > 0 && id != ids[5], "%s: then a new one fits, with a fresh id (%d, was %d)",
	     p->name, id, ids[5]);
	t_err(t_crypto_hash(p, fd, (uint32_t)ids[5], "abc", 3, dg), -ENOENT,
	      "%s: the destroyed id stays invalid", p->name);
	t_eq(t_crypto_hash(p, fd, (uint32_t)ids[63], "abc", 3, dg), 20, "%s: the others still work",
	     p->name);
	/* Closing with 64 sessions open frees them (kmemleak checks, in the rig). */
	close(fd);
	close(other);
	fd = t_crypto_open();
	id = t_crypto_session(p, fd, "sha256", UCRYPTO_TYPE_HASH, NULL, 0);
	t_ok(id > 0, "%s: a file opened after closing that one starts empty (%d)", p->name, id);
	close(fd);
}

int main(void)
{
	struct t_path paths[T_NPATHS];
	struct stat st;
	int fd;

	t_init();
	fd = t_crypto_open();
	t_ok(stat(UCRYPTO_DEVICE, &st) == 0 && (st.st_mode & 0777) == 0666,
	     "%s is mode 0666, like AF_ALG open to every user (0%o)", UCRYPTO_DEVICE,
	     st.st_mode & 0777);
	t_paths(paths);
	for (int i = 0; i < T_NPATHS; i++) {
		describe(&paths[i], fd);
		limit(&paths[i]);
	}
	t_paths_exit(paths);
	return t_done();
}
