// SPDX-License-Identifier: MIT
/*
 * mm.c - the AArch64 kernel's translation tables, and the TLB self-test.
 *
 * 4 KiB granule, 39-bit addresses (T0SZ 25): walks start at level 1,
 * whose entries map 1 GiB, level 2 entries 2 MiB, level 3 entries 4 KiB.
 *
 *   l1[0]  0..1 GiB       device memory (the PL011 and the rest of -M virt's
 *                          devices), never executable
 *   l1[1]  1..2 GiB, RAM  -> l2, identity, 2 MiB blocks, never executable,
 *                          except:
 *     l2[1]      the kernel's 2 MiB (KERNEL_PHYS) -> l3 in 4 KiB pages:
 *                [_stext, _etext) read-only and executable, the rest
 *                writable and never executable
 *     l2[510]    ALIAS: the kernel's 2 MiB again, writable, only while
 *                poke.c writes one site (mm_map_text/mm_unmap_text)
 *     l2[511]    SCRATCH: the TLB self-test's slot, far above the RAM
 *                QEMU is given
 *
 * The tables are built with the MMU off, where every data access is to
 * device memory: -mstrict-align keeps gcc and clang from emitting an
 * access that is not naturally aligned, which would fault there.  QEMU
 * keeps no caches, so the tables need no cleaning before the walker reads
 * them cacheable; hardware would want `dc ivac` over them first.
 */
#include "cpu.h"
#include "kernel.h"
#include "layout.h"
#include "mm.h"
#include "paravirt.h"

#define PAGE_SIZE   0x1000ul
#define BLOCK_SIZE  0x200000ul

#define PTE_BLOCK   1ul                 /* level 1-2 block */
#define PTE_TABLE   3ul                 /* level 1-2 next table */
#define PTE_PAGE    3ul                 /* level 3 page */
#define PTE_DEVICE  (0ul << 2)          /* MAIR index 0 */
#define PTE_NORMAL  (1ul << 2)          /* MAIR index 1 */
#define PTE_RO      (2ul << 6)          /* AP[2:1] = 10: EL1 read-only */
#define PTE_SH      (3ul << 8)          /* inner shareable */
#define PTE_AF      (1ul << 10)         /* accessed: no access flag fault */
#define PTE_XN      (3ul << 53)         /* PXN and UXN */

#define MAIR        0xff00ul            /* 0: Device-nGnRnE, 1: Normal write-back */
#define TCR         (25ul | 1ul << 8 | 1ul << 10 | 3ul << 12 | 1ul << 23 | 2ul << 32)
					/* T0SZ 25, inner/outer write-back, inner
					   shareable, 4 KiB, no TTBR1 walks, 40-bit PA */

#define KERNEL_SLOT  ((KERNEL_PHYS - RAM_BASE) / BLOCK_SIZE)
#define ALIAS_SLOT   510
#define SCRATCH_SLOT 511
#define SLOT_VA(i)   (RAM_BASE + (i) * BLOCK_SIZE)
#define FRAME_A      (RAM_BASE + 8 * 0x100000ul)
#define FRAME_B      (RAM_BASE + 10 * 0x100000ul)

#define NORMAL_BLOCK (PTE_BLOCK | PTE_NORMAL | PTE_SH | PTE_AF | PTE_XN)

static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l2[512] __attribute__((aligned(4096)));
static uint64_t l3[512] __attribute__((aligned(4096)));

extern char _stext[], _etext[];

static void build_tables(void)
{
	l1[0] = PTE_BLOCK | PTE_DEVICE | PTE_AF | PTE_XN;
	l1[1] = (uintptr_t)l2 | PTE_TABLE;
	for (unsigned long i = 0; i < 512; i++)
		l2[i] = SLOT_VA(i) | NORMAL_BLOCK;
	l2[KERNEL_SLOT] = (uintptr_t)l3 | PTE_TABLE;
	l2[ALIAS_SLOT] = 0;
	l2[SCRATCH_SLOT] = 0;
	for (unsigned long i = 0; i < 512; i++) {
		uintptr_t pa = KERNEL_PHYS + i * PAGE_SIZE;
		int text = pa >= (uintptr_t)_stext && pa < (uintptr_t)_etext;

		l3[i] = pa | PTE_PAGE | PTE_NORMAL | PTE_SH | PTE_AF | (text ? PTE_RO : PTE_XN);
	}
}

/* Called by boot.S, MMU off, before any other C. */
void mmu_init(void)
{
	build_tables();
	write_sysreg(MAIR, mair_el1);
	write_sysreg(TCR, tcr_el1);
	write_sysreg((uintptr_t)l1, ttbr0_el1);
	__asm__ volatile("tlbi vmalle1\n\tdsb nsh\n\tisb" : : : "memory");
	raw_write_sctlr(raw_read_sctlr() | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_SA);
}

/*
 * Maps the kernel's 2 MiB again, writable, at the alias slot and returns
 * the alias of addr (in the kernel's 2 MiB): poke.c writes a site there,
 * then unmaps it.  A valid entry where there was none needs no TLB
 * maintenance, only to be visible to the walker; removing it does.
 */
char *mm_map_text(const char *addr)
{
	l2[ALIAS_SLOT] = KERNEL_PHYS | NORMAL_BLOCK;
	__asm__ volatile("dsb ishst\n\tisb" : : : "memory");
	return (char *)SLOT_VA(ALIAS_SLOT) + ((uintptr_t)addr - KERNEL_PHYS);
}

void mm_unmap_text(void)
{
	l2[ALIAS_SLOT] = 0;
	__asm__ volatile("dsb ishst\n\ttlbi vae1, %0\n\tdsb ish\n\tisb"
			 : : "r"(SLOT_VA(ALIAS_SLOT) >> 12) : "memory");
}

/* Whether a write through the alias would go through: never outside a poke. */
int mm_text_alias_writable(void)
{
	return !raw_write_faults((const void *)SLOT_VA(ALIAS_SLOT));
}

/*
 * Changes the scratch slot and drops stale translations.  noinline keeps
 * the flush a tail call (`br` through the slot), so the applier's jump
 * form is exercised at every boot once the sites are patched.
 */
static __attribute__((noinline)) void set_scratch(uint64_t pte)
{
	l2[SCRATCH_SLOT] = pte;
	pv_ops.flush_tlb();
}

/* Break before make: the old translation goes before the new one comes. */
static uint64_t map_and_read(uintptr_t frame)
{
	set_scratch(0);
	set_scratch(frame | NORMAL_BLOCK);
	return *(volatile uint64_t *)SLOT_VA(SCRATCH_SLOT);
}

const char *mm_tlb_selftest(void)
{
	volatile uint64_t *a = (uint64_t *)FRAME_A, *b = (uint64_t *)FRAME_B;
	const char *err = NULL;

	*a = 0xaaaaaaaaaaaaaaaaull;
	*b = 0xbbbbbbbbbbbbbbbbull;
	if (map_and_read(FRAME_A) != *a)
		err = "flush_tlb: first mapping not visible";
	else if (map_and_read(FRAME_B) != *b)
		err = "flush_tlb: stale translation after flush";
	set_scratch(0);
	return err;
}
