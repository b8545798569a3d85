/* SPDX-License-Identifier: MIT */
/*
 * pvh.h - what the PVH boot protocol hands over (Xen's
 * include/public/arch-x86/hvm/start_info.h, version 0 fields).
 */
#ifndef PVH_H
#define PVH_H

#include <stdint.h>

#define HVM_START_MAGIC 0x336ec578u

struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;   /* NUL-terminated, physical; 0 if none */
	uint64_t rsdp_paddr;
};

#endif
