// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * x86.c - classify each reference to an ops table in x86-64 and i386 code.
 *
 * The relocation says where an operand refers to the table; Capstone
 * says which instruction that operand belongs to and what the instruction
 * does with it.  Only the forms in include/pvops.h, with exactly the
 * encodings the applier rebuilds, are patchable; every other reference
 * is reported with the reason it is not.
 */
#include <stdio.h>
#include <string.h>

#include "x86.h"
#include "x86_flow.h"
#include "x86_safety.h"

int x86_open(struct x86 *x, const struct arch *arch)
{
	if (cs_open(CS_ARCH_X86, arch->mode, &x->handle) != CS_ERR_OK)
		return -1;
	x->arch = arch;
	cs_option(x->handle, CS_OPT_DETAIL, CS_OPT_ON);
	return 0;
}

void x86_close(struct x86 *x)
{
	cs_close(&x->handle);
}

int x86_decode(struct x86 *x, const struct text_ctx *ctx, uint64_t start, uint64_t end,
	       struct func_code *fc)
{
	fc->start = start;
	fc->end = end;
	fc->insn = NULL;
	fc->n = cs_disasm(x->handle, ctx->bytes + start, end - start, start, 0, &fc->insn);
	return 0;
}

void x86_free_func(struct func_code *fc)
{
	if (fc->insn)
		cs_free(fc->insn, fc->n);
	fc->insn = NULL;
	fc->n = 0;
}

/*
 * What the operand addresses, as an offset from the relocation's symbol.
 * A PC-relative operand is relative to the end of the instruction, but
 * the assembler stores S + A - P with P the operand's own address, so A
 * carries the distance from the operand to the instruction's end (-4 for
 * `call *x(%rip)`, -5 for `cmpq $0,x(%rip)`).  This is the one place that
 * bias is undone.
 */
static int64_t operand_target(const struct arch *arch, const struct reloc *r,
			      const cs_insn *insn)
{
	if (!reloc_pc_relative(arch, r->type))
		return r->addend;
	/* wraps like the linker's arithmetic, for any addend a file may hold */
	return (int64_t)((uint64_t)r->addend + (insn->address + insn->size - r->offset));
}

const struct reloc *find_reloc_at(const struct text_ctx *ctx, uint64_t off)
{
	size_t lo = 0, hi = ctx->nrel;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ctx->rel[mid].offset < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ctx->nrel && ctx->rel[lo].offset == off ? &ctx->rel[lo] : NULL;
}

/* Records why a reference is left alone; returns 0 so callers can `return` it. */
static int not_patchable(struct ref *ref, enum ref_kind kind, const char *reason,
			 const char *hint)
{
	ref->kind = kind;
	ref->patchable = false;
	ref->reason = reason;
	ref->hint = hint;
	return 0;
}

static int patchable(struct ref *ref)
{
	ref->patchable = true;
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
		return not_patchable(ref, ref->kind,
				     "indexed call through the table: the field is chosen at run time",
				     NULL);
	if (!slot_reloc(ctx->e->arch, &ref->reloc, abs))
		return not_patchable(ref, ref->kind, WRONG_RELOC, NULL);
	s->form = PVOPS_MEM | (jump ? PVOPS_JUMP : 0) | (abs ? PVOPS_ABS : 0) | ctx->e->arch->form;
	s->len = insn->size;
	if (!canonical(ctx, s, ref->off))
		return not_patchable(ref, ref->kind, unusual(insn, NULL), NULL);
	return patchable(ref);
}

/* The relocation of a call/jmp rel32 to the retpoline thunk for reg, or NULL. */
static const struct reloc *thunk_branch(const struct text_ctx *ctx, const cs_insn *b, int reg)
{
	const struct reloc *r;

	if (thunk_register(ctx, b) != reg)
		return NULL;
	r = find_reloc_at(ctx, b->address + 1);
	/* pvlink records the thunk through the branch's own relocation */
	return r && (r->type == ctx->e->arch->plt32 || r->type == ctx->e->arch->pc32) &&
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
	    gpr_number(bx->operands[0].reg, &width) == reg && width == ctx->e->arch->ptr_width)
		return PVOPS_REG;
	thunk = thunk_branch(ctx, b, reg);
	if (!thunk)
		return -1;
	ref->thunk = *thunk;
	return PVOPS_THUNK;
}

/*
 * The checks a load and its branch share, adjacent or split: fills the
 * entry and returns 1 when the bytes are the canonical ones and nothing
 * branches into the stretch from after the load to the branch (directly,
 * through a relocation, or through a jump table pvlink cannot bound).
 * Otherwise records why not and returns 0.
 */
static int load_branch_site(const struct text_ctx *ctx, const struct func_code *fc,
			    const cs_insn *load, const cs_insn *b, int kind, int reg, bool abs,
			    struct ref *ref)
{
	struct pvops_site *s = &ref->site;
	bool split = b->address != load->address + load->size;

