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

int lt_queue_sleeps(struct io_uring *ring, int fd, unsigned int n, uint64_t base, uint64_t min_ns,
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
				.tag = LT_TAG(base + queued),
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

void lt_reap_init(struct lt_reap *r, uint64_t base, unsigned int n)
{
	memset(r, 0, sizeof(*r));
	r->n = n;
	r->base = base;
	r->seen = calloc(n ? n : 1, 1);
	if (!r->seen)
		tap_bail("out of memory");
}

void lt_reap_free(struct lt_reap *r)
{
	free(r->seen);
	r->seen = NULL;
}

void lt_reap_one(struct io_uring *ring, struct lt_reap *r, const struct io_uring_cqe *cqe)
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
		if (ucmd_ring_has_res2(ring) && ucmd_cqe_res2(ring, cqe) != LT_TAG(cqe->user_data))
			r->bad_tag++;
	} else if (cqe->res == -ECANCELED) {
		r->cancelled++;
	} else {
		if (!r->other)
			r->other_res = cqe->res;
		r->other++;
	}
}

bool lt_reap_all(struct io_uring *ring, struct lt_reap *r, unsigned int timeout_ms)
{
	uint64_t deadline = tu_now_ns() + (uint64_t)timeout_ms * LT_MS;
	struct io_uring_cqe *cqe;

	while (r->got < r->n) {
		struct __kernel_timespec ts = { .tv_nsec = 50 * (long)LT_MS };
		int ret = io_uring_wait_cqe_timeout(ring, &cqe, &ts);

		if (ret == 0) {
			lt_reap_one(ring, r, cqe);
			io_uring_cqe_seen(ring, cqe);
			continue;
		}
		if (ret != -ETIME && ret != -EINTR && ret != -EAGAIN)
			break;
		if (tu_now_ns() > deadline)
			break;
	}
	while (io_uring_peek_cqe(ring, &cqe) == 0) {
		lt_reap_one(ring, r, cqe);
		io_uring_cqe_seen(ring, cqe);
	}
	return r->got >= r->n;
}

void lt_reap_check(const char *what, const struct lt_reap *r, bool allow_cancel)
{
	unsigned int missing = 0;

	for (unsigned int i = 0; i < r->n; i++)
		missing += !r->seen[i];
	tap_eq(missing, 0, "%s: every one of the %u commands completed", what, r->n);
	tap_eq(r->dups, 0, "%s: none completed twice", what);
	tap_eq(r->stray, 0, "%s: no completion with an unknown user_data", what);
	if (allow_cancel) {
		if (!tap_eq(r->other, 0, "%s: every result is 0 or -ECANCELED", what))
			tap_diag("  first other result %d", r->other_res);
	} else {
		if (!tap_eq(r->cancelled + r->other, 0, "%s: every result is 0", what))
			tap_diag("  %u cancelled, %u other (first %d)", r->cancelled, r->other,
				 r->other_res);
	}
	tap_eq(r->bad_tag, 0, "%s: every completion carries its own tag", what);
	tap_diag("%s: %u completed with 0, %u with -ECANCELED", what, r->zero, r->cancelled);
}

void lt_settle(const char *what, const struct ucmd_stats *before, uint64_t issued, uint64_t sync,
	       long long cancelled, unsigned int deadline_ms, struct ucmd_stats *after)
{
	struct ucmd_stats st;
	uint64_t t0 = tu_now_ns();
	bool idle = tu_wait_idle(&st, deadline_ms);

	if (!tap_ok(idle, "%s: inflight back to 0 within %u ms (%" PRIu64 " ms)", what, deadline_ms,
		    (tu_now_ns() - t0) / LT_MS))
		tu_stats_diag(what, &st);
	tap_eq_u64(st.issued - before->issued, issued, "%s: issued +%" PRIu64, what, issued);
	tap_eq_u64(st.completed_sync - before->completed_sync, sync, "%s: completed_sync +%" PRIu64,
		   what, sync);
	tap_eq_u64((st.completed_async + st.cancelled) -
			   (before->completed_async + before->cancelled),
		   issued - sync, "%s: completed_async + cancelled +%" PRIu64, what, issued - sync);
	if (cancelled >= 0)
		tap_eq_u64(st.cancelled - before->cancelled, (uint64_t)cancelled,
			   "%s: cancelled +%lld (as many as -ECANCELED completions)", what,
			   cancelled);
	if (!tap_ok(tu_imbalance(&st) == tu_imbalance(before),
		    "%s: counters balance (issued - completed - cancelled unchanged)", what))
		tu_stats_diag(what, &st);
	tap_eq_u64(st.refused - before->refused, 0, "%s: refused unchanged (no double completion)",
		   what);
	tap_diag("%s: completed_async +%" PRIu64 ", cancelled +%" PRIu64, what,
		 st.completed_async - before->completed_async, st.cancelled - before->cancelled);
	if (after)
		*after = st;
}

int mc_delete(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

int mc_load(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

bool mc_loaded(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/module/%s/refcnt", name);
	return access(path, F_OK) == 0;
}

bool mc_busy(int err)
{
	return err == -EAGAIN || err == -EBUSY;
}

const char *mc_demo_reloadable(void)
{
	if (geteuid() != 0)
		return "needs root (CAP_SYS_MODULE)";
	if (!mc_loaded(MC_DEMO))
		return "ucmd_demo is not a loaded module";
	if (access(MC_DEMO_KO, R_OK))
		return MC_DEMO_KO " is missing: could not load it again";
	return NULL;
}

int mc_delete_wait(const char *name, unsigned int timeout_ms, unsigned int *tries)
{
	uint64_t deadline = tu_now_ns() + (uint64_t)timeout_ms * 1000000;
	int ret;

	*tries = 0;
	for (;;) {
		ret = mc_delete(name);
		++*tries;
		if (!mc_busy(ret) || tu_now_ns() > deadline)
			return ret;
		tu_sleep_ms(20);
	}
}

bool mc_wait_path(const char *path, bool exist, unsigned int timeout_ms)
{
	uint64_t deadline = tu_now_ns() + (uint64_t)timeout_ms * 1000000;

	for (;;) {
		if ((access(path, F_OK) == 0) == exist)
			return true;
		if (tu_now_ns() > deadline)
			return false;
		tu_sleep_ms(10);
	}
}

int mc_reload_demo(unsigned int timeout_ms)
{
	unsigned int tries;
	int ret = mc_delete_wait(MC_DEMO, timeout_ms, &tries);

	if (ret)
		return ret;
	ret = mc_load(MC_DEMO_KO);
	if (ret)
		tap_bail("ucmd_demo unloaded but cannot be loaded again: %s", strerror(-ret));
	if (!mc_wait_path(tu_dev_path(), true, 5000))
		tap_bail("ucmd_demo loaded again but %s did not appear", tu_dev_path());
	return 0;
}
