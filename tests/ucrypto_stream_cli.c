// SPDX-License-Identifier: GPL-2.0
/* ucrypto_stream_cli.c - ucmdctl crypto hash of files over 1 MiB (streamed in pieces) prints what sha256sum prints, from a pipe too, and --check passes them, over ioctl and io_uring. */
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

#define CRYPTO(r, in, in_len, ...) \
	t_cli_run((r), (in), (in_len), (const char *const[]){ "crypto", __VA_ARGS__, NULL })

/* sha256 of 1048577 zero bytes (GNU coreutils' sha256sum): one byte past one operation. */
#define SHA256_1MIB1_ZERO "2cb74edba754a81d121c9db6833704a8e7d417e5b13d1a19f4a52f007d644264"

static const char *big[3];
static uint8_t *zeros;

/* sha256sum (coreutils on a host, busybox in the guest), to compare with; NULL if none. */
static const char *sha256sum_tool(void)
{
	static const char *const cands[] = { "/usr/bin/sha256sum", "/bin/sha256sum" };

	for (size_t i = 0; i < sizeof(cands) / sizeof(cands[0]); i++)
		if (access(cands[i], X_OK) == 0)
			return cands[i];
	return NULL;
}

/* Files of 1 MiB + 1 (zeros), 4 MiB (what ucmdctl reads at a time) and 9 MiB + 13 bytes. */
static void make_files(void)
{
	static const size_t sizes[] = { UCRYPTO_MAX_LEN + 1, 4U * UCRYPTO_MAX_LEN,
					(9U << 20) + 13 };
	uint64_t seed = 0x636c6962696721ULL;
	uint8_t *buf = malloc(sizes[2]);
	char name[16];

	zeros = calloc(1, sizes[0]);
	if (!buf || !zeros)
		t_bail("out of memory");
	big[0] = strdup(t_cli_put("big0", zeros, sizes[0]));
	for (int i = 1; i < 3; i++) {
		snprintf(name, sizeof(name), "big%d", i);
		t_fill_random(buf, sizes[i], &seed);
		big[i] = strdup(t_cli_put(name, buf, sizes[i]));
	}
	free(buf);
}

static void hash_big(struct t_cli *r, const char *p)
{
	const char *tool = sha256sum_tool();
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
	t_cli_both_paths((const t_cli_checks[]){ hash_big, NULL });
	free(zeros);
	return t_done();
}
