// SPDX-License-Identifier: GPL-2.0
/* lib_unit.c - libucmd's own behaviour (version, SQE encoding, size checks, res2, sync calls among the caller's completions, sysfs parsing, telling ucmd devices from other files, UCMD_VEC helpers); needs no ucmd device. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

#define CMD_AREA 48

/* A 128-byte SQE slot filled with garbage, as a reused ring slot would be. */
static union {
	struct io_uring_sqe sqe[2];
	unsigned char b[128];
} slot;

static void dirty(void)
{
	memset(slot.b, 0xa5, sizeof(slot.b));
}

static bool all(const unsigned char *p, size_t n, unsigned char v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

/* Every byte before the command area is zero except opcode, fd and cmd_op. */
static bool header_ok(int fd, uint32_t cmd_op)
{
	struct io_uring_sqe want;

	memset(&want, 0, sizeof(want));
	want.opcode = IORING_OP_URING_CMD;
	want.fd = fd;
	want.cmd_op = cmd_op;
	return memcmp(&want, slot.b, CMD_AREA) == 0;
}

static void test_prep(struct io_uring *small, struct io_uring *big)
{
	unsigned char pat[80];
	uint64_t ptrval;
	int x;

	for (int i = 0; i < 80; i++)
		pat[i] = (unsigned char)(i + 1);

	t_eq((long long)ucmd_ring_payload_size(small), 16,
	     "payload area is 16 bytes on a plain ring");
	t_eq((long long)ucmd_ring_payload_size(big), 80,
	     "payload area is 80 bytes on an SQE128 ring");
	t_ok(!ucmd_ring_has_res2(small), "plain ring has no res2");
	t_ok(ucmd_ring_has_res2(big), "CQE32 ring has res2");

	dirty();
	t_eq(ucmd_prep(small, slot.sqe, 7, 0x1234, pat, 16), 0, "prep 16 bytes on a plain ring");
	t_ok(header_ok(7, 0x1234), "prep sets opcode, fd, cmd_op and clears the rest of the SQE");
	t_ok(memcmp(slot.b + CMD_AREA, pat, 16) == 0, "16-byte payload copied to sqe->cmd");
	t_ok(all(slot.b + 64, 64, 0xa5), "prep on a 64-byte-SQE ring writes only 64 bytes");

	dirty();
	t_eq(ucmd_prep(small, slot.sqe, 3, 0x42, pat, 5), 0, "prep 5 bytes");
	t_ok(memcmp(slot.b + CMD_AREA, pat, 5) == 0 && all(slot.b + CMD_AREA + 5, 11, 0),
	     "unused payload bytes 5-15 are zero");

	dirty();
	t_eq(ucmd_prep(small, slot.sqe, 3, 0x42, NULL, 0), 0, "prep without payload");
	t_ok(header_ok(3, 0x42) && all(slot.b + CMD_AREA, 16, 0), "empty payload is all zero");

	dirty();
	t_err(ucmd_prep(small, slot.sqe, 3, 0x42, pat, 17), -EINVAL,
	      "17 bytes on a plain ring -> -EINVAL");
	t_ok(slot.sqe[0].opcode == IORING_OP_NOP && all(slot.b + 1, 63, 0),
	     "refused prep leaves a zeroed NOP");
	t_err(ucmd_prep(small, slot.sqe, 3, 0x42, NULL, 4), -EINVAL,
	      "NULL payload with a length -> -EINVAL");

	dirty();
	t_eq(ucmd_prep(big, slot.sqe, 9, 0x99, pat, 80), 0, "prep 80 bytes on an SQE128 ring");
	t_ok(header_ok(9, 0x99) && memcmp(slot.b + CMD_AREA, pat, 80) == 0,
	     "80-byte payload copied to sqe->cmd");
	dirty();
	t_eq(ucmd_prep(big, slot.sqe, 9, 0x99, pat, 3), 0, "prep 3 bytes on an SQE128 ring");
	t_ok(all(slot.b + CMD_AREA + 3, 77, 0), "unused payload bytes 3-79 are zero on SQE128");
	dirty();
	t_err(ucmd_prep(big, slot.sqe, 9, 0x99, pat, 81), -EINVAL, "81 bytes -> -EINVAL");
	t_ok(slot.sqe[0].opcode == IORING_OP_NOP && all(slot.b + 1, 127, 0),
	     "refused prep on SQE128 leaves a zeroed 128-byte NOP");

	dirty();
	t_eq(ucmd_prep_ptr(big, slot.sqe, 4, 0x77, &x), 0, "prep_ptr");
	memcpy(&ptrval, slot.b + CMD_AREA, 8);
	t_eq_u64(ptrval, (uint64_t)(uintptr_t)&x,
		 "prep_ptr stores the pointer as u64 in bytes 0-7");
	t_ok(header_ok(4, 0x77) && all(slot.b + CMD_AREA + 8, 72, 0), "prep_ptr zeroes bytes 8-79");
}

static void test_res2(struct io_uring *small, struct io_uring *big)
{
	struct {
		struct io_uring_cqe cqe;
		uint64_t extra[2];
	} c = { .cqe = { .user_data = 1, .res = 0 }, .extra = { 0x1122334455667788ULL, 5 } };

	t_eq_u64(ucmd_cqe_res2(big, &c.cqe), 0x1122334455667788ULL, "res2 is big_cqe[0] on CQE32");
	t_eq_u64(ucmd_cqe_res2(small, &c.cqe), 0, "res2 is 0 on a plain ring");
}

/* Queue a NOP with @user_data on @ring (not submitted). */
static void queue_nop(struct io_uring *ring, uint64_t user_data)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		t_bail("no free SQE");
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, user_data);
}

