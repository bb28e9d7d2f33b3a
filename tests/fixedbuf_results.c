// SPDX-License-Identifier: GPL-2.0
/* fixedbuf_results.c - /dev/ucrypto hashes and ciphers through a registered buffer (IORING_URING_CMD_FIXED) give the results of the same operations on plain memory, on normal and SQE128 rings, synchronous and asynchronous sessions. */
#include <sys/mman.h>

#include "helpers.h"

/* The buffer under test is registered as index 1 (index 0 is another one). */
#define IDX 1
#define REG_LEN ((size_t)3 << 20)
/* Data starts off page and block alignment, so that segments are cut mid-page. */
#define OFF 4093

static const uint8_t key[16] = { 0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
				 0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c };
static const uint8_t iv[16] = { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
				0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f };
static const struct t_path plain = { "ioctl", NULL };
static uint8_t *ref; /* plain memory: the reference operations' input and output */

static int fixed(struct io_uring *ring, int fd, uint32_t cmd, struct ucrypto_op *op)
{
	return ucmd_crypto_call_fixed(ring, fd, cmd, op, IDX);
}

/* Digests of several sizes: the stack, the registered pages in place. */
static void hashes(struct io_uring *ring, const char *rname, int fd, uint8_t *reg, int id)
{
	static const uint32_t lens[] = { 0, 3, 256, 257, 4096, 65536 + 13, 1 << 20 };
	uint64_t seed = 0x1234;

	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		uint32_t len = lens[i];
		uint8_t *src = reg + OFF, *dg = reg + OFF + len + 7, want[32];
		struct ucrypto_op op = { .session = (uint32_t)id,
					 .src = (uintptr_t)src,
					 .dst = (uintptr_t)dg,
					 .len = len };
		int ret;

		t_fill_random(src, len, &seed);
		memcpy(ref, src, len);
		memset(dg, 0, 32);
		t_eq(t_crypto_hash(&plain, fd, (uint32_t)id, ref, len, want), 32, "plain digest");
		ret = fixed(ring, fd, UCRYPTO_HASH, &op);
		t_ok(ret == 32 && !memcmp(dg, want, 32),
		     "%s: sha256 of %u bytes in the registered buffer (%d)", rname, len, ret);
	}
}

/*
 * @alg over @len bytes: encrypted into another part of the buffer, then in
 * place, compared with the plain result, and decrypted back.
 */
static void cipher(struct io_uring *ring, const char *rname, int fd, uint8_t *reg, int id,
		   const char *alg, uint32_t len)
{
	uint8_t *src = reg + OFF, *dst = reg + (2 << 20) + 5, *want = ref + (1 << 20) + 64;
	struct ucrypto_op op = { .session = (uint32_t)id,
				 .src = (uintptr_t)src,
				 .dst = (uintptr_t)dst,
				 .iv = (uintptr_t)iv,
				 .len = len };
	uint64_t seed = len;
	int ret;

	t_fill_random(src, len, &seed);
	memcpy(ref, src, len);
	t_eq(t_crypto_cipher(&plain, fd, UCRYPTO_ENCRYPT, (uint32_t)id, ref, want, len, iv, NULL, 0,
			     NULL),
	     len, "plain %s", alg);
	ret = fixed(ring, fd, UCRYPTO_ENCRYPT, &op);
	t_ok(ret == (int)len && !memcmp(dst, want, len),
	     "%s: %s of %u bytes into another part of the buffer (%d)", rname, alg, len, ret);
	op.dst = 0;
	ret = fixed(ring, fd, UCRYPTO_ENCRYPT, &op);
	t_ok(ret == (int)len && !memcmp(src, want, len), "%s: %s of %u bytes in place (%d)", rname,
	     alg, len, ret);
	op.dst = (uintptr_t)dst;
	ret = fixed(ring, fd, UCRYPTO_DECRYPT, &op);
	t_ok(ret == (int)len && !memcmp(dst, ref, len), "%s: %s of %u bytes decrypted back (%d)",
	     rname, alg, len, ret);
	/* Overlapping, not in place: the bounce path, from and to the iterators. */
	memcpy(src, ref, len);
	op.dst = (uintptr_t)(src + 16);
	ret = fixed(ring, fd, UCRYPTO_ENCRYPT, &op);
	t_ok(ret == (int)len && !memcmp(src + 16, want, len),
	     "%s: %s of %u bytes onto an overlapping range (%d)", rname, alg, len, ret);
}

