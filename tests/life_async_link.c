// SPDX-License-Identifier: GPL-2.0
/* life_async_link.c - every demo command gives the same result issued from io-wq (IOSQE_ASYNC) as inline, and link chains of uring commands run, fail and cancel as io_uring defines. */
/*
 * Link semantics checked: a chain completes in order; a failed command
 * (negative result) cancels the rest with -ECANCELED; a positive result
 * (ADD's new value, SUM128's sum) is success and must not break the chain,
 * inline or from io-wq (6.1 took a positive return from ->uring_cmd as an
 * error; the framework posts such results itself).  All commands are
 * synchronous or SLEEPs of at most 5 ms: the test takes well under a second,
 * each wait is bounded by 10 s, the counters must settle within 10 s.
 */
#include <fcntl.h>
#include <unistd.h>

#include "helpers.h"

#define UNKNOWN_CMD _IO(UCMD_DEMO_MAGIC, 0x7f)

/* Commands sent to the device and how many of them complete synchronously. */
static uint64_t n_issued, n_sync;

struct item {
	uint32_t op;
	uint8_t payload[80];
	size_t len;
	uint8_t flags; /* IOSQE_ASYNC */
	int expect; /* result */
	bool res2; /* check the second result (CQE32 rings) */
	uint64_t expect_res2;
};

static struct item it_plain(uint32_t op, int expect)
{
	return (struct item){ .op = op, .expect = expect };
}

static struct item it_int(uint32_t op, const void *arg, size_t len, int expect)
{
	struct item it = { .op = op, .len = len, .expect = expect };

	memcpy(it.payload, arg, len);
	return it;
}

static void account(const struct item *it)
{
	if (it->expect == -ECANCELED)
		return; /* never reached the device */
	n_issued++;
	if (it->op != UCMD_DEMO_SLEEP || it->expect != 0)
		n_sync++;
	if (it->op == UCMD_VEC && it->expect > 0) {
		/* The framework counts each entry of a vector as a command too. */
		n_issued += (uint64_t)it->expect;
		n_sync += (uint64_t)it->expect;
	}
}

/*
 * Submits @n items, linked if @link, and checks each result, the order of
 * the completions and the second results.
 */
static void run(struct io_uring *ring, int fd, const char *what, struct item *items, unsigned int n,
		bool link)
{
	unsigned int got = 0, bad = 0, order = 0;
	struct __kernel_timespec ts = { .tv_sec = 10 };
	struct io_uring_cqe *cqe;

	for (unsigned int i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

		if (!sqe)
			t_bail("%s: no SQE", what);
		ucmd_prep(ring, sqe, fd, items[i].op, items[i].payload, items[i].len);
		/* Bytes past len: unused bytes the framework must see as set. */
		if (items[i].len > ucmd_ring_payload_size(ring))
			t_bail("%s: payload too large", what);
		sqe->flags |= items[i].flags;
		if (link && i + 1 < n)
			sqe->flags |= IOSQE_IO_LINK;
		io_uring_sqe_set_data64(sqe, i);
		account(&items[i]);
	}
	if (io_uring_submit(ring) != (int)n)
		t_bail("%s: submit failed", what);
	while (got < n && io_uring_wait_cqe_timeout(ring, &cqe, &ts) == 0) {
		uint64_t i = cqe->user_data;

		if (i >= n) {
			bad++;
		} else {
			if (i != got)
				order++;
			if (cqe->res != items[i].expect) {
				bad++;
				t_diag("%s: command %" PRIu64 " (0x%x%s) gave %d, want %d", what, i,
				       items[i].op, items[i].flags & IOSQE_ASYNC ? ", async" : "",
				       cqe->res, items[i].expect);
			} else if (items[i].res2 && ucmd_ring_has_res2(ring) &&
				   ucmd_cqe_res2(ring, cqe) != items[i].expect_res2) {
				bad++;
				t_diag("%s: command %" PRIu64 " res2 0x%" PRIx64
				       ", want 0x%" PRIx64,
				       what, i, ucmd_cqe_res2(ring, cqe), items[i].expect_res2);
			}
		}
		got++;
		io_uring_cqe_seen(ring, cqe);
	}
	t_ok(got == n && bad == 0,
	     "%s: %u completions with the expected results (%u of %u, %u wrong)", what, n, got, n,
	     bad);
	if (link)
		t_eq(order, 0, "%s: the chain completed in order", what);
}

