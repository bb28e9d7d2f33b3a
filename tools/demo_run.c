// SPDX-License-Identifier: GPL-2.0
/* demo_run.c - "ucmdctl demo": every demo command over both paths, 256 concurrent SLEEPs on one ring and the counters, each step checked and shown as text or JSON. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <ucmd/ucmd_demo.h>

#include "ucmdctl.h"

#define DEMO_NSLEEP 256
#define DEMO_SLEEP_STEP 200000ULL /* 0.2 ms between the SLEEPs' durations */
#define DEMO_TAG_BASE 1000

struct demo {
	struct ctx *c;
	int checks;
	int failed;
};

static void demo_check(struct demo *d, bool ok)
{
	d->checks++;
	d->failed += !ok;
}

static void fmt_result(char *buf, size_t len, int ret)
{
	if (ret < 0)
		snprintf(buf, len, "-%s", errno_name(-ret));
	else
		snprintf(buf, len, "%d", ret);
}

/* What one transcript row shows besides the result: a value and a second result, if any. */
struct row_extra {
	const int *value;
	int want_value;
	const uint64_t *res2;
	uint64_t want_res2;
};

static void row_text(const char *path, const char *what, int ret, int want,
		     const struct row_extra *x, bool ok)
{
	char rs[32], ws[32];

	fmt_result(rs, sizeof(rs), ret);
	fmt_result(ws, sizeof(ws), want);
	printf("  %-6s %-34s %-8s", path, what, rs);
	if (x->value)
		printf(" value %-6d", *x->value);
	else
		printf(" %-12s", "");
	if (x->res2 && x->want_res2 > 0xff)
		printf(" res2 %#-8" PRIx64, *x->res2); /* a tag */
	else if (x->res2)
		printf(" res2 %-8" PRIu64, *x->res2);
	else
		printf(" %-13s", "");
	if (ok)
		printf(" ok\n");
	else
		printf(" UNEXPECTED (want %s)\n", ws);
}

/* One transcript row: command, path, result (and value/res2), checked against @want. */
static void demo_row(struct demo *d, const char *path, const char *what, int ret, int want,
		     const struct row_extra *x)
{
	static const struct row_extra none;
	bool ok;

	x = x ? x : &none;
	ok = ret == want && (!x->value || *x->value == x->want_value) &&
	     (!x->res2 || *x->res2 == x->want_res2);
	demo_check(d, ok);
	if (d->c->o.json) {
		struct rec r;

		rec_begin(&r, true, "demo", path);
		rec_str(&r, "section", "commands");
		rec_str(&r, "command", what);
		rec_int(&r, "result", ret);
		rec_int(&r, "expected", want);
		if (x->value)
			rec_int(&r, "value", *x->value);
		if (x->res2)
			rec_u64(&r, "res2", *x->res2);
		rec_bool(&r, "ok", ok);
		rec_end(&r);
		return;
	}
	row_text(path, what, ret, want, x, ok);
}

static int value_of(struct ctx *c, int *v)
{
	*v = -1;
	return demo_call(c, UCMD_DEMO_GET_VALUE, v, sizeof(*v), true, NULL);
}

/* The rows that need no argument of their own: a fresh value, SET, ADD, NOP, SLEEP. */
static void demo_value_rows(struct demo *d, const char *path, uint64_t *r2)
{
	struct ctx *c = d->c;
	struct ucmd_demo_sleep s = { .nsec = 5 * MS, .tag = 0xfeed };
	int v, ret;

	ret = demo_call(c, UCMD_DEMO_HELLO, NULL, 0, false, NULL);
	demo_row(d, path, "HELLO", ret, 0, NULL);
	ret = value_of(c, &v);
	demo_row(d, path, "GET_VALUE (fresh open)", ret, 0, &(struct row_extra){ .value = &v });
	v = 41;
	ret = demo_call(c, UCMD_DEMO_SET_VALUE, &v, sizeof(v), false, NULL);
	demo_row(d, path, "SET_VALUE 41", ret, 0, NULL);
	ret = value_of(c, &v);
	demo_row(d, path, "GET_VALUE", ret, 0,
		 &(struct row_extra){ .value = &v, .want_value = 41 });
	ret = demo_call(c, UCMD_DEMO_ADD, &(int64_t){ 1 }, sizeof(int64_t), false, r2);
	demo_row(d, path, "ADD 1 (result = new value)", ret, 42,
		 &(struct row_extra){ .res2 = r2, .want_res2 = 42 });
	ret = demo_call(c, UCMD_DEMO_NOP, NULL, 0, false, NULL);
	demo_row(d, path, "NOP", ret, 0, NULL);
	ret = demo_call(c, UCMD_DEMO_SLEEP, &s, sizeof(s), false, r2);
	demo_row(d, path, "SLEEP 5 ms, tag 0xfeed", ret, 0,
		 &(struct row_extra){ .res2 = r2, .want_res2 = 0xfeed });
}

