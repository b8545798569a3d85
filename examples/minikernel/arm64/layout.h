/* SPDX-License-Identifier: MIT */
/*
 * layout.h - QEMU's -M virt as the AArch64 kernel uses it (kernel.lds
 * repeats KERNEL_PHYS).
 *
 * RAM starts at 1 GiB.  For an image that is not a Linux one (an ELF
 * like this kernel), QEMU leaves the device tree at the start of RAM and
 * passes nothing in registers; the kernel is linked at its physical
 * address 2 MiB above, clear of the tree's 1 MiB.  Everything fits in
 * 32 bits, as kmain()'s boot_info does.
 */
#ifndef LAYOUT_H
#define LAYOUT_H

#define RAM_BASE    0x40000000
#define DTB_PHYS    RAM_BASE
#define KERNEL_PHYS 0x40200000
#define UART_BASE   0x09000000      /* PL011 */

#endif