/* Whether the CQ ring holds exactly the completions @want (user_data), in that order, unseen. */
static bool cq_holds(struct io_uring *ring, const uint64_t *want, unsigned int n)
{
	struct io_uring_cqe *cqe;
	unsigned int head, i = 0;
	bool ok = io_uring_cq_ready(ring) == n;

	io_uring_for_each_cqe(ring, head, cqe) {
		if (i >= n || cqe->user_data != want[i] || cqe->res != 0)
			ok = false;
		i++;
	}
	return ok;
}

/*
 * ucmd_call_uring() with the caller's completions around its own: one that
 * was waiting already, one queued with it, and a leftover of an earlier call
 * (a user_data tagged as libucmd's).  It returns its own result and leaves the
 * caller's two unseen and in order; the leftover is dropped.
 */
static void test_call_order(struct io_uring *ring, int file)
{
	const uint64_t mine[] = { 4242, 4343 };
	const char *kind = ucmd_ring_has_res2(ring) ? "CQE32" : "plain";
	uint64_t res2 = 99;
	int ret;

	queue_nop(ring, mine[0]);
	queue_nop(ring, (UCMD_CALL_USER_DATA & UCMD_CALL_USER_DATA_MASK) | 7);
	if (io_uring_submit(ring) != 2)
		t_bail("submitting two NOPs");
	queue_nop(ring, mine[1]); /* queued, not submitted: ucmd_call_uring() submits it */
	ret = ucmd_call_uring(ring, file, 1, NULL, 0, &res2);
	t_err(ret, -EOPNOTSUPP,
	      "%s ring: ucmd_call_uring with the caller's completions around -> its own result",
	      kind);
	t_eq_u64(res2, 0, "%s ring: res2 of its own completion", kind);
	t_ok(cq_holds(ring, mine, 2),
	     "%s ring: the caller's two completions stay unseen, in order; the leftover is gone",
	     kind);
	io_uring_cq_advance(ring, io_uring_cq_ready(ring));
}

/*
 * A CQ ring full of the caller's completions: the command runs but its
 * completion cannot be posted, -EOVERFLOW says so; it comes tagged after the
 * caller reaps, and the next call drops it.
 */
