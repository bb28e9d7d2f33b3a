// SPDX-License-Identifier: GPL-2.0
/* cli_crypto.c - ucmdctl crypto hashes and encrypts files as the published vectors say over ioctl and io_uring, with keys from hex, files and descriptors and --json output (bad usage and devices that are not ucrypto: cli_crypto_usage.c). */
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

#define CRYPTO(r, in, in_len, ...) \
	t_cli_run((r), (in), (in_len), (const char *const[]){ "crypto", __VA_ARGS__, NULL })

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

/* ---- checks on the device, over @p ("--ioctl" or "--uring") ---- */

/* --key-file and --key-fd give what the same key in hex gives; their errors. */
static void keys(struct t_cli *r, const char *p)
{
	static const char jefe_mac[] =
		"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
	const char *msg = t_cli_put("msg", "what do ya want for nothing?", 28);
	const char *kf = t_cli_put("jefe.key", "Jefe", 4);
	char want[PATH_MAX + 100], big[UCRYPTO_MAX_KEY_SIZE + 1];
	size_t klen;
	uint8_t *key = unhex_new(AES128_KEY, &klen), *pt, *ct;
	size_t pt_len, ct_len;

	snprintf(want, sizeof(want), "%s  %s\n", jefe_mac, msg);
	CRYPTO(r, NULL, 0, "hash", "hmac(sha256)", p, "--key", "4a656665", msg);
	t_ok(t_cli_out_is(r, want), "%s: hmac(sha256) --key 4a656665 FILE -> RFC 4231 case 2", p);
	CRYPTO(r, NULL, 0, "hash", "hmac(sha256)", p, "--key-file", kf, msg);
	if (!t_ok(t_cli_out_is(r, want), "%s: --key-file of 'Jefe' -> the same output", p))
		t_cli_show(r);
	CRYPTO(r, "Jefe", 4, "hash", "hmac(sha256)", p, "--key-fd", "0", msg);
	if (!t_ok(t_cli_out_is(r, want), "%s: --key-fd 0 fed 'Jefe' -> the same output", p))
		t_cli_show(r);
	CRYPTO(r, NULL, 0, "hash", "hmac(sha256)", p, "--key-file", t_cli_put("empty.key", "", 0),
	       msg);
	t_ok(t_cli_err_is(r, 2, ": empty, no key", false), "%s: an empty --key-file -> exit 2", p);
	memset(big, 'k', sizeof(big));
	CRYPTO(r, NULL, 0, "hash", "hmac(sha256)", p, "--key-file",
	       t_cli_put("big.key", big, sizeof(big)), msg);
	t_ok(t_cli_err_is(r, 2, ": more than 512 bytes, the longest key", false),
	     "%s: a 513-byte --key-file -> exit 2", p);
	CRYPTO(r, NULL, 0, "hash", "hmac(sha256)", p, "--key-file", t_cli_path("no.key"), msg);
	t_ok(t_cli_err_is(r, 1, "no.key: No such file or directory", false),
	     "%s: a missing --key-file -> exit 1", p);

	if (have("cbc(aes)", UCRYPTO_TYPE_SKCIPHER, AES128_KEY)) {
		pt = unhex_new(SP800_38A_PT, &pt_len);
		ct = unhex_new(CBC_CT, &ct_len);
		CRYPTO(r, key, klen, "encrypt", "cbc(aes)", "--key-fd", "0", "--iv", CBC_IV, p,
		       t_cli_put("pt", pt, pt_len));
		if (!t_ok(t_cli_out_bytes(r, ct, ct_len),
			  "%s: encrypt cbc(aes) --key-fd 0 -> the SP 800-38A F.2.1 ciphertext", p))
			t_cli_show(r);
		CRYPTO(r, NULL, 0, "decrypt", "cbc(aes)", "--key-file",
		       t_cli_put("aes.key", key, klen), "--iv", CBC_IV, p,
		       t_cli_put("cbc.ct", ct, ct_len));
		t_ok(t_cli_out_bytes(r, pt, pt_len),
		     "%s: decrypt cbc(aes) --key-file -> the plaintext", p);
		free(pt);
		free(ct);
	}
	free(key);
}

