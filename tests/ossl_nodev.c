// SPDX-License-Identifier: GPL-2.0
/* ossl_nodev.c - without /dev/ucrypto, or with a file that is not ucrypto, the provider refuses to load with the reason, and openssl exits with an error, never a crash. */
#include "helpers.h"

/* openssl dgst with the provider on $UCRYPTO_DEVICE=@dev: fails with @why on stderr. */
static void refused(struct t_cli *r, const char *dev, const char *file, const char *why)
{
	setenv("UCRYPTO_DEVICE", dev, 1);
	t_diag("expecting a refusal:");
	t_ossl(r, (const char *const[]){ "dgst", "-provider", "ucrypto", "-sha256", file, NULL });
	t_ok(r->status == 1 && r->out_len == 0 && strstr(r->err, why) &&
		     strstr(r->err, "unable to load provider ucrypto"),
	     "%s: openssl exits 1, the provider says '%s'", dev, why);
}

int main(void)
{
	struct t_cli *r = malloc(sizeof(*r));
	uint64_t seed = t_now_ns() | 1;
	const char *file;

	if (!r)
		t_bail("out of memory");
	t_init();
	t_ossl_setup("ossl_nodev");
	file = t_ossl_random_file("f", 100, &seed);
	refused(r, "/nonexistent/ucrypto", file, "open /nonexistent/ucrypto: No such file");
	/* /dev/null takes ioctls and uring commands; the sysfs check tells it apart. */
	refused(r, "/dev/null", file, "/dev/null is not /dev/ucrypto");
	unsetenv("UCRYPTO_DEVICE");
	t_ossl(r, (const char *const[]){ "dgst", "-provider", "ucrypto", "-sha256", file, NULL });
	t_ok(r->status == 0 && r->out_len > 64, "with /dev/ucrypto it loads and hashes");
	free(r);
	return t_done();
}