static void test_call_overflow(struct io_uring *ring, int file)
{
	unsigned int entries = *ring->cq.kring_entries, i, n = 0;
	struct io_uring_cqe *cqe;
	int ret;

	for (i = 0; i < entries; i++) {
		queue_nop(ring, 100 + i);
		if (io_uring_sq_space_left(ring) == 0 || i + 1 == entries)
			n += io_uring_submit(ring);
	}
	if (n != entries || io_uring_cq_ready(ring) != entries)
		t_bail("filling the CQ ring: %u submitted, %u ready", n, io_uring_cq_ready(ring));
	t_err(ucmd_call_uring(ring, file, 1, NULL, 0, NULL), -EOVERFLOW,
	      "ucmd_call_uring on a full CQ ring -> -EOVERFLOW");
	t_eq(io_uring_cq_ready(ring), entries, "... the caller's %u completions untouched",
	     entries);
	io_uring_cq_advance(ring, entries);
	ret = io_uring_wait_cqe(ring, &cqe);
	t_ok(ret == 0 && UCMD_IS_CALL_USER_DATA(cqe->user_data) && cqe->res == -EOPNOTSUPP,
	     "its completion follows once reaped, tagged UCMD_IS_CALL_USER_DATA");
	/* Leave it there: the next call drops it and returns its own. */
	t_err(ucmd_call_uring(ring, file, 1, NULL, 0, NULL), -EOPNOTSUPP,
	      "the next call returns its own result");
	t_eq(io_uring_cq_ready(ring), 0, "... and dropped the leftover");
}

static void test_calls(struct io_uring *small, struct io_uring *big)
{
	char tmpl[] = "/tmp/ucmd-lib-unit-XXXXXX";
	uint64_t res2 = 99;
	int null, file, ret;

	t_err(ucmd_open("/nonexistent/ucmd", O_RDWR), -ENOENT,
	      "ucmd_open of a missing node -> -ENOENT");
	t_err(ucmd_open(NULL, O_RDWR), -EINVAL, "ucmd_open(NULL) -> -EINVAL");
	null = ucmd_open("/dev/null", O_RDWR);
	if (!t_ok(null >= 0, "ucmd_open /dev/null"))
		return;
	t_ok(fcntl(null, F_GETFD) & FD_CLOEXEC, "ucmd_open sets close-on-exec");
	file = mkstemp(tmpl);
	if (file < 0)
		t_bail("mkstemp: %s", strerror(errno));
	unlink(tmpl);

	t_err(ucmd_call_ioctl(null, UCMD_DEMO_HELLO, NULL), -ENOTTY,
	      "ucmd_call_ioctl returns -errno (/dev/null: -ENOTTY)");
	t_err(ucmd_call_uring(small, file, UCMD_DEMO_HELLO, NULL, 0, &res2), -EOPNOTSUPP,
	      "ucmd_call_uring on a file without ->uring_cmd -> -EOPNOTSUPP");
	t_eq_u64(res2, 0, "res2 cleared on a plain ring");

	/* Since Linux 6.0 /dev/null accepts uring commands and completes them with 0. */
	ret = ucmd_call_uring(big, null, 0x1234, "abc", 3, &res2);
	if (ret == -EOPNOTSUPP)
		t_skip("/dev/null has no uring_cmd on this kernel", "uring command on /dev/null");
	else
		t_ok(ret == 0 && res2 == 0, "uring command on /dev/null completes with 0, res2 0");

	t_err(ucmd_call_uring(small, null, 1, "0123456789abcdefX", 17, NULL), -EINVAL,
	      "ucmd_call_uring with 17 bytes on a plain ring -> -EINVAL");
	t_eq(io_uring_sq_ready(small), 0, "... and queues nothing");

	test_call_order(small, file);
	test_call_order(big, file);
	test_call_overflow(small, file);

	close(file);
	close(null);
}

static void put(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f))
		t_bail("writing %s", path);
}

/*
 * A program linked against libucmd 1.0 allocates the six-counter struct:
 * the LIBUCMD_1 reader it is bound to must not write past it.
 */
