// SPDX-License-Identifier: GPL-2.0
/* ucrypto_bench_table.c - ucrypto_bench's output: a BENCH line per figure, then the table, the goals and the registered-buffer ratios. */
#include <stdio.h>
#include <string.h>

#include "ucrypto_bench.h"

static const char *iface_driver(const struct ctx *c, enum iface f)
{
	return f == AFALG || f == AFALG_AIO ? c->afalg_driver : c->driver;
}

void emit(const struct ctx *c, enum iface f, unsigned int batch, double ns, const char *note)
{
	if (ns > 0)
		printf("BENCH {\"clock\":\"%s\",\"kernel\":\"%s\",\"bench\":\"ucrypto\",\"alg\":\"%s\","
		       "\"size\":%u,\"iface\":\"%s\",\"batch\":%u,\"ns_per_op\":%.1f,"
		       "\"ops_per_s\":%.0f,\"mb_per_s\":%.2f,\"drivers\":\"%s\",\"driver\":\"%s\","
		       "\"note\":\"%s\"}\n",
		       label, kernel, c->alg->name, c->size, iface_name[f], batch, ns, 1e9 / ns,
		       c->size * 1e3 / ns, drivers, iface_driver(c, f), note);
	else
		printf("BENCH {\"clock\":\"%s\",\"kernel\":\"%s\",\"bench\":\"ucrypto\",\"alg\":\"%s\","
		       "\"size\":%u,\"iface\":\"%s\",\"batch\":%u,\"ns_per_op\":null,"
		       "\"ops_per_s\":null,\"mb_per_s\":null,\"drivers\":\"%s\",\"driver\":\"%s\","
		       "\"note\":\"%s: %s\"}\n",
		       label, kernel, c->alg->name, c->size, iface_name[f], batch, drivers,
		       iface_driver(c, f), note, strerror((int)-ns));
	fflush(stdout);
}

static double best_of(size_t a, size_t s, bool batched)
{
	double best = 0;

	for (int f = IOCTL; f <= VEC_IOCTL; f++) {
		double ns = result[a][s][f][batched];

		if (ns > 0 && (!best || ns < best))
			best = ns;
	}
	return best;
}

void table(void)
{
	printf("\nucrypto_bench on %s (clock: %s%s; drivers: %s)\n", kernel, label,
	       !strcmp(label, "icount") ? ", guest instructions, not cache misses" : "", drivers);
	printf("%-9s %6s %-10s %5s %12s %10s %9s %9s\n", "alg", "size", "iface", "batch", "ops/s",
	       "MB/s", "xAF_ALG", "%bound");
	for (size_t a = 0; a < NALGS; a++) {
		for (size_t s = 0; s < NSIZES; s++) {
			double af = result[a][s][AFALG][0], bound = result[a][s][BOUND][0];

			for (int f = 0; f < NIFACES; f++) {
				for (int b = 0; b < 2; b++) {
					double ns = result[a][s][f][b];

					if (ns <= 0)
						continue;
					printf("%-9s %6u %-10s %5u %12.0f %10.2f %9.2f %9.1f\n",
					       algs[a].name, sizes[s], iface_name[f], b ? BATCH : 1,
					       1e9 / ns, sizes[s] * 1e3 / ns, af > 0 ? af / ns : 0,
					       bound > 0 ? 100 * bound / ns : 0);
				}
			}
		}
	}
	printf("\ngoals:\n");
	{
		double af = result[0][0][AFALG][0], u = best_of(0, 0, true);

		if (af > 0 && u > 0)
			printf("  crc32c 64 B, batch 32 vs AF_ALG: %.2fx (goal >= 4x)\n", af / u);
	}
	for (size_t a = 1; a < 3; a++) {
		double bound = result[a][NSIZES - 1][BOUND][0], u = best_of(a, NSIZES - 1, true);

		if (bound > 0 && u > 0)
			printf("  %s 64 KiB: %.1f%% of the in-kernel bound (goal >= 90%%)\n",
			       algs[a].name, 100 * bound / u);
	}
	{
		double worst = 0;
		const char *wa = "";
		uint32_t ws = 0;

		for (size_t a = 0; a < NALGS; a++)
			for (size_t s = 0; s < NSIZES; s++) {
				double af = result[a][s][AFALG][0], u = best_of(a, s, false);

				if (af > 0 && u > 0 && (!worst || af / u < worst)) {
					worst = af / u;
					wa = algs[a].name;
					ws = sizes[s];
				}
			}
		if (worst > 0)
			printf("  slowest batch-1 ucrypto vs AF_ALG: %.2fx (%s, %u B; goal >= 1x)\n",
			       worst, wa, ws);
	}
	printf("\nregistered buffers (uring-reg) against plain user memory (uring), ops/s:\n");
	for (size_t a = 0; a < NALGS; a++)
		for (size_t s = 0; s < NSIZES; s++)
			for (int b = 0; b < 2; b++) {
				double p = result[a][s][URING][b], r = result[a][s][URING_REG][b];

				if (sizes[s] >= 4096 && p > 0 && r > 0)
					printf("  %s %u B, batch %d: %.3fx\n", algs[a].name,
					       sizes[s], b ? BATCH : 1, p / r);
			}
}
