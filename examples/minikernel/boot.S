// SPDX-License-Identifier: MIT
/*
 * boot.S - PVH entry: 32-bit protected mode to 64-bit C.
 *
 * QEMU (and Xen) find the entry through the PVH ELF note below and jump
 * to its *physical* address in 32-bit protected mode, flat segments,
 * paging off, %ebx = physical address of struct hvm_start_info.  The
 * kernel is linked at KERNEL_VMA + physical (-mcmodel=kernel wants the
 * top 2 GiB), so until paging is on every address is written PHYS(sym).
 *
 * Page tables, all built here before paging goes on:
 *   pml4[0]   -> pdpt_low[0]    -> pd_low:  0..1 GiB identity, 2 MiB pages
 *   pml4[511] -> pdpt_high[510] -> pd_high[0] -> pt_kernel:
 *                the first 2 MiB of physical memory at KERNEL_VMA in
 *                4 KiB pages, so that [_stext, _etext) can be read-only.
 * The identity map stays: start_info, the command line and the TLB
 * self-test live there.
 */
#include "layout.h"

#define PHYS(x)	((x) - KERNEL_VMA)

#define PTE_P	0x001
#define PTE_W	0x002
#define PTE_PS	0x080	/* 2 MiB page in a page directory */

#define CR0_PE	0x00000001
#define CR0_WP	0x00010000
#define CR0_PG	0x80000000
#define CR4_PAE	0x00000020
#define MSR_EFER 0xc0000080
#define EFER_LME 0x00000100

#define KERNEL_CS 0x08
#define KERNEL_DS 0x10

/* XEN_ELFNOTE_PHYS32_ENTRY: name "Xen", descriptor = 32-bit entry. */
	.pushsection .note.pvh, "a", @note
	.balign 4
	.long 4, 4, 18
	.asciz "Xen"
	.balign 4
	.long PHYS(pvh_entry)
	.popsection

	.section .boot.text, "ax"
	.code32
	.globl pvh_entry
pvh_entry:
	cli
	cld
	mov	%ebx, %esi		/* start_info: %esi survives to C */

	/* The page tables live in .bss: clear it before filling them. */
	mov	$PHYS(__bss_start), %edi
	mov	$PHYS(__bss_end), %ecx
	sub	%edi, %ecx
	shr	$2, %ecx
	xor	%eax, %eax
	rep stosl

	movl	$PHYS(pdpt_low) + PTE_P + PTE_W, PHYS(pml4)
	movl	$PHYS(pdpt_high) + PTE_P + PTE_W, PHYS(pml4) + 511 * 8
	movl	$PHYS(pd_low) + PTE_P + PTE_W, PHYS(pdpt_low)
	movl	$PHYS(pd_high) + PTE_P + PTE_W, PHYS(pdpt_high) + 510 * 8
	movl	$PHYS(pt_kernel) + PTE_P + PTE_W, PHYS(pd_high)

	/* Identity map, 512 x 2 MiB. */
	mov	$PHYS(pd_low), %edi
	mov	$PTE_P + PTE_W + PTE_PS, %eax
1:	mov	%eax, (%edi)
	add	$0x200000, %eax
	add	$8, %edi
	cmp	$PHYS(pd_low) + 4096, %edi
	jb	1b

	/* Kernel map, 512 x 4 KiB: text read-only, everything else writable. */
	mov	$PHYS(pt_kernel), %edi
	xor	%eax, %eax
2:	lea	PTE_P(%eax), %edx
	cmp	$PHYS(_stext), %eax
	jb	3f
	cmp	$PHYS(_etext), %eax
	jb	4f
3:	or	$PTE_W, %edx
4:	mov	%edx, (%edi)
	add	$4096, %eax
	add	$8, %edi
	cmp	$PHYS(pt_kernel) + 4096, %edi
	jb	2b

	lgdt	PHYS(gdt_desc32)
	mov	%cr4, %eax
	or	$CR4_PAE, %eax
	mov	%eax, %cr4
	mov	$PHYS(pml4), %eax
	mov	%eax, %cr3
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_LME, %eax
	wrmsr
	/* WP makes the read-only text binding on the kernel too. */
	mov	%cr0, %eax
	or	$CR0_PE + CR0_WP + CR0_PG, %eax
	mov	%eax, %cr0
	ljmp	$KERNEL_CS, $PHYS(entry64_low)

	.code64
entry64_low:
	/* Running at the identity address; move to the linked one. */
	movq	$entry64, %rax
	jmp	*%rax
entry64:
	lgdt	gdt_desc64
	mov	$KERNEL_DS, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	xor	%eax, %eax
	mov	%eax, %fs
	mov	%eax, %gs
	movq	$stack_top, %rsp
	mov	%esi, %edi		/* kmain(start_info physical address) */
	call	kmain
5:	cli
	hlt
	jmp	5b

/*
 * In .data: the CPU writes the accessed bit of a descriptor it loads, so
 * the GDT must not sit on a read-only page (the bits are preset anyway).
 */
	.data
	.balign 16
gdt:
	.quad 0
	.quad 0x00af9b000000ffff	/* 0x08: 64-bit code, DPL 0 */
	.quad 0x00cf93000000ffff	/* 0x10: data, DPL 0 */
gdt_end:
gdt_desc32:
	.word gdt_end - gdt - 1
	.long PHYS(gdt)
	.balign 8
gdt_desc64:
	.word gdt_end - gdt - 1
	.quad gdt

	.bss
	.balign 4096
	.globl pml4, pd_low, stack_top
pml4:		.skip 4096
pdpt_low:	.skip 4096
pdpt_high:	.skip 4096
pd_low:		.skip 4096
pd_high:	.skip 4096
pt_kernel:	.skip 4096
	.balign 16
stack:		.skip 16384
stack_top:

	.section .note.GNU-stack, "", @progbits
