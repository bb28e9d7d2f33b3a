/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/* ucrypto.h - user ABI of /dev/ucrypto: the kernel crypto API over io_uring commands and ioctl. */
#ifndef _UAPI_LINUX_UCRYPTO_H
#define _UAPI_LINUX_UCRYPTO_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define UCRYPTO_DEVICE		"/dev/ucrypto"
#define UCRYPTO_MAGIC		0xCE

/*
 * Every command is reachable through ioctl(2) and through IORING_OP_URING_CMD
 * with the same number in sqe->cmd_op.  For the _IOWR commands the SQE
 * command area holds a __u64 user pointer to the struct in bytes 0-7 (the
 * ioctl argument is the same pointer); the other payload bytes must be zero.
 * UCRYPTO_SESSION_DESTROY carries its __u32 inline.  The synchronous commands
 * may also be batched with UCMD_VEC (<linux/ucmd.h>): each entry's payload
 * holds the struct pointer.
 *
 * A file holds up to UCRYPTO_MAX_SESSIONS sessions; each binds one algorithm
 * instance and its key.  Closing the file destroys them; keys are wiped.
 */

/* Session types. */
#define UCRYPTO_TYPE_HASH	1	/* hashes and MACs: sha256, hmac(sha256), crc32c */
#define UCRYPTO_TYPE_SKCIPHER	2	/* cbc(aes), ctr(aes), xts(aes) */
#define UCRYPTO_TYPE_AEAD	3	/* gcm(aes) */

/*
 * Session flags.  UCRYPTO_SESSION_ALLOW_ASYNC (in): also consider
 * asynchronous implementations (hardware engines, cryptd); the crypto API
 * picks the one of highest priority.  UCRYPTO_SESSION_ASYNC (out): the
 * implementation chosen is asynchronous: the session's operations may
 * complete later (io_uring) and are refused inside UCMD_VEC (-EOPNOTSUPP).
 * An algorithm that only exists asynchronously, such as cryptd(...), gets an
 * asynchronous session even without UCRYPTO_SESSION_ALLOW_ASYNC.
 */
#define UCRYPTO_SESSION_ALLOW_ASYNC	(1U << 0)
#define UCRYPTO_SESSION_ASYNC		(1U << 16)
/*
 * UCRYPTO_SESSION_STREAM (out): the session takes data of any size in
 * pieces: a synchronous hash takes UCRYPTO_OP_INIT, _UPDATE and _FINAL; a
 * cbc(...) or ctr(...) cipher takes UCRYPTO_OP_IV_OUT.  See struct ucrypto_op.
 */
#define UCRYPTO_SESSION_STREAM		(1U << 17)

/* Limits. */
#define UCRYPTO_MAX_SESSIONS	64		/* per file; -EMFILE beyond */
#define UCRYPTO_MAX_LEN		(1U << 20)	/* len and aad_len; -EMSGSIZE beyond */
#define UCRYPTO_MAX_KEY_SIZE	512		/* -EINVAL beyond */
#define UCRYPTO_MAX_INFLIGHT	64		/* async operations per file; -EBUSY beyond */
#define UCRYPTO_NAME_MAX	128		/* algorithm and driver names, with the NUL */

/**
 * struct ucrypto_session - argument of UCRYPTO_SESSION_CREATE
 * @alg: in: user pointer to the NUL-terminated algorithm name, as the kernel
 *	crypto API spells it ("sha256", "hmac(sha256)", "gcm(aes)")
 * @key: in: user pointer to the key, or 0 when @key_len is 0
 * @driver: in: user pointer to UCRYPTO_NAME_MAX bytes that receive the name
 *	of the implementation chosen ("sha256-generic"), or 0
 * @key_len: in: bytes at @key (at most UCRYPTO_MAX_KEY_SIZE)
 * @type: in: UCRYPTO_TYPE_*, or 0 to try hash, skcipher, AEAD in turn;
 *	out: the session's type
 * @flags: in: UCRYPTO_SESSION_ALLOW_ASYNC or 0; out: plus UCRYPTO_SESSION_ASYNC
 * @tag_len: in: AEAD tag length, 0 for the algorithm's largest; out: the
 *	tag length (AEAD), else 0
 * @id: out: the session id (> 0), also the command's result
 * @digest_size: out: bytes of a hash's digest, else 0
 * @iv_size: out: bytes of the IV every operation must pass, else 0
 * @block_size: out: the algorithm's block size
 *
 * Errors: -ENOENT no such algorithm (of @type), -EINVAL bad key size, flags
 * or type, -ENOKEY a keyed hash without key, -ENAMETOOLONG, -EMFILE too many
 * sessions, -EFAULT.
 */
