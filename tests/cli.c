// SPDX-License-Identifier: GPL-2.0
/* cli.c - ucmdctl's behaviour: usage errors exit 2, kernel errors and devices that are not the demo print one clear line and exit 1, options come in any order, --json output parses with the expected values, demo succeeds. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

#define NOBODY 65534

static char tool[PATH_MAX];

/* ---- running ucmdctl ---- */

struct result {
	int status; /* exit code, or 128 + signal, or -1 on timeout */
	char out[65536];
	char err[8192];
};

static struct result *new_result(void)
{
	struct result *r = malloc(sizeof(*r));

	if (!r)
		t_bail("out of memory");
	return r;
}

/* Runs ucmdctl --dev DEVICE @args (NULL-terminated), as uid 65534 if @nobody. */
static void run(struct result *r, bool nobody, const char *const *args)
{
	const char *argv[32];
	int n = 0;

	argv[n++] = "ucmdctl";
	argv[n++] = "--dev";
	argv[n++] = t_dev_path();
	while (*args && n < 31)
		argv[n++] = *args++;
	argv[n] = NULL;
	r->status = t_run(tool, argv, -1, nobody ? NOBODY : -1, r->out, sizeof(r->out), NULL,
			  r->err, sizeof(r->err), 120);
}

#define RUN(r, ...) run((r), false, (const char *const[]){ __VA_ARGS__, NULL })

static void show(const struct result *r)
{
	t_diag("  exit %d", r->status);
	if (*r->out)
		t_diag("  stdout: %.600s", r->out);
	if (*r->err)
		t_diag("  stderr: %.600s", r->err);
}

/* The single JSON line of @r->out. */
static bool jsingle(const struct result *r, struct t_jobj *o)
{
	size_t len = strlen(r->out);

	return t_count_lines(r->out) == 1 && r->out[len - 1] == '\n' &&
	       t_jparse(r->out, len - 1, o);
}

/* ---- checks ---- */

static void usage_errors(void)
{
	static const char *const cases[][4] = {
		{ NULL },
		{ "bogus" },
		{ "set" },
		{ "set", "abc" },
		{ "set", "1", "2" },
		{ "set", "4294967296" },
		{ "add", "1x" },
		{ "sleep", "-5" },
		{ "sleep", "ten" },
		{ "--frob", "hello" },
		{ "--dev" },
		{ "--tag", "5", "hello" },
		{ "sleep", "1", "--tag" },
		{ "sum128" },
		{ "sum128", "256" },
		{ "sum128", "1,,x" },
		{ "hello", "extra" },
	};
	struct result *r = new_result();
	char many[512] = "";

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *const *a = cases[i];
		char desc[128] = "ucmdctl";

		for (int k = 0; k < 4 && a[k]; k++)
			snprintf(desc + strlen(desc), sizeof(desc) - strlen(desc), " %s", a[k]);
		run(r, false, a);
		if (!t_ok(r->status == 2 && t_count_lines(r->err) == 1 &&
				  strncmp(r->err, "ucmdctl: ", 9) == 0 && r->out[0] == '\0',
			  "usage error: '%s' -> exit 2, one line on stderr, nothing on stdout",
			  desc))
			show(r);
	}
	for (int i = 0; i < 81; i++)
		strcat(many, "1,");
	RUN(r, "sum128", many);
	t_ok(r->status == 2 && t_count_lines(r->err) == 1,
	     "usage error: sum128 with 81 bytes -> exit 2");

	RUN(r, "--help");
	if (!t_ok(r->status == 0 && strstr(r->out, "usage: ucmdctl") &&
			  strstr(r->out, "sum128 BYTES") && strstr(r->out, "commas") &&
			  r->err[0] == '\0',
		  "--help -> exit 0, usage on stdout documenting the BYTES format"))
		show(r);
	RUN(r, "-h");
	t_eq(r->status, 0, "-h -> exit 0");

	RUN(r, "--dev", "/nonexistent/ucmd", "hello");
	if (!t_ok(r->status == 1 &&
			  strcmp(r->err, "ucmdctl: /nonexistent/ucmd: No such file or directory "
					 "(is the ucmd_demo module loaded?)\n") == 0,
		  "a missing device -> exit 1 and one clear line"))
		show(r);
	free(r);
}

