// SPDX-License-Identifier: MIT
/*
 * vectors.S - the exception vector table VBAR_EL1 points at (traps.c).
 *
 * Sixteen 128-byte entries, 2 KiB aligned: synchronous, IRQ, FIQ and
 * SError, each from the current EL on SP_EL0, on SP_ELx, from a lower EL
 * in AArch64 and in AArch32.  Every one reports and fails the boot, so
 * none saves the interrupted registers: each passes its number and the
 * syndrome registers to trap_report(), on the stack it interrupted.
 */
	.section .text.vectors, "ax"
	.balign 2048
	.globl vectors
vectors:
	.irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.balign 128
	mov	x0, #\n
	b	trap_entry
	.endr

trap_entry:
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	mrs	x4, spsr_el1
	bl	trap_report		/* never returns */
	b	.

	.section .note.GNU-stack, "", %progbits
