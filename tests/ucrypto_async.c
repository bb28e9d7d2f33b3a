// SPDX-License-Identifier: GPL-2.0
/* ucrypto_async.c - asynchronous implementations (cryptd, pcrypt): results, many in flight, the in-flight limits, ring exit, process exit and destroy with operations in flight; skips without them. */
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

#define MANY 48

/*
 * Asynchronous wrappers are asked for by driver name: cryptd and pcrypt
 * instances keep the inner algorithm's name ("sha256") and get a driver
 * name "cryptd(<inner driver>)".  (Not cryptd(gcm...): 6.1's self-test of
 * it fails, "corrupted request struct", and warns.)
 */
static const char *const wrappers[] = { "cryptd", "pcrypt" };

static const uint8_t key[16] = { 0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
				 0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c };

/* Submits @n hash operations of @op (one ring) and returns how many were submitted. */
static int submit_hashes(struct io_uring *ring, int fd, struct ucrypto_op *op, int n)
{
	for (int i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

		if (!sqe)
			t_bail("no SQE");
		ucmd_prep_ptr(ring, sqe, fd, UCRYPTO_HASH, &op[i]);
		io_uring_sqe_set_data64(sqe, (uint64_t)i);
	}
	return io_uring_submit(ring);
}

static void hashes(int fd, const struct t_path *paths)
{
	static uint8_t msgs[MANY][300], dg[MANY][32], want[MANY][32];
	struct ucrypto_op op[MANY];
	char name[UCRYPTO_NAME_MAX + 8];
	int id, sync, bad = 0, done = 0;
	uint64_t seed = 0xa5;
	uint8_t *big;
	struct io_uring ring;
	struct ucmd_stats st;

	id = t_crypto_async_session(fd, "sha256", wrappers[0], UCRYPTO_TYPE_HASH, NULL, 0, name,
				    sizeof(name));
	if (!id) {
		t_crypto_no_async(wrappers[0], "async hash");
		return;
	}
	t_diag("asynchronous hash: %s", name);
	sync = t_crypto_session(&paths[0], fd, "sha256", UCRYPTO_TYPE_HASH, NULL, 0);
	big = malloc(1 << 20);
	if (!big)
		t_bail("out of memory");
	t_fill_random(big, 1 << 20, &seed);
	for (int i = 0; i < T_NPATHS; i++) {
		const struct t_path *p = &paths[i];
		uint8_t a[32], b[32];

		t_ok(t_crypto_hash(p, fd, (uint32_t)id, "abc", 3, a) == 32 &&
			     t_crypto_hash(p, fd, (uint32_t)sync, "abc", 3, b) == 32 &&
			     !memcmp(a, b, 32) && a[0] == 0xba,
		     "%s: %s digest of \"abc\"", p->name, name);
		t_ok(t_crypto_hash(p, fd, (uint32_t)id, big, 1 << 20, a) == 32 &&
			     t_crypto_hash(p, fd, (uint32_t)sync, big, 1 << 20, b) == 32 &&
			     !memcmp(a, b, 32),
		     "%s: %s digest of 1 MiB equals the synchronous one", p->name, name);
	}

	/* Many in flight on one ring. */
	t_ring(&ring, 2 * MANY, 0);
	t_fill_random(msgs, sizeof(msgs), &seed);
	for (int i = 0; i < MANY; i++) {
		t_crypto_hash(&paths[0], fd, (uint32_t)sync, msgs[i], sizeof(msgs[i]) - i, want[i]);
		op[i] = (struct ucrypto_op){ .session = (uint32_t)id,
					     .src = (uintptr_t)msgs[i],
					     .dst = (uintptr_t)dg[i],
					     .len = sizeof(msgs[i]) - i };
	}
	t_eq(submit_hashes(&ring, fd, op, MANY), MANY, "%d operations submitted at once", MANY);
	for (int i = 0; i < MANY; i++) {
		struct io_uring_cqe *cqe;
		int k;

		if (io_uring_wait_cqe(&ring, &cqe))
			t_bail("io_uring_wait_cqe");
		k = (int)cqe->user_data;
		if (cqe->res != 32 || memcmp(dg[k], want[k], 32))
			bad++;
		else
			done++;
		io_uring_cqe_seen(&ring, cqe);
	}
	/* 48 of 300 bytes are below both limits (UCRYPTO_MAX_INFLIGHT, 8 MiB): no -EBUSY. */
	t_ok(!bad && done == MANY, "each of the %d completed with its digest (%d did)", MANY, done);

	/* Vectors are synchronous: an asynchronous session's entry is refused. */
	{
		struct ucmd_vec_entry e;
		uint64_t ptr = (uintptr_t)&op[0];

		ucmd_vec_entry_init(&e, UCRYPTO_HASH, &ptr, sizeof(ptr));
		t_eq(ucmd_vec_call_ioctl(fd, &e, 1), 1,
		     "a vector with an asynchronous operation ran");
		t_err(e.result, -EOPNOTSUPP, "its entry -> -EOPNOTSUPP");
	}

	/* Destroying the session with operations in flight: they finish with it. */
	memset(dg, 0, sizeof(dg));
	submit_hashes(&ring, fd, op, 16);
	t_eq(t_crypto_destroy(&paths[0], fd, (uint32_t)id), 0,
	     "session destroyed with 16 in flight");
	bad = 0;
	for (int i = 0; i < 16; i++) {
		struct io_uring_cqe *cqe;
		int k;

		if (io_uring_wait_cqe(&ring, &cqe))
			t_bail("io_uring_wait_cqe");
		k = (int)cqe->user_data;
		if (cqe->res != 32 || memcmp(dg[k], want[k], 32))
			bad++;
		io_uring_cqe_seen(&ring, cqe);
	}
	t_ok(!bad, "the 16 still completed with their digests");

	/* Ring exit with operations in flight. */
	id = t_crypto_async_session(fd, "sha256", wrappers[0], UCRYPTO_TYPE_HASH, NULL, 0, name,
				    sizeof(name));
	for (int i = 0; i < MANY; i++)
		op[i].session = (uint32_t)id;
	for (int i = 0; i < 8; i++) { /* long ones: still running at exit */
		op[i].src = (uintptr_t)big;
		op[i].len = 1 << 20;
	}
	submit_hashes(&ring, fd, op, MANY);
	io_uring_queue_exit(&ring);
	t_ok(t_wait_idle(&st, 10000), "ring closed with %d in flight: the device goes idle", MANY);
	t_stats_diag("after ring exit", &st);

	/* Process exit with operations in flight. */
	pid_t pid = t_fork();

	if (pid == 0) {
		struct io_uring r;

		if (ucmd_ring_init(&r, 2 * MANY, 0))
			_exit(2);
		submit_hashes(&r, fd, op, MANY);
		_exit(0);
	}
	int wst;

	waitpid(pid, &wst, 0);
	t_ok(WIFEXITED(wst) && WEXITSTATUS(wst) == 0 && t_wait_idle(&st, 10000),
	     "a process exiting with %d in flight: the device goes idle", MANY);
	t_ok(t_crypto_hash(&paths[1], fd, (uint32_t)id, "abc", 3, dg[0]) == 32 && dg[0][0] == 0xba,
	     "the session still works afterwards");
	t_crypto_destroy(&paths[0], fd, (uint32_t)id);
	t_crypto_destroy(&paths[0], fd, (uint32_t)sync);
	free(big);
}