/* Every command over one path, on a fresh open (and a read-only one for the EBADF row). */
static void demo_commands(struct demo *d, bool use_ioctl)
{
	struct ctx *c = d->c;
	const char *path = use_ioctl ? "ioctl" : "uring";
	struct ucmd_demo_blob blob;
	struct ucmd_demo_sleep s = { .nsec = 11000 * MS };
	const char *name = dev_name(UCMD_DEMO_DEVICE);
	uint64_t res2;
	int fd, ro, v, ret;

	fd = dev_open(c->o.dev, name, false, NULL, " (is the ucmd_demo module loaded?)");
	ro = dev_open(c->o.dev, name, true, NULL, " (is the ucmd_demo module loaded?)");
	c->fd = fd;
	c->o.use_ioctl = use_ioctl;
	demo_value_rows(d, path, use_ioctl ? NULL : &res2);
	for (int i = 0; i < (int)sizeof(blob.data); i++)
		blob.data[i] = (uint8_t)(i + 1);
	ret = demo_call(c, UCMD_DEMO_SUM128, &blob, sizeof(blob), false, NULL);
	demo_row(d, path, "SUM128 of bytes 1..80", ret, 3240, NULL);
	ret = demo_call(c, _IO('|', 0), NULL, 0, false, NULL);
	demo_row(d, path, "_IO('|', 0) (unknown)", ret, -ENOTTY, NULL);
	ret = demo_call(c, UCMD_DEMO_SLEEP, &s, sizeof(s), false, NULL);
	demo_row(d, path, "SLEEP 11 s (over the limit)", ret, -EINVAL, NULL);
	c->fd = ro;
	v = 7;
	ret = demo_call(c, UCMD_DEMO_SET_VALUE, &v, sizeof(v), false, NULL);
	demo_row(d, path, "SET_VALUE 7 on a read-only open", ret, -EBADF, NULL);
	c->fd = fd;
	ret = value_of(c, &v);
	demo_row(d, path, "GET_VALUE", ret, 0,
		 &(struct row_extra){ .value = &v, .want_value = 42 });
	close(ro);
	close(fd);
	c->fd = -1;
}

static uint64_t demo_duration(unsigned int i)
{
	/* 1.0 to 52.0 ms in 0.2 ms steps, in an order unrelated to i. */
	return 1 * MS + (uint64_t)((i * 97u) % DEMO_NSLEEP) * DEMO_SLEEP_STEP;
}

/* What the 256 SLEEPs gave back. */
struct sleeps {
	unsigned char seen[DEMO_NSLEEP];
	unsigned int order[DEMO_NSLEEP];
	unsigned int completed, errors, bad_tags, out_of_order, missing;
	uint64_t elapsed;
};

