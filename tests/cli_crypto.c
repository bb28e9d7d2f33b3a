// SPDX-License-Identifier: GPL-2.0
/* cli_crypto.c - ucmdctl crypto hashes and encrypts files as the published vectors say and sha256sum prints and checks them, over ioctl and io_uring, with keys from hex, files and descriptors and --json output, and refuses bad input and devices that are not ucrypto clearly. */
#include <ctype.h>
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

static char tool[PATH_MAX];
static char dir[256]; /* the test's own directory under $TMPDIR or /tmp */

/* ---- running ucmdctl ---- */

struct result {
	int status; /* exit code, or 128 + signal, or -1 on timeout */
	size_t out_len;
	uint8_t out[8192]; /* NUL-terminated too: text or binary */
	char err[8192];
};

/*
 * Runs ucmdctl @args (NULL-terminated).  Standard input is a pipe fed with
 * @in_len bytes at @in by a child of its own, or /dev/null if @in is NULL.
 */
static void run(struct result *r, const void *in, size_t in_len, const char *const *args)
{
	int inp[2] = { -1, -1 };
	const char *argv[32];
	pid_t writer = -1;
	int n = 0;

	argv[n++] = "ucmdctl";
	while (*args && n < 31)
		argv[n++] = *args++;
	argv[n] = NULL;
	if (in && pipe(inp))
		t_bail("pipe: %s", strerror(errno));
	if (in) {
		writer = t_fork();
		if (writer == 0) {
			const uint8_t *p = in;

			signal(SIGPIPE, SIG_IGN); /* ucmdctl may stop reading early */
			close(inp[0]);
			while (in_len) {
				ssize_t w = write(inp[1], p, in_len);

				if (w <= 0)
					_exit(0);
				p += w;
				in_len -= (size_t)w;
			}
			_exit(0);
		}
	}
	/* Only the writer keeps the write end: ucmdctl sees EOF when it is done. */
	if (in)
		close(inp[1]);
	r->status = t_run(tool, argv, in ? inp[0] : -1, -1, r->out, sizeof(r->out), &r->out_len,
			  r->err, sizeof(r->err), 120);
	if (in)
		close(inp[0]);
	if (writer > 0) {
		kill(writer, SIGKILL);
		waitpid(writer, NULL, 0);
	}
}

#define CRYPTO(r, in, in_len, ...) \
	run((r), (in), (in_len), (const char *const[]){ "crypto", __VA_ARGS__, NULL })

static void show(const struct result *r)
{
	t_diag("  exit %d", r->status);
	if (r->out_len)
		t_diag("  stdout (%zu bytes): %.300s", r->out_len, (const char *)r->out);
	if (*r->err)
		t_diag("  stderr: %.600s", r->err);
}

/* Exit 0, nothing on stderr, and exactly @want on stdout. */
static bool out_is(const struct result *r, const char *want)
{
	return r->status == 0 && !*r->err && r->out_len == strlen(want) &&
	       memcmp(r->out, want, r->out_len) == 0;
}

/* Exactly @want on stdout, whatever the status and stderr. */
static bool out_is_text(const struct result *r, const char *want)
{
	return r->out_len == strlen(want) && memcmp(r->out, want, r->out_len) == 0;
}

static bool out_bytes(const struct result *r, const uint8_t *want, size_t len)
{
	return r->status == 0 && !*r->err && r->out_len == len && memcmp(r->out, want, len) == 0;
}

/* Exit @status, nothing on stdout, one line on stderr equal to @want (or containing it). */
static bool err_is(const struct result *r, int status, const char *want, bool exact)
{
	return r->status == status && r->out_len == 0 && t_count_lines(r->err) == 1 &&
	       (exact ? strcmp(r->err, want) == 0 : strstr(r->err, want) != NULL);
}

/* Exit @status and exactly one JSON object on stdout, parsed into @o. */
static bool json_is(const struct result *r, int status, struct t_jobj *o)
{
	return r->status == status && r->out_len > 0 && r->out[r->out_len - 1] == '\n' &&
	       t_count_lines((const char *)r->out) == 1 &&
	       t_jparse((const char *)r->out, r->out_len - 1, o);
}

/* ---- files ---- */

static const char *path(const char *name)
{
	static char bufs[8][PATH_MAX];
	static int next;
	char *p = bufs[next++ % 8];

	snprintf(p, PATH_MAX, "%s/%s", dir, name);
	return p;
}

static const char *put(const char *name, const void *data, size_t len)
{
	const char *p = path(name);
	FILE *f = fopen(p, "wb");

	if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f))
		t_bail("%s: %s", p, strerror(errno));
	return p;
}

/* Reads @name into a new buffer; NULL if it does not exist. */
static uint8_t *get(const char *name, size_t *len)
{
	FILE *f = fopen(path(name), "rb");
	uint8_t *buf;

	if (!f) {
		if (errno != ENOENT)
			t_bail("%s: %s", path(name), strerror(errno));
		return NULL;
	}
	buf = malloc(UCRYPTO_MAX_LEN + 2);
	if (!buf)
		t_bail("out of memory");
	*len = fread(buf, 1, UCRYPTO_MAX_LEN + 1, f);
	fclose(f);
	return buf;
}

static bool file_is(const char *name, const uint8_t *want, size_t len)
{
	size_t got_len = 0;
	uint8_t *got = get(name, &got_len);
	bool ok = got && got_len == len && memcmp(got, want, len) == 0;

	if (!ok)
		t_diag("  %s: %s, %zu bytes (want %zu)", name, got ? "differs" : "missing", got_len,
		       len);
	free(got);
	return ok;
}

static bool exists(const char *name)
{
	struct stat st;

	return stat(path(name), &st) == 0;
}

/* ---- vectors (see ucrypto_vectors.c for their sources) ---- */

#define SHA256_ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define SHA256_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define SHA256_MILLION_A "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
/* sha256sum of 1048576 zero bytes (GNU coreutils), the most one operation takes. */
#define SHA256_1MIB_ZERO "30e14955ebf1352266dc2ff8067e68104607e750abb9d3b36582b8af909fcb58"
#define SHA1_ABC "a9993e364706816aba3e25717850c26c9cd0d89d"

#define AES128_KEY "2b7e151628aed2a6abf7158809cf4f3c"
#define SP800_38A_PT                                                       \
	"6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51" \
	"30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710"
#define CBC_IV "000102030405060708090a0b0c0d0e0f"
#define CBC_CT                                                             \
	"7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2" \
	"73bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7"
#define CTR_IV "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"
#define CTR_CT                                                             \
	"874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff" \
	"5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee"

#define GCM_KEY "feffe9928665731c6d6a8f9467308308"
#define GCM_IV "cafebabefacedbaddecaf888"
#define GCM_AAD "feedfacedeadbeeffeedfacedeadbeefabaddad2"
#define GCM_T4 "5bc94fbc3221a5db94fae95ae7121a47" /* test case 4: P3, C3 cut to 60 bytes */
#define GCM_T2 "ab6e47d42cec13bdf53a67b21257bddf" /* test case 2: 16 zero bytes */
#define GCM_C2 "0388dace60b6a392f328c2b971b2fe78"
#define ZERO16 "00000000000000000000000000000000"

