// SPDX-License-Identifier: GPL-2.0
/* fixedbuf_noflag.c - IORING_URING_CMD_FIXED on a command whose op takes no data buffer (no UCMD_F_BUF: session create and destroy, UCMD_VEC) fails with -EINVAL before its handler runs. */
#include <sys/mman.h>

#include "helpers.h"

static const struct t_path plain = { "ioctl", NULL };

static struct io_uring_sqe *sqe_of(struct io_uring *ring)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		t_bail("no SQE");
	return sqe;
}

/* Prepared by ucmd_prep() or ucmd_prep_ptr(), then with a valid buffer index. */
static int fixed_submit(struct io_uring *ring, struct io_uring_sqe *sqe)
{
	if (ucmd_prep_fixed(sqe, 0))
		t_bail("ucmd_prep_fixed");
	return t_submit_one(ring);
}

int main(void)
{
	struct ucrypto_session s = { 0 };
	struct ucmd_stats s0, st;
	struct ucmd_vec_entry e;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	uint8_t *reg, dg[32];
	uint32_t id;
	uint64_t ptr;
	int fd, sid;

	t_init();
	fd = t_crypto_open();
	t_ring(&ring, 8, 0);
	reg = t_fixed_register(&ring, 4096, 0);
	sid = t_crypto_session(&plain, fd, "sha256", UCRYPTO_TYPE_HASH, NULL, 0);
	if (sid <= 0)
		t_bail("sha256 session: %d", sid);
	t_stats(&s0);

	/* The session struct lies in the registered buffer: still no buffer op. */
	memcpy(reg, "sha256", 7);
	s.alg = (uintptr_t)reg;
	s.type = UCRYPTO_TYPE_HASH;
	sqe = sqe_of(&ring);
	ucmd_prep_ptr(&ring, sqe, fd, UCRYPTO_SESSION_CREATE, &s);
	t_err(fixed_submit(&ring, sqe), -EINVAL,
	      "SESSION_CREATE with IORING_URING_CMD_FIXED: -EINVAL");
	t_ok(s.id == 0 && s.digest_size == 0, "no session was created (nothing written back)");

	id = (uint32_t)sid;
	sqe = sqe_of(&ring);
	ucmd_prep(&ring, sqe, fd, UCRYPTO_SESSION_DESTROY, &id, sizeof(id));
	t_err(fixed_submit(&ring, sqe), -EINVAL,
	      "SESSION_DESTROY with IORING_URING_CMD_FIXED: -EINVAL");
	t_eq(t_crypto_hash(&plain, fd, id, "abc", 3, dg), 32, "the session still exists");

	/* A vector whose one entry is a hash (an op with a buffer): the vector has none. */
	{
		struct ucrypto_op op = {
			.session = id, .src = (uintptr_t)reg, .dst = (uintptr_t)(reg + 64), .len = 3
		};

		ptr = (uintptr_t)&op;
		ucmd_vec_entry_init(&e, UCRYPTO_HASH, &ptr, sizeof(ptr));
		e.result = 12345;
		sqe = sqe_of(&ring);
		ucmd_vec_prep(&ring, sqe, fd, &e, 1);
		t_err(fixed_submit(&ring, sqe), -EINVAL,
		      "UCMD_VEC with IORING_URING_CMD_FIXED: -EINVAL");
		t_eq(e.result, 12345, "its entry did not run");
	}

	t_stats(&st);
	t_eq_u64(st.issued - s0.issued, 4, "the three reached the device (and one plain hash)");
	t_eq_u64(st.completed_sync - s0.completed_sync, 4, "and completed there");
	t_eq_u64(st.refused, s0.refused, "no driver mistake counted");
	io_uring_queue_exit(&ring);
	munmap(reg, 4096);
	close(fd);
	return t_done();
}
