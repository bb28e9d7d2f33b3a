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
	struct tu_path paths[TU_NPATHS];
	int fd, v = -1;

	tap_ok(geteuid() != 0, "running as uid %d", (int)geteuid());
	fd = ucmd_open(tu_dev_path(), O_RDWR);
	if (!tap_ok(fd >= 0, "an unprivileged user may open the device read-write (%s)",
		    fd < 0 ? strerror(-fd) : "ok"))
		return;
	tu_paths(paths);
	for (int i = 0; i < TU_NPATHS; i++) {
		const struct tu_path *p = &paths[i];

		tap_err(tu_cmd(p, fd, UCMD_DEMO_RESET_STATS), -EPERM,
			"%s: RESET_STATS as uid %d -> -EPERM", p->name, (int)geteuid());
		tap_eq(tu_cmd(p, fd, UCMD_DEMO_HELLO), 0, "%s: HELLO as uid %d -> 0", p->name,
		       (int)geteuid());
		tap_eq(tu_set(p, fd, 40 + i), 0, "%s: SET_VALUE as uid %d -> 0", p->name,
		       (int)geteuid());
		tap_ok(tu_get(p, fd, &v) == 0 && v == 40 + i,
		       "%s: GET_VALUE as uid %d reads it back", p->name, (int)geteuid());
	}
	tu_paths_exit(paths);
	close(fd);
}

int main(void)
{
	struct tu_path paths[TU_NPATHS];
	struct stat st;
	int fd, status;
	pid_t pid;

	tap_init();
	tu_require_device();
	if (stat(tu_dev_path(), &st))
		tap_bail("stat: %s", strerror(errno));
	tap_eq(st.st_mode & 07777, 0666, "%s has mode 0666", tu_dev_path());

	if (geteuid() != 0) {
		tap_skip("not root", "RESET_STATS as root");
		unprivileged();
		return tap_done();
	}

	tu_paths(paths);
	fd = tu_open(O_RDWR);
	for (int i = 0; i < TU_NPATHS; i++)
		tap_eq(tu_cmd(&paths[i], fd, UCMD_DEMO_RESET_STATS), 0,
		       "%s: RESET_STATS as root -> 0", paths[i].name);
	close(fd);
	/* A read-only file is enough: the capability is what counts. */
	fd = tu_open(O_RDONLY);
	tap_eq(tu_cmd(&paths[1], fd, UCMD_DEMO_RESET_STATS), 0,
	       "uring: RESET_STATS as root on O_RDONLY -> 0");
	close(fd);
	tu_paths_exit(paths);

	pid = tu_fork();
	if (pid == 0) {
		if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY)) {
			tap_ok(false, "dropping privileges to uid/gid %d: %s", NOBODY,
			       strerror(errno));
			_exit(1);
		}
		unprivileged();
		_exit(0);
	}
	tap_ok(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "the unprivileged child finished");
	return tap_done();
}
