// SPDX-License-Identifier: LGPL-2.1 OR MIT
/* crypto.c - libucmd: /dev/ucrypto sessions and operations over ioctl(2) or one uring command. */
#include <errno.h>
#include <string.h>

#include "internal.h"

_Static_assert(sizeof(uint64_t) <= UCMD_SQE_PAYLOAD, "a pointer payload fits any ring");

static bool is_op(uint32_t cmd)
{
	return cmd == UCRYPTO_HASH || cmd == UCRYPTO_ENCRYPT || cmd == UCRYPTO_DECRYPT;
}

/* A command whose argument sits behind a pointer (_IOWR), on the path @ring selects. */
static int call_ptr(struct io_uring *ring, int fd, uint32_t cmd, const void *arg)
{
	uint64_t ptr = (uint64_t)(uintptr_t)arg;

	if (!ring)
		return ucmd_call_ioctl(fd, cmd, (void *)arg);
	return ucmd_call_uring(ring, fd, cmd, &ptr, sizeof(ptr), NULL);
}

int ucmd_crypto_session_create(struct io_uring *ring, int fd, const char *alg, uint32_t type,
			       const void *key, uint32_t key_len, uint32_t flags, uint32_t tag_len,
			       struct ucrypto_session *out)
{
	struct ucrypto_session s;
	int ret;

	if (!alg || (key_len && !key))
		return -EINVAL;
	memset(&s, 0, sizeof(s));
	s.alg = (uint64_t)(uintptr_t)alg;
	s.key = key_len ? (uint64_t)(uintptr_t)key : 0;
	s.key_len = key_len;
	s.type = type;
	s.flags = flags;
	s.tag_len = tag_len;
	ret = call_ptr(ring, fd, UCRYPTO_SESSION_CREATE, &s);
	if (ret < 0)
		return ret;
	if (ret == 0)
		return -EPROTO; /* ids start at 1: this file is not /dev/ucrypto */
	if (out) {
		*out = s;
		out->alg = out->key = out->driver = 0; /* pointers into this call only */
	}
	return ret;
}

int ucmd_crypto_session_destroy(struct io_uring *ring, int fd, uint32_t id)
{
	if (!ring)
		return ucmd_call_ioctl(fd, UCRYPTO_SESSION_DESTROY, &id);
	return ucmd_call_uring(ring, fd, UCRYPTO_SESSION_DESTROY, &id, sizeof(id), NULL);
}

int ucmd_crypto_prep(const struct io_uring *ring, struct io_uring_sqe *sqe, int fd, uint32_t cmd,
		     const struct ucrypto_op *op)
{
	if (!is_op(cmd) || !op) {
		ucmd_prep_nop(ring, sqe);
		return -EINVAL;
	}
	return ucmd_prep_ptr(ring, sqe, fd, cmd, op);
}

int ucmd_crypto_call_fixed(struct io_uring *ring, int fd, uint32_t cmd, const struct ucrypto_op *op,
			   unsigned int buf_index)
{
	struct io_uring_sqe *sqe;
	int ret;

	if (!ring || !is_op(cmd) || !op || buf_index > UINT16_MAX)
		return -EINVAL;
	sqe = ucmd_get_sqe(ring);
	if (!sqe)
		return -EBUSY;
	ret = ucmd_crypto_prep(ring, sqe, fd, cmd, op);
	if (!ret)
		ret = ucmd_prep_fixed(sqe, buf_index);
	if (ret) {
		/* Not reached (checked above); never leave a half-made command queued. */
		ucmd_prep_nop(ring, sqe);
		return ret;
	}
	ret = ucmd_call_sqe(ring, sqe, NULL);
	return ret == 0 && cmd == UCRYPTO_HASH ? -EPROTO : ret;
}

int ucmd_crypto_call(struct io_uring *ring, int fd, uint32_t cmd, const struct ucrypto_op *op)
{
	int ret;

	if (!is_op(cmd) || !op)
		return -EINVAL;
	ret = call_ptr(ring, fd, cmd, op);
	/* Every digest has a size: 0 means this file is not /dev/ucrypto. */
	return ret == 0 && cmd == UCRYPTO_HASH ? -EPROTO : ret;
}
