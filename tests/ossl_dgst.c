// SPDX-License-Identifier: GPL-2.0
/* ossl_dgst.c - "openssl dgst -sha256" with the ucrypto provider prints the default provider's digest for files of 0 bytes to several MiB, and ucrypto's counters prove the kernel did the work. */
#include "helpers.h"

static const size_t sizes[] = {
	0, 1, 15, 16, 17, 63, 64, 65, 16383, 16384, 16385, 1048577, 5 * 1048576 + 3
};

/* One file: default provider, ucrypto alone (propquery), and both loaded as the README shows. */
static void one(const char *file, size_t size)
{
	struct t_cli *def = malloc(sizeof(*def)), *uc = malloc(sizeof(*uc));
	uint64_t before, after;

	if (!def || !uc)
		t_bail("out of memory");
	t_ossl(def, (const char *const[]){ "dgst", "-provider", "default", "-sha256", "-r", file,
					   NULL });
	before = t_ossl_issued();
	t_ossl(uc, (const char *const[]){ "dgst", "-provider", "ucrypto", "-propquery",
					  "provider=ucrypto", "-sha256", "-r", file, NULL });
	after = t_ossl_issued();
	t_ok(def->status == 0 && uc->status == 0 && def->out_len == uc->out_len &&
		     memcmp(def->out, uc->out, def->out_len) == 0,
	     "%zu bytes: ucrypto's sha256 equals the default provider's", size);
	/* At least the INIT|FINAL of the stream (plus the provider's probes at load). */
	t_ok(after > before, "%zu bytes: ucrypto's counter went up (%" PRIu64 " -> %" PRIu64 ")",
	     size, before, after);
	t_ossl(uc, (const char *const[]){ "dgst", "-provider", "ucrypto", "-provider", "default",
					  "-sha256", "-r", file, NULL });
	t_ok(uc->status == 0 && def->out_len == uc->out_len &&
		     memcmp(def->out, uc->out, def->out_len) == 0,
	     "%zu bytes: the same with both providers loaded", size);
	free(def);
	free(uc);
}

int main(void)
{
	uint64_t seed = t_now_ns() | 1;
	char name[32];

	t_init();
	t_ossl_setup("ossl_dgst");
	t_diag("seed %" PRIu64, seed);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		snprintf(name, sizeof(name), "f%zu", sizes[i]);
		one(t_ossl_random_file(name, sizes[i], &seed), sizes[i]);
	}
	return t_done();
}
