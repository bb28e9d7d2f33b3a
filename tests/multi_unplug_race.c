// SPDX-License-Identifier: GPL-2.0
/* multi_unplug_race.c - devices destroyed while threads keep issuing io_uring (inline and io-wq) and ioctl commands: every command ends once, with its result or -ENODEV, and every device is freed. */
#include <pthread.h>
#include <stdatomic.h>

#include "helpers.h"

#define ROUNDS 40
#define BATCH 8

struct worker {
	int fd, id;
	/* Each worker stops at its own first -ENODEV: every one must see the removal. */
	atomic_bool stop_uring, stop_ioctl;
	/* Workers that saw -ENODEV. */
	atomic_int saw;
	/* Commands that ended otherwise than with their result or -ENODEV. */
	atomic_int bad;
	atomic_int done, enodev;
};

static void account(struct worker *w, atomic_bool *stop, int res, int want)
{
	atomic_fetch_add(&w->done, 1);
	if (res == -ENODEV) {
		atomic_fetch_add(&w->enodev, 1);
		if (!atomic_exchange(stop, true))
			atomic_fetch_add(&w->saw, 1);
	} else if (res != want) {
		t_diag("device %d: result %d, want %d or -ENODEV", w->id, res, want);
		atomic_fetch_add(&w->bad, 1);
	}
}

/* Batches of SLEEPs (0-2 ms) and IDs on one ring, some forced to io-wq, reaped in full. */
static void *uring_worker(void *arg)
{
	struct worker *w = arg;
	uint64_t seed = 0x9e3779b97f4a7c15ULL ^ (uint64_t)w->id;
	struct io_uring ring;

	if (ucmd_ring_init(&ring, 2 * BATCH, 0))
		t_bail("ring setup failed");
	while (!atomic_load(&w->stop_uring)) {
		int n = 0;

		for (int i = 0; i < BATCH; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
			uint64_t ns = t_rand(&seed, 2 * T_NS_PER_MS);

			if (i % 3 == 2)
				ucmd_prep(&ring, sqe, w->fd, UCMD_MULTI_ID, NULL, 0);
			else
				ucmd_prep(&ring, sqe, w->fd, UCMD_MULTI_SLEEP, &ns, sizeof(ns));
			if (i % 2)
				sqe->flags |= IOSQE_ASYNC;
			n++;
		}
		if (io_uring_submit(&ring) != n)
			t_bail("submit failed");
		for (int i = 0; i < n; i++) {
			struct io_uring_cqe *cqe;

			if (io_uring_wait_cqe(&ring, &cqe))
				t_bail("wait_cqe failed");
			account(w, &w->stop_uring, cqe->res, w->id);
			io_uring_cqe_seen(&ring, cqe);
		}
	}
	io_uring_queue_exit(&ring);
	return NULL;
}

static void *ioctl_worker(void *arg)
{
	struct worker *w = arg;
	const struct t_path p = { .name = "ioctl" };

	while (!atomic_load(&w->stop_ioctl))
		account(w, &w->stop_ioctl, t_multi_sleep(&p, w->fd, 300 * 1000), w->id);
	return NULL;
}

int main(void)
{
	struct ucmd_multi_stats st0, st;
	uint64_t seed = 0x5eed;
	int ctl, bad = 0, done = 0, enodev = 0, both = 0;

	t_init();
	ctl = t_multi_ctl();
	t_multi_stats(ctl, &st0);
	t_diag("seed %#" PRIx64, seed);
	for (int r = 0; r < ROUNDS; r++) {
		struct worker w = { .id = t_multi_create(ctl) };
		pthread_t tu, ti;

		if (w.id < 0)
			t_bail("CREATE: %s", strerror(-w.id));
		w.fd = t_multi_open(w.id, O_RDWR);
		if (pthread_create(&tu, NULL, uring_worker, &w) ||
		    pthread_create(&ti, NULL, ioctl_worker, &w))
			t_bail("pthread_create failed");
		t_sleep_ms((unsigned int)t_rand(&seed, 15));
		if (t_multi_destroy(ctl, w.id))
			bad++;
		pthread_join(tu, NULL);
		pthread_join(ti, NULL);
		close(w.fd);
		bad += atomic_load(&w.bad);
		done += atomic_load(&w.done);
		enodev += atomic_load(&w.enodev);
		both += atomic_load(&w.saw) == 2;
	}
	t_eq(bad, 0,
	     "%d rounds: every DESTROY worked, every command ended with its result or -ENODEV",
	     ROUNDS);
	t_diag("%d commands, %d of them -ENODEV", done, enodev);
	t_eq(both, ROUNDS, "both workers of every round saw -ENODEV");
	/* Rings are torn down by io_uring's workers: their last references go a moment later. */
	for (int i = 0; i < 200; i++) {
		t_multi_stats(ctl, &st);
		if (st.allocated == st0.allocated)
			break;
		t_sleep_ms(10);
	}
	t_eq_u64(st.allocated, st0.allocated,
		 "every destroyed device was freed after its last close");
	close(ctl);
	return t_done();
}
