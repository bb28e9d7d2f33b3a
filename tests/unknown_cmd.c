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
	struct tu_path paths[TU_NPATHS];
	int fd, ro, v = -1;

	tap_init();
	tu_require_device();
	tu_paths(paths);
	fd = tu_open(O_RDWR);
	ro = tu_open(O_RDONLY);
	tap_eq(tu_set(&paths[0], fd, 5), 0, "SET_VALUE 5");

	for (int i = 0; i < TU_NPATHS; i++) {
		for (size_t k = 0; k < sizeof(unknown) / sizeof(unknown[0]); k++)
			tap_err(tu_cmd(&paths[i], fd, unknown[k].cmd), -ENOTTY, "%s: %s -> -ENOTTY",
				paths[i].name, unknown[k].name);
		tap_err(tu_cmd(&paths[i], ro, _IO('|', 0)), -ENOTTY,
			"%s: _IO('|', 0) on a read-only file -> -ENOTTY", paths[i].name);
	}
	tap_ok(tu_get(&paths[1], fd, &v) == 0 && v == 5, "unknown commands leave the value alone");

	close(ro);
	close(fd);
	tu_paths_exit(paths);
	return tap_done();
}
