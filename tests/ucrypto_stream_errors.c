// SPDX-License-Identifier: GPL-2.0
/* ucrypto_stream_errors.c - misuse of streams and chaining gets its documented errno and leaves the stream as documented, over ioctl and io_uring. */
#include <pthread.h>
#include <sys/mman.h>

#include "helpers.h"

static uint64_t seed = 0x73747265727273ULL;

static int piece(const struct t_path *p, int fd, int id, uint32_t flags, const void *src,
		 uint32_t len, void *dst)
{
	return t_crypto_piece(p, fd, UCRYPTO_HASH, (uint32_t)id, flags, src, dst, len, NULL);
}

/* The order of a stream's operations: -EBADFD, -EALREADY, and what each leaves. */
static void order(const struct t_path *p, int fd)
{
	uint8_t msg[3000], d[32], want[32];
	int id = t_crypto_session(p, fd, "sha256", UCRYPTO_TYPE_HASH, NULL, 0);

	t_fill_random(msg, sizeof(msg), &seed);
	t_crypto_hash(p, fd, (uint32_t)id, msg, sizeof(msg), want);
	t_err(piece(p, fd, id, UCRYPTO_OP_UPDATE, msg, 10, NULL), -EBADFD, "%s: UPDATE before INIT",
	      p->name);
	t_err(piece(p, fd, id, UCRYPTO_OP_FINAL, msg, 10, d), -EBADFD, "%s: FINAL before INIT",
	      p->name);
	t_eq(piece(p, fd, id, UCRYPTO_OP_INIT, msg, 1000, NULL), 1000, "%s: INIT", p->name);
	t_err(piece(p, fd, id, UCRYPTO_OP_INIT, msg, 10, NULL), -EALREADY,
	      "%s: INIT on an open stream", p->name);
	t_eq(piece(p, fd, id, UCRYPTO_OP_UPDATE, msg + 1000, 1000, NULL), 1000, "%s: UPDATE",
	     p->name);
	/* One-shot operations on the session leave its stream alone. */
	t_eq(t_crypto_hash(p, fd, (uint32_t)id, msg, 5, d), 32, "%s: a one-shot hash between",
	     p->name);
	memset(d, 0, sizeof(d));
	t_eq(piece(p, fd, id, UCRYPTO_OP_FINAL, msg + 2000, 1000, d), 32, "%s: FINAL", p->name);
	t_ok(!memcmp(d, want, 32), "%s: the refused INIT changed nothing: the one-shot digest",
	     p->name);
	t_err(piece(p, fd, id, UCRYPTO_OP_FINAL, msg, 0, d), -EBADFD, "%s: FINAL twice", p->name);
	t_err(piece(p, fd, id, UCRYPTO_OP_UPDATE, msg, 10, NULL), -EBADFD, "%s: UPDATE after FINAL",
	      p->name);
	t_eq(piece(p, fd, id, UCRYPTO_OP_INIT | UCRYPTO_OP_FINAL, msg, sizeof(msg), d), 32,
	     "%s: INIT | FINAL after a finished stream", p->name);
	t_ok(!memcmp(d, want, 32), "%s: INIT | FINAL is the one-shot digest", p->name);
	t_crypto_destroy(p, fd, (uint32_t)id);
}

