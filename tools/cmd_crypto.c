// SPDX-License-Identifier: GPL-2.0
/* cmd_crypto.c - "ucmdctl crypto": hashes files or encrypts or decrypts one with /dev/ucrypto (in pieces where the algorithm streams), over io_uring or ioctl, as text or JSON. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "ucmdctl.h"

const char crypto_usage[] =
	"usage: ucmdctl crypto hash ALG [KEY] [FILE...]\n"
	"       ucmdctl crypto hash ALG [KEY] -c [--quiet|--status] [-w] [SUMS...]\n"
	"       ucmdctl crypto encrypt ALG KEY [--iv HEX] [--aad HEX] [-o OUT] [FILE]\n"
	"       ucmdctl crypto decrypt ALG KEY [--iv HEX] [--aad HEX] [-o OUT] [FILE]\n"
	"  where KEY is --key HEX, --key-file FILE or --key-fd N\n"
	"\n"
	"Hashes each FILE, encrypts or decrypts FILE (standard input if FILE is - or\n"
	"missing) with " UCRYPTO_DEVICE ", the kernel crypto API as io_uring commands.\n"
	"hash takes any size: it reads 4 MiB at a time and streams them as 1048576-byte\n"
	"pieces linked in one io_uring submission. So do encrypt and decrypt with cbc and\n"
	"ctr, handing the IV from piece to piece (OUT appears when all went well); other\n"
	"ciphers, AEADs and --json without -o read their input whole into memory and take\n"
	"one operation: at most 1048576 bytes.\n"
	"ALG is the kernel crypto API's name of the algorithm (quote it for the shell:\n"
	"'gcm(aes)'). Never use an IV twice with the same key.\n"
	"\n"
	"Subcommands:\n"
	"  hash ALG              print \"DIGEST  FILE\" (hex) per FILE, as sha256sum does\n"
	"                        (a name with \\, newline or CR: the line starts with \\\n"
	"                        and they are escaped): sha256, sha1, crc32c,\n"
	"                        hmac(sha256) with a key, ...\n"
	"  encrypt ALG           write the ciphertext: cbc(aes), ctr(aes), xts(aes), or an\n"
	"                        AEAD such as gcm(aes), whose output is the ciphertext\n"
	"                        followed by the tag\n"
	"  decrypt ALG           the reverse; an AEAD's input is ciphertext followed by tag,\n"
	"                        and nothing is written unless the tag matches\n"
	"\n"
	"Options:\n"
	"  --key HEX             the key: required for ciphers and keyed hashes (hmac);\n"
	"                        visible to other users in ps(1), so rather:\n"
	"  --key-file FILE       the key is FILE's bytes (raw, not hex), e.g. made with\n"
	"                        'head -c 16 /dev/urandom >FILE'\n"
	"  --key-fd N            the key is what file descriptor N gives until its end\n"
	"                        (raw bytes), e.g. --key-fd 3 3<FILE\n"
	"  --iv HEX              the IV, exactly as long as the algorithm's (16 bytes for\n"
	"                        cbc/ctr/xts(aes), 12 for gcm(aes)); required if it has one\n"
	"  --aad HEX             AEAD only: associated data, authenticated, not encrypted\n"
	"  -c, --check           hash: read \"DIGEST  NAME\" lines (or \"DIGEST *NAME\") from\n"
	"                        each SUMS and print \"NAME: OK\", \"NAME: FAILED\" or\n"
	"                        \"NAME: FAILED open or read\"; exit 1 on any failure\n"
	"  --quiet               --check: no line for a file that is OK\n"
	"  --status              --check: print nothing, the exit status tells\n"
	"  -w, --warn            --check: warn of each improperly formatted line\n"
	"  --strict              --check: exit 1 for improperly formatted lines\n"
	"  --ignore-missing      --check: a listed file that does not exist is no failure\n"
	"  -o, --output OUT      write the result to OUT (default standard output); OUT is\n"
	"                        created or replaced only after the operation succeeded\n"
	"  --json                print JSON objects, one a line: the digest of each FILE,\n"
	"                        each --check result and a summary per SUMS, or where\n"
	"                        the result went (with its bytes in hex if not to OUT)\n"
	"  --dev PATH            device node (default " UCRYPTO_DEVICE "); it must be\n"
	"                        ucrypto, else nothing is sent\n"
	"  --uring               issue the commands as io_uring commands (default)\n"
	"  --ioctl               issue the commands through ioctl(2)\n"
	"  --fixed               io_uring: put each input and its output in one buffer\n"
	"                        registered with the ring (IORING_URING_CMD_FIXED), which\n"
	"                        the device uses without pinning its pages per operation\n"
	"  -h, --help            show this help\n"
	"  -V, --version         show the version\n"
	"\n"
	"HEX is an even number of hex digits. Options and arguments may come in any\n"
	"order, before or after 'crypto'.\n"
	"\n"
	"Exit status: 0 success, 1 the device or the kernel refused (a bad AEAD tag\n"
	"too, or a device that is not ucrypto), an I/O error, a FILE that could not be\n"
	"hashed or a digest that --check found wrong, 2 usage error.\n";

_Static_assert(UCRYPTO_MAX_LEN == 1048576, "the help text says 1048576 bytes");

static const struct {
	const char *name;
	const char *what; /* the prefix of its messages */
	uint32_t cmd;
} subs[NSUBS] = {
	[SUB_HASH] = { "hash", "crypto hash", UCRYPTO_HASH },
	[SUB_ENCRYPT] = { "encrypt", "crypto encrypt", UCRYPTO_ENCRYPT },
	[SUB_DECRYPT] = { "decrypt", "crypto decrypt", UCRYPTO_DECRYPT },
};

