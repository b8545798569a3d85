// SPDX-License-Identifier: MIT
/*
 * main.c - pick a backend, run the workload through indirect calls, let
 * the applier turn the call sites into direct calls, run it again.  The
 * two runs must print the same hashes.
 */
#include <stdio.h>
#include <time.h>

#include "hash.h"

#define LEN (1u << 22)

static uint8_t data[LEN];

static double seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void workload(const char *label)
{
	double t0 = seconds();
	uint32_t a = hash_buffer(data, LEN);
	double t1 = seconds();

	printf("%-9s hash(\"pvlink\")=%08x hash(4 MiB)=%08x  %.2f ns/byte\n", label,
	       hash_string("pvlink"), a, (t1 - t0) * 1e9 / LEN);
}

int main(void)
{
	const char *backend = hash_select();
	struct pvops_counts c;

	for (unsigned i = 0; i < LEN; i++)
		data[i] = (uint8_t)(i * 2654435761u >> 24);
	printf("backend %s\n", backend);
	workload("indirect");
	c = pvops_hosted_apply(hash_patches, hash_npatches, 0);
	printf("patched: %u direct, %u inlined, %u nop, %u left indirect, %u mismatch\n",
	       c.direct, c.inlined, c.nop, c.indirect, c.mismatch);
	workload("patched");
	return c.mismatch || c.failed;
}
