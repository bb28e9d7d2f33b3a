// SPDX-License-Identifier: GPL-2.0
/* cmd_add.c - ADD returns the new value, 0 for a negative one (and the value as the second result on CQE32 rings), -ERANGE past an int, on every path. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

#include "helpers.h"

struct step {
	int64_t delta;
	int want;
};

static const struct step steps[] = {
	{ 5, 5 },	 { 0, 5 }, { -3, 2 },	     { 1000000, 1000002 },
	{ -1000002, 0 }, { 1, 1 }, { 65536, 65537 },
};

int main(void)
{
	struct t_path paths[T_NPATHS];

	t_init();
	t_require_device();
	t_paths(paths);

	for (int i = 0; i < T_NPATHS; i++) {
		const struct t_path *p = &paths[i];
		bool cqe32 = p->ring && ucmd_ring_has_res2(p->ring);
		int fd = t_open(O_RDWR);
		uint64_t res2;
		int v = -1;

		for (size_t k = 0; k < sizeof(steps) / sizeof(steps[0]); k++) {
			res2 = ~0ULL;
			t_eq(t_demo_add(p, fd, steps[k].delta, &res2), steps[k].want,
			     "%s: ADD %lld -> new value %d", p->name, (long long)steps[k].delta,
			     steps[k].want);
			if (cqe32)
				t_eq_u64(res2, (uint64_t)steps[k].want,
					 "%s: ... and %d as the second result", p->name,
					 steps[k].want);
		}
		t_ok(t_demo_get(p, fd, &v) == 0 && v == 65537, "%s: GET_VALUE sees the sum",
		     p->name);

		t_eq(t_demo_set(p, fd, INT_MAX - 1), 0, "%s: SET_VALUE INT_MAX - 1", p->name);
		res2 = 0;
		t_eq(t_demo_add(p, fd, 1, &res2), INT_MAX, "%s: ADD 1 -> INT_MAX", p->name);
		if (cqe32)
			t_eq_u64(res2, INT_MAX, "%s: ... and INT_MAX as the second result",
				 p->name);

		/* Past INT_MAX (or INT_MIN): -ERANGE, and the value is unchanged. */
		t_err(t_demo_add(p, fd, 1, NULL), -ERANGE, "%s: ADD 1 at INT_MAX -> -ERANGE",
		      p->name);
		t_err(t_demo_add(p, fd, INT64_MIN, NULL), -ERANGE, "%s: ADD INT64_MIN -> -ERANGE",
		      p->name);
		t_ok(t_demo_get(p, fd, &v) == 0 && v == INT_MAX, "%s: ... the value stays INT_MAX",
		     p->name);
		t_eq(t_demo_set(p, fd, INT_MIN + 5), 0, "%s: SET_VALUE INT_MIN + 5", p->name);
		t_err(t_demo_add(p, fd, -6, NULL), -ERANGE, "%s: ADD -6 -> -ERANGE", p->name);

		/*
		 * A negative new value never reads as an errno: the result is 0
		 * and the value is in the second result (CQE32) or GET_VALUE.
		 */
		t_eq(t_demo_set(p, fd, 0), 0, "%s: SET_VALUE 0", p->name);
		res2 = 0;
		t_eq(t_demo_add(p, fd, -600, &res2), 0, "%s: ADD -600 -> result 0", p->name);
		if (cqe32)
			t_eq((int64_t)res2, -600, "%s: ... -600 as the second result", p->name);
		t_eq(t_demo_add(p, fd, 550, &res2), 0, "%s: ADD 550 -> result 0 (value -50)",
		     p->name);
		if (cqe32)
			t_eq((int32_t)(uint32_t)res2, -50,
			     "%s: ... -50 in the second result's low 32 bits", p->name);
		t_ok(t_demo_get(p, fd, &v) == 0 && v == -50, "%s: GET_VALUE reads -50", p->name);
		close(fd);
	}

	/* The second result tracks each ADD, also with several in flight on one CQE32 ring. */
	{
		struct io_uring *ring = paths[2].ring;
		int fd = t_open(O_RDWR);
		int seen[8] = { 0 };
		bool ok = true;

		for (int k = 0; k < 8; k++) {
			int64_t d = 1;
			struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

			ucmd_prep(ring, sqe, fd, UCMD_DEMO_ADD, &d, sizeof(d));
			io_uring_sqe_set_data64(sqe, (uint64_t)k);
		}
		t_eq(io_uring_submit(ring), 8, "8 ADDs submitted at once on a CQE32 ring");
		for (int k = 0; k < 8; k++) {
			struct io_uring_cqe *cqe;

			if (io_uring_wait_cqe(ring, &cqe)) {
				ok = false;
				break;
			}
			if (cqe->res < 1 || cqe->res > 8 ||
			    ucmd_cqe_res2(ring, cqe) != (uint64_t)cqe->res)
				ok = false;
			else
				seen[cqe->res - 1]++;
			io_uring_cqe_seen(ring, cqe);
		}
		for (int k = 0; k < 8; k++)
			ok = ok && seen[k] == 1;
		t_ok(ok, "each ADD returned a distinct new value 1..8, equal to its second result");
		close(fd);
	}

	t_paths_exit(paths);
	return t_done();
}
