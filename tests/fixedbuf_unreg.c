// SPDX-License-Identifier: GPL-2.0
/* fixedbuf_unreg.c - registered buffers unregistered, unmapped or their ring closed while /dev/ucrypto commands that use them are in flight: each command completes once, with its digest or -EFAULT, and the device goes idle. */
#include <sys/mman.h>

#include "helpers.h"

#define N 16
#define LEN ((uint32_t)1 << 20)
#define REG_LEN ((size_t)2 << 20)

static const struct t_path plain = { "ioctl", NULL };

/*
 * Queues @n hashes of LEN bytes of @reg (registered as buffer 0), each
 * digest into its own slot at the buffer's end; @flags on every SQE.
 */
static void queue_hashes(struct io_uring *ring, int fd, int id, uint8_t *reg, struct ucrypto_op *op,
			 int n, unsigned int flags)
{
	for (int i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

		op[i] = (struct ucrypto_op){ .session = (uint32_t)id,
					     .src = (uintptr_t)(reg + i),
					     .dst = (uintptr_t)(reg + REG_LEN - 32 * (i + 1)),
					     .len = LEN };
		if (!sqe || ucmd_crypto_prep(ring, sqe, fd, UCRYPTO_HASH, &op[i]) ||
		    ucmd_prep_fixed(sqe, 0))
			t_bail("prep");
		sqe->flags |= flags;
		io_uring_sqe_set_data64(sqe, (uint64_t)i);
	}
}

/*
 * Reaps @n completions: counts right digests (checked against @want unless
 * @reg is NULL: unmapped), -EFAULT and anything else.
 */
static void reap(struct io_uring *ring, int n, const uint8_t *reg, uint8_t want[][32], int *good,
		 int *efault, int *other)
{
	*good = *efault = *other = 0;
	for (int i = 0; i < n; i++) {
		struct io_uring_cqe *cqe;
		int k;

		if (io_uring_wait_cqe(ring, &cqe))
			t_bail("io_uring_wait_cqe");
		k = (int)cqe->user_data;
		if (cqe->res == 32 && (!reg || !memcmp(reg + REG_LEN - 32 * (k + 1), want[k], 32)))
			(*good)++;
		else if (cqe->res == -EFAULT)
			(*efault)++;
		else
			(*other)++, t_diag("command %d: %d", k, cqe->res);
		io_uring_cqe_seen(ring, cqe);
	}
}

/* One hash of 64 bytes of the registered buffer 0, waited for. */
static int hash_fixed_once(struct io_uring *ring, int fd, int id, uint8_t *reg)
{
	struct ucrypto_op op = { .session = (uint32_t)id,
				 .src = (uintptr_t)reg,
				 .dst = (uintptr_t)(reg + 64),
				 .len = 64 };
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe || ucmd_crypto_prep(ring, sqe, fd, UCRYPTO_HASH, &op) || ucmd_prep_fixed(sqe, 0))
		t_bail("prep");
	return t_submit_one(ring);
}

/*
 * Unregisters the buffers with @n hashes in flight (issued from io-wq, or on
 * an asynchronous session), then checks every result and that the buffer
 * can be registered again.
 */
static void unregister(int fd, int id, int n, const char *what, unsigned int flags)
{
	static uint8_t want[N][32];
	struct ucrypto_op op[N];
	struct io_uring ring;
	int good, efault, other, ret, ready;
	uint64_t seed = 3, t0, ms;
	uint8_t *reg;

	t_ring(&ring, 2 * n, 0);
	reg = t_fixed_register(&ring, REG_LEN, 0);
	t_fill_random(reg, LEN + n, &seed);
	for (int i = 0; i < n; i++)
		t_crypto_hash(&plain, fd, (uint32_t)id, reg + i, LEN, want[i]);
	queue_hashes(&ring, fd, id, reg, op, n, flags);
	t_eq(io_uring_submit(&ring), n, "%s: %d hashes of 1 MiB submitted", what, n);
	t0 = t_now_ns();
	ret = io_uring_unregister_buffers(&ring);
	ms = (t_now_ns() - t0) / T_NS_PER_MS;
	ready = (int)io_uring_cq_ready(&ring);
	t_eq(ret, 0, "%s: buffers unregistered with commands in flight", what);
	/* 6.1/6.12 wait for the commands that hold the buffer; 7.x frees it after the last. */
	t_diag("%s: unregistering took %llu ms; %d of %d had completed by then", what,
	       (unsigned long long)ms, ready, n);
	reap(&ring, n, reg, want, &good, &efault, &other);
	t_ok(other == 0 && good + efault == n,
	     "%s: each completed once, with its digest (%d) or -EFAULT (%d)", what, good, efault);
	t_err(hash_fixed_once(&ring, fd, id, reg), -EFAULT,
	      "%s: a command after the unregistration: -EFAULT", what);
	if (io_uring_register_buffers(&ring, &(struct iovec){ reg, REG_LEN }, 1))
		t_bail("register again");
	t_eq(hash_fixed_once(&ring, fd, id, reg), 32, "%s: registered again, it works", what);
	io_uring_queue_exit(&ring);
	munmap(reg, REG_LEN);
}