/* Flags and fields a stream refuses before reading anything: the stream goes on. */
static void refused(const struct t_path *p, int fd)
{
	static uint8_t big[UCRYPTO_MAX_LEN + 1];
	uint8_t msg[64] = "abc", d[32], want[32];
	int id = t_crypto_session(p, fd, "sha256", UCRYPTO_TYPE_HASH, NULL, 0);
	struct ucrypto_op op = { .session = (uint32_t)id,
				 .flags = UCRYPTO_OP_UPDATE,
				 .src = (uintptr_t)msg,
				 .len = 3,
				 .iv = (uintptr_t)msg };
	void *bad = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	t_crypto_hash(p, fd, (uint32_t)id, msg, 6, want);
	t_eq(piece(p, fd, id, UCRYPTO_OP_INIT, msg, 3, NULL), 3, "%s: INIT", p->name);
	t_err(piece(p, fd, id, UCRYPTO_OP_INIT | UCRYPTO_OP_UPDATE, msg, 3, NULL), -EINVAL,
	      "%s: INIT | UPDATE", p->name);
	t_err(piece(p, fd, id, UCRYPTO_OP_UPDATE | UCRYPTO_OP_FINAL, msg, 3, d), -EINVAL,
	      "%s: UPDATE | FINAL", p->name);
	t_err(piece(p, fd, id, UCRYPTO_OP_UPDATE | (1U << 9), msg, 3, NULL), -EINVAL,
	      "%s: an unknown flag", p->name);
	t_err(piece(p, fd, id, UCRYPTO_OP_UPDATE, msg, 3, d), -EINVAL, "%s: UPDATE with a dst",
	      p->name);
	t_err(piece(p, fd, id, UCRYPTO_OP_FINAL, msg, 3, NULL), -EINVAL, "%s: FINAL without dst",
	      p->name);
	t_err(piece(p, fd, id, UCRYPTO_OP_IV_OUT, msg, 3, NULL), -EINVAL, "%s: IV_OUT on a hash",
	      p->name);
	t_err(t_crypto_call(p, fd, UCRYPTO_HASH, &op), -EINVAL, "%s: UPDATE with an iv", p->name);
	t_err(t_crypto_piece(p, fd, UCRYPTO_ENCRYPT, (uint32_t)id, UCRYPTO_OP_UPDATE, msg, NULL, 3,
			     NULL),
	      -EINVAL, "%s: UPDATE as UCRYPTO_ENCRYPT", p->name);
	t_err(piece(p, fd, id, UCRYPTO_OP_UPDATE, big, sizeof(big), NULL), -EMSGSIZE,
	      "%s: a piece over UCRYPTO_MAX_LEN", p->name);
	t_eq(piece(p, fd, id, UCRYPTO_OP_FINAL, msg + 3, 3, d), 32, "%s: FINAL after the refusals",
	     p->name);
	t_ok(!memcmp(d, want, 32), "%s: the refusals changed nothing", p->name);

	/* A fault while hashing ends the stream. */
	t_eq(piece(p, fd, id, UCRYPTO_OP_INIT, msg, 3, NULL), 3, "%s: INIT again", p->name);
	t_err(piece(p, fd, id, UCRYPTO_OP_UPDATE, bad, 4096, NULL), -EFAULT,
	      "%s: UPDATE from unreadable memory", p->name);
	t_err(piece(p, fd, id, UCRYPTO_OP_UPDATE, msg, 3, NULL), -EBADFD,
	      "%s: the fault ended the stream", p->name);
	t_eq(piece(p, fd, id, UCRYPTO_OP_INIT, msg, 3, NULL), 3, "%s: a new INIT", p->name);
	t_err(piece(p, fd, id, UCRYPTO_OP_FINAL, msg, 3, bad), -EFAULT,
	      "%s: FINAL into unwritable memory", p->name);
	t_err(piece(p, fd, id, UCRYPTO_OP_FINAL, msg, 3, d), -EBADFD, "%s: which ended it too",
	      p->name);
	munmap(bad, 4096);
	t_crypto_destroy(p, fd, (uint32_t)id);
}