static uint8_t *unhex_new(const char *hex, size_t *len)
{
	uint8_t *b = malloc(strlen(hex) / 2 + 1);

	if (!b)
		t_bail("out of memory");
	*len = t_unhex(hex, b);
	return b;
}

/* Whether the kernel has @alg (with a key of the right size): else its checks are skipped. */
static bool have(const char *alg, uint32_t type, const char *key_hex)
{
	uint8_t key[64];
	size_t klen = t_unhex(key_hex, key);
	int fd = ucmd_open(UCRYPTO_DEVICE, O_RDWR);
	bool ok;

	if (fd < 0)
		t_bail("%s: %s", UCRYPTO_DEVICE, strerror(-fd));
	ok = t_crypto_have_alg(fd, alg, type, key, (uint32_t)klen);
	close(fd);
	if (!ok)
		t_skip("not in this kernel", "%s checks", alg);
	return ok;
}

/* ---- checks without the device ---- */

static void usage_errors(void)
{
	static const char *const cases[][7] = {
		{ "crypto" },
		{ "crypto", "bogus", "sha256" },
		{ "crypto", "hash" },
		{ "crypto", "hash", "sha256", "--iv", "00" },
		{ "crypto", "hash", "sha256", "--aad", "00" },
		{ "crypto", "hash", "sha256", "-o", "x" },
		{ "crypto", "encrypt", "cbc(aes)", "--key", "00", "a", "b" },
		{ "crypto", "hash", "sha256", "--quiet" },
		{ "crypto", "encrypt", "cbc(aes)", "--key", "00", "-c" },
		{ "crypto", "hash", "sha256", "--frob" },
		{ "crypto", "hash", "sha256", "--key" },
		{ "crypto", "hash", "sha256", "--dev" },
		{ "crypto", "hash", "" },
		{ "crypto", "encrypt", "cbc(aes)" },
		{ "crypto", "decrypt", "gcm(aes)", "--iv", "00" },
		{ "crypto", "encrypt", "cbc(aes)", "--key", "xy" },
		{ "crypto", "encrypt", "cbc(aes)", "--key", "000", "--iv", "00" },
		{ "crypto", "encrypt", "cbc(aes)", "--key", "00", "--iv", "0 1" },
		{ "crypto", "encrypt", "cbc(aes)", "--key", "00", "--aad", "zz" },
		{ "crypto", "hash", "hmac(sha256)", "--key", "00", "--key-file", "k" },
		{ "crypto", "hash", "sha256", "--key-fd", "x" },
		{ "crypto", "hash", "sha256", "--key-fd", "0" },
		{ "crypto", "hash", "sha256", "--key-fd" },
		{ "crypto", "hash", "sha256", "--read-only" },
		{ "crypto", "hash", "sha256", "--tag", "1" },
	};
	struct result *r = malloc(sizeof(*r));
	char big_key[2 * UCRYPTO_MAX_KEY_SIZE + 3];

	if (!r)
		t_bail("out of memory");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *const *a = cases[i];
		char desc[160] = "ucmdctl";

		for (int k = 0; k < 7 && a[k]; k++)
			snprintf(desc + strlen(desc), sizeof(desc) - strlen(desc), " '%s'", a[k]);
		run(r, NULL, 0, a);
		if (!t_ok(r->status == 2 && t_count_lines(r->err) == 1 &&
				  strncmp(r->err, "ucmdctl: ", 9) == 0 && r->out_len == 0,
			  "usage error: %s -> exit 2, one line on stderr, nothing on stdout", desc))
			show(r);
	}

	CRYPTO(r, NULL, 0, "encrypt", "cbc(aes)", "--key", "0g", "--iv", CBC_IV);
	if (!t_ok(err_is(r, 2,
			 "ucmdctl: crypto encrypt: --key: '0g' is not hex (bad digit at "
			 "position 2) (see ucmdctl crypto --help)\n",
			 true),
		  "--key 0g -> exit 2, 'is not hex (bad digit at position 2)'"))
		show(r);
	CRYPTO(r, NULL, 0, "hash", "hmac(sha256)", "--key", "abc");
	t_ok(err_is(r, 2, "--key: 'abc' is not hex (an odd number of digits)", false),
	     "--key abc -> exit 2, 'an odd number of digits'");
	CRYPTO(r, NULL, 0, "encrypt", "ctr(aes)", "--iv", CTR_IV);
	if (!t_ok(err_is(r, 2,
			 "ucmdctl: crypto encrypt: needs a key: --key HEX, --key-file FILE or "
			 "--key-fd N (see ucmdctl crypto --help)\n",
			 true),
		  "encrypt without a key -> exit 2, 'needs a key: --key HEX, --key-file FILE or "
		  "--key-fd N'"))
		show(r);
	memset(big_key, 'a', sizeof(big_key) - 1);
	big_key[sizeof(big_key) - 1] = '\0';
	CRYPTO(r, NULL, 0, "hash", "hmac(sha256)", "--key", big_key);
	t_ok(err_is(r, 2, "--key: 513 bytes, at most 512", false),
	     "a 513-byte --key -> exit 2, 'at most 512'");

	CRYPTO(r, NULL, 0, "--help");
	if (!t_ok(r->status == 0 && !*r->err &&
			  strstr((char *)r->out, "usage: ucmdctl crypto hash ALG") &&
			  strstr((char *)r->out, "1048576 bytes") &&
			  strstr((char *)r->out, "--ioctl"),
		  "crypto --help -> exit 0, the usage on stdout"))
		show(r);
	run(r, NULL, 0, (const char *const[]){ "--help", NULL });
	t_ok(r->status == 0 && strstr((char *)r->out, "crypto --help"),
	     "ucmdctl --help points at 'ucmdctl crypto --help'");

	for (int i = 0; i < 2; i++) {
		const char *p = i ? "--uring" : "--ioctl";

		CRYPTO(r, NULL, 0, "hash", "sha256", p, "--dev", "/nonexistent/ucrypto",
		       put("abc", "abc", 3));
		if (!t_ok(err_is(r, 1,
				 "ucmdctl: crypto hash: /nonexistent/ucrypto: No such file or "
				 "directory (is the ucrypto module loaded?)\n",
				 true),
			  "%s: a missing device -> exit 1 and one clear line", p))
			show(r);
	}
	free(r);
}

