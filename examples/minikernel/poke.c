// SPDX-License-Identifier: MIT
/*
 * poke.c - how the applier writes the read-only kernel text on x86:
 * CR0.WP, not a writable text mapping.
 *
 * The text stays read-only in the page tables (boot.S), so a stray write
 * to it still faults; WP is clear only for the few instructions of one
 * poke, on the only CPU, with interrupts off.  The poke uses the raw
 * instructions, not pv_ops: it runs while the ops' call sites are being
 * rewritten and must not depend on any of them.
 */
#include "console.h"
#include "cpu.h"
#include "kernel.h"

extern char _stext[], _etext[];

/* Refuses anything outside the kernel text: the applier counts it as failed. */
int poke_text(void *addr, const void *src, uint32_t len, void *ctx)
{
	char *p = addr;
	unsigned long cr0;

	(void)ctx;
	if (p < _stext || p + len > _etext)
		return -1;
	cr0 = raw_read_cr0();
	raw_write_cr0(cr0 & ~X86_CR0_WP);
	memcpy(p, src, len);
	raw_write_cr0(cr0);
	return 0;
}

/*
 * The text is mapped read-only (boot.S) and CR0.WP makes that binding on
 * the kernel too, before the applier's first poke: a pre-patched kernel
 * whose backend matches never lifts it.
 */
void text_print_protection(void)
{
	kprintf("text: read-only before patching, CR0.WP %u\n",
		(raw_read_cr0() & X86_CR0_WP) ? 1u : 0u);
}
