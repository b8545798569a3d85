/* SPDX-License-Identifier: MIT */
/*
 * bootparam.h - the boot protocol's side of kmain() on x86: PVH
 * (arm64/bootparam.h is AArch64's).  main.c reaches it through the include
 * path, as <bootparam.h>.
 *
 * QEMU hands the kernel the physical address of struct hvm_start_info,
 * which boot.S passes to kmain() as boot_info.  The command line it
 * points at is in the first GiB, which boot.S identity-maps.
 */
#ifndef BOOTPARAM_H
#define BOOTPARAM_H

#include "console.h"
#include "kernel.h"
#include "pvh.h"

#define BOOT_PROTOCOL "PVH"

static inline const char *boot_cmdline(uint32_t boot_info)
{
	const struct hvm_start_info *si = (const struct hvm_start_info *)(uintptr_t)boot_info;

	if (si->magic != HVM_START_MAGIC) {
		kprintf("boot: bad start_info magic %#x\n", si->magic);
		qemu_exit(0);
	}
	/* Physical address; the identity map makes it usable as is. */
	return si->cmdline_paddr ? (const char *)(uintptr_t)si->cmdline_paddr : "";
}

#endif
