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

/*
 * FNV-1a over the program's first bytes up to the end of its code (GNU
 * ld, gold and lld define both symbols): a program pre-patched by
 * `pvlink patch` prints what the same program prints after patching
 * itself.
 */
extern const unsigned char __executable_start[], etext[];

static uint32_t text_checksum(void)
{
	uint32_t h = 2166136261u;

	for (const unsigned char *p = __executable_start; p < etext; p++)
		h = (h ^ *p) * 16777619u;
	return h;
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
	/* the inline and no-op patches are registered in the program (backends.c) */
	c = pvops_hosted_apply(NULL, 0, 0);
	printf("patched: %u direct, %u inlined, %u nop, %u left indirect, %u mismatch\n",
	       c.direct, c.inlined, c.nop, c.indirect, c.mismatch);
	printf("writes: %u\n", c.writes);
	printf("text: fnv1a %08x after patching\n", text_checksum());
	workload("patched");
	return c.mismatch || c.failed;
}
