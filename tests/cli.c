// SPDX-License-Identifier: GPL-2.0
/* cli.c - ucmdctl's behaviour: usage errors exit 2, kernel errors print one clear line and exit 1, --json output parses with the expected values, demo succeeds. */
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

#include "tap.h"

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
		tap_bail("out of memory");
	return r;
}

/* Runs ucmdctl --dev DEVICE @args (NULL-terminated), as uid 65534 if @nobody. */
static void run(struct result *r, bool nobody, const char *const *args)
{
	const char *argv[32];
	int n = 0;

	argv[n++] = "ucmdctl";
	argv[n++] = "--dev";
	argv[n++] = tu_dev_path();
	while (*args && n < 31)
		argv[n++] = *args++;
	argv[n] = NULL;
	r->status = tu_run(tool, argv, -1, nobody ? NOBODY : -1, r->out, sizeof(r->out), NULL,
			   r->err, sizeof(r->err), 120);
}

#define RUN(r, ...) run((r), false, (const char *const[]){ __VA_ARGS__, NULL })

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void show(const struct result *r)
{
	tap_diag("  exit %d", r->status);
	if (*r->out)
		tap_diag("  stdout: %.600s", r->out);
	if (*r->err)
		tap_diag("  stderr: %.600s", r->err);
}

/* ---- a small JSON reader: one object per line, top-level keys looked up by name ---- */

struct jv {
	const char *key; /* points into the line, after the opening quote */
	const char *val;
	size_t vlen;
};

struct jobj {
	struct jv kv[64];
	int n;
};

static const char *ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

static const char *jstring(const char *p)
{
	if (*p++ != '"')
		return NULL;
	for (; *p && *p != '"'; p++) {
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p == '\\') {
			p++;
			if (*p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!isxdigit((unsigned char)p[i]))
						return NULL;
				p += 4;
			} else if (!strchr("\"\\/bfnrt", *p) || !*p) {
				return NULL;
			}
		}
	}
	return *p == '"' ? p + 1 : NULL;
}

static const char *jvalue(const char *p, int depth, struct jobj *top);

static const char *jnumber(const char *p)
{
	const char *s = p;

	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (isdigit((unsigned char)*p))
			p++;
	else
		return NULL;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return NULL;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!isdigit((unsigned char)*p))
			return NULL;
		while (isdigit((unsigned char)*p))
			p++;
	}
	return p > s ? p : NULL;
}

static const char *jobject(const char *p, int depth, struct jobj *top)
{
	p = ws(p + 1);
	if (*p == '}')
		return p + 1;
	for (;;) {
		const char *k = p, *v;

		p = jstring(p);
		if (!p)
			return NULL;
		p = ws(p);
		if (*p++ != ':')
			return NULL;
		v = ws(p);
		p = jvalue(v, depth + 1, NULL);
		if (!p)
			return NULL;
		if (top && depth == 0 && top->n < 64)
			top->kv[top->n++] = (struct jv){ k + 1, v, (size_t)(p - v) };
		p = ws(p);
		if (*p == '}')
			return p + 1;
		if (*p++ != ',')
			return NULL;
		p = ws(p);
	}
}

static const char *jvalue(const char *p, int depth, struct jobj *top)
{
	p = ws(p);
	if (depth > 16)
		return NULL;
	switch (*p) {
	case '{':
		return jobject(p, depth, top);
	case '[':
		p = ws(p + 1);
		if (*p == ']')
			return p + 1;
		for (;;) {
			p = jvalue(p, depth + 1, NULL);
			if (!p)
				return NULL;
			p = ws(p);
			if (*p == ']')
				return p + 1;
			if (*p++ != ',')
				return NULL;
		}
	case '"':
		return jstring(p);
	case 't':
		return strncmp(p, "true", 4) ? NULL : p + 4;
	case 'f':
		return strncmp(p, "false", 5) ? NULL : p + 5;
	case 'n':
		return strncmp(p, "null", 4) ? NULL : p + 4;
	default:
		return jnumber(p);
	}
}

/* Parses one line holding exactly one JSON object. */
static bool jparse(const char *line, size_t len, struct jobj *o)
{
	char buf[4096];
	const char *end;

	if (len >= sizeof(buf))
		return false;
	memcpy(buf, line, len);
	buf[len] = '\0';
	o->n = 0;
	if (*ws(buf) != '{')
		return false;
	end = jvalue(buf, 0, o);
	if (!end || *ws(end))
		return false;
	/* Re-point into @line: @buf goes away. */
	for (int i = 0; i < o->n; i++) {
		o->kv[i].key = line + (o->kv[i].key - buf);
		o->kv[i].val = line + (o->kv[i].val - buf);
	}
	return true;
}

