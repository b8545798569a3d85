// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * classify.c - classify each reference to an ops table in x86-64 and i386 code.
 *
 * The relocation says where an operand refers to the table; Capstone
 * says which instruction that operand belongs to and what the instruction
 * does with it.  Only the forms in include/pvops.h, with exactly the
 * encodings the applier rebuilds, are patchable; every other reference
 * is reported with the reason it is not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "warn.h"
#include "x86.h"
#include "flow.h"
#include "safety.h"

static int patchable(struct ref *ref)
{
	ref->patchable = true;
	ref->site_off = ref->off;
	return 1;
}

/* Remember which instruction(s) ref_form() shows for this reference. */
static void describe(struct ref *ref, const cs_insn *a, const cs_insn *b, bool thunk)
{
	ref->len_a = a->size;
	ref->len_b = b ? b->size : 0;
	ref->at_b = b ? (uint8_t)(b->address - a->address) : 0;
	ref->show_thunk = thunk;
}

/*
 * The site's bytes must be exactly what pvops_original() rebuilds, except
 * the operand fields the linker fills in.  So the applier, which checks a
 * site by rebuilding it, recognises every site the tool records.
 */
static bool canonical(const struct text_ctx *ctx, const struct pvops_site *s, uint64_t at)
{
	uint8_t want[PVOPS_MAX_LEN], have[PVOPS_MAX_LEN];
	uint32_t kind = s->form & PVOPS_KIND;
	/* where the load ends in the gathered bytes (a split site's branch is apart) */
	uint32_t load_end = s->form & PVOPS_SPLIT ? s->len - 5u : s->branch;

	if (!pvops_original(s, 0, 0x1000, 0x2000, want))
		return false;
	pvops_gather(s, ctx->bytes + at, have);
	for (uint32_t i = 0; i < s->len; i++) {
		bool slot_field = kind == PVOPS_MEM ? i >= s->len - 4u
						    : i >= load_end - 4u && i < load_end;
		bool thunk_field = kind == PVOPS_THUNK && i >= s->len - 4u;

		if (!slot_field && !thunk_field && have[i] != want[i])
			return false;
	}
	return true;
}

/*
 * A memory operand that is the slot itself: RIP-relative or absolute, no
 * index.  Prefixes (a segment, notrack) are left to canonical() to refuse.
 */
static bool mem_is_slot(const cs_x86_op *op, bool *abs)
{
	if (op->type != X86_OP_MEM || op->mem.index != X86_REG_INVALID)
		return false;
	*abs = op->mem.base == X86_REG_INVALID;
	return *abs || op->mem.base == X86_REG_RIP;
}

/*
 * The relocation gives the slot's address the way the operand uses it:
 * S + A - P beside %rip, S + A as an absolute address (all i386 forms),
 * 4 bytes wide.  The table re-expresses it as S + A - P of its slot field.
 */
static bool slot_reloc(const struct arch *arch, const struct reloc *r, bool abs)
{
	return arch->reloc_class(r->type) == (abs ? RC_ABS : RC_PC) &&
	       arch->reloc_width(r->type) == 4;
}

#define WRONG_RELOC "the relocation does not give the slot's address (unexpected type)"

/* Why canonical() refused a site: a prefix, or another encoding of the same instruction. */
static const char *unusual(const cs_insn *a, const cs_insn *b)
{
	for (int i = 0; i < 4; i++)
		if (a->detail->x86.prefix[i] || (b && b->detail->x86.prefix[i]))
			return "unusual encoding (extra prefix): the applier could not recognise it";
	return "unusual encoding (not the form assemblers emit): the applier could not recognise it";
}

/*
 * call *slot / jmp *slot: one instruction.
 * Safe because the whole instruction is replaced by code of the same
 * length that starts at the same address, and the call it replaces
 * already clobbered everything the replacement may clobber.  A branch can
 * only land on the instruction's first byte, which stays an instruction
 * boundary.  The slot is re-read when the applier runs; the site then
 * calls what the slot held at that moment.
 */
static int classify_mem_branch(const struct text_ctx *ctx, const cs_insn *insn,
				struct ref *ref)
{
	bool jump = insn->id == X86_INS_JMP, abs;
	struct pvops_site *s = &ref->site;