/*
 * The memory is unmapped, then the buffers unregistered, with hashes in
 * flight: the pages stay pinned until the last command is done with them.
 */
static void unmap(int fd, int id, int n, const char *what, unsigned int flags)
{
	struct ucrypto_op op[N];
	struct io_uring ring;
	int good, efault, other;
	uint8_t *reg;

	t_ring(&ring, 2 * n, 0);
	reg = t_fixed_register(&ring, REG_LEN, 0);
	memset(reg, 0xab, REG_LEN);
	queue_hashes(&ring, fd, id, reg, op, n, flags);
	t_eq(io_uring_submit(&ring), n, "%s: %d hashes submitted", what, n);
	t_eq(munmap(reg, REG_LEN), 0, "%s: the buffer's memory unmapped", what);
	t_eq(io_uring_unregister_buffers(&ring), 0, "%s: and unregistered", what);
	reap(&ring, n, NULL, NULL, &good, &efault, &other);
	t_ok(other == 0 && good + efault == n, "%s: each completed once: %d digests, %d -EFAULT",
	     what, good, efault);
	io_uring_queue_exit(&ring);
}

/* The ring is closed with hashes on its registered buffer in flight. */
static void ring_exit(int fd, int id, int n, const char *what, unsigned int flags)
{
	struct ucrypto_op op[N];
	struct io_uring ring;
	struct ucmd_stats st;
	uint8_t *reg;

	t_ring(&ring, 2 * n, 0);
	reg = t_fixed_register(&ring, REG_LEN, 0);
	queue_hashes(&ring, fd, id, reg, op, n, flags);
	t_eq(io_uring_submit(&ring), n, "%s: %d hashes submitted", what, n);
	io_uring_queue_exit(&ring);
	munmap(reg, REG_LEN);
	t_ok(t_wait_idle(&st, 20000), "%s: ring closed with them in flight: the device goes idle",
	     what);
}

int main(void)
{
	char name[UCRYPTO_NAME_MAX + 8];
	int fd, id, aid;

	t_init();
	fd = t_crypto_open();
	id = t_crypto_session(&plain, fd, "sha256", UCRYPTO_TYPE_HASH, NULL, 0);
	if (id <= 0)
		t_bail("sha256 session: %d", id);
	/* A synchronous session's commands are in flight while io-wq runs them. */
	unregister(fd, id, N, "io-wq", IOSQE_ASYNC);
	unmap(fd, id, N, "io-wq, unmapped", IOSQE_ASYNC);
	ring_exit(fd, id, N, "io-wq, ring exit", IOSQE_ASYNC);
	aid = t_crypto_async_session(fd, "sha256", "cryptd", UCRYPTO_TYPE_HASH, NULL, 0, name,
				     sizeof(name));
	if (aid > 0) {
		t_diag("asynchronous session: %s", name);
		/* At most 8 MiB in flight per file (UCRYPTO_MAX_INFLIGHT_BYTES). */
		unregister(fd, aid, 8, "cryptd", 0);
		unmap(fd, aid, 8, "cryptd, unmapped", 0);
		ring_exit(fd, aid, 8, "cryptd, ring exit", 0);
	} else {
		t_crypto_no_async("cryptd", "registered buffers with an asynchronous session");
	}
	close(fd);
	return t_done();
}