static const struct jv *jget(const struct jobj *o, const char *key)
{
	size_t kl = strlen(key);

	for (int i = 0; i < o->n; i++)
		if (strncmp(o->kv[i].key, key, kl) == 0 && o->kv[i].key[kl] == '"')
			return &o->kv[i];
	return NULL;
}

/* An integer value. */
static bool jll(const struct jobj *o, const char *key, long long *out)
{
	const struct jv *v = jget(o, key);
	char buf[32];

	if (!v || v->vlen >= sizeof(buf))
		return false;
	memcpy(buf, v->val, v->vlen);
	buf[v->vlen] = '\0';
	if (jnumber(buf) != buf + v->vlen || strpbrk(buf, ".eE"))
		return false;
	*out = strtoll(buf, NULL, 10);
	return true;
}

static bool jnum(const struct jobj *o, const char *key, long long want)
{
	long long v;

	return jll(o, key, &v) && v == want;
}

static bool jstr(const struct jobj *o, const char *key, const char *want)
{
	const struct jv *v = jget(o, key);
	size_t wl = strlen(want);

	return v && v->vlen == wl + 2 && v->val[0] == '"' && strncmp(v->val + 1, want, wl) == 0;
}

static bool jbool(const struct jobj *o, const char *key, bool want)
{
	const struct jv *v = jget(o, key);
	const char *w = want ? "true" : "false";

	return v && v->vlen == strlen(w) && strncmp(v->val, w, v->vlen) == 0;
}

/* The single JSON line of @r->out. */
static bool jsingle(const struct result *r, struct jobj *o)
{
	size_t len = strlen(r->out);

	return count_lines(r->out) == 1 && r->out[len - 1] == '\n' && jparse(r->out, len - 1, o);
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
		if (!tap_ok(r->status == 2 && count_lines(r->err) == 1 &&
				    strncmp(r->err, "ucmdctl: ", 9) == 0 && r->out[0] == '\0',
			    "usage error: '%s' -> exit 2, one line on stderr, nothing on stdout",
			    desc))
			show(r);
	}
	for (int i = 0; i < 81; i++)
		strcat(many, "1,");
	RUN(r, "sum128", many);
	tap_ok(r->status == 2 && count_lines(r->err) == 1,
	       "usage error: sum128 with 81 bytes -> exit 2");

	RUN(r, "--help");
	if (!tap_ok(r->status == 0 && strstr(r->out, "usage: ucmdctl") &&
			    strstr(r->out, "sum128 BYTES") && strstr(r->out, "commas") &&
			    r->err[0] == '\0',
		    "--help -> exit 0, usage on stdout documenting the BYTES format"))
		show(r);
	RUN(r, "-h");
	tap_eq(r->status, 0, "-h -> exit 0");

	RUN(r, "--dev", "/nonexistent/ucmd", "hello");
	if (!tap_ok(r->status == 1 &&
			    strcmp(r->err, "ucmdctl: /nonexistent/ucmd: No such file or directory "
					   "(is the ucmd_demo module loaded?)\n") == 0,
		    "a missing device -> exit 1 and one clear line"))
		show(r);
	free(r);
}

