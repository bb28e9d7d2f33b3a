// SPDX-License-Identifier: GPL-2.0
/* watch_nobufs.c - a WATCH stream ends with -ENOBUFS when its buffer group runs dry or does not exist, -EMSGSIZE on a too small buffer, and -EOVERFLOW after UCMD_STREAM_DEPTH events when its task does not take them. */
#include "helpers.h"

#define EV sizeof(struct ucmd_demo_event)

/*
 * A stream on a group of @nbufs buffers of @size bytes (@bgid_used: the group
 * the WATCH names), buffers kept; @nset SET_VALUEs.  Expects @want events,
 * then the final CQE with @final.
 */
static void dry(int fd, unsigned int nbufs, size_t size, uint16_t bgid_used, int nset,
		unsigned int want, int final, const char *what)
{
	struct ucmd_stats s0, st;
	struct io_uring ring;
	struct ucmd_bufs b;
	struct t_watch w;

	t_stats(&s0);
	t_ring(&ring, 16, 0);
	if (ucmd_bufs_init(&ring, &b, 1, nbufs, size))
		t_bail("ucmd_bufs_init");
	t_watch_init(&w, 5, &b);
	w.keep = true;
	t_watch_submit(&ring, fd, 0, bgid_used, 5);
	for (int i = 0; i < nset; i++) {
		t_eq(t_set_ioctl(fd, i), 0, "%s: SET_VALUE %d", what, i);
		t_watch_reap(&ring, &w, 1, 1, 2000);
	}
	t_watch_reap(&ring, &w, 1, 1, 100);
	t_eq(w.events, want, "%s: %u events", what, want);
	t_ok(w.ended, "%s: then the final CQE", what);
	t_err(w.final_res, final, "%s: ... with %s", what, strerror(-final));
	t_eq(w.bad, 0, "%s: nothing after it", what);
	t_settle(what, &s0, 1 + nset, nset, 1, 5000, &st);
	io_uring_queue_exit(&ring);
	ucmd_bufs_free(NULL, &b);
}

/* DEFER_TASKRUN: events wait for the task to enter the ring; one too many ends the stream. */
static void overflow(int fd)
{
	struct ucmd_stats s0, st;
	struct io_uring ring;
	struct ucmd_bufs b;
	struct t_watch w;
	int i;

	t_stats(&s0);
	t_ring(&ring, 16, IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN);
	if (ucmd_bufs_init(&ring, &b, 1, 64, EV))
		t_bail("ucmd_bufs_init");
	t_watch_init(&w, 6, &b);
	t_watch_submit(&ring, fd, 0, 1, 6);
	for (i = 1; i <= UCMD_STREAM_DEPTH + 1; i++)
		if (t_set_ioctl(fd, i))
			break;
	t_eq(i, UCMD_STREAM_DEPTH + 2, "%d SET_VALUEs without entering the ring all succeed",
	     UCMD_STREAM_DEPTH + 1);
	t_watch_reap(&ring, &w, 1, UCMD_STREAM_DEPTH + 1, 5000);
	t_eq(w.events, UCMD_STREAM_DEPTH, "the first %d events are delivered", UCMD_STREAM_DEPTH);
	t_eq(w.last_value, UCMD_STREAM_DEPTH, "... the last with value %d", UCMD_STREAM_DEPTH);
	t_eq(w.bad_seq + w.bad, 0, "... in order");
	t_ok(w.ended, "then the final CQE");
	t_err(w.final_res, -EOVERFLOW, "... with -EOVERFLOW");
	t_settle("overflow", &s0, UCMD_STREAM_DEPTH + 2, UCMD_STREAM_DEPTH + 1, 1, 5000, &st);
	io_uring_queue_exit(&ring);
	ucmd_bufs_free(NULL, &b);
}

int main(void)
{
	int fd;

	t_init();
	t_watch_require("provided buffers running dry");
	fd = t_open(O_RDWR);
	dry(fd, 2, EV, 1, 3, 2, -ENOBUFS, "2 buffers, 3 events");
	dry(fd, 4, EV, 9, 1, 0, -ENOBUFS, "a group that does not exist");
	dry(fd, 4, EV / 2, 1, 1, 0, -EMSGSIZE, "buffers of half an event");
	overflow(fd);
	close(fd);
	return t_done();
}
