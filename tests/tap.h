/* SPDX-License-Identifier: GPL-2.0 */
/* tap.h - TAP-style reporting and /dev/ucmd-demo helpers shared by the ucmd tests. */
#ifndef UCMD_TESTS_TAP_H
#define UCMD_TESTS_TAP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdnoreturn.h>
#include <sys/types.h>

#include <ucmd/ucmd_demo.h>
#include <ucmd.h>

/*
 * Output: "ok N - what" / "not ok N - what" lines, "# ..." diagnostics, and
 * "1..N" at the end.  Exit status: 0 all passed, 1 something failed,
 * 77 skipped (after a line "SKIP: reason").
 *
 * The counters live in shared memory, so a forked child may report lines
 * too (flush before forking: tap_* functions do).
 */
#define TAP_SKIP 77

void tap_init(void);
bool tap_ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Passes if got == want; prints both on failure. */
bool tap_eq(long long got, long long want, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool tap_eq_u64(uint64_t got, uint64_t want, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A result that must be the negative errno @want_err (e.g. -EINVAL). */
bool tap_err(int got, int want_err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void tap_skip(const char *why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A check of a known bug outside this project (e.g. in io_uring): "# TODO @why", never a failure. */
bool tap_todo(bool cond, const char *why, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
noreturn void tap_skip_all(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
noreturn void tap_bail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int tap_failed(void);
/* Prints the plan; returns the exit status (0 or 1). */
int tap_done(void);

/* The device under test: $UCMD_DEVICE, else /dev/ucmd-demo. */
const char *tu_dev_path(void);
/* Skips the whole test if the device node is missing. */
void tu_require_device(void);
/* Opens the device; skips if it is missing, bails on any other error. */
int tu_open(int flags);
/* Sets up a ring; skips if the kernel lacks io_uring or one of @flags, bails otherwise. */
void tu_ring(struct io_uring *ring, unsigned int entries, unsigned int flags);
/* Reads the device's framework counters; bails if they cannot be read. */
void tu_stats(struct ucmd_stats *st);
/* Whether the counters balance: issued == completed_sync + completed_async + cancelled. */
bool tu_stats_balanced(const struct ucmd_stats *st);
/*
 * issued - (completed_sync + completed_async + cancelled).  Tests compare it
 * before and after their commands rather than expecting 0: RESET_STATS from
 * an earlier test, or from anyone, may have left an offset.
 */
int64_t tu_imbalance(const struct ucmd_stats *st);
void tu_stats_diag(const char *what, const struct ucmd_stats *st);
/* Polls the counters until inflight is 0 and two reads agree, or @timeout_ms passed. */
bool tu_wait_idle(struct ucmd_stats *st, unsigned int timeout_ms);
/* ucmdctl: $UCMDCTL, /bin/ucmdctl, or $(O)/bin/ucmdctl beside the test binary; false if none. */
bool tu_find_ucmdctl(char *path, size_t len);
/* fork(2) with stdout flushed first (the child must not repeat buffered TAP lines); bails. */
pid_t tu_fork(void);
/*
 * Collects a child's standard output and error (read ends of two pipes, closed here) into
 * @out and @err, NUL-terminated and cut at their capacity less one, until both are at EOF or
 * @timeout_s passed; then reaps @pid, killed first on a timeout.  Returns its exit status,
 * 128 + the signal that ended it, or -1 on a timeout.
 */
int tu_child_output(pid_t pid, int out_fd, void *out, size_t out_cap, size_t *out_len, int err_fd,
		    char *err, size_t err_cap, unsigned int timeout_s);
/*
 * Runs @path with @argv (NULL-terminated) and only descriptors 0-2 open: standard input
 * @in_fd (or /dev/null when negative), as uid and gid @uid (when not negative, with no
 * supplementary groups; exit 126 if that fails); collects its output as tu_child_output() does
 * and returns what that returns.
 */
int tu_run(const char *path, const char *const *argv, int in_fd, int uid, void *out, size_t out_cap,
	   size_t *out_len, char *err, size_t err_cap, unsigned int timeout_s);
uint64_t tu_now_ns(void);
void tu_sleep_ms(unsigned int ms);
/* Submits what is queued on @ring and returns the result of the next CQE (or a wait error). */
int tu_submit_one(struct io_uring *ring);

/*
 * A way to issue a command: ioctl(2) (ring == NULL) or a uring command on
 * @ring.  tu_paths() sets up the three every test runs through: "ioctl",
 * "uring" (64-byte SQEs, 16-byte CQEs) and "uring128" (SQE128 | CQE32).
 */
struct tu_path {
	const char *name;
	struct io_uring *ring;
};
#define TU_NPATHS 3
void tu_paths(struct tu_path paths[TU_NPATHS]);
void tu_paths_exit(struct tu_path paths[TU_NPATHS]);

/*
 * The demo device's commands as the spec defines them on each path.  Each
 * returns the command's result (>= 0) or a negative errno; @res2, if not
 * NULL, receives the second result (0 on ioctl and on rings without CQE32).
 */
/* A command without argument (HELLO, NOP, RESET_STATS, unknown numbers). */
int tu_cmd(const struct tu_path *p, int fd, uint32_t cmd);
int tu_get(const struct tu_path *p, int fd, int *out);
int tu_set(const struct tu_path *p, int fd, int v);
int tu_add(const struct tu_path *p, int fd, int64_t delta, uint64_t *res2);
int tu_sleep(const struct tu_path *p, int fd, uint64_t nsec, uint64_t tag, uint64_t *res2);
/* ioctl: a pointer to the blob; uring: the 80 bytes inline (needs an SQE128 ring). */
int tu_sum128(const struct tu_path *p, int fd, const struct ucmd_demo_blob *b);

/* The newlines in @s. */
int tu_count_lines(const char *s);

/*
 * A small JSON reader for the tools' --json output: tu_jparse() checks that
 * @line (@len bytes) is exactly one well-formed JSON object (strings,
 * numbers, nesting, no trailing text) and records its top-level keys, which
 * the others look up by name.
 */
struct tu_jv {
	const char *key; /* points into the line, after the opening quote */
	const char *val;
	size_t vlen;
};

struct tu_jobj {
	struct tu_jv kv[64];
	int n;
};

bool tu_jparse(const char *line, size_t len, struct tu_jobj *o);
const struct tu_jv *tu_jget(const struct tu_jobj *o, const char *key);
/* An integer value of @key. */
bool tu_jll(const struct tu_jobj *o, const char *key, long long *out);
/* Whether @key is the integer @want, the string @want, the boolean @want. */
bool tu_jnum(const struct tu_jobj *o, const char *key, long long want);
bool tu_jstr(const struct tu_jobj *o, const char *key, const char *want);
bool tu_jbool(const struct tu_jobj *o, const char *key, bool want);

#endif /* UCMD_TESTS_TAP_H */
