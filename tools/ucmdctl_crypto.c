// SPDX-License-Identifier: GPL-2.0
/* ucmdctl_crypto.c - "ucmdctl crypto": hashes, encrypts or decrypts one file in one /dev/ucrypto operation, over io_uring or ioctl. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ucmd.h>

#include "ucmdctl.h"

#define PROG "ucmdctl"

static const char crypto_usage[] =
	"usage: ucmdctl crypto hash ALG [--key HEX] [FILE]\n"
	"       ucmdctl crypto encrypt ALG --key HEX [--iv HEX] [--aad HEX] [-o OUT] [FILE]\n"
	"       ucmdctl crypto decrypt ALG --key HEX [--iv HEX] [--aad HEX] [-o OUT] [FILE]\n"
	"\n"
	"Hashes, encrypts or decrypts FILE (standard input if FILE is - or missing) in\n"
	"one operation of " UCRYPTO_DEVICE ", the kernel crypto API as io_uring commands.\n"
	"The input is read whole into memory; it may be at most 1048576 bytes.\n"
	"ALG is the kernel crypto API's name of the algorithm (quote it for the shell:\n"
	"'gcm(aes)'). Never use an IV twice with the same key.\n"
	"\n"
	"Subcommands:\n"
	"  hash ALG              print \"DIGEST  FILE\" (hex), like sha256sum: sha256, sha1,\n"
	"                        crc32c, hmac(sha256) with --key, ...\n"
	"  encrypt ALG           write the ciphertext: cbc(aes), ctr(aes), xts(aes), or an\n"
	"                        AEAD such as gcm(aes), whose output is the ciphertext\n"
	"                        followed by the tag\n"
	"  decrypt ALG           the reverse; an AEAD's input is ciphertext followed by tag,\n"
	"                        and nothing is written unless the tag matches\n"
	"\n"
	"Options:\n"
	"  --key HEX             the key: required for ciphers and keyed hashes (hmac)\n"
	"  --iv HEX              the IV, exactly as long as the algorithm's (16 bytes for\n"
	"                        cbc/ctr/xts(aes), 12 for gcm(aes)); required if it has one\n"
	"  --aad HEX             AEAD only: associated data, authenticated, not encrypted\n"
	"  -o, --output OUT      write the result to OUT (default standard output); OUT is\n"
	"                        created or replaced only after the operation succeeded\n"
	"  --dev PATH            device node (default " UCRYPTO_DEVICE ")\n"
	"  --uring               issue the commands as io_uring commands (default)\n"
	"  --ioctl               issue the commands through ioctl(2)\n"
	"  -h, --help            show this help\n"
	"\n"
	"HEX is an even number of hex digits. Options and arguments may come in any\n"
	"order after 'crypto'.\n"
	"\n"
	"Exit status: 0 success, 1 the device or the kernel refused (a bad AEAD tag\n"
	"too) or an I/O error, 2 usage error.\n";

_Static_assert(UCRYPTO_MAX_LEN == 1048576, "the help text says 1048576 bytes");

enum sub { SUB_HASH, SUB_ENCRYPT, SUB_DECRYPT };

/* A byte string decoded from a HEX option. */
struct bytes {
	uint8_t *p;
	size_t len;
	bool set;
};

/* "crypto", then "crypto hash" etc. once the subcommand is known: the messages' prefix. */
static char what[32] = "crypto";

/* One line on stderr with the subcommand's prefix and @tail, then exit(@code). */
static void vdie(int code, const char *tail, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0), noreturn));
static void vdie(int code, const char *tail, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, PROG ": %s: ", what);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "%s\n", tail);
	exit(code);
}

static void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdie(2, " (see " PROG " crypto --help)", fmt, ap);
}

/* The device, the kernel or I/O refused: one line on stderr, exit 1. */
static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdie(1, "", fmt, ap);
}

/* ---- arguments ---- */

/*
 * The value of option @name if argv[*i] is it ("--key HEX" or "--key=HEX";
 * the next argument is consumed), else NULL.
 */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (strncmp(a, name, n) != 0)
		return NULL;
	if (a[n] == '=' && n > 2)
		return a + n + 1;
	if (a[n])
		return NULL;
	if (++*i == argc)
		usage_error("%s needs a value", name);
	return argv[*i];
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