/* Devices that are not ucrypto, --version, options before 'crypto': need sysfs, not ucrypto. */
static void refusals(void)
{
	struct result *r = malloc(sizeof(*r));
	const char *abc = put("abc", "abc", 3);
	struct t_jobj o;
	struct stat st;

	if (!r)
		t_bail("out of memory");
	CRYPTO(r, NULL, 0, "--version");
	t_ok(out_is(r, "ucmdctl " UCMD_VERSION "\n"), "crypto --version -> 'ucmdctl %s'",
	     UCMD_VERSION);
	if (stat("/sys/dev/char/1:3", &st) < 0) {
		t_skip("no /sys/dev/char", "refusing /dev/null");
		free(r);
		return;
	}
	for (int i = 0; i < 2; i++) {
		const char *p = i ? "--uring" : "--ioctl";

		CRYPTO(r, NULL, 0, "hash", "sha256", p, "--dev", "/dev/null", abc);
		if (!t_ok(err_is(r, 1,
				 "ucmdctl: crypto hash: /dev/null is not a ucmd device (no "
				 "/sys/dev/char/1:3/ucmd)\n",
				 true),
			  "%s: hash sha256 --dev /dev/null FILE -> exit 1, 'is not a ucmd device', "
			  "no digest",
			  p))
			show(r);
	}
	run(r, NULL, 0,
	    (const char *const[]){ "--json", "crypto", "--dev=/dev/null", "hash", "sha256", abc,
				   NULL });
	if (!t_ok(json_is(r, 1, &o) && t_jstr(&o, "cmd", "crypto hash") &&
			  t_jstr(&o, "error", "ENODEV") && t_jnum(&o, "result", -ENODEV),
		  "--json crypto --dev=/dev/null hash -> exit 1, a JSON record with ENODEV"))
		show(r);
	CRYPTO(r, NULL, 0, "encrypt", "ctr(aes)", "--key", AES128_KEY, "--iv", CTR_IV, "--dev",
	       "/dev/null", "-o", path("null.out"), abc);
	t_ok(err_is(r, 1, "is not a ucmd device", false) && !exists("null.out"),
	     "encrypt --dev /dev/null -> exit 1, no output file");
	if (stat(t_dev_path(), &st) == 0) {
		CRYPTO(r, NULL, 0, "hash", "sha256", "--dev", t_dev_path(), abc);
		if (!t_ok(err_is(r, 1, " is the ucmd device 'ucmd-demo', not ucrypto\n", false),
			  "hash --dev %s -> exit 1, 'is the ucmd device 'ucmd-demo', not ucrypto'",
			  t_dev_path()))
			show(r);
	} else {
		t_skip("no demo device", "refusing another ucmd device");
	}
	free(r);
}

/* ---- checks on the device, over @p ("--ioctl" or "--uring") ---- */

/* --key-file and --key-fd give what the same key in hex gives; their errors. */
static void keys(struct result *r, const char *p)
{
	static const char jefe_mac[] =
		"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
	const char *msg = put("msg", "what do ya want for nothing?", 28);
	const char *kf = put("jefe.key", "Jefe", 4);
	char want[PATH_MAX + 100], big[UCRYPTO_MAX_KEY_SIZE + 1];
	size_t klen;
	uint8_t *key = unhex_new(AES128_KEY, &klen), *pt, *ct;
	size_t pt_len, ct_len;

	snprintf(want, sizeof(want), "%s  %s\n", jefe_mac, msg);
	CRYPTO(r, NULL, 0, "hash", "hmac(sha256)", p, "--key", "4a656665", msg);
	t_ok(out_is(r, want), "%s: hmac(sha256) --key 4a656665 FILE -> RFC 4231 case 2", p);
	CRYPTO(r, NULL, 0, "hash", "hmac(sha256)", p, "--key-file", kf, msg);
	if (!t_ok(out_is(r, want), "%s: --key-file of 'Jefe' -> the same output", p))
		show(r);
	CRYPTO(r, "Jefe", 4, "hash", "hmac(sha256)", p, "--key-fd", "0", msg);
	if (!t_ok(out_is(r, want), "%s: --key-fd 0 fed 'Jefe' -> the same output", p))
		show(r);
	CRYPTO(r, NULL, 0, "hash", "hmac(sha256)", p, "--key-file", put("empty.key", "", 0), msg);
	t_ok(err_is(r, 2, ": empty, no key", false), "%s: an empty --key-file -> exit 2", p);
	memset(big, 'k', sizeof(big));
	CRYPTO(r, NULL, 0, "hash", "hmac(sha256)", p, "--key-file",
	       put("big.key", big, sizeof(big)), msg);
	t_ok(err_is(r, 2, ": more than 512 bytes, the longest key", false),
	     "%s: a 513-byte --key-file -> exit 2", p);
	CRYPTO(r, NULL, 0, "hash", "hmac(sha256)", p, "--key-file", path("no.key"), msg);
	t_ok(err_is(r, 1, "no.key: No such file or directory", false),
	     "%s: a missing --key-file -> exit 1", p);

	if (have("cbc(aes)", UCRYPTO_TYPE_SKCIPHER, AES128_KEY)) {
		pt = unhex_new(SP800_38A_PT, &pt_len);
		ct = unhex_new(CBC_CT, &ct_len);
		CRYPTO(r, key, klen, "encrypt", "cbc(aes)", "--key-fd", "0", "--iv", CBC_IV, p,
		       put("pt", pt, pt_len));
		if (!t_ok(out_bytes(r, ct, ct_len),
			  "%s: encrypt cbc(aes) --key-fd 0 -> the SP 800-38A F.2.1 ciphertext", p))
			show(r);
		CRYPTO(r, NULL, 0, "decrypt", "cbc(aes)", "--key-file", put("aes.key", key, klen),
		       "--iv", CBC_IV, p, put("cbc.ct", ct, ct_len));
		t_ok(out_bytes(r, pt, pt_len), "%s: decrypt cbc(aes) --key-file -> the plaintext",
		     p);
		free(pt);
		free(ct);
	}
	free(key);
}

/* --json of each subcommand: one well-formed object with the result, or with the error. */
static void json(struct result *r, const char *p)
{
	const char *abc = put("abc", "abc", 3);
	size_t pt_len;
	uint8_t *pt = unhex_new(SP800_38A_PT, &pt_len);
	struct t_jobj o;

	CRYPTO(r, NULL, 0, "hash", "--json", "sha256", p, abc);
	if (!t_ok(json_is(r, 0, &o) && t_jstr(&o, "cmd", "crypto hash") &&
			  t_jstr(&o, "alg", "sha256") && t_jstr(&o, "file", abc) &&
			  t_jstr(&o, "digest", SHA256_ABC) && !*r->err,
		  "%s: hash --json -> {cmd, path, alg, file, digest}", p))
		show(r);
	CRYPTO(r, NULL, 0, "hash", "--json", "nosuchalg", p, abc);
	if (!t_ok(json_is(r, 1, &o) && t_jstr(&o, "error", "ENOENT") &&
			  t_jstr(&o, "message", "crypto hash: no such algorithm 'nosuchalg'") &&
			  t_count_lines(r->err) == 1,
		  "%s: hash --json nosuchalg -> exit 1, a JSON error record", p))
		show(r);
	if (!have("ctr(aes)", UCRYPTO_TYPE_SKCIPHER, AES128_KEY))
		goto out;
	CRYPTO(r, pt, pt_len, "encrypt", "ctr(aes)", "--json", p, "--key", AES128_KEY, "--iv",
	       CTR_IV);
	if (!t_ok(json_is(r, 0, &o) && t_jstr(&o, "cmd", "crypto encrypt") &&
			  t_jnum(&o, "bytes", 64) && t_jstr(&o, "data", CTR_CT),
		  "%s: encrypt --json -> the F.5.1 ciphertext as hex in 'data'", p))
		show(r);
	CRYPTO(r, NULL, 0, "encrypt", "ctr(aes)", "--json", p, "--key", AES128_KEY, "--iv", CTR_IV,
	       "-o", path("ctr.json.out"), put("pt", pt, pt_len));
	t_ok(json_is(r, 0, &o) && t_jstr(&o, "output", path("ctr.json.out")) &&
		     t_jnum(&o, "bytes", 64) && !t_jget(&o, "data") && exists("ctr.json.out"),
	     "%s: encrypt --json -o OUT -> the record names OUT, the bytes are in OUT", p);
	CRYPTO(r, NULL, 0, "decrypt", "ctr(aes)", p, "--key", AES128_KEY, "--iv", CTR_IV, "--json",
	       path("ctr.json.out"));
	t_ok(json_is(r, 0, &o) && t_jstr(&o, "cmd", "crypto decrypt") &&
		     t_jstr(&o, "data", SP800_38A_PT),
	     "%s: decrypt --json -> the plaintext as hex", p);
out:
	free(pt);
}