	ref->kind = jump ? KIND_JUMP : KIND_CALL;
	if (!mem_is_slot(&insn->detail->x86.operands[0], &abs))
		return ref_not_patchable(ref, ref->kind,
				     "indexed call through the table: the field is chosen at run time",
				     NULL);
	if (!slot_reloc(ctx->e->arch, &ref->reloc, abs))
		return ref_not_patchable(ref, ref->kind, WRONG_RELOC, NULL);
	s->form = PVOPS_MEM | (jump ? PVOPS_JUMP : 0) | (abs ? PVOPS_ABS : 0) | ctx->e->arch->form;
	s->len = insn->size;
	if (!canonical(ctx, s, ref->off))
		return ref_not_patchable(ref, ref->kind, unusual(insn, NULL), NULL);
	return patchable(ref);
}

/* The relocation of a call/jmp rel32 to the retpoline thunk for reg, or NULL. */
static const struct reloc *thunk_branch(const struct text_ctx *ctx, const cs_insn *b, int reg)
{
	const struct reloc *r;

	if (thunk_register(ctx, b) != reg)
		return NULL;
	r = find_reloc_by_offset(ctx->sec, b->address + 1);
	/* pvlink records the thunk through the branch's own relocation */
	return r && (r->type == x86_machine(ctx->e->arch)->plt32 || r->type == ctx->e->arch->pc32) &&
	       r->addend == -4 ? r : NULL;
}

/* Is b a branch through reg (directly, or via its retpoline thunk)? */
static int branch_through(const struct text_ctx *ctx, const cs_insn *b, int reg,
			  struct ref *ref)
{
	const cs_x86 *bx = &b->detail->x86;
	const struct reloc *thunk;
	int width;

	if (b->id != X86_INS_CALL && b->id != X86_INS_JMP)
		return -1;
	if (bx->op_count == 1 && bx->operands[0].type == X86_OP_REG &&
	    gpr_number(bx->operands[0].reg, &width) == reg && width == x86_machine(ctx->e->arch)->ptr_width)
		return PVOPS_REG;
	thunk = thunk_branch(ctx, b, reg);
	if (!thunk)
		return -1;
	ref->thunk = *thunk;
	return PVOPS_THUNK;
}

/* Most instructions a split site may have between its load and its branch. */
#define SPLIT_MAX_INSNS 24

/*
 * The branch that a load at insn i feeds, after straight-line code (no
 * branch, call or return) that never writes reg, within 255 bytes: the
 * first control-flow instruction.  Its index, or -1.
 */
static long fed_branch(struct x86 *x, const struct func_code *fc, size_t i, int reg)
{
	for (size_t k = i + 1; k < fc->n && k <= i + SPLIT_MAX_INSNS; k++) {
		const cs_insn *insn = &fc->insn[k];

		if (insn->address + insn->size - fc->insn[i].address > 255)
			return -1;
		if (control_flow(insn))
			return (long)k;
		if (writes_reg(x->handle, insn, reg))
			return -1;
	}
	return -1;
}


/*
 * mov slot,%reg, then (at once, or after straight-line code) call/jmp to
 * the retpoline thunk for %reg: PVOPS_THUNK | PVOPS_SPLIT.  Only the
 * 5-byte branch is rewritten, into a direct call/jmp to what the slot
 * holds; the load stays and still fills the register, so every register
 * holds what it held in the original program, on every path, exception
 * and tail paths included, whatever the callee's convention.  What is
 * left to prove is that the branch goes where the original went:
 *  - the register holds the loaded value at the branch: nothing between
 *    the load and the branch writes it or branches (fed_branch), and
 *    nothing enters after the load up to the branch (way_in(), over the
 *    closed set of ways in: assumption A1);
 *  - the slot holds at the branch what it held when the applier ran (the
 *    applier's contract: it is re-run when the slots change).
 * The thunk only moves the register's value into the return slot and
 * returns there, so the direct branch reaches the same target with the
 * same registers and the same return address.
 */
