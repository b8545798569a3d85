/* SPDX-License-Identifier: MIT */
/*
 * layout.h - where the kernel lives (kernel.lds repeats these numbers).
 *
 * -mcmodel=kernel assumes every symbol is in the top 2 GiB, so the kernel
 * is linked at KERNEL_VMA + physical address and loaded at LOAD_PHYS.
 * The i386 build (kernel32.lds) takes the top gigabyte, as Linux does.
 */
#ifndef LAYOUT_H
#define LAYOUT_H

#if defined(__i386__)
#define KERNEL_VMA 0xc0000000
#else
#define KERNEL_VMA 0xffffffff80000000
#endif
#define LOAD_PHYS  0x100000

#endif