/* What ucmdctl talks to, and --version: needs sysfs, not the demo device. */
static void refusals(void)
{
	struct result *r = new_result();
	struct t_jobj o;
	struct stat st;

	RUN(r, "--version");
	if (!t_ok(r->status == 0 && strcmp(r->out, "ucmdctl " UCMD_VERSION "\n") == 0 && !*r->err,
		  "--version -> 'ucmdctl %s' (the VERSION file), exit 0", UCMD_VERSION))
		show(r);
	RUN(r, "hello", "-V");
	t_ok(r->status == 0 && strcmp(r->out, "ucmdctl " UCMD_VERSION "\n") == 0,
	     "-V after a command -> the version too");
	if (stat("/sys/dev/char/1:3", &st) < 0) {
		t_skip("no /sys/dev/char", "refusing /dev/null");
		free(r);
		return;
	}
	RUN(r, "--dev", "/dev/null", "get");
	if (!t_ok(r->status == 1 && !*r->out &&
			  strcmp(r->err, "ucmdctl: /dev/null is not a ucmd device (no "
					 "/sys/dev/char/1:3/ucmd)\n") == 0,
		  "--dev /dev/null get -> exit 1, 'is not a ucmd device (no "
		  "/sys/dev/char/1:3/ucmd)', nothing on stdout"))
		show(r);
	RUN(r, "--ioctl", "add", "1", "--dev", "/dev/null");
	t_ok(r->status == 1 && !*r->out && strstr(r->err, "/dev/null is not a ucmd device"),
	     "--ioctl add 1 --dev /dev/null -> exit 1, refused as well");
	RUN(r, "--json", "--dev", "/dev/null", "hello");
	if (!t_ok(r->status == 1 && jsingle(r, &o) && t_jstr(&o, "cmd", "hello") &&
			  t_jnum(&o, "result", -ENODEV) && t_jstr(&o, "error", "ENODEV") &&
			  t_count_lines(r->err) == 1,
		  "--json --dev /dev/null hello -> exit 1, a JSON record with ENODEV"))
		show(r);
	if (stat(UCRYPTO_DEVICE, &st) == 0) {
		RUN(r, "--dev", UCRYPTO_DEVICE, "get");
		if (!t_ok(r->status == 1 && !*r->out &&
				  strcmp(r->err, "ucmdctl: " UCRYPTO_DEVICE " is the ucmd device "
						 "'ucrypto', not ucmd-demo\n") == 0,
			  "--dev " UCRYPTO_DEVICE " get -> exit 1, 'is the ucmd device 'ucrypto', "
			  "not ucmd-demo'"))
			show(r);
	} else {
		t_skip("no " UCRYPTO_DEVICE, "refusing another ucmd device");
	}
	free(r);
}

/* Options before, between and after the arguments, long ones joined with '='. */
static void any_order(void)
{
	struct result *r = new_result();
	struct t_jobj o;

	RUN(r, "get", "--json");
	t_ok(r->status == 0 && jsingle(r, &o) && t_jstr(&o, "cmd", "get") && t_jnum(&o, "value", 0),
	     "get --json -> the JSON record");
	RUN(r, "set", "--ioctl", "-7", "--json");
	if (!t_ok(r->status == 0 && jsingle(r, &o) && t_jstr(&o, "path", "ioctl") &&
			  t_jnum(&o, "value", -7),
		  "set --ioctl -7 --json -> path ioctl, value -7 (a negative number is no option)"))
		show(r);
	RUN(r, "sleep", "1000", "--tag=9", "--json");
	t_ok(r->status == 0 && jsingle(r, &o) && t_jnum(&o, "res2", 9),
	     "sleep 1000 --tag=9 --json -> res2 9");
	RUN(r, "--tag", "9", "--json", "sleep", "--", "1000");
	t_ok(r->status == 0 && jsingle(r, &o) && t_jnum(&o, "tag", 9) && t_jnum(&o, "nsec", 1000),
	     "--tag 9 --json sleep -- 1000 -> tag 9, nsec 1000");
	free(r);
}