static int classify_thunk(struct x86 *x, const struct text_ctx *ctx, const struct func_code *fc,
			  size_t i, int reg, bool abs, struct ref *ref)
{
	const cs_insn *load = &fc->insn[i], *b;
	struct pvops_site *s = &ref->site;
	const struct reloc *thunk;
	const char *why;
	long k = fed_branch(x, fc, i, reg);

	if (k < 0 || !(thunk = thunk_branch(ctx, &fc->insn[k], reg)))
		return flow_loaded_slot(x, ctx, fc, i, ref);
	b = &fc->insn[k];
	ref->thunk = *thunk;
	ref->kind = b->id == X86_INS_JMP ? KIND_JUMP : KIND_CALL;
	s->form = (uint8_t)(PVOPS_THUNK | PVOPS_SPLIT | (ref->kind == KIND_JUMP ? PVOPS_JUMP : 0) |
			    (abs ? PVOPS_ABS : 0) | ctx->e->arch->form);
	describe(ref, load, b, true);
	if (!slot_reloc(ctx->e->arch, &ref->reloc, abs))
		return ref_not_patchable(ref, ref->kind, WRONG_RELOC, NULL);
	s->len = (uint8_t)(load->size + b->size);
	s->branch = (uint8_t)(b->address - load->address);
	s->reg = (uint8_t)reg;
	if (!canonical(ctx, s, ref->off))
		return ref_not_patchable(ref, ref->kind, unusual(load, b), NULL);
	why = way_in(x, ctx, load->address, b->address + b->size);
	if (why)
		return ref_not_patchable(ref, ref->kind, why, NULL);
	return patchable(ref);
}

/*
 * mov slot,%reg.  Followed by a branch through %reg's retpoline thunk,
 * it is a site (classify_thunk).  Followed at once by `call *%reg` or
 * `jmp *%reg`, it is not: the 2- or 3-byte branch cannot hold a direct
 * call, so a rewrite would have to replace the load too, and the register
 * would then lose the pointer.  Whether anything reads it afterwards
 * depends on conventions the bytes do not show: a callee that preserves
 * it (ms_abi, preserve_most, -fcall-saved-REG), an exception path, and
 * the callee itself when the pointer is also its argument (clang -O2
 * compiles `ops.f(ops.f)` to `mov ops(%rip),%rdi; jmp *%rdi`).
 */
static int classify_load(struct x86 *x, const struct text_ctx *ctx,
			  const struct func_code *fc, size_t i, struct ref *ref)
{
	const cs_insn *load = &fc->insn[i], *b = i + 1 < fc->n ? &fc->insn[i + 1] : NULL;
	const cs_x86 *lx = &load->detail->x86;
	int width, reg = gpr_number(lx->operands[0].reg, &width);
	bool abs;

	ref->kind = KIND_READ;
	if (reg < 0 || width != x86_machine(ctx->e->arch)->ptr_width || !mem_is_slot(&lx->operands[1], &abs))
		return flow_loaded_slot(x, ctx, fc, i, ref);
	if (b && branch_through(ctx, b, reg, ref) == PVOPS_REG) {
		ref->kind = b->id == X86_INS_JMP ? KIND_JUMP : KIND_CALL;
		describe(ref, load, b, false);
		return ref_not_patchable(ref, ref->kind,
				     "loaded into a register and called through it: a direct call does not fit, and the load cannot go (the register may be read afterwards)",
				     NULL);
	}
	return classify_thunk(x, ctx, fc, i, reg, abs, ref);
}

/*
 * Capstone 4 does not mark every SSE store's memory operand as written
 * (movups %xmm0,mem comes back as a read), so also count a memory
 * destination: in Intel order the first of two operands, for everything
 * but the instructions that only compare.
 */
static bool writes_memory(const cs_insn *insn)
{
	const cs_x86 *x = &insn->detail->x86;
	bool compares = insn->id == X86_INS_CMP || insn->id == X86_INS_TEST ||
			insn->id == X86_INS_BT || insn->id == X86_INS_PUSH;

	for (uint8_t i = 0; i < x->op_count; i++)
		if (x->operands[i].type == X86_OP_MEM && (x->operands[i].access & CS_AC_WRITE))
			return true;
	return x->op_count >= 2 && x->operands[0].type == X86_OP_MEM && !compares;
}

