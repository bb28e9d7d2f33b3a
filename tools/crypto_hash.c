// SPDX-License-Identifier: GPL-2.0
/* crypto_hash.c - "ucmdctl crypto hash" of several files as sha256sum prints them ("DIGEST  NAME", coreutils' escapes), and --check of such lines. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ucmdctl.h"

/* What one checksum file's lines gave. */
struct tally {
	unsigned long ok, failed, unread, malformed, missing;
};

static const char *path_name(const struct job *j)
{
	return j->c->o.use_ioctl ? "ioctl" : "uring";
}

/* Prints @name with backslash, newline and carriage return as \\, \n and \r (coreutils 9). */
static void put_escaped(const char *name)
{
	for (; *name; name++) {
		if (*name == '\\')
			fputs("\\\\", stdout);
		else if (*name == '\n')
			fputs("\\n", stdout);
		else if (*name == '\r')
			fputs("\\r", stdout);
		else
			putchar(*name);
	}
}

/* Bytes read at a time: as many pieces of UCRYPTO_MAX_LEN, linked on the ring in one submission. */
#define HASH_READ (4U * UCRYPTO_MAX_LEN)

/* A kernel error while streaming: exits as crypto_operate() does. */
static _Noreturn void stream_failed(int ret)
{
	if (ret == -EPROTO)
		die(EPROTO, "unexpected result 0: the device is not ucrypto");
	die(-ret, "%s", strerror(-ret));
}

/*
 * Hashes @file of any size as a stream of the session, read HASH_READ bytes at a time; NULL
 * (with @e filled in) if it cannot be read, after ending the stream.
 */
static const uint8_t *digest_streamed(struct job *j, const char *file, struct read_err *e)
{
	uint8_t *buf = in_buffer(HASH_READ), *out = out_buffer(j->s.digest_size);
	uint32_t flags = UCRYPTO_OP_INIT;
	int fd = input_open(file, e), ret;
	ssize_t n;

	if (fd < 0)
		return NULL;
	do {
		n = input_read(fd, file, buf, HASH_READ, e);
		if (n < 0)
			break;
		if ((size_t)n < HASH_READ)
			flags |= UCRYPTO_OP_FINAL; /* the end of the file */
		ret = ucmd_crypto_hash_update(j->r, j->c->fd, (uint32_t)j->id, flags, buf,
					      (size_t)n, flags & UCRYPTO_OP_FINAL ? out : NULL);
		if (ret < 0)
			stream_failed(ret);
		if ((flags & UCRYPTO_OP_FINAL) && ret != (int)j->s.digest_size)
			die(EPROTO, "unexpected result %d", ret);
		flags &= ~UCRYPTO_OP_INIT;
	} while (!(flags & UCRYPTO_OP_FINAL));
	if (fd)
		close(fd);
	/* A read error: end the stream the next file's INIT needs ended (its digest unused). */
	if (n < 0 && !(flags & UCRYPTO_OP_INIT))
		ucmd_crypto_hash_update(j->r, j->c->fd, (uint32_t)j->id, UCRYPTO_OP_FINAL, NULL, 0,
					out);
	return n < 0 ? NULL : out;
}

/*
 * Hashes @file; NULL (with @e filled in) if it cannot be read.  The digest is j->s.digest_size
 * bytes.  A session that cannot stream (an asynchronous hash) takes one operation: at most
 * UCRYPTO_MAX_LEN bytes.
 */
static const uint8_t *digest_of(struct job *j, const char *file, struct read_err *e)
{
	size_t in_len, out_len;
	uint8_t *in;

	if (j->s.flags & UCRYPTO_SESSION_STREAM)
		return digest_streamed(j, file, e);
	in = read_input_or(file, 0, &in_len, e);
	if (!in)
		return NULL;
	return crypto_operate(j, in, in_len, &out_len);
}

/* A JSON record's common head: cmd, path, alg and, in check mode, the checksum file. */
static void head(struct rec *r, const struct job *j, const char *sums)
{
	rec_begin(r, true, j->c->cmd, path_name(j));
	rec_str(r, "alg", j->alg);
	if (sums)
		rec_str(r, "check", sums);
}

/* A file that could not be read: its message on stderr, and with --json its record. */
static void unreadable(const struct job *j, const char *sums, const char *file,
		       const struct read_err *e, const char *status)
{
	struct rec r;
	char msg[sizeof(e->msg) + 64];

	complain("%s", e->msg);
	if (!j->c->o.json || !status)
		return;
	snprintf(msg, sizeof(msg), "%s: %s", j->c->cmd, e->msg);
	head(&r, j, sums);
	rec_str(&r, "file", file);
	if (*status)
		rec_str(&r, "status", status);
	rec_int(&r, "result", -e->err);
	rec_str(&r, "error", errno_name(e->err));
	rec_str(&r, "message", msg);
	rec_end(&r);
}

