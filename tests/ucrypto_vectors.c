// SPDX-License-Identifier: GPL-2.0
/* ucrypto_vectors.c - /dev/ucrypto reproduces published test vectors (FIPS 180, RFC 3720, RFC 4231, SP 800-38A, IEEE 1619, GCM) over ioctl and io_uring. */
#include "helpers.h"

/* A message is hex, or text when it starts with '\'' (the quote is dropped). */
struct hash_kat {
	const char *alg;
	const char *key;
	const char *msg;
	const char *digest;
	const char *what;
};

static const struct hash_kat hash_kats[] = {
	{ "sha256", "", "'abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	  "FIPS 180 abc" },
	{ "sha256", "", "'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", "FIPS 180 448 bits" },
	{ "sha256", "", "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	  "empty" },
	{ "sha256", "", NULL, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
	  "one million a" },
	{ "sha1", "", "'abc", "a9993e364706816aba3e25717850c26c9cd0d89d", "FIPS 180 abc" },
	{ "sha1", "", "'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	  "84983e441c3bd26ebaae4aa1f95129e5e54670f1", "FIPS 180 448 bits" },
	{ "sha1", "", NULL, "34aa973cd4c4daa4f61eeb2bdbad27316534016f", "one million a" },
	{ "crc32c", "", "0000000000000000000000000000000000000000000000000000000000000000",
	  "aa36918a", "RFC 3720 B.4 32 zeros" },
	{ "crc32c", "", "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	  "43aba862", "RFC 3720 B.4 32 ones" },
	{ "crc32c", "", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	  "4e79dd46", "RFC 3720 B.4 incrementing" },
	{ "crc32c", "", "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100",
	  "5cdb3f11", "RFC 3720 B.4 decrementing" },
	{ "crc32c", "",
	  "01c000000000000000000000000000001400000000000400000000140000001828000000000000000200000000000000",
	  "563a96d9", "RFC 3720 B.4 iSCSI PDU" },
	{ "hmac(sha256)", "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "'Hi There",
	  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", "RFC 4231 case 1" },
	{ "hmac(sha256)", "4a656665", "'what do ya want for nothing?",
	  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", "RFC 4231 case 2" },
	{ "hmac(sha256)", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
	  "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe", "RFC 4231 case 3" },
	{ "hmac(sha256)",
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  "'Test Using Larger Than Block-Size Key - Hash Key First",
	  "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", "RFC 4231 case 6" },
};

struct cipher_kat {
	const char *alg;
	const char *key;
	const char *iv;
	const char *pt;
	const char *ct;
	const char *what;
};

#define SP800_38A_PT                                                       \
	"6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51" \
	"30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710"

static const struct cipher_kat cipher_kats[] = {
	{ "cbc(aes)", "2b7e151628aed2a6abf7158809cf4f3c", "000102030405060708090a0b0c0d0e0f",
	  SP800_38A_PT,
	  "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"
	  "73bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7",
	  "SP 800-38A F.2.1 CBC-AES128" },
	{ "cbc(aes)", "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
	  "000102030405060708090a0b0c0d0e0f", SP800_38A_PT,
	  "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d"
	  "39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b",
	  "SP 800-38A F.2.5 CBC-AES256" },
	{ "ctr(aes)", "2b7e151628aed2a6abf7158809cf4f3c", "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
	  SP800_38A_PT,
	  "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff"
	  "5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee",
	  "SP 800-38A F.5.1 CTR-AES128" },
	{ "xts(aes)", "0000000000000000000000000000000000000000000000000000000000000000",
	  "00000000000000000000000000000000",
	  "0000000000000000000000000000000000000000000000000000000000000000",
	  "917cf69ebd68b2ec9b9fe9a3eadda692cd43d2f59598ed858c02c2652fbf922e",
	  "IEEE 1619 vector 1" },
	{ "xts(aes)", "1111111111111111111111111111111122222222222222222222222222222222",
	  "33333333330000000000000000000000",
	  "4444444444444444444444444444444444444444444444444444444444444444",
	  "c454185e6a16936e39334038acef838bfb186fff7480adc4289382ecd6d394f0",
	  "IEEE 1619 vector 2" },
};

struct aead_kat {
	const char *key;
	const char *iv;
	const char *aad;
	const char *pt;
	const char *ct;
	const char *tag;
	const char *what;
};

static const struct aead_kat aead_kats[] = {
	{ "00000000000000000000000000000000", "000000000000000000000000", "", "", "",
	  "58e2fccefa7e3061367f1d57a4e7455a", "GCM test case 1" },
	{ "00000000000000000000000000000000", "000000000000000000000000", "",
	  "00000000000000000000000000000000", "0388dace60b6a392f328c2b971b2fe78",
	  "ab6e47d42cec13bdf53a67b21257bddf", "GCM test case 2" },
	{ "feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888", "", T_GCM_P3, T_GCM_C3,
	  "4d5c2af327cd64a62cf35abd2ba6fab4", "GCM test case 3" },
	{ "feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
	  "feedfacedeadbeeffeedfacedeadbeefabaddad2", T_GCM_P3, T_GCM_C3,
	  "5bc94fbc3221a5db94fae95ae7121a47", "GCM test case 4 (60 bytes, with AAD)" },
};

/* Test case 4 uses the first 60 bytes of case 3's plaintext. */
#define GCM_TC4_LEN 60

static uint8_t *message(const char *msg, size_t *len)
{
	uint8_t *m;

	if (!msg) { /* one million 'a' */
		*len = 1000000;
		m = malloc(*len);
		if (m)
			memset(m, 'a', *len);
	} else if (msg[0] == '\'') {
		*len = strlen(msg + 1);
		m = malloc(*len + 1);
		if (m)
			memcpy(m, msg + 1, *len);
	} else {
		m = malloc(strlen(msg) / 2 + 1);
		if (m)
			*len = t_unhex(msg, m);
	}
	if (!m)
		t_bail("out of memory");
	return m;
}

static void hashes(const struct t_path *p, int fd)
{
	for (size_t i = 0; i < sizeof(hash_kats) / sizeof(hash_kats[0]); i++) {
		const struct hash_kat *k = &hash_kats[i];
		uint8_t key[256], want[64], got[64];
		size_t klen = t_unhex(k->key, key), dlen = t_unhex(k->digest, want), len;
		uint8_t *msg = message(k->msg, &len);
		int id = t_crypto_session(p, fd, k->alg, UCRYPTO_TYPE_HASH, key, (uint32_t)klen);
		int ret;

		if (id == -ENOENT) {
			t_skip("algorithm not in this kernel", "%s: %s %s", p->name, k->alg,
			       k->what);
			free(msg);
			continue;
		}
		if (!t_ok(id > 0, "%s: %s session (%d)", p->name, k->alg, id)) {
			free(msg);
			continue;
		}
		memset(got, 0x5a, sizeof(got));
		ret = t_crypto_hash(p, fd, (uint32_t)id, msg, (uint32_t)len, got);
		t_ok(ret == (int)dlen && !memcmp(got, want, dlen) && got[dlen] == 0x5a,
		     "%s: %s %s -> the published digest (%d)", p->name, k->alg, k->what, ret);
		t_eq(t_crypto_destroy(p, fd, (uint32_t)id), 0, "%s: %s session destroyed", p->name,
		     k->alg);
		free(msg);
	}
}

static void ciphers(const struct t_path *p, int fd)
{
	for (size_t i = 0; i < sizeof(cipher_kats) / sizeof(cipher_kats[0]); i++) {
		const struct cipher_kat *k = &cipher_kats[i];
		uint8_t key[64], iv[16], pt[64], ct[64], out[80], iv_copy[16];
		size_t klen = t_unhex(k->key, key), len = t_unhex(k->pt, pt);
		struct ucrypto_session s;
		int id, ret;

		t_unhex(k->iv, iv);
		t_unhex(k->ct, ct);
		id = t_crypto_session_ex(p, fd, k->alg, UCRYPTO_TYPE_SKCIPHER, key, (uint32_t)klen,
					 0, 0, &s);
		if (id == -ENOENT) {
			t_skip("algorithm not in this kernel", "%s: %s %s", p->name, k->alg,
			       k->what);
			continue;
		}
		if (!t_ok(id > 0 && s.iv_size == 16 && s.type == UCRYPTO_TYPE_SKCIPHER,
			  "%s: %s session (%d, iv_size %u)", p->name, k->alg, id, s.iv_size))
			continue;
		memcpy(iv_copy, iv, sizeof(iv));
		memset(out, 0x5a, sizeof(out));
		ret = t_crypto_cipher(p, fd, UCRYPTO_ENCRYPT, (uint32_t)id, pt, out, (uint32_t)len,
				      iv, NULL, 0, NULL);
		t_ok(ret == (int)len && !memcmp(out, ct, len) && out[len] == 0x5a,
		     "%s: %s %s encrypts to the published ciphertext (%d)", p->name, k->alg,
		     k->what, ret);
		t_ok(!memcmp(iv, iv_copy, sizeof(iv)), "%s: %s the IV is only read", p->name,
		     k->alg);
		/* Decrypt in place (dst 0), one block at a time where the mode chains. */
		ret = t_crypto_cipher(p, fd, UCRYPTO_DECRYPT, (uint32_t)id, out, NULL,
				      (uint32_t)len, iv, NULL, 0, NULL);
		t_ok(ret == (int)len && !memcmp(out, pt, len),
		     "%s: %s %s decrypts in place to the plaintext (%d)", p->name, k->alg, k->what,
		     ret);
		t_eq(t_crypto_destroy(p, fd, (uint32_t)id), 0, "%s: %s session destroyed", p->name,
		     k->alg);
	}
}

static void aeads(const struct t_path *p, int fd)
{
	for (size_t i = 0; i < sizeof(aead_kats) / sizeof(aead_kats[0]); i++) {
		const struct aead_kat *k = &aead_kats[i];
		uint8_t key[32], iv[12], aad[32], pt[64], ct[64], want_tag[16], tag[17], out[72];
		size_t klen = t_unhex(k->key, key), alen = t_unhex(k->aad, aad);
		size_t len = t_unhex(k->pt, pt);
		struct ucrypto_session s;
		int id, ret;

		t_unhex(k->iv, iv);
		t_unhex(k->ct, ct);
		t_unhex(k->tag, want_tag);
		if (alen)
			len = GCM_TC4_LEN;
		id = t_crypto_session_ex(p, fd, "gcm(aes)", UCRYPTO_TYPE_AEAD, key, (uint32_t)klen,
					 0, 0, &s);
		if (id == -ENOENT) {
			t_skip("algorithm not in this kernel", "%s: gcm(aes) %s", p->name, k->what);
			continue;
		}
		if (!t_ok(id > 0 && s.iv_size == 12 && s.tag_len == 16,
			  "%s: gcm(aes) session (%d, iv_size %u, tag_len %u)", p->name, id,
			  s.iv_size, s.tag_len))
			continue;
		memset(out, 0x5a, sizeof(out));
		memset(tag, 0x5a, sizeof(tag));
		ret = t_crypto_cipher(p, fd, UCRYPTO_ENCRYPT, (uint32_t)id, pt, out, (uint32_t)len,
				      iv, aad, (uint32_t)alen, tag);
		t_ok(ret == (int)len && !memcmp(out, ct, len) && out[len] == 0x5a,
		     "%s: gcm(aes) %s ciphertext (%d)", p->name, k->what, ret);
		t_ok(!memcmp(tag, want_tag, 16) && tag[16] == 0x5a, "%s: gcm(aes) %s tag", p->name,
		     k->what);
		memset(out, 0x5a, sizeof(out));
		ret = t_crypto_cipher(p, fd, UCRYPTO_DECRYPT, (uint32_t)id, ct, out, (uint32_t)len,
				      iv, aad, (uint32_t)alen, tag);
		t_ok(ret == (int)len && !memcmp(out, pt, len) && out[len] == 0x5a,
		     "%s: gcm(aes) %s decrypts and authenticates (%d)", p->name, k->what, ret);
		tag[15] ^= 1;
		memset(out, 0x5a, sizeof(out));
		ret = t_crypto_cipher(p, fd, UCRYPTO_DECRYPT, (uint32_t)id, ct, out, (uint32_t)len,
				      iv, aad, (uint32_t)alen, tag);
		t_err(ret, -EBADMSG, "%s: gcm(aes) %s with a bad tag", p->name, k->what);
		t_ok(out[0] == 0x5a && out[len ? len - 1 : 0] == 0x5a,
		     "%s: gcm(aes) %s: nothing written after a bad tag", p->name, k->what);
		if (alen) {
			tag[15] ^= 1;
			aad[0] ^= 1;
			ret = t_crypto_cipher(p, fd, UCRYPTO_DECRYPT, (uint32_t)id, ct, out,
					      (uint32_t)len, iv, aad, (uint32_t)alen, tag);
			t_err(ret, -EBADMSG, "%s: gcm(aes) %s with changed AAD", p->name, k->what);
		}
		t_eq(t_crypto_destroy(p, fd, (uint32_t)id), 0, "%s: gcm(aes) session destroyed",
		     p->name);
	}
}

int main(void)
{
	static t_crypto_case *const cases[] = { hashes, ciphers, aeads, NULL };

	t_init();
	t_crypto_cases(t_crypto_open(), cases);
	return t_done();
}
