// SPDX-License-Identifier: LGPL-2.1 OR MIT
/* vec.c - libucmd: helpers for UCMD_VEC, the framework's vectored command. */
#include <errno.h>
#include <string.h>

#include "internal.h"

_Static_assert(sizeof(struct ucmd_vec) == UCMD_SQE_PAYLOAD,
	       "struct ucmd_vec must fit a 16-byte payload");

int ucmd_vec_entry_init(struct ucmd_vec_entry *e, uint32_t cmd_op, const void *payload, size_t len)
{
	if (!e || len > sizeof(e->payload) || (len && !payload))
		return -EINVAL;
	memset(e, 0, sizeof(*e));
	e->cmd_op = cmd_op;
	if (len)
		memcpy(e->payload, payload, len);
	return 0;
}

static int vec_fill(struct ucmd_vec *v, struct ucmd_vec_entry *entries, uint32_t nr)
{
	if (!entries || nr < 1 || nr > UCMD_VEC_MAX)
		return -EINVAL;
	memset(v, 0, sizeof(*v));
	v->entries = (uint64_t)(uintptr_t)entries;
	v->nr = nr;
	return 0;
}

int ucmd_vec_prep(const struct io_uring *ring, struct io_uring_sqe *sqe, int fd,
		  struct ucmd_vec_entry *entries, uint32_t nr)
{
	struct ucmd_vec v;
	int ret = vec_fill(&v, entries, nr);

	if (ret) {
		/* Leave a harmless NOP behind, as ucmd_prep() does. */
		ucmd_prep_nop(ring, sqe);
		return ret;
	}
	return ucmd_prep(ring, sqe, fd, UCMD_VEC, &v, sizeof(v));
}

int ucmd_vec_call_uring(struct io_uring *ring, int fd, struct ucmd_vec_entry *entries, uint32_t nr)
{
	struct ucmd_vec v;
	int ret = vec_fill(&v, entries, nr);

	if (ret)
		return ret;
	return ucmd_call_uring(ring, fd, UCMD_VEC, &v, sizeof(v), NULL);
}

int ucmd_vec_call_ioctl(int fd, struct ucmd_vec_entry *entries, uint32_t nr)
{
	struct ucmd_vec v;
	int ret = vec_fill(&v, entries, nr);

	if (ret)
		return ret;
	return ucmd_call_ioctl(fd, UCMD_VEC, &v);
}
