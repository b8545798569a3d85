/* SPDX-License-Identifier: MIT */
/*
 * pv_ops.h - the x86 ops table: struct pv_ops and the native functions
 * behind its x86-only slots (arm64/pv_ops.h is AArch64's).
 *
 * Shared code reaches this header through paravirt.h and the include
 * path (-I., or -Iarm64 first for the AArch64 kernel), never by its own
 * directory, so each architecture's build finds its own.
 */
#ifndef PV_OPS_H
#define PV_OPS_H

#include <stdint.h>

#include "cpu.h"

struct pv_ops {
	/* Interrupt flag: the CPU's RFLAGS.IF, or a virtual one. */
	void (*irq_disable)(void);
	void (*irq_enable)(void);
	unsigned long (*save_fl)(void);           /* IF is X86_EFLAGS_IF */
	void (*restore_fl)(unsigned long flags);

	/* Privileged registers, I/O and the TLB. */
	unsigned long (*read_cr0)(void);
	void (*write_cr0)(unsigned long v);
	unsigned long (*read_cr3)(void);
	void (*write_cr3)(unsigned long v);
	uint64_t (*read_msr)(uint32_t msr);
	void (*io_delay)(void);
	void (*flush_tlb)(void);

	/*
	 * Encodes a segment descriptor, stores it in gdt[entry] and returns
	 * it: a hypervisor validates descriptors, so a PV guest cannot just
	 * store them.
	 */
	uint64_t (*write_gdt_entry)(uint64_t *gdt, unsigned int entry, uint32_t base,
				    uint32_t limit, unsigned int access,
				    unsigned int flags);
};

unsigned long native_read_cr0(void);
void native_write_cr0(unsigned long v);
unsigned long native_read_cr3(void);
void native_write_cr3(unsigned long v);
uint64_t native_read_msr(uint32_t msr);
uint64_t native_write_gdt_entry(uint64_t *gdt, unsigned int entry, uint32_t base,
				uint32_t limit, unsigned int access, unsigned int flags);

/* The slots only x86 has, native in every backend (paravirt.h's NATIVE_OPS, pv.c). */
#define NATIVE_ARCH_OPS                                 \
	.read_cr0 = native_read_cr0,                    \
	.write_cr0 = native_write_cr0,                  \
	.read_cr3 = native_read_cr3,                    \
	.write_cr3 = native_write_cr3,                  \
	.read_msr = native_read_msr,                    \
	.write_gdt_entry = native_write_gdt_entry

/* The six-argument op as timing.c calls it: a code descriptor in table[1]. */
#define PV_OPS_ARGS6_NAME "write_gdt_entry"
#define PV_OPS_ARGS6(table, n) pv_ops.write_gdt_entry(table, 1, n, 0xfffff, 0x9a, 0xa)

/*
 * kmain's line about the CPU, read through pv_ops.  A macro, so that the
 * call is kmain's own site: the table's first plain call, the one
 * mkstale.sh overwrites.
 */
#define PV_OPS_PRINT_CPU() \
	kprintf("cpu: IA32_APIC_BASE %#lx\n", (unsigned long)pv_ops.read_msr(MSR_IA32_APIC_BASE))

#endif