/* Stream flags on ciphers and AEADs, chaining where it is not defined. */
static void other_types(const struct t_path *p, int fd)
{
	uint8_t key[32] = { 1 }, iv[16] = { 2 }, buf[64] = { 3 }, tag[16];
	struct ucrypto_session s;
	struct ucrypto_op op = { .src = (uintptr_t)buf,
				 .len = 32,
				 .iv = (uintptr_t)iv,
				 .tag = (uintptr_t)tag,
				 .flags = UCRYPTO_OP_IV_OUT };
	int cbc = t_crypto_session_ex(p, fd, "cbc(aes)", UCRYPTO_TYPE_SKCIPHER, key, 16, 0, 0, &s);
	int ctr = t_crypto_session(p, fd, "ctr(aes)", UCRYPTO_TYPE_SKCIPHER, key, 16);
	int xts =
		t_crypto_session_ex(p, fd, "xts(aes)", UCRYPTO_TYPE_SKCIPHER, key, 32, 0, 0, NULL);
	int gcm = t_crypto_session(p, fd, "gcm(aes)", UCRYPTO_TYPE_AEAD, key, 16);

	t_ok(s.flags & UCRYPTO_SESSION_STREAM, "%s: cbc(aes) says it chains", p->name);
	t_err(t_crypto_piece(p, fd, UCRYPTO_ENCRYPT, (uint32_t)cbc, UCRYPTO_OP_INIT, buf, buf, 32,
			     iv),
	      -EINVAL, "%s: INIT on a cipher", p->name);
	t_err(t_crypto_piece(p, fd, UCRYPTO_ENCRYPT, (uint32_t)cbc, UCRYPTO_OP_IV_OUT, buf, buf, 24,
			     iv),
	      -EINVAL, "%s: cbc IV_OUT of a partial block", p->name);
	t_err(t_crypto_piece(p, fd, UCRYPTO_ENCRYPT, (uint32_t)ctr, UCRYPTO_OP_IV_OUT, buf, buf, 17,
			     iv),
	      -EINVAL, "%s: ctr IV_OUT of 17 bytes (not whole blocks)", p->name);
	t_eq(t_crypto_piece(p, fd, UCRYPTO_ENCRYPT, (uint32_t)ctr, 0, buf, buf, 17, iv), 17,
	     "%s: ctr's last piece of 17 bytes, without IV_OUT", p->name);
	t_err(t_crypto_piece(p, fd, UCRYPTO_HASH, (uint32_t)cbc, UCRYPTO_OP_IV_OUT, buf, buf, 32,
			     iv),
	      -EINVAL, "%s: IV_OUT as UCRYPTO_HASH", p->name);
	if (xts > 0) {
		t_crypto_session_ex(p, fd, "xts(aes)", UCRYPTO_TYPE_SKCIPHER, key, 32, 0, 0, &s);
		t_ok(!(s.flags & UCRYPTO_SESSION_STREAM), "%s: xts(aes) does not chain", p->name);
		t_crypto_destroy(p, fd, s.id);
		t_err(t_crypto_piece(p, fd, UCRYPTO_ENCRYPT, (uint32_t)xts, UCRYPTO_OP_IV_OUT, buf,
				     buf, 32, iv),
		      -EOPNOTSUPP, "%s: xts IV_OUT", p->name);
	} else {
		t_skip("no xts(aes)", "%s: xts IV_OUT", p->name);
	}
	if (gcm > 0) {
		op.session = (uint32_t)gcm;
		t_err(t_crypto_call(p, fd, UCRYPTO_ENCRYPT, &op), -EOPNOTSUPP,
		      "%s: AEAD IV_OUT: one-shot only", p->name);
		op.flags = UCRYPTO_OP_INIT;
		t_err(t_crypto_call(p, fd, UCRYPTO_ENCRYPT, &op), -EOPNOTSUPP, "%s: AEAD INIT",
		      p->name);
		t_crypto_destroy(p, fd, (uint32_t)gcm);
	} else {
		t_skip("no gcm(aes)", "%s: AEAD refuses chaining", p->name);
	}
	t_crypto_destroy(p, fd, (uint32_t)cbc);
	t_crypto_destroy(p, fd, (uint32_t)ctr);
	if (xts > 0)
		t_crypto_destroy(p, fd, (uint32_t)xts);
}

/* An asynchronous hash session (cryptd around the sha256 driver) does not stream. */
static void async_hash(const struct t_path *p, int fd)
{
	char driver[UCRYPTO_NAME_MAX] = "", name[UCRYPTO_NAME_MAX + 16];
	struct ucrypto_session s = { .alg = (uintptr_t) "sha256",
				     .driver = (uintptr_t)driver,
				     .type = UCRYPTO_TYPE_HASH };
	uint8_t msg[8] = { 0 };
	int id = t_crypto_call(p, fd, UCRYPTO_SESSION_CREATE, &s);

	if (id > 0)
		t_crypto_destroy(p, fd, (uint32_t)id);
	snprintf(name, sizeof(name), "cryptd(%s)", driver);
	id = t_crypto_session_ex(p, fd, name, UCRYPTO_TYPE_HASH, NULL, 0,
				 UCRYPTO_SESSION_ALLOW_ASYNC, 0, &s);

	if (id <= 0 || !(s.flags & UCRYPTO_SESSION_ASYNC)) {
		t_skip("no asynchronous sha256 (cryptd)", "%s: an async hash refuses streams",
		       p->name);
		if (id > 0)
			t_crypto_destroy(p, fd, (uint32_t)id);
		return;
	}
	t_ok(!(s.flags & UCRYPTO_SESSION_STREAM), "%s: an async hash session does not say STREAM",
	     p->name);
	t_err(piece(p, fd, id, UCRYPTO_OP_INIT, msg, 8, NULL), -EOPNOTSUPP,
	      "%s: INIT on an async hash", p->name);
	t_crypto_destroy(p, fd, (uint32_t)id);
}

/* Two threads feeding one stream: each piece goes in whole or fails with -EBUSY. */
struct feeder {
	int fd, id, ok, busy, other;
	const uint8_t *piece;
};

