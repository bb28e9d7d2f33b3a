// SPDX-License-Identifier: GPL-2.0
/* ucrypto_unpriv.c - an unprivileged user (uid 65534) hashes and encrypts through /dev/ucrypto but may not run the bench loop. */
#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/ucrypto_bench.h>

#include "helpers.h"

static const char abc_sha256[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

static void as_user(const struct t_path *p)
{
	uint8_t want[32], dg[32], key[16] = { 9 }, iv[12] = { 1 }, pt[40], ct[40], back[40],
				  tag[16];
	struct ucrypto_bench b = { .op = UCRYPTO_BENCH_HASH, .len = 64, .iterations = 1 };
	int fd = t_crypto_open(), h, g;

	t_unhex(abc_sha256, want);
	h = t_crypto_session(p, fd, "sha256", UCRYPTO_TYPE_HASH, NULL, 0);
	t_ok(h > 0, "%s: uid %d creates a sha256 session (%d)", p->name, (int)getuid(), h);
	t_ok(t_crypto_hash(p, fd, (uint32_t)h, "abc", 3, dg) == 32 && !memcmp(dg, want, 32),
	     "%s: and gets the FIPS 180 digest of \"abc\"", p->name);
	b.session = (uint32_t)h;
	t_err(t_crypto_call(p, fd, UCRYPTO_BENCH_LOOP, &b), -EPERM,
	      "%s: UCRYPTO_BENCH_LOOP needs CAP_SYS_ADMIN -> -EPERM", p->name);
	g = t_crypto_session(p, fd, "gcm(aes)", UCRYPTO_TYPE_AEAD, key, sizeof(key));
	if (g == -ENOENT) {
		t_skip("gcm(aes) not in this kernel", "%s: AEAD as an unprivileged user", p->name);
	} else {
		memset(pt, 0x33, sizeof(pt));
		t_ok(t_crypto_cipher(p, fd, UCRYPTO_ENCRYPT, (uint32_t)g, pt, ct, sizeof(pt), iv,
				     "ad", 2, tag) == (int)sizeof(pt) &&
			     t_crypto_cipher(p, fd, UCRYPTO_DECRYPT, (uint32_t)g, ct, back,
					     sizeof(pt), iv, "ad", 2, tag) == (int)sizeof(pt) &&
			     !memcmp(pt, back, sizeof(pt)),
		     "%s: gcm(aes) round trip as an unprivileged user", p->name);
	}
	close(fd);
}

int main(void)
{
	struct t_path paths[T_NPATHS];
	pid_t pid;
	int st;

	t_init();
	close(t_crypto_open());
	if (geteuid() != 0) {
		t_diag("not root: testing as uid %d itself", (int)getuid());
		t_paths(paths);
		for (int i = 0; i < T_NPATHS; i++)
			as_user(&paths[i]);
		t_paths_exit(paths);
		return t_done();
	}
	pid = t_fork();
	if (pid == 0) {
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			t_bail("dropping to uid 65534: %s", strerror(errno));
		t_ok(getuid() == 65534 && geteuid() == 65534, "running as uid 65534");
		t_paths(paths);
		for (int i = 0; i < T_NPATHS; i++)
			as_user(&paths[i]);
		t_paths_exit(paths);
		fflush(stdout);
		_exit(t_failed() ? 1 : 0);
	}
	if (waitpid(pid, &st, 0) != pid)
		t_bail("waitpid: %s", strerror(errno));
	t_ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the unprivileged child finished (status 0x%x)",
	     st);
	return t_done();
}