static void json_checks(void)
{
	struct result *r = new_result();
	struct t_jobj o;

	RUN(r, "hello");
	if (!t_ok(r->status == 0 && strcmp(r->out, "hello [uring]: result 0\n") == 0 && !*r->err,
		  "hello -> 'hello [uring]: result 0'"))
		show(r);
	RUN(r, "--ioctl", "hello");
	t_ok(r->status == 0 && strcmp(r->out, "hello [ioctl]: result 0\n") == 0, "--ioctl hello");

	RUN(r, "--json", "get");
	if (!t_ok(r->status == 0 && jsingle(r, &o) && t_jstr(&o, "cmd", "get") &&
			  t_jstr(&o, "path", "uring") && t_jnum(&o, "result", 0) &&
			  t_jnum(&o, "value", 0),
		  "--json get -> {cmd get, path uring, result 0, value 0}"))
		show(r);
	RUN(r, "--json", "--ioctl", "get");
	t_ok(r->status == 0 && jsingle(r, &o) && t_jstr(&o, "path", "ioctl") &&
		     t_jnum(&o, "value", 0),
	     "--json --ioctl get -> path ioctl, value 0");

	RUN(r, "--json", "set", "5");
	if (!t_ok(r->status == 0 && jsingle(r, &o) && t_jstr(&o, "cmd", "set") &&
			  t_jnum(&o, "arg", 5) && t_jnum(&o, "result", 0) && t_jnum(&o, "value", 5),
		  "--json set 5 -> result 0, value 5"))
		show(r);
	RUN(r, "--json", "--ioctl", "set", "-0x10");
	t_ok(r->status == 0 && jsingle(r, &o) && t_jnum(&o, "value", -16),
	     "--json --ioctl set -0x10 -> value -16");

	RUN(r, "--json", "add", "7");
	if (!t_ok(r->status == 0 && jsingle(r, &o) && t_jnum(&o, "result", 7) &&
			  t_jnum(&o, "res2", 7) && t_jnum(&o, "value", 7),
		  "--json add 7 -> result 7, res2 7, value 7"))
		show(r);
	RUN(r, "--json", "--ioctl", "add", "7");
	t_ok(r->status == 0 && jsingle(r, &o) && t_jnum(&o, "result", 7) && !t_jget(&o, "res2") &&
		     t_jnum(&o, "value", 7),
	     "--json --ioctl add 7 -> result 7, no res2");
	RUN(r, "--json", "add", "-5");
	if (!t_ok(r->status == 0 && jsingle(r, &o) && t_jnum(&o, "result", 0) &&
			  t_jnum(&o, "value", -5),
		  "--json add -5 -> result 0, value -5: a negative new value is no error"))
		show(r);

	RUN(r, "--json", "sleep", "1000000", "--tag", "77");
	if (!t_ok(r->status == 0 && jsingle(r, &o) && t_jnum(&o, "result", 0) &&
			  t_jnum(&o, "tag", 77) && t_jnum(&o, "res2", 77) &&
			  t_jnum(&o, "nsec", 1000000) && t_jget(&o, "elapsed_ms"),
		  "--json sleep 1000000 --tag 77 -> result 0, res2 77"))
		show(r);
	RUN(r, "--json", "--ioctl", "sleep", "1000");
	t_ok(r->status == 0 && jsingle(r, &o) && t_jnum(&o, "result", 0),
	     "--json --ioctl sleep 1000 -> 0");

	RUN(r, "--json", "sum128", "1,2,3", "4");
	if (!t_ok(r->status == 0 && jsingle(r, &o) && t_jnum(&o, "result", 10) &&
			  t_jnum(&o, "bytes", 4),
		  "--json sum128 1,2,3 4 -> 10"))
		show(r);
	RUN(r, "--json", "--ioctl", "sum128", "255 255", "0x10");
	t_ok(r->status == 0 && jsingle(r, &o) && t_jnum(&o, "result", 526),
	     "--json --ioctl sum128 '255 255' 0x10 -> 526");

	RUN(r, "--json", "stats");
	if (!t_ok(r->status == 0 && jsingle(r, &o) && t_jstr(&o, "cmd", "stats") &&
			  t_jget(&o, "issued") && t_jget(&o, "completed_sync") &&
			  t_jget(&o, "completed_async") && t_jget(&o, "cancelled") &&
			  t_jget(&o, "refused") && t_jnum(&o, "inflight", 0) &&
			  t_jget(&o, "retried") &&
			  (t_jbool(&o, "balanced", true) || t_jbool(&o, "balanced", false)),
		  "--json stats -> all seven counters, inflight 0, whether they balance"))
		show(r);
	RUN(r, "stats");
	t_ok(r->status == 0 && strstr(r->out, "completed_async") && t_count_lines(r->out) == 8 &&
		     strstr(r->out, "retried"),
	     "stats -> a heading and seven counters");
	free(r);
}