/* Everything that is not a call: say what it is, in a developer's words. */
static int classify_other(const struct arch *arch, const cs_insn *insn, bool on_imm,
			  struct ref *ref)
{
	if (reloc_via_got(arch, ref->reloc.type))
		return ref_not_patchable(ref, KIND_ADDRESS,
				     "reached through the GOT (-fpic): the call goes through a register",
				     x86_machine(arch)->got_hint);
	if (insn->id == X86_INS_LEA)
		return ref_not_patchable(ref, KIND_ADDRESS,
				     "takes the table's address (a base pointer kept in a register)",
				     x86_machine(arch)->lea_hint);
	if (on_imm)
		return ref_not_patchable(ref, KIND_ADDRESS, "uses the table's address as a value", NULL);
	if (writes_memory(insn)) {
		ref->width = flow_store_width(insn, ref);     /* a wide store covers several slots */
		return ref_not_patchable(ref, KIND_WRITE, "stores to the ops field", NULL);
	}
	return ref_not_patchable(ref, KIND_READ, "reads the field without calling it", NULL);
}

#define GOT_HINT "build with -fno-pic (i386 kernels are)"

/*
 * call *slot@GOTOFF(%reg) / jmp *slot@GOTOFF(%reg) (i386 PIC, PVOPS_GOT):
 * one instruction, rewritten like call *slot (see classify_mem_branch),
 * once got_register_proof() shows that %reg holds the GOT's address here,
 * so that the operand is the slot.  The entry records the GOT's address
 * (its `thunk` field, R_386_GOTPC) so the applier can rebuild the bytes.
 */
static int classify_got_branch(struct x86 *x, const struct text_ctx *ctx,
			       const struct func_code *fc, size_t i, struct ref *ref)
{
	const cs_insn *insn = &fc->insn[i];
	const cs_x86_op *op = &insn->detail->x86.operands[0];
	struct pvops_site *s = &ref->site;
	const struct reloc *gotpc;
	const char *why;
	int width, reg;

	ref->kind = insn->id == X86_INS_JMP ? KIND_JUMP : KIND_CALL;
	if (op->type != X86_OP_MEM || op->mem.index != X86_REG_INVALID ||
	    (reg = gpr_number(op->mem.base, &width)) < 0 || width != 1 || reg == 4)
		return ref_not_patchable(ref, ref->kind,
				     "indexed call through the table: the field is chosen at run time",
				     NULL);
	s->form = PVOPS_MEM | PVOPS_GOT | (ref->kind == KIND_JUMP ? PVOPS_JUMP : 0) |
		  ctx->e->arch->form;
	s->len = insn->size;
	s->reg = (uint8_t)reg;
	if (!canonical(ctx, s, ref->off))
		return ref_not_patchable(ref, ref->kind, unusual(insn, NULL), NULL);
	why = got_register_proof(x, ctx, fc, i, reg, &gotpc);
	if (why)
		return ref_not_patchable(ref, ref->kind, why, GOT_HINT);
	ref->thunk = *gotpc;
	return patchable(ref);
}

/*
 * A load addressed relative to the GOT register, then a branch through
 * the register or its retpoline thunk.  Not patched: the register form
 * never is (classify_load), and a thunk entry has no field left for the
 * GOT's address.
 */
static int classify_gotoff(struct x86 *x, const struct text_ctx *ctx, const struct func_code *fc,
			   size_t i, struct ref *ref)
{
	const cs_insn *insn = &fc->insn[i], *b = i + 1 < fc->n ? &fc->insn[i + 1] : NULL;
	const cs_x86 *ix = &insn->detail->x86;
	struct ref probe = *ref;
	int width, reg, kind;

	if ((insn->id == X86_INS_CALL || insn->id == X86_INS_JMP) && ix->op_count == 1)
		return classify_got_branch(x, ctx, fc, i, ref);
	if (insn->id != X86_INS_MOV || ix->op_count != 2 || ix->operands[0].type != X86_OP_REG ||
	    (reg = gpr_number(ix->operands[0].reg, &width)) < 0)
		return classify_other(ctx->e->arch, insn, false, ref);
	if (!b || (kind = branch_through(ctx, b, reg, &probe)) < 0)
		return flow_loaded_slot(x, ctx, fc, i, ref);
	ref->thunk = probe.thunk;
	describe(ref, insn, b, kind == PVOPS_THUNK);
	return ref_not_patchable(ref, b->id == X86_INS_JMP ? KIND_JUMP : KIND_CALL,
			     "loaded relative to the GOT register, then branched through (i386 -fpic/-fpie): a form pvlink does not patch",
			     GOT_HINT);
}

