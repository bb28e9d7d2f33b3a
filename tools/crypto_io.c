// SPDX-License-Identifier: GPL-2.0
/* crypto_io.c - what "ucmdctl crypto" reads and writes: keys (hex, a file or a descriptor), IVs, the input file and the output, wiped from memory on every way out. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ucmdctl.h"

/*
 * What holds keys, plaintext or ciphertext: wiped and freed on every way out,
 * also through die() and die_usage() (atexit), so that no error path leaks.
 */
static struct {
	struct bytes *opt[3]; /* the key, the IV, the AAD */
	uint8_t *buf[2]; /* the input and the output */
	size_t buf_len[2];
	bool registered;
} held;

void release_held(void)
{
	for (int i = 0; i < 3; i++) {
		struct bytes *b = held.opt[i];

		if (b && b->p) {
			explicit_bzero(b->p, b->len);
			free(b->p);
			b->p = NULL;
		}
	}
	for (int i = 0; i < 2; i++) {
		if (held.buf[i])
			explicit_bzero(held.buf[i], held.buf_len[i]);
		free(held.buf[i]);
	}
	memset(&held, 0, sizeof(held));
}

/* Keeps @b to be wiped at exit. */
static void hold(struct bytes *b)
{
	if (!held.registered) {
		atexit(release_held);
		held.registered = true;
	}
	for (int i = 0; i < 3; i++) {
		if (held.opt[i] == b)
			return;
		if (!held.opt[i]) {
			held.opt[i] = b;
			return;
		}
	}
}

