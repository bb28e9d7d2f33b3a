// SPDX-License-Identifier: GPL-2.0
/* ucrypto_stream_cli.c - ucmdctl crypto hash of files over 1 MiB (streamed in pieces) prints what sha256sum prints, from a pipe too, --check passes them, and encrypt/decrypt with cbc and ctr of such files equal AF_ALG's stream, over ioctl and io_uring. */
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

#define CRYPTO(r, in, in_len, ...) \
	t_cli_run((r), (in), (in_len), (const char *const[]){ "crypto", __VA_ARGS__, NULL })

/* sha256 of 1048577 zero bytes (GNU coreutils' sha256sum): one byte past one operation. */
#define SHA256_1MIB1_ZERO "2cb74edba754a81d121c9db6833704a8e7d417e5b13d1a19f4a52f007d644264"

static const char *big[3];
static const size_t sizes[] = { UCRYPTO_MAX_LEN + 1, 4U * UCRYPTO_MAX_LEN, (9U << 20) + 13 };
static uint8_t *zeros, *data[3];

#define KEY "2b7e151628aed2a6abf7158809cf4f3c"
#define IV "000102030405060708090a0b0c0d0e0f"

/* Files of 1 MiB + 1 (zeros), 4 MiB (what ucmdctl reads at a time) and 9 MiB + 13 bytes. */
static void make_files(void)
{
	uint64_t seed = 0x636c6962696721ULL;
	char name[16];

	zeros = calloc(1, sizes[0]);
	if (!zeros)
		t_bail("out of memory");
	data[0] = zeros;
	big[0] = strdup(t_cli_put("big0", zeros, sizes[0]));
	for (int i = 1; i < 3; i++) {
		snprintf(name, sizeof(name), "big%d", i);
		data[i] = malloc(sizes[i]);
		if (!data[i])
			t_bail("out of memory");
		t_fill_random(data[i], sizes[i], &seed);
		big[i] = strdup(t_cli_put(name, data[i], sizes[i]));
	}
}

/* Whether file @path holds exactly the @len bytes at @want. */
static bool file_is(const char *path, const uint8_t *want, size_t len)
{
	FILE *f = fopen(path, "re");
	uint8_t *got = malloc(len + 1);
	size_t n = f && got ? fread(got, 1, len + 1, f) : 0;
	bool same = n == len && memcmp(got, want, len) == 0;

	if (f)
		fclose(f);
	free(got);
	return same;
}

/* encrypt and decrypt of file @i with @alg (cbc or ctr) to OUT, against AF_ALG's stream. */
static void cipher_big(struct t_cli *r, const char *p, const char *alg, int i)
{
	uint8_t key[16], iv[16], *want = malloc(sizes[i]);
	char enc[PATH_MAX], dec[PATH_MAX];
	int tfm;

	t_unhex(KEY, key);
	t_unhex(IV, iv);
	tfm = t_afalg_tfm("skcipher", alg, key, sizeof(key));
	if (!want || tfm < 0 || !t_afalg_cipher_stream(tfm, true, iv, data[i], want, sizes[i]))
		t_bail("AF_ALG %s of %zu bytes", alg, sizes[i]);
	snprintf(enc, sizeof(enc), "%s", t_cli_path("big.enc"));
	snprintf(dec, sizeof(dec), "%s", t_cli_path("big.dec"));
	CRYPTO(r, NULL, 0, "encrypt", alg, p, "--key", KEY, "--iv", IV, "-o", enc, big[i]);
	if (!t_ok(r->status == 0 && !*r->err && file_is(enc, want, sizes[i]),
		  "%s: encrypt %s of %zu bytes -o OUT -> AF_ALG's stream, byte for byte", p, alg,
		  sizes[i]))
		t_cli_show(r);
	CRYPTO(r, NULL, 0, "decrypt", alg, p, "--key", KEY, "--iv", IV, "-o", dec, enc);
	if (!t_ok(r->status == 0 && file_is(dec, data[i], sizes[i]),
		  "%s: decrypt %s of it -> the %zu bytes again", p, alg, sizes[i]))
		t_cli_show(r);
	unlink(enc);
	unlink(dec);
	close(tfm);
	free(want);
}

static void ciphers_big(struct t_cli *r, const char *p)
{
	cipher_big(r, p, "cbc(aes)", 1); /* 4 MiB: a whole read, then an empty last piece */
	cipher_big(r, p, "ctr(aes)", 2); /* 9 MiB + 13: a partial block at the end */
}

static void hash_big(struct t_cli *r, const char *p)
{
	const char *tool = t_sha256sum_tool();
	const char *argv[] = { "sha256sum", big[0], big[1], big[2], NULL };
	struct t_cli *ref = malloc(sizeof(*ref));
	char want[PATH_MAX + 100];

	if (!ref)
		t_bail("out of memory");
	CRYPTO(r, NULL, 0, "hash", "sha256", p, big[0]);
	snprintf(want, sizeof(want), SHA256_1MIB1_ZERO "  %s\n", big[0]);
	if (!t_ok(t_cli_out_is(r, want), "%s: hash sha256 of a 1048577-byte file -> its digest", p))
		t_cli_show(r);
	CRYPTO(r, zeros, UCRYPTO_MAX_LEN + 1, "hash", "sha256", p);
	if (!t_ok(t_cli_out_is(r, SHA256_1MIB1_ZERO "  -\n"),
		  "%s: hash sha256 of 1048577 bytes through a pipe -> its digest", p))
		t_cli_show(r);
	CRYPTO(r, NULL, 0, "hash", "sha256", p, big[0], big[1], big[2]);
	if (!tool) {
		t_skip("no sha256sum", "%s: 1 MiB + 1, 4 MiB, 9 MiB + 13 as sha256sum", p);
	} else {
		ref->status = t_run(tool, argv, -1, -1, ref->out, sizeof(ref->out), &ref->out_len,
				    ref->err, sizeof(ref->err), 120);
		if (!t_ok(ref->status == 0 && r->status == 0 && r->out_len == ref->out_len &&
				  memcmp(r->out, ref->out, r->out_len) == 0,
			  "%s: hash sha256 of 1 MiB + 1, 4 MiB, 9 MiB + 13 -> byte for byte what "
			  "sha256sum prints",
			  p)) {
			t_cli_show(r);
			t_cli_show(ref);
		}
	}
	/* Its own output as a checksum list: every file OK. */
	t_cli_put("sums", r->out, r->out_len);
	CRYPTO(r, NULL, 0, "hash", "sha256", p, "-c", t_cli_path("sums"));
	snprintf(want, sizeof(want), "%s: OK\n%s: OK\n%s: OK\n", big[0], big[1], big[2]);
	if (!t_ok(t_cli_out_is(r, want), "%s: --check of the three -> OK each", p))
		t_cli_show(r);
	free(ref);
}

int main(void)
{
	struct stat st;

	t_init();
	t_cli_setup("ucrypto_stream_cli");
	if (stat(UCRYPTO_DEVICE, &st) < 0)
		t_skip_all("%s: %s (the ucrypto module is not loaded)", UCRYPTO_DEVICE,
			   strerror(errno));
	make_files();
	t_cli_both_paths((const t_cli_checks[]){ hash_big, ciphers_big, NULL });
	for (int i = 0; i < 3; i++)
		free(data[i]);
	return t_done();
}
