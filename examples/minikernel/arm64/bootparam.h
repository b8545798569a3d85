/* SPDX-License-Identifier: MIT */
/*
 * bootparam.h - the boot protocol's side of kmain() on AArch64: a device
 * tree (../bootparam.h is x86's PVH).
 *
 * QEMU -M virt passes the command line (-append) in the device tree's
 * /chosen/bootargs.  For an image that is not a Linux one, such as this
 * ELF, it passes no register: it leaves the tree at the start of RAM,
 * where boot.S points boot_info (layout.h's DTB_PHYS).
 */
#ifndef BOOTPARAM_H
#define BOOTPARAM_H

#include <stdint.h>

#define BOOT_PROTOCOL "DTB"

/*
 * fdt.c: /chosen/bootargs of the flattened device tree at boot_info, ""
 * when absent.  A missing or malformed tree fails the boot.
 */
const char *boot_cmdline(uint32_t boot_info);

#endif
