// SPDX-License-Identifier: GPL-2.0
/* helpers.c - what every test shares: TAP reporting, time, the demo device and its paths, child processes (see helpers.h). */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

struct t_state {
	int n;
	int failed;
};

static struct t_state *tap;

void t_init(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	tap = mmap(NULL, sizeof(*tap), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (tap == MAP_FAILED) {
		printf("Bail out! mmap: %s\n", strerror(errno));
		exit(1);
	}
	tap->n = 0;
	tap->failed = 0;
}

static void vline(bool ok, const char *directive, const char *fmt, va_list ap)
{
	int n = __atomic_add_fetch(&tap->n, 1, __ATOMIC_SEQ_CST);

	if (!ok)
		__atomic_add_fetch(&tap->failed, 1, __ATOMIC_SEQ_CST);
	printf("%sok %d - ", ok ? "" : "not ", n);
	vprintf(fmt, ap);
	if (directive)
		printf(" # %s", directive);
	putchar('\n');
	fflush(stdout);
}

bool t_ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(cond, NULL, fmt, ap);
	va_end(ap);
	return cond;
}

bool t_eq(long long got, long long want, const char *fmt, ...)
{
	bool ok = got == want;
	va_list ap;

	va_start(ap, fmt);
	vline(ok, NULL, fmt, ap);
	va_end(ap);
	if (!ok)
		t_diag("  got %lld, want %lld", got, want);
	return ok;
}

bool t_eq_u64(uint64_t got, uint64_t want, const char *fmt, ...)
{
	bool ok = got == want;
	va_list ap;

	va_start(ap, fmt);
	vline(ok, NULL, fmt, ap);
	va_end(ap);
	if (!ok)
		t_diag("  got %" PRIu64 " (0x%" PRIx64 "), want %" PRIu64 " (0x%" PRIx64 ")", got,
		       got, want, want);
	return ok;
}

static const char *errname(int neg)
{
	static char buf[64];

	if (neg >= 0) {
		snprintf(buf, sizeof(buf), "%d (no error)", neg);
		return buf;
	}
	snprintf(buf, sizeof(buf), "-%d (%s)", -neg, strerror(-neg));
	return buf;
}

bool t_err(int got, int want_err, const char *fmt, ...)
{
	bool ok = got == want_err;
	va_list ap;

	va_start(ap, fmt);
	vline(ok, NULL, fmt, ap);
	va_end(ap);
	if (!ok) {
		t_diag("  got %s", errname(got));
		t_diag("  want %s", errname(want_err));
	}
	return ok;
}

void t_skip(const char *why, const char *fmt, ...)
{
	char dir[256];
	va_list ap;

	snprintf(dir, sizeof(dir), "SKIP %s", why);
	va_start(ap, fmt);
	vline(true, dir, fmt, ap);
	va_end(ap);
}

bool t_todo(bool cond, const char *why, const char *fmt, ...)
{
	char dir[256];
	va_list ap;

	snprintf(dir, sizeof(dir), "TODO %s", why);
	va_start(ap, fmt);
	vline(cond, dir, fmt, ap);
	va_end(ap);
	/* vline() counted a failure: a TODO line is not one. */
	if (!cond)
		__atomic_sub_fetch(&tap->failed, 1, __ATOMIC_SEQ_CST);
	return cond;
}

void t_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

