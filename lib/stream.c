// SPDX-License-Identifier: LGPL-2.1 OR MIT
/* stream.c - libucmd event streams: a provided-buffer ring and the multishot uring command that fills it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "internal.h"

/* The largest buffer ring the kernel accepts: 2^15 entries. */
#define UCMD_BUFS_MAX 32768

int ucmd_bufs_init(struct io_uring *ring, struct ucmd_bufs *b, uint16_t bgid, unsigned int nr,
		   size_t size)
{
	struct io_uring_buf_reg reg;
	size_t ring_len;
	int ret;

	if (!ring || !b || !nr || nr > UCMD_BUFS_MAX || (nr & (nr - 1)) || !size ||
	    size > UINT32_MAX || nr > SIZE_MAX / size)
		return -EINVAL;
	memset(b, 0, sizeof(*b));
	ring_len = nr * sizeof(struct io_uring_buf);
	/* The kernel wants the ring page-aligned: mmap gives that. */
	b->br = mmap(NULL, ring_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b->br == MAP_FAILED) {
		b->br = NULL;
		return -errno;
	}
	b->mem = malloc(nr * size);
	if (!b->mem) {
		munmap(b->br, ring_len);
		b->br = NULL;
		return -ENOMEM;
	}
	memset(&reg, 0, sizeof(reg));
	reg.ring_addr = (uint64_t)(uintptr_t)b->br;
	reg.ring_entries = nr;
	reg.bgid = bgid;
	ret = io_uring_register_buf_ring(ring, &reg, 0);
	if (ret) {
		free(b->mem);
		munmap(b->br, ring_len);
		memset(b, 0, sizeof(*b));
		return ret;
	}
	b->nr = nr;
	b->size = size;
	b->bgid = bgid;
	io_uring_buf_ring_init(b->br);
	for (unsigned int i = 0; i < nr; i++)
		io_uring_buf_ring_add(b->br, (char *)b->mem + i * size, size, i,
				      io_uring_buf_ring_mask(nr), i);
	io_uring_buf_ring_advance(b->br, nr);
	return 0;
}

void *ucmd_bufs_data(const struct ucmd_bufs *b, const struct io_uring_cqe *cqe)
{
	unsigned int bid;

	if (!b || !b->mem || !cqe || !(cqe->flags & IORING_CQE_F_BUFFER))
		return NULL;
	bid = cqe->flags >> IORING_CQE_BUFFER_SHIFT;
	if (bid >= b->nr)
		return NULL;
	return (char *)b->mem + (size_t)bid * b->size;
}

int ucmd_bufs_recycle(struct ucmd_bufs *b, const struct io_uring_cqe *cqe)
{
	unsigned int bid;

	if (!ucmd_bufs_data(b, cqe))
		return -EINVAL;
	bid = cqe->flags >> IORING_CQE_BUFFER_SHIFT;
	io_uring_buf_ring_add(b->br, (char *)b->mem + (size_t)bid * b->size, b->size, bid,
			      io_uring_buf_ring_mask(b->nr), 0);
	io_uring_buf_ring_advance(b->br, 1);
	return 0;
}

int ucmd_bufs_free(struct io_uring *ring, struct ucmd_bufs *b)
{
	int ret = 0;

	if (!b || !b->br)
		return 0;
	/* A ring that was torn down already took the group with it. */
	if (ring && ring->ring_fd >= 0)
		ret = io_uring_unregister_buf_ring(ring, b->bgid);
	munmap(b->br, b->nr * sizeof(struct io_uring_buf));
	free(b->mem);
	memset(b, 0, sizeof(*b));
	return ret;
}

int ucmd_prep_stream(const struct io_uring *ring, struct io_uring_sqe *sqe, int fd, uint32_t cmd_op,
		     const void *payload, size_t len, uint16_t bgid)
{
	int ret = ucmd_prep(ring, sqe, fd, cmd_op, payload, len);

	if (ret)
		return ret;
	sqe->uring_cmd_flags = UCMD_URING_CMD_MULTISHOT;
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = bgid;
	return 0;
}
