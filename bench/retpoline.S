/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * retpoline.S - the thunks gcc -mindirect-branch=thunk-extern calls:
 * __x86_indirect_thunk_REG jumps to REG without an indirect branch the
 * predictor could be trained on.  The call pushes a return address that
 * points at a pause/lfence loop (where speculation is captured), the
 * target then overwrites that return address and `ret` goes there.
 * This is the sequence kernels use, so an unpatched site pays what it
 * pays in a hardened build.
 */
.macro THUNK reg
	.globl __x86_indirect_thunk_\reg
	.type __x86_indirect_thunk_\reg, @function
	.p2align 5
__x86_indirect_thunk_\reg:
	call 1f
2:	pause
	lfence
	jmp 2b
1:	mov %\reg, (%rsp)
	ret
	.size __x86_indirect_thunk_\reg, . - __x86_indirect_thunk_\reg
.endm

	.text
	THUNK rax
	THUNK rbx
	THUNK rcx
	THUNK rdx
	THUNK rsi
	THUNK rdi
	THUNK rbp
	THUNK r8
	THUNK r9
	THUNK r10
	THUNK r11
	THUNK r12
	THUNK r13
	THUNK r14
	THUNK r15

	.section .note.GNU-stack,"",@progbits
