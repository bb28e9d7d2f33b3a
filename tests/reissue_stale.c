// SPDX-License-Identifier: GPL-2.0
/* reissue_stale.c - only a real reissue after UCMD_RETRY is reported as one: not a fresh command in a request whose earlier command io-wq cancelled before its reissue. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/ucmd_bench.h>

#include "helpers.h"

#define ROUNDS 8
#define UD_BLOCK 1
#define UD_PROBE 2
#define UD_CANCEL 3

/* Submits one REISSUE_PROBE (with @sqe_flags) and returns its result. */
static int probe(struct io_uring *ring, int fd, unsigned int sqe_flags)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	ucmd_prep(ring, sqe, fd, UCMD_BENCH_REISSUE_PROBE, NULL, 0);
	io_uring_sqe_set_flags(sqe, sqe_flags);
	return t_submit_one(ring);
}

/*
 * With one io-wq worker busy in BLOCK, a PROBE that returned UCMD_RETRY waits
 * in io-wq's queue; ASYNC_CANCEL takes it out before its reissue.  Returns the
 * PROBE's result (-ECANCELED expected) or a negative errno of the setup.
 */
static int cancelled_retry(struct io_uring *ring, int fd)
{
	uint32_t msec = 100;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	int probe_res = 1, seen = 0, ret;

	sqe = io_uring_get_sqe(ring);
	ucmd_prep(ring, sqe, fd, UCMD_BENCH_BLOCK, &msec, sizeof(msec));
	io_uring_sqe_set_flags(sqe, IOSQE_ASYNC);
	io_uring_sqe_set_data64(sqe, UD_BLOCK);
	io_uring_submit(ring);
	usleep(10000); /* the worker is in BLOCK now */
	sqe = io_uring_get_sqe(ring);
	ucmd_prep(ring, sqe, fd, UCMD_BENCH_REISSUE_PROBE, NULL, 0);
	io_uring_sqe_set_data64(sqe, UD_PROBE);
	io_uring_submit(ring);
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_cancel64(sqe, UD_PROBE, 0);
	io_uring_sqe_set_data64(sqe, UD_CANCEL);
	io_uring_submit(ring);
	while (seen < 3) {
		ret = io_uring_wait_cqe(ring, &cqe);
		if (ret < 0)
			return ret;
		if (cqe->user_data == UD_PROBE)
			probe_res = cqe->res;
		seen++;
		io_uring_cqe_seen(ring, cqe);
	}
	return probe_res;
}

int main(void)
{
	unsigned int limits[2] = { 1, 1 };
	struct io_uring ring;
	int fd, ret, cancelled = 0, stale = 0;

	t_init();
	setenv("UCMD_DEVICE", "/dev/ucmd-test", 1);
	fd = t_open(O_RDWR);
	t_ring(&ring, 8, 0);

	t_eq(probe(&ring, fd, 0), 1, "a command issued again after UCMD_RETRY is a reissue");
	t_eq(probe(&ring, fd, IOSQE_ASYNC), 0, "a first issue in io-wq (IOSQE_ASYNC) is not");
	t_eq(probe(&ring, fd, 0), 1, "and the next retried command is a reissue again");

	ret = io_uring_register_iowq_max_workers(&ring, limits);
	if (ret < 0) {
		t_skip("io_uring_register_iowq_max_workers", "cannot limit io-wq: %s",
		       strerror(-ret));
		close(fd);
		return t_done();
	}
	for (int r = 0; r < ROUNDS; r++) {
		ret = cancelled_retry(&ring, fd);
		if (ret == -ECANCELED)
			cancelled++;
		/* The fresh command most likely reuses the cancelled one's request. */
		if (probe(&ring, fd, IOSQE_ASYNC) != 0)
			stale++;
	}
	t_ok(cancelled > 0,
	     "a retried command was cancelled in io-wq before its reissue (%d of %d)", cancelled,
	     ROUNDS);
	t_eq(stale, 0, "no fresh command after such a cancel is taken for a reissue");
	io_uring_queue_exit(&ring);
	close(fd);
	return t_done();
}