static void set_value(int fd, int v)
{
	if (ucmd_call_ioctl(fd, UCMD_DEMO_SET_VALUE, &v) != 0)
		t_bail("SET_VALUE by ioctl failed");
	n_issued++;
	n_sync++;
}

/* One command of each kind, inline and then from io-wq; the expected results are the same. */
static void every_kind(struct io_uring *ring, int fd, const char *rname)
{
	static int out;
	uint64_t ptr = (uint64_t)(uintptr_t)&out;
	int v = 4321;
	int64_t delta = 5;
	struct ucmd_demo_sleep sl = { .nsec = T_NS_PER_MS, .tag = 0xfeed };
	struct ucmd_demo_blob blob;
	struct ucmd_vec_entry ents[2];
	struct ucmd_vec vec = { .entries = (uint64_t)(uintptr_t)ents, .nr = 2 };
	bool big = ucmd_ring_payload_size(ring) == 80;
	int sum = 0;

	for (int i = 0; i < 80; i++) {
		blob.data[i] = (uint8_t)(i * 3 + 1);
		sum += blob.data[i];
	}
	for (int async = 0; async < 2; async++) {
		char what[96];
		struct item items[8];
		unsigned int n = 0;

		snprintf(what, sizeof(what), "%s, %s", rname, async ? "IOSQE_ASYNC" : "inline");
		set_value(fd, 100);
		out = -1;
		ucmd_vec_entry_init(&ents[0], UCMD_DEMO_NOP, NULL, 0);
		ucmd_vec_entry_init(&ents[1], UCMD_DEMO_HELLO, NULL, 0);
		items[n++] = it_plain(UCMD_DEMO_HELLO, 0);
		items[n++] = it_plain(UCMD_DEMO_NOP, 0);
		items[n++] = it_int(UCMD_DEMO_GET_VALUE, &ptr, sizeof(ptr), 0);
		items[n] = it_int(UCMD_DEMO_ADD, &delta, sizeof(delta), 105);
		items[n].res2 = true;
		items[n++].expect_res2 = 105;
		items[n] = it_int(UCMD_DEMO_SLEEP, &sl, sizeof(sl), 0);
		items[n].res2 = true;
		items[n++].expect_res2 = 0xfeed;
		items[n++] = it_int(UCMD_VEC, &vec, sizeof(vec), 2);
		items[n++] = big ? it_int(UCMD_DEMO_SUM128, &blob, sizeof(blob), sum) :
				   it_plain(UCMD_DEMO_NOP, 0);
		items[n++] = it_int(UCMD_DEMO_SET_VALUE, &v, sizeof(v), 0);
		for (unsigned int i = 0; i < n; i++)
			items[i].flags = async ? IOSQE_ASYNC : 0;
		/* Linked, so that GET sees 100 before ADD and SET run. */
		run(ring, fd, what, items, n, true);
		/* An unknown command fails: alone, not to cancel a chain. */
		items[0] = it_plain(UNKNOWN_CMD, -ENOTTY);
		items[0].flags = async ? IOSQE_ASYNC : 0;
		run(ring, fd, what, items, 1, false);
		t_eq(out, 100, "%s: GET_VALUE wrote the value", what);
		t_ok(ents[0].result == 0 && ents[1].result == 0, "%s: UCMD_VEC ran both entries",
		     what);
		out = -1;
		t_ok(ucmd_call_ioctl(fd, UCMD_DEMO_GET_VALUE, &out) == 0 && out == v,
		     "%s: SET_VALUE set %d", what, v);
		n_issued++;
		n_sync++;
	}
}

