// SPDX-License-Identifier: GPL-2.0
/* payload_zero.c - every command refuses a non-zero byte anywhere in the unused part of its payload (16-byte and 80-byte SQE areas) with -EINVAL, changing nothing. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

struct cmd {
	const char *name;
	uint32_t op;
	size_t used; /* payload bytes the command uses */
};

static const struct cmd cmds[] = {
	{ "HELLO", UCMD_DEMO_HELLO, 0 },
	{ "GET_VALUE", UCMD_DEMO_GET_VALUE, 8 },
	{ "SET_VALUE", UCMD_DEMO_SET_VALUE, 4 },
	{ "NOP", UCMD_DEMO_NOP, 0 },
	{ "ADD", UCMD_DEMO_ADD, 8 },
	{ "SLEEP", UCMD_DEMO_SLEEP, 16 },
	{ "RESET_STATS", UCMD_DEMO_RESET_STATS, 0 },
};

static int value; /* GET_VALUE's target */

/* A valid payload for @c and the result it must give. */
static int valid_payload(const struct cmd *c, unsigned char p[80], int cur)
{
	memset(p, 0, 80);
	switch (c->op) {
	case UCMD_DEMO_GET_VALUE: {
		uint64_t ptr = (uint64_t)(uintptr_t)&value;

		memcpy(p, &ptr, 8);
		return 0;
	}
	case UCMD_DEMO_SET_VALUE: {
		int v = cur; /* set to what it is: the value stays the same */

		memcpy(p, &v, 4);
		return 0;
	}
	case UCMD_DEMO_ADD: {
		int64_t d = 0;

		memcpy(p, &d, 8);
		return cur;
	}
	case UCMD_DEMO_SLEEP: {
		struct ucmd_demo_sleep s = { .nsec = 1000, .tag = 0 };

		memcpy(p, &s, sizeof(s));
		return 0;
	}
	default:
		return 0;
	}
}

static void probe(struct io_uring *ring, const char *rname, int fd, const struct cmd *c)
{
	size_t area = ucmd_ring_payload_size(ring);
	unsigned char p[80];
	char bad[512] = "";
	int want, ret, v = -1, nbad = 0;
	bool root = geteuid() == 0;

	if (c->op == UCMD_DEMO_RESET_STATS && !root) {
		t_skip("not root", "%s: RESET_STATS payload bytes", rname);
		return;
	}
	if (c->used >= area)
		return;

	for (size_t b = c->used; b < area; b++) {
		static const unsigned char junk[] = { 0x01, 0x80, 0xff };

		for (size_t j = 0; j < sizeof(junk); j++) {
			valid_payload(c, p, 1234);
			p[b] = junk[j];
			ret = ucmd_call_uring(ring, fd, c->op, p, area, NULL);
			if (ret != -EINVAL) {
				nbad++;
				if (strlen(bad) < sizeof(bad) - 40)
					snprintf(bad + strlen(bad), sizeof(bad) - strlen(bad),
						 " byte %zu=0x%02x->%d", b, junk[j], ret);
			}
		}
	}
	if (!t_ok(nbad == 0, "%s: %s with any of bytes %zu-%zu non-zero -> -EINVAL", rname, c->name,
		  c->used, area - 1))
		t_diag("  wrong results:%s", bad);

	t_ok(t_demo_get(&(struct t_path){ "ioctl", NULL }, fd, &v) == 0 && v == 1234,
	     "%s: ... and the refused %s changed nothing", rname, c->name);

	want = valid_payload(c, p, 1234);
	t_eq(ucmd_call_uring(ring, fd, c->op, p, area, NULL), want,
	     "%s: %s with the unused bytes zero -> %d", rname, c->name, want);
}

int main(void)
{
	struct io_uring small, big;
	int fd;

	t_init();
	t_require_device();
	t_ring(&small, 4, 0);
	t_ring(&big, 4, IORING_SETUP_SQE128 | IORING_SETUP_CQE32);
	fd = t_open(O_RDWR);
	t_eq(ucmd_call_ioctl(fd, UCMD_DEMO_SET_VALUE, &(int){ 1234 }), 0, "SET_VALUE 1234");

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		probe(&small, "uring (16-byte area)", fd, &cmds[i]);
		probe(&big, "uring128 (80-byte area)", fd, &cmds[i]);
	}

	close(fd);
	io_uring_queue_exit(&big);
	io_uring_queue_exit(&small);
	return t_done();
}