static void test_stats_v1(const char *dir)
{
	int (*read_v1)(const char *, struct ucmd_stats *);
	struct ucmd_stats st;

	read_v1 = (int (*)(const char *, struct ucmd_stats *))dlvsym(
		RTLD_DEFAULT, "ucmd_stats_read_dir", "LIBUCMD_1");
	if (!read_v1) {
		t_skip("libucmd is linked statically here: no symbol versions",
		       "ucmd_stats_read_dir@LIBUCMD_1 leaves retried alone");
		return;
	}
	memset(&st, 0xab, sizeof(st));
	t_ok(read_v1(dir, &st) == 0 && st.issued == 10 && st.inflight == UINT64_MAX &&
		     st.retried == 0xababababababababULL,
	     "ucmd_stats_read_dir@LIBUCMD_1 fills the six counters of 1.0 and nothing after");
}

static void test_stats(void)
{
	static const char *names[] = { "issued",  "completed_sync", "completed_async", "cancelled",
				       "refused", "inflight",	    "retried" };
	char dir[] = "/tmp/ucmd-stats-XXXXXX";
	struct ucmd_stats st;
	char path[512];

	if (!mkdtemp(dir))
		t_bail("mkdtemp: %s", strerror(errno));
	put(dir, "issued", "10\n");
	put(dir, "completed_sync", "6\n");
	put(dir, "completed_async", "3\n");
	put(dir, "cancelled", "1\n");
	put(dir, "refused", "0\n");
	put(dir, "inflight", "18446744073709551615\n");
	put(dir, "retried", "2\n");
	memset(&st, 0xff, sizeof(st));
	t_eq(ucmd_stats_read_dir(dir, &st), 0, "stats_read_dir on well-formed files");
	t_ok(st.issued == 10 && st.completed_sync == 6 && st.completed_async == 3 &&
		     st.cancelled == 1 && st.refused == 0 && st.inflight == UINT64_MAX &&
		     st.retried == 2,
	     "every counter parsed into its field, retried included");
	test_stats_v1(dir);
	put(dir, "refused", "7");
	t_ok(ucmd_stats_read_dir(dir, &st) == 0 && st.refused == 7, "a number without newline");
	put(dir, "refused", "12 3\n");
	t_err(ucmd_stats_read_dir(dir, &st), -EINVAL, "trailing garbage -> -EINVAL");
	put(dir, "refused", "-1\n");
	t_err(ucmd_stats_read_dir(dir, &st), -EINVAL, "a negative number -> -EINVAL");
	put(dir, "refused", "");
	t_err(ucmd_stats_read_dir(dir, &st), -EINVAL, "an empty file -> -EINVAL");
	put(dir, "refused", "18446744073709551616\n");
	t_err(ucmd_stats_read_dir(dir, &st), -ERANGE, "overflow -> -ERANGE");
	snprintf(path, sizeof(path), "%s/refused", dir);
	unlink(path);
	t_err(ucmd_stats_read_dir(dir, &st), -ENOENT, "a missing counter -> -ENOENT");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
	t_err(ucmd_stats_read("/dev/ucmd-no-such-device", &st), -ENOENT,
	      "stats of a device without sysfs counters -> -ENOENT");
	t_err(ucmd_stats_read("/dev/", &st), -EINVAL, "stats of an empty name -> -EINVAL");
}