static void chains(struct io_uring *ring, int fd, const char *rname)
{
	struct ucmd_demo_sleep s5 = { .nsec = 5 * T_NS_PER_MS, .tag = 5 },
			       s1 = { .nsec = T_NS_PER_MS, .tag = 1 };
	uint8_t bad[16] = { 0 };
	int64_t seven = 7, one = 1;
	struct ucmd_demo_blob blob;
	struct item items[8];
	char what[128];

	memset(&blob, 2, sizeof(blob));
	bad[3] = 1; /* HELLO uses no byte: this one must be zero */

	for (int i = 0; i < 8; i++)
		items[i] = it_plain(UCMD_DEMO_NOP, 0);
	snprintf(what, sizeof(what), "%s: 8 linked NOPs", rname);
	run(ring, fd, what, items, 8, true);

	items[0] = it_plain(UCMD_DEMO_NOP, 0);
	items[1] = it_int(UCMD_DEMO_SLEEP, &s5, sizeof(s5), 0);
	items[2] = it_plain(UCMD_DEMO_NOP, 0);
	items[3] = it_int(UCMD_DEMO_SLEEP, &s1, sizeof(s1), 0);
	items[4] = it_plain(UCMD_DEMO_HELLO, 0);
	snprintf(what, sizeof(what), "%s: chain through two SLEEPs", rname);
	run(ring, fd, what, items, 5, true);

	for (int async = 0; async < 2; async++) {
		const char *how = async ? "IOSQE_ASYNC" : "inline";

		items[0] = it_int(UCMD_DEMO_HELLO, bad, sizeof(bad), -EINVAL);
		for (int i = 1; i < 4; i++)
			items[i] = it_plain(UCMD_DEMO_NOP, -ECANCELED);
		items[0].flags = async ? IOSQE_ASYNC : 0;
		snprintf(what, sizeof(what),
			 "%s: head fails with -EINVAL (%s), the rest -ECANCELED", rname, how);
		run(ring, fd, what, items, 4, true);

		items[0] = it_plain(UCMD_DEMO_NOP, 0);
		items[1] = it_int(UCMD_DEMO_HELLO, bad, sizeof(bad), -EINVAL);
		items[1].flags = async ? IOSQE_ASYNC : 0;
		items[2] = it_plain(UCMD_DEMO_NOP, -ECANCELED);
		items[3] = it_int(UCMD_DEMO_SLEEP, &s1, sizeof(s1), -ECANCELED);
		snprintf(what, sizeof(what), "%s: failure in the middle (%s) cancels the rest",
			 rname, how);
		run(ring, fd, what, items, 4, true);

		items[0] = it_plain(UNKNOWN_CMD, -ENOTTY);
		items[0].flags = async ? IOSQE_ASYNC : 0;
		items[1] = it_plain(UCMD_DEMO_NOP, -ECANCELED);
		snprintf(what, sizeof(what), "%s: unknown command (%s) fails the chain", rname,
			 how);
		run(ring, fd, what, items, 2, true);

		set_value(fd, 0);
		items[0] = it_int(UCMD_DEMO_ADD, &seven, sizeof(seven), 7);
		items[1] = it_plain(UCMD_DEMO_NOP, 0);
		items[2] = it_int(UCMD_DEMO_ADD, &one, sizeof(one), 8);
		items[3] = it_plain(UCMD_DEMO_HELLO, 0);
		items[0].flags = items[2].flags = async ? IOSQE_ASYNC : 0;
		items[0].res2 = items[2].res2 = true;
		items[0].expect_res2 = 7;
		items[2].expect_res2 = 8;
		snprintf(what, sizeof(what),
			 "%s: ADD's positive result does not break the chain (%s)", rname, how);
		run(ring, fd, what, items, 4, true);

		if (ucmd_ring_payload_size(ring) == 80) {
			items[0] = it_int(UCMD_DEMO_SUM128, &blob, sizeof(blob), 160);
			items[0].flags = async ? IOSQE_ASYNC : 0;
			items[1] = it_plain(UCMD_DEMO_NOP, 0);
			snprintf(what, sizeof(what),
				 "%s: SUM128's positive result keeps the chain (%s)", rname, how);
			run(ring, fd, what, items, 2, true);
		}
	}
}

int main(void)
{
	struct io_uring ring, ring128;
	struct ucmd_stats s0;
	int fd;

	t_init();
	fd = t_open(O_RDWR);
	t_ring(&ring, 32, 0);
	t_ring(&ring128, 32, IORING_SETUP_SQE128 | IORING_SETUP_CQE32);
	t_wait_idle(&s0, 15000);

	every_kind(&ring, fd, "64-byte SQEs");
	every_kind(&ring128, fd, "SQE128|CQE32");
	chains(&ring, fd, "64-byte SQEs");
	chains(&ring128, fd, "SQE128|CQE32");

	io_uring_queue_exit(&ring);
	io_uring_queue_exit(&ring128);
	close(fd);
	t_settle("all commands", &s0, n_issued, n_sync, 0, 10000, NULL);
	return t_done();
}
