// SPDX-License-Identifier: GPL-2.0
/* concurrency.c - hundreds of SLEEPs in flight on one CQE32 ring complete out of order, each exactly once with its tag; concurrent ADDs from several threads and rings are atomic. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

#define NSLEEP 384
#define TAG(i) (0x5100000000000000ULL | ((uint64_t)(i) << 8) | 0x5a)

/* Distinct durations 1..58 ms in an order unrelated to submission. */
static uint64_t duration(unsigned int i)
{
	return 1 * T_NS_PER_MS + (uint64_t)((i * 7919u) % NSLEEP) * 150000ULL;
}

static void many_sleeps(void)
{
	static uint64_t done_at[NSLEEP];
	static int seen[NSLEEP];
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	struct __kernel_timespec ts = { .tv_sec = 15 };
	unsigned int completed = 0, bad_res = 0, bad_tag = 0, dups = 0, early = 0, inversions = 0;
	int fd, ret, maxseen = -1;
	uint64_t t0;

	t_ring(&ring, 512, IORING_SETUP_CQE32);
	fd = t_open(O_RDWR);
	for (unsigned int i = 0; i < NSLEEP; i++) {
		struct ucmd_demo_sleep s = { .nsec = duration(i), .tag = TAG(i) };
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

		if (!sqe)
			t_bail("no SQE for SLEEP %u", i);
		ucmd_prep(&ring, sqe, fd, UCMD_DEMO_SLEEP, &s, sizeof(s));
		io_uring_sqe_set_data64(sqe, i);
	}
	t0 = t_now_ns();
	t_eq(io_uring_submit(&ring), NSLEEP, "%d SLEEPs (1-58 ms) submitted in one go", NSLEEP);

	while (completed < NSLEEP) {
		uint64_t i;

		ret = io_uring_wait_cqe_timeout(&ring, &cqe, &ts);
		if (ret == -EINTR)
			continue;
		if (ret)
			break;
		i = cqe->user_data;
		if (i >= NSLEEP) {
			bad_tag++;
		} else {
			done_at[i] = t_now_ns() - t0;
			if (seen[i]++)
				dups++;
			if (cqe->res != 0)
				bad_res++;
			if (ucmd_cqe_res2(&ring, cqe) != TAG(i))
				bad_tag++;
			if (done_at[i] < duration((unsigned int)i))
				early++;
			if ((int)i < maxseen)
				inversions++;
			else
				maxseen = (int)i;
		}
		completed++;
		io_uring_cqe_seen(&ring, cqe);
	}
	t_eq(completed, NSLEEP, "all %d completions arrived (wait: %d)", NSLEEP, ret);
	t_eq(bad_res, 0, "every SLEEP completed with 0");
	t_eq(bad_tag, 0, "every completion carries its own tag as the second result");
	t_eq(dups, 0, "no SLEEP completed twice");
	{
		unsigned int missing = 0;

		for (unsigned int i = 0; i < NSLEEP; i++)
			missing += !seen[i];
		t_eq(missing, 0, "every tag accounted for");
	}
	t_eq(early, 0, "no SLEEP completed before its duration");
	t_ok(inversions > 0, "completions came back out of submission order (%u inversions)",
	     inversions);
	/*
	 * Real concurrency: everything is done long before the SLEEPs could have run one after
	 * the other.  Neither the CQE order nor reap times of the shortest and longest prove
	 * it: on a slow (debug) kernel both timers fire while io_uring_submit() is still
	 * running, and 6.1 then posts their task_work completions newest first.  The durations
	 * add up to ~11.4 s; one at a time needs at least that, two at a time at least half of
	 * it, so the bound of half leaves a guest stalled by its host seconds to spare.
	 */
	{
		uint64_t serial = 0, last = 0;

		for (unsigned int i = 0; i < NSLEEP; i++) {
			serial += duration(i);
			if (done_at[i] > last)
				last = done_at[i];
		}
		t_ok(last < serial / 2,
		     "the SLEEPs overlapped: all done after %llu ms, one after another %llu ms",
		     (unsigned long long)last / T_NS_PER_MS,
		     (unsigned long long)serial / T_NS_PER_MS);
	}
	t_ok(io_uring_peek_cqe(&ring, &cqe) == -EAGAIN, "no stray completion left");
	close(fd);
	io_uring_queue_exit(&ring);
}

