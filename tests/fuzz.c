// SPDX-License-Identifier: GPL-2.0
/* fuzz.c - random commands, payloads, SQE flags and ring kinds against /dev/ucmd-demo, every result checked. */
/* usage: fuzz [COUNT [RING_KIND_MASK [SECONDS]]] */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/ucmd.h>
#include <linux/ucmd_demo.h>

#define DEV "/dev/ucmd-demo"
#define MAX_BATCH 32
#define NR_RINGS 4

/* What a command may complete with: one exact value, or any value (-1 in any). */
struct expect {
	int res;
	int any; /* result not predictable (value of a shared fd) but not an errno */
	int linked; /* may be -ECANCELED by a failed link head */
	uint32_t op;
};

static const uint32_t known[] = {
	UCMD_DEMO_HELLO, UCMD_DEMO_GET_VALUE, UCMD_DEMO_SET_VALUE, UCMD_DEMO_NOP,
	UCMD_DEMO_ADD,	 UCMD_DEMO_SLEEP,     UCMD_DEMO_SUM128,	   UCMD_VEC,
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static int out_int;
static struct ucmd_vec_entry vec_ents[4];

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static int chance(int percent)
{
	return (int)(rnd() % 100) < percent;
}

static int is_known(uint32_t op)
{
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (known[i] == op)
			return 1;
	return 0;
}

/* Fills a command and says what it must complete with. */
static void make_cmd(struct io_uring_sqe *sqe, int sqe128, uint8_t *pl, struct expect *e)
{
	unsigned int area = sqe128 ? 80 : 16, i;
	int corrupt = chance(15);

	memset(pl, 0, 80);
	e->any = 0;
	e->op = chance(5) ? (uint32_t)rnd() : known[rnd() % (sizeof(known) / sizeof(known[0]))];
	switch (e->op) {
	case UCMD_DEMO_HELLO:
	case UCMD_DEMO_NOP:
		e->res = 0;
		break;
	case UCMD_DEMO_GET_VALUE:
		*(uint64_t *)pl = chance(10) ? 0x10 : (uintptr_t)&out_int;
		e->res = *(uint64_t *)pl == 0x10 ? -EFAULT : 0;
		break;
	case UCMD_DEMO_SET_VALUE:
		*(int32_t *)pl = (int32_t)rnd();
		e->res = 0;
		break;
	case UCMD_DEMO_ADD:
		*(int64_t *)pl = (int64_t)(rnd() % 2001) - 1000;
		e->res = 0;
		e->any = 1;
		break;
	case UCMD_DEMO_SLEEP: {
		struct ucmd_demo_sleep s = { rnd() % 200000, rnd() };

		if (chance(5))
			s.nsec = UCMD_DEMO_MAX_SLEEP_NSEC + 1 + rnd() % 1000;
		memcpy(pl, &s, sizeof(s));
		e->res = s.nsec > UCMD_DEMO_MAX_SLEEP_NSEC ? -EINVAL : 0;
		break;
	}
	case UCMD_DEMO_SUM128:
		e->res = 0;
		for (i = 0; i < 80; i++) {
			pl[i] = (uint8_t)rnd();
			e->res += pl[i];
		}
		if (!sqe128)
			e->res = -EINVAL;
		break;
	case UCMD_VEC: {
		struct ucmd_vec v = { (uintptr_t)vec_ents, 1 + rnd() % 4, 0 };

		for (i = 0; i < 4; i++) {
			memset(&vec_ents[i], 0, sizeof(vec_ents[i]));
			vec_ents[i].cmd_op = chance(70) ? UCMD_DEMO_NOP : (uint32_t)rnd();
		}
		if (chance(5))
			v.nr = 0;
		memcpy(pl, &v, sizeof(v));
		e->res = v.nr ? (int)v.nr : -EINVAL;
		break;
	}
	default:
		e->res = is_known(e->op) ? 0 : -ENOTTY;
		for (i = 0; i < area; i++)
			pl[i] = chance(30) ? (uint8_t)rnd() : 0;
		corrupt = 0;
		break;
	}
	/* A stray byte past what the command uses: -EINVAL, never acted on. */
	if (corrupt && e->op != UCMD_DEMO_SUM128) {
		unsigned int used = e->op == UCMD_DEMO_SLEEP || e->op == UCMD_VEC      ? 16 :
				    e->op == UCMD_DEMO_SET_VALUE		       ? 4 :
				    e->op == UCMD_DEMO_HELLO || e->op == UCMD_DEMO_NOP ? 0 :
											 8;

		if (used < area) {
			pl[used + rnd() % (area - used)] |= 1 + rnd() % 255;
			e->res = -EINVAL;
			e->any = 0;
		}
	}
	memcpy(sqe->cmd, pl, area);
	sqe->cmd_op = e->op;
}

static long long read_stat(const char *name)
{
	char path[128];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/misc/ucmd-demo/ucmd/%s", name);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%lld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/* After the rings are gone every command is accounted for. */
static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits up to 10 s for nothing in flight, then checks the balance. */
static int counters_balance(void)
{
	long long issued, sync, async, cancelled, inflight = -1, t0 = now_ms();

	for (;;) {
		inflight = read_stat("inflight");
		if (inflight == 0 || now_ms() - t0 >= 10000)
			break;
		usleep(10000);
	}
	issued = read_stat("issued");
	sync = read_stat("completed_sync");
	async = read_stat("completed_async");
	cancelled = read_stat("cancelled");
	printf("# issued %lld sync %lld async %lld cancelled %lld inflight %lld\n", issued, sync,
	       async, cancelled, inflight);
	return inflight == 0 && issued >= 0 && issued == sync + async + cancelled;
}

static int ring_init(struct io_uring *ring, int kind)
{
	struct io_uring_params p = { 0 };

	if (kind == 1)
		p.flags = IORING_SETUP_SQE128 | IORING_SETUP_CQE32;
	else if (kind == 2)
		p.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
	else if (kind == 3)
		p.flags = IORING_SETUP_SQPOLL | IORING_SETUP_SQE128;
	return io_uring_queue_init_params(64, ring, &p);
}

int main(int argc, char **argv)
{
	unsigned long target = argc > 1 ? strtoul(argv[1], NULL, 0) : 350000;
	long budget = argc > 3 ? strtol(argv[3], NULL, 0) : 80;
	unsigned long mask = argc > 2 ? strtoul(argv[2], NULL, 0) : 0xf;
	unsigned long done = 0, bad = 0, rounds = 0;
	struct io_uring rings[NR_RINGS];
	int kinds_ok[NR_RINGS] = { 0 };
	struct expect exp[MAX_BATCH];
	uint8_t pl[80];
	int fd, k, ret;
	time_t t0 = time(NULL);

	fd = open(DEV, O_RDWR);
	if (fd < 0) {
		printf("SKIP: %s: %s\n", DEV, strerror(errno));
		return 77;
	}
	for (k = 0; k < NR_RINGS; k++) {
		if (!(mask & (1 << k)))
			continue;
		kinds_ok[k] = !ring_init(&rings[k], k);
		if (kinds_ok[k] && io_uring_register_files(&rings[k], &fd, 1))
			kinds_ok[k] = 0;
		printf("# ring kind %d: %s\n", k, kinds_ok[k] ? "in use" : "unavailable");
	}
	if (!kinds_ok[0]) {
		printf("not ok 1 - a plain ring\n");
		return 1;
	}
	/* Bounded by count and by time, whichever comes first (slow debug kernels). */
	while (done < target && time(NULL) - t0 < budget) {
		struct io_uring *ring;
		unsigned int n = 1 + rnd() % MAX_BATCH, i, got = 0;
		int prev_link = 0;
		char seen[MAX_BATCH] = { 0 };

		do
			k = rnd() % NR_RINGS;
		while (!kinds_ok[k]);
		ring = &rings[k];
		for (i = 0; i < n; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
			int fixed = chance(30);

			io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fixed ? 0 : fd, NULL, 0, 0);
			if (fixed)
				sqe->flags |= IOSQE_FIXED_FILE;
			if (chance(10))
				sqe->flags |= IOSQE_ASYNC;
			make_cmd(sqe, k == 1 || k == 3, pl, &exp[i]);
			/* A failed link head cancels the rest of its chain. */
			exp[i].linked = prev_link;
			prev_link = i + 1 < n && chance(5);
			if (prev_link)
				sqe->flags |= IOSQE_IO_LINK;
			sqe->user_data = i;
		}
		/*
		 * SQPOLL may post completions before it moves the SQ head, so
		 * the count can include the previous round's entries.
		 */
		ret = io_uring_submit(ring);
		if (ret < (int)n) {
			printf("not ok 1 - submitted %d of %u\n", ret, n);
			return 1;
		}
		while (got < n) {
			struct io_uring_cqe *cqe;
			struct expect *e;
			int ok;

			struct __kernel_timespec ts = { .tv_sec = 15 };
			int ret = io_uring_wait_cqe_timeout(ring, &cqe, &ts);

			if (ret) {
				printf("not ok 1 - no completion within 15 s (%s); missing:\n",
				       strerror(-ret));
				for (i = 0; i < n; i++)
					if (!seen[i])
						printf("#   [%u] op %#x want %d linked %d\n", i,
						       exp[i].op, exp[i].res, exp[i].linked);
				return 1;
			}
			e = &exp[cqe->user_data];
			seen[cqe->user_data] = 1;
			ok = cqe->res == e->res || (e->any && cqe->res > -4096 && e->res == 0) ||
			     (e->linked && cqe->res == -ECANCELED);
			if (!ok && bad++ < 10)
				printf("# cmd %#x on ring kind %d: got %d, want %d%s\n", e->op, k,
				       cqe->res, e->res, e->any ? " (or any value)" : "");
			io_uring_cqe_seen(ring, cqe);
			got++;
		}
		done += n;
		rounds++;
	}
	for (k = 0; k < NR_RINGS; k++)
		if (kinds_ok[k])
			io_uring_queue_exit(&rings[k]);
	close(fd);
	printf("# %lu commands in %lu rounds, %ld s\n", done, rounds, (long)(time(NULL) - t0));
	if (!counters_balance())
		bad++;
	printf("%sok 1 - every result as the ABI says (%lu mismatches)\n", bad ? "not " : "", bad);
	printf("1..1\n");
	return bad ? 1 : 0;
}
