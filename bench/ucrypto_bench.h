/* SPDX-License-Identifier: GPL-2.0 */
/* ucrypto_bench.h - what the parts of ucrypto_bench share: the interfaces, algorithms and sizes measured, a measurement's context, the settings and the results. */
#ifndef UCRYPTO_BENCH_H
#define UCRYPTO_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include <liburing.h>
#include <linux/ucmd.h>
#include <linux/ucrypto.h>

/*
 * The parts: ucrypto_bench.c the run (options, the plan, /dev/ucrypto's side
 * and the kernel's bound), ucrypto_bench_afalg.c the AF_ALG side (libkcapi),
 * ucrypto_bench_table.c the output (BENCH lines, the table, the goals).
 */
#define BATCH 32
#define NSIZES 4
#define NALGS 3
/* Bytes one AF_ALG AIO batch may carry (below the default socket buffer). */
#define AFALG_AIO_MAX_BYTES 65536

/* URING_REG: io_uring with src and dst in a registered buffer (IORING_URING_CMD_FIXED). */
enum iface { IOCTL, URING, VEC_URING, VEC_IOCTL, AFALG, AFALG_AIO, URING_REG, BOUND, NIFACES };

extern const char *const iface_name[NIFACES];

struct alg {
	const char *name;
	uint32_t type;
	uint32_t key_len;
};

extern const struct alg algs[NALGS];
extern const uint32_t sizes[NSIZES];
extern const uint8_t key[32];

struct kcapi_handle;

struct ctx {
	const struct alg *alg;
	uint32_t size;
	int fd;
	uint32_t session;
	uint32_t cmd;
	/* The implementations the crypto API picked for ucrypto's session and for AF_ALG. */
	char driver[UCRYPTO_NAME_MAX];
	char afalg_driver[UCRYPTO_NAME_MAX];
	struct io_uring ring;
	bool fixed;
	bool reg; /* in[i] and out[i] are registered buffer i */
	struct kcapi_handle *kh;
	struct kcapi_handle *kh_aio;
	uint8_t *in[BATCH];
	uint8_t *out[BATCH];
	uint8_t iv[16];
	struct ucrypto_op op[BATCH];
	struct ucmd_vec_entry ent[BATCH];
	struct ucmd_vec vec;
	struct iovec iniov[BATCH];
	struct iovec outiov[BATCH];
};

/* The run's settings, for the output: the clock, which drivers were loaded, the kernel. */
extern char label[32];
extern char drivers[16];
extern char kernel[65];

/* Results for the table: ns per op, 0 when not measured. */
extern double result[NALGS][NSIZES][NIFACES][2];

void *xalloc(size_t n);

/* ucrypto_bench_afalg.c */
void afalg_setup(struct ctx *c);
void afalg_teardown(struct ctx *c);
int afalg_batch(struct ctx *c, enum iface f, unsigned int batch);
bool agree(struct ctx *c);

/* ucrypto_bench_table.c */
void emit(const struct ctx *c, enum iface f, unsigned int batch, double ns, const char *note);
void table(void);

#endif /* UCRYPTO_BENCH_H */
