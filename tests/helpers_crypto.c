// SPDX-License-Identifier: GPL-2.0
/* helpers_crypto.c - /dev/ucrypto sessions and operations over ioctl and io_uring, for the ucrypto tests (see helpers.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "helpers.h"

int t_crypto_open(void)
{
	setenv("UCMD_DEVICE", UCRYPTO_DEVICE, 1);
	return t_open(O_RDWR);
}

void t_crypto_cases(int fd, t_crypto_case *const cases[])
{
	struct t_path paths[T_NPATHS];

	t_paths(paths);
	for (int i = 0; i < T_NPATHS; i++)
		for (size_t c = 0; cases[c]; c++)
			cases[c](&paths[i], fd);
	t_paths_exit(paths);
}

int t_crypto_call(const struct t_path *p, int fd, uint32_t cmd, void *arg)
{
	uint64_t ptr = (uint64_t)(uintptr_t)arg;

	if (!p->ring)
		return ucmd_call_ioctl(fd, cmd, arg);
	if (_IOC_DIR(cmd) == _IOC_WRITE)
		return ucmd_call_uring(p->ring, fd, cmd, arg, _IOC_SIZE(cmd), NULL);
	return ucmd_call_uring(p->ring, fd, cmd, &ptr, sizeof(ptr), NULL);
}

int t_crypto_session_ex(const struct t_path *p, int fd, const char *alg, uint32_t type,
			const void *key, uint32_t key_len, uint32_t flags, uint32_t tag_len,
			struct ucrypto_session *out)
{
	struct ucrypto_session s = {
		.alg = (uintptr_t)alg,
		.key = (uintptr_t)key,
		.key_len = key_len,
		.type = type,
		.flags = flags,
		.tag_len = tag_len,
	};
	int ret = t_crypto_call(p, fd, UCRYPTO_SESSION_CREATE, &s);

	if (out)
		*out = s;
	return ret;
}

int t_crypto_session(const struct t_path *p, int fd, const char *alg, uint32_t type,
		     const void *key, uint32_t key_len)
{
	return t_crypto_session_ex(p, fd, alg, type, key, key_len, 0, 0, NULL);
}

int t_crypto_destroy(const struct t_path *p, int fd, uint32_t id)
{
	return t_crypto_call(p, fd, UCRYPTO_SESSION_DESTROY, &id);
}

int t_crypto_hash(const struct t_path *p, int fd, uint32_t id, const void *src, uint32_t len,
		  void *digest)
{
	struct ucrypto_op op = {
		.session = id,
		.src = (uintptr_t)src,
		.dst = (uintptr_t)digest,
		.len = len,
	};

	return t_crypto_call(p, fd, UCRYPTO_HASH, &op);
}

int t_crypto_cipher(const struct t_path *p, int fd, uint32_t cmd, uint32_t id, const void *src,
		    void *dst, uint32_t len, const void *iv, const void *aad, uint32_t aad_len,
		    void *tag)
{
	struct ucrypto_op op = {
		.session = id,
		.src = (uintptr_t)src,
		.dst = (uintptr_t)dst,
		.iv = (uintptr_t)iv,
		.aad = (uintptr_t)aad,
		.tag = (uintptr_t)tag,
		.len = len,
		.aad_len = aad_len,
	};

	return t_crypto_call(p, fd, cmd, &op);
}

size_t t_unhex(const char *hex, uint8_t *out)
{
	size_t n = 0;

	for (; hex[0] && hex[1]; hex += 2) {
		unsigned int b;

		if (sscanf(hex, "%2x", &b) != 1)
			t_bail("bad hex in a test vector: %s", hex);
		out[n++] = (uint8_t)b;
	}
	return n;
}

bool t_crypto_have_alg(int fd, const char *alg, uint32_t type, const void *key, uint32_t key_len)
{
	struct t_path p = { "ioctl", NULL };
	int id = t_crypto_session(&p, fd, alg, type, key, key_len);

	if (id > 0)
		t_crypto_destroy(&p, fd, (uint32_t)id);
	return id > 0;
}

/*
 * An asynchronous session for @alg: @wrapper around the driver of the
 * synchronous implementation.  Its id, or 0 (then @name says why).
 */
int t_crypto_async_session(int fd, const char *alg, const char *wrapper, uint32_t type,
			   const void *k, uint32_t klen, char *name, size_t size)
{
	struct t_path p = { "ioctl", NULL };
	struct ucrypto_session s = {
		.alg = (uintptr_t)alg, .type = type, .key = (uintptr_t)k, .key_len = klen
	};
	char driver[UCRYPTO_NAME_MAX];
	int id;

	s.driver = (uintptr_t)driver;
	id = t_crypto_call(&p, fd, UCRYPTO_SESSION_CREATE, &s);
	if (id <= 0) {
		snprintf(name, size, "%s: %d", alg, id);
		return 0;
	}
	t_crypto_destroy(&p, fd, (uint32_t)id);
	snprintf(name, size, "%s(%s)", wrapper, driver);
	id = t_crypto_session_ex(&p, fd, name, type, k, klen, 0, 0, &s);
	if (id > 0 && (s.flags & UCRYPTO_SESSION_ASYNC))
		return id;
	if (id > 0)
		t_crypto_destroy(&p, fd, (uint32_t)id);
	t_diag("%s: %d%s", name, id, id > 0 ? " (synchronous)" : "");
	return 0;
}

/*
 * Where the kernel has the wrapper (built in or loaded: /sys/module/<name>),
 * a missing asynchronous session is a failure, not a skip.
 */
static bool kernel_has(const char *wrapper)
{
	char path[64];

	snprintf(path, sizeof(path), "/sys/module/%s", wrapper);
	return access(path, F_OK) == 0;
}

void t_crypto_no_async(const char *wrapper, const char *what)
{
	if (kernel_has(wrapper))
		t_ok(false, "%s: the kernel has %s, yet no asynchronous session", what, wrapper);
	else
		t_skip("this kernel has no cryptd/pcrypt", "%s", what);
}

void *t_fixed_register(struct io_uring *ring, size_t len, unsigned int index)
{
	static uint8_t other[8][4096] __attribute__((aligned(4096)));
	struct iovec iov[9];
	void *buf;
	int ret;

	if (index >= 8)
		t_bail("t_fixed_register: index %u", index);
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		t_bail("mmap %zu: %s", len, strerror(errno));
	for (unsigned int i = 0; i < index; i++)
		iov[i] = (struct iovec){ other[i], sizeof(other[i]) };
	iov[index] = (struct iovec){ buf, len };
	ret = io_uring_register_buffers(ring, iov, index + 1);
	if (ret)
		t_bail("io_uring_register_buffers: %s", strerror(-ret));
	return buf;
}
