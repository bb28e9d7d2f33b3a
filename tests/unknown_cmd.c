// SPDX-License-Identifier: GPL-2.0
/* unknown_cmd.c - command numbers outside the table (other numbers, directions, sizes or magic) fail with -ENOTTY on every path. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "helpers.h"

static const struct {
	const char *name;
	uint32_t cmd;
} unknown[] = {
	{ "_IO('|', 0)", _IO('|', 0) },
	{ "_IO('|', 0x83)", _IO('|', 0x83) },
	{ "_IO('|', 0x8f)", _IO('|', 0x8f) },
	{ "_IO('|', 0xff)", _IO('|', 0xff) },
	{ "_IO('|', 0x81) (GET_VALUE without direction)", _IO('|', 0x81) },
	{ "_IOR('|', 0x80, int) (HELLO with a direction)", _IOR('|', 0x80, int) },
	{ "_IOW('|', 0x81, int) (GET_VALUE written)", _IOW('|', 0x81, int) },
	{ "_IOW('|', 0x87, int) (ADD with a 4-byte size)", _IOW('|', 0x87, int) },
	{ "_IOWR('|', 0x90, struct ucmd_demo_sleep)", _IOWR('|', 0x90, struct ucmd_demo_sleep) },
	{ "_IO('x', 0x80) (HELLO's number, other magic)", _IO('x', 0x80) },
	{ "0", 0 },
	{ "0xffffffff", 0xffffffffu },
};

int main(void)
{
	struct t_path paths[T_NPATHS];
	int fd, ro, v = -1;

	t_init();
	t_require_device();
	t_paths(paths);
	fd = t_open(O_RDWR);
	ro = t_open(O_RDONLY);
	t_eq(t_demo_set(&paths[0], fd, 5), 0, "SET_VALUE 5");

	for (int i = 0; i < T_NPATHS; i++) {
		for (size_t k = 0; k < sizeof(unknown) / sizeof(unknown[0]); k++)
			t_err(t_demo_cmd(&paths[i], fd, unknown[k].cmd), -ENOTTY,
			      "%s: %s -> -ENOTTY", paths[i].name, unknown[k].name);
		t_err(t_demo_cmd(&paths[i], ro, _IO('|', 0)), -ENOTTY,
		      "%s: _IO('|', 0) on a read-only file -> -ENOTTY", paths[i].name);
	}
	t_ok(t_demo_get(&paths[1], fd, &v) == 0 && v == 5,
	     "unknown commands leave the value alone");

	close(ro);
	close(fd);
	t_paths_exit(paths);
	return t_done();
}