static void test_vec(struct io_uring *small)
{
	struct ucmd_vec_entry e[3];
	struct ucmd_vec v;
	unsigned char pat[17] = "0123456789abcdef";
	int null;

	memset(e, 0xa5, sizeof(e));
	t_eq(ucmd_vec_entry_init(&e[0], 0x55, pat, 16), 0, "vec entry with a 16-byte payload");
	t_ok(e[0].cmd_op == 0x55 && e[0].result == 0 && e[0].res2 == 0 &&
		     memcmp(e[0].payload, pat, 16) == 0,
	     "entry fields set, results cleared");
	t_eq(ucmd_vec_entry_init(&e[1], 0x56, pat, 2), 0, "vec entry with a 2-byte payload");
	t_ok(all(e[1].payload + 2, 14, 0), "unused entry payload bytes are zero");
	t_err(ucmd_vec_entry_init(&e[2], 1, pat, 17), -EINVAL, "17-byte entry payload -> -EINVAL");

	dirty();
	t_eq(ucmd_vec_prep(small, slot.sqe, 5, e, 3), 0, "vec_prep of 3 entries");
	memcpy(&v, slot.b + CMD_AREA, sizeof(v));
	t_ok(header_ok(5, UCMD_VEC) && v.entries == (uint64_t)(uintptr_t)e && v.nr == 3 &&
		     v.flags == 0,
	     "vec_prep puts struct ucmd_vec inline with cmd_op UCMD_VEC");
	dirty();
	t_err(ucmd_vec_prep(small, slot.sqe, 5, e, 0), -EINVAL, "vec_prep with nr 0 -> -EINVAL");
	t_ok(slot.sqe[0].opcode == IORING_OP_NOP, "refused vec_prep leaves a NOP");
	t_err(ucmd_vec_prep(small, slot.sqe, 5, e, UCMD_VEC_MAX + 1), -EINVAL,
	      "vec_prep with nr > UCMD_VEC_MAX -> -EINVAL");
	t_err(ucmd_vec_prep(small, slot.sqe, 5, NULL, 1), -EINVAL, "vec_prep of NULL -> -EINVAL");

	null = ucmd_open("/dev/null", O_RDWR);
	t_err(ucmd_vec_call_ioctl(null, e, 3), -ENOTTY, "vec_call_ioctl on /dev/null -> -ENOTTY");
	t_err(ucmd_vec_call_ioctl(null, e, 0), -EINVAL, "vec_call_ioctl with nr 0 -> -EINVAL");
	t_err(ucmd_vec_call_uring(small, null, e, 0), -EINVAL,
	      "vec_call_uring with nr 0 -> -EINVAL");
	close(null);
}

