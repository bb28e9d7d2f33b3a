// SPDX-License-Identifier: GPL-2.0
/* multi_unplug_stream_race.c - devices removed while hrtimers post to their TICK streams and while the streams' rings are torn down: every stream ends once, its hook runs once, every device is freed. */
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>

#include "helpers.h"

#define ROUNDS 120
#define NS 4
#define BGID 1

struct round {
	int fd, id;
	uint64_t seed;
	/* Tear the ring down this long after the streams are submitted; 0: reap to the end. */
	unsigned int exit_us;
	uint16_t slow;
	atomic_int started;
	/* Filled by the worker when it reaped to the end. */
	struct t_tick t[NS];
	unsigned int stray;
};

/*
 * NS streams of 0.1-2 ms periods, some issued from io-wq, the last one's handler in odd rounds
 * still running 1 ms after its start; reaped, or the ring torn down.
 */
static void *worker(void *arg)
{
	struct round *r = arg;
	struct io_uring ring;
	struct ucmd_bufs b;

	if (ucmd_ring_init(&ring, 2 * NS, 0) ||
	    ucmd_bufs_init(&ring, &b, BGID, 64, sizeof(struct ucmd_multi_event)))
		t_bail("ring setup failed");
	for (int i = 0; i < NS; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
		uint64_t period = 100000 + t_rand(&r->seed, 1900000);

		r->t[i] = (struct t_tick){ .ud = i + 1, .final_res = 1 };
		t_multi_tick_prep(sqe, &ring, r->fd, period, i == NS - 1 ? r->slow : 0, BGID,
				  r->t[i].ud);
		if (i % 2)
			sqe->flags |= IOSQE_ASYNC;
	}
	if (io_uring_submit(&ring) != NS)
		t_bail("submit failed");
	atomic_store(&r->started, 1);
	if (r->exit_us) {
		usleep(r->exit_us);
	} else {
		r->stray = t_tick_reap(&ring, r->t, NS, &b, r->id, 0, 10000);
		r->stray += t_tick_reap(&ring, r->t, NS, &b, r->id, UINT_MAX, 20);
	}
	io_uring_queue_exit(&ring);
	ucmd_bufs_free(NULL, &b);
	return NULL;
}

/* A reaped round: each stream one final CQE (-ENODEV, or its own end first), nothing after. */
static void account(const struct round *r, int *bad, int *enodev, int *unended)
{
	*bad += (int)r->stray;
	for (int i = 0; i < NS; i++) {
		const struct t_tick *t = &r->t[i];

		if (!t->ended) {
			(*unended)++;
			continue;
		}
		bool ok = t->final_res == -ENODEV || t->final_res == -EOVERFLOW ||
			  t->final_res == -ENOBUFS;

		*bad += (int)(t->bad + t->bad_seq) + !ok;
		*enodev += t->final_res == -ENODEV;
		if (t->bad || t->bad_seq || !ok)
			t_diag("device %d stream %d: final %d, %u events, %u bad, %u out of order",
			       r->id, i, t->final_res, t->events, t->bad, t->bad_seq);
	}
}

int main(void)
{
	struct ucmd_multi_stats s0, st;
	uint64_t seed = 0x5eed51;
	int ctl, bad = 0, enodev = 0, unended = 0, destroyed = 0, reaped = 0;

	t_init();
	ctl = t_multi_ctl();
	if (!t_kernel_streams()) {
		int id = t_multi_create(ctl), fd;

		if (id < 0)
			t_bail("CREATE: %s", strerror(-id));
		fd = t_multi_open(id, O_RDWR);
		t_multi_tick_unsupported(ctl, fd);
		close(fd);
		t_eq(t_multi_destroy(ctl, id), 0, "the device is removed");
		t_skip("kernel before 7.x", "removal racing streams");
		close(ctl);
		return t_done();
	}
	t_multi_stats(ctl, &s0);
	t_diag("seed %#" PRIx64, seed);
	for (int n = 0; n < ROUNDS; n++) {
		struct round r = { .id = t_multi_create(ctl), .seed = seed + n, .slow = n % 2 };
		pthread_t th;

		if (r.id < 0)
			t_bail("CREATE: %s", strerror(-r.id));
		r.fd = t_multi_open(r.id, O_RDWR);
		/* Every third round the ring goes within 0-8 ms: before, during or after the removal. */
		r.exit_us = n % 3 == 2 ? 1 + (unsigned int)t_rand(&seed, 8000) : 0;
		if (pthread_create(&th, NULL, worker, &r))
			t_bail("pthread_create failed");
		while (!atomic_load(&r.started))
			usleep(100);
		usleep((unsigned int)t_rand(&seed, 6000));
		destroyed += t_multi_destroy(ctl, r.id) == 0;
		pthread_join(th, NULL);
		close(r.fd);
		if (!r.exit_us) {
			account(&r, &bad, &enodev, &unended);
			reaped++;
		}
	}
	t_eq(destroyed, ROUNDS, "%d rounds: every DESTROY worked", ROUNDS);
	t_eq(unended, 0, "%d reaped rounds: every stream got its final CQE", reaped);
	t_eq(bad, 0, "... exactly once, after its events in order, -ENODEV (or its own end first)");
	t_ok(enodev > 0, "... %d of %d by the removal", enodev, reaped * NS);
	/* Rings are torn down by io_uring's workers: their last references go a moment later. */
	for (int i = 0; i < 500; i++) {
		t_multi_stats(ctl, &st);
		if (st.allocated == s0.allocated &&
		    st.stream_hooks - s0.stream_hooks == st.streams - s0.streams)
			break;
		t_sleep_ms(10);
	}
	t_diag("%" PRIu64 " streams, %" PRIu64 " posts refused with -ENODEV",
	       (uint64_t)(st.streams - s0.streams), (uint64_t)(st.gone_posts - s0.gone_posts));
	t_ok(st.streams - s0.streams > 0, "streams started");
	t_eq_u64(st.stream_hooks - s0.stream_hooks, st.streams - s0.streams,
		 "stream_cancel ran once per stream");
	t_eq_u64(st.stream_bad - s0.stream_bad, 0,
		 "no hook ran twice, saw a post taken or an end not absorbed");
	t_eq_u64(st.allocated, s0.allocated,
		 "every destroyed device was freed after its last close");
	close(ctl);
	return t_done();
}
