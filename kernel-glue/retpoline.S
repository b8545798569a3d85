/* SPDX-License-Identifier: MIT */
/*
 * retpoline.S - the thunks that builds with external retpolines call
 * (gcc -mindirect-branch=thunk-extern, clang -mretpoline-external-thunk):
 * `call __x86_indirect_thunk_REG` branches to REG without an indirect
 * branch the CPU could mispredict.  The call pushes a return address that
 * the thunk overwrites with the target; speculation runs into the
 * pause/lfence loop instead.  For kernels and programs that have no thunks
 * of their own; pvlink's patched sites no longer go through them.
 * Assembles for x86-64 and, with -m32, for i386.
 */
	.text

.macro THUNK reg, sp
	.globl	__x86_indirect_thunk_\reg
	.hidden	__x86_indirect_thunk_\reg
	.type	__x86_indirect_thunk_\reg, @function
	.p2align 4
__x86_indirect_thunk_\reg:
	call	1f
2:	pause
	lfence
	jmp	2b
1:	mov	%\reg, (%\sp)
	ret
	.size	__x86_indirect_thunk_\reg, . - __x86_indirect_thunk_\reg
.endm

#ifdef __i386__
	.irp reg, eax, ebx, ecx, edx, esi, edi, ebp
	THUNK \reg, esp
	.endr
#else
	.irp reg, rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15
	THUNK \reg, rsp
	.endr
#endif

	.section .note.GNU-stack, "", @progbits