/* --json of each subcommand: one well-formed object with the result, or with the error. */
static void json(struct t_cli *r, const char *p)
{
	const char *abc = t_cli_put("abc", "abc", 3);
	size_t pt_len;
	uint8_t *pt = unhex_new(SP800_38A_PT, &pt_len);
	struct t_jobj o;

	CRYPTO(r, NULL, 0, "hash", "--json", "sha256", p, abc);
	if (!t_ok(t_cli_json_is(r, 0, &o) && t_jstr(&o, "cmd", "crypto hash") &&
			  t_jstr(&o, "alg", "sha256") && t_jstr(&o, "file", abc) &&
			  t_jstr(&o, "digest", SHA256_ABC) && !*r->err,
		  "%s: hash --json -> {cmd, path, alg, file, digest}", p))
		t_cli_show(r);
	CRYPTO(r, NULL, 0, "hash", "--json", "nosuchalg", p, abc);
	if (!t_ok(t_cli_json_is(r, 1, &o) && t_jstr(&o, "error", "ENOENT") &&
			  t_jstr(&o, "message", "crypto hash: no such algorithm 'nosuchalg'") &&
			  t_count_lines(r->err) == 1,
		  "%s: hash --json nosuchalg -> exit 1, a JSON error record", p))
		t_cli_show(r);
	if (!have("ctr(aes)", UCRYPTO_TYPE_SKCIPHER, AES128_KEY))
		goto out;
	CRYPTO(r, pt, pt_len, "encrypt", "ctr(aes)", "--json", p, "--key", AES128_KEY, "--iv",
	       CTR_IV);
	if (!t_ok(t_cli_json_is(r, 0, &o) && t_jstr(&o, "cmd", "crypto encrypt") &&
			  t_jnum(&o, "bytes", 64) && t_jstr(&o, "data", CTR_CT),
		  "%s: encrypt --json -> the F.5.1 ciphertext as hex in 'data'", p))
		t_cli_show(r);
	CRYPTO(r, NULL, 0, "encrypt", "ctr(aes)", "--json", p, "--key", AES128_KEY, "--iv", CTR_IV,
	       "-o", t_cli_path("ctr.json.out"), t_cli_put("pt", pt, pt_len));
	t_ok(t_cli_json_is(r, 0, &o) && t_jstr(&o, "output", t_cli_path("ctr.json.out")) &&
		     t_jnum(&o, "bytes", 64) && !t_jget(&o, "data") && t_cli_exists("ctr.json.out"),
	     "%s: encrypt --json -o OUT -> the record names OUT, the bytes are in OUT", p);
	CRYPTO(r, NULL, 0, "decrypt", "ctr(aes)", p, "--key", AES128_KEY, "--iv", CTR_IV, "--json",
	       t_cli_path("ctr.json.out"));
	t_ok(t_cli_json_is(r, 0, &o) && t_jstr(&o, "cmd", "crypto decrypt") &&
		     t_jstr(&o, "data", SP800_38A_PT),
	     "%s: decrypt --json -> the plaintext as hex", p);
out:
	free(pt);
}

/* Options before 'crypto' and anywhere after it. */
static void any_order(struct t_cli *r, const char *p)
{
	t_cli_run(r, "abc", 3, (const char *const[]){ p, "crypto", "hash", "sha256", NULL });
	if (!t_ok(t_cli_out_is(r, SHA256_ABC "  -\n"), "%s crypto hash sha256 -> its digest", p))
		t_cli_show(r);
	t_cli_run(r, "abc", 3,
		  (const char *const[]){ "--dev", UCRYPTO_DEVICE, "crypto", p, "hash", "--",
					 "sha256", "-", NULL });
	t_ok(t_cli_out_is(r, SHA256_ABC "  -\n"),
	     "--dev D crypto %s hash -- sha256 - -> its digest", p);
}

