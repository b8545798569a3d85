// SPDX-License-Identifier: MIT
/*
 * patch.c - rewrite the kernel's own call sites at boot.
 *
 * How the read-only text gets written is the architecture's (poke.c):
 * the applier calls poke_text() once per site, and after the pass
 * sync_core() makes the CPU refetch what changed.
 */
#include <cpu.h>

#include "console.h"
#include "kernel.h"
#include "paravirt.h"

extern struct pvops_site __start_pvlink_sites[], __stop_pvlink_sites[];
/* Every backend's PVOPS_INLINE()/PVOPS_NOP() records (kernel-glue/pvops.lds). */
extern const struct pvops_patch_rec __start_pvlink_patches[], __stop_pvlink_patches[];
extern char _stext[], _etext[];

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
 * The text is read-only before the applier's first poke: a pre-patched
 * kernel whose backend matches never makes it writable.  The pass's
 * cycles are what pre-patching saves at boot.
 */
void paravirt_patch(const struct pv_backend *b)
{
	uint64_t t0;
	uint32_t cycles;

	text_print_protection();
	t0 = read_cycles();
	applied = apply(b);
	cycles = (uint32_t)(read_cycles() - t0);
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
