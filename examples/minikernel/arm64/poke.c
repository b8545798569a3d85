// SPDX-License-Identifier: MIT
/*
 * poke.c - how the applier writes the read-only kernel text on AArch64:
 * through a writable alias that exists for one site's copy.
 *
 * EL1 has nothing like x86's CR0.WP: a read-only page is read-only to the
 * kernel too.  So the text stays read-only where it runs (mm.c), a stray
 * write to it still faults, and each poke maps the kernel's 2 MiB a
 * second time, writable and never executable, copies through that
 * mapping and removes it (Linux's arm64 text patching uses a fixmap page
 * the same way).  Then the instruction stream must see the new bytes:
 * data and instruction caches are not coherent on AArch64, so the lines
 * are cleaned to the point of unification and invalidated in the
 * instruction cache, each step completed by a dsb, and an isb refetches.
 * One CPU, interrupts masked; raw instructions only, never pv_ops: it
 * runs while the ops' call sites are being rewritten.
 */
#include "console.h"
#include "cpu.h"
#include "kernel.h"
#include "mm.h"

extern char _stext[], _etext[];

/* CTR_EL0: the smallest data and instruction cache lines, log2 of words. */
static void sync_icache(uintptr_t start, uintptr_t end)
{
	uint64_t ctr = read_sysreg(ctr_el0);
	uintptr_t dline = 4ul << (ctr >> 16 & 0xf), iline = 4ul << (ctr & 0xf);

	for (uintptr_t a = start & ~(dline - 1); a < end; a += dline)
		__asm__ volatile("dc cvau, %0" : : "r"(a) : "memory");
	__asm__ volatile("dsb ish" : : : "memory");
	for (uintptr_t a = start & ~(iline - 1); a < end; a += iline)
		__asm__ volatile("ic ivau, %0" : : "r"(a) : "memory");
	__asm__ volatile("dsb ish\n\tisb" : : : "memory");
}

/* Refuses anything outside the kernel text: the applier counts it as failed. */
int poke_text(void *addr, const void *src, uint32_t len, void *ctx)
{
	char *p = addr;

	(void)ctx;
	if (p < _stext || p + len > _etext)
		return -1;
	memcpy(mm_map_text(p), src, len);
	mm_unmap_text();
	sync_icache((uintptr_t)p, (uintptr_t)p + len);
	return 0;
}

/*
 * Whether a write to the first text page would fault, as the MMU answers
 * AT S1E1W.  A pre-patched kernel whose backend matches never maps the
 * alias at all.
 */
void text_print_protection(void)
{
	kprintf("text: read-only before patching, AT S1E1W fault %d\n",
		raw_write_faults(_stext));
}