void t_skip_all(const char *fmt, ...)
{
	va_list ap;

	/* A skip never hides a failure already recorded: that is a failure. */
	if (t_failed()) {
		fputs("# skipping the rest after a failure: ", stdout);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		putchar('\n');
		exit(t_done());
	}
	fputs("SKIP: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	exit(T_EXIT_SKIP);
}

void t_bail(const char *fmt, ...)
{
	va_list ap;

	fputs("Bail out! ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	exit(1);
}

int t_failed(void)
{
	return tap->failed;
}

int t_done(void)
{
	printf("1..%d\n", tap->n);
	if (tap->failed)
		printf("# %d of %d failed\n", tap->failed, tap->n);
	fflush(stdout);
	return tap->failed ? 1 : 0;
}

const char *t_dev_path(void)
{
	const char *p = getenv("UCMD_DEVICE");

	return p && *p ? p : UCMD_DEMO_DEVICE;
}

static bool missing(int err)
{
	return err == ENOENT || err == ENXIO || err == ENODEV;
}

void t_require_device(void)
{
	struct stat st;

	if (stat(t_dev_path(), &st) < 0) {
		if (missing(errno))
			t_skip_all("%s: %s (ucmd_demo module not loaded?)", t_dev_path(),
				   strerror(errno));
		t_bail("%s: %s", t_dev_path(), strerror(errno));
	}
	if (!S_ISCHR(st.st_mode))
		t_skip_all("%s is not a character device", t_dev_path());
}

int t_open(int flags)
{
	int fd;

	t_require_device();
	fd = ucmd_open(t_dev_path(), flags);
	if (fd < 0) {
		if (missing(-fd))
			t_skip_all("%s: %s", t_dev_path(), strerror(-fd));
		t_bail("open %s: %s", t_dev_path(), strerror(-fd));
	}
	return fd;
}

void t_ring(struct io_uring *ring, unsigned int entries, unsigned int flags)
{
	int ret = ucmd_ring_init(ring, entries, flags);

	if (ret == -EINVAL)
		t_skip_all("io_uring setup with flags 0x%x refused (-EINVAL): kernel lacks %s",
			   flags,
			   (flags & (IORING_SETUP_SQE128 | IORING_SETUP_CQE32)) ?
				   "SQE128/CQE32" :
				   "a requested feature");
	if (ret == -ENOSYS || ret == -EPERM)
		t_skip_all("io_uring unavailable: %s", strerror(-ret));
	if (ret < 0)
		t_bail("io_uring setup (%u entries, flags 0x%x): %s", entries, flags,
		       strerror(-ret));
}

void t_stats(struct ucmd_stats *st)
{
	int ret = ucmd_stats_read(t_dev_path(), st);

	if (ret < 0)
		t_bail("reading the framework counters of %s: %s", t_dev_path(), strerror(-ret));
}

bool t_stats_balanced(const struct ucmd_stats *st)
{
	return st->issued == st->completed_sync + st->completed_async + st->cancelled;
}

int64_t t_imbalance(const struct ucmd_stats *st)
{
	return (int64_t)(st->issued - (st->completed_sync + st->completed_async + st->cancelled));
}

void t_stats_diag(const char *what, const struct ucmd_stats *st)
{
	t_diag("%s: issued %" PRIu64 " completed_sync %" PRIu64 " completed_async %" PRIu64
	       " cancelled %" PRIu64 " refused %" PRIu64 " inflight %" PRIu64,
	       what, st->issued, st->completed_sync, st->completed_async, st->cancelled,
	       st->refused, st->inflight);
}

bool t_wait_idle(struct ucmd_stats *st, unsigned int timeout_ms)
{
	uint64_t deadline = t_now_ns() + (uint64_t)timeout_ms * T_NS_PER_MS;
	struct ucmd_stats again;

	for (;;) {
		t_stats(st);
		/* Idle, and two reads agree: the sysfs files are not one snapshot. */
		if (st->inflight == 0) {
			t_stats(&again);
			if (memcmp(st, &again, sizeof(again)) == 0)
				return true;
		}
		if (t_now_ns() > deadline)
			return false;
		t_sleep_ms(10);
	}
}

uint64_t t_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void t_sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)((ms % 1000) * T_NS_PER_MS) };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static struct io_uring path_rings[2];

void t_paths(struct t_path paths[T_NPATHS])
{
	t_ring(&path_rings[0], 8, 0);
	t_ring(&path_rings[1], 8, IORING_SETUP_SQE128 | IORING_SETUP_CQE32);
	paths[0] = (struct t_path){ "ioctl", NULL };
	paths[1] = (struct t_path){ "uring", &path_rings[0] };
	paths[2] = (struct t_path){ "uring128", &path_rings[1] };
}

void t_paths_exit(struct t_path paths[T_NPATHS])
{
	for (int i = 0; i < T_NPATHS; i++)
		if (paths[i].ring)
			io_uring_queue_exit(paths[i].ring);
}

static int call(const struct t_path *p, int fd, uint32_t cmd, void *ioctl_arg, const void *payload,
		size_t len, uint64_t *res2)
{
	if (res2)
		*res2 = 0;
	if (!p->ring)
		return ucmd_call_ioctl(fd, cmd, ioctl_arg);
	return ucmd_call_uring(p->ring, fd, cmd, payload, len, res2);
}

int t_demo_cmd(const struct t_path *p, int fd, uint32_t cmd)
{
	return call(p, fd, cmd, NULL, NULL, 0, NULL);
}

int t_demo_get(const struct t_path *p, int fd, int *out)
{
	uint64_t ptr = (uint64_t)(uintptr_t)out;

	return call(p, fd, UCMD_DEMO_GET_VALUE, out, &ptr, sizeof(ptr), NULL);
}

int t_demo_set(const struct t_path *p, int fd, int v)
{
	return call(p, fd, UCMD_DEMO_SET_VALUE, &v, &v, sizeof(v), NULL);
}

int t_demo_add(const struct t_path *p, int fd, int64_t delta, uint64_t *res2)
{
	return call(p, fd, UCMD_DEMO_ADD, &delta, &delta, sizeof(delta), res2);
}

int t_demo_sleep(const struct t_path *p, int fd, uint64_t nsec, uint64_t tag, uint64_t *res2)
{
	struct ucmd_demo_sleep s = { .nsec = nsec, .tag = tag };

	return call(p, fd, UCMD_DEMO_SLEEP, &s, &s, sizeof(s), res2);
}

