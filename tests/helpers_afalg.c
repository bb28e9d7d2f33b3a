// SPDX-License-Identifier: GPL-2.0
/* helpers_afalg.c - AF_ALG as the reference of the ucrypto tests (one-shot and streamed with MSG_MORE), and the ucrypto_stream tests' piece helpers (see helpers.h). */
#include <linux/if_alg.h>
#include <sys/socket.h>

#include "helpers.h"

#ifndef SOL_ALG
#define SOL_ALG 279
#endif

int t_afalg_aead_tfm(const char *name, const void *key, size_t klen, unsigned int authsize)
{
	int fd = t_afalg_tfm("aead", name, key, klen), err;

	if (fd >= 0 && authsize &&
	    setsockopt(fd, SOL_ALG, ALG_SET_AEAD_AUTHSIZE, NULL, authsize) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

int t_afalg_tfm(const char *type, const char *name, const void *key, size_t klen)
{
	struct sockaddr_alg sa = { .salg_family = AF_ALG };
	int fd, err;

	strncpy((char *)sa.salg_type, type, sizeof(sa.salg_type) - 1);
	strncpy((char *)sa.salg_name, name, sizeof(sa.salg_name) - 1);
	fd = socket(AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    (klen && setsockopt(fd, SOL_ALG, ALG_SET_KEY, key, (socklen_t)klen) < 0)) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

void t_afalg_need(const char *type, const char *name)
{
	int tfm = t_afalg_tfm(type, name, NULL, 0);

	if (tfm < 0)
		t_skip_all("no AF_ALG %s sockets (algif_%s)", type, type);
	close(tfm);
}

int t_afalg_op(int tfm)
{
	int op = accept4(tfm, NULL, 0, SOCK_CLOEXEC);

	return op < 0 ? -errno : op;
}

/* Sends all of @buf with @flags; 0 or -errno. */
static int send_all(int op, struct msghdr *msg, const uint8_t *buf, size_t len, int flags)
{
	struct iovec iov;

	do {
		ssize_t r;

		iov.iov_base = (void *)buf;
		iov.iov_len = len;
		msg->msg_iov = &iov;
		msg->msg_iovlen = 1;
		r = sendmsg(op, msg, flags);
		if (r < 0)
			return -errno;
		/* The control message (direction, IV) goes with the first bytes only. */
		msg->msg_control = NULL;
		msg->msg_controllen = 0;
		buf += r;
		len -= (size_t)r;
	} while (len);
	return 0;
}

/* The control messages of a cipher's first piece: direction, IV and (AEAD) associated data's length. */
union afalg_control {
	char buf[CMSG_SPACE(4) + CMSG_SPACE(4 + 64) + CMSG_SPACE(4)];
	struct cmsghdr align;
};

static void afalg_control(struct msghdr *msg, union afalg_control *c, bool enc, const void *iv,
			  size_t ivlen, size_t assoclen)
{
	struct af_alg_iv *aiv;
	struct cmsghdr *cm;
	uint32_t v;

	memset(c, 0, sizeof(*c));
	msg->msg_control = c->buf;
	msg->msg_controllen =
		CMSG_SPACE(4) + CMSG_SPACE(4 + ivlen) + (assoclen ? CMSG_SPACE(4) : 0);
	cm = CMSG_FIRSTHDR(msg);
	cm->cmsg_level = SOL_ALG;
	cm->cmsg_type = ALG_SET_OP;
	cm->cmsg_len = CMSG_LEN(4);
	v = enc ? ALG_OP_ENCRYPT : ALG_OP_DECRYPT;
	memcpy(CMSG_DATA(cm), &v, 4);
	cm = CMSG_NXTHDR(msg, cm);
	cm->cmsg_level = SOL_ALG;
	cm->cmsg_type = ALG_SET_IV;
	cm->cmsg_len = CMSG_LEN(4 + ivlen);
	aiv = (struct af_alg_iv *)(void *)CMSG_DATA(cm);
	aiv->ivlen = (uint32_t)ivlen;
	memcpy(aiv->iv, iv, ivlen);
	if (assoclen) {
		cm = CMSG_NXTHDR(msg, cm);
		cm->cmsg_level = SOL_ALG;
		cm->cmsg_type = ALG_SET_AEAD_ASSOCLEN;
		cm->cmsg_len = CMSG_LEN(4);
		v = (uint32_t)assoclen;
		memcpy(CMSG_DATA(cm), &v, 4);
	}
}

/* t_afalg_send() with the associated data's length of an AEAD's first piece. */
static int afalg_send(int op, const void *buf, size_t len, bool more, int enc, const void *iv,
		      size_t ivlen, size_t assoclen)
{
	union afalg_control c;
	struct msghdr msg = { 0 };

	if (enc >= 0) {
		if (ivlen > 64)
			return -EINVAL;
		afalg_control(&msg, &c, enc, iv, ivlen, assoclen);
	}
	if (!len && msg.msg_control) {
		struct iovec none = { NULL, 0 };

		msg.msg_iov = &none;
		msg.msg_iovlen = 1;
		return sendmsg(op, &msg, more ? MSG_MORE : 0) < 0 ? -errno : 0;
	}
	if (!len)
		return send(op, "", 0, more ? MSG_MORE : 0) < 0 ? -errno : 0;
	return send_all(op, &msg, buf, len, more ? MSG_MORE : 0);
}

int t_afalg_send(int op, const void *buf, size_t len, bool more, int enc, const void *iv,
		 size_t ivlen)
{
	return afalg_send(op, buf, len, more, enc, iv, ivlen, 0);
}

int t_afalg_read(int op, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t r = read(op, (uint8_t *)buf + done, len - done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		done += (size_t)r;
	}
	return (int)done;
}

/* AF_ALG's socket buffer holds a few of these. */
#define AFALG_PIECE (16U << 10)

int t_afalg_hash(int tfm, const void *msg, size_t len, void *out, size_t outlen)
{
	int op = t_afalg_op(tfm), ret = 0;
	size_t off = 0;

	if (op < 0)
		return op;
	while (off < len && !ret) {
		size_t n = len - off < AFALG_PIECE ? len - off : AFALG_PIECE;

		ret = t_afalg_send(op, (const uint8_t *)msg + off, n, off + n < len, -1, NULL, 0);
		off += n;
	}
	/* One read: reading a hash socket again yields the digest again. */
	if (!ret) {
		ssize_t r = read(op, out, outlen);

		ret = r < 0 ? -errno : (int)r;
	}
	close(op);
	return ret;
}

int t_afalg_crypt(int tfm, bool enc, const void *iv, size_t ivlen, size_t assoclen, const void *in,
		  size_t inlen, void *out, size_t outlen)
{
	int op = t_afalg_op(tfm), ret;

	if (op < 0)
		return op;
	ret = afalg_send(op, in, inlen, false, enc, iv, ivlen, assoclen);
	if (!ret)
		ret = t_afalg_read(op, out, outlen);
	close(op);
	return ret;
}

bool t_afalg_cipher_stream(int tfm, bool enc, const uint8_t *iv, const uint8_t *in, uint8_t *out,
			   size_t len)
{
	int op = t_afalg_op(tfm);
	size_t off = 0;
	bool ok = op >= 0;

	do {
		size_t n = len - off < AFALG_PIECE ? len - off : AFALG_PIECE;
		bool more = off + n < len;

		ok = ok && !t_afalg_send(op, in + off, n, more, off ? -1 : enc, iv, 16) &&
		     t_afalg_read(op, out + off, n) == (int)n;
		off += n;
	} while (ok && off < len);
	if (op >= 0)
		close(op);
	return ok;
}

int t_crypto_piece(const struct t_path *p, int fd, uint32_t cmd, uint32_t id, uint32_t flags,
		   const void *src, void *dst, uint32_t len, void *iv)
{
	struct ucrypto_op op = {
		.session = id,
		.flags = flags,
		.src = (uintptr_t)src,
		.dst = (uintptr_t)dst,
		.iv = (uintptr_t)iv,
		.len = len,
	};

	return t_crypto_call(p, fd, cmd, &op);
}

size_t t_rand_len(uint64_t *seed, size_t big, size_t small, size_t max, size_t unit)
{
	static const size_t edges[] = { 0, 1, 15, 16, 17, 63, 64, 65, 4095, 4096, 4097, 65536 };
	size_t len;

	switch (t_rand(seed, 4)) {
	case 0:
		len = edges[t_rand(seed, sizeof(edges) / sizeof(edges[0]))];
		break;
	case 1:
		len = t_rand(seed, big);
		break;
	default:
		len = t_rand(seed, small);
		break;
	}
	if (len > max)
		len = max;
	return len / unit * unit;
}

size_t t_stream_piece_len(uint64_t *seed, size_t left, size_t unit)
{
	return t_rand_len(seed, UCRYPTO_MAX_LEN + 1, 3000, left, unit);
}

bool t_debug_kernel(void)
{
	return access("/proc/lockdep", F_OK) == 0;
}