/* ---- the command line ---- */

/* The FILE arguments: one for encrypt and decrypt, any number for hash; none is "-". */
static void parse_files(struct job *j)
{
	static const char *const std_in[] = { "-" };
	struct ctx *c = j->c;

	j->files = c->nargs > 2 ? c->args + 2 : std_in;
	j->nfiles = c->nargs > 2 ? c->nargs - 2 : 1;
	if (j->sub != SUB_HASH && j->nfiles > 1)
		die_usage("unexpected argument '%s' (%s takes one FILE)", j->files[1],
			  subs[j->sub].name);
	for (int i = 0; i < j->nfiles; i++)
		if (!*j->files[i])
			die_usage("FILE must not be empty");
	j->file = j->files[0];
	if (c->o.check && j->sub != SUB_HASH)
		die_usage("--check applies to hash only");
	if ((c->o.check & ~CHECK_ON) && !(c->o.check & CHECK_ON))
		die_usage(
			"--quiet, --status, --warn, --strict and --ignore-missing go with --check");
}

/* Whether the input (a FILE, or a checksum file) is standard input. */
static bool reads_stdin(const struct job *j)
{
	for (int i = 0; i < j->nfiles; i++)
		if (strcmp(j->files[i], "-") == 0)
			return true;
	return false;
}