/* Queues the SLEEPs on @ring, submits them with one call and reaps every completion. */
static void sleeps_run(struct io_uring *ring, int fd, struct sleeps *z)
{
	struct __kernel_timespec ts = { .tv_sec = 15 };
	struct io_uring_cqe *cqe;
	int ret, maxseen = -1;
	uint64_t t0;

	for (unsigned int i = 0; i < DEMO_NSLEEP; i++) {
		struct ucmd_demo_sleep s = { .nsec = demo_duration(i), .tag = DEMO_TAG_BASE + i };
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

		ucmd_prep(ring, sqe, fd, UCMD_DEMO_SLEEP, &s, sizeof(s));
		io_uring_sqe_set_data64(sqe, i);
	}
	t0 = now_ns();
	ret = io_uring_submit(ring);
	if (ret != DEMO_NSLEEP)
		die(ret < 0 ? -ret : 0, "demo: io_uring_submit: %s",
		    ret < 0 ? strerror(-ret) : "short submission");
	while (z->completed < DEMO_NSLEEP) {
		uint64_t i;

		ret = io_uring_wait_cqe_timeout(ring, &cqe, &ts);
		if (ret == -EINTR)
			continue;
		if (ret)
			break;
		i = cqe->user_data;
		z->errors += cqe->res != 0;
		z->order[z->completed++] = (unsigned int)i;
		if (i >= DEMO_NSLEEP || ucmd_cqe_res2(ring, cqe) != DEMO_TAG_BASE + i ||
		    z->seen[i]++)
			z->bad_tags++;
		else if ((int)i < maxseen)
			z->out_of_order++;
		else
			maxseen = (int)i;
		io_uring_cqe_seen(ring, cqe);
	}
	z->elapsed = now_ns() - t0;
	for (unsigned int i = 0; i < DEMO_NSLEEP; i++)
		z->missing += !z->seen[i];
}

static void sleeps_text(const struct sleeps *z, bool ok)
{
	printf("  submitted %d SLEEPs of %.1f-%.1f ms with one io_uring_submit()\n", DEMO_NSLEEP,
	       (double)demo_duration(0) / 1e6,
	       (double)(1 * MS + (DEMO_NSLEEP - 1) * DEMO_SLEEP_STEP) / 1e6);
	printf("  completed %u/%d in %.1f ms, %u with an error\n", z->completed, DEMO_NSLEEP,
	       (double)z->elapsed / 1e6, z->errors);
	printf("  %u completions came back out of submission order; the first ten:",
	       z->out_of_order);
	for (unsigned int k = 0; k < 10 && k < z->completed; k++)
		printf(" #%u", z->order[k]);
	printf("\n  tags (second result, cqe->big_cqe[0]): %s\n",
	       z->missing == 0 && z->bad_tags == 0 ?
		       "all 256 returned exactly once, each with its SLEEP" :
		       "MISSING OR WRONG");
	printf("  %s\n", ok ? "ok" : "UNEXPECTED");
}

static void demo_concurrency(struct demo *d, int fd)
{
	static struct sleeps z;
	struct io_uring ring;
	struct rec r;
	bool ok;
	int ret;

	ret = ucmd_ring_init(&ring, DEMO_NSLEEP, IORING_SETUP_CQE32);
	if (ret < 0)
		die(-ret, "demo: io_uring setup (CQE32): %s", strerror(-ret));
	if (!d->c->o.json)
		printf("\n2. %d SLEEPs in flight at once on one CQE32 ring\n", DEMO_NSLEEP);
	sleeps_run(&ring, fd, &z);
	io_uring_queue_exit(&ring);
	ok = z.completed == DEMO_NSLEEP && z.errors == 0 && z.bad_tags == 0 && z.missing == 0 &&
	     z.out_of_order > 0;
	demo_check(d, ok);
	if (!d->c->o.json) {
		sleeps_text(&z, ok);
		return;
	}
	rec_begin(&r, true, "demo", "uring");
	rec_str(&r, "section", "concurrency");
	rec_int(&r, "submitted", DEMO_NSLEEP);
	rec_int(&r, "completed", z.completed);
	rec_int(&r, "errors", z.errors);
	rec_int(&r, "out_of_order", z.out_of_order);
	rec_int(&r, "missing_tags", z.missing);
	rec_int(&r, "bad_tags", z.bad_tags);
	rec_ms(&r, "elapsed_ms", z.elapsed);
	rec_bool(&r, "ok", ok);
	rec_end(&r);
}

static int64_t imbalance(const struct ucmd_stats *st)
{
	return (int64_t)(st->issued - (st->completed_sync + st->completed_async + st->cancelled));
}

