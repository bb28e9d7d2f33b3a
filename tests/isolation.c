// SPDX-License-Identifier: GPL-2.0
/* isolation.c - each open file has its own value starting at 0, shared only by descriptors of that same open file (dup, fork). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

#define NOPEN 64

int main(void)
{
	struct t_path paths[T_NPATHS];
	const struct t_path *io, *ur;
	int a, b, c, d, dupb, v, fds[NOPEN], status;
	bool ok;
	pid_t pid;

	t_init();
	t_require_device();
	t_paths(paths);
	io = &paths[0];
	ur = &paths[1];

	a = t_open(O_RDWR);
	b = t_open(O_RDWR);
	t_eq(t_demo_set(io, a, 11), 0, "A: SET_VALUE 11 (ioctl)");
	t_eq(t_demo_set(ur, b, 22), 0, "B: SET_VALUE 22 (uring)");
	t_ok(t_demo_get(ur, a, &v) == 0 && v == 11, "A reads 11");
	t_ok(t_demo_get(io, b, &v) == 0 && v == 22, "B reads 22");
	t_eq(t_demo_add(ur, a, 5, NULL), 16, "A: ADD 5 -> 16");
	t_ok(t_demo_get(io, b, &v) == 0 && v == 22, "B still reads 22");
	c = t_open(O_RDWR);
	t_ok(t_demo_get(ur, c, &v) == 0 && v == 0, "a third open C starts at 0");
	close(a);
	d = t_open(O_RDWR);
	t_ok(t_demo_get(io, d, &v) == 0 && v == 0,
	     "an open after closing A starts at 0, not at A's 16");
	t_ok(t_demo_get(io, b, &v) == 0 && v == 22, "closing A left B alone");

	dupb = dup(b);
	t_ok(t_demo_get(ur, dupb, &v) == 0 && v == 22, "dup(B) shares B's value");
	t_eq(t_demo_set(io, dupb, 33), 0, "dup(B): SET_VALUE 33");
	t_ok(t_demo_get(ur, b, &v) == 0 && v == 33, "B reads 33 set through its dup");

	pid = t_fork();
	if (pid == 0) {
		int cv = -1;

		if (ucmd_call_ioctl(b, UCMD_DEMO_GET_VALUE, &cv) != 0 || cv != 33)
			_exit(1);
		_exit(ucmd_call_ioctl(b, UCMD_DEMO_SET_VALUE, &(int){ 44 }) == 0 ? 0 : 2);
	}
	t_ok(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	     "a forked child sees B's 33 and sets 44");
	t_ok(t_demo_get(io, b, &v) == 0 && v == 44, "B reads the child's 44");
	t_ok(t_demo_get(io, c, &v) == 0 && v == 0, "C is still 0");

	ok = true;
	for (int i = 0; i < NOPEN; i++) {
		fds[i] = t_open(O_RDWR);
		ok = ok && t_demo_set(&paths[i % T_NPATHS], fds[i], i * 3 + 1) == 0;
	}
	for (int i = 0; i < NOPEN; i++) {
		v = -1;
		ok = ok && t_demo_get(&paths[(i + 1) % T_NPATHS], fds[i], &v) == 0 &&
		     v == i * 3 + 1;
		close(fds[i]);
	}
	t_ok(ok, "%d opens each keep their own value", NOPEN);

	close(dupb);
	close(b);
	close(c);
	close(d);
	t_paths_exit(paths);
	return t_done();
}
