// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * got.c - proving that an i386 register holds the GOT's address.
 *
 * i386 PIC code reaches a hidden or static table relative to the GOT:
 * `call *pv_ops@GOTOFF+8(%ebx)` reads the slot only if %ebx holds the
 * GOT's address at that moment, and nothing in the instruction says so:
 * gcc also forms `tbl@GOTOFF(%reg)` with reg = GOT + an index.  The
 * register is proven to hold the GOT when, in the same function, the
 * code that sets it is in view and nothing can change it on the way:
 *
 *   gcc:    call __x86.get_pc_thunk.bx      (mov (%esp),%ebx; ret)
 *           add  $_GLOBAL_OFFSET_TABLE_,%ebx   R_386_GOTPC: GOT + A - P
 *   clang:  call 1f
 *        1: pop  %ebx
 *           add  $_GLOBAL_OFFSET_TABLE_+(1b-.),%ebx
 *
 * After the call (and pop) the register holds the call's return address
 * R; the add leaves R + GOT + A - P, the GOT exactly when R = P - A,
 * which the relocation's addend and the instructions' addresses show.
 * From there to the site the code must be straight-line (no branch,
 * call, return or undecoded instruction: a callee's convention is not
 * known, so a call may change the register), must not write the
 * register, and nothing may enter it (assumption A1, way_in()).
 */
#include <stdio.h>
#include <string.h>

#include "x86.h"
#include "safety.h"

/* Most instructions between the add and the site. */
#define GOT_MAX_INSNS 32

/* The bytes of __x86.get_pc_thunk.REG: mov (%esp),%REG; ret. */
static bool is_pc_thunk(const struct text_ctx *ctx, const struct reloc *r, int reg)
{
	static const char *const names[8] = { "ax", "cx", "dx", "bx", "sp", "bp", "si", "di" };
	const struct symbol *sym = &ctx->e->syms[r->sym];
	const struct section *sec;
	const uint8_t *b;
	uint64_t off;
	char want[32];

	snprintf(want, sizeof(want), "__x86.get_pc_thunk.%s", names[reg & 7]);
	if (strcmp(sym->name, want) || !sym->shndx || sym->shndx >= ctx->e->nsec)
		return false;
	sec = &ctx->e->secs[sym->shndx];
	b = section_bytes(sec);
	off = sym_offset(ctx->e, sym);
	return b && section_is_text(sec) && off + 4 <= sec->sh.sh_size &&
	       b[off] == 0x8b && b[off + 1] == (uint8_t)(0x04 | (reg << 3)) &&
	       b[off + 2] == 0x24 && b[off + 3] == 0xc3;
}

/* Is the add at fc->insn[k] `add $_GLOBAL_OFFSET_TABLE_,%reg`?  Its relocation, or NULL. */
static const struct reloc *gotpc_add(const struct text_ctx *ctx, const cs_insn *add, int reg)
{
	const cs_x86 *ax = &add->detail->x86;
	const struct reloc *r;
	int width;

	if (add->id != X86_INS_ADD || ax->op_count != 2 || ax->operands[0].type != X86_OP_REG ||
	    gpr_number(ax->operands[0].reg, &width) != reg || width != 1 ||
	    ax->operands[1].type != X86_OP_IMM || !ax->encoding.imm_offset ||
	    ax->encoding.imm_size != 4)
		return NULL;
	r = find_reloc_by_offset(ctx->sec, add->address + ax->encoding.imm_offset);
	return r && ctx->e->arch->reloc_class(r->type) == RC_GOTPC ? r : NULL;
}

/*
 * The return address the register holds before the add at index k: from
 * gcc's get_pc_thunk call just before it, or clang's call/pop pair.  The
 * first instruction of the sequence that nothing may enter after goes to
 * *entry; false when neither.
 */
static bool pc_before(struct x86 *x, const struct text_ctx *ctx, const struct func_code *fc,
		      size_t k, int reg, uint64_t *ret, uint64_t *entry)
{
	const cs_insn *prev = k ? &fc->insn[k - 1] : NULL, *call;
	const struct reloc *r;
	uint64_t t;
	int width;

	if (!prev || insn_opaque(prev))
		return false;
	if (prev->id == X86_INS_CALL && prev->size == 5 &&
	    (r = find_reloc_by_offset(ctx->sec, prev->address + 1)) && is_pc_thunk(ctx, r, reg)) {
		*ret = prev->address + prev->size;
		*entry = prev->address;
		return true;
	}
	if (k < 2 || prev->id != X86_INS_POP || prev->detail->x86.op_count != 1 ||
	    prev->detail->x86.operands[0].type != X86_OP_REG ||
	    gpr_number(prev->detail->x86.operands[0].reg, &width) != reg || width != 1)
		return false;
	call = &fc->insn[k - 2];
	/* the pop is the call's target, and must be nothing else's */
	if (call->id != X86_INS_CALL || !direct_target(ctx, call, &t) || t != prev->address ||
	    ways_in_at(x, ctx, prev->address) != 1)
		return false;
	*ret = call->address + call->size;
	*entry = prev->address;
	return true;
}

const char *got_register_proof(struct x86 *x, const struct text_ctx *ctx,
			       const struct func_code *fc, size_t i, int reg,
			       const struct reloc **gotpc)
{
	static const char not_set[] =
		"addressed relative to a register pvlink cannot prove holds the GOT (not set by get_pc_thunk and add in straight-line code before the site)";
	uint64_t ret, entry, p;
	const char *why;

	for (size_t k = i; k-- > 0 && i - k <= GOT_MAX_INSNS;) {
		const cs_insn *insn = &fc->insn[k];
		const struct reloc *r;

		if (control_flow(insn))
			return not_set;
		if (!writes_reg(x->handle, insn, reg))
			continue;
		if (!(r = gotpc_add(ctx, insn, reg)) || !pc_before(x, ctx, fc, k, reg, &ret, &entry))
			return not_set;
		p = insn->address + insn->detail->x86.encoding.imm_offset;
		if (ret != p - (uint64_t)r->addend)
			return "the GOT register's add does not make it the GOT (unexpected addend)";
		why = way_in(x, ctx, entry, fc->insn[i].address + 1);
		if (why)
			return why;
		*gotpc = r;
		return NULL;
	}
	return not_set;
}