static void json_checks(void)
{
	struct result *r = new_result();
	struct jobj o;

	RUN(r, "hello");
	if (!tap_ok(r->status == 0 && strcmp(r->out, "hello [uring]: result 0\n") == 0 && !*r->err,
		    "hello -> 'hello [uring]: result 0'"))
		show(r);
	RUN(r, "--ioctl", "hello");
	tap_ok(r->status == 0 && strcmp(r->out, "hello [ioctl]: result 0\n") == 0, "--ioctl hello");

	RUN(r, "--json", "get");
	if (!tap_ok(r->status == 0 && jsingle(r, &o) && jstr(&o, "cmd", "get") &&
			    jstr(&o, "path", "uring") && jnum(&o, "result", 0) &&
			    jnum(&o, "value", 0),
		    "--json get -> {cmd get, path uring, result 0, value 0}"))
		show(r);
	RUN(r, "--json", "--ioctl", "get");
	tap_ok(r->status == 0 && jsingle(r, &o) && jstr(&o, "path", "ioctl") &&
		       jnum(&o, "value", 0),
	       "--json --ioctl get -> path ioctl, value 0");

	RUN(r, "--json", "set", "5");
	if (!tap_ok(r->status == 0 && jsingle(r, &o) && jstr(&o, "cmd", "set") &&
			    jnum(&o, "arg", 5) && jnum(&o, "result", 0) && jnum(&o, "value", 5),
		    "--json set 5 -> result 0, value 5"))
		show(r);
	RUN(r, "--json", "--ioctl", "set", "-0x10");
	tap_ok(r->status == 0 && jsingle(r, &o) && jnum(&o, "value", -16),
	       "--json --ioctl set -0x10 -> value -16");

	RUN(r, "--json", "add", "7");
	if (!tap_ok(r->status == 0 && jsingle(r, &o) && jnum(&o, "result", 7) &&
			    jnum(&o, "res2", 7) && jnum(&o, "value", 7),
		    "--json add 7 -> result 7, res2 7, value 7"))
		show(r);
	RUN(r, "--json", "--ioctl", "add", "7");
	tap_ok(r->status == 0 && jsingle(r, &o) && jnum(&o, "result", 7) && !jget(&o, "res2") &&
		       jnum(&o, "value", 7),
	       "--json --ioctl add 7 -> result 7, no res2");
	RUN(r, "--json", "add", "-5");
	if (!tap_ok(r->status == 0 && jsingle(r, &o) && jnum(&o, "result", 0) &&
			    jnum(&o, "value", -5),
		    "--json add -5 -> result 0, value -5: a negative new value is no error"))
		show(r);

	RUN(r, "--json", "sleep", "1000000", "--tag", "77");
	if (!tap_ok(r->status == 0 && jsingle(r, &o) && jnum(&o, "result", 0) &&
			    jnum(&o, "tag", 77) && jnum(&o, "res2", 77) &&
			    jnum(&o, "nsec", 1000000) && jget(&o, "elapsed_ms"),
		    "--json sleep 1000000 --tag 77 -> result 0, res2 77"))
		show(r);
	RUN(r, "--json", "--ioctl", "sleep", "1000");
	tap_ok(r->status == 0 && jsingle(r, &o) && jnum(&o, "result", 0),
	       "--json --ioctl sleep 1000 -> 0");

	RUN(r, "--json", "sum128", "1,2,3", "4");
	if (!tap_ok(r->status == 0 && jsingle(r, &o) && jnum(&o, "result", 10) &&
			    jnum(&o, "bytes", 4),
		    "--json sum128 1,2,3 4 -> 10"))
		show(r);
	RUN(r, "--json", "--ioctl", "sum128", "255 255", "0x10");
	tap_ok(r->status == 0 && jsingle(r, &o) && jnum(&o, "result", 526),
	       "--json --ioctl sum128 '255 255' 0x10 -> 526");

	RUN(r, "--json", "stats");
	if (!tap_ok(r->status == 0 && jsingle(r, &o) && jstr(&o, "cmd", "stats") &&
			    jget(&o, "issued") && jget(&o, "completed_sync") &&
			    jget(&o, "completed_async") && jget(&o, "cancelled") &&
			    jget(&o, "refused") && jnum(&o, "inflight", 0) &&
			    (jbool(&o, "balanced", true) || jbool(&o, "balanced", false)),
		    "--json stats -> all six counters, inflight 0, whether they balance"))
		show(r);
	RUN(r, "stats");
	tap_ok(r->status == 0 && strstr(r->out, "completed_async") && count_lines(r->out) == 7,
	       "stats -> a heading and six counters");
	free(r);
}

