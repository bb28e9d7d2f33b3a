// SPDX-License-Identifier: GPL-2.0
/* ucrypto_stream_big.c - a 3 GiB crc32c stream (1 GiB on debug kernels) through io_uring in linked 1 MiB pieces equals user space's crc32c, and a long sha256 stream AF_ALG's digest. */
#include <time.h>

#include "helpers.h"

#define BATCH (16U << 20) /* bytes per ucmd_crypto_hash_update() call */

/* Batch @b of the stream: a random block whose every MiB starts with its own number. */
static void fill(uint8_t *buf, uint64_t b)
{
	for (uint64_t i = 0; i < BATCH / UCRYPTO_MAX_LEN; i++) {
		uint64_t n = b * (BATCH / UCRYPTO_MAX_LEN) + i;

		memcpy(buf + i * UCRYPTO_MAX_LEN, &n, sizeof(n));
	}
}

/* One stream of @total bytes of @alg through ucrypto and AF_ALG side by side; checks the digests. */
static void stream(const char *alg, uint64_t total, const char *why)
{
	uint64_t seed = 0x626967737472ULL, t0, t_ucrypto = 0, t_afalg = 0, b, nb = total / BATCH;
	uint8_t *buf = malloc(BATCH), got[64], want[64];
	struct ucrypto_session s;
	struct io_uring ring;
	int fd, id, tfm, op, ret = 0, n;

	fd = t_crypto_open();
	tfm = t_afalg_tfm("hash", alg, NULL, 0);
	op = tfm < 0 ? -1 : t_afalg_op(tfm);
	t_ring(&ring, 16, 0);
	id = t_crypto_session_ex(&(struct t_path){ "uring", &ring }, fd, alg, UCRYPTO_TYPE_HASH,
				 NULL, 0, 0, 0, &s);
	if (!buf || id <= 0 || op < 0)
		t_bail("%s: session %d, AF_ALG op %d", alg, id, op);
	t_fill_random(buf, BATCH, &seed);
	for (b = 0; b < nb && ret >= 0; b++) {
		uint32_t flags = (b == 0 ? UCRYPTO_OP_INIT : 0) |
				 (b + 1 == nb ? UCRYPTO_OP_FINAL : 0);

		fill(buf, b);
		t0 = t_now_ns();
		ret = ucmd_crypto_hash_update(&ring, fd, (uint32_t)id, flags, buf, BATCH,
					      b + 1 == nb ? got : NULL);
		t_ucrypto += t_now_ns() - t0;
		t0 = t_now_ns();
		if (t_afalg_send(op, buf, BATCH, b + 1 < nb, -1, NULL, 0))
			t_bail("AF_ALG send: %s", strerror(errno));
		t_afalg += t_now_ns() - t0;
	}
	t_eq(ret, (int)s.digest_size,
	     "%s: %" PRIu64 " pieces of 1 MiB in %" PRIu64 " calls, linked on the ring", alg,
	     total / UCRYPTO_MAX_LEN, nb);
	n = t_afalg_read(op, want, s.digest_size);
	t_eq(n, (int)s.digest_size, "%s: AF_ALG's digest of the same bytes", alg);
	t_ok(!memcmp(got, want, s.digest_size),
	     "%s: the digest of a %" PRIu64 " MiB stream (%s) equals AF_ALG's", alg, total >> 20,
	     why);
	t_diag("%s: ucrypto %.1f MB/s, AF_ALG %.1f MB/s (guest time under TCG)", alg,
	       (double)total * 1e3 / (double)(t_ucrypto ? t_ucrypto : 1),
	       (double)total * 1e3 / (double)(t_afalg ? t_afalg : 1));
	io_uring_queue_exit(&ring);
	close(op);
	close(tfm);
	close(fd);
	free(buf);
}

