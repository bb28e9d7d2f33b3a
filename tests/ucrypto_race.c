// SPDX-License-Identifier: GPL-2.0
/* ucrypto_race.c - threads share /dev/ucrypto sessions while others are destroyed and created in the same slots: right results or -ENOENT, never another session's. */
#include <pthread.h>
#include <unistd.h>

#include "helpers.h"

#define THREADS 4
#define ROUNDS 3000

static int fd;
static uint32_t hash_id, ctr_id;
static uint8_t msg[THREADS][100], want_dg[THREADS][32], want_ct[THREADS][100];
static const uint8_t key[16] = { 7 }, iv[16] = { 9 };
static volatile int stop;

struct result {
	int ok, gone, bad;
};

static void *worker(void *arg)
{
	int t = (int)(intptr_t)arg;
	struct t_path p = { "ioctl", NULL };
	struct result *r = calloc(1, sizeof(*r));
	uint8_t dg[32], ct[100];

	if (!r)
		return NULL;
	for (int i = 0; i < ROUNDS && !stop; i++) {
		int h = t_crypto_hash(&p, fd, hash_id, msg[t], sizeof(msg[t]), dg);
		int c = t_crypto_cipher(&p, fd, UCRYPTO_ENCRYPT, ctr_id, msg[t], ct, sizeof(msg[t]),
					iv, NULL, 0, NULL);

		if (h == 32 && !memcmp(dg, want_dg[t], 32))
			r->ok++;
		else if (h == -ENOENT)
			r->gone++;
		else
			r->bad++;
		if (c == (int)sizeof(ct) && !memcmp(ct, want_ct[t], sizeof(ct)))
			r->ok++;
		else
			r->bad++;
	}
	return r;
}

int main(void)
{
	struct t_path p = { "ioctl", NULL };
	pthread_t th[THREADS];
	int ok = 0, gone = 0, bad = 0, churn = 0, id;
	uint64_t seed = 0x72616365;

	t_init();
	fd = t_crypto_open();
	id = t_crypto_session(&p, fd, "sha256", UCRYPTO_TYPE_HASH, NULL, 0);
	hash_id = (uint32_t)id;
	id = t_crypto_session(&p, fd, "ctr(aes)", UCRYPTO_TYPE_SKCIPHER, key, sizeof(key));
	if (id == -ENOENT)
		t_skip_all("ctr(aes) not in this kernel");
	ctr_id = (uint32_t)id;
	if (!t_ok(hash_id > 0 && ctr_id > 0, "sha256 and ctr(aes) sessions (%u %u)", hash_id,
		  ctr_id))
		return t_done();
	t_fill_random(msg, sizeof(msg), &seed);
	for (int t = 0; t < THREADS; t++) {
		t_crypto_hash(&p, fd, hash_id, msg[t], sizeof(msg[t]), want_dg[t]);
		t_crypto_cipher(&p, fd, UCRYPTO_ENCRYPT, ctr_id, msg[t], want_ct[t], sizeof(msg[t]),
				iv, NULL, 0, NULL);
	}
	for (int t = 0; t < THREADS; t++)
		if (pthread_create(&th[t], NULL, worker, (void *)(intptr_t)t))
			t_bail("pthread_create");
	/* Destroy the hash session under the workers, then churn its slot with sha1 sessions. */
	t_sleep_ms(20);
	t_eq(t_crypto_destroy(&p, fd, hash_id), 0, "the shared sha256 session destroyed mid-run");
	for (int i = 0; i < 2000; i++) {
		id = t_crypto_session(&p, fd, "sha1", UCRYPTO_TYPE_HASH, NULL, 0);
		if (id > 0 && t_crypto_destroy(&p, fd, (uint32_t)id) == 0)
			churn++;
	}
	stop = 1;
	for (int t = 0; t < THREADS; t++) {
		struct result *r;

		pthread_join(th[t], (void **)&r);
		if (!r)
			t_bail("out of memory");
		ok += r->ok;
		gone += r->gone;
		bad += r->bad;
		free(r);
	}
	t_diag("%d right results, %d -ENOENT, %d sha1 sessions churned", ok, gone, churn);
	t_ok(gone > 0, "a destroy raced the operations at least once (%d -ENOENT)", gone);
	t_eq(bad, 0, "%d threads: every result right or -ENOENT, never another session's", THREADS);
	t_ok(churn == 2000, "sessions created and destroyed meanwhile (%d)", churn);
	t_eq(t_crypto_hash(&p, fd, hash_id, msg[0], sizeof(msg[0]), want_dg[0]), -ENOENT,
	     "the destroyed id stays invalid after 2000 new sessions");
	return t_done();
}
