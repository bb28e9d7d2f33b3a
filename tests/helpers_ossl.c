// SPDX-License-Identifier: GPL-2.0
/* helpers_ossl.c - for the ossl_* tests: the openssl command with the ucrypto provider, files of random bytes, ucrypto's counters. */
#include <sys/stat.h>

#include "helpers.h"

char t_ossl_dir[256];

static void ossl_cleanup(void)
{
	char cmd[300];

	/* Only what t_ossl_setup() made, under $TMPDIR or /tmp. */
	if (!t_ossl_dir[0] || strchr(t_ossl_dir, '\''))
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t_ossl_dir);
	if (system(cmd) != 0)
		t_diag("could not remove %s", t_ossl_dir);
}

void t_ossl_setup(const char *name)
{
	const char *tmp = getenv("TMPDIR");

	if (access(UCRYPTO_DEVICE, F_OK) != 0)
		t_skip_all("no %s (ucrypto.ko not loaded)", UCRYPTO_DEVICE);
	if (access(T_OSSL_OPENSSL, X_OK) != 0)
		t_skip_all("no %s (package openssl)", T_OSSL_OPENSSL);
	if (snprintf(t_ossl_dir, sizeof(t_ossl_dir), "%s/%s.XXXXXX", tmp && *tmp ? tmp : "/tmp",
		     name) >= (int)sizeof(t_ossl_dir) ||
	    !mkdtemp(t_ossl_dir))
		t_bail("mkdtemp %s: %s", t_ossl_dir, strerror(errno));
	atexit(ossl_cleanup);
}

int t_ossl(struct t_cli *r, const char *const *args)
{
	const char *argv[48];
	int n = 0;

	argv[n++] = "openssl";
	while (*args && n < 47)
		argv[n++] = *args++;
	argv[n] = NULL;
	r->status = t_run(T_OSSL_OPENSSL, argv, -1, -1, r->out, sizeof(r->out), &r->out_len, r->err,
			  sizeof(r->err), 600);
	if (r->status != 0) {
		t_diag("openssl %s %s exited with %d", argv[1], argv[2] ? argv[2] : "", r->status);
		t_cli_show(r);
	}
	return r->status;
}

uint64_t t_ossl_issued(void)
{
	struct ucmd_stats st;
	int ret = ucmd_stats_read(UCRYPTO_DEVICE, &st);

	if (ret < 0)
		t_bail("ucrypto's counters: %s", strerror(-ret));
	return st.issued;
}

const char *t_ossl_path(const char *name)
{
	static char paths[8][512];
	static unsigned int next;
	char *p = paths[next++ % 8];

	snprintf(p, sizeof(paths[0]), "%s/%s", t_ossl_dir, name);
	return p;
}

const char *t_ossl_random_file(const char *name, size_t len, uint64_t *seed)
{
	const char *path = t_ossl_path(name);
	uint8_t *buf = malloc(len ? len : 1);
	FILE *f;

	if (!buf)
		t_bail("out of memory for %zu bytes", len);
	t_fill_random(buf, len, seed);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0)
		t_bail("writing %s: %s", path, strerror(errno));
	free(buf);
	return path;
}

bool t_ossl_same_files(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	bool same = fa && fb;
	int ca, cb;

	while (same) {
		ca = getc(fa);
		cb = getc(fb);
		same = ca == cb;
		if (ca == EOF)
			break;
	}
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return same;
}
