// SPDX-License-Identifier: GPL-2.0
/* ucmdctl.c - command-line tool that runs /dev/ucmd-demo's commands over ioctl or io_uring and shows its counters; "crypto" is in ucmdctl_crypto.c. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ucmd/ucmd_demo.h>
#include <ucmd.h>

#include "ucmdctl.h"

#define PROG "ucmdctl"
#define MS 1000000ULL

static const char usage_text[] =
	"usage: ucmdctl [OPTIONS] COMMAND [ARGS]\n"
	"\n"
	"Runs the commands of a ucmd demo device through ioctl(2) or io_uring\n"
	"(IORING_OP_URING_CMD). Every run opens the device anew, so each run starts\n"
	"with the per-file value at 0.\n"
	"\n"
	"Commands:\n"
	"  hello                 HELLO: the device logs a greeting\n"
	"  get                   GET_VALUE: print this open file's value\n"
	"  set N                 SET_VALUE to the int N, then read it back\n"
	"  add N                 ADD the signed 64-bit N; prints the new value\n"
	"  sleep NSEC [--tag T]  SLEEP: complete after NSEC ns (at most 10 s); over\n"
	"                        io_uring the tag T comes back as the second result\n"
	"  sum128 BYTES          SUM128 of up to 80 byte values (io_uring: SQE128 ring)\n"
	"  reset                 RESET_STATS: zero the framework counters (CAP_SYS_ADMIN)\n"
	"  stats                 print the framework counters from sysfs\n"
	"  demo                  run every command over both paths, then 256 concurrent\n"
	"                        SLEEPs on one ring, then show the counters\n"
	"  crypto ...            hash, encrypt or decrypt a file with " UCRYPTO_DEVICE ";\n"
	"                        must come first (see ucmdctl crypto --help)\n"
	"\n"
	"Options:\n"
	"  --dev PATH            device node (default " UCMD_DEMO_DEVICE ")\n"
	"  --uring               issue commands as io_uring commands (default)\n"
	"  --ioctl               issue commands through ioctl(2)\n"
	"  --read-only           open the device O_RDONLY (SET and ADD then fail)\n"
	"  --json                print one JSON object per line instead of text\n"
	"  --tag T               tag of a sleep (default 0)\n"
	"  -h, --help            show this help\n"
	"\n"
	"Numbers may be decimal, 0x-hex or 0-octal. BYTES are byte values 0-255\n"
	"separated by commas and/or spaces, in one or more arguments, e.g.\n"
	"  ucmdctl sum128 1,2,3 0x10   or   ucmdctl sum128 \"1 2 3\"\n"
	"Unlisted bytes are 0.\n"
	"\n"
	"Exit status: 0 success, 1 the device or the kernel refused, 2 usage error.\n";

struct opts {
	const char *dev;
	bool use_ioctl;
	bool json;
	bool read_only;
	bool have_tag;
	uint64_t tag;
};

struct ctx {
	struct opts o;
	const char *cmd;
	int fd;
	bool fell_back_ro; /* O_RDWR was refused, we opened O_RDONLY */
	struct io_uring ring;
	bool have_ring;
};

/* ---- output ---- */

static void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see " PROG " --help)\n", stderr);
	exit(2);
}

