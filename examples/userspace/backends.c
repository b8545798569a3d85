// SPDX-License-Identifier: MIT
/*
 * backends.c - two implementations of hash_ops: FNV-1a and CRC-32.
 * HASH_BACKEND=fnv|crc selects one; HASH_TRACE=1 makes trace print.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash_ops.h"

struct hash_ops hash_ops;

static uint32_t fnv_init(void) { return 2166136261u; }
static uint32_t fnv_update(uint32_t h, uint8_t b) { return (h ^ b) * 16777619u; }
static uint32_t identity(uint32_t h) { return h; }

static uint32_t crc_init(void) { return 0xffffffffu; }
static uint32_t crc_final(uint32_t h) { return ~h; }

static uint32_t crc_update(uint32_t h, uint8_t b)
{
	h ^= b;
	for (int i = 0; i < 8; i++)
		h = (h >> 1) ^ (0xedb88320u & -(h & 1));
	return h;
}

static void trace_quiet(const char *what, uint32_t h) { (void)what, (void)h; }
static void trace_print(const char *what, uint32_t h) { printf("  trace %s %08x\n", what, h); }

/*
 * identity() returns its argument: inline, that is `mov %edi,%eax`
 * (89 f8), two bytes instead of a call.  trace_quiet() does nothing, so
 * its call sites become NOPs.  Registered in the program's pvlink_patches
 * section, which the applier (kernel-glue/hosted.c) and `pvlink patch`
 * both read.
 */
PVOPS_INLINE(identity, 0x89, 0xf8);
PVOPS_NOP(trace_quiet);

/*
 * Each backend's table as a const object: hash_select() copies one, and
 * `pvlink patch --ops hash_ops=fnv_backend` pre-patches the program for it.
 */
const struct hash_ops fnv_backend = { fnv_init, fnv_update, identity, trace_quiet };
const struct hash_ops crc_backend = { crc_init, crc_update, crc_final, trace_quiet };

/* Runs once, before other threads: PVOPS_INIT lets `pvlink audit` count
   its stores as init writes. */
PVOPS_INIT const char *hash_select(void)
{
	const char *name = getenv("HASH_BACKEND");
	const char *trace = getenv("HASH_TRACE");
	int crc = name && !strcmp(name, "crc");

	hash_ops = crc ? crc_backend : fnv_backend;
	if (trace && *trace == '1')
		hash_ops.trace = trace_print;
	return crc ? "crc" : "fnv";
}
