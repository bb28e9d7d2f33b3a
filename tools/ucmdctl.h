/* SPDX-License-Identifier: GPL-2.0 */
/* ucmdctl.h - what ucmdctl's files share: the parsed command line, the command table's entry, the output layer and each command family's entry points. */
#ifndef UCMDCTL_H
#define UCMDCTL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <libucmd.h>

#define PROG "ucmdctl"
#define MS 1000000ULL

/* Exit statuses, the same for every command. */
enum {
	EXIT_OK = 0,
	EXIT_REFUSED = 1, /* the device, the kernel or I/O refused */
	EXIT_USAGE = 2,
};

/* Options that apply to some commands only (struct opts.given), to refuse them elsewhere. */
enum {
	OPT_READ_ONLY = 1 << 0,
	OPT_TAG = 1 << 1,
	OPT_KEY = 1 << 2, /* --key, --key-file or --key-fd */
	OPT_IV = 1 << 3,
	OPT_AAD = 1 << 4,
	OPT_OUTPUT = 1 << 5,
	OPT_CHECK = 1 << 6, /* --check and the options that go with it */
	OPT_FIXED = 1 << 7,
};

/* crypto hash --check's options (struct opts.check), named as sha256sum names them. */
enum {
	CHECK_ON = 1 << 0, /* -c, --check */
	CHECK_QUIET = 1 << 1, /* --quiet: no "NAME: OK" */
	CHECK_STATUS = 1 << 2, /* --status: nothing on stdout, the exit status tells */
	CHECK_WARN = 1 << 3, /* -w, --warn: each improperly formatted line */
	CHECK_STRICT = 1 << 4, /* --strict: such a line fails the run */
	CHECK_IGNORE_MISSING = 1 << 5, /* --ignore-missing: a listed file that is not there */
};

/* The command line, options in any order (ucmdctl.c parses it with getopt_long). */
struct opts {
	const char *dev; /* NULL: the family's default node */
	bool use_ioctl;
	bool uring_given; /* --uring was asked for: no falling back to ioctl */
	bool fixed; /* --fixed: data in a registered buffer */
	bool json;
	unsigned int given; /* OPT_* */
	uint64_t tag;
	const char *output;
	const char *key_hex, *key_file, *iv_hex, *aad_hex;
	int key_fd;
	int nkeys; /* how many of --key, --key-file, --key-fd */
	unsigned int check; /* CHECK_* */
};

/* One run: the options, the command's positional arguments, the open device. */
struct ctx {
	struct opts o;
	const char *cmd; /* "get", "crypto hash": names the run in messages and JSON */
	const char *const *args; /* the positional arguments after the command's name */
	int nargs;
	int fd;
	bool fell_back_ro; /* O_RDWR was refused, the device is open O_RDONLY */
	struct io_uring ring;
	bool have_ring;
};

/* An entry of the command table (ucmdctl.c): "ucmdctl [OPTIONS] NAME ARGS". */
struct command {
	const char *name;
	const char *args; /* the synopsis of its arguments, for the usage */
	const char *help; /* one or more lines for the usage; "\n" starts another */
	int min_args, max_args; /* positional arguments after the name; -1: any number */
	unsigned int opts; /* the OPT_* it takes */
	int (*run)(struct ctx *c);
	const char *usage; /* a family's own help text ("crypto"), or NULL: ucmdctl's */
	const char *what; /* a family's prefix of messages, or NULL */
	const char *help_hint; /* where its usage errors point, or NULL: "ucmdctl --help" */
};

/* ---- output.c: one layer for text and JSON records, messages and exits ---- */

/* With @json, failures also print a JSON error record on standard output. */
void out_json(bool json);
/*
 * Names a command family in messages: @what their prefix ("crypto hash", or
 * NULL for none), @help the hint after usage errors ("ucmdctl crypto --help").
 */
void out_family(const char *what, const char *help);
/* Names the run in JSON error records: @cmd, and @path ("uring", "ioctl") once known. */
void out_context(const char *cmd, const char *path);

/* "ucmdctl: [WHAT: ]MESSAGE (see HELP)" on stderr, exit 2. */
_Noreturn void die_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * "ucmdctl: [WHAT: ]MESSAGE" on stderr, exit 1; with --json also a record
 * {"cmd", "path", "result": -@err, "error": its name, "message"} on stdout.
 * @err is the errno behind the failure, or 0.
 */
