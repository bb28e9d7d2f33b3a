// SPDX-License-Identifier: GPL-2.0
/* watch_many.c - many WATCH streams on two rings and two files: each sees every SET_VALUE of its own file once, in order, and ends after its count. */
#include "helpers.h"

#define NSET 40
#define PER_RING 6

int main(void)
{
	struct io_uring rings[2];
	struct ucmd_bufs bufs[2];
	struct t_watch w[2][PER_RING + 2];
	struct ucmd_stats s0, st;
	int fa, fb, ret;
	unsigned int want, got;

	t_init();
	t_watch_require("many watchers");
	fa = t_open(O_RDWR);
	fb = t_open(O_RDWR);
	t_stats(&s0);
	for (int r = 0; r < 2; r++) {
		t_ring(&rings[r], 64, 0);
		ret = ucmd_bufs_init(&rings[r], &bufs[r], 1, 256, sizeof(struct ucmd_demo_event));
		if (ret)
			t_bail("ucmd_bufs_init: %s", strerror(-ret));
		/* PER_RING watchers of file A that end after NSET events, two of file B. */
		for (int i = 0; i < PER_RING + 2; i++) {
			bool a = i < PER_RING;

			t_watch_init(&w[r][i], 100 * r + i, &bufs[r]);
			t_watch_submit(&rings[r], a ? fa : fb, a ? NSET : 0, 1, 100 * r + i);
		}
	}
	for (int k = 1; k <= NSET; k++) {
		if (t_set_ioctl(fa, 1000 + k))
			t_bail("SET_VALUE failed");
		/* Reap as we go: 256 buffers per ring would not hold them all. */
		for (int r = 0; r < 2; r++) {
			want = PER_RING + (k == NSET ? PER_RING : 0);
			got = t_watch_reap(&rings[r], w[r], PER_RING + 2, want, 5000);
			if (got != want)
				t_diag("ring %d, SET %d: %u of %u CQEs", r, k, got, want);
		}
	}
	for (int r = 0; r < 2; r++) {
		unsigned int ev = 0, ended = 0, bad = 0, seq_ok = 0, last = 0;

		for (int i = 0; i < PER_RING; i++) {
			ev += w[r][i].events;
			ended += w[r][i].ended && w[r][i].final_res == 0;
			bad += w[r][i].bad + w[r][i].bad_seq;
			seq_ok += w[r][i].last_seq == NSET;
			last += w[r][i].last_value == 1000 + NSET;
		}
		t_eq(ev, PER_RING * NSET, "ring %d: %d watchers of file A got %d events each", r,
		     PER_RING, NSET);
		t_eq(bad, 0, "ring %d: ... every one well formed and in order", r);
		t_eq(seq_ok, PER_RING, "ring %d: ... the last with seq %d", r, NSET);
		t_eq(last, PER_RING, "ring %d: ... and value %d", r, 1000 + NSET);
		t_eq(ended, PER_RING, "ring %d: ... then a final CQE with 0", r);
		t_ok(w[r][PER_RING].events + w[r][PER_RING + 1].events == 0 &&
			     !w[r][PER_RING].ended && !w[r][PER_RING + 1].ended,
		     "ring %d: the watchers of file B saw nothing", r);
	}
	/* File B's watchers: one SET_VALUE each sees, then the rings go. */
	t_eq(t_set_ioctl(fb, -5), 0, "SET_VALUE -5 on file B");
	for (int r = 0; r < 2; r++) {
		got = t_watch_reap(&rings[r], &w[r][PER_RING], 2, 2, 5000);
		t_ok(got == 2 && w[r][PER_RING].last_value == -5 &&
			     w[r][PER_RING + 1].last_value == -5,
		     "ring %d: both watchers of file B got value -5", r);
		io_uring_queue_exit(&rings[r]);
		ucmd_bufs_free(NULL, &bufs[r]);
	}
	/* 2 * (PER_RING + 2) WATCHes, NSET + 1 SET_VALUEs; the rings' exits cancel 4. */
	t_settle("many watchers", &s0, 2 * (PER_RING + 2) + NSET + 1, NSET + 1, 4, 10000, &st);
	close(fa);
	close(fb);
	return t_done();
}
