// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * sweep.c - the ways into an AArch64 section's code that only its
 * instructions show (assumption A1 in README): the targets of branches
 * the assembler resolved (b, bl, b.cond, cbz, tbz to a label in the same
 * section carry no relocation), and addresses computed by `adr` without
 * one.  gcc and clang build a switch's jump table on an `adr` base: the
 * table holds label differences the assembler resolved, so no relocation
 * names a case label.  Control may then enter anywhere around the base,
 * and the whole function holding it counts as entered (code_entries.open).
 *
 * The section is decoded once, every word in order, and
 * only when a site needs it.  A word Capstone does not know in the branch
 * and system group (one that is not a branch to a register) may be a
 * newer PC-relative branch: the set is then open (`unknown`).
 */

#include "warn.h"
#include "a64.h"

/* Bits 28:26 = 101: branches, exception generation, system; 31:25 = 1101011: to a register. */
static bool may_branch_pc_relative(const uint8_t *word)
{
	uint32_t w = (uint32_t)word[0] | (uint32_t)word[1] << 8 | (uint32_t)word[2] << 16 |
		     (uint32_t)word[3] << 24;

	return ((w >> 26) & 7) == 5 && (w >> 25) != 0x6b;
}

/* The ways in that the word at off adds. */
static int note_word(struct a64 *a, const struct text_ctx *ctx, uint64_t off,
		     struct code_entries *ce)
{
	struct elf *e = ctx->e;
	cs_insn insn;
	cs_detail detail;
	struct symbol *func;
	uint64_t t, start, end;

	if (!a64_decode_word(a, ctx->bytes + off, off, &insn, &detail)) {
		if (may_branch_pc_relative(ctx->bytes + off))
			ce->unknown = true;
		return 0;
	}
	if (!a64_pc_target(&insn, &t) || find_reloc_by_offset(ctx->sec, off) ||
	    t >= ctx->sec->sh.sh_size)
		return 0;
	if (insn.id != ARM64_INS_ADR)
		return code_entries_add(ce, t);
	find_func_bounds(e, ctx->sec->idx, t, ctx->sec->sh.sh_size, &func, &start, &end);
	return add_range(&ce->open, ctx->sec->idx, start, end);
}

const struct code_entries *a64_code_entries(struct a64 *a, const struct text_ctx *ctx)
{
	struct code_entries *ce = ctx->code;
	uint64_t size = ctx->sec->sh.sh_size;

	if (ce->done)
		return ce;
	ce->done = true;
	/* words are aligned to the section: a function symbol cannot move them */
	for (uint64_t off = 0; off + 4 <= size; off += 4)
		if (note_word(a, ctx, off, ce))
			return NULL;           /* pvrealloc() said why */
	code_entries_sort(ce);
	return ce;
}