static const char *errno_name(int err)
{
	static const struct {
		int e;
		const char *name;
	} names[] = {
		{ EPERM, "EPERM" },	    { ENOENT, "ENOENT" }, { EINTR, "EINTR" },
		{ EBADF, "EBADF" },	    { EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" },
		{ EACCES, "EACCES" },	    { EFAULT, "EFAULT" }, { EBUSY, "EBUSY" },
		{ ENODEV, "ENODEV" },	    { EINVAL, "EINVAL" }, { ENOTTY, "ENOTTY" },
		{ ENOSPC, "ENOSPC" },	    { ENOSYS, "ENOSYS" }, { EOPNOTSUPP, "EOPNOTSUPP" },
		{ ECANCELED, "ECANCELED" }, { ENXIO, "ENXIO" },
	};
	static char buf[16];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == err)
			return names[i].name;
	snprintf(buf, sizeof(buf), "%d", err);
	return buf;
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/*
 * One output record: a JSON object on one line, or "label: k v, k v" text.
 * Keys are added in order with rec_*().
 */
struct rec {
	bool json;
	int n;
};

static void rec_begin(struct rec *r, bool json, const char *cmd, const char *path)
{
	r->json = json;
	r->n = 0;
	if (json) {
		fputs("{\"cmd\":", stdout);
		json_str(stdout, cmd);
		if (path) {
			fputs(",\"path\":", stdout);
			json_str(stdout, path);
		}
	} else {
		fputs(cmd, stdout);
		if (path)
			printf(" [%s]", path);
		fputc(':', stdout);
	}
}

static void rec_key(struct rec *r, const char *key)
{
	if (r->json) {
		fputc(',', stdout);
		json_str(stdout, key);
		fputc(':', stdout);
	} else {
		printf("%s %s ", r->n ? "," : "", key);
	}
	r->n++;
}

static void rec_int(struct rec *r, const char *key, long long v)
{
	rec_key(r, key);
	printf("%lld", v);
}

static void rec_u64(struct rec *r, const char *key, uint64_t v)
{
	rec_key(r, key);
	printf("%" PRIu64, v);
}

static void rec_str(struct rec *r, const char *key, const char *v)
{
	rec_key(r, key);
	if (r->json)
		json_str(stdout, v);
	else
		fputs(v, stdout);
}

static void rec_bool(struct rec *r, const char *key, bool v)
{
	rec_key(r, key);
	fputs(r->json ? (v ? "true" : "false") : (v ? "yes" : "no"), stdout);
}

static void rec_ms(struct rec *r, const char *key, uint64_t ns)
{
	rec_key(r, key);
	printf("%.3f", (double)ns / 1e6);
}

static void rec_end(struct rec *r)
{
	fputs(r->json ? "}\n" : "\n", stdout);
}

static const char *path_name(const struct ctx *c)
{
	return c->o.use_ioctl ? "ioctl" : "uring";
}

/* A hint after the error message, for errors with a likely cause. */
static const char *hint(const struct ctx *c, int err)
{
	switch (err) {
	case EBADF:
		return c->o.read_only || c->fell_back_ro ? " (device opened read-only)" :
							   " (device opened read-only?)";
	case EPERM:
		return " (needs CAP_SYS_ADMIN)";
	case ENOTTY:
		return " (the device does not know this command)";
	case EOPNOTSUPP:
		return c->o.use_ioctl ? "" : " (the file has no io_uring command support)";
	case EINVAL:
		if (strcmp(c->cmd, "sleep") == 0)
			return " (NSEC must be at most 10000000000)";
		return "";
	case ENOENT:
	case ENODEV:
	case ENXIO:
		/* Only opening the node can mean the driver is missing. */
		return c->fd < 0 ? " (is the ucmd_demo module loaded?)" : "";
	case EACCES:
		return " (permission denied on the device node)";
	default:
		return "";
	}
}

/* The device or kernel refused: one line on stderr (and a JSON record), exit 1. */
static void fail(const struct ctx *c, const char *what, int err) __attribute__((noreturn));
static void fail(const struct ctx *c, const char *what, int err)
{
	fflush(stdout);
	fprintf(stderr, PROG ": %s: %s%s\n", what, strerror(err), hint(c, err));
	if (c->o.json) {
		struct rec r;

		rec_begin(&r, true, c->cmd, c->fd >= 0 ? path_name(c) : NULL);
		rec_int(&r, "result", -err);
		rec_str(&r, "error", errno_name(err));
		rec_str(&r, "message", strerror(err));
		rec_end(&r);
	}
	exit(1);
}

/* ---- argument parsing ---- */

static bool parse_s64(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (!*s)
		return false;
	errno = 0;
	v = strtoll(s, &end, 0);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static bool parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	while (*s == ' ')
		s++;
	if (!*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

/* Appends the byte values in @arg to @b; returns false on a bad or 81st value. */
static bool parse_bytes(const char *arg, struct ucmd_demo_blob *b, int *n)
{
	char tok[32];
	const char *p = arg;

	for (;;) {
		size_t len;
		uint64_t v;

		while (*p == ',' || *p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			return true;
		len = strcspn(p, ", \t\n");
		if (len >= sizeof(tok))
			return false;
		memcpy(tok, p, len);
		tok[len] = '\0';
		p += len;
		if (!parse_u64(tok, &v) || v > 255 || *n >= 80)
			return false;
		b->data[(*n)++] = (uint8_t)v;
	}
}

/* ---- device access ---- */

static void open_dev(struct ctx *c)
{
	int fd = ucmd_open(c->o.dev, c->o.read_only ? O_RDONLY : O_RDWR);

	if (fd < 0 && !c->o.read_only && (fd == -EACCES || fd == -EPERM || fd == -EROFS)) {
		fd = ucmd_open(c->o.dev, O_RDONLY);
		c->fell_back_ro = fd >= 0;
	}
	if (fd < 0) {
		c->fd = -1;
		fail(c, c->o.dev, -fd);
	}
	c->fd = fd;
}

/* io_uring paths get a CQE32 ring (second results), plus SQE128 when @big. */
static void setup_ring(struct ctx *c, bool big)
{
	unsigned int flags = IORING_SETUP_CQE32 | (big ? IORING_SETUP_SQE128 : 0);
	int ret;

	if (c->o.use_ioctl || c->have_ring)
		return;
	ret = ucmd_ring_init(&c->ring, 8, flags);
	if (ret == -EINVAL && !big)
		ret = ucmd_ring_init(&c->ring, 8, 0); /* no CQE32: results without res2 */
	if (ret < 0) {
		fflush(stdout);
		fprintf(stderr, PROG ": %s: io_uring setup: %s%s\n", c->cmd, strerror(-ret),
			ret == -EINVAL ? " (kernel lacks SQE128/CQE32 rings?)" : "");
		exit(1);
	}
	c->have_ring = true;
}

/* Runs one command on the chosen path; returns the result or -errno. */
static int run(struct ctx *c, uint32_t cmd, void *arg, size_t len, bool arg_is_ptr, uint64_t *res2)
{
	uint64_t ptr = (uint64_t)(uintptr_t)arg;

	if (res2)
		*res2 = 0;
	if (c->o.use_ioctl)
		return ucmd_call_ioctl(c->fd, cmd, arg);
	if (arg_is_ptr)
		return ucmd_call_uring(&c->ring, c->fd, cmd, &ptr, sizeof(ptr), res2);
	return ucmd_call_uring(&c->ring, c->fd, cmd, arg, len, res2);
}

static bool has_res2(const struct ctx *c)
{
	return !c->o.use_ioctl && c->have_ring && ucmd_ring_has_res2(&c->ring);
}

static int get_value(struct ctx *c, int *v)
{
	return run(c, UCMD_DEMO_GET_VALUE, v, sizeof(*v), true, NULL);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* ---- commands ---- */

static int cmd_simple(struct ctx *c, uint32_t op)
{
	struct rec r;
	int ret;

	setup_ring(c, false);
	ret = run(c, op, NULL, 0, false, NULL);
	if (ret < 0)
		fail(c, c->cmd, -ret);
	rec_begin(&r, c->o.json, c->cmd, path_name(c));
	rec_int(&r, "result", ret);
	rec_end(&r);
	return 0;
}

static int cmd_get(struct ctx *c)
{
	struct rec r;
	int v = 0, ret;

	setup_ring(c, false);
	ret = get_value(c, &v);
	if (ret < 0)
		fail(c, c->cmd, -ret);
	rec_begin(&r, c->o.json, c->cmd, path_name(c));
	rec_int(&r, "result", ret);
	rec_int(&r, "value", v);
	rec_end(&r);
	return 0;
}

static int cmd_set(struct ctx *c, int n)
{
	struct rec r;
	int v = 0, ret;

	setup_ring(c, false);
	ret = run(c, UCMD_DEMO_SET_VALUE, &n, sizeof(n), false, NULL);
	if (ret < 0)
		fail(c, c->cmd, -ret);
	ret = get_value(c, &v);
	if (ret < 0)
		fail(c, "set: reading the value back", -ret);
	ret = 0;
	rec_begin(&r, c->o.json, c->cmd, path_name(c));
	rec_int(&r, "arg", n);
	rec_int(&r, "result", ret);
	rec_int(&r, "value", v);
	rec_end(&r);
	return 0;
}

static int cmd_add(struct ctx *c, int64_t d)
{
	struct rec r;
	uint64_t res2 = 0;
	int v = 0, ret, gret;

	setup_ring(c, false);
	ret = run(c, UCMD_DEMO_ADD, &d, sizeof(d), false, &res2);
	/* A negative result is an errno: a negative new value gives 0 (read it back). */
	if (ret < 0)
		fail(c, c->cmd, -ret);
	gret = get_value(c, &v);
	if (gret < 0)
		fail(c, "get", -gret);
	rec_begin(&r, c->o.json, c->cmd, path_name(c));
	rec_int(&r, "arg", (long long)d);
	rec_int(&r, "result", ret);
	if (has_res2(c))
		rec_int(&r, "res2", (long long)res2);
	rec_int(&r, "value", v);
	rec_end(&r);
	return 0;
}

static int cmd_sleep(struct ctx *c, uint64_t nsec)
{
	struct ucmd_demo_sleep s = { .nsec = nsec, .tag = c->o.tag };
	struct rec r;
	uint64_t res2 = 0, t0;
	int ret;

	setup_ring(c, false);
	t0 = now_ns();
	ret = run(c, UCMD_DEMO_SLEEP, &s, sizeof(s), false, &res2);
	t0 = now_ns() - t0;
	if (ret < 0)
		fail(c, c->cmd, -ret);
	rec_begin(&r, c->o.json, c->cmd, path_name(c));
	rec_u64(&r, "nsec", nsec);
	rec_u64(&r, "tag", c->o.tag);
	rec_int(&r, "result", ret);
	if (has_res2(c))
		rec_u64(&r, "res2", res2);
	rec_ms(&r, "elapsed_ms", t0);
	rec_end(&r);
	return 0;
}

static int cmd_sum128(struct ctx *c, const struct ucmd_demo_blob *b, int n)
{
	struct rec r;
	int ret;

	setup_ring(c, true);
	ret = run(c, UCMD_DEMO_SUM128, (void *)b, sizeof(*b), false, NULL);
	if (ret < 0)
		fail(c, c->cmd, -ret);
	rec_begin(&r, c->o.json, c->cmd, path_name(c));
	rec_int(&r, "bytes", n);
	rec_int(&r, "result", ret);
	rec_end(&r);
	return 0;
}

static void print_stats(const struct ctx *c, const char *cmd, const struct ucmd_stats *st)
{
	const char *name = strrchr(c->o.dev, '/');
	struct rec r;

	name = name ? name + 1 : c->o.dev;
	if (c->o.json) {
		rec_begin(&r, true, cmd, NULL);
		if (strcmp(cmd, "stats") != 0)
			rec_str(&r, "section", "counters");
		rec_str(&r, "device", name);
		rec_u64(&r, "issued", st->issued);
		rec_u64(&r, "completed_sync", st->completed_sync);
		rec_u64(&r, "completed_async", st->completed_async);
		rec_u64(&r, "cancelled", st->cancelled);
		rec_u64(&r, "refused", st->refused);
		rec_u64(&r, "inflight", st->inflight);
		rec_bool(&r, "balanced",
			 st->issued == st->completed_sync + st->completed_async + st->cancelled);
		rec_end(&r);
		return;
	}
	printf("  %-16s %" PRIu64 "\n", "issued", st->issued);
	printf("  %-16s %" PRIu64 "\n", "completed_sync", st->completed_sync);
	printf("  %-16s %" PRIu64 "\n", "completed_async", st->completed_async);
	printf("  %-16s %" PRIu64 "\n", "cancelled", st->cancelled);
	printf("  %-16s %" PRIu64 "\n", "refused", st->refused);
	printf("  %-16s %" PRIu64 "\n", "inflight", st->inflight);
}

static int cmd_stats(struct ctx *c)
{
	struct ucmd_stats st;
	int ret = ucmd_stats_read(c->o.dev, &st);

	if (ret < 0) {
		char what[300];

		snprintf(what, sizeof(what), "stats: reading " UCMD_SYSFS_DIR,
			 strrchr(c->o.dev, '/') ? strrchr(c->o.dev, '/') + 1 : c->o.dev);
		fail(c, what, -ret);
	}
	if (!c->o.json)
		printf("framework counters of %s:\n", c->o.dev);
	print_stats(c, "stats", &st);
	return 0;
}

/* ---- demo ---- */

struct demo {
	struct ctx *c;
	int checks;
	int failed;
};

static void demo_check(struct demo *d, bool ok)
{
	d->checks++;
	d->failed += !ok;
}

static void fmt_result(char *buf, size_t len, int ret)
{
	if (ret < 0)
		snprintf(buf, len, "-%s", errno_name(-ret));
	else
		snprintf(buf, len, "%d", ret);
}

/* One transcript row: command, path, result (and value/res2), checked against @want. */
static void demo_row(struct demo *d, const char *path, const char *what, int ret, int want,
		     const int *value, int want_value, const uint64_t *res2, uint64_t want_res2)
{
	bool ok = ret == want && (!value || *value == want_value) && (!res2 || *res2 == want_res2);
	char rs[32], ws[32];

	demo_check(d, ok);
	fmt_result(rs, sizeof(rs), ret);
	fmt_result(ws, sizeof(ws), want);
	if (d->c->o.json) {
		struct rec r;

		rec_begin(&r, true, "demo", path);
		rec_str(&r, "section", "commands");
		rec_str(&r, "command", what);
		rec_int(&r, "result", ret);
		rec_int(&r, "expected", want);
		if (value)
			rec_int(&r, "value", *value);
		if (res2)
			rec_u64(&r, "res2", *res2);
		rec_bool(&r, "ok", ok);
		rec_end(&r);
		return;
	}
	printf("  %-6s %-34s %-8s", path, what, rs);
	if (value)
		printf(" value %-6d", *value);
	else
		printf(" %-12s", "");
	if (res2 && want_res2 > 0xff)
		printf(" res2 %#-8" PRIx64, *res2); /* a tag */
	else if (res2)
		printf(" res2 %-8" PRIu64, *res2);
	else
		printf(" %-13s", "");
	if (ok)
		printf(" ok\n");
	else
		printf(" UNEXPECTED (want %s)\n", ws);
}

static void demo_commands(struct demo *d, bool use_ioctl)
{
	struct ctx *c = d->c;
	const char *path = use_ioctl ? "ioctl" : "uring";
	struct ucmd_demo_blob blob;
	struct ucmd_demo_sleep s;
	uint64_t res2;
	int fd, ro, v, ret, saved_fd = c->fd;
	bool saved = c->o.use_ioctl;
	uint64_t *r2 = use_ioctl ? NULL : &res2;

	fd = ucmd_open(c->o.dev, O_RDWR);
	if (fd < 0)
		fail(c, c->o.dev, -fd);
	ro = ucmd_open(c->o.dev, O_RDONLY);
	if (ro < 0)
		fail(c, c->o.dev, -ro);
	c->fd = fd;
	c->o.use_ioctl = use_ioctl;

	ret = run(c, UCMD_DEMO_HELLO, NULL, 0, false, NULL);
	demo_row(d, path, "HELLO", ret, 0, NULL, 0, NULL, 0);
	v = -1;
	ret = get_value(c, &v);
	demo_row(d, path, "GET_VALUE (fresh open)", ret, 0, &v, 0, NULL, 0);
	v = 41;
	ret = run(c, UCMD_DEMO_SET_VALUE, &v, sizeof(v), false, NULL);
	demo_row(d, path, "SET_VALUE 41", ret, 0, NULL, 0, NULL, 0);
	v = -1;
	ret = get_value(c, &v);
	demo_row(d, path, "GET_VALUE", ret, 0, &v, 41, NULL, 0);
	ret = run(c, UCMD_DEMO_ADD, &(int64_t){ 1 }, sizeof(int64_t), false, r2);
	demo_row(d, path, "ADD 1 (result = new value)", ret, 42, NULL, 0, r2, 42);
	ret = run(c, UCMD_DEMO_NOP, NULL, 0, false, NULL);
	demo_row(d, path, "NOP", ret, 0, NULL, 0, NULL, 0);
	s = (struct ucmd_demo_sleep){ .nsec = 5 * MS, .tag = 0xfeed };
	ret = run(c, UCMD_DEMO_SLEEP, &s, sizeof(s), false, r2);
	demo_row(d, path, "SLEEP 5 ms, tag 0xfeed", ret, 0, NULL, 0, r2, 0xfeed);
	for (int i = 0; i < 80; i++)
		blob.data[i] = (uint8_t)(i + 1);
	ret = run(c, UCMD_DEMO_SUM128, &blob, sizeof(blob), false, NULL);
	demo_row(d, path, "SUM128 of bytes 1..80", ret, 3240, NULL, 0, NULL, 0);
	ret = run(c, _IO('|', 0), NULL, 0, false, NULL);
	demo_row(d, path, "_IO('|', 0) (unknown)", ret, -ENOTTY, NULL, 0, NULL, 0);
	s = (struct ucmd_demo_sleep){ .nsec = 11000 * MS, .tag = 0 };
	ret = run(c, UCMD_DEMO_SLEEP, &s, sizeof(s), false, NULL);
	demo_row(d, path, "SLEEP 11 s (over the limit)", ret, -EINVAL, NULL, 0, NULL, 0);
	c->fd = ro;
	v = 7;
	ret = run(c, UCMD_DEMO_SET_VALUE, &v, sizeof(v), false, NULL);
	demo_row(d, path, "SET_VALUE 7 on a read-only open", ret, -EBADF, NULL, 0, NULL, 0);
	c->fd = fd;
	v = -1;
	ret = get_value(c, &v);
	demo_row(d, path, "GET_VALUE", ret, 0, &v, 42, NULL, 0);

	close(ro);
	close(fd);
	c->fd = saved_fd;
	c->o.use_ioctl = saved;
}

#define DEMO_NSLEEP 256

static uint64_t demo_duration(unsigned int i)
{
	/* 1.0 to 52.0 ms in 0.2 ms steps, in an order unrelated to i. */
	return 1 * MS + (uint64_t)((i * 97u) % DEMO_NSLEEP) * 200000ULL;
}

static void demo_concurrency(struct demo *d)
{
	static unsigned char seen[DEMO_NSLEEP];
	static unsigned int order[DEMO_NSLEEP];
	struct ctx *c = d->c;
	struct __kernel_timespec ts = { .tv_sec = 15 };
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	unsigned int completed = 0, errors = 0, bad_tags = 0, out_of_order = 0, missing = 0;
	int ret, maxseen = -1;
	uint64_t t0, elapsed;
	bool ok;

	ret = ucmd_ring_init(&ring, DEMO_NSLEEP, IORING_SETUP_CQE32);
	if (ret < 0) {
		fflush(stdout);
		fprintf(stderr, PROG ": demo: io_uring setup (CQE32): %s\n", strerror(-ret));
		exit(1);
	}
	if (!c->o.json)
		printf("\n2. %d SLEEPs in flight at once on one CQE32 ring\n", DEMO_NSLEEP);
	for (unsigned int i = 0; i < DEMO_NSLEEP; i++) {
		struct ucmd_demo_sleep s = { .nsec = demo_duration(i), .tag = 1000 + i };
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

		ucmd_prep(&ring, sqe, c->fd, UCMD_DEMO_SLEEP, &s, sizeof(s));
		io_uring_sqe_set_data64(sqe, i);
	}
	t0 = now_ns();
	ret = io_uring_submit(&ring);
	if (ret != DEMO_NSLEEP) {
		fflush(stdout);
		fprintf(stderr, PROG ": demo: io_uring_submit: %s\n",
			ret < 0 ? strerror(-ret) : "short submission");
		exit(1);
	}
	while (completed < DEMO_NSLEEP) {
		uint64_t i;

		ret = io_uring_wait_cqe_timeout(&ring, &cqe, &ts);
		if (ret == -EINTR)
			continue;
		if (ret)
			break;
		i = cqe->user_data;
		if (cqe->res != 0)
			errors++;
		order[completed] = (unsigned int)i;
		if (i >= DEMO_NSLEEP || ucmd_cqe_res2(&ring, cqe) != 1000 + i || seen[i]++) {
			bad_tags++;
		} else if ((int)i < maxseen) {
			out_of_order++;
		} else {
			maxseen = (int)i;
		}
		completed++;
		io_uring_cqe_seen(&ring, cqe);
	}
	elapsed = now_ns() - t0;
	io_uring_queue_exit(&ring);
	for (unsigned int i = 0; i < DEMO_NSLEEP; i++)
		missing += !seen[i];

	ok = completed == DEMO_NSLEEP && errors == 0 && bad_tags == 0 && missing == 0 &&
	     out_of_order > 0;
	demo_check(d, ok);
	if (c->o.json) {
		struct rec r;

		rec_begin(&r, true, "demo", "uring");
		rec_str(&r, "section", "concurrency");
		rec_int(&r, "submitted", DEMO_NSLEEP);
		rec_int(&r, "completed", completed);
		rec_int(&r, "errors", errors);
		rec_int(&r, "out_of_order", out_of_order);
		rec_int(&r, "missing_tags", missing);
		rec_int(&r, "bad_tags", bad_tags);
		rec_ms(&r, "elapsed_ms", elapsed);
		rec_bool(&r, "ok", ok);
		rec_end(&r);
		return;
	}
	printf("  submitted %d SLEEPs of %.1f-%.1f ms with one io_uring_submit()\n", DEMO_NSLEEP,
	       (double)demo_duration(0) / 1e6,
	       (double)(1 * MS + (DEMO_NSLEEP - 1) * 200000ULL) / 1e6);
	printf("  completed %u/%d in %.1f ms, %u with an error\n", completed, DEMO_NSLEEP,
	       (double)elapsed / 1e6, errors);
	printf("  %u completions came back out of submission order; the first ten:", out_of_order);
	for (unsigned int k = 0; k < 10 && k < completed; k++)
		printf(" #%u", order[k]);
	printf("\n  tags (second result, cqe->big_cqe[0]): %s\n",
	       missing == 0 && bad_tags == 0 ?
		       "all 256 returned exactly once, each with its SLEEP" :
		       "MISSING OR WRONG");
	printf("  %s\n", ok ? "ok" : "UNEXPECTED");
}

static int64_t imbalance(const struct ucmd_stats *st)
{
	return (int64_t)(st->issued - (st->completed_sync + st->completed_async + st->cancelled));
}

/*
 * Shows the counters and checks that the demo's own commands balance:
 * issued grew by exactly as much as completed_sync + completed_async +
 * cancelled.  (Absolute balance is not expected: RESET_STATS may have run
 * while something was counted.)
 */
static void demo_counters(struct demo *d, const struct ucmd_stats *before)
{
	struct ctx *c = d->c;
	struct ucmd_stats st;
	uint64_t deadline = now_ns() + 5000 * MS;
	bool balanced;
	int ret;

	if (!c->o.json)
		printf("\n3. Framework counters (" UCMD_SYSFS_DIR ")\n",
		       strrchr(c->o.dev, '/') ? strrchr(c->o.dev, '/') + 1 : c->o.dev);
	for (;;) {
		ret = ucmd_stats_read(c->o.dev, &st);
		if (ret < 0 || st.inflight == 0 || now_ns() > deadline)
			break;
		usleep(10000);
	}
	if (ret < 0) {
		demo_check(d, false);
		fflush(stdout);
		fprintf(stderr, PROG ": demo: reading the counters: %s\n", strerror(-ret));
		return;
	}
	balanced = st.inflight == 0 && imbalance(&st) == imbalance(before);
	demo_check(d, balanced);
	print_stats(c, "demo", &st);
	if (c->o.json) {
		struct rec r;

		rec_begin(&r, true, "demo", NULL);
		rec_str(&r, "section", "demo_counts");
		rec_u64(&r, "issued", st.issued - before->issued);
		rec_u64(&r, "completed_sync", st.completed_sync - before->completed_sync);
		rec_u64(&r, "completed_async", st.completed_async - before->completed_async);
		rec_u64(&r, "cancelled", st.cancelled - before->cancelled);
		rec_bool(&r, "ok", balanced);
		rec_end(&r);
		return;
	}
	printf("  the demo's own commands: issued +%" PRIu64 " = completed_sync +%" PRIu64
	       " + completed_async +%" PRIu64 " + cancelled +%" PRIu64 ", nothing in flight: %s\n",
	       st.issued - before->issued, st.completed_sync - before->completed_sync,
	       st.completed_async - before->completed_async, st.cancelled - before->cancelled,
	       balanced ? "yes" : "NO");
}

static int cmd_demo(struct ctx *c)
{
	struct demo d = { .c = c };
	struct ucmd_stats before;
	struct rec r;
	int sret;

	/* The uring rows need SQE128 (SUM128) and CQE32 (second results). */
	c->o.use_ioctl = false;
	{
		int ret = ucmd_ring_init(&c->ring, 8, IORING_SETUP_SQE128 | IORING_SETUP_CQE32);

		if (ret < 0) {
			fflush(stdout);
			fprintf(stderr, PROG ": demo: io_uring setup (SQE128|CQE32): %s\n",
				strerror(-ret));
			exit(1);
		}
		c->have_ring = true;
	}
	if (!c->o.json) {
		printf("ucmd demo on %s\n\n", c->o.dev);
		printf("1. Every command over both paths (a fresh open each, so the value starts at 0)\n");
		printf("  %-6s %-34s %-8s %-12s %-13s %s\n", "path", "command", "result", "value",
		       "res2", "check");
	}
	/* Counters before anything of the demo ran, to check its commands' balance. */
	sret = ucmd_stats_read(c->o.dev, &before);
	demo_commands(&d, true);
	demo_commands(&d, false);
	demo_concurrency(&d);
	if (sret < 0) {
		demo_check(&d, false);
		fflush(stdout);
		fprintf(stderr, PROG ": demo: reading the counters: %s\n", strerror(-sret));
	} else {
		demo_counters(&d, &before);
	}

	if (c->o.json) {
		rec_begin(&r, true, "demo", NULL);
		rec_str(&r, "section", "summary");
		rec_int(&r, "checks", d.checks);
		rec_int(&r, "failed", d.failed);
		rec_bool(&r, "ok", d.failed == 0);
		rec_end(&r);
	} else {
		printf("\ndemo: %d of %d checks as expected\n", d.checks - d.failed, d.checks);
	}
	fflush(stdout);
	if (d.failed)
		fprintf(stderr, PROG ": demo: %d of %d checks failed\n", d.failed, d.checks);
	return d.failed ? 1 : 0;
}

/* ---- main ---- */

int main(int argc, char **argv)
{
	struct ctx c = { .o = { .dev = UCMD_DEMO_DEVICE }, .fd = -1 };
	const char *pos[128];
	int npos = 0, ret;
	bool only_pos = false;

	if (argc > 1 && strcmp(argv[1], "crypto") == 0)
		return ucmdctl_crypto_main(argc, argv);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (only_pos || a[0] != '-' || (a[1] >= '0' && a[1] <= '9')) {
			if (npos == (int)(sizeof(pos) / sizeof(pos[0])))
				usage_error("too many arguments");
			pos[npos++] = a;
		} else if (strcmp(a, "--") == 0) {
			only_pos = true;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(usage_text, stdout);
			return 0;
		} else if (strcmp(a, "--dev") == 0) {
			if (++i == argc)
				usage_error("--dev needs a PATH");
			c.o.dev = argv[i];
		} else if (strncmp(a, "--dev=", 6) == 0) {
			c.o.dev = a + 6;
		} else if (strcmp(a, "--ioctl") == 0) {
			c.o.use_ioctl = true;
		} else if (strcmp(a, "--uring") == 0) {
			c.o.use_ioctl = false;
		} else if (strcmp(a, "--json") == 0) {
			c.o.json = true;
		} else if (strcmp(a, "--read-only") == 0) {
			c.o.read_only = true;
		} else if (strcmp(a, "--tag") == 0 || strncmp(a, "--tag=", 6) == 0) {
			const char *t = a[5] == '=' ? a + 6 : (++i < argc ? argv[i] : NULL);

			if (!t || !parse_u64(t, &c.o.tag))
				usage_error("--tag needs a number T");
			c.o.have_tag = true;
		} else {
			usage_error("unknown option '%s'", a);
		}
	}
	if (!*c.o.dev)
		usage_error("--dev needs a PATH");
	if (npos == 0)
		usage_error("no command given");
	c.cmd = pos[0];
	if (strcmp(c.cmd, "crypto") == 0)
		usage_error("crypto must come first: ucmdctl crypto SUBCOMMAND [OPTIONS]");
	if (c.o.have_tag && strcmp(c.cmd, "sleep") != 0)
		usage_error("--tag applies to sleep only");

#define NARGS(n)                                                                          \
	do {                                                                              \
		if (npos - 1 < (n))                                                       \
			usage_error("%s: missing argument (see usage)", c.cmd);           \
		if (npos - 1 > (n))                                                       \
			usage_error("%s: unexpected argument '%s'", c.cmd, pos[(n) + 1]); \
	} while (0)

	if (strcmp(c.cmd, "stats") == 0) {
		NARGS(0);
		return cmd_stats(&c);
	}

	if (strcmp(c.cmd, "hello") == 0) {
		NARGS(0);
		open_dev(&c);
		ret = cmd_simple(&c, UCMD_DEMO_HELLO);
	} else if (strcmp(c.cmd, "reset") == 0) {
		NARGS(0);
		open_dev(&c);
		ret = cmd_simple(&c, UCMD_DEMO_RESET_STATS);
	} else if (strcmp(c.cmd, "get") == 0) {
		NARGS(0);
		open_dev(&c);
		ret = cmd_get(&c);
	} else if (strcmp(c.cmd, "set") == 0) {
		long long n;

		NARGS(1);
		if (!parse_s64(pos[1], -2147483648LL, 2147483647LL, &n))
			usage_error("set: N must be an int, not '%s'", pos[1]);
		open_dev(&c);
		ret = cmd_set(&c, (int)n);
	} else if (strcmp(c.cmd, "add") == 0) {
		long long n;

		NARGS(1);
		if (!parse_s64(pos[1], INT64_MIN, INT64_MAX, &n))
			usage_error("add: N must be a signed 64-bit number, not '%s'", pos[1]);
		open_dev(&c);
		ret = cmd_add(&c, n);
	} else if (strcmp(c.cmd, "sleep") == 0) {
		uint64_t nsec;

		NARGS(1);
		if (!parse_u64(pos[1], &nsec))
			usage_error("sleep: NSEC must be a number of nanoseconds, not '%s'",
				    pos[1]);
		open_dev(&c);
		ret = cmd_sleep(&c, nsec);
	} else if (strcmp(c.cmd, "sum128") == 0) {
		struct ucmd_demo_blob b;
		int n = 0;

		memset(&b, 0, sizeof(b));
		if (npos < 2)
			usage_error("sum128: no BYTES given");
		for (int i = 1; i < npos; i++)
			if (!parse_bytes(pos[i], &b, &n))
				usage_error(
					"sum128: BYTES must be at most 80 values 0-255, bad '%s'",
					pos[i]);
		if (n == 0)
			usage_error("sum128: no BYTES given");
		open_dev(&c);
		ret = cmd_sum128(&c, &b, n);
	} else if (strcmp(c.cmd, "demo") == 0) {
		NARGS(0);
		if (c.o.read_only)
			usage_error("demo: --read-only does not apply");
		open_dev(&c);
		ret = cmd_demo(&c);
	} else {
		usage_error("unknown command '%s'", c.cmd);
	}

	if (c.have_ring)
		io_uring_queue_exit(&c.ring);
	if (c.fd >= 0)
		close(c.fd);
	return ret;
}
