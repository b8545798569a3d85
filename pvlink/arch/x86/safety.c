// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * safety.c - the facts a load-and-branch site needs before its branch
 * may be rewritten: nothing enters between the load and the branch, and
 * nothing between them writes the register.
 *
 * Each answer errs towards "unsafe": code that could not be decoded, a
 * jump table whose targets are not exact, an instruction whose effect is
 * unknown, all count as a reason not to patch.  A site left indirect
 * costs a few cycles; a wrong rewrite corrupts the program.
 */
#include <stdlib.h>
#include <string.h>

#include "safety.h"
#include "warn.h"

static const x86_reg gpr_by_width[4][16] = {
	{ X86_REG_RAX, X86_REG_RCX, X86_REG_RDX, X86_REG_RBX, X86_REG_RSP, X86_REG_RBP,
	  X86_REG_RSI, X86_REG_RDI, X86_REG_R8, X86_REG_R9, X86_REG_R10, X86_REG_R11,
	  X86_REG_R12, X86_REG_R13, X86_REG_R14, X86_REG_R15 },
	{ X86_REG_EAX, X86_REG_ECX, X86_REG_EDX, X86_REG_EBX, X86_REG_ESP, X86_REG_EBP,
	  X86_REG_ESI, X86_REG_EDI, X86_REG_R8D, X86_REG_R9D, X86_REG_R10D, X86_REG_R11D,
	  X86_REG_R12D, X86_REG_R13D, X86_REG_R14D, X86_REG_R15D },
	{ X86_REG_AX, X86_REG_CX, X86_REG_DX, X86_REG_BX, X86_REG_SP, X86_REG_BP,
	  X86_REG_SI, X86_REG_DI, X86_REG_R8W, X86_REG_R9W, X86_REG_R10W, X86_REG_R11W,
	  X86_REG_R12W, X86_REG_R13W, X86_REG_R14W, X86_REG_R15W },
	{ X86_REG_AL, X86_REG_CL, X86_REG_DL, X86_REG_BL, X86_REG_SPL, X86_REG_BPL,
	  X86_REG_SIL, X86_REG_DIL, X86_REG_R8B, X86_REG_R9B, X86_REG_R10B, X86_REG_R11B,
	  X86_REG_R12B, X86_REG_R13B, X86_REG_R14B, X86_REG_R15B },
};

int gpr_number(x86_reg reg, int *width)
{
	static const x86_reg high[4] = { X86_REG_AH, X86_REG_CH, X86_REG_DH, X86_REG_BH };

	for (int w = 0; w < 4; w++)
		for (int i = 0; i < 16; i++)
			if (gpr_by_width[w][i] == reg) {
				*width = w;
				return i;
			}
	for (int i = 0; i < 4; i++)
		if (high[i] == reg) {
			*width = 3;
			return i;
		}
	return -1;
}

x86_reg gpr_reg64(int number)
{
	return gpr_by_width[0][number];
}

size_t find_insn(const struct func_code *fc, uint64_t addr)
{
	size_t lo = 0, hi = fc->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (fc->insn[mid].address + fc->insn[mid].size <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < fc->n && fc->insn[lo].address <= addr ? lo : (size_t)-1;
}

static bool has_group(const cs_insn *insn, uint8_t group)
{
	for (uint8_t i = 0; i < insn->detail->groups_count; i++)
		if (insn->detail->groups[i] == group)
			return true;
	return false;
}

/*
 * The target of a direct branch, if the instruction is one.  When a
 * relocation fills its displacement (a global function; in an i386 object
 * the bytes hold the addend -4, not zero) the relocation says where it
 * goes (reloc_target()), or out of this section (UINT64_MAX).
 */
bool direct_target(const struct text_ctx *ctx, const cs_insn *insn, uint64_t *target)
{
	const cs_x86 *x = &insn->detail->x86;
	const struct reloc *r = NULL;
	const struct symbol *sym;

	if (!has_group(insn, CS_GRP_JUMP) && !has_group(insn, CS_GRP_CALL))
		return false;
	if (x->op_count != 1 || x->operands[0].type != X86_OP_IMM)
		return false;
	if (x->encoding.imm_offset)
		r = find_reloc_by_offset(ctx->sec, insn->address + x->encoding.imm_offset);
	if (!r) {
		*target = (uint64_t)x->operands[0].imm;
		return true;
	}
	sym = &ctx->e->syms[r->sym];
	if (sym->shndx != ctx->sec->idx || !reloc_pc_relative(ctx->e->arch, r->type))
		*target = UINT64_MAX;
	else
		*target = sym_offset(ctx->e, sym) +
			  (uint64_t)ctx->e->arch->reloc_target(r, insn->address + insn->size);
	return true;
}

size_t ways_in_at(struct x86 *x, const struct text_ctx *ctx, uint64_t addr)
{
	const struct code_entries *ce = code_entries_of(x, ctx);
	size_t n = 0;

	if (!ce || ce->unknown)
		return SIZE_MAX;
	for (size_t i = 0; i < ce->n; i++)
		n += ce->v[i] == addr;
	for (size_t i = 0; i < ctx->nland; i++)
		n += ctx->land[i] == addr;
	return n;
}

bool control_flow(const cs_insn *insn)
{
	if (insn_opaque(insn))
		return true;
	for (uint8_t g = 0; g < insn->detail->groups_count; g++)
		switch (insn->detail->groups[g]) {
		case CS_GRP_JUMP: case CS_GRP_CALL: case CS_GRP_RET: case CS_GRP_INT:
		case CS_GRP_IRET:
			return true;
		}
	return false;
}

const char *way_in(struct x86 *x, const struct text_ctx *ctx, uint64_t start, uint64_t end)
{
	return way_in_between(ctx, code_entries_of(x, ctx), start, end);
}

static int thunk_name_register(const struct arch *arch, const char *name)
{
	static const char *const prefixes[] = { "__x86_indirect_thunk_", "__llvm_retpoline_" };

	for (size_t p = 0; p < 2; p++) {
		size_t len = strlen(prefixes[p]);

		if (strncmp(name, prefixes[p], len))
			continue;
		for (int i = 0; i < x86_machine(arch)->ngpr; i++)
			if (!strcmp(name + len, x86_machine(arch)->gpr_names[i]))
				return i;
	}
	return -1;
}

int thunk_register(const struct text_ctx *ctx, const cs_insn *insn)
{
	const struct reloc *r;
	const struct symbol *sym;
	uint64_t target;

	if (insn->size != 5 || (insn->bytes[0] != 0xe8 && insn->bytes[0] != 0xe9))
		return -1;
	r = find_reloc_by_offset(ctx->sec, insn->address + 1);
	if (r)
		return thunk_name_register(ctx->e->arch, ctx->e->syms[r->sym].name);
	/* Resolved by the assembler: a thunk defined in this very section. */
	if (!direct_target(ctx, insn, &target))
		return -1;
	sym = find_symbol_containing(ctx->e, ctx->sec->idx, target, STT_FUNC);
	return sym && sym_offset(ctx->e, sym) == target ?
	       thunk_name_register(ctx->e->arch, sym->name) : -1;
}

bool writes_reg(csh handle, const cs_insn *insn, int reg)
{
	cs_regs rd, wr;
	uint8_t nrd = 0, nwr = 0;
	int width;

	if (insn_opaque(insn) || cs_regs_access(handle, insn, rd, &nrd, wr, &nwr))
		return true;                            /* unknown: assume it does */
	for (uint8_t i = 0; i < nwr; i++)
		if (gpr_number(wr[i], &width) == reg)
			return true;
	return false;
}