_Noreturn void die(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "ucmdctl: [WHAT: ]MESSAGE" on stderr, and the run goes on (one of several files failed). */
void complain(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The symbolic name of errno @err ("EBADF"), or its number where libc has no names. */
const char *errno_name(int err);

/* One output record: a JSON object on one line, or "cmd [path]: key value, key value". */
struct rec {
	bool json;
	int n;
};

void rec_begin(struct rec *r, bool json, const char *cmd, const char *path);
void rec_int(struct rec *r, const char *key, long long v);
void rec_u64(struct rec *r, const char *key, uint64_t v);
void rec_str(struct rec *r, const char *key, const char *v);
void rec_hex(struct rec *r, const char *key, const uint8_t *p, size_t len);
void rec_bool(struct rec *r, const char *key, bool v);
void rec_ms(struct rec *r, const char *key, uint64_t ns);
void rec_end(struct rec *r);

/* ucmdctl.c: an unsigned number, decimal, 0x-hex or 0-octal, with no sign. */
bool parse_u64(const char *s, uint64_t *out);

/* ---- the device (cmd_demo.c) ---- */

/*
 * Opens @path (read-write, else read-only where that is refused) and checks
 * that it is the ucmd device @name; on failure a message and exit 1.
 * @hint follows a message about a node that did not open.
 */
int dev_open(const char *path, const char *name, bool read_only, bool *fell_back_ro,
	     const char *hint);
uint64_t now_ns(void);
/*
 * Sets up @c->ring with @entries and @flags for the io_uring path.  Where this
 * process may not use io_uring (-EPERM: kernel.io_uring_disabled or a seccomp
 * filter; -ENOSYS: none in the kernel), the run goes on through ioctl(2) with
 * a note on stderr if @may_fall_back and --uring was not given, else exits
 * with a message that names --ioctl.  Returns 0 (the ring is set up, or
 * @c->o.use_ioctl is now true), or another error of ucmd_ring_init().
 */
int ring_open(struct ctx *c, unsigned int entries, unsigned int flags, bool may_fall_back);

/* ---- the command families ---- */

extern const char crypto_usage[];

/* cmd_demo.c: the demo device's commands and the counters. */
int cmd_hello(struct ctx *c);
int cmd_get(struct ctx *c);
int cmd_set(struct ctx *c);
int cmd_add(struct ctx *c);
int cmd_sleep(struct ctx *c);
int cmd_sum128(struct ctx *c);
int cmd_reset(struct ctx *c);
int cmd_stats(struct ctx *c);

/* What cmd_demo.c lends demo_run.c. */
int demo_call(struct ctx *c, uint32_t cmd, void *arg, size_t len, bool arg_is_ptr, uint64_t *res2);
void print_stats(const struct ctx *c, const char *cmd, const struct ucmd_stats *st);
const char *dev_name(const char *path);

/* demo_run.c: "demo", the self-checking run of every command; returns the exit status. */
int cmd_demo(struct ctx *c);

/* crypto_io.c: what "crypto" reads and writes; every failure exits with a message (read_input_or() reports it). */

/* A byte string: a key, an IV, associated data. */
struct bytes {
	uint8_t *p;
	size_t len;
	bool set;
};

/* Decodes the HEX of option @opt into @b; a usage error if it is not hex or longer than @max. */
void unhex(const char *opt, const char *hex, size_t max, struct bytes *b);
/* The key from --key HEX, --key-file FILE or --key-fd N (raw bytes, at most @max). */
void key_read(const struct opts *o, size_t max, struct bytes *key);
/*
 * Reads all of @file ("-": standard input), at most UCRYPTO_MAX_LEN bytes plus
 * @tag_len; more is an error.  The buffer is wiped and freed at exit.
 */
uint8_t *read_input(const char *file, uint32_t tag_len, size_t *len);
/* Why an input could not be read: its errno and the message, which names it. */
struct read_err {
	int err;
	char msg[PATH_MAX + 128];
};
/* read_input(), but a failure returns NULL with @e filled in, for the next file to follow. */
uint8_t *read_input_or(const char *file, uint32_t tag_len, size_t *len, struct read_err *e);
/* A buffer of @len bytes (and one more) for results, wiped and freed at exit. */
uint8_t *out_buffer(size_t len);
/* The same for input read in pieces (what read_input() uses: not both at once). */
uint8_t *in_buffer(size_t len);
/* Opens @file ("-": standard input, fd 0) to read it in pieces; -1 with @e filled in. */
int input_open(const char *file, struct read_err *e);
/* Reads up to @cap bytes of @fd (@file in messages) until its end; the count, or -1 with @e. */
ssize_t input_read(int fd, const char *file, uint8_t *buf, size_t cap, struct read_err *e);
/* Writes all @len bytes at @p to @fd; 0 or -errno. */
int write_fd(int fd, const uint8_t *p, size_t len);
/* Writes the result to @path (NULL or "-": standard output); a file it created goes on failure. */
void write_output(const char *path, const uint8_t *p, size_t len);
/* Wipes and frees the keys and data held (also run at exit). */
void release_held(void);

/* cmd_crypto.c: "crypto hash|encrypt|decrypt"; @c->args[0] is the subcommand. */
int cmd_crypto(struct ctx *c);

enum crypto_sub { SUB_HASH, SUB_ENCRYPT, SUB_DECRYPT, NSUBS };

/* One run of a crypto subcommand: its session on the device and what it works on. */
struct job {
	struct ctx *c;
	enum crypto_sub sub;
	const char *alg, *file; /* file: the one input of encrypt and decrypt */
	const char *const *files; /* hash: its FILEs (or --check's), at least one ("-") */
	int nfiles;
	struct bytes key, iv, aad;
	struct io_uring *r; /* NULL: ioctl */
	struct ucrypto_session s;
	int id;
	bool aead;
	uint32_t tag_len;
};

/* cmd_crypto.c: runs @j's operation on @in; the result's length in @out_len; failures exit. */
uint8_t *crypto_operate(struct job *j, uint8_t *in, size_t in_len, size_t *out_len);
/* crypto_hash.c: "crypto hash" of every FILE, or --check; returns the exit status. */
int crypto_hash(struct job *j);
/*
 * crypto_stream.c: whether encrypt or decrypt of @j goes in pieces (a session that chains,
 * output to a file or, without --json, standard output), and doing it: any size.
 */
bool crypto_streams(const struct job *j);
int crypto_cipher_streamed(struct job *j);

#endif /* UCMDCTL_H */
