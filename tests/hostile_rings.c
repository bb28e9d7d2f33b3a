// SPDX-License-Identifier: GPL-2.0
/* hostile_rings.c - uring commands on unusual rings and SQEs: IOPOLL (refused cleanly), registered ring fd and fixed files (work), unknown uring_cmd_flags and SUM128 on 64-byte SQEs (refused). */
/*
 * Checked, with the framework counters showing which commands reached the
 * device:
 *  - an IORING_SETUP_IOPOLL ring: the device has no ->uring_cmd_iopoll, so
 *    every command fails with -EOPNOTSUPP before the driver (from io_uring
 *    up to 6.x, from the framework on 7.x, which lets them through), the
 *    same each time, and the ring still runs a NOP;
 *  - a registered ring fd (io_uring_register_ring_fd): commands work, and
 *    the ring closes cleanly with SLEEPs in flight;
 *  - fixed files: commands on a registered file work, also with the normal
 *    fd closed, and the file table can be unregistered with SLEEPs in
 *    flight (they complete with 0);
 *  - sqe->uring_cmd_flags: an unknown bit gives -EINVAL from io_uring,
 *    IORING_URING_CMD_FIXED without registered buffers -EFAULT from
 *    io_uring up to 6.x or -EINVAL from the framework (7.x passes the flag
 *    on; no demo command declares a buffer, UCMD_F_BUF): never the handler;
 *  - SUM128 (80 bytes) on a 64-byte-SQE ring, in the ring's last slot:
 *    -EINVAL from the framework, which reads only the 16-byte area there.
 * Bounds: SLEEPs of at most 0.5 s; ~2 s in total, each wait capped at 10 s.
 */
#include <fcntl.h>
#include <unistd.h>

#include "helpers.h"

static uint64_t n_issued, n_sync;

/*
 * Submits one prepared SQE and waits up to 10 s for its result.  (On IOPOLL
 * rings 7.x returns -ETIME from a timed wait long before the timeout: the
 * wait is repeated until the deadline.)
 */
static int submit1(struct io_uring *ring)
{
	uint64_t deadline = t_now_ns() + 10000 * T_NS_PER_MS;
	struct io_uring_cqe *cqe;
	int res, ret = io_uring_submit(ring);

	if (ret != 1)
		return ret < 0 ? ret : -EIO;
	do {
		struct __kernel_timespec ts = { .tv_nsec = 100 * (long)T_NS_PER_MS };

		ret = io_uring_wait_cqe_timeout(ring, &cqe, &ts);
	} while ((ret == -ETIME || ret == -EINTR) && t_now_ns() < deadline);
	if (ret)
		return ret;
	res = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return res;
}

static int cmd1(struct io_uring *ring, int fd, uint32_t op, const void *pl, size_t len,
		uint8_t sqe_flags, uint32_t cmd_flags)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		t_bail("no SQE");
	if (ucmd_prep(ring, sqe, fd, op, pl, len))
		t_bail("ucmd_prep");
	sqe->flags |= sqe_flags;
	sqe->uring_cmd_flags = cmd_flags;
	return submit1(ring);
}

static void iopoll(int fd)
{
	struct ucmd_stats s0, st;
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct ucmd_demo_sleep sl = { .nsec = T_NS_PER_MS };
	int r1, r2, r3;

	t_ring(&ring, 8, IORING_SETUP_IOPOLL);
	t_stats(&s0);
	r1 = cmd1(&ring, fd, UCMD_DEMO_HELLO, NULL, 0, 0, 0);
	r2 = cmd1(&ring, fd, UCMD_DEMO_HELLO, NULL, 0, 0, 0);
	r3 = cmd1(&ring, fd, UCMD_DEMO_SLEEP, &sl, sizeof(sl), 0, 0);
	t_stats(&st);
	t_err(r1, -EOPNOTSUPP, "IOPOLL ring: HELLO fails with -EOPNOTSUPP");
	t_ok(r2 == r1 && r3 == r1, "IOPOLL ring: the same error again, and for SLEEP (%d, %d)", r2,
	     r3);
	t_eq_u64(st.issued, s0.issued, "IOPOLL ring: none reached the driver");
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	t_eq(submit1(&ring), 0, "IOPOLL ring: a NOP still completes");
	io_uring_queue_exit(&ring);
}

