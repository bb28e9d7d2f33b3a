// SPDX-License-Identifier: GPL-2.0
/* cli_uring_unavailable.c - where io_uring is refused (kernel.io_uring_disabled=2 on 6.6+, a seccomp filter returning ENOSYS or EPERM where the kernel has seccomp), ucmd_ring_init() says so and ucmdctl falls back to ioctl(2), or names --ioctl where it cannot. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "helpers.h"

#define SYSCTL "/proc/sys/kernel/io_uring_disabled"

static struct t_cli r;
static char digest[256]; /* crypto hash's output over ioctl, before anything was refused */
static char sysctl_was[16];

#define CLI(...) t_cli_run(&r, NULL, 0, (const char *const[]){ __VA_ARGS__, NULL })

static bool err_has(const char *what)
{
	return strstr(r.err, what) != NULL;
}

/* The checks while io_uring is refused with @err; @why is what ucmdctl should name. */
static void refused(const char *how, int err, const char *why)
{
	struct io_uring ring;
	struct t_jobj o;
	int ret;

	ret = ucmd_ring_init(&ring, 4, 0);
	if (ret == 0)
		io_uring_queue_exit(&ring);
	t_err(ret, -err, "%s: ucmd_ring_init -> -%d", how, err);

	CLI("--dev", t_dev_path(), "--json", "add", "7");
	if (!t_ok(t_cli_json_is(&r, 0, &o) && t_jstr(&o, "path", "ioctl") && t_jnum(&o, "value", 7),
		  "%s: ucmdctl add 7 (no --uring) runs over ioctl: path ioctl, value 7", how))
		t_cli_show(&r);
	if (!t_ok(err_has("io_uring is not available") && err_has(why) && err_has("using ioctl(2)"),
		  "%s: ... and says why on stderr ('%s')", how, why))
		t_cli_show(&r);

	CLI("--dev", t_dev_path(), "--uring", "get");
	if (!t_ok(r.status == 1 && r.out_len == 0 && err_has(why) && err_has("--ioctl"),
		  "%s: ucmdctl --uring get exits 1 naming the cause and --ioctl", how))
		t_cli_show(&r);

	CLI("--dev", t_dev_path(), "demo");
	if (!t_ok(r.status == 1 && err_has("io_uring is not available"),
		  "%s: ucmdctl demo (needs both paths) exits 1 saying io_uring is not available",
		  how))
		t_cli_show(&r);

	if (!*digest) {
		t_skip("no /dev/ucrypto", "%s: ucmdctl crypto hash falls back to ioctl", how);
		return;
	}
	CLI("--dev", UCRYPTO_DEVICE, "crypto", "hash", "sha256", "/etc/os-release");
	if (!t_ok(r.status == 0 && strcmp((char *)r.out, digest) == 0 && err_has("using ioctl(2)"),
		  "%s: ucmdctl crypto hash sha256 gives the ioctl path's digest", how))
		t_cli_show(&r);
}

static void restore_sysctl(void)
{
	int fd = open(SYSCTL, O_WRONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (write(fd, sysctl_was, strlen(sysctl_was)) < 0)
			t_diag("restoring %s: %s", SYSCTL, strerror(errno));
		close(fd);
	}
}

static bool put_sysctl(const char *v)
{
	int fd = open(SYSCTL, O_WRONLY | O_CLOEXEC);
	bool ok;

	if (fd < 0)
		return false;
	ok = write(fd, v, strlen(v)) == (ssize_t)strlen(v);
	close(fd);
	return ok;
}

/* kernel.io_uring_disabled=2 (Linux 6.6 and later): nobody may set up a ring. */
static void by_sysctl(void)
{
	struct io_uring ring;
	int fd = open(SYSCTL, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0) {
		t_skip("no " SYSCTL " (Linux < 6.6)", "kernel.io_uring_disabled=2");
		return;
	}
	n = read(fd, sysctl_was, sizeof(sysctl_was) - 1);
	close(fd);
	if (n <= 0)
		t_bail("reading %s", SYSCTL);
	sysctl_was[n] = '\0';
	atexit(restore_sysctl);
	if (!put_sysctl("2"))
		t_bail("writing 2 to %s: %s", SYSCTL, strerror(errno));
	refused("io_uring_disabled=2", EPERM, "kernel.io_uring_disabled is 2");
	restore_sysctl();
	t_eq(ucmd_ring_init(&ring, 4, 0), 0, "with the sysctl restored a ring sets up again");
	io_uring_queue_exit(&ring);
}

/*
 * A seccomp filter (as a container's) that fails io_uring_setup(2) with @err;
 * inherited.  Returns false on a kernel without seccomp filters (the debug
 * kernels' tinyconfig has no CONFIG_SECCOMP_FILTER).
 */
static bool seccomp_refuse(int err)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 0, 1),
		BPF_STMT(BPF_RET | BPF_K,
			 SECCOMP_RET_ERRNO | ((unsigned int)err & SECCOMP_RET_DATA)),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		t_bail("PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
	if (syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0)
		return true;
	if (errno != ENOSYS && errno != EINVAL)
		t_bail("installing a seccomp filter: %s", strerror(errno));
	return false;
}

int main(void)
{
	struct stat st;

	t_init();
	t_require_device();
	t_cli_setup("cli_uring_unavailable");
	if (stat(UCRYPTO_DEVICE, &st) == 0) {
		CLI("--dev", UCRYPTO_DEVICE, "--ioctl", "crypto", "hash", "sha256",
		    "/etc/os-release");
		if (t_ok(r.status == 0 && r.out_len > 64 && r.out_len < sizeof(digest),
			 "baseline: ucmdctl --ioctl crypto hash sha256 /etc/os-release"))
			memcpy(digest, r.out, r.out_len + 1);
		else
			t_cli_show(&r);
	}
	by_sysctl();
	/* Last: a seccomp filter stays for the rest of the process; the newer one decides. */
	if (!seccomp_refuse(ENOSYS)) {
		t_skip("kernel without seccomp filters (CONFIG_SECCOMP_FILTER)",
		       "io_uring_setup refused by seccomp");
		return t_done();
	}
	refused("seccomp ENOSYS", ENOSYS, "no io_uring in this kernel, or a seccomp filter");
	if (!seccomp_refuse(EPERM))
		t_bail("a second seccomp filter was refused");
	refused("seccomp EPERM", EPERM, "a seccomp filter or security policy");
	return t_done();
}
