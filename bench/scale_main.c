// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * scale_main.c - the program generated sites (gen_sites.c) are linked
 * into: it defines the ops tables they reference, fills them the way a
 * program picks its backend at start-up, and times the applier through
 * the API a program uses (pvops_hosted_apply).  The generated functions
 * are never run; they are only patched.
 *
 * One line of key=value pairs on stdout:
 *   cold    first apply: includes the copy-on-write fault of every text
 *           page the kernel takes on the first write
 *   warm    apply again after pvops_restore: the same writes, pages
 *           already private, so this is the applier's own cost
 *   noop    apply with unchanged slots: every site checked, none written
 *   memcpy  one memcpy of as many bytes as the sites hold (the floor)
 *   scatter one memcpy per site, of its length, into a buffer laid out
 *           like the text (the floor for touching every site)
 * and, through --wrap=mprotect, how often the text was made writable.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "pvops.h"
#include "scale.h"
#include "stats.h"

typedef long (*op_fn)(long);

op_fn tbl0[BENCH_SLOTS], tbl1[BENCH_SLOTS], tbl2[BENCH_SLOTS], tbl3[BENCH_SLOTS];

extern struct pvops_site __start_pvlink_sites[], __stop_pvlink_sites[];

/* Targets: one registered as inline code, one as a no-op, the rest called. */
__attribute__((noinline)) static long t_ident(long x) { return x; }
__attribute__((noinline)) static long t_nop(long x) { (void)x; return 0; }
__attribute__((noinline)) static long t_inc(long x) { return x + 1; }
__attribute__((noinline)) static long t_dec(long x) { return x - 1; }
__attribute__((noinline)) static long t_neg(long x) { return -x; }

static const uint8_t mov_rdi_rax[] = { 0x48, 0x89, 0xf8 };
static const struct pvops_patch patches[] = {
	{ (const void *)t_ident, mov_rdi_rax, sizeof(mov_rdi_rax) },
	{ (const void *)t_nop, NULL, 0 },
};
/* The same patches as records, for `pvlink patch` (bench/prepatch.sh). */
PVOPS_INLINE(t_ident, 0x48, 0x89, 0xf8);
PVOPS_NOP(t_nop);

/* Counts the hosted environment's mprotect() calls that make text writable. */
static unsigned long mp_calls, mp_pages;
int __real_mprotect(void *addr, size_t len, int prot);
int __wrap_mprotect(void *addr, size_t len, int prot)
{
	if (prot & PROT_WRITE) {
		mp_calls++;
		mp_pages += (len + 4095) / 4096;
	}
	return __real_mprotect(addr, len, prot);
}

static void fill_tables(void)
{
	static const op_fn others[] = { t_inc, t_dec, t_neg };
	op_fn *tables[BENCH_TABLES] = { tbl0, tbl1, tbl2, tbl3 };

	for (int t = 0; t < BENCH_TABLES; t++)
		for (int i = 0; i < BENCH_SLOTS; i++)
			tables[t][i] = i % 8 == 0 ? t_ident : i % 8 == 1 ? t_nop : others[i % 3];
}

/* Pages that hold at least one site (the ones that must become writable). */
static unsigned long site_pages(uintptr_t lo, uintptr_t hi)
{
	unsigned long n = 0, npages = (hi - lo) / 4096 + 1;
	unsigned char *seen = calloc(npages, 1);

	for (struct pvops_site *e = __start_pvlink_sites; e < __stop_pvlink_sites; e++) {
		unsigned long p = ((uintptr_t)pvops_site_addr(e) - lo) / 4096;

		n += !seen[p];
		seen[p] = 1;
	}
	free(seen);
	return n;
}

/*
 * The two floors, each the fastest of FLOOR_RUNS: one bulk copy, and one
 * copy per site at its own offset.  The buffers are touched first, so
 * no page fault is counted.
 */
#define FLOOR_RUNS 5
static void floors(double *bulk, double *scatter, size_t *bytes, unsigned long *pages)
{
	uintptr_t lo = UINTPTR_MAX, hi = 0;
	size_t n = 0;
	uint8_t *src, *dst, *img;
	double t0, b[FLOOR_RUNS], s[FLOOR_RUNS];

	for (struct pvops_site *e = __start_pvlink_sites; e < __stop_pvlink_sites; e++) {
		uintptr_t a = (uintptr_t)pvops_site_addr(e);

		n += e->len;
		lo = a < lo ? a : lo;
		hi = a + e->len > hi ? a + e->len : hi;
	}
	src = malloc(n), dst = malloc(n), img = malloc(hi - lo);
	memset(src, 0x90, n), memset(dst, 0, n), memset(img, 0, hi - lo);
	for (int r = 0; r < FLOOR_RUNS; r++) {
		t0 = now();
		memcpy(dst, src, n);
		__asm__ volatile("" : : "r"(dst) : "memory");
		b[r] = now() - t0;
		t0 = now();
		for (struct pvops_site *e = __start_pvlink_sites; e < __stop_pvlink_sites; e++)
			memcpy(img + ((uintptr_t)pvops_site_addr(e) - lo), src, e->len);
		__asm__ volatile("" : : "r"(img) : "memory");
		s[r] = now() - t0;
	}
	*bulk = vmin(b, FLOOR_RUNS);
	*scatter = vmin(s, FLOOR_RUNS);
	*bytes = n;
	*pages = site_pages(lo & ~(uintptr_t)4095, hi);
	free(src), free(dst), free(img);
}

int main(void)
{
	unsigned long n = (unsigned long)(__stop_pvlink_sites - __start_pvlink_sites);
	struct pvops_counts c, w, z;
	double t0, cold, warm, noop, bulk, scatter;
	unsigned long cold_calls, cold_pages, pages;
	size_t bytes;

	fill_tables();
	t0 = now();
	c = pvops_hosted_apply(patches, 2, 0);
	cold = now() - t0;
	cold_calls = mp_calls, cold_pages = mp_pages;
	pvops_hosted_apply(patches, 2, 1);
	t0 = now();
	w = pvops_hosted_apply(patches, 2, 0);
	warm = now() - t0;
	t0 = now();
	z = pvops_hosted_apply(patches, 2, 0);
	noop = now() - t0;
	floors(&bulk, &scatter, &bytes, &pages);

	printf("entries=%lu direct=%u inlined=%u nop=%u indirect=%u mismatch=%u bad=%u failed=%u "
	       "writes=%u warm_writes=%u noop_writes=%u bytes=%zu "
	       "cold_ns=%.0f warm_ns=%.0f noop_ns=%.0f memcpy_ns=%.0f scatter_ns=%.0f "
	       "mprotect_w=%lu mprotect_pages=%lu site_pages=%lu\n",
	       n, c.direct, c.inlined, c.nop, c.indirect, c.mismatch, c.bad_entry, c.failed,
	       c.writes, w.writes, z.writes, bytes, cold * 1e9, warm * 1e9, noop * 1e9,
	       bulk * 1e9, scatter * 1e9, cold_calls, cold_pages, pages);
	return c.mismatch || c.bad_entry || c.failed || c.writes != n;
}