static void registered_ring(int fd)
{
	const char *what = "registered ring fd";
	struct io_uring ring;
	struct t_path p = { "uring", &ring };
	struct ucmd_stats s0, st;
	uint64_t res2 = 0, t0, dt;
	int v = -1, ret;

	t_ring(&ring, 64, IORING_SETUP_CQE32);
	ret = io_uring_register_ring_fd(&ring);
	if (ret == -EINVAL || ret == -EOPNOTSUPP) {
		t_skip("kernel lacks IORING_REGISTER_RING_FDS", "%s", what);
		io_uring_queue_exit(&ring);
		return;
	}
	t_eq(ret, 1, "%s: registered", what);
	t_eq(t_demo_cmd(&p, fd, UCMD_DEMO_HELLO), 0, "%s: HELLO", what);
	t_eq(t_demo_set(&p, fd, 31), 0, "%s: SET 31", what);
	t_ok(t_demo_get(&p, fd, &v) == 0 && v == 31, "%s: GET sees 31", what);
	t_ok(t_demo_add(&p, fd, 11, &res2) == 42 && res2 == 42, "%s: ADD 11 gives 42, res2 42",
	     what);
	t_ok(t_demo_sleep(&p, fd, T_NS_PER_MS, 0xabc, &res2) == 0 && res2 == 0xabc,
	     "%s: SLEEP completes with its tag", what);
	n_issued += 5;
	n_sync += 4;
	t_stats(&s0);
	t0 = t_now_ns();
	t_eq(t_queue_sleeps(&ring, fd, 50, 0, 200 * T_NS_PER_MS, 500 * T_NS_PER_MS), 50,
	     "%s: 50 SLEEPs of 0.2-0.5 s in flight", what);
	t_stats(&st);
	dt = t_now_ns() - t0;
	/*
	 * Issued in the submit, each runs at least 0.2 s: read within 0.2 s, all 50 are in
	 * flight.  Later (a stalled guest) at least one, until the longest (0.49 s) is done.
	 */
	if (dt < 200 * T_NS_PER_MS)
		t_eq_u64(st.inflight - s0.inflight, 50,
			 "%s: they are in flight (all 50, read after %" PRIu64 " ms)", what,
			 dt / T_NS_PER_MS);
	else
		t_ok(st.inflight >= 1 || dt >= 490 * T_NS_PER_MS,
		     "%s: they are in flight (%" PRIu64 ", read after %" PRIu64 " ms)", what,
		     st.inflight, dt / T_NS_PER_MS);
	n_issued += 50;
	io_uring_queue_exit(&ring);
	t_settle(what, &s0, 50, 0, -1, 10000, NULL);
}

static void fixed_files(void)
{
	const char *what = "fixed file";
	struct ucmd_demo_sleep sl = { .nsec = T_NS_PER_MS, .tag = 5 };
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	struct ucmd_stats s0;
	unsigned int ok = 0, n = 0;
	uint64_t t0, ptr;
	int fd = t_open(O_RDWR), v = 77, out = -1, ret;

	t_ring(&ring, 64, IORING_SETUP_CQE32);
	ret = io_uring_register_files(&ring, &fd, 1);
	if (!t_eq(ret, 0, "%s: registered the device file", what)) {
		io_uring_queue_exit(&ring);
		close(fd);
		return;
	}
	close(fd); /* the table keeps the file */
	t_eq(cmd1(&ring, 0, UCMD_DEMO_HELLO, NULL, 0, IOSQE_FIXED_FILE, 0), 0,
	     "%s: HELLO on fixed file 0, normal fd closed", what);
	t_eq(cmd1(&ring, 0, UCMD_DEMO_SET_VALUE, &v, sizeof(v), IOSQE_FIXED_FILE, 0), 0,
	     "%s: SET 77", what);
	ptr = (uint64_t)(uintptr_t)&out;
	t_ok(cmd1(&ring, 0, UCMD_DEMO_GET_VALUE, &ptr, sizeof(ptr), IOSQE_FIXED_FILE, 0) == 0 &&
		     out == 77,
	     "%s: GET sees 77 (%d)", what, out);
	t_eq(cmd1(&ring, 0, UCMD_DEMO_SLEEP, &sl, sizeof(sl), IOSQE_FIXED_FILE, 0), 0,
	     "%s: SLEEP completes", what);
	n_issued += 4;
	n_sync += 3;

	t_stats(&s0);
	for (int i = 0; i < 50; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
		struct ucmd_demo_sleep s = { .nsec = (uint64_t)(200 + i * 6) * T_NS_PER_MS,
					     .tag = T_SLEEP_TAG(i) };

		ucmd_prep(&ring, sqe, 0, UCMD_DEMO_SLEEP, &s, sizeof(s));
		sqe->flags |= IOSQE_FIXED_FILE;
		io_uring_sqe_set_data64(sqe, (uint64_t)i);
	}
	t_eq(io_uring_submit(&ring), 50, "%s: 50 SLEEPs of 0.2-0.5 s submitted", what);
	n_issued += 50;
	t0 = t_now_ns();
	ret = io_uring_unregister_files(&ring);
	t_eq(ret, 0, "%s: the file table unregistered with them in flight (%" PRIu64 " ms)", what,
	     (t_now_ns() - t0) / T_NS_PER_MS);
	while (n < 50) {
		struct __kernel_timespec ts = { .tv_sec = 10 };

		if (io_uring_wait_cqe_timeout(&ring, &cqe, &ts))
			break;
		n++;
		ok += cqe->res == 0 && ucmd_cqe_res2(&ring, cqe) == T_SLEEP_TAG(cqe->user_data);
		io_uring_cqe_seen(&ring, cqe);
	}
	t_ok(n == 50 && ok == 50, "%s: all 50 completed with 0 and their tags (%u of %u)", what, ok,
	     n);
	t_settle(what, &s0, 50, 0, 0, 10000, NULL);
	io_uring_queue_exit(&ring);
}

