// SPDX-License-Identifier: GPL-2.0
/* ucrypto_bench.c - ops/s and MB/s of /dev/ucrypto (ioctl, io_uring, registered buffers, UCMD_VEC) against AF_ALG (libkcapi) and the in-kernel bound. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <linux/ucrypto_bench.h>

#include "ucrypto_bench.h"

/*
 * Every figure is the best of several rounds (background work only ever
 * adds time); a round runs batches until it has taken at least the target
 * time.  "bound" is UCRYPTO_BENCH_LOOP: the kernel timing the algorithm
 * alone on a kernel buffer, what no interface can beat.  Under QEMU with
 * -icount the clock counts guest instructions, not cache misses.
 */
const char *const iface_name[NIFACES] = {
	"ioctl", "uring", "vec", "vec-ioctl", "afalg", "afalg-aio", "uring-reg", "bound",
};

const struct alg algs[NALGS] = {
	{ "crc32c", UCRYPTO_TYPE_HASH, 0 },
	{ "sha256", UCRYPTO_TYPE_HASH, 0 },
	{ "ctr(aes)", UCRYPTO_TYPE_SKCIPHER, 16 },
};

const uint32_t sizes[NSIZES] = { 64, 1024, 4096, 65536 };

const uint8_t key[32] = { 0x60, 0x3d, 0xeb, 0x10, 0x15, 0xca, 0x71, 0xbe,
			  0x2b, 0x73, 0xae, 0xf0, 0x85, 0x7d, 0x77, 0x81 };

static double target_ms = 200;
/* Comma-separated lists (-a, -s, -i, or the UCRYPTO_BENCH_* environment); NULL: all. */
static const char *only_size;
static const char *only_iface;
static int rounds = 3;
char label[32] = "guest";
/* Which drivers were loaded: "generic" (the tests' set) or "accel" (AES-NI & co., -D accel). */
char drivers[16] = "generic";
/* -A: sessions may pick asynchronous implementations (UCRYPTO_SESSION_ALLOW_ASYNC), as AF_ALG does. */
static uint32_t session_flags;
char kernel[65];

double result[NALGS][NSIZES][NIFACES][2];

/* Whether @name is in the comma-separated @list (a NULL list has everything). */
static bool listed(const char *list, const char *name)
{
	size_t n = strlen(name);

	if (!list)
		return true;
	for (const char *p = list; p; p = strchr(p, ',')) {
		if (*p == ',')
			p++;
		if (!strncmp(p, name, n) && (p[n] == ',' || !p[n]))
			return true;
	}
	return false;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

void *xalloc(size_t n)
{
	void *p = NULL;

	if (posix_memalign(&p, 4096, n ? n : 1)) {
		fprintf(stderr, "ucrypto_bench: out of memory\n");
		exit(1);
	}
	memset(p, 0xa5, n);
	return p;
}

static void prep_cmd(struct ctx *c, struct io_uring_sqe *sqe, uint32_t cmd_op, const void *payload,
		     size_t len)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = c->fixed ? 0 : c->fd;
	if (c->fixed)
		sqe->flags = IOSQE_FIXED_FILE;
	sqe->cmd_op = cmd_op;
	memcpy(sqe->cmd, payload, len);
}

/* Submits @n commands (with registered buffers if @reg) and reaps them; returns the first error or 0. */
static int uring_round(struct ctx *c, unsigned int n, bool vec, bool reg)
{
	struct io_uring_cqe *cqe;
	int err = 0;

	for (unsigned int i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&c->ring);
		uint64_t ptr = (uintptr_t)&c->op[i];

		if (vec)
			prep_cmd(c, sqe, UCMD_VEC, &c->vec, sizeof(c->vec));
		else
			prep_cmd(c, sqe, c->cmd, &ptr, sizeof(ptr));
		if (reg) {
			sqe->uring_cmd_flags = IORING_URING_CMD_FIXED;
			sqe->buf_index = (uint16_t)i;
		}
	}
	if (io_uring_submit_and_wait(&c->ring, n) < (int)n)
		return -EIO;
	for (unsigned int i = 0; i < n; i++) {
		if (io_uring_wait_cqe(&c->ring, &cqe))
			return -EIO;
		if (cqe->res < 0 && !err)
			err = cqe->res;
		if (vec && cqe->res != BATCH && !err)
			err = -EIO;
		io_uring_cqe_seen(&c->ring, cqe);
	}
	return err;
}

/* A vector counts only if every entry succeeded: an entry's error does not fail UCMD_VEC. */
static int vec_entries_result(const struct ctx *c)
{
	for (int i = 0; i < BATCH; i++)
		if (c->ent[i].result < 0)
			return c->ent[i].result;
	return 0;
}

