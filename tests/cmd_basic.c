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
	struct tu_path paths[TU_NPATHS];
	int fd, v;

	tap_init();
	tu_require_device();
	tu_paths(paths);
	fd = tu_open(O_RDWR);

	for (int i = 0; i < TU_NPATHS; i++) {
		const struct tu_path *p = &paths[i];

		tap_eq(tu_cmd(p, fd, UCMD_DEMO_HELLO), 0, "%s: HELLO -> 0", p->name);
		tap_eq(tu_cmd(p, fd, UCMD_DEMO_NOP), 0, "%s: NOP -> 0", p->name);
		v = 123;
		tap_eq(tu_get(p, fd, &v), 0, "%s: GET_VALUE -> 0", p->name);
		/* 0 on a fresh open, and each round below ends by setting 0. */
		tap_eq(v, 0, "%s: GET_VALUE writes the value", p->name);
		for (size_t k = 0; k < sizeof(values) / sizeof(values[0]); k++) {
			v = ~values[k];
			tap_eq(tu_set(p, fd, values[k]), 0, "%s: SET_VALUE %d -> 0", p->name,
			       values[k]);
			tap_ok(tu_get(p, fd, &v) == 0 && v == values[k],
			       "%s: GET_VALUE reads %d back", p->name, values[k]);
		}
	}

	/* One value per file, whichever path set it. */
	for (int i = 0; i < TU_NPATHS; i++) {
		for (int j = 0; j < TU_NPATHS; j++) {
			int want = 1000 * (i + 1) + j;

			v = -1;
			tap_eq(tu_set(&paths[i], fd, want), 0, "SET_VALUE %d through %s", want,
			       paths[i].name);
			tap_ok(tu_get(&paths[j], fd, &v) == 0 && v == want,
			       "GET_VALUE through %s sees %d set through %s", paths[j].name, want,
			       paths[i].name);
		}
	}

	/* HELLO and NOP change nothing. */
	tap_eq(tu_set(&paths[0], fd, 77), 0, "SET_VALUE 77");
	for (int i = 0; i < TU_NPATHS; i++) {
		tu_cmd(&paths[i], fd, UCMD_DEMO_NOP);
		tu_cmd(&paths[i], fd, UCMD_DEMO_HELLO);
	}
	tap_ok(tu_get(&paths[1], fd, &v) == 0 && v == 77, "NOP and HELLO leave the value alone");

	close(fd);
	tu_paths_exit(paths);
	return tap_done();
}
