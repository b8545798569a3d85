/* SPDX-License-Identifier: MIT */
/*
 * paravirt.h - the ops table and its backends.
 *
 * Kernel code calls these as plain C, pv_ops.irq_disable(), which gcc
 * compiles to `call *pv_ops+off(%rip)`; pvlink finds those sites and the
 * applier turns them into direct calls or inline code for the backend
 * chosen at boot.
 */
#ifndef PARAVIRT_H
#define PARAVIRT_H

#include <stdint.h>

#include "pvops.h"

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

extern struct pv_ops pv_ops;

struct pv_backend {
	const char *name;
	const struct pv_ops *ops;
	/* The state the irq ops model, read without them. */
	int (*irqs_enabled)(void);
	/* The irq ops touch only memory: RFLAGS.IF must never change. */
	int virtual_if;
};

extern const struct pv_backend native_backend, pv_backend;

/* The backends' tables, the templates `pvlink patch --ops` names. */
extern const struct pv_ops native_ops, pv_ops_pv;

/* The native functions: the initial contents of pv_ops, reused by pv. */
void native_irq_disable(void);
void native_irq_enable(void);
unsigned long native_save_fl(void);
void native_restore_fl(unsigned long flags);
unsigned long native_read_cr0(void);
void native_write_cr0(unsigned long v);
unsigned long native_read_cr3(void);
void native_write_cr3(unsigned long v);
uint64_t native_read_msr(uint32_t msr);
void native_io_delay(void);
void native_flush_tlb(void);
uint64_t native_write_gdt_entry(uint64_t *gdt, unsigned int entry, uint32_t base,
				uint32_t limit, unsigned int access, unsigned int flags);

/*
 * Chooses the backend named by `pvops=` on the command line (native when
 * absent) and copies its ops into pv_ops.  Returns NULL for an unknown name.
 */
const struct pv_backend *paravirt_select(const char *cmdline);

/* Rewrites the call sites for pv_ops as it is now and prints the counts. */
void paravirt_patch(const struct pv_backend *b);

/* Applies again: NULL when nothing is written and every count is the same. */
const char *paravirt_check_reapply(const struct pv_backend *b);

#endif
