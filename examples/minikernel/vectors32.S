// SPDX-License-Identifier: MIT
/*
 * vectors32.S - vectors.S for the i386 build: one stub per CPU exception,
 * 0 to 31, for traps.c.  The frame trap_report() sees: vector, error code
 * (zero where the CPU pushes none), then the CPU's EIP, CS, EFLAGS.
 */
#define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
		      (v) == 21 || (v) == 29 || (v) == 30)

	.text
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
trap_\v:
	.if !HAS_ERROR(\v)
	pushl	$0
	.endif
	pushl	$\v
	jmp	trap_common
	.endr

trap_common:
	mov	%esp, %eax		/* trap_report(frame), -mregparm=3 */
	and	$-16, %esp
	call	trap_report		/* does not return */
1:	cli
	hlt
	jmp	1b

	.section .rodata
	.balign 4
	.globl trap_stubs
trap_stubs:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.long	trap_\v
	.endr

	.section .note.GNU-stack, "", @progbits