/* crc32c (Castagnoli, reflected), bit by bit: the user-space reference. */
static uint32_t crc32c(uint32_t crc, const uint8_t *p, size_t len)
{
	static uint32_t table[256];

	if (!table[1])
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;

			for (int k = 0; k < 8; k++)
				c = c & 1 ? (c >> 1) ^ 0x82f63b78U : c >> 1;
			table[i] = c;
		}
	crc = ~crc;
	while (len--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static uint32_t gf2_times(const uint32_t *mat, uint32_t vec)
{
	uint32_t sum = 0;

	for (; vec; vec >>= 1, mat++)
		if (vec & 1)
			sum ^= *mat;
	return sum;
}

static void gf2_square(uint32_t *sq, const uint32_t *mat)
{
	for (int n = 0; n < 32; n++)
		sq[n] = gf2_times(mat, mat[n]);
}

/* The crc32c of A followed by B from crc(A), crc(B) and B's length (zlib's crc32_combine()). */
static uint32_t crc32c_combine(uint32_t crc1, uint32_t crc2, uint64_t len2)
{
	uint32_t even[32], odd[32], row = 1;

	odd[0] = 0x82f63b78U; /* the operator for one zero bit */
	for (int n = 1; n < 32; n++, row <<= 1)
		odd[n] = row;
	gf2_square(even, odd); /* two zero bits */
	gf2_square(odd, even); /* four */
	do {
		gf2_square(even, odd);
		if (len2 & 1)
			crc1 = gf2_times(even, crc1);
		len2 >>= 1;
		if (!len2)
			break;
		gf2_square(odd, even);
		if (len2 & 1)
			crc1 = gf2_times(odd, crc1);
		len2 >>= 1;
	} while (len2);
	return crc1 ^ crc2;
}

/*
 * crc32c over @total bytes: the same random MiB again and again through ucrypto, checked
 * against user space's crc32c of that MiB combined @total / 1 MiB times (no second pass).
 */
static void crc_stream(uint64_t total, const char *why)
{
	uint64_t seed = 0x6372633332ULL, t0, b, nb = total / BATCH;
	uint8_t *buf = malloc(BATCH), got[4];
	char driver[UCRYPTO_NAME_MAX] = "";
	struct ucrypto_session s = { .alg = (uintptr_t) "crc32c",
				     .driver = (uintptr_t)driver,
				     .type = UCRYPTO_TYPE_HASH };
	uint32_t one, want = 0, crc;
	struct io_uring ring;
	int fd, id, ret = 0;

	fd = t_crypto_open();
	t_ring(&ring, 16, 0);
	id = ucmd_call_ioctl(fd, UCRYPTO_SESSION_CREATE, &s);
	if (id == -ENOENT) {
		/* 7.x has it as crc32c-cryptoapi, which the rig does not ship (yet). */
		t_skip("crc32c not in this kernel", "crc32c: a %" PRIu64 " MiB stream",
		       total >> 20);
		io_uring_queue_exit(&ring);
		close(fd);
		free(buf);
		return;
	}
	if (!buf || id <= 0)
		t_bail("crc32c session: %d", id);
	t_fill_random(buf, UCRYPTO_MAX_LEN, &seed);
	for (size_t i = 1; i < BATCH / UCRYPTO_MAX_LEN; i++)
		memcpy(buf + i * UCRYPTO_MAX_LEN, buf, UCRYPTO_MAX_LEN);
	one = crc32c(0, buf, UCRYPTO_MAX_LEN);
	for (b = 0; b < total / UCRYPTO_MAX_LEN; b++)
		want = b ? crc32c_combine(want, one, UCRYPTO_MAX_LEN) : one;
	t0 = t_now_ns();
	for (b = 0; b < nb && ret >= 0; b++) {
		uint32_t flags = (b == 0 ? UCRYPTO_OP_INIT : 0) |
				 (b + 1 == nb ? UCRYPTO_OP_FINAL : 0);

		ret = ucmd_crypto_hash_update(&ring, fd, (uint32_t)id, flags, buf, BATCH,
					      b + 1 == nb ? got : NULL);
	}
	t0 = t_now_ns() - t0;
	t_eq(ret, 4, "crc32c: %" PRIu64 " pieces of 1 MiB in %" PRIu64 " calls, linked on the ring",
	     total / UCRYPTO_MAX_LEN, nb);
	crc = (uint32_t)got[0] | (uint32_t)got[1] << 8 | (uint32_t)got[2] << 16 |
	      (uint32_t)got[3] << 24;
	t_eq(crc, want, "crc32c (%s) of a %" PRIu64 " MiB stream (%s) equals user space's", driver,
	     total >> 20, why);
	t_diag("crc32c: ucrypto %.1f MB/s (guest time under TCG)",
	       (double)total * 1e3 / (double)(t0 ? t0 : 1));
	io_uring_queue_exit(&ring);
	close(fd);
	free(buf);
}

/*
 * crc32c carries 3 GiB (past 2^31 and 2^32 bytes in every counter on the way) against a
 * user-space reference that costs nothing; sha256, whose state counts the length, costs
 * ~30 ns a byte under TCG, twice (AF_ALG): less of it.  UCMD_STREAM_BYTES sets both.
 */
int main(void)
{
	const char *env = getenv("UCMD_STREAM_BYTES");
	uint64_t crc = 3ULL << 30, sha = 64ULL << 20;
	const char *why = "3 GiB", *why_sha = "sha256 costs: 64 MiB";

	t_init();
	t_afalg_need("hash", "sha256");
	if (t_debug_kernel()) {
		crc = 1ULL << 30;
		sha = 32ULL << 20;
		why = why_sha = "a debug kernel: less";
	}
	if (env) {
		crc = sha = strtoull(env, NULL, 0) / BATCH * BATCH;
		why = why_sha = "UCMD_STREAM_BYTES";
	}
	crc_stream(crc, why);
	stream("sha256", sha, why_sha);
	return t_done();
}