	ref->kind = b->id == X86_INS_JMP ? KIND_JUMP : KIND_CALL;
	s->form = (uint8_t)(kind | (split ? PVOPS_SPLIT : 0) |
			    (ref->kind == KIND_JUMP ? PVOPS_JUMP : 0) | (abs ? PVOPS_ABS : 0) |
			    ctx->e->arch->form);
	describe(ref, load, b, kind == PVOPS_THUNK);
	if (!slot_reloc(ctx->e->arch, &ref->reloc, abs))
		return not_patchable(ref, ref->kind, WRONG_RELOC, NULL);
	s->len = (uint8_t)(load->size + b->size);
	s->branch = (uint8_t)(b->address - load->address);
	s->reg = (uint8_t)reg;
	if (!canonical(ctx, s, ref->off))
		return not_patchable(ref, ref->kind, unusual(load, b), NULL);
	if (lands_inside(ctx, fc, load->address, b->address + b->size))
		return not_patchable(ref, ref->kind,
				     "a branch lands between the load and the call", NULL);
	if (has_computed_jump(fc))
		return not_patchable(ref, ref->kind,
				     "the function has a jump table whose targets pvlink cannot bound",
				     "build with -fno-jump-tables");
	return 1;
}

/* Most instructions a split site may have between its load and its branch. */
#define SPLIT_MAX_INSNS 24

static bool control_flow(const cs_insn *insn)
{
	for (uint8_t g = 0; g < insn->detail->groups_count; g++)
		switch (insn->detail->groups[g]) {
		case CS_GRP_JUMP: case CS_GRP_CALL: case CS_GRP_RET: case CS_GRP_INT:
		case CS_GRP_IRET:
			return true;
		}
	return false;
}

/*
 * The retpoline branch through reg that a load at insn i feeds, with
 * other instructions between: straight-line code (no branch, call or
 * return) that never writes reg, within 255 bytes.  Its index, or -1.
 */
static long split_branch(struct x86 *x, const struct text_ctx *ctx,
			 const struct func_code *fc, size_t i, int reg, struct ref *ref)
{
	for (size_t k = i + 1; k < fc->n && k <= i + SPLIT_MAX_INSNS; k++) {
		const cs_insn *insn = &fc->insn[k];

		if (insn->address + insn->size - fc->insn[i].address > 255)
			return -1;
		if (control_flow(insn)) {
			const struct reloc *thunk = thunk_branch(ctx, insn, reg);

			if (!thunk)
				return -1;
			ref->thunk = *thunk;
			return (long)k;
		}
		if (writes_reg(x->handle, insn, reg))
			return -1;
	}
	return -1;
}

/*
 * mov slot,%reg, other instructions, then call/jmp to the retpoline thunk
 * for %reg (PVOPS_SPLIT).  Only the 5-byte branch is rewritten, into a
 * direct branch to what the slot holds; the load stays.  That is the
 * branch the original made when:
 *  - the register still holds the loaded value at the branch: nothing in
 *    between writes it (split_branch), and no branch in the function or
 *    relocation elsewhere lands after the load up to the branch, which
 *    would reach it with another value (lands_inside, no jump table);
 *  - its value afterwards is what it was, since the load still runs: no
 *    liveness proof is needed.
 */
static int classify_split(struct x86 *x, const struct text_ctx *ctx, const struct func_code *fc,
			  size_t i, int reg, bool abs, struct ref *ref)
{
	const cs_insn *load = &fc->insn[i];
	long k = split_branch(x, ctx, fc, i, reg, ref);

	if (k < 0)
		return flow_loaded_slot(x, ctx, fc, i, ref);
	return load_branch_site(ctx, fc, load, &fc->insn[k], PVOPS_THUNK, reg, abs, ref) ?
	       patchable(ref) : 0;
}

/*
 * mov slot,%reg followed at once by call/jmp through %reg (or its
 * retpoline thunk).  Rewritten as NOPs and a direct call ending where the
 * original call ended, this is safe when:
 *  - nothing branches to the second instruction: afterwards it is no
 *    longer an instruction boundary (lands_inside, and no jump table in
 *    the function whose targets pvlink cannot bound);
 *  - the loaded value is dead after the branch, since the rewrite no
 *    longer loads it.  A tail jump leaves the function.  A call clobbers
 *    every caller-saved register, so compiled code never reads one after
 *    the call without writing it first.  A callee-saved register survives
 *    the call, so every path after it is searched for a read.
 */
