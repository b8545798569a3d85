// SPDX-License-Identifier: MIT
/*
 * native.c - the AArch64 native backend: the real instructions.
 *
 * Each op is a real function, because pv_ops holds its address and the
 * applier matches a slot's target against the patches registered here;
 * their table (native_ops) and the backend are paravirt.c's.  The four
 * irq ops are one instruction each and are also registered as inline
 * code (PVOPS_INLINE), the bytes of that instruction, little-endian: a
 * site's `blr` can become `msr daifset, #2`.  The bodies obey the
 * AAPCS64 (argument and result in x0), which is what lets the same
 * instruction replace a call.
 */
#include "cpu.h"
#include "layout.h"
#include "paravirt.h"

void native_irq_disable(void)
{
	__asm__ volatile("msr daifset, #2" : : : "memory");
}

void native_irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" : : : "memory");
}

unsigned long native_save_fl(void)
{
	return raw_save_fl();
}

void native_restore_fl(unsigned long flags)
{
	__asm__ volatile("msr daif, %0" : : "r"(flags) : "memory");
}

unsigned long native_read_sctlr(void)
{
	return raw_read_sctlr();
}

void native_write_sctlr(unsigned long v)
{
	raw_write_sctlr(v);
}

unsigned long native_read_ttbr0(void)
{
	return raw_read_ttbr0();
}

void native_write_ttbr0(unsigned long v)
{
	raw_write_ttbr0(v);
}

uint64_t native_read_midr(void)
{
	return raw_read_midr();
}

/*
 * A read of a device register (the PL011's peripheral ID) waits for the
 * bus, as x86's write to the POST port does.
 */
void native_io_delay(void)
{
	(void)*(volatile uint32_t *)(uintptr_t)(UART_BASE + 0xfe0);
}

/* Completes the table writes before it, drops every EL1 translation. */
void native_flush_tlb(void)
{
	__asm__ volatile("dsb ishst\n\ttlbi vmalle1\n\tdsb ish\n\tisb" : : : "memory");
}

#define PTE_ADDR 0x0000fffffffff000ull  /* output address, bits 47:12 */
#define PTE_SH_AF (3ull << 8 | 1ull << 10)  /* inner shareable, accessed */

uint64_t native_write_pte(uint64_t *table, unsigned int index, uint64_t phys,
			  unsigned int attr, unsigned int ap, unsigned int flags)
{
	uint64_t d = (phys & PTE_ADDR) | (flags & 3) | (uint64_t)(attr & 7) << 2 |
		     (uint64_t)(ap & 3) << 6 | PTE_SH_AF | (uint64_t)(flags >> 2 & 3) << 53;

	table[index] = d;
	return d;
}

PVOPS_INLINE(native_irq_disable, 0xdf, 0x42, 0x03, 0xd5);  /* msr daifset, #2 */
PVOPS_INLINE(native_irq_enable, 0xff, 0x42, 0x03, 0xd5);   /* msr daifclr, #2 */
PVOPS_INLINE(native_save_fl, 0x20, 0x42, 0x3b, 0xd5);      /* mrs x0, daif */
PVOPS_INLINE(native_restore_fl, 0x20, 0x42, 0x1b, 0xd5);   /* msr daif, x0 */