static void hashes(struct t_cli *r, const char *p)
{
	const char *abc = t_cli_put("abc", "abc", 3);
	char want[PATH_MAX + 100];
	uint8_t *m;

	CRYPTO(r, NULL, 0, "hash", "sha256", p, abc);
	snprintf(want, sizeof(want), SHA256_ABC "  %s\n", abc);
	if (!t_ok(t_cli_out_is(r, want), "%s: hash sha256 FILE -> FIPS 180 digest of 'abc'  FILE",
		  p))
		t_cli_show(r);
	CRYPTO(r, "abc", 3, "hash", p, "sha256");
	if (!t_ok(t_cli_out_is(r, SHA256_ABC "  -\n"),
		  "%s: hash sha256 of standard input -> '...  -'", p))
		t_cli_show(r);
	CRYPTO(r, "abc", 3, "hash", "sha1", "-", p);
	t_ok(t_cli_out_is(r, SHA1_ABC "  -\n"), "%s: hash sha1 - -> FIPS 180 digest of 'abc'", p);
	CRYPTO(r, NULL, 0, p, "hash", "sha256", t_cli_put("empty", "", 0));
	snprintf(want, sizeof(want), SHA256_EMPTY "  %s\n", t_cli_path("empty"));
	t_ok(t_cli_out_is(r, want), "%s: hash sha256 of an empty file", p);

	m = malloc(1000000);
	if (!m)
		t_bail("out of memory");
	memset(m, 'a', 1000000);
	CRYPTO(r, m, 1000000, "hash", "sha256", p);
	if (!t_ok(t_cli_out_is(r, SHA256_MILLION_A "  -\n"),
		  "%s: hash sha256 of one million 'a' through a pipe", p))
		t_cli_show(r);
	free(m);

	if (have("crc32c", UCRYPTO_TYPE_HASH, "")) {
		uint8_t zeros[32] = { 0 };

		CRYPTO(r, NULL, 0, "hash", "crc32c", p, t_cli_put("zeros32", zeros, 32));
		snprintf(want, sizeof(want), "aa36918a  %s\n", t_cli_path("zeros32"));
		if (!t_ok(t_cli_out_is(r, want),
			  "%s: hash crc32c of 32 zero bytes -> RFC 3720 aa36918a", p))
			t_cli_show(r);
	}

	CRYPTO(r, "what do ya want for nothing?", 28, "hash", "hmac(sha256)", "--key", "4a656665",
	       p);
	if (!t_ok(t_cli_out_is(
			  r,
			  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843  -\n"),
		  "%s: hash hmac(sha256) --key 4a656665 -> RFC 4231 case 2", p))
		t_cli_show(r);
	CRYPTO(r, "Hi There", 8, "hash", p, "--key=0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
	       "hmac(sha256)");
	t_ok(t_cli_out_is(r,
			  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7  -\n"),
	     "%s: hash hmac(sha256) --key=0b... -> RFC 4231 case 1", p);

	CRYPTO(r, "abc", 3, "hash", "hmac(sha256)", p);
	if (!t_ok(t_cli_err_is(r, 1,
			       "ucmdctl: crypto hash: 'hmac(sha256)' needs a key (--key HEX, "
			       "--key-file FILE or --key-fd N)\n",
			       true),
		  "%s: hmac(sha256) without --key -> exit 1, 'needs a key'", p))
		t_cli_show(r);
	CRYPTO(r, "abc", 3, "hash", "sha256", "--key", "00", p);
	if (!t_ok(t_cli_err_is(r, 1, "ucmdctl: crypto hash: 'sha256' takes no key (--key)\n", true),
		  "%s: sha256 with --key -> exit 1, 'takes no key'", p))
		t_cli_show(r);
	CRYPTO(r, "abc", 3, "hash", "nosuchalg", p);
	if (!t_ok(t_cli_err_is(r, 1, "ucmdctl: crypto hash: no such algorithm 'nosuchalg'\n", true),
		  "%s: hash nosuchalg -> exit 1, 'no such algorithm'", p))
		t_cli_show(r);
}

static void ciphers(struct t_cli *r, const char *p)
{
	size_t pt_len, cbc_len, ctr_len;
	uint8_t *pt = unhex_new(SP800_38A_PT, &pt_len), *cbc = unhex_new(CBC_CT, &cbc_len);
	uint8_t *ctr = unhex_new(CTR_CT, &ctr_len), *zeros, *enc;
	size_t enc_len = 0;
	bool ok;

	if (!have("cbc(aes)", UCRYPTO_TYPE_SKCIPHER, AES128_KEY))
		goto ctr_checks;
	t_cli_put("pt", pt, pt_len);
	CRYPTO(r, NULL, 0, "encrypt", "cbc(aes)", "--key", AES128_KEY, "--iv", CBC_IV, p, "-o",
	       t_cli_path("cbc.out"), t_cli_path("pt"));
	ok = r->status == 0 && r->out_len == 0 && !*r->err;
	if (!t_ok(ok && t_cli_file_is("cbc.out", cbc, cbc_len),
		  "%s: encrypt cbc(aes) -o OUT -> SP 800-38A F.2.1 ciphertext in OUT", p))
		t_cli_show(r);
	CRYPTO(r, NULL, 0, "decrypt", "cbc(aes)", "--key", AES128_KEY, "--iv", CBC_IV, p,
	       t_cli_put("cbc.ct", cbc, cbc_len));
	if (!t_ok(t_cli_out_bytes(r, pt, pt_len),
		  "%s: decrypt cbc(aes) FILE -> the F.2.1 plaintext on stdout", p))
		t_cli_show(r);

	CRYPTO(r, pt, pt_len, "encrypt", "cbc(aes)", "--key", AES128_KEY, "--iv",
	       "0001020304050607", p);
	if (!t_ok(t_cli_err_is(r, 2,
			       "ucmdctl: crypto encrypt: --iv: 'cbc(aes)' takes a 16-byte IV, not 8 "
			       "bytes (see ucmdctl crypto --help)\n",
			       true),
		  "%s: cbc(aes) with an 8-byte IV -> exit 2, 'takes a 16-byte IV, not 8 bytes'", p))
		t_cli_show(r);
	CRYPTO(r, pt, pt_len, "encrypt", "cbc(aes)", "--key", AES128_KEY, p);
	t_ok(t_cli_err_is(r, 2, "'cbc(aes)' needs --iv HEX of 16 bytes", false),
	     "%s: cbc(aes) without --iv -> exit 2, 'needs --iv HEX of 16 bytes'", p);
	CRYPTO(r, pt, pt_len, "encrypt", "cbc(aes)", "--key", AES128_KEY, "--iv", CBC_IV, "--aad",
	       "00", p);
	t_ok(t_cli_err_is(r, 2, "--aad applies to AEAD algorithms", false),
	     "%s: cbc(aes) with --aad -> exit 2", p);
	CRYPTO(r, pt, 5, "encrypt", "cbc(aes)", "--key", AES128_KEY, "--iv", CBC_IV, p);
	if (!t_ok(t_cli_err_is(r, 1,
			       "(the input is 5 bytes, not a multiple of the 16-byte block of "
			       "'cbc(aes)')\n",
			       false),
		  "%s: cbc(aes) of 5 bytes -> exit 1, 'not a multiple of the 16-byte block'", p))
		t_cli_show(r);
	CRYPTO(r, pt, pt_len, "encrypt", "cbc(aes)", "--key", "2b7e151628aed2a6abf7158809cf4f",
	       "--iv", CBC_IV, p);
	t_ok(t_cli_err_is(r, 1,
			  "ucmdctl: crypto encrypt: 'cbc(aes)' refused the 15-byte key: ", false),
	     "%s: cbc(aes) with a 15-byte key -> exit 1, 'refused the 15-byte key'", p);
	CRYPTO(r, pt, pt_len, "encrypt", "nosuch(aes)", "--key", AES128_KEY, p);
	t_ok(t_cli_err_is(r, 1, "ucmdctl: crypto encrypt: no such algorithm 'nosuch(aes)'\n", true),
	     "%s: encrypt nosuch(aes) -> exit 1, 'no such algorithm'", p);
	CRYPTO(r, pt, pt_len, "encrypt", "sha256", "--key", AES128_KEY, p);
	t_ok(t_cli_err_is(r, 1,
			  "no such algorithm 'sha256' (it is a hash: use ucmdctl crypto hash)",
			  false),
	     "%s: encrypt sha256 -> exit 1, 'it is a hash'", p);

ctr_checks:
	if (!have("ctr(aes)", UCRYPTO_TYPE_SKCIPHER, AES128_KEY))
		goto out;
	CRYPTO(r, pt, pt_len, "encrypt", "ctr(aes)", p, "--key", AES128_KEY, "--iv", CTR_IV);
	if (!t_ok(t_cli_out_bytes(r, ctr, ctr_len),
		  "%s: encrypt ctr(aes) of standard input -> SP 800-38A F.5.1 ciphertext", p))
		t_cli_show(r);
	CRYPTO(r, NULL, 0, "decrypt", "ctr(aes)", p, "--key", AES128_KEY, "--iv", CTR_IV, "-o",
	       t_cli_path("ctr.pt"), t_cli_put("ctr.ct", ctr, ctr_len));
	if (!t_ok(r->status == 0 && r->out_len == 0 && t_cli_file_is("ctr.pt", pt, pt_len),
		  "%s: decrypt ctr(aes) -o OUT -> the F.5.1 plaintext", p))
		t_cli_show(r);
	CRYPTO(r, pt, 17, "encrypt", "ctr(aes)", p, "--key", AES128_KEY, "--iv", CTR_IV);
	t_ok(t_cli_out_bytes(r, ctr, 17), "%s: ctr(aes) of 17 bytes -> the first 17 bytes of F.5.1",
	     p);

	/* The most one operation takes: 1 MiB of zeros encrypts to the keystream. */
	zeros = calloc(1, UCRYPTO_MAX_LEN + 1);
	if (!zeros)
		t_bail("out of memory");
	t_cli_put("zero1m", zeros, UCRYPTO_MAX_LEN);
	CRYPTO(r, NULL, 0, "encrypt", "ctr(aes)", p, "--key", AES128_KEY, "--iv", CTR_IV,
	       "--output", t_cli_path("zero1m.ct"), t_cli_path("zero1m"));
	enc = t_cli_get("zero1m.ct", &enc_len);
	ok = r->status == 0 && enc && enc_len == UCRYPTO_MAX_LEN;
	for (size_t i = 0; ok && i < 32; i++)
		ok = enc[i] == (pt[i] ^ ctr[i]);
	if (!t_ok(ok, "%s: ctr(aes) of 1048576 zero bytes -> 1 MiB starting with F.5.1's keystream",
		  p))
		t_cli_show(r);
	CRYPTO(r, NULL, 0, "decrypt", "ctr(aes)", p, "--key", AES128_KEY, "--iv", CTR_IV,
	       "--output=" /* joined */, t_cli_path("zero1m.pt"), t_cli_path("zero1m.ct"));
	t_ok(r->status == 2, "%s: '--output=' (empty) -> exit 2", p);
	CRYPTO(r, NULL, 0, "decrypt", "ctr(aes)", p, "--key", AES128_KEY, "--iv", CTR_IV, "-o",
	       t_cli_path("zero1m.pt"), t_cli_path("zero1m.ct"));
	t_ok(r->status == 0 && t_cli_file_is("zero1m.pt", zeros, UCRYPTO_MAX_LEN),
	     "%s: and decrypts back to 1 MiB of zeros", p);
	free(enc);
	free(zeros);
out:
	free(pt);
	free(cbc);
	free(ctr);
}

static void aeads(struct t_cli *r, const char *p)
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
	       GCM_AAD, "-o", t_cli_path("gcm.ct"), t_cli_put("gcm.pt", pt, pt_len));
	if (!t_ok(r->status == 0 && !*r->err && t_cli_file_is("gcm.ct", all, all_len),
		  "%s: encrypt gcm(aes) --aad -> GCM test case 4 ciphertext followed by its tag",
		  p))
		t_cli_show(r);
	CRYPTO(r, NULL, 0, "decrypt", "gcm(aes)", p, "--key", GCM_KEY, "--iv", GCM_IV, "--aad",
	       GCM_AAD, t_cli_put("gcm.ct", all, all_len));
	if (!t_ok(t_cli_out_bytes(r, pt, pt_len),
		  "%s: decrypt gcm(aes) of ciphertext||tag -> the test case 4 plaintext", p))
		t_cli_show(r);
	CRYPTO(r, zero16, 16, "encrypt", "gcm(aes)", p, "--key", ZERO16, "--iv",
	       "000000000000000000000000");
	t_ok(t_cli_out_bytes(r, c2, c2_len),
	     "%s: encrypt gcm(aes) of stdin -> GCM test case 2 (C||T)", p);

	all[75] ^= 1; /* the tag's last byte */
	unlink(t_cli_path("gcm.bad"));
	CRYPTO(r, NULL, 0, "decrypt", "gcm(aes)", p, "--key", GCM_KEY, "--iv", GCM_IV, "--aad",
	       GCM_AAD, "-o", t_cli_path("gcm.bad"), t_cli_put("gcm.tampered", all, all_len));
	if (!t_ok(t_cli_err_is(r, 1,
			       "ucmdctl: crypto decrypt: authentication failed: the tag does not "
			       "match (wrong key, IV or AAD, or altered input); nothing written\n",
			       true),
		  "%s: decrypt gcm(aes) with a tampered tag -> exit 1, 'authentication failed'", p))
		t_cli_show(r);
	t_ok(!t_cli_exists("gcm.bad"), "%s: ... and no output file", p);
	t_cli_put("gcm.keep", keep, 4);
	CRYPTO(r, NULL, 0, "decrypt", "gcm(aes)", p, "--key", GCM_KEY, "--iv", GCM_IV, "--aad",
	       GCM_AAD, "-o", t_cli_path("gcm.keep"), t_cli_path("gcm.tampered"));
	t_ok(r->status == 1 && t_cli_file_is("gcm.keep", keep, 4),
	     "%s: ... and an existing OUT is left as it was", p);
	CRYPTO(r, all, all_len, "decrypt", "gcm(aes)", p, "--key", GCM_KEY, "--iv", GCM_IV, "--aad",
	       GCM_AAD);
	t_ok(t_cli_err_is(r, 1, "authentication failed", false) && r->out_len == 0,
	     "%s: ... and nothing on stdout either", p);
	all[75] ^= 1;
	CRYPTO(r, all, all_len, "decrypt", "gcm(aes)", p, "--key", GCM_KEY, "--iv", GCM_IV, "--aad",
	       "feedfacedeadbeeffeedfacedeadbeefabaddad3");
	t_ok(t_cli_err_is(r, 1, "authentication failed", false),
	     "%s: decrypt gcm(aes) with other AAD -> exit 1", p);
	CRYPTO(r, all, all_len, "decrypt", "gcm(aes)", p, "--key", GCM_KEY, "--iv", GCM_IV);
	t_ok(t_cli_err_is(r, 1, "authentication failed", false),
	     "%s: decrypt gcm(aes) without the AAD -> exit 1", p);
	CRYPTO(r, all, 15, "decrypt", "gcm(aes)", p, "--key", GCM_KEY, "--iv", GCM_IV);
	if (!t_ok(t_cli_err_is(r, 1,
			       "ucmdctl: crypto decrypt: standard input: 15 bytes, shorter than the "
			       "16-byte tag that ends the input\n",
			       true),
		  "%s: decrypt gcm(aes) of 15 bytes -> exit 1, 'shorter than the 16-byte tag'", p))
		t_cli_show(r);
	CRYPTO(r, pt, pt_len, "encrypt", "gcm(aes)", p, "--key", GCM_KEY, "--iv", CBC_IV);
	t_ok(t_cli_err_is(r, 2, "--iv: 'gcm(aes)' takes a 12-byte IV, not 16 bytes", false),
	     "%s: gcm(aes) with a 16-byte IV -> exit 2", p);
out:
	free(pt);
	free(ct);
	free(tag);
	free(c2);
}

