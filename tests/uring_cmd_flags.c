// SPDX-License-Identifier: GPL-2.0
/* uring_cmd_flags.c - no uring_cmd_flags bit reaches a handler that did not ask for it: a registered buffer on an op without UCMD_F_BUF, multishot and unknown bits are refused with -EINVAL. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "helpers.h"

#ifndef IORING_URING_CMD_FIXED
#define IORING_URING_CMD_FIXED (1U << 0)
#endif
#define URING_CMD_MULTISHOT (1U << 1)

/* A NOP with @flags in uring_cmd_flags (and @sqe_flags); returns the CQE's result. */
static int nop_with(struct io_uring *ring, int fd, unsigned int flags, unsigned int sqe_flags)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	ucmd_prep(ring, sqe, fd, UCMD_DEMO_NOP, NULL, 0);
	sqe->uring_cmd_flags = flags;
	sqe->flags |= sqe_flags;
	return t_submit_one(ring);
}

/*
 * Refused: -EINVAL from the framework, or an error from io_uring itself on
 * kernels that handle the flag before the driver (6.1: FIXED imports a
 * buffer, -EFAULT; BUFFER_SELECT on uring_cmd, -EOPNOTSUPP).
 */
static void refused(int ret, const char *what)
{
	if (ret < 0 && ret != -EINVAL)
		t_diag("%s: refused by io_uring itself: %s", what, strerror(-ret));
	t_ok(ret < 0, "%s: refused (%d)", what, ret);
}

int main(void)
{
	static char page[4096] __attribute__((aligned(4096)));
	struct ucmd_stats s0, st;
	struct io_uring ring;
	int fd, ret;

	t_init();
	fd = t_open(O_RDWR);
	t_ring(&ring, 8, 0);
	t_stats(&s0);
	t_eq(nop_with(&ring, fd, 0, 0), 0, "a NOP without flags succeeds");
	/* Without registered buffers, 6.1 and 6.12 fail it before the driver (-EFAULT). */
	refused(nop_with(&ring, fd, IORING_URING_CMD_FIXED, 0),
		"IORING_URING_CMD_FIXED without registered buffers");
	ret = io_uring_register_buffers(&ring, &(struct iovec){ page, sizeof(page) }, 1);
	if (ret)
		t_bail("io_uring_register_buffers: %s", strerror(-ret));
	t_stats(&st);
	t_err(nop_with(&ring, fd, IORING_URING_CMD_FIXED, 0), -EINVAL,
	      "IORING_URING_CMD_FIXED with buffer 0 on NOP (no UCMD_F_BUF): -EINVAL");
	t_err(nop_with(&ring, fd, IORING_URING_CMD_FIXED, IOSQE_ASYNC), -EINVAL,
	      "the same issued through io-wq");
	t_stats(&s0);
	t_eq_u64(s0.issued - st.issued, 2, "both reached the framework");
	t_eq_u64(s0.refused, st.refused, "no driver mistake counted");
	ret = io_uring_unregister_buffers(&ring);
	if (ret)
		t_bail("io_uring_unregister_buffers: %s", strerror(-ret));
	/* 7.x passes MULTISHOT with IOSQE_BUFFER_SELECT to the driver. */
	/* From here on nothing may reach the device. */
	t_stats(&s0);
	refused(nop_with(&ring, fd, URING_CMD_MULTISHOT, IOSQE_BUFFER_SELECT),
		"IORING_URING_CMD_MULTISHOT with IOSQE_BUFFER_SELECT");
	refused(nop_with(&ring, fd, URING_CMD_MULTISHOT, IOSQE_BUFFER_SELECT | IOSQE_ASYNC),
		"the same issued through io-wq");
	for (unsigned int bit = 2; bit < 30; bit++) {
		int ret = nop_with(&ring, fd, 1U << bit, 0);

		if (ret >= 0) {
			t_eq(ret, -EINVAL, "uring_cmd_flags bit %u", bit);
			break;
		}
		if (bit == 29)
			t_ok(true, "uring_cmd_flags bits 2-29 one by one: all refused");
	}
	t_stats(&st);
	t_eq_u64(st.issued - s0.issued, 0, "none of them reached the driver");
	io_uring_queue_exit(&ring);
	close(fd);
	return t_done();
}
