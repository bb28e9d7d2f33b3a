// SPDX-License-Identifier: GPL-2.0
/* multi_unplug_stream.c - removing a device with live TICK streams (events from an hrtimer, one handler still running) ends each with one final -ENODEV CQE after its events, runs each stream_cancel hook once, and frees the device at the last close. */
#include <limits.h>

#include "helpers.h"

#define NFAST 3
#define NS (NFAST + 1)
#define BGID 1

/* CREATE and open; on a kernel without streams, the refusals instead. */
static int setup(int ctl, int *id)
{
	*id = t_multi_create(ctl);
	if (*id < 0)
		t_bail("CREATE: %s", strerror(-*id));
	return t_multi_open(*id, O_RDWR);
}

static void unsupported(int ctl, int id, int fd)
{
	t_multi_tick_unsupported(ctl, fd);
	close(fd);
	t_eq(t_multi_destroy(ctl, id), 0, "a device with a stream op is added and removed");
	t_skip("kernel before 7.x", "removal with live streams");
}

/* After the removal: one final -ENODEV each, nothing after it, the hooks' account. */
static void check_ends(struct t_tick *t, const struct ucmd_multi_stats *s0,
		       const struct ucmd_multi_stats *st)
{
	unsigned int enodev = 0, bad = 0, bad_seq = 0, ended = 0;

	for (int i = 0; i < NS; i++) {
		ended += t[i].ended;
		enodev += t[i].final_res == -ENODEV;
		bad += t[i].bad;
		bad_seq += t[i].bad_seq;
		if (t[i].final_res != -ENODEV)
			t_diag("stream %d: final %d after %u events", i, t[i].final_res,
			       t[i].events);
	}
	t_eq(ended, NS, "every stream got its final CQE");
	t_eq(enodev, NS, "... each -ENODEV");
	t_eq(bad, 0, "... exactly once, with no buffer, and no CQE after it");
	t_eq(bad_seq, 0, "... after its events, in order, none lost");
	t_ok(t[NS - 1].events >= 1, "the stream whose handler ran got its queued events (%u)",
	     t[NS - 1].events);
	t_eq_u64(st->streams - s0->streams, NS, "%d streams started", NS);
	t_eq_u64(st->stream_hooks - s0->stream_hooks, NS, "stream_cancel ran once per stream");
	t_eq_u64(st->stream_ends - s0->stream_ends, 0, "the driver ended none itself");
	t_ok(st->gone_posts - s0->gone_posts >= NS,
	     "each hook's post was refused with -ENODEV (%" PRIu64 " such posts)",
	     (uint64_t)(st->gone_posts - s0->gone_posts));
	t_eq_u64(st->stream_bad - s0->stream_bad, 0,
		 "no hook ran twice, saw a post taken or an end not absorbed");
}

/* A TICK on the removed device's file: one CQE, -ENODEV, no F_MORE. */
static void tick_after(struct io_uring *ring, struct ucmd_bufs *b, int fd, int id)
{
	struct t_tick t = { .ud = 99, .final_res = 1 };

	t_multi_tick_prep(io_uring_get_sqe(ring), ring, fd, T_NS_PER_MS, 0, BGID, 99);
	if (io_uring_submit(ring) != 1)
		t_bail("io_uring_submit");
	t_eq(t_tick_reap(ring, &t, 1, b, id, 0, 3000), 0, "TICK after removal: no stray CQE");
	t_ok(t.ended && t.final_res == -ENODEV && !t.events && !t.bad,
	     "... one CQE, -ENODEV, no F_MORE (final %d)", t.final_res);
}

int main(void)
{
	struct ucmd_multi_stats s0, st;
	struct t_tick t[NS];
	struct io_uring ring;
	struct ucmd_bufs b;
	int ctl, id, fd;
	uint64_t t0, dt;

	t_init();
	ctl = t_multi_ctl();
	fd = setup(ctl, &id);
	if (!t_kernel_streams()) {
		unsupported(ctl, id, fd);
		close(ctl);
		return t_done();
	}
	t_ring(&ring, 64, 0);
	if (ucmd_bufs_init(&ring, &b, BGID, 64, sizeof(struct ucmd_multi_event)))
		t_bail("ucmd_bufs_init");
	t_multi_stats(ctl, &s0);
	for (int i = 0; i < NS; i++)
		t[i] = (struct t_tick){ .ud = 10 + i, .final_res = 1 };
	for (int i = 0; i < NFAST; i++)
		t_multi_tick_prep(io_uring_get_sqe(&ring), &ring, fd, 2 * T_NS_PER_MS, 0, BGID,
				  t[i].ud);
	t_eq(io_uring_submit(&ring), NFAST, "%d TICK streams (every 2 ms) submitted", NFAST);
	t_eq(t_tick_reap(&ring, t, NFAST, &b, id, 3, 5000), 0, "no stray CQE");
	t_ok(t[0].events >= 3 && t[1].events >= 3 && t[2].events >= 3 && !t[0].ended &&
		     !t[1].ended && !t[2].ended,
	     "events flow: each got 3 or more, none ended");

	/* The last one's handler keeps running (from io-wq) after its timer starts. */
	t_multi_tick_prep(io_uring_get_sqe(&ring), &ring, fd, 20 * T_NS_PER_MS, 1000, BGID,
			  t[NS - 1].ud);
	t_eq(io_uring_submit(&ring), 1,
	     "a TICK whose handler blocks 1 s after starting its stream");
	/* Reaping meanwhile: buffers left in unread CQEs would run the group dry. */
	for (int i = 0; i < 500; i++) {
		t_multi_stats(ctl, &st);
		if (st.streams - s0.streams == NS)
			break;
		t_tick_reap(&ring, t, NS, &b, id, UINT_MAX, 2);
	}
	t_eq_u64(st.streams - s0.streams, NS, "... its stream started");
	t_tick_reap(&ring, t, NS, &b, id, UINT_MAX, 70);

	t0 = t_now_ns();
	t_eq(t_multi_destroy(ctl, id), 0, "DESTROY with %d streams live", NS);
	dt = t_now_ns() - t0;
	t_ok(dt < 500 * T_NS_PER_MS, "... returns at once, not after the handler (%" PRIu64 " ms)",
	     dt / T_NS_PER_MS);
	t_eq(t_tick_reap(&ring, t, NS, &b, id, 0, 5000), 0, "no stray CQE");
	/* Anything after a final CQE would come now. */
	t_tick_reap(&ring, t, NS, &b, id, UINT_MAX, 300);
	t_multi_stats(ctl, &st);
	check_ends(t, &s0, &st);
	tick_after(&ring, &b, fd, id);

	t_multi_stats(ctl, &st);
	t_eq_u64(st.allocated, s0.allocated, "removed, its file open: not freed yet");
	close(fd);
	for (int i = 0; i < 200 && st.allocated != s0.allocated - 1; i++) {
		t_sleep_ms(10);
		t_multi_stats(ctl, &st);
	}
	t_eq_u64(st.allocated, s0.allocated - 1,
		 "the last close frees the device (the streams let go of it)");
	ucmd_bufs_free(&ring, &b);
	io_uring_queue_exit(&ring);
	close(ctl);
	return t_done();
}
