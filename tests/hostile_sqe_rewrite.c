// SPDX-License-Identifier: GPL-2.0
/* hostile_sqe_rewrite.c - another thread rewrites a submitted SQE's command area and cmd_op while the kernel reads it: every result matches one consistent snapshot, checked and used alike. */
/*
 * The ring has one SQE slot, prepared once; each round only submits it
 * again while a racer thread on the other CPU keeps storing into it:
 *  1. SET_VALUE payload: bytes 0-7 alternate, in single aligned 8-byte
 *     stores, between X = {value A, zero} and Y = {value B, byte 4 = 0xff}.
 *     X is valid (result 0, value A), Y is not (-EINVAL, value unchanged):
 *     B may never be stored, whatever the timing, or the framework checked
 *     one copy of the payload and used another.
 *  2. cmd_op alternates between SET_VALUE and an unknown number, the value
 *     in the payload changing every round: 0 means the value is this
 *     round's, -ENOTTY means it is unchanged.
 *  3. SUM128 on an SQE128 ring, the 80 bytes alternating qword by qword
 *     between all 1s (sum 80) and all 2s (sum 160): any mix is allowed, but
 *     the sum must lie in [80, 160].
 * Both outcomes must be seen in 1 and 2 (the race really happened).  Each
 * phase runs 20000 rounds or 3 s, whichever ends first; ~10 s at most.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "helpers.h"

#define VAL_A 0x11111111u
#define VAL_B 0x22222222u
#define UNKNOWN_CMD _IO(UCMD_DEMO_MAGIC, 0x7e)
#define ROUNDS 20000
#define BUDGET_NS (3000 * T_NS_PER_MS)

static atomic_int stop;

struct racer {
	volatile uint64_t *words; /* into the SQE */
	unsigned int nwords;
	uint64_t x, y; /* the two states of each word */
	volatile uint32_t *cmd_op; /* or flip cmd_op */
	uint32_t op_a, op_b;
	unsigned long flips;
};

/* Holds a state for a moment, so that each is about as likely to be seen. */
static void hold(void)
{
	for (volatile int i = 0; i < 64; i++)
		;
}

static void *race(void *arg)
{
	struct racer *r = arg;

	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		if (r->cmd_op) {
			*r->cmd_op = r->op_a;
			hold();
			*r->cmd_op = r->op_b;
			hold();
		} else {
			for (unsigned int i = 0; i < r->nwords; i++)
				r->words[i] = r->x;
			hold();
			for (unsigned int i = 0; i < r->nwords; i++)
				r->words[i] = r->y;
			hold();
		}
		r->flips++;
	}
	return NULL;
}

static void start(pthread_t *th, struct racer *r)
{
	atomic_store(&stop, 0);
	if (pthread_create(th, NULL, race, r))
		t_bail("pthread_create");
}

static void finish(pthread_t th)
{
	atomic_store(&stop, 1);
	pthread_join(th, NULL);
}

/* Submits the SQE just taken with io_uring_get_sqe() and returns its result. */
static int submit_prepared(struct io_uring *ring)
{
	struct io_uring_cqe *cqe;
	int res;

	if (io_uring_submit_and_wait(ring, 1) != 1 || io_uring_peek_cqe(ring, &cqe))
		t_bail("submit/wait failed");
	res = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return res;
}

/* Submits the one SQE slot again, as it is now, and returns its result. */
static int resubmit(struct io_uring *ring)
{
	if (!io_uring_get_sqe(ring))
		t_bail("no SQE");
	return submit_prepared(ring);
}

static int get_value(int fd)
{
	int v = -1;

	if (ucmd_call_ioctl(fd, UCMD_DEMO_GET_VALUE, &v))
		t_bail("GET_VALUE failed");
	return v;
}

static void payload_race(int fd, uint64_t *count)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct racer r = { 0 };
	unsigned int ok = 0, inval = 0, bad_res = 0, bad_val = 0, n = 0;
	uint32_t a = VAL_A;
	uint64_t t0;
	pthread_t th;

	t_ring(&ring, 1, 0);
	if (ucmd_call_ioctl(fd, UCMD_DEMO_SET_VALUE, &a))
		t_bail("SET_VALUE failed");
	sqe = io_uring_get_sqe(&ring);
	ucmd_prep(&ring, sqe, fd, UCMD_DEMO_SET_VALUE, &a, sizeof(a));
	if (submit_prepared(&ring) != 0)
		t_bail("SET_VALUE over io_uring failed");
	r.words = (volatile uint64_t *)sqe->cmd;
	r.nwords = 1;
	r.x = VAL_A;
	r.y = VAL_B | (0xffULL << 32);
	start(&th, &r);
	t0 = t_now_ns();
	while (n < ROUNDS && t_now_ns() - t0 < BUDGET_NS) {
		int res = resubmit(&ring), v = get_value(fd);

		n++;
		if (res == 0)
			ok++;
		else if (res == -EINVAL)
			inval++;
		else if (!bad_res++)
			t_diag("round %u: result %d", n, res);
		if ((uint32_t)v != VAL_A && !bad_val++)
			t_diag("round %u: result %d and the value is 0x%x", n, res, v);
	}
	finish(th);
	*count += 2 + n * 2; /* the SETs above, each round's SET and GET */
	t_diag("payload race: %u rounds, %u accepted, %u -EINVAL, %lu racer flips", n, ok, inval,
	       r.flips);
	t_eq(bad_res, 0, "payload race: every result is 0 or -EINVAL");
	t_eq(bad_val, 0, "payload race: the value is always A: the rejected B was never stored");
	t_ok(ok > 0 && inval > 0, "payload race: both snapshots reached the kernel (%u, %u)", ok,
	     inval);
	io_uring_queue_exit(&ring);
}

