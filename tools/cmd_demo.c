// SPDX-License-Identifier: GPL-2.0
/* cmd_demo.c - ucmdctl's commands for /dev/ucmd-demo (hello, get, set, add, sleep, sum128, reset) and the counters (stats), and opening a ucmd device it can trust. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ucmd/ucmd_demo.h>

#include "ucmdctl.h"

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* The last path component: the name the node's device has, as for its counters. */
const char *dev_name(const char *path)
{
	const char *name = strrchr(path, '/');

	return name ? name + 1 : path;
}

/* Exits unless @fd is the ucmd device @name: io_uring commands on other files may "succeed". */
static void check_dev(int fd, const char *path, const char *name)
{
	char got[256], dir[64] = "/sys/dev/char/?";
	int ret = ucmd_dev_name(fd, got, sizeof(got));

	if (ret == 0 && strcmp(got, name) == 0)
		return;
	if (ret == 0)
		die(ENXIO, "%s is the ucmd device '%s', not %s", path, got, name);
	if (ret == -ENODEV) {
		ucmd_dev_sysfs(fd, dir, sizeof(dir));
		die(ENODEV, "%s is not a ucmd device (no %s/ucmd)", path, dir);
	}
	if (ret == -ENOTTY)
		die(ENOTTY, "%s is not a ucmd device (not a character device)", path);
	die(-ret, "%s: cannot tell whether it is a ucmd device: %s%s", path, strerror(-ret),
	    ret == -ENOENT ? " (is sysfs mounted on /sys?)" : "");
}

int dev_open(const char *path, const char *name, bool read_only, bool *fell_back_ro,
	     const char *hint)
{
	int fd = ucmd_open(path, read_only ? O_RDONLY : O_RDWR);

	if (fd < 0 && !read_only && (fd == -EACCES || fd == -EPERM || fd == -EROFS)) {
		fd = ucmd_open(path, O_RDONLY);
		if (fell_back_ro)
			*fell_back_ro = fd >= 0;
	}
	if (fd == -ENOENT || fd == -ENODEV || fd == -ENXIO)
		die(-fd, "%s: %s%s", path, strerror(-fd), hint);
	if (fd == -EACCES)
		die(EACCES, "%s: %s (permission denied on the device node)", path,
		    strerror(EACCES));
	if (fd < 0)
		die(-fd, "%s: %s", path, strerror(-fd));
	check_dev(fd, path, name);
	return fd;
}

/* ---- the demo device ---- */

static const char *path_name(const struct ctx *c)
{
	return c->o.use_ioctl ? "ioctl" : "uring";
}

/* A hint after the error message, for errors with a likely cause. */
static const char *hint(const struct ctx *c, int err)
{
	switch (err) {
	case EBADF:
		return (c->o.given & OPT_READ_ONLY) || c->fell_back_ro ?
			       " (device opened read-only)" :
			       " (device opened read-only?)";
	case EPERM:
		return " (needs CAP_SYS_ADMIN)";
	case ENOTTY:
		return " (the device does not know this command)";
	case EOPNOTSUPP:
		return c->o.use_ioctl ? "" : " (the file has no io_uring command support)";
	case EINVAL:
		return strcmp(c->cmd, "sleep") == 0 ? " (NSEC must be at most 10000000000)" : "";
	case EACCES:
		return " (permission denied on the device node)";
	case ENOENT:
	case ENODEV:
	case ENXIO:
		/* Only a node that does not open can mean the driver is missing. */
		return c->fd < 0 ? " (is the ucmd_demo module loaded?)" : "";
	default:
		return "";
	}
}

/* The device or kernel refused @what: one line on stderr (and a JSON record), exit 1. */
static _Noreturn void fail(const struct ctx *c, const char *what, int err)
{
	die(err, "%s: %s%s", what, strerror(err), hint(c, err));
}

/* Opens the demo device and, on the io_uring path, a ring (SQE128 when @big). */
static void demo_open(struct ctx *c, bool big)
{
	unsigned int flags = IORING_SETUP_CQE32 | (big ? IORING_SETUP_SQE128 : 0);
	int ret;

	c->fd = dev_open(c->o.dev, dev_name(UCMD_DEMO_DEVICE), c->o.given & OPT_READ_ONLY,
			 &c->fell_back_ro, " (is the ucmd_demo module loaded?)");
	out_context(c->cmd, path_name(c));
	if (c->o.use_ioctl)
		return;
	ret = ring_open(c, 8, flags, true);
	if (ret == -EINVAL && !big)
		ret = ring_open(c, 8, 0, true); /* no CQE32: results without res2 */
	if (ret < 0)
		die(-ret, "%s: io_uring setup: %s%s", c->cmd, strerror(-ret),
		    ret == -EINVAL ? " (kernel lacks SQE128/CQE32 rings?)" : "");
}

