// SPDX-License-Identifier: MIT
/*
 * hosted.c - the applier's environment for a user-space program.
 *
 * The program's text is mapped read-only and executable.  Before any
 * write, every page that holds a site is made writable (and kept
 * executable: the applier itself may live on one of them) with a single
 * mprotect() over the span of the sites; afterwards the span goes back to
 * read + execute.  The poke is then a plain byte copy.  This must run
 * before other threads start: a thread executing a site while it is
 * half-written would run a torn instruction.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pvops.h"

extern struct pvops_site __start_pvlink_sites[] __attribute__((weak));
extern struct pvops_site __stop_pvlink_sites[] __attribute__((weak));

static int poke_copy(void *addr, const void *src, uint32_t len, void *ctx)
{
	(void)ctx;
	memcpy(addr, src, len);
	return 0;
}

/* The page-aligned span that covers every site in the table. */
static int site_span(struct pvops_site *b, struct pvops_site *e,
		     uintptr_t *lo, uintptr_t *hi)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);

	*lo = UINTPTR_MAX;
	*hi = 0;
	for (; b < e; b++) {
		/* what the applier writes: a split site's branch lies past its length */
		uintptr_t s = (uintptr_t)pvops_site_addr(b) + pvops_write_offset(b);

		if (s < *lo)
			*lo = s;
		if (s + pvops_write_len(b) > *hi)
			*hi = s + pvops_write_len(b);
	}
	if (*lo > *hi)
		return 0;
	*lo &= ~(page - 1);
	*hi = (*hi + page - 1) & ~(page - 1);
	return 1;
}

struct pvops_counts pvops_hosted_apply(const struct pvops_patch *patches,
				       uint32_t npatches, int restore)
{
	struct pvops_env env = { poke_copy, NULL, patches, npatches };
	struct pvops_site *b = __start_pvlink_sites, *e = __stop_pvlink_sites;
	struct pvops_counts c = { 0 };
	uintptr_t lo, hi;

	if (!b || !site_span(b, e, &lo, &hi))
		return c;
	if (mprotect((void *)lo, hi - lo, PROT_READ | PROT_WRITE | PROT_EXEC)) {
		c.failed = (uint32_t)(e - b);
		return c;
	}
	c = restore ? pvops_restore(b, e, &env) : pvops_apply(b, e, &env);
	mprotect((void *)lo, hi - lo, PROT_READ | PROT_EXEC);
	return c;
}