static void cmd_op_race(int fd, uint64_t *count)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct racer r = { 0 };
	unsigned int ok = 0, notty = 0, bad = 0, n = 0;
	int last, zero = 0;
	uint64_t t0;
	pthread_t th;

	t_ring(&ring, 1, 0);
	if (ucmd_call_ioctl(fd, UCMD_DEMO_SET_VALUE, &zero))
		t_bail("SET_VALUE failed");
	last = 0;
	sqe = io_uring_get_sqe(&ring);
	ucmd_prep(&ring, sqe, fd, UNKNOWN_CMD, NULL, 0);
	io_uring_sqe_set_data64(sqe, 0);
	if (submit_prepared(&ring) != -ENOTTY)
		t_bail("unknown command did not fail with -ENOTTY");
	r.cmd_op = (volatile uint32_t *)&sqe->cmd_op;
	r.op_a = UCMD_DEMO_SET_VALUE;
	r.op_b = UNKNOWN_CMD;
	start(&th, &r);
	t0 = t_now_ns();
	while (n < ROUNDS && t_now_ns() - t0 < BUDGET_NS) {
		int want = (int)n + 1000, res, v;

		/* Only the racer touches cmd_op; the value is ours to change between rounds. */
		*(volatile int *)sqe->cmd = want;
		res = resubmit(&ring);
		v = get_value(fd);
		n++;
		if (res == 0 && v == want) {
			ok++;
			last = v;
		} else if (res == -ENOTTY && v == last) {
			notty++;
		} else if (!bad++) {
			t_diag("round %u: result %d, value %d (this round's %d, before %d)", n, res,
			       v, want, last);
		}
	}
	finish(th);
	*count += 2 + n * 2;
	t_diag("cmd_op race: %u rounds, %u SET, %u -ENOTTY, %lu racer flips", n, ok, notty,
	       r.flips);
	t_eq(bad, 0, "cmd_op race: 0 with this round's value, or -ENOTTY with the value unchanged");
	t_ok(ok > 0 && notty > 0, "cmd_op race: both command numbers reached the kernel (%u, %u)",
	     ok, notty);
	io_uring_queue_exit(&ring);
}

static void sum128_race(int fd, uint64_t *count)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct ucmd_demo_blob blob;
	struct racer r = { 0 };
	unsigned int n = 0, bad = 0, mixed = 0, odd = 0;
	uint64_t t0;
	pthread_t th;

	t_ring(&ring, 1, IORING_SETUP_SQE128);
	memset(&blob, 1, sizeof(blob));
	sqe = io_uring_get_sqe(&ring);
	ucmd_prep(&ring, sqe, fd, UCMD_DEMO_SUM128, &blob, sizeof(blob));
	if (submit_prepared(&ring) != 80)
		t_bail("SUM128 of 80 ones is not 80");
	r.words = (volatile uint64_t *)sqe->cmd;
	r.nwords = 10;
	r.x = 0x0101010101010101ULL;
	r.y = 0x0202020202020202ULL;
	start(&th, &r);
	t0 = t_now_ns();
	while (n < ROUNDS && t_now_ns() - t0 < BUDGET_NS) {
		int res = resubmit(&ring);

		n++;
		if (res < 80 || res > 160) {
			if (!bad++)
				t_diag("round %u: SUM128 gave %d", n, res);
			continue;
		}
		mixed += res != 80 && res != 160;
		odd += (res - 80) % 8 != 0;
	}
	finish(th);
	*count += 1 + n;
	t_diag("SUM128 race: %u rounds, %u mixed snapshots, %u not split at 8-byte boundaries", n,
	       mixed, odd);
	t_eq(bad, 0, "SUM128 race: every sum lies in [80, 160]");
	io_uring_queue_exit(&ring);
}

int main(void)
{
	struct ucmd_stats s0;
	uint64_t count = 0;
	int fd;

	t_init();
	fd = t_open(O_RDWR);
	t_wait_idle(&s0, 15000);
	payload_race(fd, &count);
	cmd_op_race(fd, &count);
	sum128_race(fd, &count);
	close(fd);
	t_settle("all rounds", &s0, count, count, 0, 10000, NULL);
	return t_done();
}
