// SPDX-License-Identifier: GPL-2.0
/* ucrypto_errors.c - /dev/ucrypto refuses bad algorithms, keys, sessions, sizes and pointers with the documented errno and writes nothing. */
#include <sys/mman.h>
#include <unistd.h>

#include "helpers.h"

static uint8_t key16[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
static uint8_t key64[64];

static void sessions(const struct t_path *p, int fd, void *unmapped)
{
	char longname[UCRYPTO_NAME_MAX + 8];
	struct ucrypto_session s;
	int id;

	t_err(t_crypto_session(p, fd, "nosuchalg", 0, NULL, 0), -ENOENT,
	      "%s: unknown algorithm -> -ENOENT", p->name);
	t_err(t_crypto_session(p, fd, "nosuchalg", UCRYPTO_TYPE_SKCIPHER, key16, 16), -ENOENT,
	      "%s: unknown skcipher -> -ENOENT", p->name);
	t_err(t_crypto_session(p, fd, "sha256", UCRYPTO_TYPE_SKCIPHER, key16, 16), -ENOENT,
	      "%s: a hash asked for as skcipher -> -ENOENT", p->name);
	t_err(t_crypto_session(p, fd, "cbc(aes)", UCRYPTO_TYPE_AEAD, key16, 16), -ENOENT,
	      "%s: a skcipher asked for as AEAD -> -ENOENT", p->name);
	t_err(t_crypto_session(p, fd, "cbc(aes)", UCRYPTO_TYPE_SKCIPHER, key16, 15), -EINVAL,
	      "%s: cbc(aes) with a 15-byte key -> -EINVAL", p->name);
	t_err(t_crypto_session(p, fd, "cbc(aes)", UCRYPTO_TYPE_SKCIPHER, NULL, 0), -EINVAL,
	      "%s: cbc(aes) without key -> -EINVAL", p->name);
	if (t_crypto_have_alg(fd, "xts(aes)", UCRYPTO_TYPE_SKCIPHER, key64, 32))
		t_err(t_crypto_session(p, fd, "xts(aes)", UCRYPTO_TYPE_SKCIPHER, key16, 16),
		      -EINVAL, "%s: xts(aes) with a 16-byte key -> -EINVAL", p->name);
	if (t_crypto_have_alg(fd, "gcm(aes)", UCRYPTO_TYPE_AEAD, key16, 16)) {
		t_err(t_crypto_session(p, fd, "gcm(aes)", UCRYPTO_TYPE_AEAD, key16, 17), -EINVAL,
		      "%s: gcm(aes) with a 17-byte key -> -EINVAL", p->name);
		t_err(t_crypto_session_ex(p, fd, "gcm(aes)", UCRYPTO_TYPE_AEAD, key16, 16, 0, 3,
					  NULL),
		      -EINVAL, "%s: gcm(aes) with a 3-byte tag -> -EINVAL", p->name);
		id = t_crypto_session_ex(p, fd, "gcm(aes)", UCRYPTO_TYPE_AEAD, key16, 16, 0, 12,
					 &s);
		t_ok(id > 0 && s.tag_len == 12, "%s: gcm(aes) with a 12-byte tag (%d, %u)", p->name,
		     id, s.tag_len);
		if (id > 0)
			t_crypto_destroy(p, fd, (uint32_t)id);
	}
	t_err(t_crypto_session(p, fd, "sha256", UCRYPTO_TYPE_HASH, key16, 16), -EINVAL,
	      "%s: sha256 with a key -> -EINVAL", p->name);
	t_err(t_crypto_session(p, fd, "hmac(sha256)", UCRYPTO_TYPE_HASH, NULL, 0), -ENOKEY,
	      "%s: hmac(sha256) without key -> -ENOKEY", p->name);
	t_err(t_crypto_session(p, fd, "hmac(sha256)", UCRYPTO_TYPE_HASH, key64,
			       UCRYPTO_MAX_KEY_SIZE + 1),
	      -EINVAL, "%s: a key over UCRYPTO_MAX_KEY_SIZE -> -EINVAL", p->name);
	t_err(t_crypto_session_ex(p, fd, "sha256", UCRYPTO_TYPE_HASH, NULL, 0, 1U << 5, 0, NULL),
	      -EINVAL, "%s: unknown session flag -> -EINVAL", p->name);
	t_err(t_crypto_session_ex(p, fd, "sha256", UCRYPTO_TYPE_HASH, NULL, 0,
				  UCRYPTO_SESSION_ASYNC, 0, NULL),
	      -EINVAL, "%s: the output-only ASYNC flag as input -> -EINVAL", p->name);
	t_err(t_crypto_session(p, fd, "sha256", 4, NULL, 0), -EINVAL, "%s: type 4 -> -EINVAL",
	      p->name);
	t_err(t_crypto_session_ex(p, fd, "sha256", UCRYPTO_TYPE_HASH, NULL, 0, 0, 16, NULL),
	      -EINVAL, "%s: a tag length for a hash -> -EINVAL", p->name);
	t_err(t_crypto_session(p, fd, "", 0, NULL, 0), -EINVAL, "%s: empty name -> -EINVAL",
	      p->name);
	memset(longname, 'a', sizeof(longname));
	longname[sizeof(longname) - 1] = 0;
	t_err(t_crypto_session(p, fd, longname, 0, NULL, 0), -ENAMETOOLONG,
	      "%s: a name without NUL in 128 bytes -> -ENAMETOOLONG", p->name);
	t_err(t_crypto_session(p, fd, unmapped, 0, NULL, 0), -EFAULT,
	      "%s: unmapped name -> -EFAULT", p->name);
	t_err(t_crypto_session(p, fd, "cbc(aes)", UCRYPTO_TYPE_SKCIPHER, unmapped, 16), -EFAULT,
	      "%s: unmapped key -> -EFAULT", p->name);
	t_err(t_crypto_call(p, fd, UCRYPTO_SESSION_CREATE, unmapped), -EFAULT,
	      "%s: unmapped session struct -> -EFAULT", p->name);
	{
		struct ucrypto_session bad = { .alg = (uintptr_t) "sha256",
					       .driver = (uintptr_t)unmapped };

		t_err(t_crypto_call(p, fd, UCRYPTO_SESSION_CREATE, &bad), -EFAULT,
		      "%s: unmapped driver-name buffer -> -EFAULT", p->name);
	}
	t_err(t_crypto_destroy(p, fd, 0), -ENOENT, "%s: destroy session 0 -> -ENOENT", p->name);
	t_err(t_crypto_destroy(p, fd, 123456), -ENOENT, "%s: destroy an unknown session -> -ENOENT",
	      p->name);
}

static void ops(const struct t_path *p, int fd, uint8_t *big, uint8_t *unmapped, uint8_t *edge)
{
	uint8_t buf[64], out[64], iv[16] = { 0 }, tag[16];
	int h = t_crypto_session(p, fd, "sha256", UCRYPTO_TYPE_HASH, NULL, 0);
	int c = t_crypto_session(p, fd, "cbc(aes)", UCRYPTO_TYPE_SKCIPHER, key16, 16);
	int g = t_crypto_session(p, fd, "gcm(aes)", UCRYPTO_TYPE_AEAD, key16, 16);
	int x = t_crypto_session(p, fd, "xts(aes)", UCRYPTO_TYPE_SKCIPHER, key64, 32);
	struct ucrypto_op op;

	if (!t_ok(h > 0 && c > 0, "%s: sha256 and cbc(aes) sessions (%d %d)", p->name, h, c))
		return;
	memset(buf, 7, sizeof(buf));

	/* Sessions. */
	t_err(t_crypto_hash(p, fd, 0, buf, 16, out), -ENOENT, "%s: hash on session 0 -> -ENOENT",
	      p->name);
	t_err(t_crypto_hash(p, fd, 99999, buf, 16, out), -ENOENT,
	      "%s: hash on an unknown session -> -ENOENT", p->name);
	t_err(t_crypto_cipher(p, fd, UCRYPTO_ENCRYPT, (uint32_t)h, buf, out, 16, iv, NULL, 0, NULL),
	      -EINVAL, "%s: ENCRYPT on a hash session -> -EINVAL", p->name);
	t_err(t_crypto_hash(p, fd, (uint32_t)c, buf, 16, out), -EINVAL,
	      "%s: HASH on a cipher session -> -EINVAL", p->name);

	/* Fields that must be zero or set. */
	op = (struct ucrypto_op){ .session = (uint32_t)h,
				  .flags = 1,
				  .src = (uintptr_t)buf,
				  .dst = (uintptr_t)out,
				  .len = 16 };
	t_err(t_crypto_call(p, fd, UCRYPTO_HASH, &op), -EINVAL, "%s: op flags != 0 -> -EINVAL",
	      p->name);
	op.flags = 0;
	op.iv = (uintptr_t)iv;
	t_err(t_crypto_call(p, fd, UCRYPTO_HASH, &op), -EINVAL, "%s: hash with an IV -> -EINVAL",
	      p->name);
	op.iv = 0;
	op.dst = 0;
	t_err(t_crypto_call(p, fd, UCRYPTO_HASH, &op), -EINVAL,
	      "%s: hash without digest buffer -> -EINVAL", p->name);
	t_err(t_crypto_cipher(p, fd, UCRYPTO_ENCRYPT, (uint32_t)c, buf, out, 16, NULL, NULL, 0,
			      NULL),
	      -EINVAL, "%s: cbc without IV -> -EINVAL", p->name);
	t_err(t_crypto_cipher(p, fd, UCRYPTO_ENCRYPT, (uint32_t)c, buf, out, 16, iv, buf, 4, NULL),
	      -EINVAL, "%s: cbc with AAD -> -EINVAL", p->name);
	t_err(t_crypto_cipher(p, fd, UCRYPTO_ENCRYPT, (uint32_t)c, buf, out, 17, iv, NULL, 0, NULL),
	      -EINVAL, "%s: cbc with a partial block -> -EINVAL", p->name);
	if (x > 0)
		t_err(t_crypto_cipher(p, fd, UCRYPTO_ENCRYPT, (uint32_t)x, buf, out, 8, iv, NULL, 0,
				      NULL),
		      -EINVAL, "%s: xts with less than a block -> -EINVAL", p->name);
	if (g > 0) {
		t_err(t_crypto_cipher(p, fd, UCRYPTO_ENCRYPT, (uint32_t)g, buf, out, 16, iv, NULL,
				      0, NULL),
		      -EINVAL, "%s: gcm without tag buffer -> -EINVAL", p->name);
		t_err(t_crypto_cipher(p, fd, UCRYPTO_ENCRYPT, (uint32_t)g, buf, out, 16, iv,
				      unmapped, 8, tag),
		      -EFAULT, "%s: gcm with unmapped AAD -> -EFAULT", p->name);
		t_err(t_crypto_cipher(p, fd, UCRYPTO_DECRYPT, (uint32_t)g, buf, out, 16, iv, NULL,
				      0, unmapped),
		      -EFAULT, "%s: gcm decrypt with unmapped tag -> -EFAULT", p->name);
		t_err(t_crypto_cipher(p, fd, UCRYPTO_ENCRYPT, (uint32_t)g, buf, out, 16, iv, big,
				      UCRYPTO_MAX_LEN + 1, tag),
		      -EMSGSIZE, "%s: AAD over UCRYPTO_MAX_LEN -> -EMSGSIZE", p->name);
	}

	/* Sizes. */
	t_err(t_crypto_hash(p, fd, (uint32_t)h, big, UCRYPTO_MAX_LEN + 1, out), -EMSGSIZE,
	      "%s: hash over UCRYPTO_MAX_LEN -> -EMSGSIZE", p->name);
	t_err(t_crypto_cipher(p, fd, UCRYPTO_ENCRYPT, (uint32_t)c, big, NULL, UCRYPTO_MAX_LEN + 16,
			      iv, NULL, 0, NULL),
	      -EMSGSIZE, "%s: cipher over UCRYPTO_MAX_LEN -> -EMSGSIZE", p->name);
	t_eq(t_crypto_hash(p, fd, (uint32_t)h, big, UCRYPTO_MAX_LEN, out), 32,
	     "%s: hash of exactly UCRYPTO_MAX_LEN works", p->name);
	t_eq(t_crypto_cipher(p, fd, UCRYPTO_ENCRYPT, (uint32_t)c, big, NULL, UCRYPTO_MAX_LEN, iv,
			     NULL, 0, NULL),
	     UCRYPTO_MAX_LEN, "%s: cipher of exactly UCRYPTO_MAX_LEN works", p->name);

	/* User pointers; nothing is written when the input cannot be read. */
	memset(out, 0x5a, sizeof(out));
	t_err(t_crypto_hash(p, fd, (uint32_t)h, unmapped, 16, out), -EFAULT,
	      "%s: hash of unmapped input -> -EFAULT", p->name);
	t_err(t_crypto_hash(p, fd, (uint32_t)h, edge, 4096, out), -EFAULT,
	      "%s: hash of input running into an inaccessible page -> -EFAULT", p->name);
	t_err(t_crypto_hash(p, fd, (uint32_t)h, edge, 64, out), -EFAULT,
	      "%s: small hash input straddling an inaccessible page -> -EFAULT", p->name);
	t_err(t_crypto_cipher(p, fd, UCRYPTO_ENCRYPT, (uint32_t)c, edge, out, 64, iv, NULL, 0,
			      NULL),
	      -EFAULT, "%s: cipher input straddling an inaccessible page -> -EFAULT", p->name);
	t_ok(out[0] == 0x5a && out[63] == 0x5a, "%s: nothing written after -EFAULT on input",
	     p->name);
	t_err(t_crypto_hash(p, fd, (uint32_t)h, buf, 16, unmapped), -EFAULT,
	      "%s: unmapped digest buffer -> -EFAULT", p->name);
	t_err(t_crypto_cipher(p, fd, UCRYPTO_ENCRYPT, (uint32_t)c, buf, unmapped, 16, iv, NULL, 0,
			      NULL),
	      -EFAULT, "%s: unmapped output -> -EFAULT", p->name);
	t_err(t_crypto_cipher(p, fd, UCRYPTO_ENCRYPT, (uint32_t)c, buf, out, 16, unmapped, NULL, 0,
			      NULL),
	      -EFAULT, "%s: unmapped IV -> -EFAULT", p->name);
	t_err(t_crypto_call(p, fd, UCRYPTO_HASH, unmapped), -EFAULT,
	      "%s: unmapped op struct -> -EFAULT", p->name);
	t_err(t_crypto_cipher(p, fd, UCRYPTO_ENCRYPT, (uint32_t)c, (void *)16, out, 16, iv, NULL, 0,
			      NULL),
	      -EFAULT, "%s: input at address 16 -> -EFAULT", p->name);
	t_err(t_crypto_cipher(p, fd, UCRYPTO_ENCRYPT, (uint32_t)c, (void *)(uintptr_t)~0xfffULL,
			      out, 16, iv, NULL, 0, NULL),
	      -EFAULT, "%s: kernel address as input -> -EFAULT", p->name);

	/* The session survives all of that. */
	t_eq(t_crypto_hash(p, fd, (uint32_t)h, "abc", 3, out), 32, "%s: the session still works",
	     p->name);
	t_crypto_destroy(p, fd, (uint32_t)h);
	t_err(t_crypto_hash(p, fd, (uint32_t)h, buf, 16, out), -ENOENT,
	      "%s: hash on a destroyed session -> -ENOENT", p->name);
	t_err(t_crypto_destroy(p, fd, (uint32_t)h), -ENOENT, "%s: destroying it again -> -ENOENT",
	      p->name);
	t_crypto_destroy(p, fd, (uint32_t)c);
	if (g > 0)
		t_crypto_destroy(p, fd, (uint32_t)g);
	if (x > 0)
		t_crypto_destroy(p, fd, (uint32_t)x);
}

/* io_uring only: payload bytes past the pointer must be zero. */
static void payload(const struct t_path *p, int fd)
{
	uint8_t out[32];
	int h = t_crypto_session(p, fd, "sha256", UCRYPTO_TYPE_HASH, NULL, 0);
	struct ucrypto_op op = {
		.session = (uint32_t)h, .src = (uintptr_t) "abc", .dst = (uintptr_t)out, .len = 3
	};
	uint64_t pl[2] = { (uintptr_t)&op, 1 };

	if (!p->ring || h <= 0)
		return;
	t_err(ucmd_call_uring(p->ring, fd, UCRYPTO_HASH, pl, sizeof(pl), NULL), -EINVAL,
	      "%s: non-zero payload byte after the pointer -> -EINVAL", p->name);
	t_err(ucmd_call_uring(p->ring, fd, _IOWR(UCRYPTO_MAGIC, 0x7f, struct ucrypto_op), pl, 8,
			      NULL),
	      -ENOTTY, "%s: unknown command -> -ENOTTY", p->name);
	t_crypto_destroy(p, fd, (uint32_t)h);
}

int main(void)
{
	struct t_path paths[T_NPATHS];
	long pg = sysconf(_SC_PAGESIZE);
	uint8_t *big, *unmapped, *edge;
	int fd;

	t_init();
	fd = t_crypto_open();
	for (size_t i = 0; i < sizeof(key64); i++)
		key64[i] = (uint8_t)(i * 7 + 1);
	big = calloc(1, UCRYPTO_MAX_LEN + 64);
	/*
	 * Two pages, the second inaccessible: "edge" runs from the first into
	 * it.  PROT_NONE rather than a hole, which a later mmap could fill.
	 */
	unmapped = mmap(NULL, 2 * (size_t)pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			-1, 0);
	if (!big || unmapped == MAP_FAILED || mprotect(unmapped + pg, (size_t)pg, PROT_NONE))
		t_bail("setting up buffers: %s", strerror(errno));
	edge = unmapped + pg - 32;
	memset(unmapped, 1, (size_t)pg);
	unmapped += pg;
	t_paths(paths);
	for (int i = 0; i < T_NPATHS; i++) {
		sessions(&paths[i], fd, unmapped);
		ops(&paths[i], fd, big, unmapped, edge);
		payload(&paths[i], fd);
	}
	t_paths_exit(paths);
	free(big);
	return t_done();
}
