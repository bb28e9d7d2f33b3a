// SPDX-License-Identifier: LGPL-2.1 OR MIT
/* ucmd.c - libucmd core: opening devices, ring setup, uring_cmd SQE preparation, ioctl calls and the version. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "internal.h"

/* The command area starts where addr3 lives: byte 48 of the SQE. */
#define UCMD_CMD_OFFSET offsetof(struct io_uring_sqe, addr3)
_Static_assert(offsetof(struct io_uring_sqe, addr3) == 48,
	       "SQE command area must start at byte 48");
_Static_assert(sizeof(struct io_uring_sqe) == 64, "unexpected SQE size");
_Static_assert(64 - 48 == UCMD_SQE_PAYLOAD, "16-byte command area");
_Static_assert(128 - 48 == UCMD_SQE128_PAYLOAD, "80-byte command area");
_Static_assert(sizeof(struct io_uring_cqe) == 16, "unexpected CQE size");

int ucmd_open(const char *path, int flags)
{
	int fd;

	if (!path)
		return -EINVAL;
	do {
		fd = open(path, flags | O_CLOEXEC);
	} while (fd < 0 && errno == EINTR);
	return fd < 0 ? -errno : fd;
}

int ucmd_ring_init(struct io_uring *ring, unsigned int entries, unsigned int setup_flags)
{
	struct io_uring_params p;

	if (!ring || !entries)
		return -EINVAL;
	memset(&p, 0, sizeof(p));
	p.flags = setup_flags;
	return io_uring_queue_init_params(entries, ring, &p);
}

size_t ucmd_ring_payload_size(const struct io_uring *ring)
{
	return (ring->flags & IORING_SETUP_SQE128) ? UCMD_SQE128_PAYLOAD : UCMD_SQE_PAYLOAD;
}

bool ucmd_ring_has_res2(const struct io_uring *ring)
{
	return ring->flags & IORING_SETUP_CQE32;
}

static size_t sqe_size(const struct io_uring *ring)
{
	return (ring->flags & IORING_SETUP_SQE128) ? 2 * sizeof(struct io_uring_sqe) :
						     sizeof(struct io_uring_sqe);
}

/* The command area, addressed through the byte pointer so that 80 bytes are fine on SQE128. */
static unsigned char *cmd_area(struct io_uring_sqe *sqe)
{
	return (unsigned char *)sqe + UCMD_CMD_OFFSET;
}

void ucmd_prep_nop(const struct io_uring *ring, struct io_uring_sqe *sqe)
{
	memset(sqe, 0, sqe_size(ring));
	sqe->opcode = IORING_OP_NOP;
}

int ucmd_prep(const struct io_uring *ring, struct io_uring_sqe *sqe, int fd, uint32_t cmd_op,
	      const void *payload, size_t len)
{
	if (len > ucmd_ring_payload_size(ring) || (len && !payload)) {
		ucmd_prep_nop(ring, sqe);
		return -EINVAL;
	}
	memset(sqe, 0, sqe_size(ring));
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = fd;
	sqe->cmd_op = cmd_op;
	if (len)
		memcpy(cmd_area(sqe), payload, len);
	return 0;
}

int ucmd_prep_ptr(const struct io_uring *ring, struct io_uring_sqe *sqe, int fd, uint32_t cmd_op,
		  const void *ptr)
{
	uint64_t p = (uint64_t)(uintptr_t)ptr;

	return ucmd_prep(ring, sqe, fd, cmd_op, &p, sizeof(p));
}

uint64_t ucmd_cqe_res2(const struct io_uring *ring, const struct io_uring_cqe *cqe)
{
	if (!(ring->flags & IORING_SETUP_CQE32))
		return 0;
	return cqe->big_cqe[0];
}

int ucmd_prep_fixed(struct io_uring_sqe *sqe, unsigned int buf_index)
{
	if (!sqe || sqe->opcode != IORING_OP_URING_CMD || buf_index > UINT16_MAX)
		return -EINVAL;
	sqe->uring_cmd_flags |= IORING_URING_CMD_FIXED;
	sqe->buf_index = (uint16_t)buf_index;
	return 0;
}

int ucmd_call_ioctl(int fd, unsigned long cmd, void *arg)
{
	int ret = ioctl(fd, cmd, arg);

	return ret < 0 ? -errno : ret;
}

const char *ucmd_version(void)
{
	return UCMD_VERSION_STRING;
}

unsigned int ucmd_version_number(void)
{
	return UCMD_VERSION_NUMBER;
}
