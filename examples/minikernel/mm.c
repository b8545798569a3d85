// SPDX-License-Identifier: MIT
/*
 * mm.c - a page-table change that only a TLB flush makes visible.
 *
 * Points one 2 MiB identity-map slot, far above the RAM QEMU is given,
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

/* The identity map's page directory (boot.S): slot i maps i * 2 MiB. */
extern uint64_t pd_low[512];

#define SCRATCH_SLOT 511
#define FRAME_A (8 * MB)
#define FRAME_B (10 * MB)

/*
 * Changes the scratch slot and drops stale translations.  noinline keeps
 * the flush a tail call, `jmp *pv_ops+off(%rip)`, so the applier's jump
 * form is exercised at every boot.
 */
static __attribute__((noinline)) void set_scratch(uint64_t pde)
{
	pd_low[SCRATCH_SLOT] = pde;
	pv_ops.flush_tlb();
}

static uint64_t map_and_read(unsigned long frame)
{
	set_scratch(frame | PTE_P | PTE_W | PTE_PS);
	return *(volatile uint64_t *)(SCRATCH_SLOT * 2 * MB);
}

const char *mm_tlb_selftest(void)
{
	volatile uint64_t *a = (uint64_t *)FRAME_A, *b = (uint64_t *)FRAME_B;
	uint64_t saved = pd_low[SCRATCH_SLOT];
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