/* "DIGEST  NAME" for one file, escaped as coreutils does, or its JSON record; false if unread. */
static bool hash_one(struct job *j, const char *file)
{
	size_t len = j->s.digest_size;
	struct read_err e;
	const uint8_t *d = digest_of(j, file, &e);
	struct rec r;

	if (!d) {
		unreadable(j, NULL, file, &e, "");
		return false;
	}
	if (j->c->o.json) {
		head(&r, j, NULL);
		rec_str(&r, "file", file);
		rec_hex(&r, "digest", d, len);
		rec_end(&r);
		return true;
	}
	if (file[strcspn(file, "\\\n\r")])
		putchar('\\');
	for (size_t i = 0; i < len; i++)
		printf("%02x", d[i]);
	fputs("  ", stdout);
	put_escaped(file);
	putchar('\n');
	return true;
}

/* ---- --check ---- */

/* Undoes put_escaped() in place; false for any other escape. */
static bool unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (*s != '\\') {
			*o++ = *s;
			continue;
		}
		s++;
		if (*s == '\\')
			*o++ = '\\';
		else if (*s == 'n')
			*o++ = '\n';
		else if (*s == 'r')
			*o++ = '\r';
		else
			return false;
	}
	*o = '\0';
	return true;
}

/*
 * Parses @line (end of line removed) as sha256sum writes it: "[\]HEX  NAME" or
 * "HEX *NAME" (binary), HEX @hexlen digits in either case, leading blanks allowed.
 * Returns false for an improperly formatted line.
 */
static bool parse_line(char *line, size_t hexlen, char **hex, char **name)
{
	bool escaped;
	size_t i = 0;

	line += strspn(line, " \t");
	escaped = *line == '\\';
	line += escaped;
	while (isxdigit((unsigned char)line[i]))
		i++;
	if (i != hexlen || (line[i] != ' ' && line[i] != '\t'))
		return false;
	line[i] = '\0';
	*hex = line;
	line += i + 1;
	/* The mode character, unless it is all that is left (then it is the name). */
	if ((*line == ' ' || *line == '*') && line[1])
		line++;
	*name = line;
	return *line && (!escaped || unescape(line));
}

/* "NAME: STATUS" in check mode: coreutils escapes a name there only if it has a newline. */
static void put_name(const char *name, const char *status)
{
	if (strchr(name, '\n')) {
		putchar('\\');
		put_escaped(name);
	} else {
		fputs(name, stdout);
	}
	printf(": %s\n", status);
}

/* "NAME: STATUS", a name with a newline escaped as coreutils does; or its JSON record. */
static void verdict(const struct job *j, const char *sums, const char *name, const char *hex,
		    const uint8_t *d, const char *status)
{
	unsigned int chk = j->c->o.check;
	struct rec r;

	if ((chk & CHECK_STATUS) || ((chk & CHECK_QUIET) && strcmp(status, "OK") == 0))
		return;
	if (j->c->o.json) {
		head(&r, j, sums);
		rec_str(&r, "file", name);
		rec_str(&r, "status", status);
		rec_str(&r, "expected", hex);
		rec_hex(&r, "digest", d, j->s.digest_size);
		rec_end(&r);
		return;
	}
	put_name(name, status);
}

/* Whether the hex digest @hex (either case) is @d. */
static bool same_digest(const char *hex, const uint8_t *d, size_t len)
{
	char want[3];

	for (size_t i = 0; i < len; i++) {
		snprintf(want, sizeof(want), "%02x", d[i]);
		if (strncasecmp(hex + 2 * i, want, 2))
			return false;
	}
	return true;
}

