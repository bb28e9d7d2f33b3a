// SPDX-License-Identifier: GPL-2.0
/* cli_crypto_fixed.c - ucmdctl crypto --fixed (data in a registered buffer) prints and writes exactly what the plain io_uring run does, and refuses --ioctl. */
#include <sys/stat.h>

#include "helpers.h"

#define CRYPTO(r, ...) t_cli_run((r), NULL, 0, (const char *const[]){ "crypto", __VA_ARGS__, NULL })

#define KEY "000102030405060708090a0b0c0d0e0f"
#define IV "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"
#define GCM_IV "cafebabefacedbaddecaf888"

/* Runs @args with and without --fixed: the same output and exit 0. */
static void same(struct t_cli *a, struct t_cli *b, const char *what, const char *const *args)
{
	const char *argv[16];
	size_t n = 0;

	for (; args[n] && n < 14; n++)
		argv[n] = args[n];
	argv[n] = NULL;
	t_cli_run(a, NULL, 0, argv);
	argv[n] = "--fixed";
	argv[n + 1] = NULL;
	t_cli_run(b, NULL, 0, argv);
	if (!t_ok(a->status == 0 && b->status == 0 && a->out_len == b->out_len &&
			  !memcmp(a->out, b->out, a->out_len) && !b->err[0],
		  "%s: --fixed gives what the plain run gives", what))
		t_cli_show(b);
}

int main(void)
{
	static struct t_cli a, b;
	uint8_t *data = malloc(300000), *back;
	uint64_t seed = 5;
	size_t len;
	const char *big, *mid, *small, *enc;
	struct stat st;

	t_init();
	t_cli_setup("cli_crypto_fixed");
	if (stat(UCRYPTO_DEVICE, &st) < 0)
		t_skip_all("%s: %s (the ucrypto module is not loaded)", UCRYPTO_DEVICE,
			   strerror(errno));
	if (!data)
		t_bail("out of memory");
	t_fill_random(data, 300000, &seed);
	big = t_cli_put("big", data, 300000);
	/* What goes to standard output must fit struct t_cli's 8 KiB. */
	mid = t_cli_put("mid", data, 6000);
	small = t_cli_put("small", "abc", 3);
	same(&a, &b, "hash sha256 of 3 bytes and of 300000",
	     (const char *const[]){ "crypto", "hash", "sha256", small, big, NULL });
	same(&a, &b, "encrypt ctr(aes) of 6000 bytes",
	     (const char *const[]){ "crypto", "encrypt", "ctr(aes)", "--key", KEY, "--iv", IV, mid,
				    NULL });
	same(&a, &b, "encrypt gcm(aes) of 6000 bytes (ciphertext and tag)",
	     (const char *const[]){ "crypto", "encrypt", "gcm(aes)", "--key", KEY, "--iv", GCM_IV,
				    "--aad", "feedface", mid, NULL });
	enc = t_cli_put("mid.enc", a.out, a.out_len);
	CRYPTO(&b, "decrypt", "gcm(aes)", "--key", KEY, "--iv", GCM_IV, "--aad", "feedface",
	       "--fixed", "-o", t_cli_path("mid.dec"), enc);
	back = t_cli_get("mid.dec", &len);
	if (!t_ok(b.status == 0 && back && len == 6000 && !memcmp(back, data, len),
		  "decrypt gcm(aes) --fixed gives the plaintext back"))
		t_cli_show(&b);
	free(back);
	CRYPTO(&b, "hash", "sha256", "--fixed", "--ioctl", small);
	if (!t_ok(b.status == 2 && strstr(b.err, "--fixed needs io_uring"),
		  "--fixed --ioctl: a usage error"))
		t_cli_show(&b);
	free(data);
	return t_done();
}
