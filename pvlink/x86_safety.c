// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * x86_safety.c - the proofs a multi-instruction site needs before it may
 * be rewritten: nothing branches into its middle, and the register it
 * loads is dead once the call returns.
 *
 * Each answer errs towards "unsafe": an unknown branch target, a computed
 * jump, a path that leaves what was decoded, all count as a reason not to
 * patch.  A site left indirect costs a few cycles; a wrong rewrite
 * corrupts the program.
 */
#include <stdlib.h>
#include <string.h>

#include "x86_safety.h"
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

bool gpr_callee_saved(const struct arch *arch, int number)
{
	return number >= 0 && number < 16 && (arch->callee_saved >> number & 1);
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
 * goes: S + A - P from the operand, or out of this section (UINT64_MAX).
 */
static bool direct_target(const struct text_ctx *ctx, const cs_insn *insn, uint64_t *target)
{
	const cs_x86 *x = &insn->detail->x86;
	const struct reloc *r = NULL;
	const struct symbol *sym;

	if (!has_group(insn, CS_GRP_JUMP) && !has_group(insn, CS_GRP_CALL))
		return false;
	if (x->op_count != 1 || x->operands[0].type != X86_OP_IMM)
		return false;
	if (x->encoding.imm_offset)
		r = find_reloc_at(ctx, insn->address + x->encoding.imm_offset);
	if (!r) {
		*target = (uint64_t)x->operands[0].imm;
		return true;
	}
	sym = &ctx->e->syms[r->sym];
	if (sym->shndx != ctx->sec->idx || !reloc_pc_relative(ctx->e->arch, r->type))
		*target = UINT64_MAX;
	else
		*target = sym_offset(ctx->e, sym) + (uint64_t)r->addend +
			  (insn->address + insn->size - r->offset);
	return true;
}

bool lands_inside(const struct text_ctx *ctx, const struct func_code *fc,
		  uint64_t start, uint64_t end)
{
	uint64_t t;
	size_t lo = 0, hi = ctx->nland;

	for (size_t i = 0; i < fc->n; i++)
		if (direct_target(ctx, &fc->insn[i], &t) && t > start && t < end)
			return true;
	/* Relocations elsewhere (jump tables, exception tables) that point here. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ctx->land[mid] <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ctx->nland && ctx->land[lo] < end;
}

/* A load of a register from memory, as the instruction before a tail call does. */
static bool loads_reg(const cs_insn *insn, x86_reg reg)
{
	const cs_x86 *x = &insn->detail->x86;

	return insn->id == X86_INS_MOV && x->op_count == 2 &&
	       x->operands[0].type == X86_OP_REG && x->operands[0].reg == reg &&
	       x->operands[1].type == X86_OP_MEM;
}

bool has_computed_jump(const struct func_code *fc)
{
	for (size_t i = 0; i < fc->n; i++) {
		const cs_insn *insn = &fc->insn[i];
		const cs_x86_op *op = &insn->detail->x86.operands[0];

		if (insn->id != X86_INS_JMP || insn->detail->x86.op_count != 1)
			continue;
		/* jmp *table(,%rax,8): a jump table. */
		if (op->type == X86_OP_MEM && op->mem.index != X86_REG_INVALID)
			return true;
		/* jmp *%rax after arithmetic (PIC jump tables); a pointer loaded
		   straight from memory and jumped through is a tail call. */
		if (op->type == X86_OP_REG && !(i > 0 && loads_reg(&fc->insn[i - 1], op->reg)))
			return true;
	}
	return false;
}

static int thunk_name_register(const struct arch *arch, const char *name)
{
	static const char *const prefixes[] = { "__x86_indirect_thunk_", "__llvm_retpoline_" };

	for (size_t p = 0; p < 2; p++) {
		size_t len = strlen(prefixes[p]);

		if (strncmp(name, prefixes[p], len))
			continue;
		for (int i = 0; i < arch->ngpr; i++)
			if (!strcmp(name + len, arch->gpr_names[i]))
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
	r = find_reloc_at(ctx, insn->address + 1);
	if (r)
		return thunk_name_register(ctx->e->arch, ctx->e->syms[r->sym].name);
	/* Resolved by the assembler: a thunk defined in this very section. */
	if (!direct_target(ctx, insn, &target))
		return -1;
	sym = find_symbol_containing(ctx->e, ctx->sec->idx, target, STT_FUNC);
	return sym && sym_offset(ctx->e, sym) == target ?
	       thunk_name_register(ctx->e->arch, sym->name) : -1;
}

/*
 * Reads and full writes of GPR number `reg` by one instruction.  A call
 * to a retpoline thunk reads the register it branches through, which
 * Capstone cannot know.
 */
static void reg_effect(csh handle, const struct text_ctx *ctx, const cs_insn *insn, int reg,
		       bool *reads, bool *kills)
{
	cs_regs rd, wr;
	uint8_t nrd = 0, nwr = 0;
	int width;

	*reads = *kills = false;
	if (cs_regs_access(handle, insn, rd, &nrd, wr, &nwr)) {
		*reads = true;                          /* unknown: assume the worst */
		return;
	}
	for (uint8_t i = 0; i < nrd; i++)
		if (gpr_number(rd[i], &width) == reg)
			*reads = true;
	if (thunk_register(ctx, insn) == reg)
		*reads = true;
	for (uint8_t i = 0; i < nwr; i++)
		/* Writing the 64- or 32-bit register replaces all of it; a
		   16- or 8-bit write keeps the rest, which may still be read. */
		if (gpr_number(wr[i], &width) == reg && width <= 1)
			*kills = true;
}

bool writes_reg(csh handle, const cs_insn *insn, int reg)
{
	cs_regs rd, wr;
	uint8_t nrd = 0, nwr = 0;
	int width;

	if (cs_regs_access(handle, insn, rd, &nrd, wr, &nwr))
		return true;                            /* unknown: assume it does */
	for (uint8_t i = 0; i < nwr; i++)
		if (gpr_number(wr[i], &width) == reg)
			return true;
	return false;
}

/* Where control goes after insn i: up to two successor indices. */
static int successors(const struct text_ctx *ctx, const struct func_code *fc, size_t i,
		      size_t next[2], bool *unknown)
{
	const cs_insn *insn = &fc->insn[i];
	uint64_t t;
	int n = 0;

	*unknown = false;
	if (has_group(insn, CS_GRP_RET) || insn->id == X86_INS_UD2 ||
	    insn->id == X86_INS_INT3 || insn->id == X86_INS_HLT)
		return 0;
	if (has_group(insn, CS_GRP_JUMP)) {
		if (!direct_target(ctx, insn, &t) || t < fc->start || t >= fc->end ||
		    (next[n] = find_insn(fc, t)) == (size_t)-1 || fc->insn[next[n]].address != t) {
			*unknown = true;               /* leaves what was decoded */
			return 0;
		}
		n++;
		if (insn->id == X86_INS_JMP)
			return n;
	}
	next[n++] = i + 1;
	return n;
}

bool reg_live_after(csh handle, const struct text_ctx *ctx, const struct func_code *fc,
		    size_t from, int reg)
{
	size_t *work = pvmalloc((2 * fc->n + 2) * sizeof(*work)), top = 0;
	bool *seen = pvcalloc(fc->n + 1, 1), live = false;

	if (!work || !seen) {
		live = true;
		goto out;
	}
	work[top++] = from;
	while (top && !live) {
		size_t i = work[--top], next[2];
		bool reads, kills, unknown;
		int n;

		if (i >= fc->n) {
			live = true;                    /* ran off the decoded code */
			break;
		}
		if (seen[i])
			continue;
		seen[i] = true;
		reg_effect(handle, ctx, &fc->insn[i], reg, &reads, &kills);
		if (reads) {
			live = true;
			break;
		}
		if (kills)
			continue;
		n = successors(ctx, fc, i, next, &unknown);
		live = unknown;
		for (int k = 0; k < n; k++)
			work[top++] = next[k];
	}
out:
	free(work);
	free(seen);
	return live;
}
