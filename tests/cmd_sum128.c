// SPDX-License-Identifier: GPL-2.0
/* cmd_sum128.c - SUM128 sums its 80 inline bytes on SQE128 rings (and through ioctl), and is refused with -EINVAL on 64-byte-SQE rings. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

static int sum(const struct ucmd_demo_blob *b)
{
	int s = 0;

	for (size_t i = 0; i < sizeof(b->data); i++)
		s += b->data[i];
	return s;
}

int main(void)
{
	struct io_uring small, big, big32;
	struct t_path paths[3] = {
		{ "ioctl", NULL },
		{ "uring-sqe128", &big },
		{ "uring-sqe128-cqe32", &big32 },
	};
	struct ucmd_demo_blob blobs[5];
	int fd, v = -1;

	t_init();
	t_require_device();
	t_ring(&small, 4, 0);
	t_ring(&big, 4, IORING_SETUP_SQE128);
	t_ring(&big32, 4, IORING_SETUP_SQE128 | IORING_SETUP_CQE32);
	fd = t_open(O_RDWR);
	t_eq(t_demo_set(&paths[0], fd, 9), 0, "SET_VALUE 9");

	for (int i = 0; i < 80; i++)
		blobs[0].data[i] = (uint8_t)(i + 1); /* 3240 */
	memset(blobs[1].data, 0xff, 80); /* 20400 */
	memset(blobs[2].data, 0, 80); /* 0 */
	memset(blobs[3].data, 0, 80);
	blobs[3].data[79] = 200; /* the last byte counts */
	memset(blobs[4].data, 0, 80);
	blobs[4].data[0] = 7;
	blobs[4].data[16] = 11; /* past the 16-byte area */

	for (int i = 0; i < 3; i++) {
		for (int k = 0; k < 5; k++)
			t_eq(t_demo_sum128(&paths[i], fd, &blobs[k]), sum(&blobs[k]),
			     "%s: SUM128 of blob %d -> %d", paths[i].name, k, sum(&blobs[k]));
	}

	/* A 64-byte SQE has only 16 payload bytes: the device must refuse, not read past it. */
	t_err(ucmd_call_uring(&small, fd, UCMD_DEMO_SUM128, blobs[2].data, 16, NULL), -EINVAL,
	      "uring (64-byte SQE): SUM128 with 16 zero bytes -> -EINVAL");
	t_err(ucmd_call_uring(&small, fd, UCMD_DEMO_SUM128, blobs[0].data, 16, NULL), -EINVAL,
	      "uring (64-byte SQE): SUM128 with 16 non-zero bytes -> -EINVAL");
	t_err(ucmd_call_uring(&small, fd, UCMD_DEMO_SUM128, blobs[0].data, 80, NULL), -EINVAL,
	      "libucmd refuses an 80-byte payload on a 64-byte-SQE ring");
	t_ok(t_demo_get(&paths[0], fd, &v) == 0 && v == 9, "SUM128 leaves the value alone");

	/* SUM128 only reads: a read-only file may use it. */
	{
		int ro = t_open(O_RDONLY);

		t_eq(t_demo_sum128(&paths[1], ro, &blobs[0]), 3240,
		     "uring-sqe128: SUM128 on a read-only file");
		t_eq(t_demo_sum128(&paths[0], ro, &blobs[0]), 3240,
		     "ioctl: SUM128 on a read-only file");
		close(ro);
	}

	close(fd);
	io_uring_queue_exit(&big32);
	io_uring_queue_exit(&big);
	io_uring_queue_exit(&small);
	return t_done();
}