static void cmd_flags(int fd)
{
	struct ucmd_stats s0, st;
	struct io_uring ring;
	int ret;

	t_ring(&ring, 8, 0);
	t_stats(&s0);
	t_err(cmd1(&ring, fd, UCMD_DEMO_HELLO, NULL, 0, 0, 1u << 31), -EINVAL,
	      "uring_cmd_flags with an unknown bit: -EINVAL");
	ret = cmd1(&ring, fd, UCMD_DEMO_HELLO, NULL, 0, 0, IORING_URING_CMD_FIXED);
	/* io_uring up to 6.x looks the buffer up at prep time; on 7.x the framework refuses. */
	t_ok(ret == -EFAULT || ret == -EINVAL,
	     "IORING_URING_CMD_FIXED without registered buffers: -EFAULT or -EINVAL (%d)", ret);
	t_stats(&st);
	/* The framework counts what it refuses itself (7.x); io_uring's refusals never reach it. */
	t_eq_u64(st.issued - s0.issued, ret == -EINVAL ? 1 : 0,
		 "only a refusal by the framework was counted");
	if (ret == -EINVAL) {
		n_issued++;
		n_sync++;
	}
	t_eq(cmd1(&ring, fd, UCMD_DEMO_HELLO, NULL, 0, 0, 0), 0, "the ring still works");
	n_issued++;
	n_sync++;
	io_uring_queue_exit(&ring);
}

static void sum128_small(int fd)
{
	struct ucmd_demo_blob blob;
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct ucmd_stats s0, st;

	memset(&blob, 0xff, sizeof(blob));
	t_ring(&ring, 4, IORING_SETUP_CQE32);
	/* Use up slots 0-2 so that the SUM128 sits in the last SQE of the array. */
	for (int i = 0; i < 3; i++)
		t_eq(cmd1(&ring, fd, UCMD_DEMO_NOP, NULL, 0, 0, 0), 0, "NOP in slot %d", i);
	n_issued += 3;
	n_sync += 3;
	t_stats(&s0);
	sqe = io_uring_get_sqe(&ring);
	if (!sqe)
		t_bail("no SQE");
	/* ucmd_prep refuses 80 bytes on this ring: build the SQE by hand, 16 bytes of payload. */
	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, NULL, 0, 0);
	sqe->cmd_op = UCMD_DEMO_SUM128;
	memcpy(sqe->cmd, &blob, 16);
	t_ok(sqe == &ring.sq.sqes[3], "the SQE is the last of the array");
	t_err(submit1(&ring), -EINVAL, "SUM128 on a 64-byte-SQE ring: -EINVAL");
	t_stats(&st);
	t_eq_u64(st.issued - s0.issued, 1, "the framework saw and refused it");
	n_issued++;
	n_sync++;
	io_uring_queue_exit(&ring);
}

int main(void)
{
	struct ucmd_stats s0;
	int fd;

	t_init();
	fd = t_open(O_RDWR);
	t_wait_idle(&s0, 15000);
	iopoll(fd);
	registered_ring(fd);
	fixed_files();
	cmd_flags(fd);
	sum128_small(fd);
	close(fd);
	t_settle("all", &s0, n_issued, n_sync, -1, 10000, NULL);
	return t_done();
}