static void limits(struct t_cli *r, const char *p)
{
	uint8_t *big = calloc(1, UCRYPTO_MAX_LEN + 1);
	char want[PATH_MAX + 200];
	const char *f;

	if (!big)
		t_bail("out of memory");
	/* Hashes stream any size (ucrypto_stream_cli); encrypt and decrypt take one operation. */
	f = t_cli_put("big", big, UCRYPTO_MAX_LEN + 1);
	/* cbc and ctr stream too (ucrypto_stream_cli); a partial block still fails, writing nothing. */
	CRYPTO(r, NULL, 0, "encrypt", "cbc(aes)", p, "--key", AES128_KEY, "--iv", CBC_IV, "-o",
	       t_cli_path("big.out"), f);
	t_ok(t_cli_err_is(r, 1, "(the input is 1048577 bytes, not a multiple of the 16-byte block",
			  false) &&
		     !t_cli_exists("big.out"),
	     "%s: cbc encrypt of a 1048577-byte file -> exit 1, no output file", p);
	CRYPTO(r, NULL, 0, "encrypt", "gcm(aes)", p, "--key", GCM_KEY, "--iv", GCM_IV, "-o",
	       t_cli_path("big.out"), f);
	t_ok(t_cli_err_is(r, 1, " is larger than 1048576 bytes", false) && !t_cli_exists("big.out"),
	     "%s: AEAD (one-shot) encrypt of a 1048577-byte file -> exit 1, no output file", p);
	CRYPTO(r, big, UCRYPTO_MAX_LEN, "hash", "sha256", p);
	if (!t_ok(t_cli_out_is(r, SHA256_1MIB_ZERO "  -\n"),
		  "%s: hash of exactly 1048576 bytes through a pipe -> its sha256", p))
		t_cli_show(r);
	CRYPTO(r, NULL, 0, "hash", "sha256", p, t_cli_path("no-such-file"));
	snprintf(want, sizeof(want), "ucmdctl: crypto hash: %s: No such file or directory\n",
		 t_cli_path("no-such-file"));
	t_ok(t_cli_err_is(r, 1, want, true),
	     "%s: hash of a missing FILE -> exit 1, its name and ENOENT", p);
	free(big);
}

int main(void)
{
	struct stat st;

	t_init();
	t_cli_setup("cli_crypto");

	if (stat(UCRYPTO_DEVICE, &st) < 0)
		t_skip_all("%s: %s (the ucrypto module is not loaded)", UCRYPTO_DEVICE,
			   strerror(errno));
	t_cli_both_paths((const t_cli_checks[]){ hashes, keys, json, any_order, ciphers, aeads,
						 limits, NULL });
	return t_done();
}
