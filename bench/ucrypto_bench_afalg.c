// SPDX-License-Identifier: GPL-2.0
/* ucrypto_bench_afalg.c - ucrypto_bench's AF_ALG side (libkcapi): the handles, the driver the crypto API gave them, a batch, and the check that ucrypto and AF_ALG agree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include <kcapi.h>

#include "ucrypto_bench.h"

/*
 * The driver AF_ALG got: the highest-priority implementation of the name that is not internal
 * (what crypto_alloc_*() picks when async ones are allowed), read from /proc/crypto once the
 * AF_ALG handle exists and so has instantiated it.  Empty when /proc/crypto does not say.
 */
static void afalg_driver(const char *alg, char *out, size_t size)
{
	char line[256], name[UCRYPTO_NAME_MAX] = "", drv[UCRYPTO_NAME_MAX] = "";
	long prio = -1, best = -1;
	bool internal = false;
	FILE *f = fopen("/proc/crypto", "re");

	out[0] = '\0';
	if (!f)
		return;
	/* Entries are "key : value" lines separated by blank lines; a trailing one ends the last. */
	for (bool more = true; more;) {
		char *v;

		more = fgets(line, sizeof(line), f) != NULL;
		if (!more || line[0] == '\n') {
			if (!strcmp(name, alg) && !internal && prio > best) {
				best = prio;
				snprintf(out, size, "%s", drv);
			}
			name[0] = drv[0] = '\0';
			prio = -1;
			internal = false;
			continue;
		}
		v = strchr(line, ':');
		if (!v)
			continue;
		v += 2;
		v[strcspn(v, "\n")] = '\0';
		if (!strncmp(line, "name ", 5))
			snprintf(name, sizeof(name), "%s", v);
		else if (!strncmp(line, "driver ", 7))
			snprintf(drv, sizeof(drv), "%s", v);
		else if (!strncmp(line, "priority ", 9))
			prio = atol(v);
		else if (!strncmp(line, "internal ", 9))
			internal = !strcmp(v, "yes");
	}
	fclose(f);
}

/* The AF_ALG handles of @c's algorithm (c->kh NULL, c->kh_aio NULL: none). */
void afalg_setup(struct ctx *c)
{
	const struct alg *alg = c->alg;
	int ret;

	if (alg->type == UCRYPTO_TYPE_HASH)
		ret = kcapi_md_init(&c->kh, alg->name, 0);
	else
		ret = kcapi_cipher_init(&c->kh, alg->name, 0);
	if (!ret && alg->key_len)
		ret = kcapi_cipher_setkey(c->kh, key, alg->key_len);
	if (ret)
		c->kh = NULL;
	else
		afalg_driver(alg->name, c->afalg_driver, sizeof(c->afalg_driver));
	if (alg->type != UCRYPTO_TYPE_HASH &&
	    !kcapi_cipher_init(&c->kh_aio, alg->name, KCAPI_INIT_AIO) &&
	    kcapi_cipher_setkey(c->kh_aio, key, alg->key_len)) {
		kcapi_cipher_destroy(c->kh_aio);
		c->kh_aio = NULL;
	}
}

void afalg_teardown(struct ctx *c)
{
	if (c->kh && c->alg->type == UCRYPTO_TYPE_HASH)
		kcapi_md_destroy(c->kh);
	else if (c->kh)
		kcapi_cipher_destroy(c->kh);
	if (c->kh_aio)
		kcapi_cipher_destroy(c->kh_aio);
}

/*
 * One batch through AF_ALG (AFALG: @batch operations one after another; AFALG_AIO: BATCH in
 * one AIO submission); returns 0 or -errno.
 */
int afalg_batch(struct ctx *c, enum iface f, unsigned int batch)
{
	ssize_t r;

	if (f == AFALG_AIO) {
		r = kcapi_cipher_encrypt_aio(c->kh_aio, c->iniov, c->outiov, BATCH, c->iv,
					     KCAPI_ACCESS_HEURISTIC);
		return r < 0 ? (int)r : 0;
	}
	for (unsigned int i = 0; i < batch; i++) {
		if (c->alg->type == UCRYPTO_TYPE_HASH)
			r = kcapi_md_digest(c->kh, c->in[i], c->size, c->out[i], 64);
		else
			r = kcapi_cipher_encrypt(c->kh, c->in[i], c->size, c->iv, c->out[i],
						 c->size, KCAPI_ACCESS_HEURISTIC);
		if (r < 0)
			return (int)r;
	}
	return 0;
}

/* The outputs of ucrypto and AF_ALG for input 0 agree (a benchmark of wrong results is none). */
bool agree(struct ctx *c)
{
	uint8_t a[64], *b = xalloc(c->size);
	struct ucrypto_op op = c->op[0];
	ssize_t r1, r2;
	bool ok;

	op.dst = (uintptr_t)b;
	r1 = ioctl(c->fd, c->cmd, &op);
	if (c->alg->type == UCRYPTO_TYPE_HASH)
		r2 = kcapi_md_digest(c->kh, c->in[0], c->size, a, sizeof(a));
	else
		r2 = kcapi_cipher_encrypt(c->kh, c->in[0], c->size, c->iv, c->out[0], c->size,
					  KCAPI_ACCESS_HEURISTIC);
	ok = r1 > 0 && r1 == r2 &&
	     !memcmp(b, c->alg->type == UCRYPTO_TYPE_HASH ? a : c->out[0], (size_t)r1);
	free(b);
	return ok;
}
