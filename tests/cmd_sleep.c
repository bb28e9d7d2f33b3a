// SPDX-License-Identifier: GPL-2.0
/* cmd_sleep.c - SLEEP completes after nsec with 0, returns its tag as the second result on CQE32 rings, and refuses more than 10 s. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "helpers.h"

int main(void)
{
	struct t_path paths[T_NPATHS];
	int fd, v = -1;

	t_init();
	t_require_device();
	t_paths(paths);
	fd = t_open(O_RDWR);
	t_eq(t_demo_set(&paths[0], fd, 31), 0, "SET_VALUE 31");

	for (int i = 0; i < T_NPATHS; i++) {
		const struct t_path *p = &paths[i];
		bool cqe32 = p->ring && ucmd_ring_has_res2(p->ring);
		static const uint64_t durations[] = { 0, 1, 20 * T_NS_PER_MS, 100 * T_NS_PER_MS };

		for (size_t k = 0; k < sizeof(durations) / sizeof(durations[0]); k++) {
			uint64_t tag = 0xfeedfacecafe0000ULL | (k << 8) | (uint64_t)i;
			uint64_t res2 = 0, t0 = t_now_ns(), dt;
			int ret = t_demo_sleep(p, fd, durations[k], tag, &res2);

			dt = t_now_ns() - t0;
			t_eq(ret, 0, "%s: SLEEP %llu ns -> 0", p->name,
			     (unsigned long long)durations[k]);
			t_ok(dt >= durations[k],
			     "%s: ... completed no earlier than %llu ns (took %llu)", p->name,
			     (unsigned long long)durations[k], (unsigned long long)dt);
			if (cqe32)
				t_eq_u64(res2, tag, "%s: ... with its tag as the second result",
					 p->name);
		}

		{
			uint64_t t0 = t_now_ns(), dt;

			t_err(t_demo_sleep(p, fd, UCMD_DEMO_MAX_SLEEP_NSEC + 1, 1, NULL), -EINVAL,
			      "%s: SLEEP 10 s + 1 ns -> -EINVAL", p->name);
			t_err(t_demo_sleep(p, fd, UINT64_MAX, 1, NULL), -EINVAL,
			      "%s: SLEEP 2^64 - 1 ns -> -EINVAL", p->name);
			t_err(t_demo_sleep(p, fd, 1ULL << 63, 1, NULL), -EINVAL,
			      "%s: SLEEP 2^63 ns -> -EINVAL", p->name);
			/* A kernel that slept up to the 10 s cap before refusing takes >= 10 s. */
			dt = t_now_ns() - t0;
			t_ok(dt < 5000 * T_NS_PER_MS, "%s: ... refused at once (%llu ms)", p->name,
			     (unsigned long long)(dt / T_NS_PER_MS));
		}
	}
	t_ok(t_demo_get(&paths[0], fd, &v) == 0 && v == 31, "SLEEP leaves the value alone");

	/* A read-only file may sleep: SLEEP does not need a writable file. */
	{
		int ro = t_open(O_RDONLY);
		uint64_t res2 = 0;

		t_eq(t_demo_sleep(&paths[0], ro, T_NS_PER_MS, 0, NULL), 0,
		     "ioctl: SLEEP on a read-only file");
		t_eq(t_demo_sleep(&paths[2], ro, T_NS_PER_MS, 99, &res2), 0,
		     "uring128: SLEEP on a read-only file");
		t_eq_u64(res2, 99, "uring128: ... tag 99 as the second result");
		close(ro);
	}

	close(fd);
	t_paths_exit(paths);
	return t_done();
}