static void kernel_errors(void)
{
	struct result *r = new_result();
	struct t_jobj o;

	RUN(r, "--read-only", "set", "5");
	if (!t_ok(r->status == 1 && !*r->out &&
			  strcmp(r->err,
				 "ucmdctl: set: Bad file descriptor (device opened read-only)\n") ==
				  0,
		  "--read-only set 5 -> exit 1, 'ucmdctl: set: Bad file descriptor (device opened read-only)'"))
		show(r);
	RUN(r, "--read-only", "--ioctl", "add", "1");
	t_ok(r->status == 1 &&
		     strcmp(r->err,
			    "ucmdctl: add: Bad file descriptor (device opened read-only)\n") == 0,
	     "--read-only --ioctl add 1 -> the same message for add");
	RUN(r, "--json", "--read-only", "set", "5");
	if (!t_ok(r->status == 1 && jsingle(r, &o) && t_jnum(&o, "result", -EBADF) &&
			  t_jstr(&o, "error", "EBADF") && t_count_lines(r->err) == 1,
		  "--json --read-only set 5 -> exit 1, JSON error record with EBADF"))
		show(r);
	RUN(r, "sleep", "20000000000");
	if (!t_ok(r->status == 1 &&
			  strcmp(r->err,
				 "ucmdctl: sleep: Invalid argument (NSEC must be at most 10000000000)\n") ==
				  0,
		  "sleep 20 s -> exit 1, 'Invalid argument (NSEC must be at most 10000000000)'"))
		show(r);
	RUN(r, "--ioctl", "sleep", "20000000000");
	t_ok(r->status == 1 && strstr(r->err, "Invalid argument"), "--ioctl sleep 20 s -> exit 1");

	if (geteuid() == 0) {
		RUN(r, "--json", "reset");
		t_ok(r->status == 0 && jsingle(r, &o) && t_jnum(&o, "result", 0),
		     "reset as root -> 0");
		run(r, true, (const char *const[]){ "reset", NULL });
		if (!t_ok(r->status == 1 &&
				  strcmp(r->err,
					 "ucmdctl: reset: Operation not permitted (needs CAP_SYS_ADMIN)\n") ==
					  0,
			  "reset as uid 65534 -> exit 1, 'Operation not permitted (needs CAP_SYS_ADMIN)'"))
			show(r);
		run(r, true, (const char *const[]){ "--json", "add", "3", NULL });
		t_ok(r->status == 0 && jsingle(r, &o) && t_jnum(&o, "value", 3),
		     "uid 65534 may use the 0666 device (add 3)");
	} else {
		t_skip("not root", "reset as root and as uid 65534");
	}
	free(r);
}

