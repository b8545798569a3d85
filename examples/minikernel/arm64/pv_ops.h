/* SPDX-License-Identifier: MIT */
/*
 * pv_ops.h - the AArch64 ops table: struct pv_ops and the native
 * functions behind its AArch64-only slots (../pv_ops.h is x86's).
 *
 * The same twelve roles as x86's: the interrupt mask, a control register
 * and the translation table base read and written, an identification
 * register, a device wait, a TLB flush, and one op of six arguments.
 * Calls compile to a load of the slot and `blr` (`br` in tail position),
 * arguments in x0-x5, the result in x0.
 */
#ifndef PV_OPS_H
#define PV_OPS_H

#include <stdint.h>

#include "cpu.h"

struct pv_ops {
	/* Interrupt mask: the CPU's PSTATE.I, or a virtual one. */
	void (*irq_disable)(void);
	void (*irq_enable)(void);
	unsigned long (*save_fl)(void);           /* DAIF; masked when DAIF_I is set */
	void (*restore_fl)(unsigned long flags);

	/* System registers, device I/O and the TLB. */
	unsigned long (*read_sctlr)(void);
	void (*write_sctlr)(unsigned long v);
	unsigned long (*read_ttbr0)(void);
	void (*write_ttbr0)(unsigned long v);
	uint64_t (*read_midr)(void);
	void (*io_delay)(void);
	void (*flush_tlb)(void);

	/*
	 * Encodes a stage 1 block or page descriptor, stores it in
	 * table[index] and returns it: a hypervisor validates translation
	 * table entries, so a PV guest cannot just store them.  flags: bits
	 * 0-1 the descriptor type (1 block, 3 page), bits 2-3 PXN and UXN.
	 */
	uint64_t (*write_pte)(uint64_t *table, unsigned int index, uint64_t phys,
			      unsigned int attr, unsigned int ap, unsigned int flags);
};

unsigned long native_read_sctlr(void);
void native_write_sctlr(unsigned long v);
unsigned long native_read_ttbr0(void);
void native_write_ttbr0(unsigned long v);
uint64_t native_read_midr(void);
uint64_t native_write_pte(uint64_t *table, unsigned int index, uint64_t phys,
			  unsigned int attr, unsigned int ap, unsigned int flags);

/* The slots only AArch64 has, native in every backend (paravirt.h's NATIVE_OPS, pv.c). */
#define NATIVE_ARCH_OPS                                 \
	.read_sctlr = native_read_sctlr,                \
	.write_sctlr = native_write_sctlr,              \
	.read_ttbr0 = native_read_ttbr0,                \
	.write_ttbr0 = native_write_ttbr0,              \
	.read_midr = native_read_midr,                  \
	.write_pte = native_write_pte

/* The six-argument op as timing.c calls it: a block descriptor in table[1]. */
#define PV_OPS_ARGS6_NAME "write_pte"
#define PV_OPS_ARGS6(table, n) pv_ops.write_pte(table, 1, (uint64_t)(n) << 21, 1, 0, 1)

/* kmain's line about the CPU, read through pv_ops (a macro: kmain's own site). */
#define PV_OPS_PRINT_CPU() \
	kprintf("cpu: MIDR_EL1 %#lx\n", (unsigned long)pv_ops.read_midr())

#endif
