// SPDX-License-Identifier: GPL-2.0
/* helpers_life.c - queueing SLEEPs, reaping each completion once, settling counters and reloading ucmd_demo (see helpers.h). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "helpers.h"

pid_t t_child_ring(unsigned int entries, unsigned int flags, t_ring_job job, void *arg, bool stay,
		   bool *ok)
{
	int pipefd[2];
	char c = 'n';
	pid_t pid;

	if (pipe(pipefd))
		t_bail("pipe: %s", strerror(errno));
	pid = t_fork();
	if (pid == 0) {
		struct io_uring ring;
		int fd = ucmd_open(t_dev_path(), O_RDWR);

		close(pipefd[0]);
		if (fd >= 0 && ucmd_ring_init(&ring, entries, flags) == 0 && job(&ring, fd, arg))
			c = 'y';
		if (write(pipefd[1], &c, 1) != 1)
			_exit(3);
		while (stay)
			pause();
		_exit(0);
	}
	close(pipefd[1]);
	if (read(pipefd[0], &c, 1) != 1)
		c = 0;
	close(pipefd[0]);
	*ok = c == 'y';
	return pid;
}

int t_queue_sleeps(struct io_uring *ring, int fd, unsigned int n, uint64_t base, uint64_t min_ns,
		   uint64_t max_ns)
{
	unsigned int queued = 0, done = 0;

	while (done < n) {
		struct io_uring_sqe *sqe = queued < n ? io_uring_get_sqe(ring) : NULL;
		int ret;

		if (sqe) {
			uint64_t span = max_ns - min_ns;
			struct ucmd_demo_sleep s = {
				.nsec = min_ns + span * ((queued * 7919u) % 1000u) / 999u,
				.tag = T_SLEEP_TAG(base + queued),
			};

			ucmd_prep(ring, sqe, fd, UCMD_DEMO_SLEEP, &s, sizeof(s));
			io_uring_sqe_set_data64(sqe, base + queued);
			queued++;
			continue;
		}
		ret = io_uring_submit(ring);
		if (ret < 0)
			return done ? (int)done : ret;
		if (ret == 0)
			break;
		done += (unsigned int)ret;
	}
	return (int)done;
}

void t_reap_init(struct t_reap *r, uint64_t base, unsigned int n)
{
	memset(r, 0, sizeof(*r));
	r->n = n;
	r->base = base;
	r->seen = calloc(n ? n : 1, 1);
	if (!r->seen)
		t_bail("out of memory");
}

void t_reap_free(struct t_reap *r)
{
	free(r->seen);
	r->seen = NULL;
}

void t_reap_one(struct io_uring *ring, struct t_reap *r, const struct io_uring_cqe *cqe)
{
	uint64_t i = cqe->user_data - r->base;

	if (cqe->user_data < r->base || i >= r->n) {
		r->stray++;
		return;
	}
	r->got++;
	if (r->seen[i]++)
		r->dups++;
	if (cqe->res == 0) {
		r->zero++;
		if (ucmd_ring_has_res2(ring) &&
		    ucmd_cqe_res2(ring, cqe) != T_SLEEP_TAG(cqe->user_data))
			r->bad_tag++;
	} else if (cqe->res == -ECANCELED) {
		r->cancelled++;
	} else {
		if (!r->other)
			r->other_res = cqe->res;
		r->other++;
	}
}

bool t_reap_all(struct io_uring *ring, struct t_reap *r, unsigned int timeout_ms)
{
	uint64_t deadline = t_now_ns() + (uint64_t)timeout_ms * T_NS_PER_MS;
	struct io_uring_cqe *cqe;

	while (r->got < r->n) {
		struct __kernel_timespec ts = { .tv_nsec = 50 * (long)T_NS_PER_MS };
		int ret = io_uring_wait_cqe_timeout(ring, &cqe, &ts);

		if (ret == 0) {
			t_reap_one(ring, r, cqe);
			io_uring_cqe_seen(ring, cqe);
			continue;
		}
		if (ret != -ETIME && ret != -EINTR && ret != -EAGAIN)
			break;
		if (t_now_ns() > deadline)
			break;
	}
	while (io_uring_peek_cqe(ring, &cqe) == 0) {
		t_reap_one(ring, r, cqe);
		io_uring_cqe_seen(ring, cqe);
	}
	return r->got >= r->n;
}

void t_reap_check(const char *what, const struct t_reap *r, bool allow_cancel)
{
	unsigned int missing = 0;

	for (unsigned int i = 0; i < r->n; i++)
		missing += !r->seen[i];
	t_eq(missing, 0, "%s: every one of the %u commands completed", what, r->n);
	t_eq(r->dups, 0, "%s: none completed twice", what);
	t_eq(r->stray, 0, "%s: no completion with an unknown user_data", what);
	if (allow_cancel) {
		if (!t_eq(r->other, 0, "%s: every result is 0 or -ECANCELED", what))
			t_diag("  first other result %d", r->other_res);
	} else {
		if (!t_eq(r->cancelled + r->other, 0, "%s: every result is 0", what))
			t_diag("  %u cancelled, %u other (first %d)", r->cancelled, r->other,
			       r->other_res);
	}
	t_eq(r->bad_tag, 0, "%s: every completion carries its own tag", what);
	t_diag("%s: %u completed with 0, %u with -ECANCELED", what, r->zero, r->cancelled);
}

void t_settle(const char *what, const struct ucmd_stats *before, uint64_t issued, uint64_t sync,
	      long long cancelled, unsigned int deadline_ms, struct ucmd_stats *after)
{
	struct ucmd_stats st;
	uint64_t t0 = t_now_ns();
	bool idle = t_wait_idle(&st, deadline_ms);

	if (!t_ok(idle, "%s: inflight back to 0 within %u ms (%" PRIu64 " ms)", what, deadline_ms,
		  (t_now_ns() - t0) / T_NS_PER_MS))
		t_stats_diag(what, &st);
	t_eq_u64(st.issued - before->issued, issued, "%s: issued +%" PRIu64, what, issued);
	t_eq_u64(st.completed_sync - before->completed_sync, sync, "%s: completed_sync +%" PRIu64,
		 what, sync);
	t_eq_u64((st.completed_async + st.cancelled) -
			 (before->completed_async + before->cancelled),
		 issued - sync, "%s: completed_async + cancelled +%" PRIu64, what, issued - sync);
	if (cancelled >= 0)
		t_eq_u64(st.cancelled - before->cancelled, (uint64_t)cancelled,
			 "%s: cancelled +%lld (as many as -ECANCELED completions)", what,
			 cancelled);
	if (!t_ok(t_imbalance(&st) == t_imbalance(before),
		  "%s: counters balance (issued - completed - cancelled unchanged)", what))
		t_stats_diag(what, &st);
	t_eq_u64(st.refused - before->refused, 0, "%s: refused unchanged (no double completion)",
		 what);
	t_diag("%s: completed_async +%" PRIu64 ", cancelled +%" PRIu64, what,
	       st.completed_async - before->completed_async, st.cancelled - before->cancelled);
	if (after)
		*after = st;
}

int t_module_delete(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

int t_module_load(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

bool t_module_loaded(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/module/%s/refcnt", name);
	return access(path, F_OK) == 0;
}

bool t_module_busy(int err)
{
	return err == -EAGAIN || err == -EBUSY;
}

const char *t_demo_reloadable(void)
{
	if (geteuid() != 0)
		return "needs root (CAP_SYS_MODULE)";
	if (!t_module_loaded(T_DEMO_MODULE))
		return "ucmd_demo is not a loaded module";
	if (access(T_DEMO_KO, R_OK))
		return T_DEMO_KO " is missing: could not load it again";
	return NULL;
}

int t_module_delete_wait(const char *name, unsigned int timeout_ms, unsigned int *tries)
{
	uint64_t deadline = t_now_ns() + (uint64_t)timeout_ms * T_NS_PER_MS;
	int ret;

	*tries = 0;
	for (;;) {
		ret = t_module_delete(name);
		++*tries;
		if (!t_module_busy(ret) || t_now_ns() > deadline)
			return ret;
		t_sleep_ms(20);
	}
}

bool t_wait_path(const char *path, bool exist, unsigned int timeout_ms)
{
	uint64_t deadline = t_now_ns() + (uint64_t)timeout_ms * T_NS_PER_MS;

	for (;;) {
		if ((access(path, F_OK) == 0) == exist)
			return true;
		if (t_now_ns() > deadline)
			return false;
		t_sleep_ms(10);
	}
}

int t_demo_reload(unsigned int timeout_ms)
{
	unsigned int tries;
	int ret = t_module_delete_wait(T_DEMO_MODULE, timeout_ms, &tries);

	if (ret)
		return ret;
	ret = t_module_load(T_DEMO_KO);
	if (ret)
		t_bail("ucmd_demo unloaded but cannot be loaded again: %s", strerror(-ret));
	if (!t_wait_path(t_dev_path(), true, 5000))
		t_bail("ucmd_demo loaded again but %s did not appear", t_dev_path());
	return 0;
}
