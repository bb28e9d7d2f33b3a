// SPDX-License-Identifier: GPL-2.0
/* kernel_selftest.c - loads ucmd_kunit.ko and checks every in-kernel case passed (KUnit or KTAP shim). */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MODULE_PATH "/lib/ucmd/ucmd_kunit.ko"
#define NR_CASES 13

static int load(void)
{
	int fd = open(MODULE_PATH, O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0);
	close(fd);
	return ret ? -errno : 0;
}

int main(void)
{
	static char log[1 << 20];
	int passed = 0, failed = 0, ret, len;
	char *line, *save;

	if (access(MODULE_PATH, R_OK)) {
		printf("SKIP: %s not in this image\n", MODULE_PATH);
		return 77;
	}
	/* Loaded at boot with the other modules: reload to see this run's output. */
	if (syscall(SYS_delete_module, "ucmd_kunit", O_NONBLOCK) && errno != ENOENT) {
		printf("not ok 1 - unload the boot-time instance: %s\n", strerror(errno));
		return 1;
	}
	/* The log is not cleared (the runner scans every line); this run's cases come last. */
	ret = load();
	printf("%sok 1 - ucmd_kunit.ko loads (%s)\n", ret ? "not " : "",
	       ret ? strerror(-ret) : "0");
	if (ret)
		return 1;
	len = klogctl(3, log, sizeof(log) - 1); /* SYSLOG_ACTION_READ_ALL */
	if (len < 0) {
		printf("not ok 2 - read the kernel log: %s\n", strerror(errno));
		return 1;
	}
	log[len] = 0;
	/* From this load's first case on: the last line naming the first case. */
	line = log;
	for (char *p = strstr(log, " ucmd_test_bad_tables"); p;
	     p = strstr(p + 1, " ucmd_test_bad_tables"))
		line = p;
	while (line > log && line[-1] != '\n')
		line--;
	for (line = strtok_r(line, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *p = strstr(line, "ok ");
		int not = p && p >= line + 4 && !strncmp(p - 4, "not ", 4);

		/* Case lines only: "ok N ucmd_test_..." (suite lines name "ucmd"). */
		if (!p || !strstr(p, " ucmd_test_"))
			continue;
		if (not )
			failed++;
		else
			passed++;
		printf("# %s\n", not ? p - 4 : p);
	}
	printf("%sok 2 - %d in-kernel cases passed, %d failed (want %d, 0)\n",
	       passed == NR_CASES && !failed ? "" : "not ", passed, failed, NR_CASES);
	ret = syscall(SYS_delete_module, "ucmd_kunit", O_NONBLOCK);
	printf("%sok 3 - ucmd_kunit.ko unloads\n", ret ? "not " : "");
	printf("1..3\n");
	return passed == NR_CASES && !failed && !ret ? 0 : 1;
}
