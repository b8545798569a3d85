// SPDX-License-Identifier: MIT
/*
 * boot32.S - PVH entry for the i386 build: 32-bit protected mode to
 * 32-bit C, paging on.
 *
 * QEMU enters at the physical address in the PVH note, in 32-bit
 * protected mode with flat segments and paging off, %ebx = physical
 * address of struct hvm_start_info: already the mode the kernel runs in,
 * so all that is left is paging.  The kernel is linked at KERNEL_VMA +
 * physical (layout.h: 0xc0000000, the top gigabyte), so until paging is
 * on every address is written PHYS(sym).
 *
 * One page directory, 2-level paging without PAE:
 *   pd[0..255]  0..1 GiB identity, 4 MiB pages (PSE): start_info, the
 *               command line and the TLB self-test live there
 *   pd[768]  -> pt_kernel: the first 4 MiB of physical memory at
 *               KERNEL_VMA in 4 KiB pages, so that [_stext, _etext) can be
 *               read-only (CR0.WP makes that binding on the kernel too)
 */
#include "layout.h"

#define PHYS(x)	((x) - KERNEL_VMA)

#define PTE_P	0x001
#define PTE_W	0x002
#define PTE_PS	0x080	/* 4 MiB page in a page directory (CR4.PSE) */

#define CR0_WP	0x00010000
#define CR0_PG	0x80000000
#define CR4_PSE	0x00000010

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

	/* Identity map, 256 x 4 MiB. */
	mov	$PHYS(page_dir), %edi
	mov	$PTE_P + PTE_W + PTE_PS, %eax
1:	mov	%eax, (%edi)
	add	$0x400000, %eax
	add	$4, %edi
	cmp	$PHYS(page_dir) + 256 * 4, %edi
	jb	1b
	movl	$PHYS(pt_kernel) + PTE_P + PTE_W, PHYS(page_dir) + (KERNEL_VMA >> 22) * 4

	/* Kernel map, 1024 x 4 KiB: text read-only, everything else writable. */
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
	add	$4, %edi
	cmp	$PHYS(pt_kernel) + 4096, %edi
	jb	2b

	lgdt	PHYS(gdt_desc_phys)
	ljmp	$KERNEL_CS, $PHYS(5f)	/* our own code segment */
5:	mov	%cr4, %eax
	or	$CR4_PSE, %eax
	mov	%eax, %cr4
	mov	$PHYS(page_dir), %eax
	mov	%eax, %cr3
	mov	%cr0, %eax
	or	$CR0_WP + CR0_PG, %eax
	mov	%eax, %cr0
	/* Running at the identity address; move to the linked one. */
	mov	$high, %eax
	jmp	*%eax
high:
	lgdt	gdt_desc
	mov	$KERNEL_DS, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs
	mov	$stack_top, %esp
	mov	%esi, %eax		/* kmain(start_info), -mregparm=3 */
	call	kmain
6:	cli
	hlt
	jmp	6b

/*
 * In .data: the CPU writes the accessed bit of a descriptor it loads, so
 * the GDT must not sit on a read-only page (the bits are preset anyway).
 */
	.data
	.balign 16
gdt:
	.quad 0
	.quad 0x00cf9b000000ffff	/* 0x08: 32-bit code, DPL 0 */
	.quad 0x00cf93000000ffff	/* 0x10: data, DPL 0 */
gdt_end:
gdt_desc_phys:
	.word gdt_end - gdt - 1
	.long PHYS(gdt)
	.balign 4
gdt_desc:
	.word gdt_end - gdt - 1
	.long gdt

	.bss
	.balign 4096
	.globl page_dir, stack_top
page_dir:	.skip 4096
pt_kernel:	.skip 4096
	.balign 16
stack:		.skip 16384
stack_top:

	.section .note.GNU-stack, "", @progbits
