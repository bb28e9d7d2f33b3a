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
	struct tu_path p = { "ioctl", NULL };
	struct result *r = calloc(1, sizeof(*r));
	uint8_t dg[32], ct[100];

	if (!r)
		return NULL;
	for (int i = 0; i < ROUNDS && !stop; i++) {
		int h = uc_hash(&p, fd, hash_id, msg[t], sizeof(msg[t]), dg);
		int c = uc_crypt(&p, fd, UCRYPTO_ENCRYPT, ctr_id, msg[t], ct, sizeof(msg[t]), iv,
				 NULL, 0, NULL);

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
	struct tu_path p = { "ioctl", NULL };
	pthread_t th[THREADS];
	int ok = 0, gone = 0, bad = 0, churn = 0, id;
	uint64_t seed = 0x72616365;

	tap_init();
	fd = uc_open();
	id = uc_session(&p, fd, "sha256", UCRYPTO_TYPE_HASH, NULL, 0);
	hash_id = (uint32_t)id;
	id = uc_session(&p, fd, "ctr(aes)", UCRYPTO_TYPE_SKCIPHER, key, sizeof(key));
	if (id == -ENOENT)
		tap_skip_all("ctr(aes) not in this kernel");
	ctr_id = (uint32_t)id;
	if (!tap_ok(hash_id > 0 && ctr_id > 0, "sha256 and ctr(aes) sessions (%u %u)", hash_id,
		    ctr_id))
		return tap_done();
	uc_fill(msg, sizeof(msg), &seed);
	for (int t = 0; t < THREADS; t++) {
		uc_hash(&p, fd, hash_id, msg[t], sizeof(msg[t]), want_dg[t]);
		uc_crypt(&p, fd, UCRYPTO_ENCRYPT, ctr_id, msg[t], want_ct[t], sizeof(msg[t]), iv,
			 NULL, 0, NULL);
	}
	for (int t = 0; t < THREADS; t++)
		if (pthread_create(&th[t], NULL, worker, (void *)(intptr_t)t))
			tap_bail("pthread_create");
	/* Destroy the hash session under the workers, then churn its slot with sha1 sessions. */
	tu_sleep_ms(20);
	tap_eq(uc_destroy(&p, fd, hash_id), 0, "the shared sha256 session destroyed mid-run");
	for (int i = 0; i < 2000; i++) {
		id = uc_session(&p, fd, "sha1", UCRYPTO_TYPE_HASH, NULL, 0);
		if (id > 0 && uc_destroy(&p, fd, (uint32_t)id) == 0)
			churn++;
	}
	stop = 1;
	for (int t = 0; t < THREADS; t++) {
		struct result *r;

		pthread_join(th[t], (void **)&r);
		if (!r)
			tap_bail("out of memory");
		ok += r->ok;
		gone += r->gone;
		bad += r->bad;
		free(r);
	}
	tap_diag("%d right results, %d -ENOENT, %d sha1 sessions churned", ok, gone, churn);
	tap_ok(gone > 0, "a destroy raced the operations at least once (%d -ENOENT)", gone);
	tap_eq(bad, 0, "%d threads: every result right or -ENOENT, never another session's",
	       THREADS);
	tap_ok(churn == 2000, "sessions created and destroyed meanwhile (%d)", churn);
	tap_eq(uc_hash(&p, fd, hash_id, msg[0], sizeof(msg[0]), want_dg[0]), -ENOENT,
	       "the destroyed id stays invalid after 2000 new sessions");
	return tap_done();
}
