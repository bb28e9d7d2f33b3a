// SPDX-License-Identifier: GPL-2.0
/* cmd_basic.c - HELLO, NOP, GET_VALUE and SET_VALUE results on ioctl and both ring kinds, and that the paths share one value per file. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

#include "helpers.h"

static const int values[] = { 1, -1, 42, -7, INT_MAX, INT_MIN, 0 };

int main(void)
{
	struct t_path paths[T_NPATHS];
	int fd, v;

	t_init();
	t_require_device();
	t_paths(paths);
	fd = t_open(O_RDWR);

	for (int i = 0; i < T_NPATHS; i++) {
		const struct t_path *p = &paths[i];

		t_eq(t_demo_cmd(p, fd, UCMD_DEMO_HELLO), 0, "%s: HELLO -> 0", p->name);
		t_eq(t_demo_cmd(p, fd, UCMD_DEMO_NOP), 0, "%s: NOP -> 0", p->name);
		v = 123;
		t_eq(t_demo_get(p, fd, &v), 0, "%s: GET_VALUE -> 0", p->name);
		/* 0 on a fresh open, and each round below ends by setting 0. */
		t_eq(v, 0, "%s: GET_VALUE writes the value", p->name);
		for (size_t k = 0; k < sizeof(values) / sizeof(values[0]); k++) {
			v = ~values[k];
			t_eq(t_demo_set(p, fd, values[k]), 0, "%s: SET_VALUE %d -> 0", p->name,
			     values[k]);
			t_ok(t_demo_get(p, fd, &v) == 0 && v == values[k],
			     "%s: GET_VALUE reads %d back", p->name, values[k]);
		}
	}

	/* One value per file, whichever path set it. */
	for (int i = 0; i < T_NPATHS; i++) {
		for (int j = 0; j < T_NPATHS; j++) {
			int want = 1000 * (i + 1) + j;

			v = -1;
			t_eq(t_demo_set(&paths[i], fd, want), 0, "SET_VALUE %d through %s", want,
			     paths[i].name);
			t_ok(t_demo_get(&paths[j], fd, &v) == 0 && v == want,
			     "GET_VALUE through %s sees %d set through %s", paths[j].name, want,
			     paths[i].name);
		}
	}

	/* HELLO and NOP change nothing. */
	t_eq(t_demo_set(&paths[0], fd, 77), 0, "SET_VALUE 77");
	for (int i = 0; i < T_NPATHS; i++) {
		t_demo_cmd(&paths[i], fd, UCMD_DEMO_NOP);
		t_demo_cmd(&paths[i], fd, UCMD_DEMO_HELLO);
	}
	t_ok(t_demo_get(&paths[1], fd, &v) == 0 && v == 77, "NOP and HELLO leave the value alone");

	close(fd);
	t_paths_exit(paths);
	return t_done();
}