/* A relocated immediate (`movq $native_save_fl, pv_ops+0x10`), for reports. */
static void note_imm_reloc(const struct text_ctx *ctx, const cs_insn *insn, struct ref *ref)
{
	uint8_t at = insn->detail->x86.encoding.imm_offset;
	const struct reloc *r = at ? find_reloc_by_offset(ctx->sec, insn->address + at) : NULL;

	if (r) {
		ref->imm = *r;
		ref->imm_reloc = true;
	}
}

/*
 * A reference in code pvlink did not decode: bytes no decoder knows
 * (insn NULL), or an instruction only libopcodes knows.  Its operand is
 * taken to end the instruction, as a displacement without an immediate
 * does (reloc_target()).  Kind undecoded: maybe a call, never patchable.
 */
static bool classify_undecoded(const struct text_ctx *ctx, const cs_insn *insn,
			       struct ref *ref)
{
	const struct symbol *sym = &ctx->e->syms[ref->reloc.sym];

	ref->off = insn ? insn->address : ref->reloc.offset;
	ref->target = ctx->e->arch->reloc_target(&ref->reloc, insn ? insn->address + insn->size : 0);
	ref->ops = ops_find(ctx->ops, ctx->e, sym, ref->target, ctx->e->arch->operand_bias,
			    &ref->field);
	if (insn)
		describe(ref, insn, NULL, false);
	ref_not_patchable(ref, KIND_UNDECODED, insn ?
		      "in an instruction Capstone cannot decode: pvlink cannot tell what it does with the field" :
		      "no instruction decodes at this relocation", NULL);
	return ref->ops != NULL;
}

static bool classify_ref(struct x86 *x, const struct text_ctx *ctx, struct ref *ref)
{
	const struct func_code *fc = &x->fc;
	size_t i = find_insn(fc, ref->reloc.offset);
	const cs_insn *insn = i == (size_t)-1 ? NULL : &fc->insn[i];
	bool on_disp, on_imm;

	if (!insn || insn_opaque(insn))
		return classify_undecoded(ctx, insn, ref);
	ref->off = insn->address;
	ref->target = ctx->e->arch->reloc_target(&ref->reloc, insn->address + insn->size);
	ref->ops = ops_find(ctx->ops, ctx->e, &ctx->e->syms[ref->reloc.sym], ref->target, 0,
			    &ref->field);
	if (!ref->ops)
		return false;
	describe(ref, insn, NULL, false);
	on_disp = ref->reloc.offset == insn->address + insn->detail->x86.encoding.disp_offset;
	on_imm = ref->reloc.offset == insn->address + insn->detail->x86.encoding.imm_offset;
	note_imm_reloc(ctx, insn, ref);
	if (!on_disp && !on_imm) {
		ref_not_patchable(ref, KIND_READ, "relocation is not on an operand of the decoded instruction", NULL);
	} else if (reloc_via_got(ctx->e->arch, ref->reloc.type) || on_imm) {
		classify_other(ctx->e->arch, insn, on_imm, ref);
	} else if (ref->field % ctx->e->arch->slot_size && !writes_memory(insn)) {
		/* after the write test: a store to part of a slot, or to a packed
		   table's field, is a write; a call through one is still a call */
		flow_misaligned(x, ctx, fc, i, ref);
	} else if (reloc_got_relative(ctx->e->arch, ref->reloc.type)) {
		classify_gotoff(x, ctx, fc, i, ref);
	} else if ((insn->id == X86_INS_CALL || insn->id == X86_INS_JMP) &&
		   insn->detail->x86.op_count == 1) {
		classify_mem_branch(ctx, insn, ref);
	} else if (insn->id == X86_INS_MOV && insn->detail->x86.op_count == 2 &&
		   insn->detail->x86.operands[0].type == X86_OP_REG) {
		classify_load(x, ctx, fc, i, ref);
	} else {
		classify_other(ctx->e->arch, insn, false, ref);
	}
	if (ref->kind == KIND_ADDRESS)          /* memcpy/memset onto the table: a write */
		flow_table_address(x, ctx, fc, i, ref);
	return true;
}

int x86_classify(struct decoder *d, const struct text_ctx *ctx, const struct reloc *r,
		 const struct symbol *func, struct refs *out)
{
	struct ref *ref = refs_add(out);

	if (!ref)
		return -1;
	*ref = (struct ref){ .sec = ctx->sec, .reloc = *r, .func = func };
	if (!classify_ref(x86_of(d), ctx, ref))
		out->n--;
	return 0;
}
