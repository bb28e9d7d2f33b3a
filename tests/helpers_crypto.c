// SPDX-License-Identifier: GPL-2.0
/* helpers_crypto.c - /dev/ucrypto sessions and operations over ioctl and io_uring, for the ucrypto tests (see helpers.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "helpers.h"

int t_crypto_open(void)
{
	setenv("UCMD_DEVICE", UCRYPTO_DEVICE, 1);
	return t_open(O_RDWR);
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
