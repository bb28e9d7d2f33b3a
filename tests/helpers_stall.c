// SPDX-License-Identifier: GPL-2.0
/* helpers_stall.c - a child process watched for progress: one that stops making any is shown (its rings as the kernel sees them) and ended (see helpers.h). */
#include <signal.h>
#include <sys/wait.h>

#include "helpers.h"

void t_diag_rings(pid_t pid)
{
	static const char *const keys[] = { "SqHead", "SqTail", "CachedSqHead",
					    "CqHead", "CqTail", "CachedCqTail" };
	char path[64], line[256];
	FILE *f;

	for (int fd = 0; fd < 256; fd++) {
		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)pid, fd);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
				size_t n = strlen(keys[k]);

				if (!strncmp(line, keys[k], n) && line[n] == ':')
					t_diag("  fd %d: %.*s", fd, (int)strcspn(line, "\n"), line);
			}
		}
		fclose(f);
	}
	snprintf(path, sizeof(path), "/proc/%d/wchan", (int)pid);
	f = fopen(path, "r");
	if (f) {
		if (fgets(line, sizeof(line), f))
			t_diag("  waits in: %s", line);
		fclose(f);
	}
}

int t_watch_child(pid_t pid, const unsigned int *progress, unsigned int stall_ms, int nudge,
		  struct t_stall *st)
{
	uint64_t tlast = t_now_ns(), stall_ns = (uint64_t)stall_ms * T_NS_PER_MS;
	unsigned int last = 0, at = 0;
	bool killed = false;
	int status = -1;

	memset(st, 0, sizeof(*st));
	while (waitpid(pid, &status, WNOHANG) != pid) {
		unsigned int p = __atomic_load_n(progress, __ATOMIC_SEQ_CST);
		uint64_t now = t_now_ns();

		if (p != last) {
			last = p;
			tlast = now;
		} else if (!st->stalled && now - tlast >= stall_ns) {
			st->stalled = true;
			at = p;
			t_diag("the child made no progress for %u ms (at %u)", stall_ms, p);
			t_diag_rings(pid);
			if (nudge)
				kill(pid, nudge);
		} else if (!killed && st->stalled && p == at &&
			   now - tlast >= stall_ns + 2000 * T_NS_PER_MS) {
			t_diag("... %s: killed", nudge ? "a signal did not get it going" : "stuck");
			kill(pid, SIGKILL);
			killed = true;
		}
		t_sleep_ms(10);
	}
	st->resumed = st->stalled && __atomic_load_n(progress, __ATOMIC_SEQ_CST) > at;
	return status;
}
