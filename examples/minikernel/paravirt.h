/* SPDX-License-Identifier: MIT */
/*
 * paravirt.h - the ops table and its backends.
 *
 * Kernel code calls these as plain C, pv_ops.irq_disable(), which gcc
 * compiles to `call *pv_ops+off(%rip)` (on AArch64 a load of the slot
 * and `blr`); pvlink finds those sites and the applier turns them into
 * direct calls or inline code for the backend chosen at boot.  The slots
 * every architecture has are declared here, the table itself in the
 * architecture's pv_ops.h.
 */
#ifndef PARAVIRT_H
#define PARAVIRT_H

#include <stdint.h>

#include "pvops.h"
/* The architecture's struct pv_ops: ./pv_ops.h or arm64/pv_ops.h. */
#include <pv_ops.h>

extern struct pv_ops pv_ops;

struct pv_backend {
	const char *name;
	const struct pv_ops *ops;
	/* The state the irq ops model, read without them. */
	int (*irqs_enabled)(void);
	/* The irq ops touch only memory: the CPU's own interrupt mask
	   (RFLAGS.IF, PSTATE.I) must never change. */
	int virtual_if;
};

extern const struct pv_backend native_backend, pv_backend;

/* The backends' tables, the templates `pvlink patch --ops` names. */
extern const struct pv_ops native_ops, pv_ops_pv;

/*
 * The native functions behind the slots every architecture has: the
 * initial contents of pv_ops, reused by pv.  pv_ops.h declares the others.
 */
void native_irq_disable(void);
void native_irq_enable(void);
unsigned long native_save_fl(void);
void native_restore_fl(unsigned long flags);
void native_io_delay(void);
void native_flush_tlb(void);

/* Every op native: pv_ops as it starts out, and native_ops. */
#define NATIVE_OPS {                                    \
	.irq_disable = native_irq_disable,              \
	.irq_enable = native_irq_enable,                \
	.save_fl = native_save_fl,                      \
	.restore_fl = native_restore_fl,                \
	.io_delay = native_io_delay,                    \
	.flush_tlb = native_flush_tlb,                  \
	NATIVE_ARCH_OPS                                 \
}

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
