// SPDX-License-Identifier: GPL-2.0
/* sample_flow.c - the Rust misc-device sample's documented flow (HELLO, GET, increment, SET, GET, unknown command, read/write) over ioctl and io_uring. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

#define SAMPLE_FAIL _IO('|', 0)

static void flow(const struct t_path *p)
{
	int fd = t_open(O_RDWR);
	int value = -1, new_value = -1;

	t_eq(t_demo_cmd(p, fd, UCMD_DEMO_HELLO), 0, "%s: HELLO", p->name);
	t_eq(t_demo_get(p, fd, &value), 0, "%s: GET_VALUE", p->name);
	t_eq(value, 0, "%s: a fresh open starts at 0", p->name);
	value++;
	t_eq(t_demo_set(p, fd, value), 0, "%s: SET_VALUE to value + 1", p->name);
	t_eq(t_demo_get(p, fd, &new_value), 0, "%s: GET_VALUE again", p->name);
	t_eq(new_value, value, "%s: the value read back is the value set", p->name);
	value = 12345;
	t_eq(t_demo_set(p, fd, value), 0, "%s: SET_VALUE 12345", p->name);
	t_ok(t_demo_get(p, fd, &new_value) == 0 && new_value == 12345, "%s: GET_VALUE 12345",
	     p->name);
	t_err(t_demo_cmd(p, fd, SAMPLE_FAIL), -ENOTTY, "%s: the sample's FAIL command _IO('|', 0)",
	      p->name);
	t_ok(t_demo_get(p, fd, &new_value) == 0 && new_value == 12345,
	     "%s: a failed command leaves the value alone", p->name);
	close(fd);
}

static void rw(void)
{
	static const char msg[] = "Hello from the ucmd sample flow";
	char buf[64];
	int fd = t_open(O_RDWR);
	int fd2 = t_open(O_RDONLY);

	t_eq(lseek(fd, 0, SEEK_SET), 0, "lseek to 0");
	t_eq(write(fd, msg, sizeof(msg)), (long long)sizeof(msg), "write a message");
	t_eq(lseek(fd, 0, SEEK_CUR), (long long)sizeof(msg), "the write advanced the position");
	t_eq(lseek(fd, 0, SEEK_SET), 0, "lseek back to 0");
	memset(buf, 0, sizeof(buf));
	t_eq(read(fd, buf, sizeof(msg)), (long long)sizeof(msg), "read it back");
	t_ok(memcmp(buf, msg, sizeof(msg)) == 0, "read returns what was written");
	memset(buf, 0, sizeof(buf));
	t_eq(pread(fd2, buf, sizeof(msg), 0), (long long)sizeof(msg), "pread on another open");
	t_ok(memcmp(buf, msg, sizeof(msg)) == 0, "another open sees the same buffer");
	t_eq(pwrite(fd, "HELLO", 5, 0), 5, "pwrite 5 bytes at 0");
	t_eq(lseek(fd, 0, SEEK_CUR), (long long)sizeof(msg), "pwrite leaves the position alone");
	memset(buf, 0, sizeof(buf));
	t_eq(pread(fd2, buf, sizeof(msg), 0), (long long)sizeof(msg), "pread after pwrite");
	t_ok(memcmp(buf, "HELLO from the ucmd sample flow", sizeof(msg)) == 0,
	     "pwrite replaced exactly the first 5 bytes");
	close(fd2);
	close(fd);
}

int main(void)
{
	struct t_path paths[T_NPATHS];

	t_init();
	t_require_device();
	t_paths(paths);
	for (int i = 0; i < T_NPATHS; i++)
		flow(&paths[i]);
	rw();
	t_paths_exit(paths);
	return t_done();
}
