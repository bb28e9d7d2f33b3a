// SPDX-License-Identifier: GPL-2.0
/* multi_create.c - ucmd_multi creates 32 devices at run time; each serves its own state over ioctl and io_uring, and destroying them frees them. */
#include "helpers.h"

#define NDEV 32

int main(void)
{
	struct t_path paths[T_NPATHS];
	struct ucmd_multi_stats st0, st;
	int ctl, ids[NDEV], fds[NDEV];
	bool created = true;

	t_init();
	ctl = t_multi_ctl();
	t_paths(paths);
	t_multi_stats(ctl, &st0);

	for (int i = 0; i < NDEV; i++) {
		ids[i] = t_multi_create(ctl);
		created &= ids[i] >= 0;
		if (ids[i] < 0)
			t_diag("CREATE #%d: %s", i, strerror(-ids[i]));
	}
	if (!t_ok(created, "CREATE %d devices", NDEV))
		t_bail("cannot go on without the devices");
	t_multi_stats(ctl, &st);
	t_eq_u64(st.allocated, st0.allocated + NDEV, "STATS: %d more devices allocated", NDEV);

	for (int i = 0; i < NDEV; i++)
		fds[i] = t_multi_open(ids[i], O_RDWR);
	/* Each device keeps its own value: set them all, then read them all back. */
	for (int i = 0; i < NDEV; i++) {
		const struct t_path *p = &paths[i % T_NPATHS];

		if (t_multi_set(p, fds[i], 1000 + (uint64_t)ids[i] * 7))
			t_ok(false, "%s: SET on %s", p->name, t_multi_path(ids[i]));
	}
	{
		int bad = 0, bad_id = 0;

		for (int i = 0; i < NDEV; i++) {
			for (int k = 0; k < T_NPATHS; k++) {
				uint64_t v = 0;

				if (t_multi_get(&paths[k], fds[i], &v) ||
				    v != 1000 + (uint64_t)ids[i] * 7)
					bad++;
				if (t_multi_id(&paths[k], fds[i]) != ids[i])
					bad_id++;
			}
		}
		t_eq(bad, 0, "GET on every device and path returns that device's value");
		t_eq(bad_id, 0, "ID on every device and path returns its own number");
	}
	/* An async command on every device: its result is the device's number. */
	for (int k = 0; k < T_NPATHS; k++) {
		int bad = 0;

		for (int i = 0; i < NDEV; i += 4) {
			int ret = t_multi_sleep(&paths[k], fds[i], T_NS_PER_MS);

			if (ret != ids[i]) {
				t_diag("%s: SLEEP on %s: %d", paths[k].name, t_multi_path(ids[i]),
				       ret);
				bad++;
			}
		}
		t_eq(bad, 0, "%s: SLEEP 1 ms completes with the device's number", paths[k].name);
	}
	t_err(t_multi_sleep(&paths[0], fds[0], UCMD_MULTI_MAX_SLEEP_NSEC + 1), -EINVAL,
	      "SLEEP past its limit -> -EINVAL");
	{
		int ro = t_multi_open(ids[1], O_RDONLY);

		t_err(t_multi_set(&paths[1], ro, 1), -EBADF,
		      "uring: SET on a read-only file -> -EBADF");
		close(ro);
	}

	t_err(t_multi_destroy(ctl, UCMD_MULTI_MAX_DEVICES), -ENOENT,
	      "DESTROY of a number out of range -> -ENOENT");
	for (int i = 0; i < NDEV; i++)
		close(fds[i]);
	for (int i = 0; i < NDEV; i++) {
		int ret = t_multi_destroy(ctl, ids[i]);

		if (ret)
			t_ok(false, "DESTROY %d: %s", ids[i], strerror(-ret));
	}
	t_err(t_multi_destroy(ctl, ids[0]), -ENOENT, "DESTROY again -> -ENOENT");
	t_ok(t_wait_path(t_multi_path(ids[NDEV - 1]), false, 2000), "the last node went away");
	t_multi_stats(ctl, &st);
	t_eq_u64(st.allocated, st0.allocated, "closed and destroyed: every device freed");
	t_eq_u64(st.created, st0.created + NDEV, "STATS: created counts %d", NDEV);

	/* A number freed by DESTROY is given out again. */
	{
		int id = t_multi_create(ctl);

		t_ok(id >= 0 && id <= ids[0],
		     "CREATE after DESTROY reuses the lowest free number (%d)", id);
		if (id >= 0) {
			int fd = t_multi_open(id, O_RDWR);
			uint64_t v = 1;

			t_ok(t_multi_get(&paths[0], fd, &v) == 0 && v == 0,
			     "... and starts from a fresh value");
			close(fd);
			t_eq(t_multi_destroy(ctl, id), 0, "... DESTROY it");
		}
	}
	close(ctl);
	t_paths_exit(paths);
	return t_done();
}
