// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * sweep.c - the ways into a section's code that only its
 * instructions show: direct branches the assembler resolved (no
 * relocation), and addresses computed relative to %rip inside the
 * section (`lea .Lop_call(%rip),%rax` for a label stored at run time:
 * computed goto).  With entries.c's relocations, symbols and landing
 * pads, they close the set of places control can enter (assumption A1
 * in README): an indirect jump can only reach an address some
 * instruction or relocation formed.
 *
 * The whole section is decoded once, linearly, restarting at every
 * function symbol, and only when a site needs it.  An instruction that
 * neither decoder knows, or one that only libopcodes knows and that
 * addresses memory relative to %rip, leaves the set open: `unknown`.
 */
#include <string.h>

#include "opcodes.h"
#include "warn.h"
#include "x86.h"
#include "safety.h"

/* A %rip-relative operand the assembler resolved: where it points. */
static bool rip_target(const struct text_ctx *ctx, const cs_insn *insn, uint64_t *target)
{
	const cs_x86 *x = &insn->detail->x86;

	for (uint8_t i = 0; i < x->op_count; i++)
		if (x->operands[i].type == X86_OP_MEM && x->operands[i].mem.base == X86_REG_RIP &&
		    !find_reloc_by_offset(ctx->sec, insn->address + x->encoding.disp_offset)) {
			*target = insn->address + insn->size + (uint64_t)x->operands[i].mem.disp;
			return true;
		}
	return false;
}

/* The ways in that one instruction adds. */
static int note_insn(const struct text_ctx *ctx, const cs_insn *insn, struct code_entries *ce)
{
	uint64_t t;

	if ((direct_target(ctx, insn, &t) || rip_target(ctx, insn, &t)) &&
	    t < ctx->sec->sh.sh_size)
		return code_entries_add(ce, t);
	return 0;
}

/*
 * One instruction at off that Capstone refused: its length from
 * libopcodes, or 0 when nothing decodes there.  An instruction Capstone
 * 4 does not know branches to no encoded target (those are all old), but
 * it may address memory relative to %rip, where it could compute a label.
 */
static size_t opaque_insn(struct x86 *x, const struct text_ctx *ctx, uint64_t off, uint64_t end,
			  struct code_entries *ce)
{
	char text[160];
	int len = opcodes_decode(x->d.arch->form != 0, ctx->bytes + off, end - off, off,
				 text, sizeof(text));

	if (len <= 0 || strstr(text, "rip")) {
		ce->unknown = true;
		return len > 0 ? (size_t)len : 0;
	}
	return (size_t)len;
}

/* Decode [start, end) linearly; returns -1 when out of memory. */
static int sweep(struct x86 *x, const struct text_ctx *ctx, uint64_t start, uint64_t end,
		 struct code_entries *ce)
{
	const uint8_t *code = ctx->bytes + start;
	size_t size = end - start;
	uint64_t addr = start;

	while (size) {
		if (cs_disasm_iter(x->handle, &code, &size, &addr, x->scratch)) {
			if (note_insn(ctx, x->scratch, ce))
				return -1;
			continue;
		}
		size_t len = opaque_insn(x, ctx, addr, end, ce);

		if (!len)
			return 0;              /* unknown until the next symbol */
		code += len;
		size -= len;
		addr += len;
	}
	return 0;
}

/*
 * Function symbols of the section, in order, split the sweep: a function
 * starts at its symbol whatever the bytes before it decoded as.
 */
static int sweep_section(struct x86 *x, const struct text_ctx *ctx, struct code_entries *ce)
{
	const struct sym_index *ix = &ctx->e->funcs;
	uint64_t size = ctx->sec->sh.sh_size, from = 0;

	for (size_t i = 0; i < ix->n; i++) {
		uint64_t at;

		if (ix->v[i]->shndx != ctx->sec->idx)
			continue;
		at = sym_offset(ctx->e, ix->v[i]);
		if (at <= from || at > size)
			continue;
		if (sweep(x, ctx, from, at, ce))
			return -1;
		from = at;
	}
	return sweep(x, ctx, from, size, ce);
}

const struct code_entries *code_entries_of(struct x86 *x, const struct text_ctx *ctx)
{
	struct code_entries *ce = ctx->code;

	if (ce->done)
		return ce;
	ce->done = true;
	if (sweep_section(x, ctx, ce))
		return NULL;                   /* pvrealloc() said why */
	code_entries_sort(ce);
	return ce;
}