/* Checks one listed file against @hex. */
static void check_one(struct job *j, const char *sums, const char *name, char *hex, struct tally *t)
{
	unsigned int chk = j->c->o.check;
	struct read_err e;
	const uint8_t *d = digest_of(j, name, &e);

	if (!d && e.err == ENOENT && (chk & CHECK_IGNORE_MISSING)) {
		t->missing++;
		return;
	}
	if (!d) {
		t->unread++;
		unreadable(j, sums, name, &e, (chk & CHECK_STATUS) ? NULL : "FAILED open or read");
		if (!j->c->o.json && !(chk & CHECK_STATUS))
			put_name(name, "FAILED open or read");
		return;
	}
	for (char *p = hex; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (same_digest(hex, d, j->s.digest_size)) {
		t->ok++;
		verdict(j, sums, name, hex, d, "OK");
	} else {
		t->failed++;
		verdict(j, sums, name, hex, d, "FAILED");
	}
}

/* One line of checksum file @sums (its number @n); comments and empty lines are skipped. */
static void check_line(struct job *j, const char *sums, unsigned long n, char *line, size_t len,
		       struct tally *t)
{
	bool nul = strlen(line) != len; /* never a name */
	char *hex, *name;

	if (len && line[len - 1] == '\n')
		line[--len] = '\0';
	if (len && line[len - 1] == '\r')
		line[--len] = '\0';
	if (!len || line[0] == '#')
		return;
	if (nul || !parse_line(line, 2 * (size_t)j->s.digest_size, &hex, &name)) {
		t->malformed++;
		if (j->c->o.check & CHECK_WARN)
			complain("%s: %lu: improperly formatted %s checksum line", sums, n, j->alg);
		return;
	}
	check_one(j, sums, name, hex, t);
}

static const char *plural(unsigned long n, const char *one, const char *more)
{
	return n == 1 ? one : more;
}

/* The warnings after a checksum file, as sha256sum gives them; returns whether it failed. */
static bool summary(const struct job *j, const char *sums, const struct tally *t)
{
	unsigned int chk = j->c->o.check;
	unsigned long proper = t->ok + t->failed + t->unread + t->missing;

	if (!proper) {
		complain("%s: no properly formatted checksum lines found", sums);
		return true;
	}
	if (!(chk & CHECK_STATUS) && t->malformed)
		complain("WARNING: %lu %s improperly formatted", t->malformed,
			 plural(t->malformed, "line is", "lines are"));
	if (!(chk & CHECK_STATUS) && t->unread)
		complain("WARNING: %lu listed %s could not be read", t->unread,
			 plural(t->unread, "file", "files"));
	if (!(chk & CHECK_STATUS) && t->failed)
		complain("WARNING: %lu computed %s did NOT match", t->failed,
			 plural(t->failed, "checksum", "checksums"));
	if (!(chk & CHECK_STATUS) && (chk & CHECK_IGNORE_MISSING) && !t->ok && !t->failed &&
	    !t->unread)
		complain("%s: no file was verified", sums);
	return t->failed || t->unread || ((chk & CHECK_STRICT) && t->malformed) ||
	       ((chk & CHECK_IGNORE_MISSING) && !t->ok && !t->failed && !t->unread);
}

/* With --json (and not --status), one record of what checksum file @sums gave. */
static void summary_record(const struct job *j, const char *sums, const struct tally *t)
{
	struct rec r;

	if (!j->c->o.json || (j->c->o.check & CHECK_STATUS))
		return;
	head(&r, j, sums);
	rec_u64(&r, "ok", t->ok);
	rec_u64(&r, "failed", t->failed);
	rec_u64(&r, "unread", t->unread);
	rec_u64(&r, "improperly_formatted", t->malformed);
	if (j->c->o.check & CHECK_IGNORE_MISSING)
		rec_u64(&r, "missing", t->missing);
	rec_end(&r);
}

/* Checks every line of checksum file @sums ("-": standard input); returns whether it failed. */
static bool check_file(struct job *j, const char *sums)
{
	bool is_stdin = strcmp(sums, "-") == 0;
	const char *name = is_stdin ? "standard input" : sums;
	FILE *f = is_stdin ? stdin : fopen(sums, "re");
	struct tally t = { 0 };
	unsigned long n = 0;
	size_t cap = 0;
	char *line = NULL;
	ssize_t len;
	int err = 0;

	if (!f) {
		complain("%s: %s", sums, strerror(errno));
		return true;
	}
	while ((len = getline(&line, &cap, f)) >= 0)
		check_line(j, name, ++n, line, (size_t)len, &t);
	if (ferror(f))
		err = errno ? errno : EIO;
	free(line);
	if (!is_stdin)
		fclose(f);
	if (err) {
		complain("%s: %s", name, strerror(err));
		return true;
	}
	summary_record(j, sums, &t);
	return summary(j, name, &t);
}

int crypto_hash(struct job *j)
{
	bool failed = false;

	for (int i = 0; i < j->nfiles; i++) {
		if (j->c->o.check)
			failed |= check_file(j, j->files[i]);
		else
			failed |= !hash_one(j, j->files[i]);
		if (fflush(stdout) || ferror(stdout))
			die(errno, "standard output: %s", strerror(errno));
	}
	return failed ? EXIT_REFUSED : EXIT_OK;
}
