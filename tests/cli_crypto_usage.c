// SPDX-License-Identifier: GPL-2.0
/* cli_crypto_usage.c - ucmdctl crypto refuses bad usage (options, keys, algorithms, files) and devices that are not ucrypto, each with one clear line and exit status, and needs no ucrypto device to do so. */
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

#define CRYPTO(r, in, in_len, ...) \
	t_cli_run((r), (in), (in_len), (const char *const[]){ "crypto", __VA_ARGS__, NULL })

/* NIST SP 800-38A F.2.1 and F.5.1: a key and IVs that are well formed. */
#define AES128_KEY "2b7e151628aed2a6abf7158809cf4f3c"
#define CBC_IV "000102030405060708090a0b0c0d0e0f"
#define CTR_IV "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"

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
	struct t_cli *r = malloc(sizeof(*r));
	char big_key[2 * UCRYPTO_MAX_KEY_SIZE + 3];

	if (!r)
		t_bail("out of memory");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *const *a = cases[i];
		char desc[160] = "ucmdctl";

		for (int k = 0; k < 7 && a[k]; k++)
			snprintf(desc + strlen(desc), sizeof(desc) - strlen(desc), " '%s'", a[k]);
		t_cli_run(r, NULL, 0, a);
		if (!t_ok(r->status == 2 && t_count_lines(r->err) == 1 &&
				  strncmp(r->err, "ucmdctl: ", 9) == 0 && r->out_len == 0,
			  "usage error: %s -> exit 2, one line on stderr, nothing on stdout", desc))
			t_cli_show(r);
	}

	CRYPTO(r, NULL, 0, "encrypt", "cbc(aes)", "--key", "0g", "--iv", CBC_IV);
	if (!t_ok(t_cli_err_is(r, 2,
			       "ucmdctl: crypto encrypt: --key: '0g' is not hex (bad digit at "
			       "position 2) (see ucmdctl crypto --help)\n",
			       true),
		  "--key 0g -> exit 2, 'is not hex (bad digit at position 2)'"))
		t_cli_show(r);
	CRYPTO(r, NULL, 0, "hash", "hmac(sha256)", "--key", "abc");
	t_ok(t_cli_err_is(r, 2, "--key: 'abc' is not hex (an odd number of digits)", false),
	     "--key abc -> exit 2, 'an odd number of digits'");
	CRYPTO(r, NULL, 0, "encrypt", "ctr(aes)", "--iv", CTR_IV);
	if (!t_ok(t_cli_err_is(r, 2,
			       "ucmdctl: crypto encrypt: needs a key: --key HEX, --key-file FILE or "
			       "--key-fd N (see ucmdctl crypto --help)\n",
			       true),
		  "encrypt without a key -> exit 2, 'needs a key: --key HEX, --key-file FILE or "
		  "--key-fd N'"))
		t_cli_show(r);
	memset(big_key, 'a', sizeof(big_key) - 1);
	big_key[sizeof(big_key) - 1] = '\0';
	CRYPTO(r, NULL, 0, "hash", "hmac(sha256)", "--key", big_key);
	t_ok(t_cli_err_is(r, 2, "--key: 513 bytes, at most 512", false),
	     "a 513-byte --key -> exit 2, 'at most 512'");

	CRYPTO(r, NULL, 0, "--help");
	if (!t_ok(r->status == 0 && !*r->err &&
			  strstr((char *)r->out, "usage: ucmdctl crypto hash ALG") &&
			  strstr((char *)r->out, "1048576 bytes") &&
			  strstr((char *)r->out, "--ioctl"),
		  "crypto --help -> exit 0, the usage on stdout"))
		t_cli_show(r);
	t_cli_run(r, NULL, 0, (const char *const[]){ "--help", NULL });
	t_ok(r->status == 0 && strstr((char *)r->out, "crypto --help"),
	     "ucmdctl --help points at 'ucmdctl crypto --help'");

	for (int i = 0; i < 2; i++) {
		const char *p = i ? "--uring" : "--ioctl";

		CRYPTO(r, NULL, 0, "hash", "sha256", p, "--dev", "/nonexistent/ucrypto",
		       t_cli_put("abc", "abc", 3));
		if (!t_ok(t_cli_err_is(r, 1,
				       "ucmdctl: crypto hash: /nonexistent/ucrypto: No such file or "
				       "directory (is the ucrypto module loaded?)\n",
				       true),
			  "%s: a missing device -> exit 1 and one clear line", p))
			t_cli_show(r);
	}
	free(r);
}

/* Devices that are not ucrypto, --version, options before 'crypto': need sysfs, not ucrypto. */
static void refusals(void)
{
	struct t_cli *r = malloc(sizeof(*r));
	const char *abc = t_cli_put("abc", "abc", 3);
	struct t_jobj o;
	struct stat st;

	if (!r)
		t_bail("out of memory");
	CRYPTO(r, NULL, 0, "--version");
	t_ok(t_cli_out_is(r, "ucmdctl " UCMD_VERSION "\n"), "crypto --version -> 'ucmdctl %s'",
	     UCMD_VERSION);
	if (stat("/sys/dev/char/1:3", &st) < 0) {
		t_skip("no /sys/dev/char", "refusing /dev/null");
		free(r);
		return;
	}
	for (int i = 0; i < 2; i++) {
		const char *p = i ? "--uring" : "--ioctl";

		CRYPTO(r, NULL, 0, "hash", "sha256", p, "--dev", "/dev/null", abc);
		if (!t_ok(t_cli_err_is(r, 1,
				       "ucmdctl: crypto hash: /dev/null is not a ucmd device (no "
				       "/sys/dev/char/1:3/ucmd)\n",
				       true),
			  "%s: hash sha256 --dev /dev/null FILE -> exit 1, 'is not a ucmd device', "
			  "no digest",
			  p))
			t_cli_show(r);
	}
	t_cli_run(r, NULL, 0,
		  (const char *const[]){ "--json", "crypto", "--dev=/dev/null", "hash", "sha256",
					 abc, NULL });
	if (!t_ok(t_cli_json_is(r, 1, &o) && t_jstr(&o, "cmd", "crypto hash") &&
			  t_jstr(&o, "error", "ENODEV") && t_jnum(&o, "result", -ENODEV),
		  "--json crypto --dev=/dev/null hash -> exit 1, a JSON record with ENODEV"))
		t_cli_show(r);
	CRYPTO(r, NULL, 0, "encrypt", "ctr(aes)", "--key", AES128_KEY, "--iv", CTR_IV, "--dev",
	       "/dev/null", "-o", t_cli_path("null.out"), abc);
	t_ok(t_cli_err_is(r, 1, "is not a ucmd device", false) && !t_cli_exists("null.out"),
	     "encrypt --dev /dev/null -> exit 1, no output file");
	if (stat(t_dev_path(), &st) == 0) {
		CRYPTO(r, NULL, 0, "hash", "sha256", "--dev", t_dev_path(), abc);
		if (!t_ok(t_cli_err_is(r, 1, " is the ucmd device 'ucmd-demo', not ucrypto\n",
				       false),
			  "hash --dev %s -> exit 1, 'is the ucmd device 'ucmd-demo', not ucrypto'",
			  t_dev_path()))
			t_cli_show(r);
	} else {
		t_skip("no demo device", "refusing another ucmd device");
	}
	free(r);
}

int main(void)
{
	t_init();
	t_cli_setup("cli_crypto_usage");
	usage_errors();
	refusals();
	return t_done();
}
