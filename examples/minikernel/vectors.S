// SPDX-License-Identifier: MIT
/*
 * vectors.S - one stub per CPU exception, 0 to 31, for traps.c.
 *
 * The CPU pushes an error code for some vectors only; the stubs push a
 * zero for the others so that trap_report() always sees the same frame:
 * vector, error code, then the CPU's RIP, CS, RFLAGS, RSP, SS.
 */
#define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
		      (v) == 21 || (v) == 29 || (v) == 30)

	.text
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
trap_\v:
	.if !HAS_ERROR(\v)
	pushq	$0
	.endif
	pushq	$\v
	jmp	trap_common
	.endr

trap_common:
	mov	%rsp, %rdi
	and	$-16, %rsp		/* the ABI's alignment for the C call */
	call	trap_report		/* does not return */
1:	cli
	hlt
	jmp	1b

	.section .rodata
	.balign 8
	.globl trap_stubs
trap_stubs:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad	trap_\v
	.endr

	.section .note.GNU-stack, "", @progbits