int t_demo_sum128(const struct t_path *p, int fd, const struct ucmd_demo_blob *b)
{
	return call(p, fd, UCMD_DEMO_SUM128, (void *)b, b, sizeof(*b), NULL);
}

pid_t t_fork(void)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		t_bail("fork: %s", strerror(errno));
	return pid;
}

/* Appends what @fd has to @buf; at EOF, an error or a full buffer, @fd counts as closed. */
static void drain(int fd, char *buf, size_t cap, size_t *len, bool *open_)
{
	ssize_t n = read(fd, buf + *len, cap - 1 - *len);

	if (n <= 0) {
		*open_ = false;
		return;
	}
	*len += (size_t)n;
	buf[*len] = '\0';
	if (*len == cap - 1)
		*open_ = false; /* full: ignore the rest */
}

int t_child_output(pid_t pid, int out_fd, void *out, size_t out_cap, size_t *out_len, int err_fd,
		   char *err, size_t err_cap, unsigned int timeout_s)
{
	uint64_t deadline = t_now_ns() + timeout_s * 1000000000ULL;
	bool oopen = true, eopen = true;
	size_t olen = 0, elen = 0;
	int status;

	((char *)out)[0] = err[0] = '\0';
	while ((oopen || eopen) && t_now_ns() < deadline) {
		struct pollfd p[2] = { { oopen ? out_fd : -1, POLLIN, 0 },
				       { eopen ? err_fd : -1, POLLIN, 0 } };

		if (poll(p, 2, 1000) < 0 && errno != EINTR)
			break;
		if (p[0].revents)
			drain(out_fd, out, out_cap, &olen, &oopen);
		if (p[1].revents)
			drain(err_fd, err, err_cap, &elen, &eopen);
	}
	close(out_fd);
	close(err_fd);
	if (out_len)
		*out_len = olen;
	if (oopen || eopen) {
		kill(pid, SIGKILL); /* timed out */
		waitpid(pid, &status, 0);
		return -1;
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int t_run(const char *path, const char *const *argv, int in_fd, int uid, void *out, size_t out_cap,
	  size_t *out_len, char *err, size_t err_cap, unsigned int timeout_s)
{
	int outp[2], errp[2];
	pid_t pid;

	if (pipe(outp) || pipe(errp))
		t_bail("pipe: %s", strerror(errno));
	pid = t_fork();
	if (pid == 0) {
		dup2(in_fd >= 0 ? in_fd : open("/dev/null", O_RDONLY), 0);
		dup2(outp[1], 1);
		dup2(errp[1], 2);
		/* A pipe's write end left open here would keep standard input from its EOF. */
		for (int fd = 3; fd < 1024; fd++)
			close(fd);
		if (uid >= 0 &&
		    (setgroups(0, NULL) || setresgid((gid_t)uid, (gid_t)uid, (gid_t)uid) ||
		     setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid)))
			_exit(126);
		execv(path, (char *const *)argv);
		_exit(127);
	}
	close(outp[1]);
	close(errp[1]);
	return t_child_output(pid, outp[0], out, out_cap, out_len, errp[0], err, err_cap,
			      timeout_s);
}

bool t_find_ucmdctl(char *path, size_t len)
{
	const char *env = getenv("UCMDCTL");
	char self[PATH_MAX];
	ssize_t n;

	if (env && *env) {
		snprintf(path, len, "%s", env);
		return access(path, X_OK) == 0;
	}
	snprintf(path, len, "/bin/ucmdctl");
	if (access(path, X_OK) == 0)
		return true;
	/* In the build tree: $(O)/tests/<test> next to $(O)/bin/ucmdctl. */
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		char *slash;

		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			if (snprintf(path, len, "%s/../bin/ucmdctl", self) < (int)len &&
			    access(path, X_OK) == 0)
				return true;
		}
	}
	return false;
}

int t_submit_one(struct io_uring *ring)
{
	struct io_uring_cqe *cqe;
	int ret;

	io_uring_submit(ring);
	ret = io_uring_wait_cqe(ring, &cqe);
	if (ret < 0)
		return ret;
	ret = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return ret;
}

int t_count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

uint64_t t_xorshift(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

void t_fill_random(void *buf, size_t len, uint64_t *seed)
{
	uint8_t *b = buf;

	for (size_t i = 0; i < len; i++) {
		b[i] = (uint8_t)(t_xorshift(seed) >> 24);
	}
}

uint64_t t_rand(uint64_t *seed, uint64_t n)
{
	uint8_t b[8];
	uint64_t v;

	t_fill_random(b, sizeof(b), seed);
	memcpy(&v, b, sizeof(v));
	return n ? v % n : v;
}