/* Why io_uring is unavailable, as far as can be told: the sysctl, else the likely causes. */
static const char *uring_why(int err, char *buf, size_t len)
{
	FILE *f = fopen("/proc/sys/kernel/io_uring_disabled", "re");
	int v = 0;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = 0;
		fclose(f);
	}
	if (v)
		snprintf(buf, len, "kernel.io_uring_disabled is %d", v);
	else
		snprintf(buf, len, "%s",
			 err == ENOSYS ? "no io_uring in this kernel, or a seccomp filter" :
					 "a seccomp filter or security policy");
	return buf;
}

int ring_open(struct ctx *c, unsigned int entries, unsigned int flags, bool may_fall_back)
{
	int ret = ucmd_ring_init(&c->ring, entries, flags);
	char why[96];

	if (ret == 0) {
		c->have_ring = true;
		return 0;
	}
	if (ret != -EPERM && ret != -ENOSYS)
		return ret;
	uring_why(-ret, why, sizeof(why));
	if (!may_fall_back || c->o.uring_given)
		die(-ret,
		    "io_uring is not available to this process: %s (%s); --ioctl runs the "
		    "commands through ioctl(2)",
		    strerror(-ret), why);
	fprintf(stderr, PROG ": io_uring is not available (%s: %s); using ioctl(2)\n",
		strerror(-ret), why);
	c->o.use_ioctl = true;
	out_context(c->cmd, "ioctl");
	return 0;
}

int demo_call(struct ctx *c, uint32_t cmd, void *arg, size_t len, bool arg_is_ptr, uint64_t *res2)
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
	return demo_call(c, UCMD_DEMO_GET_VALUE, v, sizeof(*v), true, NULL);
}

/* ---- arguments ---- */

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
		if (!parse_u64(tok, &v) || v > UINT8_MAX || *n >= (int)sizeof(b->data))
			return false;
		b->data[(*n)++] = (uint8_t)v;
	}
}

/* ---- commands ---- */

static int simple(struct ctx *c, uint32_t op)
{
	struct rec r;
	int ret;

	demo_open(c, false);
	ret = demo_call(c, op, NULL, 0, false, NULL);
	if (ret < 0)
		fail(c, c->cmd, -ret);
	rec_begin(&r, c->o.json, c->cmd, path_name(c));
	rec_int(&r, "result", ret);
	rec_end(&r);
	return EXIT_OK;
}

int cmd_hello(struct ctx *c)
{
	return simple(c, UCMD_DEMO_HELLO);
}

int cmd_reset(struct ctx *c)
{
	return simple(c, UCMD_DEMO_RESET_STATS);
}

int cmd_get(struct ctx *c)
{
	struct rec r;
	int v = 0, ret;

	demo_open(c, false);
	ret = get_value(c, &v);
	if (ret < 0)
		fail(c, c->cmd, -ret);
	rec_begin(&r, c->o.json, c->cmd, path_name(c));
	rec_int(&r, "result", ret);
	rec_int(&r, "value", v);
	rec_end(&r);
	return EXIT_OK;
}

int cmd_set(struct ctx *c)
{
	struct rec r;
	long long n;
	int v = 0, arg, ret;

	if (!parse_s64(c->args[0], INT32_MIN, INT32_MAX, &n))
		die_usage("set: N must be an int, not '%s'", c->args[0]);
	arg = (int)n;
	demo_open(c, false);
	ret = demo_call(c, UCMD_DEMO_SET_VALUE, &arg, sizeof(arg), false, NULL);
	if (ret < 0)
		fail(c, c->cmd, -ret);
	ret = get_value(c, &v);
	if (ret < 0)
		fail(c, "set: reading the value back", -ret);
	rec_begin(&r, c->o.json, c->cmd, path_name(c));
	rec_int(&r, "arg", arg);
	rec_int(&r, "result", 0);
	rec_int(&r, "value", v);
	rec_end(&r);
	return EXIT_OK;
}