struct ucrypto_session {
	__u64 alg;
	__u64 key;
	__u64 driver;
	__u32 key_len;
	__u32 type;
	__u32 flags;
	__u32 tag_len;
	__u32 id;
	__u32 digest_size;
	__u32 iv_size;
	__u32 block_size;
};

/*
 * Operation flags (struct ucrypto_op.flags): data of any size, in pieces of
 * at most UCRYPTO_MAX_LEN bytes.  0 is the one-shot operation.
 *
 * Hashes (UCRYPTO_HASH on a session with UCRYPTO_SESSION_STREAM): each
 * session has one stream, so that no handle can be mixed up with another
 * session's and nothing is left to leak: the stream's state lives in the
 * session (a few hundred bytes, accounted to the caller's memory cgroup) and
 * goes with it (UCRYPTO_SESSION_DESTROY, close).  Hash two streams at once
 * with two sessions of the same algorithm and key.
 *   UCRYPTO_OP_INIT    starts the stream and hashes src[0..len);
 *                      -EALREADY if the session's stream is open
 *   UCRYPTO_OP_UPDATE  hashes src[0..len) into the open stream
 *   UCRYPTO_OP_FINAL   hashes src[0..len), writes the digest to dst and
 *                      ends the stream
 *   INIT | FINAL       a stream of one piece (the one-shot result)
 * Any other combination is -EINVAL; dst is required with FINAL and must be 0
 * without it.  UPDATE or FINAL without an open stream (never started, already
 * finalised, or ended by an error) is -EBADFD: "final twice" and "update after
 * final" both get it.  A stream takes one operation at a time: one that
 * finds another running on the same stream (two threads, two SQEs that
 * io_uring runs in parallel) fails with -EBUSY and leaves the stream as it
 * was; order pieces with IOSQE_IO_LINK (io_uring) or one thread.  An error
 * found before any data is read (-EINVAL, -EMSGSIZE, -EBUSY, -EALREADY,
 * -EBADFD) leaves the stream as it was; an error while hashing (-EFAULT,
 * -ENOMEM) ends it.  Results: @len for INIT and UPDATE, the digest size for
 * FINAL.  Asynchronous hash sessions do not stream: -EOPNOTSUPP.
 *
 * Ciphers: UCRYPTO_OP_IV_OUT (UCRYPTO_ENCRYPT, UCRYPTO_DECRYPT) writes the
 * IV for the next piece over the iv_size bytes at iv, as the crypto API
 * leaves it after the operation: for cbc(...) the last ciphertext block, for
 * ctr(...) the counter advanced by the blocks done.  So a large input
 * encrypted piece after piece, each with IV_OUT and the same iv buffer,
 * gives the one-shot result.  With IV_OUT, len must be a multiple of the
 * block size (16 for ctr(aes) too); the last piece may take any length the
 * mode accepts, without the flag.  Only sessions with UCRYPTO_SESSION_STREAM
 * (cbc and ctr modes) chain; others fail with -EOPNOTSUPP, among them
 * xts(...): the crypto API defines no output IV for XTS (crypto/xts.c
 * encrypts the IV into a tweak it keeps to itself and leaves req->iv as it
 * was; the tweak state cannot be exported), so XTS is done per data unit:
 * each piece is a unit (a sector) of its own, with its own IV.  AEADs are
 * one-shot (the tag covers the whole message): any flag is -EOPNOTSUPP.
 * Hash stream pieces read plain user memory: a registered buffer
 * (IORING_URING_CMD_FIXED) with INIT, UPDATE or FINAL is -EOPNOTSUPP.
 */
