// SPDX-License-Identifier: GPL-2.0
/* ucmd_bench.c - per-command cost of ioctl, ucmd, a raw handler, async paths and the io_uring NOP floor. */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <linux/ucmd.h>
#include <linux/ucmd_bench.h>

enum mode {
	M_IOCTL,
	M_UCMD,
	M_RAW,
	M_ASYNC,
	M_LAZY,
	M_RAW_ASYNC,
	M_LATER,
	M_RAW_LATER,
	M_NOP,
	M_VEC,
	M_RAW_IOCTL,
	M_NR
};

static const char *const mode_name[M_NR] = {
	"ioctl",       "ucmd",	    "raw", "async", "async-lazy", "raw-async",
	"async-later", "raw-later", "nop", "vec",   "raw-ioctl",
};

#define VEC_N 32

static int fd_ucmd, fd_raw, fd_later;
static unsigned long total_ops = 64 * 1024;
static int rounds = 3;
static const char *label = "guest";
static char kernel[128];
static struct ucmd_vec_entry vec_ents[VEC_N];

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void die(const char *what, int err)
{
	fprintf(stderr, "ucmd_bench: %s: %s\n", what, strerror(err));
	exit(1);
}

static int mode_fd(enum mode m)
{
	switch (m) {
	case M_RAW:
	case M_RAW_ASYNC:
	case M_RAW_LATER:
	case M_RAW_IOCTL:
		return fd_raw;
	case M_LATER:
		return fd_later;
	default:
		return fd_ucmd;
	}
}

static void prep(struct io_uring_sqe *sqe, enum mode m, bool fixed)
{
	int fd = mode_fd(m);
	struct ucmd_vec v;

	if (m == M_NOP) {
		io_uring_prep_nop(sqe);
		return;
	}
	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fixed ? 0 : fd, NULL, 0, 0);
	if (fixed)
		sqe->flags |= IOSQE_FIXED_FILE;
	memset(sqe->cmd, 0, 16);
	switch (m) {
	case M_ASYNC:
	case M_RAW_ASYNC:
		sqe->cmd_op = UCMD_BENCH_ANOP;
		break;
	case M_LAZY:
		sqe->cmd_op = UCMD_BENCH_ANOP_LAZY;
		break;
	case M_LATER:
	case M_RAW_LATER:
		sqe->cmd_op = UCMD_BENCH_ANOP_LATER;
		break;
	case M_VEC:
		sqe->cmd_op = UCMD_VEC;
		v = (struct ucmd_vec){ .entries = (uintptr_t)vec_ents, .nr = VEC_N };
		memcpy(sqe->cmd, &v, sizeof(v));
		break;
	default:
		sqe->cmd_op = UCMD_BENCH_NOP;
		break;
	}
}

static int ring_setup(struct io_uring *ring, const char *kind, bool fixed, int fd)
{
	struct io_uring_params p = { 0 };
	int ret;

	if (!strcmp(kind, "defer"))
		p.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
	else if (!strcmp(kind, "sqpoll")) {
		p.flags = IORING_SETUP_SQPOLL;
		p.sq_thread_idle = 1000;
	}
	ret = io_uring_queue_init_params(256, ring, &p);
	if (ret)
		return ret;
	if (fixed) {
		ret = io_uring_register_files(ring, &fd, 1);
		if (ret) {
			io_uring_queue_exit(ring);
			return ret;
		}
	}
	return 0;
}

/* Runs total_ops commands in batches; returns ns per command, < 0 on error. */
static double run_uring(enum mode m, unsigned int batch, const char *kind, bool fixed)
{
	int fd = mode_fd(m);
	unsigned long per = m == M_VEC ? VEC_N : 1, done = 0;
	struct io_uring ring;
	double t0, t1;
	int ret;

	ret = ring_setup(&ring, kind, fixed, fd);
	if (ret)
		return ret;
	t0 = now_ns();
	while (done < total_ops) {
		struct io_uring_cqe *cqe;
		unsigned int i, head, seen = 0;

		for (i = 0; i < batch; i++)
			prep(io_uring_get_sqe(&ring), m, fixed);
		ret = io_uring_submit_and_wait(&ring, batch);
		if (ret < 0)
			die("submit", -ret);
		while (seen < batch) {
			io_uring_for_each_cqe(&ring, head, cqe) {
				int want = m == M_VEC ? VEC_N : 0;

				if (cqe->res != want)
					die(mode_name[m], cqe->res < 0 ? -cqe->res : EPROTO);
				seen++;
			}
			io_uring_cq_advance(&ring, seen);
			if (seen < batch) {
				ret = io_uring_wait_cqe_nr(&ring, &cqe, batch - seen);
				if (ret < 0)
					die("wait", -ret);
			}
		}
		done += batch * per;
	}
	t1 = now_ns();
	io_uring_queue_exit(&ring);
	return (t1 - t0) / done;
}

/* The NOP over ioctl: through the framework (M_IOCTL) or by hand (M_RAW_IOCTL). */
static double run_ioctl(enum mode m)
{
	int fd = mode_fd(m);
	unsigned long i;
	double t0 = now_ns();

	for (i = 0; i < total_ops; i++)
		if (ioctl(fd, UCMD_BENCH_NOP, 0))
			die("ioctl", errno);
	return (now_ns() - t0) / total_ops;
}