static int classify_load(struct x86 *x, const struct text_ctx *ctx,
			  const struct func_code *fc, size_t i, struct ref *ref)
{
	const cs_insn *load = &fc->insn[i], *b = i + 1 < fc->n ? &fc->insn[i + 1] : NULL;
	const cs_x86 *lx = &load->detail->x86;
	int width, reg = gpr_number(lx->operands[0].reg, &width), kind;
	bool abs;

	ref->kind = KIND_READ;
	if (reg < 0 || width != ctx->e->arch->ptr_width || !mem_is_slot(&lx->operands[1], &abs))
		return flow_loaded_slot(x, ctx, fc, i, ref);
	if (!b || (kind = branch_through(ctx, b, reg, ref)) < 0)
		return classify_split(x, ctx, fc, i, reg, abs, ref);
	if (!load_branch_site(ctx, fc, load, b, kind, reg, abs, ref))
		return 0;
	if (ref->kind == KIND_CALL && gpr_callee_saved(ctx->e->arch, reg) &&
	    reg_live_after(x->handle, ctx, fc, i + 2, reg))
		return not_patchable(ref, KIND_CALL,
				     "the loaded pointer is used again after the call (kept in a callee-saved register)",
				     NULL);
	return patchable(ref);
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
		return not_patchable(ref, KIND_ADDRESS,
				     "reached through the GOT (-fpic): the call goes through a register",
				     arch->got_hint);
	if (insn->id == X86_INS_LEA)
		return not_patchable(ref, KIND_ADDRESS,
				     "takes the table's address (a base pointer kept in a register)",
				     arch->lea_hint);
	if (on_imm)
		return not_patchable(ref, KIND_ADDRESS, "uses the table's address as a value", NULL);
	if (writes_memory(insn)) {
		ref->width = flow_store_width(insn, ref);     /* a wide store covers several slots */
		return not_patchable(ref, KIND_WRITE, "stores to the ops field", NULL);
	}
	return not_patchable(ref, KIND_READ, "reads the field without calling it", NULL);
}

/*
 * i386 PIC code reaches a hidden or static table relative to the GOT:
 * `call *pv_ops@GOTOFF+8(%ebx)`, or a load so addressed, then a call.
 * That reads the slot only if the base register holds the GOT's address
 * at that moment, and nothing in the instruction says so.  gcc does not
 * even keep the PIC register as the base of a @GOTOFF operand
 * (ix86_legitimate_address_p stopped checking): gcc 12 -m32 -O2 -fpie
 * emits `lea tbl@GOTOFF,%edi` and adds the GOT register later.  Proving
 * it takes the register's every definition back to the get_pc_thunk/add
 * pair, through spills and reloads.  So these calls are reported, never
 * patched.
 */
static int classify_gotoff(struct x86 *x, const struct text_ctx *ctx,
			   const struct func_code *fc, size_t i, struct ref *ref)
{
	static const char reason[] =
		"addressed relative to the GOT register (i386 -fpic/-fpie): pvlink cannot prove the register holds the GOT";
	static const char hint[] = "build with -fno-pic (i386 kernels are)";
	const cs_insn *insn = &fc->insn[i], *b = i + 1 < fc->n ? &fc->insn[i + 1] : NULL;
	const cs_x86 *ix = &insn->detail->x86;
	struct ref probe = *ref;
	int width, reg, kind;

	if ((insn->id == X86_INS_CALL || insn->id == X86_INS_JMP) && ix->op_count == 1)
		return not_patchable(ref, insn->id == X86_INS_JMP ? KIND_JUMP : KIND_CALL,
				     reason, hint);
	if (insn->id != X86_INS_MOV || ix->op_count != 2 || ix->operands[0].type != X86_OP_REG ||
	    (reg = gpr_number(ix->operands[0].reg, &width)) < 0)
		return classify_other(ctx->e->arch, insn, false, ref);
	if (!b || (kind = branch_through(ctx, b, reg, &probe)) < 0)
		return flow_loaded_slot(x, ctx, fc, i, ref);
	ref->thunk = probe.thunk;
	describe(ref, insn, b, kind == PVOPS_THUNK);
	return not_patchable(ref, b->id == X86_INS_JMP ? KIND_JUMP : KIND_CALL, reason, hint);
}

bool x86_classify(struct x86 *x, const struct text_ctx *ctx, const struct func_code *fc,
		  struct ref *ref)
{
	size_t i = find_insn(fc, ref->reloc.offset);
	const cs_insn *insn;
	const struct symbol *sym = &ctx->e->syms[ref->reloc.sym];
	bool on_disp, on_imm;

	if (i == (size_t)-1) {
		ref->off = ref->reloc.offset;
		ref->ops = ops_find(ctx->ops, ctx->e, sym, ref->reloc.addend, 16, &ref->field);
		not_patchable(ref, KIND_READ, "no instruction decodes at this relocation", NULL);
		return ref->ops != NULL;
	}
	insn = &fc->insn[i];
	ref->off = insn->address;
	ref->target = operand_target(ctx->e->arch, &ref->reloc, insn);
	ref->ops = ops_find(ctx->ops, ctx->e, sym, ref->target, 0, &ref->field);
	if (!ref->ops)
		return false;
	describe(ref, insn, NULL, false);
	on_disp = ref->reloc.offset == insn->address + insn->detail->x86.encoding.disp_offset;
	on_imm = ref->reloc.offset == insn->address + insn->detail->x86.encoding.imm_offset;
	if (!on_disp && !on_imm) {
		not_patchable(ref, KIND_READ, "relocation is not on an operand of the decoded instruction", NULL);
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