/* AES-GCM: data in the registered buffer, IV, AAD and tag in plain memory. */
static void aead(struct io_uring *ring, const char *rname, int fd, uint8_t *reg, int id)
{
	uint8_t aad[20] = { 1, 2, 3 }, tag[16], want_tag[16], *src = reg + OFF,
		*dst = reg + (2 << 20) + 5, *want = ref + (1 << 20) + 64;
	struct ucrypto_op op = { .session = (uint32_t)id,
				 .src = (uintptr_t)src,
				 .dst = (uintptr_t)dst,
				 .iv = (uintptr_t)iv,
				 .aad = (uintptr_t)aad,
				 .tag = (uintptr_t)tag,
				 .len = 5000,
				 .aad_len = sizeof(aad) };
	uint64_t seed = 77;
	int ret;

	t_fill_random(src, 5000, &seed);
	memcpy(ref, src, 5000);
	t_eq(t_crypto_cipher(&plain, fd, UCRYPTO_ENCRYPT, (uint32_t)id, ref, want, 5000, iv, aad,
			     sizeof(aad), want_tag),
	     5000, "plain gcm(aes)");
	ret = fixed(ring, fd, UCRYPTO_ENCRYPT, &op);
	t_ok(ret == 5000 && !memcmp(dst, want, 5000) && !memcmp(tag, want_tag, 16),
	     "%s: gcm(aes) encryption of 5000 bytes, same ciphertext and tag (%d)", rname, ret);
	op.src = (uintptr_t)dst;
	op.dst = (uintptr_t)src;
	memset(src, 0, 5000);
	ret = fixed(ring, fd, UCRYPTO_DECRYPT, &op);
	t_ok(ret == 5000 && !memcmp(src, ref, 5000), "%s: and decrypted back (%d)", rname, ret);
	tag[0] ^= 1;
	memset(src, 0x5a, 5000);
	ret = fixed(ring, fd, UCRYPTO_DECRYPT, &op);
	t_ok(ret == -EBADMSG && src[0] == 0x5a && src[4999] == 0x5a,
	     "%s: a wrong tag: -EBADMSG, nothing written to the buffer (%d)", rname, ret);
}

/* A cipher length the mode refuses: nothing written to the registered buffer. */
static void refused(struct io_uring *ring, const char *rname, int fd, uint8_t *reg, int id)
{
	uint8_t *dst = reg + (2 << 20) + 5;
	struct ucrypto_op op = { .session = (uint32_t)id,
				 .src = (uintptr_t)(reg + OFF),
				 .dst = (uintptr_t)dst,
				 .iv = (uintptr_t)iv,
				 .len = 17 };

	memset(dst, 0x5a, 32);
	t_err(fixed(ring, fd, UCRYPTO_ENCRYPT, &op), -EINVAL, "%s: cbc(aes) of 17 bytes -> -EINVAL",
	      rname);
	t_ok(dst[0] == 0x5a && dst[16] == 0x5a, "%s: nothing written", rname);
}