static void parse_sub(struct job *j)
{
	struct ctx *c = j->c;
	const struct opts *o = &c->o;

	if (c->nargs == 0)
		die_usage("no subcommand given (hash, encrypt or decrypt)");
	for (j->sub = SUB_HASH; j->sub < NSUBS; j->sub++)
		if (strcmp(c->args[0], subs[j->sub].name) == 0)
			break;
	if (j->sub == NSUBS)
		die_usage("unknown subcommand '%s' (hash, encrypt or decrypt)", c->args[0]);
	c->cmd = subs[j->sub].what;
	out_family(c->cmd, PROG " crypto --help");
	out_context(c->cmd, o->use_ioctl ? "ioctl" : "uring");
	if (c->nargs < 2)
		die_usage("no algorithm given");
	j->alg = c->args[1];
	if (!*j->alg || strlen(j->alg) >= UCRYPTO_NAME_MAX)
		die_usage("ALG must be 1 to %d characters", UCRYPTO_NAME_MAX - 1);
	parse_files(j);
	if (o->output && !*o->output)
		die_usage("--output needs a file name");
	if (j->sub == SUB_HASH && o->iv_hex)
		die_usage("--iv applies to encrypt and decrypt only");
	if (j->sub == SUB_HASH && o->aad_hex)
		die_usage("--aad applies to encrypt and decrypt only");
	if (j->sub == SUB_HASH && o->output)
		die_usage("--output applies to encrypt and decrypt only");
	if (j->sub != SUB_HASH && !o->nkeys)
		die_usage("needs a key: --key HEX, --key-file FILE or --key-fd N");
	if (o->key_fd == 0 && reads_stdin(j))
		die_usage("--key-fd 0 is standard input, which is the input too (give FILE)");
	key_read(o, UCRYPTO_MAX_KEY_SIZE, &j->key);
	if (o->iv_hex)
		unhex("--iv", o->iv_hex, UCRYPTO_MAX_KEY_SIZE, &j->iv);
	if (o->aad_hex)
		unhex("--aad", o->aad_hex, UCRYPTO_MAX_LEN, &j->aad);
}

/* ---- sessions ---- */

static int session(struct job *j, uint32_t type, const struct bytes *key, struct ucrypto_session *s)
{
	return ucmd_crypto_session_create(j->r, j->c->fd, j->alg, type, key ? key->p : NULL,
					  key ? (uint32_t)key->len : 0, 0, 0, s);
}

/* Whether the algorithm exists as @type: a session without key is created, or refused for the key. */
static bool exists_as(struct job *j, uint32_t type)
{
	int id = session(j, type, NULL, NULL);

	if (id > 0)
		ucmd_crypto_session_destroy(j->r, j->c->fd, (uint32_t)id);
	return id > 0 || id == -EINVAL || id == -ENOKEY;
}

/* Whether the algorithm is a hash that works without a key. */
static bool takes_no_key(struct job *j)
{
	int id = session(j, UCRYPTO_TYPE_HASH, NULL, NULL);

	if (id > 0)
		ucmd_crypto_session_destroy(j->r, j->c->fd, (uint32_t)id);
	return id > 0;
}

/* Explains why no session was created; exits 1. */
static _Noreturn void session_failed(struct job *j, int err)
{
	const char *alg = j->alg;

	if (err == -ENOENT) {
		if (j->sub == SUB_HASH &&
		    (exists_as(j, UCRYPTO_TYPE_SKCIPHER) || exists_as(j, UCRYPTO_TYPE_AEAD)))
			die(ENOENT,
			    "no such algorithm '%s' (it is a cipher: use " PROG
			    " crypto encrypt or decrypt)",
			    alg);
		if (j->sub != SUB_HASH && exists_as(j, UCRYPTO_TYPE_HASH))
			die(ENOENT,
			    "no such algorithm '%s' (it is a hash: use " PROG " crypto hash)", alg);
		die(ENOENT, "no such algorithm '%s'", alg);
	}
	if (err == -ENOKEY)
		die(ENOKEY, "'%s' needs a key (--key HEX, --key-file FILE or --key-fd N)", alg);
	if (err == -EINVAL && j->sub == SUB_HASH && j->key.len && takes_no_key(j))
		die(EINVAL, "'%s' takes no key (--key)", alg);
	if (err == -EINVAL && (j->key.len || j->sub != SUB_HASH))
		die(EINVAL, "'%s' refused the %zu-byte key: %s", alg, j->key.len, strerror(EINVAL));
	if (err == -EINVAL)
		die(EINVAL, "'%s': %s", alg, strerror(EINVAL));
	die(-err, "creating a session for '%s': %s", alg, strerror(-err));
}

