/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * unit.h - what the applier's unit tests (applier*.c) share: a check
 * that prints a PASS:/FAIL: line as tests/lib.sh counts them, poke hooks
 * that copy or refuse, and the comparison of every counter at once.
 */
#ifndef UNIT_H
#define UNIT_H

#include <stdio.h>
#include <string.h>

#include "pvops.h"

static int failures;
static unsigned pokes;                   /* writes the copying poke made */

static inline void check(const char *name, int ok)
{
	printf("%s: %s\n", ok ? "PASS" : "FAIL", name);
	failures += !ok;
}

static inline int poke(void *addr, const void *src, uint32_t len, void *ctx)
{
	(void)ctx;
	pokes++;
	memcpy(addr, src, len);
	return 0;
}

static inline int refuse(void *addr, const void *src, uint32_t len, void *ctx)
{
	(void)addr, (void)src, (void)len, (void)ctx;
	return -1;
}

/* Every counter but failed, which must be 0. */
static inline int counts_are(struct pvops_counts c, unsigned direct, unsigned inlined,
			     unsigned nop, unsigned indirect, unsigned mismatch, unsigned bad,
			     unsigned writes)
{
	return c.direct == direct && c.inlined == inlined && c.nop == nop &&
	       c.indirect == indirect && c.mismatch == mismatch && c.bad_entry == bad &&
	       c.writes == writes && c.failed == 0;
}

#endif /* UNIT_H */