static void report(enum mode m, unsigned int batch, const char *kind, bool fixed, double ns)
{
	if (ns < 0) {
		printf("BENCH {\"clock\":\"%s\",\"kernel\":\"%s\",\"mode\":\"%s\",\"batch\":%u,\"ring\":\"%s\",\"file\":\"%s\",\"skipped\":\"%s\"}\n",
		       label, kernel, mode_name[m], batch, kind, fixed ? "fixed" : "normal",
		       strerror((int)-ns));
		return;
	}
	printf("BENCH {\"clock\":\"%s\",\"kernel\":\"%s\",\"mode\":\"%s\",\"batch\":%u,\"ring\":\"%s\",\"file\":\"%s\",\"ns_per_op\":%.1f,\"mops\":%.4f}\n",
	       label, kernel, mode_name[m], batch, kind, fixed ? "fixed" : "normal", ns, 1e3 / ns);
}

/* Best (lowest) of the rounds: background work only ever adds time. */
static double best_uring(enum mode m, unsigned int batch, const char *kind, bool fixed)
{
	double best = 0;
	int r;

	for (r = 0; r < rounds; r++) {
		double ns = run_uring(m, batch, kind, fixed);

		if (ns < 0)
			return ns;
		if (!r || ns < best)
			best = ns;
	}
	return best;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Queue depth 1: one command at a time, each timed. */
static void latency(enum mode m)
{
	unsigned long i, n = total_ops / 4;
	double *lat = calloc(n, sizeof(*lat));
	struct io_uring ring;
	int fd = mode_fd(m);

	if (!lat || ring_setup(&ring, "defer", true, fd))
		die("latency setup", ENOMEM);
	for (i = 0; i < n; i++) {
		struct io_uring_cqe *cqe;
		double t0 = now_ns();

		if (m == M_IOCTL) {
			if (ioctl(fd_ucmd, UCMD_BENCH_NOP, 0))
				die("ioctl", errno);
		} else {
			prep(io_uring_get_sqe(&ring), m, true);
			if (io_uring_submit_and_wait(&ring, 1) < 0 ||
			    io_uring_peek_cqe(&ring, &cqe))
				die("latency", EIO);
			io_uring_cqe_seen(&ring, cqe);
		}
		lat[i] = now_ns() - t0;
	}
	io_uring_queue_exit(&ring);
	qsort(lat, n, sizeof(*lat), cmp_double);
	printf("BENCH {\"clock\":\"%s\",\"kernel\":\"%s\",\"mode\":\"%s\",\"latency\":\"qd1\",\"p50_ns\":%.0f,\"p99_ns\":%.0f,\"p999_ns\":%.0f}\n",
	       label, kernel, mode_name[m], lat[n / 2], lat[n * 99 / 100], lat[n * 999 / 1000]);
	free(lat);
}

int main(int argc, char **argv)
{
	static const unsigned int batches[] = { 1, 8, 32, 128 };
	static const char *const kinds[] = { "default", "defer" };
	struct utsname u;
	int opt, i;

	while ((opt = getopt(argc, argv, "n:r:l:")) != -1) {
		switch (opt) {
		case 'n':
			total_ops = strtoul(optarg, NULL, 0);
			break;
		case 'r':
			rounds = atoi(optarg);
			break;
		case 'l':
			label = optarg;
			break;
		default:
			fprintf(stderr, "usage: ucmd_bench [-n OPS] [-r ROUNDS] [-l LABEL]\n");
			return 2;
		}
	}
	if (!total_ops || rounds < 1) {
		fprintf(stderr, "ucmd_bench: -n and -r must be positive\n");
		return 2;
	}
	uname(&u);
	snprintf(kernel, sizeof(kernel), "%s", u.release);
	fd_ucmd = open("/dev/ucmd-bench", O_RDWR);
	fd_raw = open("/dev/ucmd-bench-raw", O_RDWR);
	fd_later = open("/dev/ucmd-bench-later", O_RDWR);
	if (fd_ucmd < 0 || fd_raw < 0 || fd_later < 0)
		die("open /dev/ucmd-bench*", errno);
	for (i = 0; i < VEC_N; i++)
		vec_ents[i].cmd_op = UCMD_BENCH_NOP;

	for (int m = M_IOCTL; m <= M_RAW_IOCTL; m += M_RAW_IOCTL - M_IOCTL) {
		double best = 0;

		for (i = 0; i < rounds; i++) {
			double ns = run_ioctl(m);

			if (!i || ns < best)
				best = ns;
		}
		report(m, 1, "none", false, best);
	}
	for (unsigned int k = 0; k < 2; k++)
		for (unsigned int f = 0; f < 2; f++)
			for (unsigned int b = 0; b < 4; b++)
				for (int m = M_UCMD; m < M_RAW_IOCTL; m++)
					report(m, batches[b], kinds[k], f,
					       best_uring(m, batches[b], kinds[k], f));
	report(M_UCMD, 32, "sqpoll", true, best_uring(M_UCMD, 32, "sqpoll", true));
	report(M_NOP, 32, "sqpoll", true, best_uring(M_NOP, 32, "sqpoll", true));
	latency(M_IOCTL);
	latency(M_UCMD);
	latency(M_RAW);
	latency(M_NOP);
	printf("BENCH-END\n");
	return 0;
}