static void demo_counts(const struct ctx *c, const struct ucmd_stats *st,
			const struct ucmd_stats *before, bool balanced)
{
	struct rec r;

	if (!c->o.json) {
		printf("  the demo's own commands: issued +%" PRIu64 " = completed_sync +%" PRIu64
		       " + completed_async +%" PRIu64 " + cancelled +%" PRIu64
		       ", nothing in flight: %s\n",
		       st->issued - before->issued, st->completed_sync - before->completed_sync,
		       st->completed_async - before->completed_async,
		       st->cancelled - before->cancelled, balanced ? "yes" : "NO");
		return;
	}
	rec_begin(&r, true, "demo", NULL);
	rec_str(&r, "section", "demo_counts");
	rec_u64(&r, "issued", st->issued - before->issued);
	rec_u64(&r, "completed_sync", st->completed_sync - before->completed_sync);
	rec_u64(&r, "completed_async", st->completed_async - before->completed_async);
	rec_u64(&r, "cancelled", st->cancelled - before->cancelled);
	rec_bool(&r, "ok", balanced);
	rec_end(&r);
}

/*
 * Shows the counters and checks that the demo's own commands balance:
 * issued grew by exactly as much as completed_sync + completed_async +
 * cancelled.  (Absolute balance is not expected: RESET_STATS may have run
 * while something was counted.)
 */
static void demo_counters(struct demo *d, const struct ucmd_stats *before)
{
	struct ctx *c = d->c;
	struct ucmd_stats st;
	uint64_t deadline = now_ns() + 5000 * MS;
	bool balanced;
	int ret;

	if (!c->o.json)
		printf("\n3. Framework counters (" UCMD_SYSFS_DIR ")\n", dev_name(c->o.dev));
	for (;;) {
		ret = ucmd_stats_read(c->o.dev, &st);
		if (ret < 0 || st.inflight == 0 || now_ns() > deadline)
			break;
		usleep(10000);
	}
	if (ret < 0) {
		demo_check(d, false);
		fflush(stdout);
		fprintf(stderr, PROG ": demo: reading the counters: %s\n", strerror(-ret));
		return;
	}
	balanced = st.inflight == 0 && imbalance(&st) == imbalance(before);
	demo_check(d, balanced);
	print_stats(c, "demo", &st);
	demo_counts(c, &st, before, balanced);
}

static void demo_summary(const struct demo *d)
{
	struct rec r;

	if (d->c->o.json) {
		rec_begin(&r, true, "demo", NULL);
		rec_str(&r, "section", "summary");
		rec_int(&r, "checks", d->checks);
		rec_int(&r, "failed", d->failed);
		rec_bool(&r, "ok", d->failed == 0);
		rec_end(&r);
	} else {
		printf("\ndemo: %d of %d checks as expected\n", d->checks - d->failed, d->checks);
	}
	fflush(stdout);
	if (d->failed)
		fprintf(stderr, PROG ": demo: %d of %d checks failed\n", d->failed, d->checks);
}

int cmd_demo(struct ctx *c)
{
	struct demo d = { .c = c };
	struct ucmd_stats before;
	int sret, fd;

	/* The uring rows need SQE128 (SUM128) and CQE32 (second results). */
	fd = dev_open(c->o.dev, dev_name(UCMD_DEMO_DEVICE), false, NULL,
		      " (is the ucmd_demo module loaded?)");
	out_context("demo", NULL);
	/* Both paths or none: where io_uring is disabled ring_open() says so and exits. */
	sret = ring_open(c, 8, IORING_SETUP_SQE128 | IORING_SETUP_CQE32, false);
	if (sret < 0)
		die(-sret, "demo: io_uring setup (SQE128|CQE32): %s", strerror(-sret));
	if (!c->o.json) {
		printf("ucmd demo on %s\n\n", c->o.dev);
		printf("1. Every command over both paths (a fresh open each, so the value starts at 0)\n");
		printf("  %-6s %-34s %-8s %-12s %-13s %s\n", "path", "command", "result", "value",
		       "res2", "check");
	}
	/* Counters before anything of the demo ran, to check its commands' balance. */
	sret = ucmd_stats_read(c->o.dev, &before);
	demo_commands(&d, true);
	demo_commands(&d, false);
	demo_concurrency(&d, fd);
	close(fd);
	if (sret < 0) {
		demo_check(&d, false);
		fflush(stdout);
		fprintf(stderr, PROG ": demo: reading the counters: %s\n", strerror(-sret));
	} else {
		demo_counters(&d, &before);
	}
	demo_summary(&d);
	return d.failed ? EXIT_REFUSED : EXIT_OK;
}
