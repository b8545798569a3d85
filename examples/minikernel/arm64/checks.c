// SPDX-License-Identifier: MIT
/*
 * checks.c - the self-test's checks of the AArch64-only ops, and the
 * order every check runs in (selftest.h).
 *
 * Like selftest.c's, each check calls the ops through pv_ops, so through
 * patched sites, and compares with the raw instructions.
 */
#include "cpu.h"
#include "kernel.h"
#include "mm.h"
#include "paravirt.h"
#include "selftest.h"

extern char _etext[];

/*
 * WXN (writable means never executable) is safe to flip: the text is
 * read-only, and nothing writable is executed.
 */
static const char *check_sctlr(const struct pv_backend *b)
{
	unsigned long sctlr = raw_read_sctlr(), flipped;

	(void)b;
	if (pv_ops.read_sctlr() != sctlr)
		return "read_sctlr differs from SCTLR_EL1";
	pv_ops.write_sctlr(sctlr ^ SCTLR_WXN);
	flipped = raw_read_sctlr();
	pv_ops.write_sctlr(sctlr);
	if (flipped != (sctlr ^ SCTLR_WXN))
		return "write_sctlr did not flip WXN";
	if (raw_read_sctlr() != sctlr)
		return "write_sctlr did not restore SCTLR_EL1";
	return NULL;
}

static const char *check_ttbr0(const struct pv_backend *b)
{
	unsigned long ttbr0 = raw_read_ttbr0();

	(void)b;
	if (pv_ops.read_ttbr0() != ttbr0)
		return "read_ttbr0 differs from TTBR0_EL1";
	pv_ops.write_ttbr0(ttbr0);
	if (raw_read_ttbr0() != ttbr0)
		return "write_ttbr0 changed TTBR0_EL1";
	return NULL;
}

/* MIDR_EL1: bits 19:16 read 0xf on every ARMv8 CPU (the CPUID scheme). */
static const char *check_midr(const struct pv_backend *b)
{
	uint64_t v = pv_ops.read_midr();

	(void)b;
	if (v != raw_read_midr())
		return "read_midr differs from MIDR_EL1";
	if ((v >> 16 & 0xf) != 0xf)
		return "read_midr: implausible MIDR_EL1";
	return NULL;
}

/* Six arguments: every argument register, x0 to x5, must reach the op intact. */
static const char *check_write_pte(const struct pv_backend *b)
{
	uint64_t table[4] = { 0 };
	uint64_t block = pv_ops.write_pte(table, 1, 0x40000000, 1, 0, 1);
	uint64_t page = pv_ops.write_pte(table, 2, 0x12345678, 0, 2, 0xf);

	(void)b;
	if (block != 0x0000000040000705ull || page != 0x0060000012345783ull)
		return "write_pte: wrong descriptor";
	if (table[0] || table[1] != block || table[2] != page || table[3])
		return "write_pte: wrong slot";
	return NULL;
}

/*
 * A function in the text whose first instruction the poke check
 * rewrites: `mov w0, #0; ret`.
 */
int poke_probe(void);
__asm__(".pushsection .text.poke_probe, \"ax\", %progbits\n"
	".balign 4\n"
	".type poke_probe, %function\n"
	"poke_probe:\n\t"
	"mov w0, #0\n\t"
	"ret\n"
	".size poke_probe, . - poke_probe\n"
	".popsection");

#define MOV_W0_1 0x52800020u

/*
 * The applier writes every site through poke_text(): it must write the
 * read-only text, leave it read-only, make the CPU run the new bytes, and
 * refuse an address outside the text.  (QEMU keeps no caches, so this
 * cannot catch a missing cache maintenance instruction; hardware would.)
 */
static const char *check_poke(const struct pv_backend *b)
{
	const uint32_t one = MOV_W0_1;
	uint32_t orig = *(volatile uint32_t *)(uintptr_t)poke_probe;
	int got;

	(void)b;
	if (poke_text((void *)(uintptr_t)poke_probe, &one, 4, NULL))
		return "poke_text refused an address in the text";
	got = poke_probe();
	if (poke_text((void *)(uintptr_t)poke_probe, &orig, 4, NULL) || poke_probe() != 0)
		return "poke_text did not put the instruction back";
	if (got != 1)
		return "the poked instruction did not run";
	if (!raw_write_faults((void *)(uintptr_t)poke_probe) || mm_text_alias_writable())
		return "poke_text left the text writable";
	if (poke_text(_etext, &one, 4, NULL) != -1)
		return "poke_text wrote outside the text";
	return NULL;
}

extern const struct pvops_patch_rec __start_pvlink_patches[], __stop_pvlink_patches[];

/*
 * native.c registers each irq op's instruction as its inline patch: the
 * bytes must be the ones its body starts with, or an inlined site would
 * run something other than what the call ran.
 */
static const char *check_inline(const struct pv_backend *b)
{
	unsigned int n = 0;

	(void)b;
	for (const struct pvops_patch_rec *r = __start_pvlink_patches; r < __stop_pvlink_patches; r++) {
		if (!r->len)
			continue;
		if (memcmp(pvops_rec_code(r), pvops_rec_target(r), r->len))
			return "a registered inline patch is not its target's first instruction";
		n++;
	}
	return n == 4 ? NULL : "want 4 inline patches, the irq ops'";
}

const struct selftest_check selftest_checks[] = {
	{ "irqflags", check_irqflags },
	{ "sctlr", check_sctlr },
	{ "ttbr0", check_ttbr0 },
	{ "midr", check_midr },
	{ "io_delay", check_io_delay },
	{ "flush_tlb", check_tlb },
	{ "write_pte", check_write_pte },
	{ "poke", check_poke },
	{ "inline", check_inline },
	{ "reapply", paravirt_check_reapply },
};
SELFTEST_NCHECKS(selftest_checks);