/* Options before 'crypto' and anywhere after it. */
static void any_order(struct result *r, const char *p)
{
	run(r, "abc", 3, (const char *const[]){ p, "crypto", "hash", "sha256", NULL });
	if (!t_ok(out_is(r, SHA256_ABC "  -\n"), "%s crypto hash sha256 -> its digest", p))
		show(r);
	run(r, "abc", 3,
	    (const char *const[]){ "--dev", UCRYPTO_DEVICE, "crypto", p, "hash", "--", "sha256",
				   "-", NULL });
	t_ok(out_is(r, SHA256_ABC "  -\n"), "--dev D crypto %s hash -- sha256 - -> its digest", p);
}

static void hashes(struct result *r, const char *p)
{
	const char *abc = put("abc", "abc", 3);
	char want[PATH_MAX + 100];
	uint8_t *m;

	CRYPTO(r, NULL, 0, "hash", "sha256", p, abc);
	snprintf(want, sizeof(want), SHA256_ABC "  %s\n", abc);
	if (!t_ok(out_is(r, want), "%s: hash sha256 FILE -> FIPS 180 digest of 'abc'  FILE", p))
		show(r);
	CRYPTO(r, "abc", 3, "hash", p, "sha256");
	if (!t_ok(out_is(r, SHA256_ABC "  -\n"), "%s: hash sha256 of standard input -> '...  -'",
		  p))
		show(r);
	CRYPTO(r, "abc", 3, "hash", "sha1", "-", p);
	t_ok(out_is(r, SHA1_ABC "  -\n"), "%s: hash sha1 - -> FIPS 180 digest of 'abc'", p);
	CRYPTO(r, NULL, 0, p, "hash", "sha256", put("empty", "", 0));
	snprintf(want, sizeof(want), SHA256_EMPTY "  %s\n", path("empty"));
	t_ok(out_is(r, want), "%s: hash sha256 of an empty file", p);

	m = malloc(1000000);
	if (!m)
		t_bail("out of memory");
	memset(m, 'a', 1000000);
	CRYPTO(r, m, 1000000, "hash", "sha256", p);
	if (!t_ok(out_is(r, SHA256_MILLION_A "  -\n"),
		  "%s: hash sha256 of one million 'a' through a pipe", p))
		show(r);
	free(m);

	if (have("crc32c", UCRYPTO_TYPE_HASH, "")) {
		uint8_t zeros[32] = { 0 };

		CRYPTO(r, NULL, 0, "hash", "crc32c", p, put("zeros32", zeros, 32));
		snprintf(want, sizeof(want), "aa36918a  %s\n", path("zeros32"));
		if (!t_ok(out_is(r, want), "%s: hash crc32c of 32 zero bytes -> RFC 3720 aa36918a",
			  p))
			show(r);
	}

	CRYPTO(r, "what do ya want for nothing?", 28, "hash", "hmac(sha256)", "--key", "4a656665",
	       p);
	if (!t_ok(out_is(r,
			 "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843  -\n"),
		  "%s: hash hmac(sha256) --key 4a656665 -> RFC 4231 case 2", p))
		show(r);
	CRYPTO(r, "Hi There", 8, "hash", p, "--key=0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
	       "hmac(sha256)");
	t_ok(out_is(r, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7  -\n"),
	     "%s: hash hmac(sha256) --key=0b... -> RFC 4231 case 1", p);

	CRYPTO(r, "abc", 3, "hash", "hmac(sha256)", p);
	if (!t_ok(err_is(r, 1,
			 "ucmdctl: crypto hash: 'hmac(sha256)' needs a key (--key HEX, "
			 "--key-file FILE or --key-fd N)\n",
			 true),
		  "%s: hmac(sha256) without --key -> exit 1, 'needs a key'", p))
		show(r);
	CRYPTO(r, "abc", 3, "hash", "sha256", "--key", "00", p);
	if (!t_ok(err_is(r, 1, "ucmdctl: crypto hash: 'sha256' takes no key (--key)\n", true),
		  "%s: sha256 with --key -> exit 1, 'takes no key'", p))
		show(r);
	CRYPTO(r, "abc", 3, "hash", "nosuchalg", p);
	if (!t_ok(err_is(r, 1, "ucmdctl: crypto hash: no such algorithm 'nosuchalg'\n", true),
		  "%s: hash nosuchalg -> exit 1, 'no such algorithm'", p))
		show(r);
}

static void ciphers(struct result *r, const char *p)
{
	size_t pt_len, cbc_len, ctr_len;
	uint8_t *pt = unhex_new(SP800_38A_PT, &pt_len), *cbc = unhex_new(CBC_CT, &cbc_len);
	uint8_t *ctr = unhex_new(CTR_CT, &ctr_len), *zeros, *enc;
	size_t enc_len = 0;
	bool ok;

	if (!have("cbc(aes)", UCRYPTO_TYPE_SKCIPHER, AES128_KEY))
		goto ctr_checks;
	put("pt", pt, pt_len);
	CRYPTO(r, NULL, 0, "encrypt", "cbc(aes)", "--key", AES128_KEY, "--iv", CBC_IV, p, "-o",
	       path("cbc.out"), path("pt"));
	ok = r->status == 0 && r->out_len == 0 && !*r->err;
	if (!t_ok(ok && file_is("cbc.out", cbc, cbc_len),
		  "%s: encrypt cbc(aes) -o OUT -> SP 800-38A F.2.1 ciphertext in OUT", p))
		show(r);
	CRYPTO(r, NULL, 0, "decrypt", "cbc(aes)", "--key", AES128_KEY, "--iv", CBC_IV, p,
	       put("cbc.ct", cbc, cbc_len));
	if (!t_ok(out_bytes(r, pt, pt_len),
		  "%s: decrypt cbc(aes) FILE -> the F.2.1 plaintext on stdout", p))
		show(r);

	CRYPTO(r, pt, pt_len, "encrypt", "cbc(aes)", "--key", AES128_KEY, "--iv",
	       "0001020304050607", p);
	if (!t_ok(err_is(r, 2,
			 "ucmdctl: crypto encrypt: --iv: 'cbc(aes)' takes a 16-byte IV, not 8 "
			 "bytes (see ucmdctl crypto --help)\n",
			 true),
		  "%s: cbc(aes) with an 8-byte IV -> exit 2, 'takes a 16-byte IV, not 8 bytes'", p))
		show(r);
	CRYPTO(r, pt, pt_len, "encrypt", "cbc(aes)", "--key", AES128_KEY, p);
	t_ok(err_is(r, 2, "'cbc(aes)' needs --iv HEX of 16 bytes", false),
	     "%s: cbc(aes) without --iv -> exit 2, 'needs --iv HEX of 16 bytes'", p);
	CRYPTO(r, pt, pt_len, "encrypt", "cbc(aes)", "--key", AES128_KEY, "--iv", CBC_IV, "--aad",
	       "00", p);
	t_ok(err_is(r, 2, "--aad applies to AEAD algorithms", false),
	     "%s: cbc(aes) with --aad -> exit 2", p);
	CRYPTO(r, pt, 5, "encrypt", "cbc(aes)", "--key", AES128_KEY, "--iv", CBC_IV, p);
	if (!t_ok(err_is(r, 1,
			 "(the input is 5 bytes, not a multiple of the 16-byte block of "
			 "'cbc(aes)')\n",
			 false),
		  "%s: cbc(aes) of 5 bytes -> exit 1, 'not a multiple of the 16-byte block'", p))
		show(r);
	CRYPTO(r, pt, pt_len, "encrypt", "cbc(aes)", "--key", "2b7e151628aed2a6abf7158809cf4f",
	       "--iv", CBC_IV, p);
	t_ok(err_is(r, 1, "ucmdctl: crypto encrypt: 'cbc(aes)' refused the 15-byte key: ", false),
	     "%s: cbc(aes) with a 15-byte key -> exit 1, 'refused the 15-byte key'", p);
	CRYPTO(r, pt, pt_len, "encrypt", "nosuch(aes)", "--key", AES128_KEY, p);
	t_ok(err_is(r, 1, "ucmdctl: crypto encrypt: no such algorithm 'nosuch(aes)'\n", true),
	     "%s: encrypt nosuch(aes) -> exit 1, 'no such algorithm'", p);
	CRYPTO(r, pt, pt_len, "encrypt", "sha256", "--key", AES128_KEY, p);
	t_ok(err_is(r, 1, "no such algorithm 'sha256' (it is a hash: use ucmdctl crypto hash)",
		    false),
	     "%s: encrypt sha256 -> exit 1, 'it is a hash'", p);

ctr_checks:
	if (!have("ctr(aes)", UCRYPTO_TYPE_SKCIPHER, AES128_KEY))
		goto out;
	CRYPTO(r, pt, pt_len, "encrypt", "ctr(aes)", p, "--key", AES128_KEY, "--iv", CTR_IV);
	if (!t_ok(out_bytes(r, ctr, ctr_len),
		  "%s: encrypt ctr(aes) of standard input -> SP 800-38A F.5.1 ciphertext", p))
		show(r);
	CRYPTO(r, NULL, 0, "decrypt", "ctr(aes)", p, "--key", AES128_KEY, "--iv", CTR_IV, "-o",
	       path("ctr.pt"), put("ctr.ct", ctr, ctr_len));
	if (!t_ok(r->status == 0 && r->out_len == 0 && file_is("ctr.pt", pt, pt_len),
		  "%s: decrypt ctr(aes) -o OUT -> the F.5.1 plaintext", p))
		show(r);
	CRYPTO(r, pt, 17, "encrypt", "ctr(aes)", p, "--key", AES128_KEY, "--iv", CTR_IV);
	t_ok(out_bytes(r, ctr, 17), "%s: ctr(aes) of 17 bytes -> the first 17 bytes of F.5.1", p);

	/* The most one operation takes: 1 MiB of zeros encrypts to the keystream. */
	zeros = calloc(1, UCRYPTO_MAX_LEN + 1);
	if (!zeros)
		t_bail("out of memory");
	put("zero1m", zeros, UCRYPTO_MAX_LEN);
	CRYPTO(r, NULL, 0, "encrypt", "ctr(aes)", p, "--key", AES128_KEY, "--iv", CTR_IV,
	       "--output", path("zero1m.ct"), path("zero1m"));
	enc = get("zero1m.ct", &enc_len);
	ok = r->status == 0 && enc && enc_len == UCRYPTO_MAX_LEN;
	for (size_t i = 0; ok && i < 32; i++)
		ok = enc[i] == (pt[i] ^ ctr[i]);
	if (!t_ok(ok, "%s: ctr(aes) of 1048576 zero bytes -> 1 MiB starting with F.5.1's keystream",
		  p))
		show(r);
	CRYPTO(r, NULL, 0, "decrypt", "ctr(aes)", p, "--key", AES128_KEY, "--iv", CTR_IV,
	       "--output=" /* joined */, path("zero1m.pt"), path("zero1m.ct"));
	t_ok(r->status == 2, "%s: '--output=' (empty) -> exit 2", p);
	CRYPTO(r, NULL, 0, "decrypt", "ctr(aes)", p, "--key", AES128_KEY, "--iv", CTR_IV, "-o",
	       path("zero1m.pt"), path("zero1m.ct"));
	t_ok(r->status == 0 && file_is("zero1m.pt", zeros, UCRYPTO_MAX_LEN),
	     "%s: and decrypts back to 1 MiB of zeros", p);
	free(enc);
	free(zeros);
out:
	free(pt);
	free(cbc);
	free(ctr);
}

static void aeads(struct result *r, const char *p)
{
	size_t pt_len, ct_len, t_len, c2_len, all_len;
	uint8_t *pt = unhex_new(T_GCM_P3, &pt_len), *ct = unhex_new(T_GCM_C3, &ct_len);
	uint8_t *tag = unhex_new(GCM_T4, &t_len), *c2 = unhex_new(GCM_C2 GCM_T2, &c2_len);
	uint8_t zero16[16] = { 0 }, all[76], keep[] = "keep";

	if (!have("gcm(aes)", UCRYPTO_TYPE_AEAD, GCM_KEY))
		goto out;
	/* Test case 4: 60 bytes of P3 with AAD; the output is C || T. */
	pt_len = ct_len = 60;
	memcpy(all, ct, 60);
	memcpy(all + 60, tag, 16);
	all_len = 76;
	CRYPTO(r, NULL, 0, "encrypt", "gcm(aes)", p, "--key", GCM_KEY, "--iv", GCM_IV, "--aad",
	       GCM_AAD, "-o", path("gcm.ct"), put("gcm.pt", pt, pt_len));
	if (!t_ok(r->status == 0 && !*r->err && file_is("gcm.ct", all, all_len),
		  "%s: encrypt gcm(aes) --aad -> GCM test case 4 ciphertext followed by its tag",
		  p))
		show(r);
	CRYPTO(r, NULL, 0, "decrypt", "gcm(aes)", p, "--key", GCM_KEY, "--iv", GCM_IV, "--aad",
	       GCM_AAD, put("gcm.ct", all, all_len));
	if (!t_ok(out_bytes(r, pt, pt_len),
		  "%s: decrypt gcm(aes) of ciphertext||tag -> the test case 4 plaintext", p))
		show(r);
	CRYPTO(r, zero16, 16, "encrypt", "gcm(aes)", p, "--key", ZERO16, "--iv",
	       "000000000000000000000000");
	t_ok(out_bytes(r, c2, c2_len), "%s: encrypt gcm(aes) of stdin -> GCM test case 2 (C||T)",
	     p);

	all[75] ^= 1; /* the tag's last byte */
	unlink(path("gcm.bad"));
	CRYPTO(r, NULL, 0, "decrypt", "gcm(aes)", p, "--key", GCM_KEY, "--iv", GCM_IV, "--aad",
	       GCM_AAD, "-o", path("gcm.bad"), put("gcm.tampered", all, all_len));
	if (!t_ok(err_is(r, 1,
			 "ucmdctl: crypto decrypt: authentication failed: the tag does not "
			 "match (wrong key, IV or AAD, or altered input); nothing written\n",
			 true),
		  "%s: decrypt gcm(aes) with a tampered tag -> exit 1, 'authentication failed'", p))
		show(r);
	t_ok(!exists("gcm.bad"), "%s: ... and no output file", p);
	put("gcm.keep", keep, 4);
	CRYPTO(r, NULL, 0, "decrypt", "gcm(aes)", p, "--key", GCM_KEY, "--iv", GCM_IV, "--aad",
	       GCM_AAD, "-o", path("gcm.keep"), path("gcm.tampered"));
	t_ok(r->status == 1 && file_is("gcm.keep", keep, 4),
	     "%s: ... and an existing OUT is left as it was", p);
	CRYPTO(r, all, all_len, "decrypt", "gcm(aes)", p, "--key", GCM_KEY, "--iv", GCM_IV, "--aad",
	       GCM_AAD);
	t_ok(err_is(r, 1, "authentication failed", false) && r->out_len == 0,
	     "%s: ... and nothing on stdout either", p);
	all[75] ^= 1;
	CRYPTO(r, all, all_len, "decrypt", "gcm(aes)", p, "--key", GCM_KEY, "--iv", GCM_IV, "--aad",
	       "feedfacedeadbeeffeedfacedeadbeefabaddad3");
	t_ok(err_is(r, 1, "authentication failed", false),
	     "%s: decrypt gcm(aes) with other AAD -> exit 1", p);
	CRYPTO(r, all, all_len, "decrypt", "gcm(aes)", p, "--key", GCM_KEY, "--iv", GCM_IV);
	t_ok(err_is(r, 1, "authentication failed", false),
	     "%s: decrypt gcm(aes) without the AAD -> exit 1", p);
	CRYPTO(r, all, 15, "decrypt", "gcm(aes)", p, "--key", GCM_KEY, "--iv", GCM_IV);
	if (!t_ok(err_is(r, 1,
			 "ucmdctl: crypto decrypt: standard input: 15 bytes, shorter than the "
			 "16-byte tag that ends the input\n",
			 true),
		  "%s: decrypt gcm(aes) of 15 bytes -> exit 1, 'shorter than the 16-byte tag'", p))
		show(r);
	CRYPTO(r, pt, pt_len, "encrypt", "gcm(aes)", p, "--key", GCM_KEY, "--iv", CBC_IV);
	t_ok(err_is(r, 2, "--iv: 'gcm(aes)' takes a 12-byte IV, not 16 bytes", false),
	     "%s: gcm(aes) with a 16-byte IV -> exit 2", p);
out:
	free(pt);
	free(ct);
	free(tag);
	free(c2);
}

static void limits(struct result *r, const char *p)
{
	uint8_t *big = calloc(1, UCRYPTO_MAX_LEN + 1);
	char want[PATH_MAX + 200];
	const char *f;

	if (!big)
		t_bail("out of memory");
	f = put("big", big, UCRYPTO_MAX_LEN + 1);
	CRYPTO(r, NULL, 0, "hash", "sha256", p, f);
	snprintf(want, sizeof(want),
		 "ucmdctl: crypto hash: %s is larger than 1048576 bytes, the most /dev/ucrypto "
		 "takes in one operation\n",
		 f);
	if (!t_ok(err_is(r, 1, want, true), "%s: hash of a 1048577-byte file -> exit 1, '%s'", p,
		  "... is larger than 1048576 bytes, the most /dev/ucrypto takes in one operation"))
		show(r);
	CRYPTO(r, NULL, 0, "hash", "sha256", p, f, put("abc", "abc", 3));
	snprintf(want, sizeof(want), SHA256_ABC "  %s\n", path("abc"));
	t_ok(r->status == 1 && out_is_text(r, want) &&
		     strstr(r->err, " is larger than 1048576 bytes"),
	     "%s: hash of a 1048577-byte FILE and another -> its message, the other's line, exit 1",
	     p);
	CRYPTO(r, big, UCRYPTO_MAX_LEN + 1, "hash", "sha256", p);
	if (!t_ok(err_is(r, 1,
			 "ucmdctl: crypto hash: standard input is larger than 1048576 bytes, "
			 "the most /dev/ucrypto takes in one operation\n",
			 true),
		  "%s: hash of 1048577 bytes through a pipe -> exit 1, 'standard input is larger'",
		  p))
		show(r);
	CRYPTO(r, NULL, 0, "encrypt", "cbc(aes)", p, "--key", AES128_KEY, "--iv", CBC_IV, "-o",
	       path("big.out"), f);
	t_ok(err_is(r, 1, " is larger than 1048576 bytes", false) && !exists("big.out"),
	     "%s: encrypt of a 1048577-byte file -> exit 1, no output file", p);
	CRYPTO(r, big, UCRYPTO_MAX_LEN, "hash", "sha256", p);
	if (!t_ok(out_is(r, SHA256_1MIB_ZERO "  -\n"),
		  "%s: hash of exactly 1048576 bytes through a pipe -> its sha256", p))
		show(r);
	CRYPTO(r, NULL, 0, "hash", "sha256", p, path("no-such-file"));
	snprintf(want, sizeof(want), "ucmdctl: crypto hash: %s: No such file or directory\n",
		 path("no-such-file"));
	t_ok(err_is(r, 1, want, true), "%s: hash of a missing FILE -> exit 1, its name and ENOENT",
	     p);
	free(big);
}

/* ---- hash of several files and --check, as sha256sum ---- */

/* sha256sum (coreutils on a host, busybox in the guest), to compare with; NULL if none. */
static const char *sha256sum_tool(void)
{
	static const char *const cands[] = { "/usr/bin/sha256sum", "/bin/sha256sum" };

	for (size_t i = 0; i < sizeof(cands) / sizeof(cands[0]); i++)
		if (access(cands[i], X_OK) == 0)
			return cands[i];
	return NULL;
}

/* Runs sha256sum @a1 @a2 @a3 (NULL ends them early) into @r; false if there is none. */
static bool run_sha256sum(struct result *r, const char *a1, const char *a2, const char *a3)
{
	const char *t = sha256sum_tool();
	const char *argv[] = { "sha256sum", a1, a2, a3, NULL };

	if (!t)
		return false;
	r->status = t_run(t, argv, -1, -1, r->out, sizeof(r->out), &r->out_len, r->err,
			  sizeof(r->err), 60);
	return true;
}

/* Whether the text on stdout is @want, with @status and stderr @err (NULL: anything). */
static bool says(const struct result *r, int status, const char *want, const char *err)
{
	return r->status == status && r->out_len == strlen(want) &&
	       memcmp(r->out, want, r->out_len) == 0 && (!err || strcmp(r->err, err) == 0);
}

/* Several FILEs and -: one line each, as sha256sum prints them; names escaped as coreutils. */
static void several(struct result *r, const char *p)
{
	const char *abc = put("abc", "abc", 3), *empty = put("empty", "", 0);
	char want[4 * PATH_MAX], err[PATH_MAX + 100];
	struct result *ref = malloc(sizeof(*ref));

	if (!ref)
		t_bail("out of memory");
	CRYPTO(r, "abc", 3, "hash", "sha256", p, abc, empty, "-", abc);
	snprintf(want, sizeof(want),
		 SHA256_ABC "  %s\n" SHA256_EMPTY "  %s\n" SHA256_ABC "  -\n" SHA256_ABC "  %s\n",
		 abc, empty, abc);
	if (!t_ok(out_is(r, want), "%s: hash sha256 FILE FILE - FILE -> one sha256sum line each",
		  p))
		show(r);
	CRYPTO(r, NULL, 0, "hash", "sha256", p, abc, empty);
	if (run_sha256sum(ref, abc, empty, NULL)) {
		if (!t_ok(ref->status == 0 && r->status == 0 && r->out_len == ref->out_len &&
				  memcmp(r->out, ref->out, r->out_len) == 0,
			  "%s: hash sha256 FILE FILE -> byte for byte what sha256sum prints", p))
			show(ref);
	} else {
		t_skip("no sha256sum", "%s: comparing with sha256sum", p);
	}
	CRYPTO(r, NULL, 0, "hash", "sha256", p, abc, path("missing"), empty);
	snprintf(want, sizeof(want), SHA256_ABC "  %s\n" SHA256_EMPTY "  %s\n", abc, empty);
	snprintf(err, sizeof(err), "ucmdctl: crypto hash: %s: No such file or directory\n",
		 path("missing"));
	if (!t_ok(says(r, 1, want, err),
		  "%s: a missing FILE among others -> its message, the others' lines, exit 1", p))
		show(r);
	CRYPTO(r, NULL, 0, "hash", "sha256", p, put("a\\b", "abc", 3), put("n\nl", "", 0));
	snprintf(want, sizeof(want), "\\" SHA256_ABC "  %s/a\\\\b\n\\" SHA256_EMPTY "  %s/n\\nl\n",
		 dir, dir);
	if (!t_ok(out_is(r, want),
		  "%s: names with \\ and newline -> '\\' first, escaped (coreutils)", p))
		show(r);
	free(ref);
}

/* Writes @text as checksum file @name; returns its path. */
static const char *sums(const char *name, const char *text)
{
	return put(name, text, strlen(text));
}

/* -c: OK, FAILED, a missing file, a malformed line, a comment; sha256sum's words and status. */
static void check_mixed(struct result *r, const char *p)
{
	const char *abc = put("abc", "abc", 3), *empty = put("empty", "", 0);
	char text[4 * PATH_MAX + 600], want[4 * PATH_MAX], err[PATH_MAX + 400];
	const char *f;

	snprintf(text, sizeof(text),
		 "# made by hand\n" SHA256_ABC "  %s\n" SHA256_EMPTY " *%s\n" SHA256_ABC
		 "  %s\n" SHA256_EMPTY "  %s\nnot a checksum line\n\n",
		 abc, empty, empty, path("missing"));
	f = sums("mixed.sums", text);
	CRYPTO(r, NULL, 0, "hash", "sha256", p, "-c", f);
	snprintf(want, sizeof(want), "%s: OK\n%s: OK\n%s: FAILED\n%s: FAILED open or read\n", abc,
		 empty, empty, path("missing"));
	snprintf(err, sizeof(err),
		 "ucmdctl: crypto hash: %s: No such file or directory\n"
		 "ucmdctl: crypto hash: WARNING: 1 line is improperly formatted\n"
		 "ucmdctl: crypto hash: WARNING: 1 listed file could not be read\n"
		 "ucmdctl: crypto hash: WARNING: 1 computed checksum did NOT match\n",
		 path("missing"));
	if (!t_ok(says(r, 1, want, err),
		  "%s: -c with OK, '*' mode, FAILED, missing, malformed -> sha256sum's lines, "
		  "WARNINGs, exit 1",
		  p))
		show(r);
	CRYPTO(r, NULL, 0, "hash", "sha256", p, "--check", "--status", f);
	if (!t_ok(says(r, 1, "", NULL) && t_count_lines(r->err) == 1,
		  "%s: --check --status -> nothing on stdout, only the open error, exit 1", p))
		show(r);
	CRYPTO(r, NULL, 0, "hash", "sha256", p, "-c", "-w", sums("bad.sums", "zz  x\n# c\n"));
	snprintf(err, sizeof(err),
		 "ucmdctl: crypto hash: %s: 1: improperly formatted sha256 checksum line\n"
		 "ucmdctl: crypto hash: %s: no properly formatted checksum lines found\n",
		 path("bad.sums"), path("bad.sums"));
	if (!t_ok(says(r, 1, "", err),
		  "%s: -c -w of malformed lines only -> exit 1, 'no properly formatted'", p))
		show(r);
	CRYPTO(r, NULL, 0, "hash", "sha256", p, "-c", path("no.sums"));
	t_ok(err_is(r, 1, "no.sums: No such file or directory", false),
	     "%s: -c of a missing SUMS -> exit 1", p);
}

/* -c of good lines (ours, sha256sum's, from stdin), --quiet, --strict, upper case, CRLF. */
static void check_good(struct result *r, const char *p)
{
	const char *abc = put("abc", "abc", 3), *odd = put("a\\b", "abc", 3);
	char text[2 * PATH_MAX + 300], want[2 * PATH_MAX + 100];
	const char *f;

	CRYPTO(r, NULL, 0, "hash", "sha256", p, abc, odd, put("n\nl", "", 0));
	put("ours.sums", r->out, r->out_len);
	CRYPTO(r, NULL, 0, "hash", "sha256", p, "-c", path("ours.sums"));
	snprintf(want, sizeof(want), "%s: OK\n%s/a\\b: OK\n\\%s/n\\nl: OK\n", abc, dir, dir);
	if (!t_ok(out_is(r, want), "%s: -c of its own output (escaped names) -> all OK, exit 0", p))
		show(r);
	snprintf(text, sizeof(text), "  %s  %s\r\n", SHA256_ABC, abc);
	for (char *c = text + 2; c < text + 66; c++)
		*c = (char)toupper((unsigned char)*c);
	f = sums("good.sums", text);
	CRYPTO(r, text, strlen(text), "hash", "sha256", p, "-c");
	snprintf(want, sizeof(want), "%s: OK\n", abc);
	if (!t_ok(out_is(r, want), "%s: -c of stdin, upper-case hex, blanks, CRLF -> OK", p))
		show(r);
	CRYPTO(r, NULL, 0, "hash", "sha256", p, "-c", "--quiet", f);
	t_ok(out_is(r, ""), "%s: -c --quiet, all OK -> no output, exit 0", p);
	snprintf(text, sizeof(text), "%s  %s\nbad\n", SHA256_ABC, abc);
	CRYPTO(r, NULL, 0, "hash", "sha256", p, "-c", "--strict", sums("strict.sums", text));
	t_ok(r->status == 1 && strstr(r->err, "WARNING: 1 line is improperly formatted"),
	     "%s: -c --strict with a malformed line -> exit 1", p);
	CRYPTO(r, NULL, 0, "hash", "sha256", p, abc, path("empty"));
	put("plain.sums", r->out, r->out_len);
	if (run_sha256sum(r, "-c", path("plain.sums"), NULL))
		t_ok(r->status == 0 && t_count_lines((char *)r->out) == 2,
		     "%s: sha256sum -c of ucmdctl's output -> OK, exit 0", p);
}

/* --check with other algorithms and keys; --json records of both modes. */
static void check_other(struct result *r, const char *p)
{
	const char *abc = put("abc", "abc", 3), *kf = put("jefe.key", "Jefe", 4);
	char text[PATH_MAX + 200], want[PATH_MAX + 100];
	struct t_jobj o;
	char *nl;

	snprintf(text, sizeof(text), SHA1_ABC "  %s\n", abc);
	CRYPTO(r, NULL, 0, "hash", "sha1", p, "-c", sums("sha1.sums", text));
	snprintf(want, sizeof(want), "%s: OK\n", abc);
	t_ok(out_is(r, want), "%s: sha1 -c -> OK", p);
	CRYPTO(r, NULL, 0, "hash", "sha256", p, "-c", path("sha1.sums"));
	t_ok(r->status == 1 && strstr(r->err, "no properly formatted checksum lines found"),
	     "%s: sha256 -c of sha1 lines -> improperly formatted, exit 1", p);
	CRYPTO(r, NULL, 0, "hash", "hmac(sha256)", "--key-file", kf, p, abc);
	put("hmac.sums", r->out, r->out_len);
	CRYPTO(r, NULL, 0, "hash", "hmac(sha256)", "--key-file", kf, p, "-c", path("hmac.sums"));
	t_ok(out_is(r, want), "%s: hmac(sha256) --key-file -c of its own output -> OK", p);
	CRYPTO(r, NULL, 0, "hash", "hmac(sha256)", "--key", "00", p, "-c", path("hmac.sums"));
	t_ok(r->status == 1 && strstr((char *)r->out, ": FAILED\n"),
	     "%s: ... with another key -> FAILED, exit 1", p);

	CRYPTO(r, NULL, 0, "hash", "--json", "sha256", p, abc, path("missing"));
	nl = memchr(r->out, '\n', r->out_len);
	if (!t_ok(r->status == 1 && nl &&
			  t_jparse((char *)r->out, (size_t)(nl - (char *)r->out), &o) &&
			  t_jstr(&o, "digest", SHA256_ABC) &&
			  t_jparse(nl + 1, r->out_len - (size_t)(nl + 1 - (char *)r->out) - 1,
				   &o) &&
			  t_jstr(&o, "file", path("missing")) && t_jstr(&o, "error", "ENOENT"),
		  "%s: --json FILE MISSING -> a digest record, an ENOENT record, exit 1", p))
		show(r);
	CRYPTO(r, NULL, 0, "hash", "--json", "sha1", p, "-c", path("sha1.sums"));
	nl = memchr(r->out, '\n', r->out_len);
	if (!t_ok(r->status == 0 && nl &&
			  t_jparse((char *)r->out, (size_t)(nl - (char *)r->out), &o) &&
			  t_jstr(&o, "status", "OK") && t_jstr(&o, "file", path("abc")) &&
			  t_jstr(&o, "check", path("sha1.sums")) &&
			  t_jparse(nl + 1, r->out_len - (size_t)(nl + 1 - (char *)r->out) - 1,
				   &o) &&
			  t_jnum(&o, "ok", 1) && t_jnum(&o, "failed", 0),
		  "%s: --json -c -> a record per file and a summary", p))
		show(r);
}

static void cleanup(void)
{
	static const char *const names[] = {
		"abc",		"empty",       "zeros32",    "pt",	  "cbc.out",
		"cbc.ct",	"ctr.pt",      "ctr.ct",     "zero1m",	  "zero1m.ct",
		"zero1m.pt",	"gcm.pt",      "gcm.ct",     "gcm.bad",	  "gcm.keep",
		"gcm.tampered", "big",	       "big.out",    "null.out",  "msg",
		"jefe.key",	"empty.key",   "big.key",    "aes.key",	  "ctr.json.out",
		"a\\b",		"n\nl",	       "mixed.sums", "bad.sums",  "ours.sums",
		"good.sums",	"strict.sums", "plain.sums", "sha1.sums", "hmac.sums",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unlink(path(names[i]));
	rmdir(dir);
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	struct result *r;
	struct stat st;

	t_init();
	if (!t_find_ucmdctl(tool, sizeof(tool)))
		t_skip_all("ucmdctl not found (set UCMDCTL, or install it as /bin/ucmdctl)");
	if (snprintf(dir, sizeof(dir), "%s/cli_crypto.XXXXXX", tmp && *tmp ? tmp : "/tmp") >=
		    (int)sizeof(dir) ||
	    !mkdtemp(dir))
		t_bail("mkdtemp %s: %s", dir, strerror(errno));
	atexit(cleanup);
	t_diag("testing %s in %s", tool, dir);

	/* These need no device. */
	usage_errors();
	refusals();

	if (stat(UCRYPTO_DEVICE, &st) < 0) {
		if (t_failed())
			return t_done();
		t_skip_all("%s: %s (the ucrypto module is not loaded; the checks above need "
			   "no device and passed)",
			   UCRYPTO_DEVICE, strerror(errno));
	}
	r = malloc(sizeof(*r));
	if (!r)
		t_bail("out of memory");
	for (int i = 0; i < 2; i++) {
		const char *p = i ? "--uring" : "--ioctl";

		hashes(r, p);
		keys(r, p);
		json(r, p);
		any_order(r, p);
		ciphers(r, p);
		aeads(r, p);
		limits(r, p);
		several(r, p);
		check_mixed(r, p);
		check_good(r, p);
		check_other(r, p);
	}
	free(r);
	return t_done();
}