/*
 * While @on, this thread runs on its current CPU alone, as SCHED_FIFO: cryptd
 * queues an operation's work on the submitting CPU, and a SCHED_OTHER worker
 * cannot run there before the submitting io_uring_enter() returns, so none
 * of the operations it submits completes meanwhile.  False if not allowed.
 */
static bool hold_cpu(bool on)
{
	static cpu_set_t saved;
	struct sched_param sp = { .sched_priority = on ? 1 : 0 };
	cpu_set_t one;

	if (!on) {
		sched_setscheduler(0, SCHED_OTHER, &sp);
		sched_setaffinity(0, sizeof(saved), &saved);
		return true;
	}
	if (sched_getaffinity(0, sizeof(saved), &saved))
		return false;
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	if (sched_setaffinity(0, sizeof(one), &one))
		return false;
	if (sched_setscheduler(0, SCHED_FIFO, &sp)) {
		sched_setaffinity(0, sizeof(saved), &saved);
		return false;
	}
	return true;
}

/*
 * Submits @n hashes of @len bytes each in one io_uring_enter() on an
 * asynchronous session, holding the CPU: the first @max complete with their
 * digests, the ones past the limit get -EBUSY.
 */
static void limit(int fd, int id, int sync, int n, uint32_t len, int max, const char *what)
{
	static uint8_t dg[80][32], want[32];
	struct ucrypto_op op[80];
	struct t_path p = { "ioctl", NULL };
	int bad = 0, busy = 0, early = 0, ret;
	struct io_uring ring;
	uint64_t seed = 0x5eed;
	uint8_t *buf;

	buf = malloc(len);
	if (!buf || n > 80)
		t_bail("out of memory");
	t_fill_random(buf, len, &seed);
	t_crypto_hash(&p, fd, (uint32_t)sync, buf, len, want);
	for (int i = 0; i < n; i++)
		op[i] = (struct ucrypto_op){ .session = (uint32_t)id,
					     .src = (uintptr_t)buf,
					     .dst = (uintptr_t)dg[i],
					     .len = len };
	t_ring(&ring, 2 * (unsigned int)n, 0);
	if (!hold_cpu(true)) {
		t_skip("cannot run as SCHED_FIFO on one CPU", "%s", what);
		io_uring_queue_exit(&ring);
		free(buf);
		return;
	}
	ret = submit_hashes(&ring, fd, op, n);
	hold_cpu(false);
	t_eq(ret, n, "%s: %d operations of %u bytes submitted at once", what, n, len);
	for (int i = 0; i < n; i++) {
		struct io_uring_cqe *cqe;
		int k;

		if (io_uring_wait_cqe(&ring, &cqe))
			t_bail("io_uring_wait_cqe");
		k = (int)cqe->user_data;
		if (cqe->res == -EBUSY)
			busy++, early += k < max;
		else if (cqe->res != 32 || memcmp(dg[k], want, 32))
			bad++;
		io_uring_cqe_seen(&ring, cqe);
	}
	io_uring_queue_exit(&ring);
	t_ok(!bad && !early, "%s: the first %d completed with their digests (%d wrong, %d -EBUSY)",
	     what, max, bad, early);
	t_eq(busy, n - max, "%s: the %d past it got -EBUSY", what, n - max);
	free(buf);
}

