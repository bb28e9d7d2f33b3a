// SPDX-License-Identifier: GPL-2.0
/* ossl_mac.c - "openssl mac HMAC" (SHA256) with the ucrypto provider prints the default provider's MAC for keys and files of many sizes, and refuses another digest with a clear reason. */
#include "helpers.h"

static const size_t sizes[] = { 0, 1, 15, 16, 17, 64, 16385, 2 * 1048576 + 1 };
static const size_t key_sizes[] = { 1, 16, 32, 64, 65, 200 };

static void keyhex(char *out, size_t n, uint64_t *seed)
{
	static const char digits[] = "0123456789abcdef";

	strcpy(out, "hexkey:");
	out += strlen(out);
	for (size_t i = 0; i < 2 * n; i++)
		out[i] = digits[t_rand(seed, 16)];
	out[2 * n] = '\0';
}

static int mac(struct t_cli *r, const char *prov, const char *digest, const char *key,
	       const char *file)
{
	char prop[32];

	snprintf(prop, sizeof(prop), "provider=%s", prov);
	char dig[32];

	snprintf(dig, sizeof(dig), "digest:%s", digest);
	return t_ossl(r, (const char *const[]){ "mac", "-provider", prov, "-propquery", prop,
						"-macopt", dig, "-macopt", key, "-in", file, "HMAC",
						NULL });
}

int main(void)
{
	struct t_cli *def = malloc(sizeof(*def)), *uc = malloc(sizeof(*uc));
	uint64_t seed = t_now_ns() | 1, before;
	char key[7 + 2 * 200 + 1], name[32];
	const char *file;

	if (!def || !uc)
		t_bail("out of memory");
	t_init();
	t_ossl_setup("ossl_mac");
	t_diag("seed %" PRIu64, seed);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		snprintf(name, sizeof(name), "f%zu", sizes[i]);
		file = t_ossl_random_file(name, sizes[i], &seed);
		keyhex(key, key_sizes[i % (sizeof(key_sizes) / sizeof(key_sizes[0]))], &seed);
		mac(def, "default", "SHA256", key, file);
		before = t_ossl_issued();
		mac(uc, "ucrypto", "SHA256", key, file);
		t_ok(def->status == 0 && uc->status == 0 && def->out_len == uc->out_len &&
			     memcmp(def->out, uc->out, def->out_len) == 0,
		     "%zu bytes, %s: ucrypto's HMAC-SHA256 equals the default provider's", sizes[i],
		     key);
		t_ok(t_ossl_issued() > before, "%zu bytes: ucrypto's counter went up", sizes[i]);
	}
	t_diag("expecting a refusal:");
	t_ok(mac(uc, "ucrypto", "SHA1", key, file) != 0 && strstr(uc->err, "HMAC-SHA256 only"),
	     "HMAC with SHA1 is refused with the provider's reason");
	free(def);
	free(uc);
	return t_done();
}