/* Opens the device, checks it is ucrypto and creates the session; checks the IV against it. */
static void start(struct job *j)
{
	struct ctx *c = j->c;
	int ret;

	c->fd = dev_open(c->o.dev, dev_name(UCRYPTO_DEVICE), false, NULL,
			 " (is the ucrypto module loaded?)");
	if (c->o.fixed && c->o.use_ioctl)
		die_usage("--fixed needs io_uring (not --ioctl)");
	if (!c->o.use_ioctl) {
		ret = ring_open(c, 4, 0, true); /* falls back to ioctl where io_uring is disabled */
		if (ret < 0)
			die(-ret, "io_uring setup: %s", strerror(-ret));
		if (c->have_ring)
			j->r = &c->ring;
	}
	if (j->sub == SUB_HASH) {
		j->id = session(j, UCRYPTO_TYPE_HASH, &j->key, &j->s);
	} else {
		j->id = session(j, UCRYPTO_TYPE_SKCIPHER, &j->key, &j->s);
		if (j->id == -ENOENT)
			j->id = session(j, UCRYPTO_TYPE_AEAD, &j->key, &j->s);
	}
	if (j->id < 0)
		session_failed(j, j->id);
	if (j->sub == SUB_HASH && j->s.digest_size == 0)
		die(EPROTO, "'%s': the device reports a digest of 0 bytes", j->alg);
	j->aead = j->s.type == UCRYPTO_TYPE_AEAD;
	if (j->sub == SUB_HASH)
		return;
	if (j->s.iv_size && !j->iv.set)
		die_usage("'%s' needs --iv HEX of %u bytes", j->alg, j->s.iv_size);
	if (j->iv.set && !j->s.iv_size)
		die_usage("--iv: '%s' takes no IV", j->alg);
	if (j->iv.set && j->iv.len != j->s.iv_size)
		die_usage("--iv: '%s' takes a %u-byte IV, not %zu bytes", j->alg, j->s.iv_size,
			  j->iv.len);
	if (j->aad.set && !j->aead)
		die_usage("--aad applies to AEAD algorithms such as gcm(aes), not '%s'", j->alg);
	if (j->aead)
		j->tag_len = j->s.tag_len;
}

/* ---- the operation ---- */

/* --fixed: @op's data lies in the @len bytes at @buf, registered for this operation. */
static int call_fixed(struct job *j, struct ucrypto_op *op, uint8_t *buf, size_t len)
{
	struct iovec iov = { buf, len ? len : 1 };
	int ret = io_uring_register_buffers(j->r, &iov, 1);

	if (ret < 0)
		die(-ret, "registering a buffer with io_uring: %s", strerror(-ret));
	ret = ucmd_crypto_call_fixed(j->r, j->c->fd, subs[j->sub].cmd, op, 0);
	io_uring_unregister_buffers(j->r);
	return ret;
}

