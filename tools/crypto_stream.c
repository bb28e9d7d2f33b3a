// SPDX-License-Identifier: GPL-2.0
/* crypto_stream.c - "ucmdctl crypto encrypt|decrypt" of any size with a chaining cipher (cbc, ctr): read, en/decrypted and written 4 MiB at a time, the IV handed from piece to piece. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ucmdctl.h"

/* Bytes read at a time: as many pieces of UCRYPTO_MAX_LEN, linked on the ring in one submission. */
#define CIPHER_READ (4U * UCRYPTO_MAX_LEN)

/* The temporary file that becomes OUT on success; removed on every other way out. */
static char tmp_path[PATH_MAX];

static void remove_tmp(void)
{
	if (tmp_path[0])
		unlink(tmp_path);
	tmp_path[0] = '\0';
}

bool crypto_streams(const struct job *j)
{
	return j->sub != SUB_HASH && !j->aead && (j->s.flags & UCRYPTO_SESSION_STREAM) &&
	       !(j->c->o.json && !j->c->o.output);
}

/* Where the output goes: standard output, or a temporary file beside OUT. */
static int open_output(const char *path)
{
	mode_t mask;
	int fd;

	if (!path || strcmp(path, "-") == 0)
		return 1;
	if ((size_t)snprintf(tmp_path, sizeof(tmp_path), "%s.XXXXXX", path) >= sizeof(tmp_path))
		die(ENAMETOOLONG, "%s: %s", path, strerror(ENAMETOOLONG));
	atexit(remove_tmp);
	fd = mkostemp(tmp_path, O_CLOEXEC);
	if (fd < 0) {
		tmp_path[0] = '\0';
		die(errno, "%s: %s", path, strerror(errno));
	}
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) < 0)
		die(errno, "%s: %s", path, strerror(errno));
	return fd;
}

/* A kernel error for the piece that ended the input after @total bytes: exits. */
static _Noreturn void cipher_failed(const struct job *j, int ret, uint64_t total)
{
	if (ret == -EINVAL && j->s.block_size > 1 && total % j->s.block_size)
		die(EINVAL,
		    "%s (the input is %llu bytes, not a multiple of the %u-byte block of '%s')",
		    strerror(EINVAL), (unsigned long long)total, j->s.block_size, j->alg);
	if (ret == -EPROTO)
		die(EPROTO, "unexpected result 0: the device is not ucrypto");
	die(-ret, "%s", strerror(-ret));
}

/* The JSON record of a streamed result, which went to OUT. */
static void report(const struct job *j, uint64_t total)
{
	struct rec r;

	rec_begin(&r, true, j->c->cmd, j->c->o.use_ioctl ? "ioctl" : "uring");
	rec_str(&r, "alg", j->alg);
	rec_str(&r, "file", j->file);
	rec_u64(&r, "bytes", total);
	rec_str(&r, "output", j->c->o.output);
	rec_end(&r);
	if (fflush(stdout) || ferror(stdout))
		die(errno, "standard output: %s", strerror(errno));
}

int crypto_cipher_streamed(struct job *j)
{
	uint32_t cmd = j->sub == SUB_ENCRYPT ? UCRYPTO_ENCRYPT : UCRYPTO_DECRYPT;
	uint8_t *in = in_buffer(CIPHER_READ), *out = out_buffer(CIPHER_READ);
	const char *path = j->c->o.output;
	int fd, out_fd, ret;
	uint64_t total = 0;
	struct read_err e;
	uint8_t iv[64];
	ssize_t n;

	fd = input_open(j->file, &e);
	if (fd < 0)
		die(e.err, "%s", e.msg);
	memcpy(iv, j->iv.p, j->s.iv_size);
	out_fd = open_output(path);
	do {
		n = input_read(fd, j->file, in, CIPHER_READ, &e);
		if (n < 0)
			die(e.err, "%s", e.msg);
		total += (uint64_t)n;
		/* Every read but the last is whole blocks: it hands its IV on. */
		ret = ucmd_crypto_cipher_chain(j->r, j->c->fd, (uint32_t)j->id, cmd,
					       (size_t)n == CIPHER_READ ? UCRYPTO_OP_IV_OUT : 0, in,
					       out, (size_t)n, iv);
		if (ret < 0)
			cipher_failed(j, ret, total);
		ret = write_fd(out_fd, out, (size_t)n);
		if (ret)
			die(-ret, "%s: %s", out_fd == 1 ? "standard output" : path, strerror(-ret));
	} while ((size_t)n == CIPHER_READ);
	explicit_bzero(iv, sizeof(iv));
	if (fd)
		close(fd);
	if (out_fd != 1) {
		if (close(out_fd) < 0 || rename(tmp_path, path) < 0)
			die(errno, "%s: %s", path, strerror(errno));
		tmp_path[0] = '\0';
	}
	if (j->c->o.json)
		report(j, total);
	return EXIT_OK;
}