/* One batch of @batch operations through @f; returns 0 or -errno. */
static int run_batch(struct ctx *c, enum iface f, unsigned int batch)
{
	ssize_t r;

	switch (f) {
	case IOCTL:
		for (unsigned int i = 0; i < batch; i++)
			if (ioctl(c->fd, c->cmd, &c->op[i]) < 0)
				return -errno;
		return 0;
	case URING:
		return uring_round(c, batch, false, false);
	case URING_REG:
		return uring_round(c, batch, false, true);
	case VEC_URING:
		r = uring_round(c, 1, true, false);
		return r ? (int)r : vec_entries_result(c);
	case VEC_IOCTL:
		r = ioctl(c->fd, UCMD_VEC, &c->vec);
		if (r != BATCH)
			return r < 0 ? -errno : -EIO;
		return vec_entries_result(c);
	case AFALG:
	case AFALG_AIO:
		return afalg_batch(c, f, batch);
	default:
		return -EINVAL;
	}
}

/* Nanoseconds per operation, best of the rounds, or -errno. */
static double measure(struct ctx *c, enum iface f, unsigned int batch)
{
	unsigned int per = (f == VEC_URING || f == VEC_IOCTL || f == AFALG_AIO) ? BATCH : batch;
	double best = 0;
	int err = run_batch(c, f, batch); /* warm up, and check it works */

	if (err)
		return err;
	for (int r = 0; r < rounds; r++) {
		double t0 = now_ns(), t;
		unsigned long ops = 0;

		do {
			err = run_batch(c, f, batch);
			if (err)
				return err;
			ops += per;
			t = now_ns() - t0;
		} while (t < target_ms * 1e6);
		if (!best || t / ops < best)
			best = t / ops;
	}
	return best;
}

/* The kernel's own loop: nanoseconds per operation, or -errno. */
static double measure_bound(struct ctx *c)
{
	struct ucrypto_bench b = {
		.session = c->session,
		.len = c->size,
		.iterations = 4,
		.op = c->alg->type == UCRYPTO_TYPE_HASH ? UCRYPTO_BENCH_HASH :
							  UCRYPTO_BENCH_ENCRYPT,
	};
	double best = 0, per;

	if (ioctl(c->fd, UCRYPTO_BENCH_LOOP, &b) < 0)
		return -errno;
	per = b.nsec / 4.0;
	b.iterations = per > 0 ? (uint32_t)(target_ms * 1e6 / per) + 1 : 1000;
	if (b.iterations > UCRYPTO_BENCH_MAX_ITERATIONS)
		b.iterations = UCRYPTO_BENCH_MAX_ITERATIONS;
	for (int r = 0; r < rounds; r++) {
		if (ioctl(c->fd, UCRYPTO_BENCH_LOOP, &b) < 0)
			return -errno;
		per = (double)b.nsec / b.iterations;
		if (!best || per < best)
			best = per;
	}
	return best;
}

static int setup(struct ctx *c, const struct alg *alg, uint32_t size, int fd)
{
	struct ucrypto_session s = { .alg = (uintptr_t)alg->name,
				     .type = alg->type,
				     .key = (uintptr_t)key,
				     .key_len = alg->key_len,
				     .driver = (uintptr_t)c->driver,
				     .flags = session_flags };
	struct iovec reg[BATCH];
	uint32_t outsz = size > 64 ? size : 64;
	int id, ret;

	memset(c, 0, sizeof(*c));
	c->alg = alg;
	c->size = size;
	c->fd = fd;
	id = ioctl(fd, UCRYPTO_SESSION_CREATE, &s);
	if (id < 0)
		return -errno;
	c->session = (uint32_t)id;
	c->cmd = alg->type == UCRYPTO_TYPE_HASH ? UCRYPTO_HASH : UCRYPTO_ENCRYPT;
	for (int i = 0; i < BATCH; i++) {
		/* One allocation per operation: in and out share registered buffer i. */
		c->in[i] = xalloc(size + outsz);
		c->out[i] = c->in[i] + size;
		reg[i] = (struct iovec){ c->in[i], size + outsz };
		c->in[i][0] = (uint8_t)i;
		c->op[i] = (struct ucrypto_op){
			.session = c->session,
			.src = (uintptr_t)c->in[i],
			.dst = (uintptr_t)c->out[i],
			.len = size,
			.iv = alg->type == UCRYPTO_TYPE_HASH ? 0 : (uintptr_t)c->iv,
		};
		c->ent[i] = (struct ucmd_vec_entry){ .cmd_op = c->cmd };
		memcpy(c->ent[i].payload, &(uint64_t){ (uintptr_t)&c->op[i] }, 8);
		c->iniov[i] = (struct iovec){ c->in[i], size };
		c->outiov[i] = (struct iovec){ c->out[i], size };
	}
	c->vec = (struct ucmd_vec){ .entries = (uintptr_t)c->ent, .nr = BATCH };
	ret = io_uring_queue_init(2 * BATCH, &c->ring,
				  IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN);
	if (ret)
		ret = io_uring_queue_init(2 * BATCH, &c->ring, 0);
	if (ret)
		return ret;
	c->fixed = io_uring_register_files(&c->ring, &fd, 1) == 0;
	c->reg = io_uring_register_buffers(&c->ring, reg, BATCH) == 0;
	afalg_setup(c);
	return 0;
}