static void demo(void)
{
	struct result *r = new_result();
	int lines = 0, bad = 0;
	long long checks = -1, failed = -1;
	bool concurrency = false, counters = false, demo_counts = false, summary = false;
	const char *p;

	RUN(r, "demo");
	{
		int a = -1, b = -2;
		const char *s = strstr(r->out, "\ndemo: ");

		if (s)
			sscanf(s, "\ndemo: %d of %d checks as expected", &a, &b);
		if (!t_ok(r->status == 0 && a == b && a > 20 && !*r->err,
			  "demo -> exit 0, every check as expected (%d of %d)", a, b))
			show(r);
	}
	t_ok(strstr(r->out, "ioctl  HELLO") && strstr(r->out, "uring  SUM128") &&
		     strstr(r->out, "out of submission order") &&
		     strstr(r->out, "all 256 returned exactly once") &&
		     strstr(r->out, "completed_async"),
	     "the demo transcript shows both paths, the 256 SLEEPs and the counters");

	RUN(r, "--json", "demo");
	for (p = r->out; *p;) {
		const char *nl = strchr(p, '\n');
		struct t_jobj o;

		if (!nl)
			break;
		lines++;
		if (!t_jparse(p, (size_t)(nl - p), &o) || !t_jstr(&o, "cmd", "demo")) {
			bad++;
		} else if (t_jstr(&o, "section", "commands")) {
			bad += !t_jbool(&o, "ok", true);
		} else if (t_jstr(&o, "section", "concurrency")) {
			concurrency = t_jnum(&o, "completed", 256) &&
				      t_jnum(&o, "missing_tags", 0) && t_jbool(&o, "ok", true);
		} else if (t_jstr(&o, "section", "counters")) {
			counters = t_jnum(&o, "inflight", 0) && t_jget(&o, "issued");
		} else if (t_jstr(&o, "section", "demo_counts")) {
			demo_counts = t_jbool(&o, "ok", true) && t_jget(&o, "issued");
		} else if (t_jstr(&o, "section", "summary")) {
			summary = t_jbool(&o, "ok", true) && t_jll(&o, "checks", &checks) &&
				  t_jll(&o, "failed", &failed);
		} else {
			bad++;
		}
		p = nl + 1;
	}
	if (!t_ok(r->status == 0 && lines > 20 && bad == 0 && *p == '\0',
		  "--json demo -> %d lines, each a JSON object of a passing step (%d bad)", lines,
		  bad))
		show(r);
	t_ok(concurrency, "--json demo: 256 completed, no tag missing");
	t_ok(counters, "--json demo: the counters, nothing in flight");
	t_ok(demo_counts, "--json demo: the demo's own commands balance in the counters");
	t_ok(summary && failed == 0 && checks > 20,
	     "--json demo: summary ok, %lld checks, none failed", checks);
	free(r);
}

int main(void)
{
	struct stat st;

	t_init();
	if (!t_find_ucmdctl(tool, sizeof(tool)))
		t_skip_all("ucmdctl not found (set UCMDCTL, or install it as /bin/ucmdctl)");
	t_diag("testing %s", tool);

	/* These need no device. */
	usage_errors();
	refusals();

	if (stat(t_dev_path(), &st) < 0) {
		if (t_failed())
			return t_done();
		t_skip_all("%s: %s (the checks above need no device and passed)", t_dev_path(),
			   strerror(errno));
	}
	json_checks();
	any_order();
	kernel_errors();
	demo();
	return t_done();
}