/* An asynchronous (cryptd) hash: output written from the finish hook, many in flight. */
static void async_hashes(struct io_uring *ring, const char *rname, int fd, uint8_t *reg)
{
	char name[UCRYPTO_NAME_MAX + 8];
	struct ucrypto_op op[16];
	uint8_t want[16][32];
	uint64_t seed = 99;
	int id, good = 0;

	id = t_crypto_async_session(fd, "sha256", "cryptd", UCRYPTO_TYPE_HASH, NULL, 0, name,
				    sizeof(name));
	if (!id) {
		t_crypto_no_async("cryptd", "asynchronous hashes through a registered buffer");
		return;
	}
	for (int i = 0; i < 16; i++) {
		uint8_t *src = reg + OFF + (size_t)i * 70000;
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

		t_fill_random(src, 65536 + i, &seed);
		t_crypto_hash(&plain, fd, (uint32_t)id, src, 65536 + i, want[i]);
		op[i] = (struct ucrypto_op){ .session = (uint32_t)id,
					     .src = (uintptr_t)src,
					     .dst = (uintptr_t)(reg + (2 << 20) + 64 * i),
					     .len = 65536 + i };
		if (!sqe || ucmd_crypto_prep(ring, sqe, fd, UCRYPTO_HASH, &op[i]) ||
		    ucmd_prep_fixed(sqe, IDX))
			t_bail("prep");
		io_uring_sqe_set_data64(sqe, (uint64_t)i);
	}
	memset(reg + (2 << 20), 0, 64 * 16);
	t_eq(io_uring_submit(ring), 16, "%s: 16 %s hashes submitted", rname, name);
	for (int i = 0; i < 16; i++) {
		struct io_uring_cqe *cqe;
		int k;

		if (io_uring_wait_cqe(ring, &cqe))
			t_bail("io_uring_wait_cqe");
		k = (int)cqe->user_data;
		good += cqe->res == 32 && !memcmp(reg + (2 << 20) + 64 * k, want[k], 32);
		io_uring_cqe_seen(ring, cqe);
	}
	t_eq(good, 16, "%s: each wrote its digest into the registered buffer", rname);
	t_crypto_destroy(&plain, fd, (uint32_t)id);
}

static void one_ring(unsigned int flags, const char *rname, int fd)
{
	struct io_uring ring;
	uint8_t *reg;
	int sha, cbc, ctr, gcm;

	t_ring(&ring, 32, flags);
	reg = t_fixed_register(&ring, REG_LEN, IDX);
	sha = t_crypto_session(&plain, fd, "sha256", UCRYPTO_TYPE_HASH, NULL, 0);
	cbc = t_crypto_session(&plain, fd, "cbc(aes)", UCRYPTO_TYPE_SKCIPHER, key, 16);
	ctr = t_crypto_session(&plain, fd, "ctr(aes)", UCRYPTO_TYPE_SKCIPHER, key, 16);
	gcm = t_crypto_session(&plain, fd, "gcm(aes)", UCRYPTO_TYPE_AEAD, key, 16);
	if (sha <= 0 || cbc <= 0)
		t_bail("sha256 or cbc(aes) session: %d %d", sha, cbc);
	hashes(&ring, rname, fd, reg, sha);
	/* 16: the bounce path; 512 and up: the scatterlist over the buffer's pages. */
	cipher(&ring, rname, fd, reg, cbc, "cbc(aes)", 16);
	cipher(&ring, rname, fd, reg, cbc, "cbc(aes)", 4096);
	cipher(&ring, rname, fd, reg, cbc, "cbc(aes)", 65536);
	refused(&ring, rname, fd, reg, cbc);
	if (ctr > 0) {
		cipher(&ring, rname, fd, reg, ctr, "ctr(aes)", 100);
		cipher(&ring, rname, fd, reg, ctr, "ctr(aes)", 1000003);
	} else {
		t_skip("no ctr(aes) in this kernel", "%s: ctr(aes)", rname);
	}
	if (gcm > 0)
		aead(&ring, rname, fd, reg, gcm);
	else
		t_skip("no gcm(aes) in this kernel", "%s: gcm(aes)", rname);
	async_hashes(&ring, rname, fd, reg);
	io_uring_queue_exit(&ring);
	munmap(reg, REG_LEN);
}

int main(void)
{
	int fd;

	t_init();
	fd = t_crypto_open();
	ref = malloc(3 << 20);
	if (!ref)
		t_bail("out of memory");
	one_ring(0, "uring", fd);
	one_ring(IORING_SETUP_SQE128 | IORING_SETUP_CQE32, "uring128", fd);
	free(ref);
	close(fd);
	return t_done();
}