/* Decodes the HEX of option @opt into @b; a usage error if it is not hex or longer than @max. */
static void unhex(const char *opt, const char *hex, size_t max, struct bytes *b)
{
	size_t n = strlen(hex);

	if (n % 2)
		usage_error("%s: '%.40s%s' is not hex (an odd number of digits)", opt, hex,
			    n > 40 ? "..." : "");
	if (n / 2 > max)
		usage_error("%s: %zu bytes, at most %zu", opt, n / 2, max);
	free(b->p);
	b->p = malloc(n / 2 + 1); /* never NULL for an empty value */
	if (!b->p)
		fail("out of memory");
	for (size_t i = 0; i < n; i += 2) {
		int hi = hexval(hex[i]), lo = hexval(hex[i + 1]);

		if (hi < 0 || lo < 0)
			usage_error("%s: '%.40s%s' is not hex (bad digit at position %zu)", opt,
				    hex, n > 40 ? "..." : "", i + 1 + (hi >= 0));
		b->p[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	b->len = n / 2;
	b->set = true;
}

static void bytes_wipe(struct bytes *b)
{
	if (b->p)
		explicit_bzero(b->p, b->len);
	free(b->p);
	b->p = NULL;
}

/*
 * What holds keys, plaintext or ciphertext: wiped and freed on every way out,
 * also through fail() and usage_error() (atexit), so that no error path leaks.
 */
static struct {
	struct bytes *opt[3]; /* --key, --iv, --aad */
	uint8_t *in, *out;
	size_t in_len, out_len;
} held;

static void release_held(void)
{
	for (int i = 0; i < 3; i++)
		if (held.opt[i])
			bytes_wipe(held.opt[i]);
	if (held.in)
		explicit_bzero(held.in, held.in_len);
	if (held.out)
		explicit_bzero(held.out, held.out_len);
	free(held.in);
	free(held.out);
	memset(&held, 0, sizeof(held));
}

/* ---- files ---- */

static void too_large(const char *name, uint32_t tag_len) __attribute__((noreturn));
static void too_large(const char *name, uint32_t tag_len)
{
	if (tag_len)
		fail("%s is larger than %u bytes (plus the %u-byte tag), the most " UCRYPTO_DEVICE
		     " takes in one operation",
		     name, UCRYPTO_MAX_LEN, tag_len);
	fail("%s is larger than %u bytes, the most " UCRYPTO_DEVICE " takes in one operation", name,
	     UCRYPTO_MAX_LEN);
}

/*
 * Reads all of @file ("-": standard input), at most UCRYPTO_MAX_LEN bytes plus
 * @tag_len; more is an error.  The buffer has room for one byte more.
 */
static uint8_t *read_input(const char *file, uint32_t tag_len, size_t *len)
{
	bool is_stdin = strcmp(file, "-") == 0;
	const char *name = is_stdin ? "standard input" : file;
	size_t limit = (size_t)UCRYPTO_MAX_LEN + tag_len, n = 0;
	struct stat st;
	uint8_t *buf;
	int fd;

	do {
		fd = is_stdin ? 0 : open(file, O_RDONLY | O_CLOEXEC);
	} while (fd < 0 && errno == EINTR);
	if (fd < 0)
		fail("%s: %s", file, strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size > limit)
		too_large(name, tag_len);
	buf = malloc(limit + 1);
	if (!buf)
		fail("out of memory");
	while (n <= limit) {
		ssize_t r = read(fd, buf + n, limit + 1 - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			fail("%s: %s", name, strerror(errno));
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > limit)
		too_large(name, tag_len);
	if (!is_stdin)
		close(fd);
	*len = n;
	return buf;
}

static int write_all(int fd, const uint8_t *p, size_t len)
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

/* Writes the result to @path (NULL or "-": standard output); a file it created goes on failure. */
static void write_output(const char *path, const uint8_t *p, size_t len)
{
	bool created = true;
	int fd, ret;

	if (!path || strcmp(path, "-") == 0) {
		ret = write_all(1, p, len);
		if (ret)
			fail("standard output: %s", strerror(-ret));
		return;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0 && errno == EEXIST) {
		created = false;
		fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	}
	if (fd < 0)
		fail("%s: %s", path, strerror(errno));
	ret = write_all(fd, p, len);
	if (close(fd) && !ret)
		ret = -errno;
	if (ret) {
		if (created)
			unlink(path);
		fail("%s: %s", path, strerror(-ret));
	}
}

/* ---- the device ---- */

struct dev {
	int fd;
	struct io_uring ring;
	struct io_uring *r; /* NULL: ioctl */
};

/* A hint after the message of a device that did not open. */
static const char *open_hint(int err)
{
	if (err == ENOENT || err == ENODEV || err == ENXIO)
		return " (is the ucrypto module loaded?)";
	if (err == EACCES)
		return " (permission denied on the device node)";
	return "";
}

static int session(struct dev *d, const char *alg, uint32_t type, const struct bytes *key,
		   struct ucrypto_session *s)
{
	return ucmd_crypto_session_create(d->r, d->fd, alg, type, key ? key->p : NULL,
					  key ? (uint32_t)key->len : 0, 0, 0, s);
}

/* Whether @alg exists as @type: a session without key is created, or refused for the key. */
static bool exists_as(struct dev *d, const char *alg, uint32_t type)
{
	int id = session(d, alg, type, NULL, NULL);

	if (id > 0)
		ucmd_crypto_session_destroy(d->r, d->fd, (uint32_t)id);
	return id > 0 || id == -EINVAL || id == -ENOKEY;
}

/* Whether @alg is a hash that works without a key. */
static bool takes_no_key(struct dev *d, const char *alg)
{
	int id = session(d, alg, UCRYPTO_TYPE_HASH, NULL, NULL);

	if (id > 0)
		ucmd_crypto_session_destroy(d->r, d->fd, (uint32_t)id);
	return id > 0;
}

/* Explains why no session was created; exits 1. */
static void session_failed(struct dev *d, enum sub sub, const char *alg, const struct bytes *key,
			   int err) __attribute__((noreturn));
static void session_failed(struct dev *d, enum sub sub, const char *alg, const struct bytes *key,
			   int err)
{
	switch (err) {
	case -ENOENT:
		if (sub == SUB_HASH && (exists_as(d, alg, UCRYPTO_TYPE_SKCIPHER) ||
					exists_as(d, alg, UCRYPTO_TYPE_AEAD)))
			fail("no such algorithm '%s' (it is a cipher: use " PROG
			     " crypto encrypt or decrypt)",
			     alg);
		if (sub != SUB_HASH && exists_as(d, alg, UCRYPTO_TYPE_HASH))
			fail("no such algorithm '%s' (it is a hash: use " PROG " crypto hash)",
			     alg);
		fail("no such algorithm '%s'", alg);
	case -ENOKEY:
		fail("'%s' needs a key (--key HEX)", alg);
	case -EINVAL:
		if (sub == SUB_HASH && key->len && takes_no_key(d, alg))
			fail("'%s' takes no key (--key)", alg);
		if (key->len || sub != SUB_HASH)
			fail("'%s' refused the %zu-byte key: %s", alg, key->len, strerror(EINVAL));
		fail("'%s': %s", alg, strerror(EINVAL));
	default:
		fail("creating a session for '%s': %s", alg, strerror(-err));
	}
}

/* ---- main ---- */

struct copts {
	const char *dev;
	bool use_ioctl;
	const char *out;
	const char *key_hex, *iv_hex, *aad_hex;
};

int ucmdctl_crypto_main(int argc, char **argv)
{
	static const char *const subs[] = { "hash", "encrypt", "decrypt" };
	static const uint32_t cmds[] = { UCRYPTO_HASH, UCRYPTO_ENCRYPT, UCRYPTO_DECRYPT };
	struct copts o = { .dev = UCRYPTO_DEVICE };
	struct bytes key = { 0 }, iv = { 0 }, aad = { 0 };
	struct ucrypto_session s;
	struct ucrypto_op op;
	struct dev d = { .fd = -1 };
	const char *pos[3], *alg, *file;
	uint8_t *in, *out;
	size_t in_len, out_len, len;
	uint32_t tag_len = 0;
	int npos = 0, id, ret;
	bool only_pos = false, aead;
	enum sub sub;

	held.opt[0] = &key;
	held.opt[1] = &iv;
	held.opt[2] = &aad;
	atexit(release_held);
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v;

		if (only_pos || a[0] != '-' || a[1] == '\0') {
			if (npos == 3)
				usage_error("unexpected argument '%s'", a);
			pos[npos++] = a;
			/* Name the subcommand in messages from now on. */
			for (int k = 0; npos == 1 && k < 3; k++)
				if (strcmp(a, subs[k]) == 0)
					snprintf(what, sizeof(what), "crypto %s", a);
		} else if (strcmp(a, "--") == 0) {
			only_pos = true;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(crypto_usage, stdout);
			release_held();
			return 0;
		} else if (strcmp(a, "--ioctl") == 0) {
			o.use_ioctl = true;
		} else if (strcmp(a, "--uring") == 0) {
			o.use_ioctl = false;
		} else if ((v = opt_value(argc, argv, &i, "--dev"))) {
			o.dev = v;
		} else if ((v = opt_value(argc, argv, &i, "--key"))) {
			o.key_hex = v;
		} else if ((v = opt_value(argc, argv, &i, "--iv"))) {
			o.iv_hex = v;
		} else if ((v = opt_value(argc, argv, &i, "--aad"))) {
			o.aad_hex = v;
		} else if ((v = opt_value(argc, argv, &i, "--output")) ||
			   (v = opt_value(argc, argv, &i, "-o"))) {
			o.out = v;
		} else {
			usage_error("unknown option '%s'", a);
		}
	}
	if (npos == 0)
		usage_error("no subcommand given (hash, encrypt or decrypt)");
	for (sub = SUB_HASH; sub <= SUB_DECRYPT; sub++)
		if (strcmp(pos[0], subs[sub]) == 0)
			break;
	if (sub > SUB_DECRYPT)
		usage_error("unknown subcommand '%s' (hash, encrypt or decrypt)", pos[0]);
	snprintf(what, sizeof(what), "crypto %s", subs[sub]);
	if (npos < 2)
		usage_error("no algorithm given");
	alg = pos[1];
	file = npos > 2 ? pos[2] : "-";
	if (!*alg || strlen(alg) >= UCRYPTO_NAME_MAX)
		usage_error("ALG must be 1 to %d characters", UCRYPTO_NAME_MAX - 1);
	if (!*o.dev)
		usage_error("--dev needs a PATH");
	if (!*file)
		usage_error("FILE must not be empty");
	if (o.out && !*o.out)
		usage_error("--output needs a file name");
	if (sub == SUB_HASH) {
		if (o.iv_hex)
			usage_error("--iv applies to encrypt and decrypt only");
		if (o.aad_hex)
			usage_error("--aad applies to encrypt and decrypt only");
		if (o.out)
			usage_error("--output applies to encrypt and decrypt only");
	} else if (!o.key_hex) {
		usage_error("needs --key HEX");
	}
	if (o.key_hex)
		unhex("--key", o.key_hex, UCRYPTO_MAX_KEY_SIZE, &key);
	if (o.iv_hex)
		unhex("--iv", o.iv_hex, UCRYPTO_MAX_KEY_SIZE, &iv);
	if (o.aad_hex)
		unhex("--aad", o.aad_hex, UCRYPTO_MAX_LEN, &aad);

	d.fd = ucmd_open(o.dev, O_RDWR);
	if (d.fd == -EACCES || d.fd == -EPERM || d.fd == -EROFS)
		d.fd = ucmd_open(o.dev, O_RDONLY); /* the operations need no write access */
	if (d.fd < 0)
		fail("%s: %s%s", o.dev, strerror(-d.fd), open_hint(-d.fd));
	if (!o.use_ioctl) {
		ret = ucmd_ring_init(&d.ring, 4, 0);
		if (ret < 0)
			fail("io_uring setup: %s", strerror(-ret));
		d.r = &d.ring;
	}

	if (sub == SUB_HASH) {
		id = session(&d, alg, UCRYPTO_TYPE_HASH, &key, &s);
	} else {
		id = session(&d, alg, UCRYPTO_TYPE_SKCIPHER, &key, &s);
		if (id == -ENOENT)
			id = session(&d, alg, UCRYPTO_TYPE_AEAD, &key, &s);
	}
	if (id < 0)
		session_failed(&d, sub, alg, &key, id);
	aead = s.type == UCRYPTO_TYPE_AEAD;
	if (sub != SUB_HASH) {
		if (s.iv_size && !iv.set)
			usage_error("'%s' needs --iv HEX of %u bytes", alg, s.iv_size);
		if (iv.set && !s.iv_size)
			usage_error("--iv: '%s' takes no IV", alg);
		if (iv.set && iv.len != s.iv_size)
			usage_error("--iv: '%s' takes a %u-byte IV, not %zu bytes", alg, s.iv_size,
				    iv.len);
		if (aad.set && !aead)
			usage_error("--aad applies to AEAD algorithms such as gcm(aes), not '%s'",
				    alg);
		if (aead)
			tag_len = s.tag_len;
	}

	/* An AEAD's ciphertext carries the tag: up to tag_len more bytes of input. */
	in = read_input(file, sub == SUB_DECRYPT ? tag_len : 0, &in_len);
	held.in = in;
	held.in_len = in_len;
	len = in_len;
	if (sub == SUB_DECRYPT && aead) {
		if (in_len < tag_len)
			fail("%s: %zu bytes, shorter than the %u-byte tag that ends the input",
			     strcmp(file, "-") ? file : "standard input", in_len, tag_len);
		len -= tag_len;
	}
	if (sub == SUB_HASH)
		out_len = s.digest_size;
	else
		out_len = len + (sub == SUB_ENCRYPT ? tag_len : 0);
	out = malloc(out_len + 1);
	if (!out)
		fail("out of memory");
	held.out = out;
	held.out_len = out_len;

	memset(&op, 0, sizeof(op));
	op.session = (uint32_t)id;
	op.src = (uint64_t)(uintptr_t)in;
	op.dst = (uint64_t)(uintptr_t)out;
	op.len = (uint32_t)len;
	if (iv.set)
		op.iv = (uint64_t)(uintptr_t)iv.p;
	if (aad.len) {
		op.aad = (uint64_t)(uintptr_t)aad.p;
		op.aad_len = (uint32_t)aad.len;
	}
	if (aead) /* encrypt: after the ciphertext; decrypt: after it in the input */
		op.tag = (uint64_t)(uintptr_t)(sub == SUB_ENCRYPT ? out + len : in + len);
	ret = ucmd_crypto_call(d.r, d.fd, cmds[sub], &op);
	if (ret == -EBADMSG)
		fail("authentication failed: the tag does not match (wrong key, IV or AAD, or "
		     "altered input); nothing written");
	if (ret == -EINVAL && sub != SUB_HASH && s.block_size > 1 && len % s.block_size)
		fail("%s (the input is %zu bytes, not a multiple of the %u-byte block of '%s')",
		     strerror(EINVAL), len, s.block_size, alg);
	if (ret < 0)
		fail("%s", strerror(-ret));
	if ((size_t)ret != (sub == SUB_HASH ? out_len : len))
		fail("unexpected result %d", ret);

	if (sub == SUB_HASH) {
		for (size_t i = 0; i < out_len; i++)
			printf("%02x", out[i]);
		printf("  %s\n", file);
		if (fflush(stdout) || ferror(stdout))
			fail("standard output: %s", strerror(errno));
	} else {
		write_output(o.out, out, out_len);
	}

	ucmd_crypto_session_destroy(d.r, d.fd, (uint32_t)id);
	if (d.r)
		io_uring_queue_exit(d.r);
	close(d.fd);
	release_held(); /* before key, iv and aad go out of scope */
	return 0;
}
