// SPDX-License-Identifier: GPL-2.0
/* fixedbuf_bounds.c - a registered-buffer command whose index has no buffer, or whose addresses fall outside the buffer, fails with -EFAULT and writes nothing; the range that exactly fits works. */
#include <sys/mman.h>

#include "helpers.h"

#define IDX 1
#define REG_LEN ((size_t)1 << 20)

static const struct t_path plain = { "ioctl", NULL };

/* A sha256 of @len bytes at @src into @dst with buffer @idx; @flags on the SQE. */
static int hash_at(struct io_uring *ring, int fd, int id, uint64_t src, uint32_t len, uint64_t dst,
		   unsigned int idx, unsigned int flags)
{
	struct ucrypto_op op = { .session = (uint32_t)id, .src = src, .dst = dst, .len = len };
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe || ucmd_crypto_prep(ring, sqe, fd, UCRYPTO_HASH, &op) || ucmd_prep_fixed(sqe, idx))
		t_bail("prep");
	sqe->flags |= flags;
	return t_submit_one(ring);
}

static void indexes(int fd, int id)
{
	struct io_uring ring;
	uint8_t dg[32];
	struct ucmd_stats s0, st;

	t_ring(&ring, 8, 0);
	t_stats(&s0);
	memset(dg, 0x5a, sizeof(dg));
	t_err(hash_at(&ring, fd, id, (uintptr_t)dg, 3, (uintptr_t)dg, 0, 0), -EFAULT,
	      "a ring without registered buffers: -EFAULT");
	t_fixed_register(&ring, REG_LEN, IDX);
	t_err(hash_at(&ring, fd, id, (uintptr_t)dg, 3, (uintptr_t)dg, 2, 0), -EFAULT,
	      "buffer index 2 of 2: -EFAULT");
	t_err(hash_at(&ring, fd, id, (uintptr_t)dg, 3, (uintptr_t)dg, 65535, 0), -EFAULT,
	      "buffer index 65535: -EFAULT");
	t_err(hash_at(&ring, fd, id, (uintptr_t)dg, 3, (uintptr_t)dg, 2, IOSQE_ASYNC), -EFAULT,
	      "buffer index 2, issued from io-wq: -EFAULT");
	t_ok(dg[0] == 0x5a && dg[31] == 0x5a, "nothing was written");
	t_stats(&st);
	/* 6.1 and 6.12 look the index up before the driver is called; 7.x when it imports. */
	t_diag("%llu of the 4 reached the device", (unsigned long long)(st.issued - s0.issued));
	t_ok(st.refused == s0.refused, "no driver mistake counted");
	io_uring_queue_exit(&ring);
}

static void ranges(int fd, int id)
{
	struct io_uring ring;
	uint8_t *reg, want[32], *end, outside[64];
	uint64_t seed = 7;

	t_ring(&ring, 8, 0);
	reg = t_fixed_register(&ring, REG_LEN, IDX);
	end = reg + REG_LEN;
	t_fill_random(end - 100, 68, &seed);
	t_eq(t_crypto_hash(&plain, fd, (uint32_t)id, end - 100, 68, want), 32, "plain digest");
	t_eq(hash_at(&ring, fd, id, (uintptr_t)(end - 100), 68, (uintptr_t)(end - 32), IDX, 0), 32,
	     "input and digest that end exactly at the buffer's end: 32");
	t_ok(!memcmp(end - 32, want, 32), "the digest is right");
	memset(end - 32, 0x5a, 32);
	t_err(hash_at(&ring, fd, id, (uintptr_t)(end - 100), 101, (uintptr_t)reg, IDX, 0), -EFAULT,
	      "input one byte past the end: -EFAULT");
	t_err(hash_at(&ring, fd, id, (uintptr_t)(end - 100), 68, (uintptr_t)(end - 31), IDX, 0),
	      -EFAULT, "digest one byte past the end: -EFAULT");
	t_ok(end[-32] == 0x5a && end[-1] == 0x5a && reg[0] == 0, "nothing was written");
	t_err(hash_at(&ring, fd, id, (uintptr_t)(reg - 1), 10, (uintptr_t)(end - 32), IDX, 0),
	      -EFAULT, "input starting one byte before the buffer: -EFAULT");
	t_err(hash_at(&ring, fd, id, UINT64_MAX - 4, 10, (uintptr_t)(end - 32), IDX, 0), -EFAULT,
	      "an input range that wraps around: -EFAULT");
	t_err(hash_at(&ring, fd, id, (uintptr_t)outside, 10, (uintptr_t)(end - 32), IDX, 0),
	      -EFAULT, "input in plain memory with a registered buffer: -EFAULT");
	t_err(hash_at(&ring, fd, id, (uintptr_t)reg, 10, (uintptr_t)(end - 32), 0, 0), -EFAULT,
	      "the right range with another buffer's index: -EFAULT");
	t_err(hash_at(&ring, fd, id, (uintptr_t)(end - 100), 1 << 20, (uintptr_t)reg, IDX,
		      IOSQE_ASYNC),
	      -EFAULT, "1 MiB from 100 bytes before the end, issued from io-wq: -EFAULT");
	t_ok(end[-32] == 0x5a && end[-1] == 0x5a, "nothing was written");
	t_eq(hash_at(&ring, fd, id, (uintptr_t)(end - 100), 68, (uintptr_t)(end - 32), IDX, 0), 32,
	     "the session and buffer still work");
	io_uring_queue_exit(&ring);
	munmap(reg, REG_LEN);
}

int main(void)
{
	int fd, id;

	t_init();
	fd = t_crypto_open();
	id = t_crypto_session(&plain, fd, "sha256", UCRYPTO_TYPE_HASH, NULL, 0);
	if (id <= 0)
		t_bail("sha256 session: %d", id);
	indexes(fd, id);
	ranges(fd, id);
	close(fd);
	return t_done();
}
