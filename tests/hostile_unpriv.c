// SPDX-License-Identifier: GPL-2.0
/* hostile_unpriv.c - as uid/gid 65534 every command over ioctl and io_uring on O_RDWR and O_RDONLY files: RESET_STATS -EPERM, SET/ADD on read-only -EBADF, the rest works. */
/*
 * A child switches to 65534:65534 with no supplementary groups (and so no
 * capabilities) and runs every demo command on both files through ioctl, a
 * 64-byte-SQE ring and an SQE128|CQE32 ring, plus UCMD_VEC with the same
 * sub-commands and RESET_STATS issued from io-wq (IOSQE_ASYNC).  A second
 * child creates its ring and io-wq worker as root and only then drops its
 * privileges: io-wq must still run RESET_STATS with the submitter's
 * current credentials (-EPERM).  Afterwards the counters must balance with
 * exactly the commands sent (RESET_STATS never ran).
 * Bounds: SLEEPs of 1 ms; ~1 s in total.
 */
#include <fcntl.h>
#include <grp.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

#define NOBODY 65534
#define UNKNOWN_CMD _IO(UCMD_DEMO_MAGIC, 0x7d)

/* Commands sent by the children, through a shared page. */
struct counts {
	uint64_t issued, sync;
};

static struct counts *cnt;

static void sent(uint64_t issued, uint64_t sync)
{
	__atomic_add_fetch(&cnt->issued, issued, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&cnt->sync, sync, __ATOMIC_SEQ_CST);
}

static bool drop_privileges(void)
{
	return setgroups(0, NULL) == 0 && setresgid(NOBODY, NOBODY, NOBODY) == 0 &&
	       setresuid(NOBODY, NOBODY, NOBODY) == 0 && geteuid() == NOBODY && getegid() == NOBODY;
}

static int run_vec(const struct t_path *p, int fd, bool rw)
{
	struct ucmd_vec_entry e[4];
	int out = -1, v = 9, ret;
	uint64_t ptr = (uint64_t)(uintptr_t)&out;

	ucmd_vec_entry_init(&e[0], UCMD_DEMO_NOP, NULL, 0);
	ucmd_vec_entry_init(&e[1], UCMD_DEMO_SET_VALUE, &v, sizeof(v));
	ucmd_vec_entry_init(&e[2], UCMD_DEMO_RESET_STATS, NULL, 0);
	ucmd_vec_entry_init(&e[3], UCMD_DEMO_GET_VALUE, &ptr, sizeof(ptr));
	ret = p->ring ? ucmd_vec_call_uring(p->ring, fd, e, 4) : ucmd_vec_call_ioctl(fd, e, 4);
	sent(5, 5);
	return ret == 4 && e[0].result == 0 && e[1].result == (rw ? 0 : -EBADF) &&
	       e[2].result == -EPERM && e[3].result == 0 && out == (rw ? 9 : 0);
}

/* Every command on one file through one path. */
static void every_command(const struct t_path *p, int fd, bool rw)
{
	const char *f = rw ? "O_RDWR" : "O_RDONLY";
	struct ucmd_demo_blob blob;
	int v = -1, want_sum = 0;
	uint64_t res2 = 0;
	bool big = !p->ring || ucmd_ring_payload_size(p->ring) == 80;

	for (int i = 0; i < 80; i++) {
		blob.data[i] = (uint8_t)(i + 100);
		want_sum += blob.data[i];
	}
	t_err(t_demo_cmd(p, fd, UCMD_DEMO_RESET_STATS), -EPERM, "%s %s: RESET_STATS -EPERM",
	      p->name, f);
	t_eq(t_demo_cmd(p, fd, UCMD_DEMO_HELLO), 0, "%s %s: HELLO", p->name, f);
	t_eq(t_demo_cmd(p, fd, UCMD_DEMO_NOP), 0, "%s %s: NOP", p->name, f);
	t_err(t_demo_cmd(p, fd, UNKNOWN_CMD), -ENOTTY, "%s %s: unknown command -ENOTTY", p->name,
	      f);
	if (rw) {
		t_eq(t_demo_set(p, fd, 5), 0, "%s %s: SET_VALUE", p->name, f);
		t_eq(t_demo_add(p, fd, 2, &res2), 7, "%s %s: ADD", p->name, f);
	} else {
		t_err(t_demo_set(p, fd, 5), -EBADF, "%s %s: SET_VALUE -EBADF", p->name, f);
		t_err(t_demo_add(p, fd, 2, &res2), -EBADF, "%s %s: ADD -EBADF", p->name, f);
	}
	t_ok(t_demo_get(p, fd, &v) == 0 && v == (rw ? 7 : 0), "%s %s: GET_VALUE (%d)", p->name, f,
	     v);
	t_eq(t_demo_sleep(p, fd, T_NS_PER_MS, 3, NULL), 0, "%s %s: SLEEP", p->name, f);
	/* (80 bytes do not fit a 64-byte SQE: hostile_rings covers that case.) */
	if (big) {
		t_eq(t_demo_sum128(p, fd, &blob), want_sum, "%s %s: SUM128", p->name, f);
		sent(1, 1);
	}
	t_ok(run_vec(p, fd, rw), "%s %s: UCMD_VEC: NOP 0, SET %s, RESET_STATS -EPERM, GET 0",
	     p->name, f, rw ? "0" : "-EBADF");
	sent(8, 7);
	if (p->ring) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(p->ring);
		struct io_uring_cqe *cqe;
		int res = -1;

		ucmd_prep(p->ring, sqe, fd, UCMD_DEMO_RESET_STATS, NULL, 0);
		sqe->flags |= IOSQE_ASYNC;
		if (io_uring_submit_and_wait(p->ring, 1) == 1 &&
		    io_uring_peek_cqe(p->ring, &cqe) == 0) {
			res = cqe->res;
			io_uring_cqe_seen(p->ring, cqe);
		}
		t_err(res, -EPERM, "%s %s: RESET_STATS from io-wq -EPERM", p->name, f);
		sent(1, 1);
	}
}