/* UCRYPTO_MAX_INFLIGHT operations per file, and 8 MiB of data in flight. */
static void limits(int fd, const struct t_path *paths)
{
	char name[UCRYPTO_NAME_MAX + 8];
	int id, sync;

	id = t_crypto_async_session(fd, "sha256", wrappers[0], UCRYPTO_TYPE_HASH, NULL, 0, name,
				    sizeof(name));
	if (!id) {
		t_crypto_no_async(wrappers[0], "in-flight limits");
		return;
	}
	sync = t_crypto_session(&paths[0], fd, "sha256", UCRYPTO_TYPE_HASH, NULL, 0);
	limit(fd, id, sync, UCRYPTO_MAX_INFLIGHT + 16, 64 << 10, UCRYPTO_MAX_INFLIGHT,
	      "UCRYPTO_MAX_INFLIGHT");
	limit(fd, id, sync, 12, 1 << 20, 8, "8 MiB in flight");
	t_crypto_destroy(&paths[0], fd, (uint32_t)id);
	t_crypto_destroy(&paths[0], fd, (uint32_t)sync);
}

static void ciphers(int fd, const struct t_path *paths)
{
	static const char sp_pt[] =
		"6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51";
	static const char sp_ct[] =
		"7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2";
	uint8_t iv[16], pt[32], ct[32], out[32];
	char name[UCRYPTO_NAME_MAX + 8];
	int id;

	for (int i = 0; i < 16; i++)
		iv[i] = (uint8_t)i;
	t_unhex(sp_pt, pt);
	t_unhex(sp_ct, ct);
	id = t_crypto_async_session(fd, "cbc(aes)", wrappers[0], UCRYPTO_TYPE_SKCIPHER, key, 16,
				    name, sizeof(name));
	if (!id) {
		t_crypto_no_async(wrappers[0], "async skcipher");
		return;
	}
	for (int i = 0; i < T_NPATHS; i++) {
		const struct t_path *p = &paths[i];

		memset(out, 0, sizeof(out));
		t_ok(t_crypto_cipher(p, fd, UCRYPTO_ENCRYPT, (uint32_t)id, pt, out, 32, iv, NULL, 0,
				     NULL) == 32 &&
			     !memcmp(out, ct, 32),
		     "%s: %s SP 800-38A ciphertext", p->name, name);
		t_ok(t_crypto_cipher(p, fd, UCRYPTO_DECRYPT, (uint32_t)id, out, NULL, 32, iv, NULL,
				     0, NULL) == 32 &&
			     !memcmp(out, pt, 32),
		     "%s: %s decrypts in place", p->name, name);
	}
	t_crypto_destroy(&paths[0], fd, (uint32_t)id);
}

