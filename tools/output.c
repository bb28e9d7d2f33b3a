// SPDX-License-Identifier: GPL-2.0
/* output.c - ucmdctl's one output layer: records as text or JSON, and the messages and exit statuses of usage errors and failures. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ucmdctl.h"

static struct {
	bool json;
	const char *what; /* prefix of messages, or NULL */
	const char *help; /* "ucmdctl --help" */
	const char *cmd; /* for JSON error records */
	const char *path;
} out = { .help = PROG " --help" };

void out_json(bool json)
{
	out.json = json;
}

void out_family(const char *what, const char *help)
{
	out.what = what;
	out.help = help ? help : PROG " --help";
}

void out_context(const char *cmd, const char *path)
{
	out.cmd = cmd;
	out.path = path;
}

const char *errno_name(int err)
{
	static char buf[16];
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
	const char *name = strerrorname_np(err);

	if (name)
		return name;
#endif
	snprintf(buf, sizeof(buf), "%d", err);
	return buf;
}

/* "[WHAT: ]MESSAGE" into @msg. */
static void vmessage(char *msg, size_t cap, const char *fmt, va_list ap)
{
	size_t n = 0;

	if (out.what)
		n = (size_t)snprintf(msg, cap, "%s: ", out.what);
	if (n < cap)
		vsnprintf(msg + n, cap - n, fmt, ap);
}

void complain(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vmessage(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fflush(stdout);
	fprintf(stderr, PROG ": %s\n", msg);
}

/*
 * "ucmdctl: [WHAT: ]MESSAGE[ (see HELP)]" on stderr, then exit(@status); a
 * failure (status 1) under --json also gets its record on stdout.
 */
static _Noreturn void vdie(int status, int err, const char *fmt, va_list ap)
{
	char msg[1024];

	vmessage(msg, sizeof(msg), fmt, ap);
	fflush(stdout);
	if (status == EXIT_USAGE)
		fprintf(stderr, PROG ": %s (see %s)\n", msg, out.help);
	else
		fprintf(stderr, PROG ": %s\n", msg);
	if (out.json && status == EXIT_REFUSED) {
		struct rec r;

		rec_begin(&r, true, out.cmd ? out.cmd : "", out.path);
		if (err) {
			rec_int(&r, "result", -err);
			rec_str(&r, "error", errno_name(err));
		}
		rec_str(&r, "message", msg);
		rec_end(&r);
		fflush(stdout);
	}
	exit(status);
}

void die_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdie(EXIT_USAGE, 0, fmt, ap);
}

void die(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdie(EXIT_REFUSED, err, fmt, ap);
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

void rec_begin(struct rec *r, bool json, const char *cmd, const char *path)
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

void rec_int(struct rec *r, const char *key, long long v)
{
	rec_key(r, key);
	printf("%lld", v);
}

void rec_u64(struct rec *r, const char *key, uint64_t v)
{
	rec_key(r, key);
	printf("%" PRIu64, v);
}

void rec_str(struct rec *r, const char *key, const char *v)
{
	rec_key(r, key);
	if (r->json)
		json_str(stdout, v);
	else
		fputs(v, stdout);
}

void rec_hex(struct rec *r, const char *key, const uint8_t *p, size_t len)
{
	rec_key(r, key);
	if (r->json)
		fputc('"', stdout);
	for (size_t i = 0; i < len; i++)
		printf("%02x", p[i]);
	if (r->json)
		fputc('"', stdout);
}

void rec_bool(struct rec *r, const char *key, bool v)
{
	rec_key(r, key);
	fputs(r->json ? (v ? "true" : "false") : (v ? "yes" : "no"), stdout);
}

void rec_ms(struct rec *r, const char *key, uint64_t ns)
{
	rec_key(r, key);
	printf("%.3f", (double)ns / 1e6);
}

void rec_end(struct rec *r)
{
	fputs(r->json ? "}\n" : "\n", stdout);
}
