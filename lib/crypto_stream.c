// SPDX-License-Identifier: LGPL-2.1 OR MIT
/* crypto_stream.c - libucmd: /dev/ucrypto data of any size, in pieces: hash streams and chained cipher IVs, over ioctl(2) or linked uring commands. */
#include <errno.h>
#include <string.h>

#include "internal.h"

/* Pieces queued in one submission at most (fewer if the ring is smaller). */
#define PIECES_MAX 16

/* What a run of pieces is: the command, the session, and the flags of its ends. */
struct run {
	uint32_t cmd;
	struct ucrypto_op tmpl; /* session, iv; src and dst of the start */
	uint32_t first, last; /* hash: INIT and FINAL if asked; cipher: the last's flags */
	size_t len;
};

/* The @i-th of @n pieces of @r (UCRYPTO_MAX_LEN bytes each but the last). */
static void piece(const struct run *r, size_t i, size_t n, struct ucrypto_op *op)
{
	size_t off = i * (size_t)UCRYPTO_MAX_LEN;

	*op = r->tmpl;
	op->src += off;
	if (op->dst && r->cmd != UCRYPTO_HASH)
		op->dst += off;
	op->len = (uint32_t)(r->len - off < UCRYPTO_MAX_LEN ? r->len - off : UCRYPTO_MAX_LEN);
	if (r->cmd != UCRYPTO_HASH) {
		/* Every piece hands the IV on to the next; the last as asked. */
		op->flags = i + 1 == n ? r->last : UCRYPTO_OP_IV_OUT;
		return;
	}
	op->flags = (i == 0 ? r->first : 0) | (i + 1 == n ? r->last : 0);
	if (!op->flags)
		op->flags = UCRYPTO_OP_UPDATE;
	if (!(op->flags & UCRYPTO_OP_FINAL))
		op->dst = 0; /* the digest comes with the final piece only */
}

/*
 * Whether @res is what piece @op must give: its length, or a digest size for
 * a final piece (0 for either is no ucrypto: see ucmd_crypto_call()).
 * Returns 0, a digest size, or the error to report.
 */
static int check(const struct ucrypto_op *op, int res)
{
	if (res < 0)
		return res;
	if (op->flags & UCRYPTO_OP_FINAL)
		return res > 0 ? res : -EPROTO;
	return (uint32_t)res == op->len ? 0 : -EPROTO;
}

/* Returns 0 or the final piece's digest size, or -errno. */
static int run_ioctl(int fd, const struct run *r, size_t n)
{
	struct ucrypto_op op;
	int ret = 0;

	for (size_t i = 0; i < n && ret >= 0; i++) {
		piece(r, i, n, &op);
		ret = check(&op, ucmd_call_ioctl(fd, r->cmd, &op));
	}
	return ret;
}

/* Queues pieces [@i, @i + @k) linked, submits them and reaps their completions. */
static int run_batch(struct io_uring *ring, int fd, const struct run *r, size_t i, size_t k,
		     size_t n)
{
	struct ucrypto_op ops[PIECES_MAX];
	struct io_uring_cqe *cqe;
	int ret, res = 0, first_err = 0;
	size_t j, done = 0;

	if (io_uring_sq_space_left(ring) < k)
		return -EBUSY; /* the caller's ring has SQEs queued */
	for (j = 0; j < k; j++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

		piece(r, i + j, n, &ops[j]);
		ucmd_prep_ptr(ring, sqe, fd, r->cmd, &ops[j]);
		io_uring_sqe_set_data64(sqe, UCMD_CALL_USER_DATA + j);
		/* In order: a piece starts when the one before completed (IV, stream). */
		if (j + 1 < k)
			sqe->flags |= IOSQE_IO_LINK;
	}
	do {
		ret = io_uring_submit_and_wait(ring, (unsigned int)k);
	} while (ret == -EINTR && io_uring_sq_ready(ring));
	if (ret < 0 && ret != -EINTR)
		return ret;
	/* Every piece completes (a failure cancels those linked after it): reap all. */
	while (done < k) {
		do {
			ret = io_uring_wait_cqe(ring, &cqe);
		} while (ret == -EINTR);
		if (ret < 0)
			return ret;
		j = (size_t)(cqe->user_data - UCMD_CALL_USER_DATA);
		if (j >= k)
			return -EBUSY; /* not ours: the ring was not idle */
		ret = check(&ops[j], cqe->res);
		io_uring_cqe_seen(ring, cqe);
		if (ret > 0)
			res = ret;
		else if (ret && (!first_err || (first_err == -ECANCELED && ret != -ECANCELED)))
			first_err = ret;
		done++;
	}
	return first_err ? first_err : res;
}

static int run_uring(struct io_uring *ring, int fd, const struct run *r, size_t n)
{
	size_t batch = ring->sq.ring_entries < PIECES_MAX ? ring->sq.ring_entries : PIECES_MAX;
	int ret = 0;

	for (size_t i = 0; i < n && ret >= 0; i += batch)
		ret = run_batch(ring, fd, r, i, n - i < batch ? n - i : batch, n);
	return ret;
}

static int run(struct io_uring *ring, int fd, const struct run *r)
{
	size_t n = r->len ? (r->len - 1) / UCRYPTO_MAX_LEN + 1 : 1;

	return ring ? run_uring(ring, fd, r, n) : run_ioctl(fd, r, n);
}

int ucmd_crypto_hash_update(struct io_uring *ring, int fd, uint32_t id, uint32_t flags,
			    const void *src, size_t len, void *digest)
{
	struct run r;

	if ((flags & ~(UCRYPTO_OP_INIT | UCRYPTO_OP_FINAL)) || (len && !src) ||
	    !(flags & UCRYPTO_OP_FINAL) != !digest)
		return -EINVAL;
	memset(&r, 0, sizeof(r));
	r.cmd = UCRYPTO_HASH;
	r.tmpl.session = id;
	r.tmpl.src = (uint64_t)(uintptr_t)src;
	r.tmpl.dst = (uint64_t)(uintptr_t)digest;
	r.len = len;
	r.first = flags & UCRYPTO_OP_INIT;
	r.last = flags & UCRYPTO_OP_FINAL;
	return run(ring, fd, &r);
}

int ucmd_crypto_cipher_chain(struct io_uring *ring, int fd, uint32_t id, uint32_t cmd,
			     uint32_t flags, const void *src, void *dst, size_t len, void *iv)
{
	struct run r;

	if ((cmd != UCRYPTO_ENCRYPT && cmd != UCRYPTO_DECRYPT) || (flags & ~UCRYPTO_OP_IV_OUT) ||
	    !iv || (len && (!src || !dst)))
		return -EINVAL;
	memset(&r, 0, sizeof(r));
	r.cmd = cmd;
	r.tmpl.session = id;
	r.tmpl.src = (uint64_t)(uintptr_t)src;
	r.tmpl.dst = (uint64_t)(uintptr_t)dst;
	r.tmpl.iv = (uint64_t)(uintptr_t)iv;
	r.len = len;
	r.last = flags;
	return run(ring, fd, &r);
}
