// SPDX-License-Identifier: MIT
/*
 * patch.c - rewrite the kernel's own call sites at boot.
 *
 * The poke toggles CR0.WP rather than mapping the text writable.  The
 * text stays read-only in the page tables (boot.S), so a stray write to
 * it still faults; WP is clear only for the few instructions of one
 * poke, on the only CPU, with interrupts off.  The poke uses the raw
 * instructions, not pv_ops: it runs while the ops' call sites are being
 * rewritten and must not depend on any of them.
 */
#include "console.h"
#include "cpu.h"
#include "kernel.h"
#include "paravirt.h"

extern struct pvops_site __start_pvlink_sites[], __stop_pvlink_sites[];
/* Every backend's PVOPS_INLINE()/PVOPS_NOP() records (kernel-glue/pvops.lds). */
extern const struct pvops_patch_rec __start_pvlink_patches[], __stop_pvlink_patches[];
extern char _stext[], _etext[];

/* Refuses anything outside the kernel text: the applier counts it as failed. */
static int poke_text(void *addr, const void *src, uint32_t len, void *ctx)
{
	char *p = addr;
	unsigned long cr0;

	(void)ctx;
	if (p < _stext || p + len > _etext)
		return -1;
	cr0 = raw_read_cr0();
	raw_write_cr0(cr0 & ~X86_CR0_WP);
	memcpy(p, src, len);
	raw_write_cr0(cr0);
	return 0;
}

static void print_counts(const struct pvops_counts *c)
{
	uint32_t total = c->direct + c->inlined + c->nop + c->indirect +
			 c->mismatch + c->bad_entry + c->failed;

	kprintf("pvlink: %u sites: %u inlined, %u direct, %u nop, %u indirect, "
		"%u mismatch, %u bad_entry, %u failed, %u writes\n",
		total, c->inlined, c->direct, c->nop, c->indirect,
		c->mismatch, c->bad_entry, c->failed, c->writes);
}

static struct pvops_counts apply(const struct pv_backend *b)
{
	struct pvops_env env = {
		.poke = poke_text,
		.recs = __start_pvlink_patches,
		.recs_end = __stop_pvlink_patches,
	};
	struct pvops_counts c;

	(void)b;        /* the records hold every backend's patches */
	c = pvops_apply(__start_pvlink_sites, __stop_pvlink_sites, &env);
	/* The text changed under the instruction stream: refetch. */
	sync_core();
	return c;
}

static struct pvops_counts applied;

/*
 * FNV-1a over [_stext, _etext): a kernel pre-patched by `pvlink patch`
 * must print what the same kernel prints after patching itself at boot.
 */
static uint32_t text_checksum(void)
{
	uint32_t h = 2166136261u;

	for (const unsigned char *p = (const unsigned char *)_stext;
	     p < (const unsigned char *)_etext; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

/*
 * The text is mapped read-only (boot.S) and CR0.WP makes that binding on
 * the kernel too, before the applier's first poke: a pre-patched kernel
 * whose backend matches never lifts it.  The pass's cycles are what
 * pre-patching saves at boot.
 */
void paravirt_patch(const struct pv_backend *b)
{
	uint64_t t0;
	uint32_t cycles;

	kprintf("text: read-only before patching, CR0.WP %u\n",
		(raw_read_cr0() & X86_CR0_WP) ? 1u : 0u);
	t0 = rdtsc();
	applied = apply(b);
	cycles = (uint32_t)(rdtsc() - t0);
	print_counts(&applied);
	kprintf("apply: %u cycles\n", cycles);
	kprintf("text: fnv1a %#x after patching\n", text_checksum());
}

/*
 * A second pass over unchanged slots must recognise every site it wrote
 * (by the checksum in its entry) and leave the text alone.
 */
const char *paravirt_check_reapply(const struct pv_backend *b)
{
	struct pvops_counts again = apply(b);

	if (again.writes)
		return "second pvops_apply wrote to the text";
	again.writes = applied.writes;
	if (memcmp(&again, &applied, sizeof(again)))
		return "second pvops_apply counted the sites differently";
	return NULL;
}