int cmd_add(struct ctx *c)
{
	struct rec r;
	uint64_t res2 = 0;
	long long n;
	int64_t d;
	int v = 0, ret, gret;

	if (!parse_s64(c->args[0], INT64_MIN, INT64_MAX, &n))
		die_usage("add: N must be a signed 64-bit number, not '%s'", c->args[0]);
	d = n;
	demo_open(c, false);
	ret = demo_call(c, UCMD_DEMO_ADD, &d, sizeof(d), false, &res2);
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
	return EXIT_OK;
}

int cmd_sleep(struct ctx *c)
{
	struct ucmd_demo_sleep s = { .tag = c->o.tag };
	struct rec r;
	uint64_t res2 = 0, t0, nsec;
	int ret;

	if (!parse_u64(c->args[0], &nsec))
		die_usage("sleep: NSEC must be a number of nanoseconds, not '%s'", c->args[0]);
	s.nsec = nsec;
	demo_open(c, false);
	t0 = now_ns();
	ret = demo_call(c, UCMD_DEMO_SLEEP, &s, sizeof(s), false, &res2);
	t0 = now_ns() - t0;
	if (ret < 0)
		fail(c, c->cmd, -ret);
	rec_begin(&r, c->o.json, c->cmd, path_name(c));
	rec_u64(&r, "nsec", s.nsec);
	rec_u64(&r, "tag", c->o.tag);
	rec_int(&r, "result", ret);
	if (has_res2(c))
		rec_u64(&r, "res2", res2);
	rec_ms(&r, "elapsed_ms", t0);
	rec_end(&r);
	return EXIT_OK;
}

_Static_assert(sizeof(((struct ucmd_demo_blob *)0)->data) == 80, "the help says 80 values");

int cmd_sum128(struct ctx *c)
{
	struct ucmd_demo_blob b;
	struct rec r;
	int n = 0, ret;

	memset(&b, 0, sizeof(b));
	for (int i = 0; i < c->nargs; i++)
		if (!parse_bytes(c->args[i], &b, &n))
			die_usage("sum128: BYTES must be at most 80 values 0-255, bad '%s'",
				  c->args[i]);
	if (n == 0)
		die_usage("sum128: no BYTES given");
	demo_open(c, true);
	ret = demo_call(c, UCMD_DEMO_SUM128, &b, sizeof(b), false, NULL);
	if (ret < 0)
		fail(c, c->cmd, -ret);
	rec_begin(&r, c->o.json, c->cmd, path_name(c));
	rec_int(&r, "bytes", n);
	rec_int(&r, "result", ret);
	rec_end(&r);
	return EXIT_OK;
}

/* The counters as one JSON record, or as a table of seven lines. */
void print_stats(const struct ctx *c, const char *cmd, const struct ucmd_stats *st)
{
	static const struct {
		const char *name;
		size_t off;
	} rows[] = {
		{ "issued", offsetof(struct ucmd_stats, issued) },
		{ "completed_sync", offsetof(struct ucmd_stats, completed_sync) },
		{ "completed_async", offsetof(struct ucmd_stats, completed_async) },
		{ "cancelled", offsetof(struct ucmd_stats, cancelled) },
		{ "refused", offsetof(struct ucmd_stats, refused) },
		{ "inflight", offsetof(struct ucmd_stats, inflight) },
		{ "retried", offsetof(struct ucmd_stats, retried) },
	};
	struct rec r;

	if (c->o.json) {
		rec_begin(&r, true, cmd, NULL);
		if (strcmp(cmd, "stats") != 0)
			rec_str(&r, "section", "counters");
		rec_str(&r, "device", dev_name(c->o.dev));
	}
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint64_t v = *(const uint64_t *)((const char *)st + rows[i].off);

		if (c->o.json)
			rec_u64(&r, rows[i].name, v);
		else
			printf("  %-16s %" PRIu64 "\n", rows[i].name, v);
	}
	if (c->o.json) {
		rec_bool(&r, "balanced",
			 st->issued == st->completed_sync + st->completed_async + st->cancelled);
		rec_end(&r);
	}
}

int cmd_stats(struct ctx *c)
{
	struct ucmd_stats st;
	int ret = ucmd_stats_read(c->o.dev, &st);

	if (ret < 0) {
		char what[300];

		snprintf(what, sizeof(what), "stats: reading " UCMD_SYSFS_DIR, dev_name(c->o.dev));
		fail(c, what, -ret);
	}
	if (!c->o.json)
		printf("framework counters of %s:\n", c->o.dev);
	print_stats(c, "stats", &st);
	return EXIT_OK;
}