static void kernel_errors(void)
{
	struct result *r = new_result();
	struct jobj o;

	RUN(r, "--read-only", "set", "5");
	if (!tap_ok(r->status == 1 && !*r->out &&
			    strcmp(r->err,
				   "ucmdctl: set: Bad file descriptor (device opened read-only)\n") ==
				    0,
		    "--read-only set 5 -> exit 1, 'ucmdctl: set: Bad file descriptor (device opened read-only)'"))
		show(r);
	RUN(r, "--read-only", "--ioctl", "add", "1");
	tap_ok(r->status == 1 &&
		       strcmp(r->err,
			      "ucmdctl: add: Bad file descriptor (device opened read-only)\n") == 0,
	       "--read-only --ioctl add 1 -> the same message for add");
	RUN(r, "--json", "--read-only", "set", "5");
	if (!tap_ok(r->status == 1 && jsingle(r, &o) && jnum(&o, "result", -EBADF) &&
			    jstr(&o, "error", "EBADF") && count_lines(r->err) == 1,
		    "--json --read-only set 5 -> exit 1, JSON error record with EBADF"))
		show(r);
	RUN(r, "sleep", "20000000000");
	if (!tap_ok(r->status == 1 &&
			    strcmp(r->err,
				   "ucmdctl: sleep: Invalid argument (NSEC must be at most 10000000000)\n") ==
				    0,
		    "sleep 20 s -> exit 1, 'Invalid argument (NSEC must be at most 10000000000)'"))
		show(r);
	RUN(r, "--ioctl", "sleep", "20000000000");
	tap_ok(r->status == 1 && strstr(r->err, "Invalid argument"),
	       "--ioctl sleep 20 s -> exit 1");

	if (geteuid() == 0) {
		RUN(r, "--json", "reset");
		tap_ok(r->status == 0 && jsingle(r, &o) && jnum(&o, "result", 0),
		       "reset as root -> 0");
		run(r, true, (const char *const[]){ "reset", NULL });
		if (!tap_ok(r->status == 1 &&
				    strcmp(r->err,
					   "ucmdctl: reset: Operation not permitted (needs CAP_SYS_ADMIN)\n") ==
					    0,
			    "reset as uid 65534 -> exit 1, 'Operation not permitted (needs CAP_SYS_ADMIN)'"))
			show(r);
		run(r, true, (const char *const[]){ "--json", "add", "3", NULL });
		tap_ok(r->status == 0 && jsingle(r, &o) && jnum(&o, "value", 3),
		       "uid 65534 may use the 0666 device (add 3)");
	} else {
		tap_skip("not root", "reset as root and as uid 65534");
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
		if (!tap_ok(r->status == 0 && a == b && a > 20 && !*r->err,
			    "demo -> exit 0, every check as expected (%d of %d)", a, b))
			show(r);
	}
	tap_ok(strstr(r->out, "ioctl  HELLO") && strstr(r->out, "uring  SUM128") &&
		       strstr(r->out, "out of submission order") &&
		       strstr(r->out, "all 256 returned exactly once") &&
		       strstr(r->out, "completed_async"),
	       "the demo transcript shows both paths, the 256 SLEEPs and the counters");

	RUN(r, "--json", "demo");
	for (p = r->out; *p;) {
		const char *nl = strchr(p, '\n');
		struct jobj o;

		if (!nl)
			break;
		lines++;
		if (!jparse(p, (size_t)(nl - p), &o) || !jstr(&o, "cmd", "demo")) {
			bad++;
		} else if (jstr(&o, "section", "commands")) {
			bad += !jbool(&o, "ok", true);
		} else if (jstr(&o, "section", "concurrency")) {
			concurrency = jnum(&o, "completed", 256) && jnum(&o, "missing_tags", 0) &&
				      jbool(&o, "ok", true);
		} else if (jstr(&o, "section", "counters")) {
			counters = jnum(&o, "inflight", 0) && jget(&o, "issued");
		} else if (jstr(&o, "section", "demo_counts")) {
			demo_counts = jbool(&o, "ok", true) && jget(&o, "issued");
		} else if (jstr(&o, "section", "summary")) {
			summary = jbool(&o, "ok", true) && jll(&o, "checks", &checks) &&
				  jll(&o, "failed", &failed);
		} else {
			bad++;
		}
		p = nl + 1;
	}
	if (!tap_ok(r->status == 0 && lines > 20 && bad == 0 && *p == '\0',
		    "--json demo -> %d lines, each a JSON object of a passing step (%d bad)", lines,
		    bad))
		show(r);
	tap_ok(concurrency, "--json demo: 256 completed, no tag missing");
	tap_ok(counters, "--json demo: the counters, nothing in flight");
	tap_ok(demo_counts, "--json demo: the demo's own commands balance in the counters");
	tap_ok(summary && failed == 0 && checks > 20,
	       "--json demo: summary ok, %lld checks, none failed", checks);
	free(r);
}

int main(void)
{
	struct stat st;

	tap_init();
	if (!tu_find_ucmdctl(tool, sizeof(tool)))
		tap_skip_all("ucmdctl not found (set UCMDCTL, or install it as /bin/ucmdctl)");
	tap_diag("testing %s", tool);

	/* These need no device. */
	usage_errors();

	if (stat(tu_dev_path(), &st) < 0) {
		if (tap_failed())
			return tap_done();
		tap_skip_all("%s: %s (the checks above need no device and passed)", tu_dev_path(),
			     strerror(errno));
	}
	json_checks();
	kernel_errors();
	demo();
	return tap_done();
}