#define UCRYPTO_OP_INIT		(1U << 0)
#define UCRYPTO_OP_UPDATE	(1U << 1)
#define UCRYPTO_OP_FINAL	(1U << 2)
#define UCRYPTO_OP_IV_OUT	(1U << 3)

/**
 * struct ucrypto_op - argument of UCRYPTO_HASH, UCRYPTO_ENCRYPT, UCRYPTO_DECRYPT
 * @session: the session id
 * @flags: 0, or UCRYPTO_OP_* to work in pieces (see above)
 * @src: user pointer to @len bytes of input (message, plaintext, ciphertext)
 * @dst: user pointer to the output: the digest (digest_size bytes) for
 *	UCRYPTO_HASH, @len bytes for the ciphers; 0 (ciphers only) writes the
 *	output over @src.  Any overlap with @src is allowed.
 * @iv: user pointer to iv_size bytes (not for hashes); read only, except
 *	that UCRYPTO_OP_IV_OUT writes the next piece's IV there
 * @aad: AEAD: user pointer to @aad_len bytes of associated data, else 0
 * @tag: AEAD: user pointer to tag_len bytes: written by UCRYPTO_ENCRYPT,
 *	checked by UCRYPTO_DECRYPT; else 0
 * @len: bytes at @src, at most UCRYPTO_MAX_LEN
 * @aad_len: AEAD: bytes at @aad, at most UCRYPTO_MAX_LEN; else 0
 *
 * Registered buffers: over io_uring with IORING_URING_CMD_FIXED in
 * sqe->uring_cmd_flags, @src and @dst (its @len bytes, or the digest) must
 * lie inside the ring's registered buffer sqe->buf_index (-EFAULT otherwise,
 * also for an index without a buffer); @iv, @aad and @tag stay plain user
 * memory.  The other commands refuse the flag (-EINVAL).
 *
 * Result: the number of bytes written to @dst (the digest size for hashes,
 * @len for ciphers; @len for hash pieces without UCRYPTO_OP_FINAL).  Errors: -ENOENT no such session, -EINVAL an operation
 * the session's type does not have or a field that must be 0 is not (or a
 * length the mode refuses, e.g. CBC with a partial block), -EMSGSIZE, -EFAULT,
 * -EBADMSG (AEAD decryption: the tag does not match; nothing is written),
 * -EBUSY (too many asynchronous operations in flight, or the stream is in
 * use), -EOPNOTSUPP (a flag the session cannot do), and those of the flags
 * above.  Nothing is written to user memory unless the operation succeeds
 * (but a cipher that wrote its output may still fail with -EFAULT writing
 * the IV of UCRYPTO_OP_IV_OUT).
 */
struct ucrypto_op {
	__u32 session;
	__u32 flags;
	__u64 src;
	__u64 dst;
	__u64 iv;
	__u64 aad;
	__u64 tag;
	__u32 len;
	__u32 aad_len;
};

/* The session id (> 0); fills the struct's out fields. */
#define UCRYPTO_SESSION_CREATE	_IOWR(UCRYPTO_MAGIC, 0x01, struct ucrypto_session)
/* 0; destroys the session (in-flight operations finish first); -ENOENT. */
#define UCRYPTO_SESSION_DESTROY	_IOW(UCRYPTO_MAGIC, 0x02, __u32)
/* Digest size; the digest of src[0..len) at dst. */
#define UCRYPTO_HASH		_IOWR(UCRYPTO_MAGIC, 0x10, struct ucrypto_op)
/* len; encrypts src into dst (AEAD: and writes the tag). */
#define UCRYPTO_ENCRYPT		_IOWR(UCRYPTO_MAGIC, 0x11, struct ucrypto_op)
/* len; decrypts src into dst (AEAD: after checking the tag, -EBADMSG). */
#define UCRYPTO_DECRYPT		_IOWR(UCRYPTO_MAGIC, 0x12, struct ucrypto_op)

#endif /* _UAPI_LINUX_UCRYPTO_H */
