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
#include <libucmd.h>
/* Test-only ABI, never installed: from include/uapi, as the benchmark ABIs. */
#include <linux/ucmd_multi.h>

/*
 * ---- TAP reporting (helpers.c), every test ----
 *
 * Output: "ok N - what" / "not ok N - what" lines, "# ..." diagnostics, and
 * "1..N" at the end.  Exit status: 0 all passed, 1 something failed,
 * 77 skipped (after a line "SKIP: reason").
 *
 * The counters live in shared memory, so a forked child may report lines
 * too (flush before forking: the t_* reporting functions do).
 */
#define T_EXIT_SKIP 77

void t_init(void);
bool t_ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Passes if got == want; prints both on failure. */
bool t_eq(long long got, long long want, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool t_eq_u64(uint64_t got, uint64_t want, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A result that must be the negative errno @want_err (e.g. -EINVAL). */
bool t_err(int got, int want_err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void t_skip(const char *why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A check of a known bug outside this project (e.g. in io_uring): "# TODO @why", never a failure. */
bool t_todo(bool cond, const char *why, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void t_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
noreturn void t_skip_all(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
noreturn void t_bail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int t_failed(void);
/* Prints the plan; returns the exit status (0 or 1). */
int t_done(void);

/* ---- the device under test, its counters, time, processes (helpers.c) ---- */

/* The device under test: $UCMD_DEVICE, else /dev/ucmd-demo. */
const char *t_dev_path(void);
/* Skips the whole test if the device node is missing. */
void t_require_device(void);
/* Opens the device; skips if it is missing, bails on any other error. */
int t_open(int flags);
/* Sets up a ring; skips if the kernel lacks io_uring or one of @flags, bails otherwise. */
void t_ring(struct io_uring *ring, unsigned int entries, unsigned int flags);
/* Reads the device's framework counters; bails if they cannot be read. */
void t_stats(struct ucmd_stats *st);
/* Whether the counters balance: issued == completed_sync + completed_async + cancelled. */
bool t_stats_balanced(const struct ucmd_stats *st);
/*
 * issued - (completed_sync + completed_async + cancelled).  Tests compare it
 * before and after their commands rather than expecting 0: RESET_STATS from
 * an earlier test, or from anyone, may have left an offset.
 */
int64_t t_imbalance(const struct ucmd_stats *st);
void t_stats_diag(const char *what, const struct ucmd_stats *st);
/* Polls the counters until inflight is 0 and two reads agree, or @timeout_ms passed. */
bool t_wait_idle(struct ucmd_stats *st, unsigned int timeout_ms);
/* ucmdctl: $UCMDCTL, /bin/ucmdctl, or $(O)/bin/ucmdctl beside the test binary; false if none. */
bool t_find_ucmdctl(char *path, size_t len);
/* fork(2) with stdout flushed first (the child must not repeat buffered TAP lines); bails. */
pid_t t_fork(void);
/*
 * Collects a child's standard output and error (read ends of two pipes, closed here) into
 * @out and @err, NUL-terminated and cut at their capacity less one, until both are at EOF or
 * @timeout_s passed; then reaps @pid, killed first on a timeout.  Returns its exit status,
 * 128 + the signal that ended it, or -1 on a timeout.
 */
int t_child_output(pid_t pid, int out_fd, void *out, size_t out_cap, size_t *out_len, int err_fd,
		   char *err, size_t err_cap, unsigned int timeout_s);
/*
 * Runs @path with @argv (NULL-terminated) and only descriptors 0-2 open: standard input
 * @in_fd (or /dev/null when negative), as uid and gid @uid (when not negative, with no
 * supplementary groups; exit 126 if that fails); collects its output as t_child_output() does
 * and returns what that returns.
 */
int t_run(const char *path, const char *const *argv, int in_fd, int uid, void *out, size_t out_cap,
	  size_t *out_len, char *err, size_t err_cap, unsigned int timeout_s);
/* One millisecond in nanoseconds, the unit of t_now_ns() and of SLEEP's duration. */
#define T_NS_PER_MS ((uint64_t)1000000)

uint64_t t_now_ns(void);
void t_sleep_ms(unsigned int ms);
/*
 * Reproducible pseudo-random numbers (a test prints its seed): t_xorshift() advances the
 * xorshift64 generator @state (never 0) and returns its new value; t_fill_random() fills @buf
 * with bytes from it; t_rand() is a value below @n (any value if @n is 0).
 */
uint64_t t_xorshift(uint64_t *state);
void t_fill_random(void *buf, size_t len, uint64_t *seed);
uint64_t t_rand(uint64_t *seed, uint64_t n);

/* Submits what is queued on @ring and returns the result of the next CQE (or a wait error). */
int t_submit_one(struct io_uring *ring);

/*
 * A way to issue a command: ioctl(2) (ring == NULL) or a uring command on
 * @ring.  t_paths() sets up the three every test runs through: "ioctl",
 * "uring" (64-byte SQEs, 16-byte CQEs) and "uring128" (SQE128 | CQE32).
 */
struct t_path {
	const char *name;
	struct io_uring *ring;
};
#define T_NPATHS 3
void t_paths(struct t_path paths[T_NPATHS]);
void t_paths_exit(struct t_path paths[T_NPATHS]);

/*
 * The demo device's commands as the spec defines them on each path.  Each
 * returns the command's result (>= 0) or a negative errno; @res2, if not
 * NULL, receives the second result (0 on ioctl and on rings without CQE32).
 */
/* A command without argument (HELLO, NOP, RESET_STATS, unknown numbers). */
int t_demo_cmd(const struct t_path *p, int fd, uint32_t cmd);
int t_demo_get(const struct t_path *p, int fd, int *out);
int t_demo_set(const struct t_path *p, int fd, int v);
int t_demo_add(const struct t_path *p, int fd, int64_t delta, uint64_t *res2);
int t_demo_sleep(const struct t_path *p, int fd, uint64_t nsec, uint64_t tag, uint64_t *res2);
/* ioctl: a pointer to the blob; uring: the 80 bytes inline (needs an SQE128 ring). */
int t_demo_sum128(const struct t_path *p, int fd, const struct ucmd_demo_blob *b);

/* The newlines in @s. */
int t_count_lines(const char *s);

/*
 * ---- the tools' --json output (helpers_json.c), for cli and cli_crypto ----
 *
 * A small JSON reader for the tools' --json output: t_jparse() checks that
 * @line (@len bytes) is exactly one well-formed JSON object (strings,
 * numbers, nesting, no trailing text) and records its top-level keys, which
 * the others look up by name.
 */
struct t_jv {
	const char *key; /* points into the line, after the opening quote */
	const char *val;
	size_t vlen;
};

struct t_jobj {
	struct t_jv kv[64];
	int n;
};

bool t_jparse(const char *line, size_t len, struct t_jobj *o);
const struct t_jv *t_jget(const struct t_jobj *o, const char *key);
/* An integer value of @key. */
bool t_jll(const struct t_jobj *o, const char *key, long long *out);
/* Whether @key is the integer @want, the string @want, the boolean @want. */
bool t_jnum(const struct t_jobj *o, const char *key, long long want);
bool t_jstr(const struct t_jobj *o, const char *key, const char *want);
bool t_jbool(const struct t_jobj *o, const char *key, bool want);

/*
 * ---- lifetime checks (helpers_life.c), for the life_* and hostile_* tests ----
 *
 * The life_* tests check a command's lifetime: what happens to SLEEPs still in flight when
 * their ring, thread, process or module goes away (ring exit, SIGKILL, fork, SCM_RIGHTS,
 * SQPOLL, rmmod, ...).  These helpers queue such SLEEPs, reap every completion exactly once
 * and check that the framework's counters settle.
 */
/* Second result of every SLEEP the helpers queue: the user_data, marked. */
#define T_SLEEP_TAG(ud) ((uint64_t)(ud) ^ 0x7a67000000000000ULL)

/*
 * Queues @n SLEEPs on @ring for @fd, user_data @base + i, durations spread
 * over [@min_ns, @max_ns], and submits them (in several batches if the SQ
 * ring is smaller).  Returns how many the kernel accepted, or a negative
 * errno from the first failed submit.
 */
int t_queue_sleeps(struct io_uring *ring, int fd, unsigned int n, uint64_t base, uint64_t min_ns,
		   uint64_t max_ns);

/* What t_child_ring()'s child does on its ring: true if it queued what it should. */
typedef bool (*t_ring_job)(struct io_uring *ring, int fd, void *arg);

/*
 * Forks a child that opens the demo device, sets up a ring of @entries with
 * @flags and runs @job(ring, fd, @arg); the child reports the verdict over a
 * pipe, then exits with status 0 (or, with @stay, waits to be killed).
 * Returns the child's pid once it has reported; *@ok is the verdict (false
 * if the child could not open the device or set up the ring).
 */
pid_t t_child_ring(unsigned int entries, unsigned int flags, t_ring_job job, void *arg, bool stay,
		   bool *ok);

/* What came back for user_data base .. base + n - 1. */
struct t_reap {
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

void t_reap_init(struct t_reap *r, uint64_t base, unsigned int n);

void t_reap_free(struct t_reap *r);

/* Accounts one CQE. */
void t_reap_one(struct io_uring *ring, struct t_reap *r, const struct io_uring_cqe *cqe);

/*
 * Reaps completions until every one of the range was seen once or
 * @timeout_ms passed; then takes whatever else is already there (to catch
 * duplicates).  Returns true if all arrived.
 */
bool t_reap_all(struct io_uring *ring, struct t_reap *r, unsigned int timeout_ms);

/* Asserts that each command of the range completed exactly once with 0 or -ECANCELED. */
void t_reap_check(const char *what, const struct t_reap *r, bool allow_cancel);

/*
 * Waits up to @deadline_ms for inflight 0, then asserts the deltas from
 * @before: @issued more issued, all of them completed asynchronously or
 * cancelled (@sync of them synchronously), the imbalance and the refused
 * counter unchanged.  @cancelled >= 0 is the exact number of cancellations
 * expected (e.g. counted from -ECANCELED CQEs).  Returns the final counters
 * in @after if not NULL.
 */
void t_settle(const char *what, const struct ucmd_stats *before, uint64_t issued, uint64_t sync,
	      long long cancelled, unsigned int deadline_ms, struct ucmd_stats *after);

/* ---- unloading and reloading ucmd_demo (helpers_life.c), for life_rmmod and fault_inject ---- */

/* Where the guest's /init loads the modules from. */
#define T_DEMO_KO "/lib/ucmd/ucmd_demo.ko"
#define T_DEMO_MODULE "ucmd_demo"

/* delete_module(@name, O_NONBLOCK): 0 or -errno (-EAGAIN/-EBUSY: in use). */
int t_module_delete(const char *name);

/* finit_module() of @path without parameters: 0 or -errno. */
int t_module_load(const char *path);

/* Whether module @name is loaded (as a module, not built in: it has a refcnt). */
bool t_module_loaded(const char *name);

bool t_module_busy(int err);

/*
 * Why the demo module cannot be unloaded and loaded again here, or NULL if
 * it can: it must be a loaded module whose .ko is where /init took it from.
 */
const char *t_demo_reloadable(void);

/* Retries delete_module while it is busy, up to @timeout_ms; returns the last result. */
int t_module_delete_wait(const char *name, unsigned int timeout_ms, unsigned int *tries);

/* Waits up to @timeout_ms for @path to exist (@exist) or to be gone. */
bool t_wait_path(const char *path, bool exist, unsigned int timeout_ms);

/*
 * Unloads ucmd_demo (retrying while busy, up to @timeout_ms) and loads it
 * again; waits for the device node.  Returns 0 or the failing step's -errno;
 * bails if the module is gone and cannot be loaded again.
 */
int t_demo_reload(unsigned int timeout_ms);

/*
 * ---- event streams (helpers_watch.c), for the watch_* tests ----
 *
 * UCMD_DEMO_WATCH streams: each SET_VALUE on the file posts one event (a CQE
 * with IORING_CQE_F_MORE, the struct ucmd_demo_event in a provided buffer).
 */
/* Whether this kernel should serve streams: 7.x or later, by uname(2) (not by asking ucmd). */
bool t_kernel_streams(void);
/* Prepares @sqe as a WATCH of @count events on @fd, events into group @bgid, user_data @ud. */
void t_watch_prep(struct io_uring_sqe *sqe, const struct io_uring *ring, int fd, uint32_t count,
		  uint16_t bgid, uint64_t ud);
/* Queues and submits one WATCH (t_watch_prep()); bails on failure. */
void t_watch_submit(struct io_uring *ring, int fd, uint32_t count, uint16_t bgid, uint64_t ud);
/*
 * The checks for a kernel without streams: WATCH fails with -EOPNOTSUPP over
 * ioctl and over io_uring without the flag, and io_uring refuses the flag.
 */
void t_watch_unsupported(void);
/*
 * The start of a watch_* test: needs the demo device (t_require_device()); on a kernel
 * without streams runs t_watch_unsupported(), skips @what and exits.
 */
void t_watch_require(const char *what);

/* What came back for one stream (user_data @ud). */
struct t_watch {
	uint64_t ud;
	struct ucmd_bufs *bufs; /* its buffer group */
	bool keep; /* leave buffers used (to run the group dry) */
	unsigned int events; /* CQEs with F_MORE and a well-formed event */
	uint64_t last_seq;
	int last_value;
	unsigned int bad_seq; /* an event whose seq does not follow the last one */
	unsigned int bad; /* malformed CQEs, or a CQE after the final one */
	bool ended; /* the final CQE (no F_MORE) came */
	int final_res; /* its result (1 until it came) */
};
void t_watch_init(struct t_watch *w, uint64_t ud, struct ucmd_bufs *bufs);
/*
 * Reaps CQEs into @w[0..@nw) (by user_data; buffers given back unless keep)
 * until @want arrived or @timeout_ms passed; returns how many arrived.
 */
unsigned int t_watch_reap(struct io_uring *ring, struct t_watch *w, unsigned int nw,
			  unsigned int want, unsigned int timeout_ms);
/* SET_VALUE over ioctl(2). */
int t_set_ioctl(int fd, int v);

/*
 * ---- /dev/ucrypto (helpers_crypto.c), for the ucrypto_* and cli_crypto tests ----
 *
 * Every command helper returns the command's result (>= 0) or a negative errno, on the path
 * given: ioctl(2) (p->ring == NULL) or one uring command on p->ring.
 */

/* Points the shared t_* helpers (counters, paths) at /dev/ucrypto and opens it. */
int t_crypto_open(void);
/* A case of a ucrypto test, run through path @p on /dev/ucrypto file @fd. */
typedef void t_crypto_case(const struct t_path *p, int fd);
/*
 * Runs the NULL-terminated @cases through each path in turn (all of them through "ioctl",
 * then through "uring", ...), the paths set up before and torn down after.
 */
void t_crypto_cases(int fd, t_crypto_case *const cases[]);

/* A command with a struct behind a pointer (_IOWR), or an inline __u32 (_IOW). */
int t_crypto_call(const struct t_path *p, int fd, uint32_t cmd, void *arg);

/* Creates a session; @out (may be NULL) receives the filled-in struct. */
int t_crypto_session_ex(const struct t_path *p, int fd, const char *alg, uint32_t type,
			const void *key, uint32_t key_len, uint32_t flags, uint32_t tag_len,
			struct ucrypto_session *out);

int t_crypto_session(const struct t_path *p, int fd, const char *alg, uint32_t type,
		     const void *key, uint32_t key_len);

int t_crypto_destroy(const struct t_path *p, int fd, uint32_t id);

int t_crypto_hash(const struct t_path *p, int fd, uint32_t id, const void *src, uint32_t len,
		  void *digest);

/* UCRYPTO_ENCRYPT or UCRYPTO_DECRYPT; aad and tag only for AEAD sessions. */
int t_crypto_cipher(const struct t_path *p, int fd, uint32_t cmd, uint32_t id, const void *src,
		    void *dst, uint32_t len, const void *iv, const void *aad, uint32_t aad_len,
		    void *tag);

/* Decodes @hex into @out (room for strlen(hex) / 2 bytes); returns the byte count. */
size_t t_unhex(const char *hex, uint8_t *out);

/* Whether the kernel knows @alg as @type (the device must exist). */
bool t_crypto_have_alg(int fd, const char *alg, uint32_t type, const void *key, uint32_t key_len);

/*
 * ---- AF_ALG as the reference, and data in pieces (helpers_afalg.c), for ucrypto_afalg and
 * ucrypto_stream* ----
 */

/* An AF_ALG transform socket of @type ("hash", "skcipher") bound to @name and keyed, or -errno. */
int t_afalg_tfm(const char *type, const char *name, const void *key, size_t klen);
/* Skips the whole test (exit 77) where AF_ALG has no @type sockets for @name (algif_@type). */
void t_afalg_need(const char *type, const char *name);
/* An AF_ALG "aead" transform socket, keyed, with a tag of @authsize bytes (0: the default). */
int t_afalg_aead_tfm(const char *name, const void *key, size_t klen, unsigned int authsize);
/* An operation socket of transform socket @tfm, or -errno. */
int t_afalg_op(int tfm);
/*
 * Sends @len bytes to operation socket @op, with MSG_MORE if @more.  @enc is -1 for a hash;
 * for a cipher's first piece 1 (encrypt) or 0 (decrypt), which sends @iv along; -1 after.
 */
int t_afalg_send(int op, const void *buf, size_t len, bool more, int enc, const void *iv,
		 size_t ivlen);
/* Reads up to @len bytes (a digest, a cipher's output so far); the count or -errno. */
int t_afalg_read(int op, void *buf, size_t len);
/*
 * AF_ALG's stream of @len bytes of a 16-byte-IV cipher on transform socket @tfm: 16 KiB sent
 * with MSG_MORE, its output read, and so on (AF_ALG chains the IV between reads).
 */
bool t_afalg_cipher_stream(int tfm, bool enc, const uint8_t *iv, const uint8_t *in, uint8_t *out,
			   size_t len);
/*
 * The digest of @len bytes through hash transform socket @tfm (sent in pieces with MSG_MORE,
 * read once into @out of @outlen bytes): its size, or -errno.
 */
int t_afalg_hash(int tfm, const void *msg, size_t len, void *out, size_t outlen);
/*
 * One skcipher or AEAD operation on transform socket @tfm: @inlen bytes of @in (an AEAD's
 * @assoclen bytes of associated data first) with @iv, @outlen bytes read into @out (an AEAD's
 * associated data, text and tag); the bytes read, or -errno.
 */
int t_afalg_crypt(int tfm, bool enc, const void *iv, size_t ivlen, size_t assoclen, const void *in,
		  size_t inlen, void *out, size_t outlen);
/* One ucrypto operation with @flags (UCRYPTO_OP_*): src, dst and iv as given. */
int t_crypto_piece(const struct t_path *p, int fd, uint32_t cmd, uint32_t id, uint32_t flags,
		   const void *src, void *dst, uint32_t len, void *iv);
/*
 * A random length: a quarter of the time one at a block or page edge (0, 1, 15, 16, 17, ...
 * 65536), a quarter below @big, else below @small; at most @max, a multiple of @unit.
 */
size_t t_rand_len(uint64_t *seed, size_t big, size_t small, size_t max, size_t unit);
/* A random piece length: edges, small ones, up to UCRYPTO_MAX_LEN; at most @left, a multiple of @unit. */
size_t t_stream_piece_len(uint64_t *seed, size_t left, size_t unit);
/* Whether the guest runs a debug kernel (lockdep: /proc/lockdep), where the tests do less. */
bool t_debug_kernel(void);

/*
 * An asynchronous session for @alg: @wrapper ("cryptd", "pcrypt") around the
 * driver of the synchronous implementation.  Its id, or 0 (then @name says why).
 */
int t_crypto_async_session(int fd, const char *alg, const char *wrapper, uint32_t type,
			   const void *k, uint32_t klen, char *name, size_t size);
/* No asynchronous session for @what: a failure where the kernel has @wrapper, else a skip. */
void t_crypto_no_async(const char *wrapper, const char *what);

/*
 * Maps @len bytes (zeroed) and registers them on @ring as buffer @index
 * (with @index - 1 other one-page buffers before it); bails on failure.
 */
void *t_fixed_register(struct io_uring *ring, size_t len, unsigned int index);

/* The GCM specification's test case 3 plaintext and ciphertext (key feffe992..., IV cafebabe...). */
#define T_GCM_P3                                                           \
	"d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72" \
	"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"

#define T_GCM_C3                                                           \
	"42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e" \
	"21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985"

/* ---- running ucmdctl in the CLI tests (helpers_cli.c) ---- */

/* What one run of ucmdctl did. */
struct t_cli {
	int status; /* exit code, or 128 + signal, or -1 on timeout */
	size_t out_len;
	uint8_t out[8192]; /* NUL-terminated too: text or binary */
	char err[8192];
};

/* The test's own directory under $TMPDIR or /tmp, made by t_cli_setup(). */
extern char t_cli_dir[256];
/* Finds ucmdctl (or skips the test) and makes t_cli_dir, removed with its files at exit. */
void t_cli_setup(const char *name);
/*
 * Runs ucmdctl @args (NULL-terminated).  Standard input is a pipe fed with
 * @in_len bytes at @in by a child of its own, or /dev/null if @in is NULL.
 */
void t_cli_run(struct t_cli *r, const void *in, size_t in_len, const char *const *args);
/* Its status, stdout and stderr as diagnostics. */
void t_cli_show(const struct t_cli *r);
/* Exit 0, nothing on stderr, and exactly @want on stdout. */
bool t_cli_out_is(const struct t_cli *r, const char *want);
/* Exactly @want on stdout, whatever the status and stderr. */
bool t_cli_out_is_text(const struct t_cli *r, const char *want);
/* Exit 0, nothing on stderr, and the @len bytes at @want on stdout. */
bool t_cli_out_bytes(const struct t_cli *r, const uint8_t *want, size_t len);
/* Exit @status, nothing on stdout, one line on stderr equal to @want (or containing it). */
bool t_cli_err_is(const struct t_cli *r, int status, const char *want, bool exact);
/* Exit @status and exactly one JSON object on stdout, parsed into @o. */
bool t_cli_json_is(const struct t_cli *r, int status, struct t_jobj *o);
/* @name in t_cli_dir (one of eight rotating buffers). */
const char *t_cli_path(const char *name);
/* Writes @len bytes at @data to @name in t_cli_dir; returns its path. */
const char *t_cli_put(const char *name, const void *data, size_t len);
/* Reads @name into a new buffer (at most UCRYPTO_MAX_LEN + 1 bytes); NULL if it does not exist. */
uint8_t *t_cli_get(const char *name, size_t *len);
/* Whether @name holds exactly @len bytes at @want (a diagnostic if not). */
bool t_cli_file_is(const char *name, const uint8_t *want, size_t len);
bool t_cli_exists(const char *name);
/* sha256sum (coreutils on a host, busybox in the guest), to compare with; NULL if none. */
const char *t_sha256sum_tool(void);
/* One group of checks on the device over @p, "--ioctl" or "--uring". */
typedef void (*t_cli_checks)(struct t_cli *r, const char *p);
/* Runs each of @checks (NULL-terminated) over ioctl, then all of them over io_uring. */
void t_cli_both_paths(const t_cli_checks *checks);

/*
 * ---- the openssl command with the ucrypto provider (helpers_ossl.c), ossl_* tests ----
 *
 * The guest has Debian's openssl with the provider in its modules directory, so "-provider
 * ucrypto" needs no -provider-path.  Files go to t_ossl_dir, removed at exit.
 */
#define T_OSSL_OPENSSL "/usr/bin/openssl"
extern char t_ossl_dir[256];
/* Skips without /dev/ucrypto or openssl; makes t_ossl_dir. */
void t_ossl_setup(const char *name);
/* Runs openssl @args (NULL-terminated) into @r; returns its status (shown if not 0). */
int t_ossl(struct t_cli *r, const char *const *args);
/* ucrypto's "issued" counter: it grows with every command the provider sends. */
uint64_t t_ossl_issued(void);
/* @name in t_ossl_dir (one of eight rotating buffers). */
const char *t_ossl_path(const char *name);
/* Writes @len random bytes to @name in t_ossl_dir; returns its path. */
const char *t_ossl_random_file(const char *name, size_t len, uint64_t *seed);
/* Whether two files hold the same bytes. */
bool t_ossl_same_files(const char *a, const char *b);

/*
 * ---- ucmd_multi, devices created and removed at run time (helpers_multi.c), multi_* tests ----
 */
#define T_MULTI_KO "/lib/ucmd/ucmd_multi.ko"
#define T_MULTI_MODULE "ucmd_multi"

/* Opens the control device (loading ucmd_multi if a test left it out); skips without it or root. */
int t_multi_ctl(void);
/* CREATE: the new device's number, or -errno. */
int t_multi_create(int ctl);
int t_multi_destroy(int ctl, uint32_t id);
/* STATS; bails if they cannot be read. */
void t_multi_stats(int ctl, struct ucmd_multi_stats *st);
/* "/dev/ucmd-multiN" (a static buffer). */
const char *t_multi_path(uint32_t id);
/* Opens device @id once its node exists; bails otherwise. */
int t_multi_open(uint32_t id, int flags);
/* A device's commands on a path: the result or a negative errno. */
int t_multi_id(const struct t_path *p, int fd);
int t_multi_set(const struct t_path *p, int fd, uint64_t v);
int t_multi_get(const struct t_path *p, int fd, uint64_t *v);
int t_multi_sleep(const struct t_path *p, int fd, uint64_t nsec);
/* Queues (does not submit) one SLEEP on @ring: 0, -EBUSY (SQ full) or -EINVAL. */
int t_multi_queue_sleep(struct io_uring *ring, int fd, uint64_t nsec, uint64_t user_data);
/* The framework's inflight counter of device @id (sysfs), or -errno once it is gone. */
int t_multi_inflight(uint32_t id);
bool t_multi_wait_inflight(uint32_t id, int n, unsigned int timeout_ms);

/* TICK streams (7.x), for multi_unplug_stream*: what came back for one stream (user_data @ud). */
struct t_tick {
	uint64_t ud;
	unsigned int events; /* CQEs with F_MORE and a well-formed event */
	uint64_t last_seq;
	unsigned int bad_seq; /* an event whose seq does not follow the last one */
	unsigned int bad; /* a malformed CQE, or any CQE after the final one */
	bool ended; /* the final CQE (no F_MORE) came */
	int final_res; /* its result (1 until it came) */
};
/* Prepares @sqe as a TICK stream (no count) of device @fd into group @bgid, user_data @ud. */
void t_multi_tick_prep(struct io_uring_sqe *sqe, const struct io_uring *ring, int fd,
		       uint64_t period_ns, uint16_t handler_ms, uint16_t bgid, uint64_t ud);
/*
 * Reaps CQEs of device @id's streams @t[0..@nt) (events' buffers given back to @b) until each
 * stream has @min_events events or has ended (@min_events 0: until each has ended; UINT_MAX:
 * for the whole @timeout_ms), or @timeout_ms passed.  Returns how many CQEs belonged to none.
 */
unsigned int t_tick_reap(struct io_uring *ring, struct t_tick *t, unsigned int nt,
			 struct ucmd_bufs *b, uint32_t id, unsigned int min_events,
			 unsigned int timeout_ms);
/*
 * The checks for a kernel without streams, on device @fd: TICK fails with -EOPNOTSUPP over
 * ioctl and over io_uring without the flag, io_uring refuses the flag, and no stream started.
 */
void t_multi_tick_unsupported(int ctl, int fd);

/*
 * ---- a child watched for progress (helpers_stall.c), for tests of lost wake-ups ----
 */
/* The kernel's view of @pid's io_uring rings (the head and tail lines of their fdinfo), its wchan. */
void t_diag_rings(pid_t pid);
/* What t_watch_child() saw. */
struct t_stall {
	bool stalled; /* *progress stood still for stall_ms */
	bool resumed; /* ... and moved again after the nudge */
};
/*
 * Reaps child @pid, which counts its progress in *@progress (shared memory).  A child whose
 * progress stands still for @stall_ms is stuck: it is shown (t_diag_rings()), sent @nudge
 * (a signal, or 0 for none) and, still stuck 2 s later, killed.  Returns its wait status.
 */
int t_watch_child(pid_t pid, const unsigned int *progress, unsigned int stall_ms, int nudge,
		  struct t_stall *st);

#endif /* UCMD_TESTS_HELPERS_H */
