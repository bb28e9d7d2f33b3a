// SPDX-License-Identifier: GPL-2.0
/* vec.c - UCMD_VEC runs a vector of sub-commands with one completion, writes back each result, and counts every chunk that ran even when its results cannot be written back. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "helpers.h"

static int vec_call(const struct t_path *p, int fd, const struct ucmd_vec *v)
{
	if (!p->ring)
		return ucmd_call_ioctl(fd, UCMD_VEC, (void *)v);
	return ucmd_call_uring(p->ring, fd, UCMD_VEC, v, sizeof(*v), NULL);
}

static void entry(struct ucmd_vec_entry *e, uint32_t op, const void *payload, size_t len)
{
	if (ucmd_vec_entry_init(e, op, payload, len))
		t_bail("ucmd_vec_entry_init");
	e->result = 0x5a5a5a5a; /* must be overwritten */
	e->res2 = 0xa5a5a5a5a5a5a5a5ULL;
}

static void flow(const struct t_path *p)
{
	struct ucmd_vec_entry e[6];
	int fd = t_open(O_RDWR);
	int v1 = -1, v2 = -1, ret;
	uint64_t p1 = (uintptr_t)&v1, p2 = (uintptr_t)&v2;
	int64_t three = 3;
	int five = 5;

	entry(&e[0], UCMD_DEMO_HELLO, NULL, 0);
	entry(&e[1], UCMD_DEMO_SET_VALUE, &five, sizeof(five));
	entry(&e[2], UCMD_DEMO_GET_VALUE, &p1, sizeof(p1));
	entry(&e[3], UCMD_DEMO_ADD, &three, sizeof(three));
	entry(&e[4], UCMD_DEMO_GET_VALUE, &p2, sizeof(p2));
	entry(&e[5], UCMD_DEMO_NOP, NULL, 0);
	ret = p->ring ? ucmd_vec_call_uring(p->ring, fd, e, 6) : ucmd_vec_call_ioctl(fd, e, 6);
	t_eq(ret, 6, "%s: a vector of 6 sub-commands -> 6 ran", p->name);
	t_ok(e[0].result == 0 && e[1].result == 0 && e[2].result == 0 && e[3].result == 8 &&
		     e[4].result == 0 && e[5].result == 0,
	     "%s: results HELLO 0, SET 0, GET 0, ADD 8, GET 0, NOP 0 (got %d %d %d %d %d %d)",
	     p->name, e[0].result, e[1].result, e[2].result, e[3].result, e[4].result, e[5].result);
	t_eq_u64(e[3].res2, 8, "%s: ADD's second result is the new value", p->name);
	t_ok(e[0].res2 == 0 && e[1].res2 == 0 && e[5].res2 == 0,
	     "%s: res2 is 0 for sub-commands without one", p->name);
	t_ok(v1 == 5 && v2 == 8, "%s: the GETs ran in order and saw 5 then 8", p->name);
	t_ok(t_demo_get(p, fd, &v1) == 0 && v1 == 8, "%s: the value after the vector is 8",
	     p->name);

	/* Failing and asynchronous sub-commands report in their entries. */
	{
		struct ucmd_demo_sleep s = { .nsec = 1000, .tag = 1 };

		entry(&e[0], UCMD_DEMO_NOP, NULL, 0);
		entry(&e[1], UCMD_DEMO_SLEEP, &s, sizeof(s));
		entry(&e[2], _IO('|', 0), NULL, 0);
		entry(&e[3], UCMD_DEMO_HELLO, "x", 1);
		ret = p->ring ? ucmd_vec_call_uring(p->ring, fd, e, 4) :
				ucmd_vec_call_ioctl(fd, e, 4);
		t_ok(ret >= 1 && ret <= 4, "%s: a vector with failing entries -> %d ran", p->name,
		     ret);
		t_eq(e[0].result, 0, "%s: NOP entry -> 0", p->name);
		t_err(e[1].result, -EOPNOTSUPP, "%s: SLEEP entry refused -> -EOPNOTSUPP", p->name);
		if (ret == 4) {
			t_err(e[2].result, -ENOTTY, "%s: unknown entry -> -ENOTTY", p->name);
			t_err(e[3].result, -EINVAL,
			      "%s: HELLO with a non-zero payload byte -> -EINVAL", p->name);
		}
	}

	/* The whole vector is checked. */
	{
		struct ucmd_vec bad = { .entries = (uintptr_t)e, .nr = 0 };

		t_err(vec_call(p, fd, &bad), -EINVAL, "%s: nr 0 -> -EINVAL", p->name);
		bad.nr = UCMD_VEC_MAX + 1;
		t_err(vec_call(p, fd, &bad), -EINVAL, "%s: nr UCMD_VEC_MAX + 1 -> -EINVAL",
		      p->name);
		bad.nr = 1;
		bad.flags = 1;
		t_err(vec_call(p, fd, &bad), -EINVAL, "%s: flags 1 -> -EINVAL", p->name);
		bad.flags = 0;
		bad.entries = 8;
		t_err(vec_call(p, fd, &bad), -EFAULT, "%s: entries at address 8 -> -EFAULT",
		      p->name);
	}

	/* The largest vector. */
	{
		struct ucmd_vec_entry *big = calloc(UCMD_VEC_MAX, sizeof(*big));
		int bad = 0;

		for (int i = 0; i < UCMD_VEC_MAX; i++)
			entry(&big[i], UCMD_DEMO_NOP, NULL, 0);
		ret = p->ring ? ucmd_vec_call_uring(p->ring, fd, big, UCMD_VEC_MAX) :
				ucmd_vec_call_ioctl(fd, big, UCMD_VEC_MAX);
		for (int i = 0; i < UCMD_VEC_MAX; i++)
			bad += big[i].result != 0;
		t_ok(ret == UCMD_VEC_MAX && bad == 0,
		     "%s: %d NOPs -> all ran with 0 (ret %d, %d bad)", p->name, UCMD_VEC_MAX, ret,
		     bad);
		free(big);
	}

	/*
	 * 32 ADDs of 1 (two chunks of 16) in an array whose second chunk is
	 * read-only: both chunks run, the second cannot be written back, and
	 * the result must still count it (32), or a caller would run its
	 * non-idempotent entries again.
	 */
	{
		long pg = sysconf(_SC_PAGESIZE);
		size_t chunk = 16 * sizeof(struct ucmd_vec_entry);
		int64_t one = 1;
		uint8_t *m = mmap(NULL, 2 * (size_t)pg, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		struct ucmd_vec_entry *ro;

		if (m == MAP_FAILED)
			t_bail("mmap");
		/* The first chunk ends exactly where the read-only page starts. */
		ro = (struct ucmd_vec_entry *)(m + pg - chunk);
		for (int i = 0; i < 32; i++)
			entry(&ro[i], UCMD_DEMO_ADD, &one, sizeof(one));
		if (mprotect(m + pg, (size_t)pg, PROT_READ))
			t_bail("mprotect");
		t_demo_set(p, fd, 0);
		ret = p->ring ? ucmd_vec_call_uring(p->ring, fd, ro, 32) :
				ucmd_vec_call_ioctl(fd, ro, 32);
		t_ok(t_demo_get(p, fd, &v1) == 0 && v1 == 32,
		     "%s: 32 ADDs, the last 16 results read-only: all 32 ran (value %d)", p->name,
		     v1);
		t_eq(ret, 32, "%s: ... and the result counts the chunk that ran", p->name);
		t_eq(ro[0].result, 1, "%s: ... the first chunk's results were written back",
		     p->name);
		munmap(m, 2 * (size_t)pg);
	}
	close(fd);

	/* Permission checks apply per entry. */
	{
		int ro = t_open(O_RDONLY);

		entry(&e[0], UCMD_DEMO_SET_VALUE, &five, sizeof(five));
		ret = p->ring ? ucmd_vec_call_uring(p->ring, ro, e, 1) :
				ucmd_vec_call_ioctl(ro, e, 1);
		t_ok(ret == 1 && e[0].result == -EBADF,
		     "%s: SET entry on an O_RDONLY file -> -EBADF in the entry (ret %d, result %d)",
		     p->name, ret, e[0].result);
		close(ro);
	}
}

int main(void)
{
	struct t_path paths[T_NPATHS];
	struct ucmd_vec_entry probe;
	int fd, ret;

	t_init();
	fd = t_open(O_RDWR);
	ucmd_vec_entry_init(&probe, UCMD_DEMO_NOP, NULL, 0);
	ret = ucmd_vec_call_ioctl(fd, &probe, 1);
	/* UCMD_VEC is framework ABI and the demo turns it on: -ENOTTY is a failure. */
	t_paths(paths);
	t_eq(ret, 1, "probe: ioctl UCMD_VEC of one NOP -> 1");
	for (int i = 0; i < T_NPATHS; i++)
		flow(&paths[i]);

	/* On SQE128 rings the 64 bytes after struct ucmd_vec must be zero. */
	{
		unsigned char p[80] = { 0 };
		struct ucmd_vec v = { .entries = (uintptr_t)&probe, .nr = 1 };

		memcpy(p, &v, sizeof(v));
		p[79] = 1;
		t_err(ucmd_call_uring(paths[2].ring, fd, UCMD_VEC, p, 80, NULL), -EINVAL,
		      "uring128: UCMD_VEC with byte 79 non-zero -> -EINVAL");
	}
	close(fd);
	t_paths_exit(paths);
	return t_done();
}