#define PIECE (256U << 10)
#define FEEDS 40

static void *feed(void *arg)
{
	struct feeder *f = arg;

	for (int i = 0; i < FEEDS; i++) {
		struct ucrypto_op op = { .session = (uint32_t)f->id,
					 .flags = UCRYPTO_OP_UPDATE,
					 .src = (uintptr_t)f->piece,
					 .len = PIECE };
		int ret = ucmd_call_ioctl(f->fd, UCRYPTO_HASH, &op);

		if (ret == (int)PIECE)
			f->ok++;
		else if (ret == -EBUSY)
			f->busy++;
		else
			f->other++;
	}
	return NULL;
}

static void concurrent(int fd)
{
	static const struct t_path io = { "ioctl", NULL };
	uint8_t *piece = malloc(PIECE), d[32], want[32];
	int id = t_crypto_session(&io, fd, "sha256", UCRYPTO_TYPE_HASH, NULL, 0);
	int ref = t_crypto_session(&io, fd, "sha256", UCRYPTO_TYPE_HASH, NULL, 0);
	struct feeder f[2];
	pthread_t th[2];
	int busy = 0, ok = 0, other = 0, rounds = 0;

	if (!piece)
		t_bail("out of memory");
	t_fill_random(piece, PIECE, &seed);
	/* Identical pieces: the digest does not depend on the order they went in. */
	while (rounds++ < 10 && !busy) {
		t_crypto_piece(&io, fd, UCRYPTO_HASH, (uint32_t)id, UCRYPTO_OP_INIT, piece, NULL, 0,
			       NULL);
		for (int i = 0; i < 2; i++) {
			f[i] = (struct feeder){ .fd = fd, .id = id, .piece = piece };
			pthread_create(&th[i], NULL, feed, &f[i]);
		}
		ok = other = 0;
		for (int i = 0; i < 2; i++) {
			pthread_join(th[i], NULL);
			busy += f[i].busy;
			ok += f[i].ok;
			other += f[i].other;
		}
		t_crypto_piece(&io, fd, UCRYPTO_HASH, (uint32_t)id, UCRYPTO_OP_FINAL, piece, d, 0,
			       NULL);
	}
	t_eq(other, 0, "two threads on one stream: every piece is taken whole or -EBUSY");
	t_ok(busy > 0, "-EBUSY seen (%d times in %d rounds of %d pieces)", busy, rounds - 1,
	     2 * FEEDS);
	t_crypto_piece(&io, fd, UCRYPTO_HASH, (uint32_t)ref, UCRYPTO_OP_INIT, piece, NULL, 0, NULL);
	for (int i = 0; i < ok; i++)
		t_crypto_piece(&io, fd, UCRYPTO_HASH, (uint32_t)ref, UCRYPTO_OP_UPDATE, piece, NULL,
			       PIECE, NULL);
	t_crypto_piece(&io, fd, UCRYPTO_HASH, (uint32_t)ref, UCRYPTO_OP_FINAL, piece, want, 0,
		       NULL);
	t_ok(!memcmp(d, want, 32), "the digest is that of the %d pieces that went in", ok);
	free(piece);
	t_crypto_destroy(&io, fd, (uint32_t)id);
	t_crypto_destroy(&io, fd, (uint32_t)ref);
}

/* Open streams go with their session and their file (kmemleak checks, in the rig). */
static void teardown(void)
{
	static const struct t_path io = { "ioctl", NULL };
	uint8_t msg[100] = { 0 };
	int fd = t_crypto_open(), id = 0;

	for (int i = 0; i < 8; i++) {
		id = t_crypto_session(&io, fd, i % 2 ? "hmac(sha256)" : "sha256", UCRYPTO_TYPE_HASH,
				      msg, i % 2 ? 32 : 0);
		t_crypto_piece(&io, fd, UCRYPTO_HASH, (uint32_t)id, UCRYPTO_OP_INIT, msg, NULL, 100,
			       NULL);
	}
	t_eq(t_crypto_destroy(&io, fd, (uint32_t)id), 0,
	     "destroying a session with an open stream");
	t_eq(close(fd), 0, "closing a file with 7 open streams");
}

int main(void)
{
	static t_crypto_case *const cases[] = { order, refused, other_types, async_hash, NULL };
	int fd;

	t_init();
	fd = t_crypto_open();
	t_crypto_cases(fd, cases);
	concurrent(fd);
	teardown();
	close(fd);
	return t_done();
}
