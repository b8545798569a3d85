/* SPDX-License-Identifier: MIT */
/*
 * layout.h - where the kernel lives (kernel.lds repeats these numbers).
 *
 * -mcmodel=kernel assumes every symbol is in the top 2 GiB, so the kernel
 * is linked at KERNEL_VMA + physical address and loaded at LOAD_PHYS.
 */
#ifndef LAYOUT_H
#define LAYOUT_H

#define KERNEL_VMA 0xffffffff80000000
#define LOAD_PHYS  0x100000

#endif