static void as_nobody(void)
{
	struct t_path paths[T_NPATHS];
	int rw, ro;

	if (!t_ok(drop_privileges(), "running as uid/gid %d without groups", NOBODY))
		_exit(1);
	rw = ucmd_open(t_dev_path(), O_RDWR);
	ro = ucmd_open(t_dev_path(), O_RDONLY);
	t_ok(rw >= 0 && ro >= 0, "nobody opens the device read-write and read-only");
	if (rw < 0 || ro < 0)
		_exit(1);
	t_paths(paths); /* skips the test if nobody may not use io_uring */
	for (int i = 0; i < T_NPATHS; i++) {
		every_command(&paths[i], rw, true);
		every_command(&paths[i], ro, false);
	}
	t_paths_exit(paths);
	_exit(0);
}

/* Ring and io-wq worker made as root; the privileges dropped afterwards. */
static void dropped_later(void)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	int fd = ucmd_open(t_dev_path(), O_RDWR), res[2] = { 1, 1 };

	if (fd < 0 || ucmd_ring_init(&ring, 8, 0))
		_exit(1);
	sqe = io_uring_get_sqe(&ring);
	ucmd_prep(&ring, sqe, fd, UCMD_DEMO_NOP, NULL, 0);
	sqe->flags |= IOSQE_ASYNC; /* starts an io-wq worker, as root */
	if (io_uring_submit_and_wait(&ring, 1) != 1 || io_uring_peek_cqe(&ring, &cqe) ||
	    cqe->res != 0)
		_exit(1);
	io_uring_cqe_seen(&ring, cqe);
	sent(1, 1);
	if (!t_ok(drop_privileges(), "io-wq made as root, then dropped to %d", NOBODY))
		_exit(1);
	for (int async = 0; async < 2; async++) {
		sqe = io_uring_get_sqe(&ring);
		ucmd_prep(&ring, sqe, fd, UCMD_DEMO_RESET_STATS, NULL, 0);
		if (async)
			sqe->flags |= IOSQE_ASYNC;
		if (io_uring_submit_and_wait(&ring, 1) == 1 &&
		    io_uring_peek_cqe(&ring, &cqe) == 0) {
			res[async] = cqe->res;
			io_uring_cqe_seen(&ring, cqe);
		}
		sent(1, 1);
	}
	t_err(res[0], -EPERM, "after dropping: RESET_STATS inline -EPERM");
	t_err(res[1], -EPERM, "after dropping: RESET_STATS from the existing io-wq -EPERM");
	io_uring_queue_exit(&ring);
	_exit(0);
}

static void in_child(void (*fn)(void), const char *what)
{
	int status = 0;
	pid_t pid;

	pid = t_fork();
	if (pid == 0)
		fn();
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == T_EXIT_SKIP)
		t_skip_all("%s: the child skipped (io_uring not allowed for nobody?)", what);
	t_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s: the child finished (0x%x)", what,
	     status);
}

int main(void)
{
	struct ucmd_stats s0;

	t_init();
	t_require_device();
	if (geteuid() != 0)
		t_skip_all("needs root to switch to uid %d", NOBODY);
	cnt = mmap(NULL, sizeof(*cnt), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (cnt == MAP_FAILED)
		t_bail("mmap: %s", strerror(errno));
	t_wait_idle(&s0, 15000);
	in_child(as_nobody, "every command as nobody");
	in_child(dropped_later, "privileges dropped after setup");
	t_settle("all commands", &s0, cnt->issued, cnt->sync, 0, 10000, NULL);
	return t_done();
}