#define NTHREADS 4
#define NADDS 200

struct adder {
	pthread_t thread;
	int fd;
	int id;
	int results[NADDS];
	int err;
};

static void *add_loop(void *arg)
{
	struct adder *a = arg;
	struct io_uring ring;
	struct t_path p = { "ioctl", NULL };

	/* Half the threads use their own ring, half ioctl. */
	if (a->id % 2) {
		if (ucmd_ring_init(&ring, 8, IORING_SETUP_CQE32)) {
			a->err = 1;
			return NULL;
		}
		p.name = "uring";
		p.ring = &ring;
	}
	for (int k = 0; k < NADDS; k++)
		a->results[k] = t_demo_add(&p, a->fd, 1, NULL);
	if (p.ring)
		io_uring_queue_exit(&ring);
	return NULL;
}

static void parallel_adds(void)
{
	static struct adder adders[NTHREADS];
	static int hits[NTHREADS * NADDS + 1];
	int fd = t_open(O_RDWR), v = -1, bad = 0;

	for (int t = 0; t < NTHREADS; t++) {
		adders[t].fd = fd;
		adders[t].id = t;
		if (pthread_create(&adders[t].thread, NULL, add_loop, &adders[t]))
			t_bail("pthread_create");
	}
	for (int t = 0; t < NTHREADS; t++) {
		pthread_join(adders[t].thread, NULL);
		bad += adders[t].err;
		for (int k = 0; k < NADDS; k++) {
			int r = adders[t].results[k];

			if (r < 1 || r > NTHREADS * NADDS || hits[r]++)
				bad++;
		}
	}
	t_ok(t_demo_get(&(struct t_path){ "ioctl", NULL }, fd, &v) == 0 && v == NTHREADS * NADDS,
	     "%d threads x %d ADD 1 on one file end at %d", NTHREADS, NADDS, NTHREADS * NADDS);
	t_eq(bad, 0, "the ADDs returned each new value 1..%d exactly once", NTHREADS * NADDS);
	close(fd);
}

/* SLEEPs on several files in flight on one ring at once. */
static void several_files(void)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	int fds[3], per_fd[3] = { 0 }, bad = 0, n = 0;

	t_ring(&ring, 256, IORING_SETUP_CQE32);
	for (int f = 0; f < 3; f++)
		fds[f] = t_open(O_RDWR);
	for (int i = 0; i < 150; i++) {
		struct ucmd_demo_sleep s = { .nsec = (uint64_t)(150 - i) * 100000,
					     .tag = (uint64_t)i };
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

		ucmd_prep(&ring, sqe, fds[i % 3], UCMD_DEMO_SLEEP, &s, sizeof(s));
		io_uring_sqe_set_data64(sqe, (uint64_t)i);
	}
	t_eq(io_uring_submit(&ring), 150, "150 SLEEPs on 3 files submitted on one ring");
	while (n < 150 && io_uring_wait_cqe(&ring, &cqe) == 0) {
		if (cqe->res != 0 || ucmd_cqe_res2(&ring, cqe) != cqe->user_data ||
		    cqe->user_data >= 150)
			bad++;
		else
			per_fd[cqe->user_data % 3]++;
		n++;
		io_uring_cqe_seen(&ring, cqe);
	}
	t_ok(n == 150 && bad == 0 && per_fd[0] == 50 && per_fd[1] == 50 && per_fd[2] == 50,
	     "all 150 completed with their tags, 50 per file");
	for (int f = 0; f < 3; f++)
		close(fds[f]);
	io_uring_queue_exit(&ring);
}

int main(void)
{
	t_init();
	t_require_device();
	many_sleeps();
	parallel_adds();
	several_files();
	return t_done();
}
