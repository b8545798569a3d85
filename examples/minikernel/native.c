// SPDX-License-Identifier: MIT
/*
 * native.c - the native backend: the real instructions.
 *
 * Each op is a real function, because pv_ops holds its address and the
 * applier matches a slot's target against the patches registered here;
 * their table (native_ops) and the backend are paravirt.c's, built the
 * same way for every architecture.  The four irq ops are also
 * registered as inline code, the bytes of their own bodies: a call site
 * becomes `cli` plus NOP padding.  They are registered in the image
 * (PVOPS_INLINE), where `pvlink patch` reads them too, so a kernel
 * pre-patched for this backend holds the bytes the applier would
 * write.  The bodies obey the C calling convention (result in %rax,
 * argument in %rdi; on i386, built -mregparm=3, %eax both), which is
 * what lets the same bytes replace a call.
 */
#include "cpu.h"
#include "paravirt.h"

void native_irq_disable(void)
{
	__asm__ volatile("cli" : : : "memory");
}

void native_irq_enable(void)
{
	__asm__ volatile("sti" : : : "memory");
}

unsigned long native_save_fl(void)
{
	return raw_save_fl();
}

void native_restore_fl(unsigned long flags)
{
	__asm__ volatile("push %0; popf" : : "g"(flags) : "memory", "cc");
}

unsigned long native_read_cr0(void)
{
	return raw_read_cr0();
}

void native_write_cr0(unsigned long v)
{
	raw_write_cr0(v);
}

unsigned long native_read_cr3(void)
{
	return raw_read_cr3();
}

void native_write_cr3(unsigned long v)
{
	raw_write_cr3(v);
}

uint64_t native_read_msr(uint32_t msr)
{
	return raw_rdmsr(msr);
}

/* A write to the POST port takes about a microsecond on real ISA hardware. */
void native_io_delay(void)
{
	outb(0x80, 0);
}

/* Reloading CR3 drops every non-global TLB entry. */
void native_flush_tlb(void)
{
	raw_write_cr3(raw_read_cr3());
}

uint64_t native_write_gdt_entry(uint64_t *gdt, unsigned int entry, uint32_t base,
				uint32_t limit, unsigned int access, unsigned int flags)
{
	uint64_t d = (limit & 0xffffull) | (uint64_t)(base & 0xffffff) << 16 |
		     (uint64_t)(access & 0xff) << 40 | (uint64_t)(limit >> 16 & 0xf) << 48 |
		     (uint64_t)(flags & 0xf) << 52 | (uint64_t)(base >> 24) << 56;

	gdt[entry] = d;
	return d;
}

PVOPS_INLINE(native_irq_disable, 0xfa);                 /* cli */
PVOPS_INLINE(native_irq_enable, 0xfb);                  /* sti */
PVOPS_INLINE(native_save_fl, 0x9c, 0x58);               /* pushf; pop %rax (%eax) */
#if defined(__i386__)
PVOPS_INLINE(native_restore_fl, 0x50, 0x9d);            /* push %eax; popf */
#else
PVOPS_INLINE(native_restore_fl, 0x57, 0x9d);            /* push %rdi; popf */
#endif