static void aeads(int fd, const struct t_path *paths)
{
	uint8_t iv[12] = { 0xca, 0xfe }, pt[100], ct[100], ref[100], tag[16], reftag[16], out[100];
	char name[UCRYPTO_NAME_MAX + 8];
	uint64_t seed = 7;
	int id, sync;

	id = t_crypto_async_session(fd, "gcm(aes)", wrappers[1], UCRYPTO_TYPE_AEAD, key, 16, name,
				    sizeof(name));
	if (!id) {
		t_crypto_no_async(wrappers[1], "async AEAD");
		return;
	}
	sync = t_crypto_session(&paths[0], fd, "gcm(aes)", UCRYPTO_TYPE_AEAD, key, 16);
	t_fill_random(pt, sizeof(pt), &seed);
	t_crypto_cipher(&paths[0], fd, UCRYPTO_ENCRYPT, (uint32_t)sync, pt, ref, sizeof(pt), iv,
			"hdr", 3, reftag);
	for (int i = 0; i < T_NPATHS; i++) {
		const struct t_path *p = &paths[i];

		t_ok(t_crypto_cipher(p, fd, UCRYPTO_ENCRYPT, (uint32_t)id, pt, ct, sizeof(pt), iv,
				     "hdr", 3, tag) == (int)sizeof(pt) &&
			     !memcmp(ct, ref, sizeof(ct)) && !memcmp(tag, reftag, 16),
		     "%s: %s encrypts as the synchronous gcm(aes)", p->name, name);
		t_ok(t_crypto_cipher(p, fd, UCRYPTO_DECRYPT, (uint32_t)id, ct, out, sizeof(pt), iv,
				     "hdr", 3, tag) == (int)sizeof(pt) &&
			     !memcmp(out, pt, sizeof(pt)),
		     "%s: %s decrypts", p->name, name);
		tag[0] ^= 0x80;
		memset(out, 0x5a, sizeof(out));
		t_err(t_crypto_cipher(p, fd, UCRYPTO_DECRYPT, (uint32_t)id, ct, out, sizeof(pt), iv,
				      "hdr", 3, tag),
		      -EBADMSG, "%s: %s with a bad tag", p->name, name);
		t_ok(out[0] == 0x5a && out[99] == 0x5a, "%s: nothing written after -EBADMSG",
		     p->name);
	}
	t_crypto_destroy(&paths[0], fd, (uint32_t)id);
	t_crypto_destroy(&paths[0], fd, (uint32_t)sync);
}

int main(void)
{
	struct t_path paths[T_NPATHS];
	struct ucrypto_session s;
	int fd, id;

	t_init();
	fd = t_crypto_open();
	t_paths(paths);
	id = t_crypto_session_ex(&paths[0], fd, "sha256", UCRYPTO_TYPE_HASH, NULL, 0,
				 UCRYPTO_SESSION_ALLOW_ASYNC, 0, &s);
	t_ok(id > 0, "UCRYPTO_SESSION_ALLOW_ASYNC is accepted (sha256: %d, flags 0x%x)", id,
	     s.flags);
	if (id > 0)
		t_crypto_destroy(&paths[0], fd, (uint32_t)id);
	hashes(fd, paths);
	limits(fd, paths);
	ciphers(fd, paths);
	aeads(fd, paths);
	t_paths_exit(paths);
	return t_done();
}
