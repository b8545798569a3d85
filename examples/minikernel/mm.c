// SPDX-License-Identifier: MIT
/*
 * mm.c - a page-table change that only a TLB flush makes visible.
 *
 * Points one large identity-map slot, far above the RAM QEMU is given,
 * at one physical page and then another, flushing through pv_ops after
 * each change.  Reading the old frame after the second flush means
 * flush_tlb did not flush.
 */
#include "kernel.h"
#include "paravirt.h"

#define PTE_P  0x001ul
#define PTE_W  0x002ul
#define PTE_PS 0x080ul
#define MB     0x100000ul

#if defined(__i386__)
/* boot32.S: one page directory, slot i maps i * 4 MiB (PSE), 0..1 GiB. */
extern uint32_t page_dir[1024];
typedef uint32_t pde_t;
#define pd_low page_dir
#define SLOT_SIZE (4 * MB)
#define SCRATCH_SLOT 255
#define FRAME_A (8 * MB)
#define FRAME_B (12 * MB)
#else
/* The identity map's page directory (boot.S): slot i maps i * 2 MiB. */
extern uint64_t pd_low[512];
typedef uint64_t pde_t;
#define SLOT_SIZE (2 * MB)
#define SCRATCH_SLOT 511
#define FRAME_A (8 * MB)
#define FRAME_B (10 * MB)
#endif

/*
 * Changes the scratch slot and drops stale translations.  noinline keeps
 * the flush a tail call, `jmp *pv_ops+off(%rip)`, so the applier's jump
 * form is exercised at every boot.
 */
static __attribute__((noinline)) void set_scratch(pde_t pde)
{
	pd_low[SCRATCH_SLOT] = pde;
	pv_ops.flush_tlb();
}

static uint64_t map_and_read(unsigned long frame)
{
	set_scratch(frame | PTE_P | PTE_W | PTE_PS);
	return *(volatile uint64_t *)(SCRATCH_SLOT * SLOT_SIZE);
}

const char *mm_tlb_selftest(void)
{
	volatile uint64_t *a = (uint64_t *)FRAME_A, *b = (uint64_t *)FRAME_B;
	pde_t saved = pd_low[SCRATCH_SLOT];
	const char *err = NULL;

	*a = 0xaaaaaaaaaaaaaaaaull;
	*b = 0xbbbbbbbbbbbbbbbbull;
	if (map_and_read(FRAME_A) != *a)
		err = "flush_tlb: first mapping not visible";
	else if (map_and_read(FRAME_B) != *b)
		err = "flush_tlb: stale translation after flush";
	set_scratch(saved);
	return err;
}
