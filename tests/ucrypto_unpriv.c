// SPDX-License-Identifier: GPL-2.0
/* ucrypto_unpriv.c - an unprivileged user (uid 65534) hashes and encrypts through /dev/ucrypto but may not run the bench loop. */
#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/ucrypto_bench.h>

#include "helpers.h"

static const char abc_sha256[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

static void as_user(const struct tu_path *p)
{
	uint8_t want[32], dg[32], key[16] = { 9 }, iv[12] = { 1 }, pt[40], ct[40], back[40],
				  tag[16];
	struct ucrypto_bench b = { .op = UCRYPTO_BENCH_HASH, .len = 64, .iterations = 1 };
	int fd = uc_open(), h, g;

	uc_unhex(abc_sha256, want);
	h = uc_session(p, fd, "sha256", UCRYPTO_TYPE_HASH, NULL, 0);
	tap_ok(h > 0, "%s: uid %d creates a sha256 session (%d)", p->name, (int)getuid(), h);
	tap_ok(uc_hash(p, fd, (uint32_t)h, "abc", 3, dg) == 32 && !memcmp(dg, want, 32),
	       "%s: and gets the FIPS 180 digest of \"abc\"", p->name);
	b.session = (uint32_t)h;
	tap_err(uc_call(p, fd, UCRYPTO_BENCH_LOOP, &b), -EPERM,
		"%s: UCRYPTO_BENCH_LOOP needs CAP_SYS_ADMIN -> -EPERM", p->name);
	g = uc_session(p, fd, "gcm(aes)", UCRYPTO_TYPE_AEAD, key, sizeof(key));
	if (g == -ENOENT) {
		tap_skip("gcm(aes) not in this kernel", "%s: AEAD as an unprivileged user",
			 p->name);
	} else {
		memset(pt, 0x33, sizeof(pt));
		tap_ok(uc_crypt(p, fd, UCRYPTO_ENCRYPT, (uint32_t)g, pt, ct, sizeof(pt), iv, "ad",
				2, tag) == (int)sizeof(pt) &&
			       uc_crypt(p, fd, UCRYPTO_DECRYPT, (uint32_t)g, ct, back, sizeof(pt),
					iv, "ad", 2, tag) == (int)sizeof(pt) &&
			       !memcmp(pt, back, sizeof(pt)),
		       "%s: gcm(aes) round trip as an unprivileged user", p->name);
	}
	close(fd);
}

int main(void)
{
	struct tu_path paths[TU_NPATHS];
	pid_t pid;
	int st;

	tap_init();
	close(uc_open());
	if (geteuid() != 0) {
		tap_diag("not root: testing as uid %d itself", (int)getuid());
		tu_paths(paths);
		for (int i = 0; i < TU_NPATHS; i++)
			as_user(&paths[i]);
		tu_paths_exit(paths);
		return tap_done();
	}
	pid = tu_fork();
	if (pid == 0) {
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			tap_bail("dropping to uid 65534: %s", strerror(errno));
		tap_ok(getuid() == 65534 && geteuid() == 65534, "running as uid 65534");
		tu_paths(paths);
		for (int i = 0; i < TU_NPATHS; i++)
			as_user(&paths[i]);
		tu_paths_exit(paths);
		fflush(stdout);
		_exit(tap_failed() ? 1 : 0);
	}
	if (waitpid(pid, &st, 0) != pid)
		tap_bail("waitpid: %s", strerror(errno));
	tap_ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	       "the unprivileged child finished (status 0x%x)", st);
	return tap_done();
}