/* Buffer @i of at least @len bytes: the one held if it is large enough (several files), else a new one. */
static uint8_t *hold_buffer(int i, size_t len)
{
	uint8_t *p;

	if (held.buf[i] && held.buf_len[i] >= len)
		return held.buf[i];
	if (held.buf[i]) {
		explicit_bzero(held.buf[i], held.buf_len[i]);
		free(held.buf[i]);
		held.buf[i] = NULL;
	}
	p = malloc(len + 1); /* never NULL for an empty buffer */
	if (!p)
		die(ENOMEM, "out of memory");
	hold(NULL);
	held.buf[i] = p;
	held.buf_len[i] = len;
	return p;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void unhex(const char *opt, const char *hex, size_t max, struct bytes *b)
{
	size_t n = strlen(hex);

	if (n % 2)
		die_usage("%s: '%.40s%s' is not hex (an odd number of digits)", opt, hex,
			  n > 40 ? "..." : "");
	if (n / 2 > max)
		die_usage("%s: %zu bytes, at most %zu", opt, n / 2, max);
	hold(b);
	b->p = malloc(n / 2 + 1);
	if (!b->p)
		die(ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i += 2) {
		int hi = hexval(hex[i]), lo = hexval(hex[i + 1]);

		if (hi < 0 || lo < 0)
			die_usage("%s: '%.40s%s' is not hex (bad digit at position %zu)", opt, hex,
				  n > 40 ? "..." : "", i + 1 + (hi >= 0));
		b->p[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	b->len = n / 2;
	b->set = true;
}

/* Reads @fd into @buf until its end or @cap bytes; returns the count, or -errno. */
static ssize_t read_upto(int fd, uint8_t *buf, size_t cap)
{
	size_t n = 0;

	while (n < cap) {
		ssize_t r = read(fd, buf + n, cap - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		n += (size_t)r;
	}
	return (ssize_t)n;
}

/* Reads the raw key from @fd (named @name in messages) until end of file. */
static void key_from_fd(int fd, const char *name, size_t max, struct bytes *key)
{
	ssize_t r;
	size_t n;

	hold(key);
	key->p = malloc(max + 1);
	if (!key->p)
		die(ENOMEM, "out of memory");
	r = read_upto(fd, key->p, max + 1);
	if (r < 0)
		die((int)-r, "%s: %s", name, strerror((int)-r));
	n = (size_t)r;
	key->len = n;
	if (n > max)
		die_usage("%s: more than %zu bytes, the longest key", name, max);
	if (n == 0)
		die_usage("%s: empty, no key", name);
	key->set = true;
}

void key_read(const struct opts *o, size_t max, struct bytes *key)
{
	char name[64];
	int fd;

	if (o->nkeys > 1)
		die_usage("one key only: --key, --key-file or --key-fd");
	if (o->key_hex) {
		unhex("--key", o->key_hex, max, key);
	} else if (o->key_file) {
		do {
			fd = open(o->key_file, O_RDONLY | O_CLOEXEC);
		} while (fd < 0 && errno == EINTR);
		if (fd < 0)
			die(errno, "--key-file %s: %s", o->key_file, strerror(errno));
		key_from_fd(fd, o->key_file, max, key);
		close(fd);
	} else if (o->key_fd >= 0) {
		snprintf(name, sizeof(name), "--key-fd %d", o->key_fd);
		key_from_fd(o->key_fd, name, max, key);
	}
}

/* The message of an input over the limit, into @e. */
static int too_large(struct read_err *e, const char *name, uint32_t tag_len)
{
	if (tag_len)
		snprintf(
			e->msg, sizeof(e->msg),
			"%s is larger than %u bytes (plus the %u-byte tag), the most " UCRYPTO_DEVICE
			" takes in one operation",
			name, UCRYPTO_MAX_LEN, tag_len);
	else
		snprintf(e->msg, sizeof(e->msg),
			 "%s is larger than %u bytes, the most " UCRYPTO_DEVICE
			 " takes in one operation",
			 name, UCRYPTO_MAX_LEN);
	e->err = EMSGSIZE;
	return -1;
}

static int io_failed(struct read_err *e, const char *name, int err)
{
	snprintf(e->msg, sizeof(e->msg), "%s: %s", name, strerror(err));
	e->err = err;
	return -1;
}

/* Reads @fd (@name in messages) into the input buffer; 0, or -1 with @e filled in. */
static int read_fd(int fd, const char *name, uint32_t tag_len, uint8_t **buf, size_t *len,
		   struct read_err *e)
{
	size_t limit = (size_t)UCRYPTO_MAX_LEN + tag_len;
	struct stat st;
	ssize_t n;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size > limit)
		return too_large(e, name, tag_len);
	*buf = hold_buffer(0, limit + 1);
	n = read_upto(fd, *buf, limit + 1);
	if (n < 0)
		return io_failed(e, name, (int)-n);
	if ((size_t)n > limit)
		return too_large(e, name, tag_len);
	*len = (size_t)n;
	return 0;
}

uint8_t *read_input_or(const char *file, uint32_t tag_len, size_t *len, struct read_err *e)
{
	bool is_stdin = strcmp(file, "-") == 0;
	uint8_t *buf = NULL;
	int fd, ret;

	do {
		fd = is_stdin ? 0 : open(file, O_RDONLY | O_CLOEXEC);
	} while (fd < 0 && errno == EINTR);
	if (fd < 0) {
		io_failed(e, file, errno);
		return NULL;
	}
	ret = read_fd(fd, is_stdin ? "standard input" : file, tag_len, &buf, len, e);
	if (!is_stdin)
		close(fd);
	return ret ? NULL : buf;
}

uint8_t *read_input(const char *file, uint32_t tag_len, size_t *len)
{
	struct read_err e;
	uint8_t *buf = read_input_or(file, tag_len, len, &e);

	if (!buf)
		die(e.err, "%s", e.msg);
	return buf;
}

uint8_t *out_buffer(size_t len)
{
	return hold_buffer(1, len);
}

uint8_t *in_buffer(size_t len)
{
	return hold_buffer(0, len);
}

int input_open(const char *file, struct read_err *e)
{
	int fd;

	if (strcmp(file, "-") == 0)
		return 0;
	do {
		fd = open(file, O_RDONLY | O_CLOEXEC);
	} while (fd < 0 && errno == EINTR);
	if (fd < 0)
		io_failed(e, file, errno);
	return fd;
}

ssize_t input_read(int fd, const char *file, uint8_t *buf, size_t cap, struct read_err *e)
{
	ssize_t n = read_upto(fd, buf, cap);

	if (n < 0)
		io_failed(e, strcmp(file, "-") ? file : "standard input", (int)-n);
	return n < 0 ? -1 : n;
}

int write_fd(int fd, const uint8_t *p, size_t len)
{
	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

void write_output(const char *path, const uint8_t *p, size_t len)
{
	bool created = true;
	int fd, ret;

	if (!path || strcmp(path, "-") == 0) {
		ret = write_fd(1, p, len);
		if (ret)
			die(-ret, "standard output: %s", strerror(-ret));
		return;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0 && errno == EEXIST) {
		created = false;
		fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	}
	if (fd < 0)
		die(errno, "%s: %s", path, strerror(errno));
	ret = write_fd(fd, p, len);
	if (close(fd) && !ret)
		ret = -errno;
	if (ret) {
		if (created)
			unlink(path);
		die(-ret, "%s: %s", path, strerror(-ret));
	}
}