/* ucmd_dev_*(): a regular file, /dev/null, and the demo device where it is loaded. */
static void test_dev(struct io_uring *small)
{
	char tmpl[] = "/tmp/ucmd-lib-unit-XXXXXX", buf[64], tiny[4];
	struct stat st;
	int null, file, demo, ret;

	null = ucmd_open("/dev/null", O_RDWR);
	file = mkstemp(tmpl);
	if (null < 0 || file < 0)
		t_bail("/dev/null or mkstemp: %s", strerror(errno));
	unlink(tmpl);
	t_err(ucmd_dev_sysfs(file, buf, sizeof(buf)), -ENOTTY,
	      "ucmd_dev_sysfs of a regular file -> -ENOTTY");
	t_err(ucmd_dev_check(file, NULL), -ENOTTY, "ucmd_dev_check of a regular file -> -ENOTTY");
	ret = ucmd_dev_sysfs(null, buf, sizeof(buf));
	t_ok(ret == 0 && strcmp(buf, "/sys/dev/char/1:3") == 0,
	     "ucmd_dev_sysfs of /dev/null -> /sys/dev/char/1:3 (got %d, '%s')", ret,
	     ret ? "" : buf);
	t_err(ucmd_dev_sysfs(null, tiny, sizeof(tiny)), -ENAMETOOLONG,
	      "ucmd_dev_sysfs into 4 bytes -> -ENAMETOOLONG");
	if (stat("/sys/dev/char", &st) == 0) {
		t_err(ucmd_dev_check(null, NULL), -ENODEV,
		      "ucmd_dev_check of /dev/null -> -ENODEV (no ucmd attribute group)");
		t_err(ucmd_dev_name(null, buf, sizeof(buf)), -ENODEV,
		      "ucmd_dev_name of /dev/null -> -ENODEV");
	} else {
		t_skip("no /sys/dev/char", "ucmd_dev_check of /dev/null");
	}
	/* Since 6.0 /dev/null completes uring commands with 0: no session id, no digest. */
	ret = ucmd_crypto_session_create(small, null, "sha256", UCRYPTO_TYPE_HASH, NULL, 0, 0, 0,
					 NULL);
	if (ret == -EOPNOTSUPP)
		t_skip("/dev/null has no uring_cmd on this kernel", "session on /dev/null");
	else
		t_err(ret, -EPROTO, "a session 'created' on /dev/null (answer 0) -> -EPROTO");
	ret = ucmd_crypto_call(small, null, UCRYPTO_HASH, &(struct ucrypto_op){ .session = 1 });
	if (ret != -EOPNOTSUPP)
		t_err(ret, -EPROTO, "a hash on /dev/null (digest size 0) -> -EPROTO");

	demo = ucmd_open(t_dev_path(), O_RDONLY);
	if (demo >= 0) {
		ret = ucmd_dev_name(demo, buf, sizeof(buf));
		t_ok(ret == 0 && strcmp(buf, "ucmd-demo") == 0,
		     "ucmd_dev_name of %s -> ucmd-demo (got %d)", t_dev_path(), ret);
		t_err(ucmd_dev_check(demo, "ucmd-demo"), 0, "ucmd_dev_check(ucmd-demo) -> 0");
		t_err(ucmd_dev_check(demo, NULL), 0, "ucmd_dev_check(NULL) of it -> 0");
		t_err(ucmd_dev_check(demo, "ucrypto"), -ENXIO,
		      "ucmd_dev_check(ucrypto) of the demo device -> -ENXIO");
		t_err(ucmd_dev_name(demo, tiny, sizeof(tiny)), -ENAMETOOLONG,
		      "ucmd_dev_name into 4 bytes -> -ENAMETOOLONG");
		close(demo);
	} else {
		t_skip("no demo device", "ucmd_dev_name of %s", t_dev_path());
	}
	close(file);
	close(null);
}

/* The version: the headers', the library's at run time and the VERSION file's agree. */
static void test_version(void)
{
	char want[32];

	snprintf(want, sizeof(want), "%d.%d.%d", UCMD_VERSION_MAJOR, UCMD_VERSION_MINOR,
		 UCMD_VERSION_PATCH);
	t_ok(strcmp(UCMD_VERSION_STRING, want) == 0, "UCMD_VERSION_STRING %s is MAJOR.MINOR.PATCH",
	     UCMD_VERSION_STRING);
	t_ok(strcmp(UCMD_VERSION_STRING, UCMD_VERSION) == 0,
	     "<ucmd/version.h> says %s, the VERSION file %s", UCMD_VERSION_STRING, UCMD_VERSION);
	t_ok(strcmp(ucmd_version(), UCMD_VERSION_STRING) == 0, "ucmd_version() -> %s",
	     ucmd_version());
	t_eq(ucmd_version_number(), UCMD_VERSION_NUMBER, "ucmd_version_number() -> 0x%06x",
	     ucmd_version_number());
	t_ok(UCMD_VERSION_AT_LEAST(1, 2, 0) && !UCMD_VERSION_AT_LEAST(UCMD_VERSION_MAJOR + 1, 0, 0),
	     "UCMD_VERSION_AT_LEAST compares");
}

int main(void)
{
	struct io_uring small, big;

	t_init();
	t_ring(&small, 8, 0);
	t_ring(&big, 8, IORING_SETUP_SQE128 | IORING_SETUP_CQE32);
	t_err(ucmd_ring_init(&(struct io_uring){ 0 }, 8, 1U << 31), -EINVAL,
	      "ring setup with an unknown flag -> -EINVAL (flags pass through)");

	test_version();
	test_prep(&small, &big);
	test_res2(&small, &big);
	test_calls(&small, &big);
	test_stats();
	test_dev(&small);
	test_vec(&small);

	io_uring_queue_exit(&big);
	io_uring_queue_exit(&small);
	return t_done();
}
