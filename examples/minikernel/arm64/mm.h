/* SPDX-License-Identifier: MIT */
/*
 * mm.h - what boot.S and poke.c need from mm.c.
 */
#ifndef MM_H
#define MM_H

/* Builds the translation tables and turns the MMU and caches on. */
void mmu_init(void);

/*
 * Maps the kernel's 2 MiB writable at a second address and returns the
 * alias of addr; mm_unmap_text() removes the mapping.
 */
char *mm_map_text(const char *addr);
void mm_unmap_text(void);
int mm_text_alias_writable(void);

#endif