uint8_t *crypto_operate(struct job *j, uint8_t *in, size_t in_len, size_t *out_len)
{
	struct ucrypto_op op;
	size_t len = in_len, at = 0; /* at: where the output starts in out */
	uint8_t *out, *src = in;
	int ret;

	if (j->sub == SUB_DECRYPT && j->aead) {
		if (in_len < j->tag_len)
			die(EINVAL,
			    "%s: %zu bytes, shorter than the %u-byte tag that ends the input",
			    strcmp(j->file, "-") ? j->file : "standard input", in_len, j->tag_len);
		len -= j->tag_len;
	}
	if (j->sub == SUB_HASH)
		*out_len = j->s.digest_size;
	else
		*out_len = len + (j->sub == SUB_ENCRYPT ? j->tag_len : 0);
	if (j->c->o.fixed) {
		/* One buffer for both: the input copied in, the output after it. */
		at = (in_len + 63) & ~(size_t)63;
		out = out_buffer(at + *out_len);
		src = memcpy(out, in, in_len);
	} else {
		out = out_buffer(*out_len);
	}

	memset(&op, 0, sizeof(op));
	op.session = (uint32_t)j->id;
	op.src = (uint64_t)(uintptr_t)src;
	op.dst = (uint64_t)(uintptr_t)(out + at);
	op.len = (uint32_t)len;
	if (j->iv.set)
		op.iv = (uint64_t)(uintptr_t)j->iv.p;
	if (j->aad.len) {
		op.aad = (uint64_t)(uintptr_t)j->aad.p;
		op.aad_len = (uint32_t)j->aad.len;
	}
	if (j->aead) /* encrypt: after the ciphertext; decrypt: after it in the input */
		op.tag = (uint64_t)(uintptr_t)(j->sub == SUB_ENCRYPT ? out + at + len : in + len);
	if (j->c->o.fixed)
		ret = call_fixed(j, &op, out, at + *out_len);
	else
		ret = ucmd_crypto_call(j->r, j->c->fd, subs[j->sub].cmd, &op);
	if (ret == -EBADMSG)
		die(EBADMSG, "authentication failed: the tag does not match (wrong key, IV or AAD, "
			     "or altered input); nothing written");
	if (ret == -EINVAL && j->sub != SUB_HASH && j->s.block_size > 1 && len % j->s.block_size)
		die(EINVAL,
		    "%s (the input is %zu bytes, not a multiple of the %u-byte block of '%s')",
		    strerror(EINVAL), len, j->s.block_size, j->alg);
	if (ret < 0)
		die(-ret, "%s", strerror(-ret));
	if ((size_t)ret != (j->sub == SUB_HASH ? *out_len : len))
		die(EPROTO, "unexpected result %d", ret);
	if (at)
		memmove(out, out + at, *out_len);
	return out;
}

/* The result of encrypt or decrypt: the output bytes, or a JSON record of them. */
static void report(struct job *j, const uint8_t *out, size_t out_len)
{
	const struct opts *o = &j->c->o;
	struct rec r;

	if (!o->json) {
		write_output(o->output, out, out_len);
		return;
	}
	if (o->output)
		write_output(o->output, out, out_len);
	rec_begin(&r, true, j->c->cmd, o->use_ioctl ? "ioctl" : "uring");
	rec_str(&r, "alg", j->alg);
	rec_str(&r, "file", j->file);
	rec_u64(&r, "bytes", out_len);
	if (j->aead)
		rec_u64(&r, "tag_len", j->tag_len);
	if (o->output)
		rec_str(&r, "output", o->output);
	else
		rec_hex(&r, "data", out, out_len);
	rec_end(&r);
	if (fflush(stdout) || ferror(stdout))
		die(errno, "standard output: %s", strerror(errno));
}

int cmd_crypto(struct ctx *c)
{
	static struct job j;
	uint8_t *in, *out;
	size_t in_len, out_len;
	int ret;

	j.c = c;
	parse_sub(&j);
	start(&j);
	if (j.sub == SUB_HASH) {
		ret = crypto_hash(&j);
		ucmd_crypto_session_destroy(j.r, c->fd, (uint32_t)j.id);
		release_held();
		return ret;
	}
	if (crypto_streams(&j)) {
		ret = crypto_cipher_streamed(&j);
		ucmd_crypto_session_destroy(j.r, c->fd, (uint32_t)j.id);
		release_held();
		return ret;
	}
	/* An AEAD's ciphertext carries the tag: up to tag_len more bytes of input. */
	in = read_input(j.file, j.sub == SUB_DECRYPT ? j.tag_len : 0, &in_len);
	out = crypto_operate(&j, in, in_len, &out_len);
	report(&j, out, out_len);
	ucmd_crypto_session_destroy(j.r, c->fd, (uint32_t)j.id);
	release_held();
	return EXIT_OK;
}
