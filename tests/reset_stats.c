// SPDX-License-Identifier: GPL-2.0
/* reset_stats.c - RESET_STATS needs CAP_SYS_ADMIN: 0 as root, -EPERM as uid 65534 on every path, while the 0666 device stays usable for that user. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <grp.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

#define NOBODY 65534

/* The checks an unprivileged user runs (in a child, or here when not root). */
static void unprivileged(void)
{
	struct t_path paths[T_NPATHS];
	int fd, v = -1;

	t_ok(geteuid() != 0, "running as uid %d", (int)geteuid());
	fd = ucmd_open(t_dev_path(), O_RDWR);
	if (!t_ok(fd >= 0, "an unprivileged user may open the device read-write (%s)",
		  fd < 0 ? strerror(-fd) : "ok"))
		return;
	t_paths(paths);
	for (int i = 0; i < T_NPATHS; i++) {
		const struct t_path *p = &paths[i];

		t_err(t_demo_cmd(p, fd, UCMD_DEMO_RESET_STATS), -EPERM,
		      "%s: RESET_STATS as uid %d -> -EPERM", p->name, (int)geteuid());
		t_eq(t_demo_cmd(p, fd, UCMD_DEMO_HELLO), 0, "%s: HELLO as uid %d -> 0", p->name,
		     (int)geteuid());
		t_eq(t_demo_set(p, fd, 40 + i), 0, "%s: SET_VALUE as uid %d -> 0", p->name,
		     (int)geteuid());
		t_ok(t_demo_get(p, fd, &v) == 0 && v == 40 + i,
		     "%s: GET_VALUE as uid %d reads it back", p->name, (int)geteuid());
	}
	t_paths_exit(paths);
	close(fd);
}

int main(void)
{
	struct t_path paths[T_NPATHS];
	struct stat st;
	int fd, status;
	pid_t pid;

	t_init();
	t_require_device();
	if (stat(t_dev_path(), &st))
		t_bail("stat: %s", strerror(errno));
	t_eq(st.st_mode & 07777, 0666, "%s has mode 0666", t_dev_path());

	if (geteuid() != 0) {
		t_skip("not root", "RESET_STATS as root");
		unprivileged();
		return t_done();
	}

	t_paths(paths);
	fd = t_open(O_RDWR);
	for (int i = 0; i < T_NPATHS; i++)
		t_eq(t_demo_cmd(&paths[i], fd, UCMD_DEMO_RESET_STATS), 0,
		     "%s: RESET_STATS as root -> 0", paths[i].name);
	close(fd);
	/* A read-only file is enough: the capability is what counts. */
	fd = t_open(O_RDONLY);
	t_eq(t_demo_cmd(&paths[1], fd, UCMD_DEMO_RESET_STATS), 0,
	     "uring: RESET_STATS as root on O_RDONLY -> 0");
	close(fd);
	t_paths_exit(paths);

	pid = t_fork();
	if (pid == 0) {
		if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY)) {
			t_ok(false, "dropping privileges to uid/gid %d: %s", NOBODY,
			     strerror(errno));
			_exit(1);
		}
		unprivileged();
		_exit(0);
	}
	t_ok(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	     "the unprivileged child finished");
	return t_done();
}
