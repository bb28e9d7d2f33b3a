/* SPDX-License-Identifier: GPL-2.0 */
/* helpers.h - everything the tests share: TAP reporting, the demo device, lifetime checks, module reloads, /dev/ucrypto. */
#ifndef UCMD_TESTS_HELPERS_H
#define UCMD_TESTS_HELPERS_H

/* The C library headers nearly every test needs come with the helpers. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdnoreturn.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include <ucmd/ucmd_demo.h>
#include <ucmd/ucrypto.h>
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

/*
 * ---- lifetime checks (helpers_life.c), for the life_* and hostile_* tests ----
 *
 * The life_* tests check a command's lifetime: what happens to SLEEPs still in flight when
 * their ring, thread, process or module goes away (ring exit, SIGKILL, fork, SCM_RIGHTS,
 * SQPOLL, rmmod, ...).  These helpers queue such SLEEPs, reap every completion exactly once
 * and check that the framework's counters settle.
 */
#define LT_MS ((uint64_t)1000000)

/* Second result of every SLEEP the helpers queue: the user_data, marked. */
#define LT_TAG(ud) ((uint64_t)(ud) ^ 0x7a67000000000000ULL)

/*
 * Queues @n SLEEPs on @ring for @fd, user_data @base + i, durations spread
 * over [@min_ns, @max_ns], and submits them (in several batches if the SQ
 * ring is smaller).  Returns how many the kernel accepted, or a negative
 * errno from the first failed submit.
 */
int lt_queue_sleeps(struct io_uring *ring, int fd, unsigned int n, uint64_t base, uint64_t min_ns,
		    uint64_t max_ns);

/* What came back for user_data base .. base + n - 1. */
struct lt_reap {
	unsigned int n;
	uint64_t base;
	unsigned char *seen; /* completions per user_data */
	unsigned int got; /* completions reaped for this range */
	unsigned int zero; /* res == 0 */
	unsigned int cancelled; /* res == -ECANCELED */
	unsigned int other; /* any other result */
	int other_res; /* the first such result */
	unsigned int dups; /* a user_data seen again */
	unsigned int bad_tag; /* res 0 but a wrong second result (CQE32 rings) */
	unsigned int stray; /* user_data outside the range */
};

void lt_reap_init(struct lt_reap *r, uint64_t base, unsigned int n);

void lt_reap_free(struct lt_reap *r);

/* Accounts one CQE. */
void lt_reap_one(struct io_uring *ring, struct lt_reap *r, const struct io_uring_cqe *cqe);

/*
 * Reaps completions until every one of the range was seen once or
 * @timeout_ms passed; then takes whatever else is already there (to catch
 * duplicates).  Returns true if all arrived.
 */
bool lt_reap_all(struct io_uring *ring, struct lt_reap *r, unsigned int timeout_ms);

/* Asserts that each command of the range completed exactly once with 0 or -ECANCELED. */
void lt_reap_check(const char *what, const struct lt_reap *r, bool allow_cancel);

/*
 * Waits up to @deadline_ms for inflight 0, then asserts the deltas from
 * @before: @issued more issued, all of them completed asynchronously or
 * cancelled (@sync of them synchronously), the imbalance and the refused
 * counter unchanged.  @cancelled >= 0 is the exact number of cancellations
 * expected (e.g. counted from -ECANCELED CQEs).  Returns the final counters
 * in @after if not NULL.
 */
void lt_settle(const char *what, const struct ucmd_stats *before, uint64_t issued, uint64_t sync,
	       long long cancelled, unsigned int deadline_ms, struct ucmd_stats *after);

/* ---- unloading and reloading ucmd_demo (helpers_life.c), for life_rmmod and fault_inject ---- */

/* Where the guest's /init loads the modules from. */
#define MC_DEMO_KO "/lib/ucmd/ucmd_demo.ko"
#define MC_DEMO "ucmd_demo"

/* delete_module(@name, O_NONBLOCK): 0 or -errno (-EAGAIN/-EBUSY: in use). */
int mc_delete(const char *name);

/* finit_module() of @path without parameters: 0 or -errno. */
int mc_load(const char *path);

/* Whether module @name is loaded (as a module, not built in: it has a refcnt). */
bool mc_loaded(const char *name);

bool mc_busy(int err);

/*
 * Why the demo module cannot be unloaded and loaded again here, or NULL if
 * it can: it must be a loaded module whose .ko is where /init took it from.
 */
const char *mc_demo_reloadable(void);

/* Retries delete_module while it is busy, up to @timeout_ms; returns the last result. */
int mc_delete_wait(const char *name, unsigned int timeout_ms, unsigned int *tries);

/* Waits up to @timeout_ms for @path to exist (@exist) or to be gone. */
bool mc_wait_path(const char *path, bool exist, unsigned int timeout_ms);

/*
 * Unloads ucmd_demo (retrying while busy, up to @timeout_ms) and loads it
 * again; waits for the device node.  Returns 0 or the failing step's -errno;
 * bails if the module is gone and cannot be loaded again.
 */
int mc_reload_demo(unsigned int timeout_ms);

/*
 * ---- /dev/ucrypto (helpers_crypto.c), for the ucrypto_* and cli_crypto tests ----
 *
 * Every command helper returns the command's result (>= 0) or a negative errno, on the path
 * given: ioctl(2) (p->ring == NULL) or one uring command on p->ring.
 */

/* Points the shared tu_* helpers (counters, paths) at /dev/ucrypto and opens it. */
int uc_open(void);

/* A command with a struct behind a pointer (_IOWR), or an inline __u32 (_IOW). */
int uc_call(const struct tu_path *p, int fd, uint32_t cmd, void *arg);

/* Creates a session; @out (may be NULL) receives the filled-in struct. */
int uc_session_ex(const struct tu_path *p, int fd, const char *alg, uint32_t type, const void *key,
		  uint32_t key_len, uint32_t flags, uint32_t tag_len, struct ucrypto_session *out);

int uc_session(const struct tu_path *p, int fd, const char *alg, uint32_t type, const void *key,
	       uint32_t key_len);

int uc_destroy(const struct tu_path *p, int fd, uint32_t id);

int uc_hash(const struct tu_path *p, int fd, uint32_t id, const void *src, uint32_t len,
	    void *digest);

/* UCRYPTO_ENCRYPT or UCRYPTO_DECRYPT; aad and tag only for AEAD sessions. */
int uc_crypt(const struct tu_path *p, int fd, uint32_t cmd, uint32_t id, const void *src, void *dst,
	     uint32_t len, const void *iv, const void *aad, uint32_t aad_len, void *tag);

/* Decodes @hex into @out (room for strlen(hex) / 2 bytes); returns the byte count. */
size_t uc_unhex(const char *hex, uint8_t *out);

/* Fills @buf with bytes from a seeded xorshift generator (reproducible inputs). */
void uc_fill(void *buf, size_t len, uint64_t *seed);

uint64_t uc_rand(uint64_t *seed, uint64_t n);

/* Whether the kernel knows @alg as @type (the device must exist). */
bool uc_have_alg(int fd, const char *alg, uint32_t type, const void *key, uint32_t key_len);

/* The GCM specification's test case 3 plaintext and ciphertext (key feffe992..., IV cafebabe...). */
#define GCM_P3                                                             \
	"d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72" \
	"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"

#define GCM_C3                                                             \
	"42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e" \
	"21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985"

#endif /* UCMD_TESTS_HELPERS_H */
