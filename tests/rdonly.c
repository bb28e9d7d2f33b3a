// SPDX-License-Identifier: GPL-2.0
/* rdonly.c - SET_VALUE and ADD need a writable file (-EBADF on O_RDONLY) while reading commands work on it; O_WRONLY files may write. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "helpers.h"

int main(void)
{
	struct t_path paths[T_NPATHS];
	struct ucmd_demo_blob blob = { { 0 } };

	t_init();
	t_require_device();
	t_paths(paths);
	blob.data[0] = 3;
	blob.data[79] = 4;

	for (int i = 0; i < T_NPATHS; i++) {
		const struct t_path *p = &paths[i];
		int ro = t_open(O_RDONLY);
		int wo = t_open(O_WRONLY);
		uint64_t res2 = 0;
		int v = -1;

		t_err(t_demo_set(p, ro, 5), -EBADF, "%s: SET_VALUE on O_RDONLY -> -EBADF", p->name);
		t_err(t_demo_add(p, ro, 5, NULL), -EBADF, "%s: ADD on O_RDONLY -> -EBADF", p->name);
		t_err(t_demo_add(p, ro, 0, NULL), -EBADF, "%s: ADD 0 on O_RDONLY -> -EBADF",
		      p->name);
		t_ok(t_demo_get(p, ro, &v) == 0 && v == 0,
		     "%s: GET_VALUE on O_RDONLY works and the value is still 0", p->name);
		t_eq(t_demo_cmd(p, ro, UCMD_DEMO_HELLO), 0, "%s: HELLO on O_RDONLY", p->name);
		t_eq(t_demo_cmd(p, ro, UCMD_DEMO_NOP), 0, "%s: NOP on O_RDONLY", p->name);
		t_eq(t_demo_sleep(p, ro, 1000, 6, &res2), 0, "%s: SLEEP on O_RDONLY", p->name);
		if (p->ring == NULL || (p->ring->flags & IORING_SETUP_SQE128))
			t_eq(t_demo_sum128(p, ro, &blob), 7, "%s: SUM128 on O_RDONLY", p->name);

		t_eq(t_demo_set(p, wo, 5), 0, "%s: SET_VALUE on O_WRONLY", p->name);
		t_eq(t_demo_add(p, wo, 2, NULL), 7, "%s: ADD on O_WRONLY -> 7", p->name);
		t_ok(t_demo_get(p, wo, &v) == 0 && v == 7, "%s: GET_VALUE on O_WRONLY reads 7",
		     p->name);
		close(wo);
		close(ro);
	}

	t_paths_exit(paths);
	return t_done();
}
