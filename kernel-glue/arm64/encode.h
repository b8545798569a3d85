/* SPDX-License-Identifier: MIT */
/*
 * arm64/encode.h - the AArch64 encodings of the applier: the branch of an
 * indirect call or tail call, and what replaces it.
 *
 * Part of kernel-glue/apply.c, which includes it (one compilation unit:
 * a kernel compiles apply.c alone) after defining put32() and struct
 * region.  Its entry points are a64_original(), a64_build_patch() and
 * a64_build_direct().
 *
 * An entry covers one instruction, `blr xN` or `br xN`; the `ldr xN`
 * that loads the slot before it is neither recorded nor rewritten, so xN
 * holds the slot on every path as in the original program, whatever lies
 * between.  Every instruction is a little-endian 32-bit word at a
 * 4-byte-aligned address (Arm ARM, C6.2: BLR, BR, BL, B, NOP, RET).
 */

#define A64_BLR      0xd63f0000u  /* blr xN: N in bits 9:5 */
#define A64_BR       0xd61f0000u  /* br xN */
#define A64_BL       0x94000000u  /* bl: imm26, in words, from the bl */
#define A64_B        0x14000000u  /* b */
#define A64_IMM26    0x03ffffffu
#define A64_NOP      0xd503201fu
#define A64_RET      0xd65f03c0u  /* ret (x30) */
#define A64_INSN     4u
#define A64_REACH    ((int64_t)1 << 27)   /* imm26 * 4: [-128 MiB, 128 MiB - 4] */

/*
 * pvops_original() for an AArch64 entry: exactly PVOPS_A64 | PVOPS_REG,
 * optionally | PVOPS_JUMP; one instruction (len 4, branch 0) through x0 to
 * x30 (31 would be xzr); no thunk (the raw field is 0); at a word-aligned
 * address, where an instruction can be.
 */
static uint32_t a64_original(const struct pvops_site *e, uint64_t at, uint8_t *out)
{
	if ((e->form & ~PVOPS_JUMP) != (PVOPS_A64 | PVOPS_REG) || e->len != A64_INSN ||
	    e->branch || e->reg > 30 || e->thunk || at % A64_INSN)
		return 0;
	put32(out, (e->form & PVOPS_JUMP ? A64_BR : A64_BLR) | (uint32_t)e->reg << 5);
	return A64_INSN;
}

/*
 * A registered patch: a no-op target makes a call site a nop and a tail
 * call a ret (the caller's frame is already gone, x30 holds its return
 * address); exactly one instruction of inline code replaces a call.  A
 * tail call would need the code and a ret, two words where there is one,
 * and longer code does not fit: both take the direct branch instead.
 */
static int a64_build_patch(struct region r, const struct pvops_patch *p, uint8_t *out)
{
	if (p->len == 0) {
		put32(out, r.jump ? A64_RET : A64_NOP);
		return 1;
	}
	if (r.jump || p->len != A64_INSN)
		return 0;
	for (uint32_t i = 0; i < A64_INSN; i++)
		out[i] = p->code[i];
	return 1;
}

/*
 * bl or b to target.  imm26 counts words from the branch itself: the
 * target must be word-aligned and within [-128 MiB, 128 MiB - 4]; else 0,
 * and the site stays indirect.  bl sets x30 to the next instruction, as
 * blr did.
 */
static int a64_build_direct(struct region r, uint64_t target, uint8_t *out)
{
	uint64_t d = target - r.at;

	if (d % A64_INSN || (int64_t)d < -A64_REACH || (int64_t)d > A64_REACH - A64_INSN)
		return 0;
	put32(out, (r.jump ? A64_B : A64_BL) | ((uint32_t)(d >> 2) & A64_IMM26));
	return 1;
}
