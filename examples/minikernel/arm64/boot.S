// SPDX-License-Identifier: MIT
/*
 * boot.S - the AArch64 entry: from QEMU's jump to the ELF entry to C.
 *
 * QEMU -M virt (no virtualization=on, no secure=on) starts the CPU at
 * EL1 with the MMU and caches off and all of DAIF masked.  For an image
 * that is not a Linux one it jumps straight to the ELF entry with nothing
 * in the registers; the device tree lies at the start of RAM
 * (layout.h).  The kernel is linked at its physical address, so no
 * address needs adjusting, before or after the MMU goes on.
 *
 * Until mmu_init() has turned the MMU on, every data access is to device
 * memory: the C built for this kernel (-mstrict-align, no FP/SIMD) is fit
 * for it.
 */
#include "layout.h"

#define CURRENTEL_EL1	(1 << 2)
#define PMCR_E		(1 << 0)	/* counters on */
#define PMCR_C		(1 << 2)	/* cycle counter reset */
#define PMCNTEN_C	(1 << 31)	/* cycle counter enabled */

	.section .boot.text, "ax"
	.globl _start
_start:
	msr	daifset, #0xf
	mrs	x0, CurrentEL
	cmp	x0, #CURRENTEL_EL1
	b.ne	1f			/* EL2 or EL3: nothing here would work */

	/* .bss holds the stack and the translation tables: clear it first. */
	adrp	x0, __bss_start
	add	x0, x0, :lo12:__bss_start
	adrp	x1, __bss_end
	add	x1, x1, :lo12:__bss_end
2:	cmp	x0, x1
	b.hs	3f
	str	xzr, [x0], #8
	b	2b
3:	adrp	x0, stack_top
	add	x0, x0, :lo12:stack_top
	mov	sp, x0

	/* The PMU cycle counter, for timing.c and the applier's pass. */
	mov	x0, #(PMCR_E | PMCR_C)
	msr	pmcr_el0, x0
	mov	x0, #PMCNTEN_C
	msr	pmcntenset_el0, x0
	isb

	bl	mmu_init
	mov	x0, #DTB_PHYS		/* kmain(boot_info) */
	bl	kmain
1:	wfi
	b	1b

	.bss
	.balign 16
	.globl stack_top
stack:		.skip 16384
stack_top:

	.section .note.GNU-stack, "", %progbits