static void teardown(struct ctx *c)
{
	io_uring_queue_exit(&c->ring);
	afalg_teardown(c);
	ioctl(c->fd, UCRYPTO_SESSION_DESTROY, &c->session);
	for (int i = 0; i < BATCH; i++)
		free(c->in[i]);
}

static void bench_one(int fd, size_t a, size_t s)
{
	static struct ctx c;
	static const struct {
		enum iface f;
		unsigned int batch;
	} plan[] = {
		{ IOCTL, 1 },	      { URING, 1 },	    { URING, BATCH },
		{ VEC_URING, BATCH }, { VEC_IOCTL, BATCH }, { AFALG, 1 },
		{ AFALG_AIO, BATCH }, { URING_REG, 1 },	    { URING_REG, BATCH },
	};
	int ret = setup(&c, &algs[a], sizes[s], fd);
	bool ok;

	if (ret) {
		c.alg = &algs[a];
		c.size = sizes[s];
		emit(&c, IOCTL, 1, ret, "session");
		return;
	}
	ok = c.kh ? agree(&c) : true;
	printf("# %s %u B: ucrypto's session runs %s, AF_ALG %s (%s drivers)\n", c.alg->name,
	       c.size, c.driver[0] ? c.driver : "?", c.afalg_driver[0] ? c.afalg_driver : "?",
	       drivers);
	for (size_t i = 0; i < sizeof(plan) / sizeof(plan[0]); i++) {
		enum iface f = plan[i].f;
		double ns;

		if ((f == AFALG && !c.kh) || (f == AFALG_AIO && !c.kh_aio) ||
		    (f == URING_REG && !c.reg) || !listed(only_iface, iface_name[f]))
			continue;
		/*
		 * One AF_ALG AIO submission must fit the socket's buffer: with more, sendmsg
		 * waits for room that only the (not yet submitted) reads would make, forever.
		 */
		if (f == AFALG_AIO && (size_t)c.size * BATCH > AFALG_AIO_MAX_BYTES) {
			printf("# %s %u B afalg-aio: skipped, %d x %u B is more than one AF_ALG "
			       "AIO submission takes (%d bytes)\n",
			       c.alg->name, c.size, BATCH, c.size, AFALG_AIO_MAX_BYTES);
			continue;
		}
		ns = measure(&c, f, plan[i].batch);
		emit(&c, f, plan[i].batch, ns, ok ? "" : "OUTPUT DIFFERS FROM AF_ALG");
		if (ns > 0)
			result[a][s][f][plan[i].batch > 1] = ns;
	}
	if (listed(only_iface, iface_name[BOUND])) {
		double ns = measure_bound(&c);

		emit(&c, BOUND, 1, ns, "kernel loop");
		if (ns > 0)
			result[a][s][BOUND][0] = ns;
	}
	teardown(&c);
}

int main(int argc, char **argv)
{
	/*
	 * The guest runs every benchmark without arguments; words NAME=VALUE on
	 * the kernel command line reach it as environment instead.
	 */
	const char *only = getenv("UCRYPTO_BENCH_ALGS");
	struct utsname u;
	int fd, opt;

	only_size = getenv("UCRYPTO_BENCH_SIZES");
	only_iface = getenv("UCRYPTO_BENCH_IFACES");

	while ((opt = getopt(argc, argv, "t:r:l:a:s:i:D:A")) != -1) {
		switch (opt) {
		case 't':
			target_ms = atof(optarg);
			break;
		case 'r':
			rounds = atoi(optarg);
			break;
		case 'l':
			snprintf(label, sizeof(label), "%s", optarg);
			break;
		case 'a':
			only = optarg;
			break;
		case 's':
			only_size = optarg;
			break;
		case 'i':
			only_iface = optarg;
			break;
		case 'D':
			snprintf(drivers, sizeof(drivers), "%s", optarg);
			break;
		case 'A':
			session_flags = UCRYPTO_SESSION_ALLOW_ASYNC;
			break;
		default:
			fprintf(stderr,
				"usage: ucrypto_bench [-t MS] [-r ROUNDS] [-l CLOCK] [-a ALG,...] [-s SIZE,...] "
				"[-i IFACE,...] [-D DRIVERS] [-A]\n");
			return 2;
		}
	}
	if (target_ms <= 0 || rounds <= 0) {
		fprintf(stderr, "ucrypto_bench: -t and -r must be positive\n");
		return 2;
	}
	uname(&u);
	snprintf(kernel, sizeof(kernel), "%s", u.release);
	fd = open(UCRYPTO_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		printf("SKIP: %s: %s\n", UCRYPTO_DEVICE, strerror(errno));
		return 77;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t a = 0; a < NALGS; a++) {
		if (!listed(only, algs[a].name))
			continue;
		for (size_t s = 0; s < NSIZES; s++) {
			char n[12];

			snprintf(n, sizeof(n), "%u", sizes[s]);
			if (listed(only_size, n))
				bench_one(fd, a, s);
		}
	}
	table();
	close(fd);
	return 0;
}
