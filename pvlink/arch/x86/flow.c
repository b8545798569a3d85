// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * flow.c - follow a pointer loaded from an ops slot through its
 * function, so that the audit never files an indirect call as a read.
 *
 * Strategy: a forward walk over the decoded instructions with the set of
 * general-purpose registers that hold the loaded value.  A register-to-
 * register move copies it; a test or compare leaves it; any write
 * replaces it.  A call keeps the callee-saved registers; the others only
 * "maybe" hold it afterwards: compiled code reads such a register after a
 * call without writing it first only when the callee's convention keeps
 * it (ms_abi's %rsi, preserve_most's %rax), so a branch through one is a
 * call of the slot, while any other read of it is taken for the callee's
 * result.  The walk
 * stops on a path when the set is empty or the function returns, and
 * gives up (the value "escapes") when the value is stored, handed to
 * another function, returned, or changed; a store to a frame slot
 * (disp(%rbp), -O0's local variables) is followed until the slot is
 * written over.  Conditional branches inside the
 * function are followed both ways; anything whose successors pvlink
 * cannot know (a computed jump, a branch out of what was decoded) makes
 * the walk "lost".  A branch through any register of the set, directly
 * or via its retpoline thunk, is a call of the slot.
 *
 * The walk is an over-approximation of "may hold the value": a call found
 * on some path is reported even if that path never runs; a read is
 * reported as proven only when every path ends before any branch
 * through the value.  It never decides a patch.
 */
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "safety.h"

enum flow_end { FLOW_NONE, FLOW_ESCAPED, FLOW_LOST, FLOW_CALLED };

struct flow {
	csh                     handle;
	const struct text_ctx  *ctx;
	const struct func_code *fc;
	uint16_t                args, rets;   /* argument and return registers */
	bool                    address;      /* following the table's address, not a slot */
	enum flow_end           end;          /* the worst over all paths so far */
	size_t                  branch;       /* FLOW_CALLED: the call or jump */
	bool                    maybe;        /* ... through a register a call may have kept */
	int64_t                 spill[16];    /* frame slots the value was stored to */
	unsigned                nspill;
	long                    fill;         /* address: a bulk store through it, or -1 */
	unsigned                nfill;        /* how many */
};

#define BIT(reg) ((uint16_t)(1u << (reg)))

/* The walk's state: registers that hold the value (low half), and those
   that hold it only if the callees preserved them (high half). */
#define SURE(m)  ((uint16_t)(m))
#define MAYBE(m) ((uint16_t)((m) >> 16))
#define BOTH(r)  ((uint64_t)(r) | (uint64_t)(r) << 16)
/* ... and the frame slots (f->spill[]) that hold it: -O0 code keeps a
   local function pointer at -8(%rbp) and reloads it for the call. */
#define SPILL(m) ((uint16_t)((m) >> 32))
#define SPILL_BIT(i) ((uint64_t)1 << (32 + (i)))
#define MAX_SPILL 16

/* rdi rsi rdx rcx r8 r9 (System V), or eax edx ecx (-mregparm=3). */
#define ARGS_64 (BIT(7) | BIT(6) | BIT(2) | BIT(1) | BIT(8) | BIT(9))
#define ARGS_32 (BIT(0) | BIT(2) | BIT(1))
#define RETS    (BIT(0) | BIT(2))

static bool in_group(const cs_insn *insn, uint8_t group)
{
	for (uint8_t g = 0; g < insn->detail->groups_count; g++)
		if (insn->detail->groups[g] == group)
			return true;
	return false;
}

static void note(struct flow *f, enum flow_end end, size_t at)
{
	if (end > f->end) {
		f->end = end;
		f->branch = at;
	}
}

/* A full-width pointer register's number, or -1. */
static int ptr_reg(const struct flow *f, const cs_x86_op *op)
{
	int width, reg;

	if (op->type != X86_OP_REG)
		return -1;
	reg = gpr_number(op->reg, &width);
	return reg >= 0 && width == x86_machine(f->ctx->e->arch)->ptr_width ? reg : -1;
}

/* The frame slot (disp(%rbp), no index) an operand is, as an index of
   f->spill[], or -1: -2 when it is a frame slot not tracked. */
static int frame_slot(const struct flow *f, const cs_x86_op *op)
{
	int width;

	if (op->type != X86_OP_MEM || op->mem.index != X86_REG_INVALID ||
	    op->mem.segment != X86_REG_INVALID || gpr_number(op->mem.base, &width) != 5 ||
	    width != x86_machine(f->ctx->e->arch)->ptr_width)
		return -1;
	for (unsigned i = 0; i < f->nspill; i++)
		if (f->spill[i] == op->mem.disp)
			return (int)i;
	return -2;
}

/* Does insn branch through a register of mask or a frame slot of spills
   (itself, or a register via its retpoline thunk)? */
static bool branches_through(const struct flow *f, const cs_insn *insn, uint16_t mask,
			     uint16_t spills)
{
	const cs_x86 *x = &insn->detail->x86;
	int reg, slot;

	if ((insn->id == X86_INS_CALL || insn->id == X86_INS_JMP) && x->op_count == 1 &&
	    (reg = ptr_reg(f, &x->operands[0])) >= 0 && (mask & BIT(reg)))
		return true;
	if ((insn->id == X86_INS_CALL || insn->id == X86_INS_JMP) && x->op_count == 1 &&
	    (slot = frame_slot(f, &x->operands[0])) >= 0 && (spills & BIT(slot)))
		return true;
	reg = thunk_register(f->ctx, insn);
	return reg >= 0 && (mask & BIT(reg));
}

/* The GPRs an instruction reads and writes, as masks; false if unknown. */
static bool reg_masks(const struct flow *f, const cs_insn *insn, uint16_t *rd, uint16_t *wr)
{
	cs_regs r, w;
	uint8_t nr = 0, nw = 0;
	int width, reg;

	*rd = *wr = 0;
	if (cs_regs_access(f->handle, insn, r, &nr, w, &nw))
		return false;
	for (uint8_t k = 0; k < nr; k++)
		if ((reg = gpr_number(r[k], &width)) >= 0)
			*rd |= BIT(reg);
	for (uint8_t k = 0; k < nw; k++)
		if ((reg = gpr_number(w[k], &width)) >= 0)
			*wr |= BIT(reg);
	return true;
}

/* xor %eax,%eax and the like read nothing that matters. */
static bool zeroing(const cs_insn *insn)
{
	const cs_x86 *x = &insn->detail->x86;

	return (insn->id == X86_INS_XOR || insn->id == X86_INS_SUB) && x->op_count == 2 &&
	       x->operands[0].type == X86_OP_REG && x->operands[1].type == X86_OP_REG &&
	       x->operands[0].reg == x->operands[1].reg;
}

/* The registers that form a memory operand's address. */
static uint16_t address_operand(const cs_insn *insn)
{
	const cs_x86 *x = &insn->detail->x86;
	uint16_t m = 0;
	int width, reg;

	for (uint8_t k = 0; k < x->op_count; k++) {
		if (x->operands[k].type != X86_OP_MEM)
			continue;
		if ((reg = gpr_number(x->operands[k].mem.base, &width)) >= 0)
			m |= BIT(reg);
		if ((reg = gpr_number(x->operands[k].mem.index, &width)) >= 0)
			m |= BIT(reg);
	}
	return m;
}

/* Any store over a tracked frame slot forgets it; a store into the frame
   at a computed place may be over any of them. */
static uint64_t forget_slots(struct flow *f, size_t k, uint64_t m)
{
	const cs_insn *insn = &f->fc->insn[k];
	const cs_x86 *x = &insn->detail->x86;
	int64_t size = f->ctx->e->arch->slot_size;
	int width;

	for (uint8_t i = 0; i < x->op_count && SPILL(m); i++) {
		const cs_x86_op *op = &x->operands[i];
		bool written = (op->access & CS_AC_WRITE) ||
			       (i == 0 && x->op_count >= 2 && insn->id != X86_INS_CMP &&
				insn->id != X86_INS_TEST);

		if (op->type != X86_OP_MEM || !written || gpr_number(op->mem.base, &width) != 5)
			continue;
		if (op->mem.index != X86_REG_INVALID) {
			note(f, FLOW_LOST, k);
			return m & ~((uint64_t)0xffff << 32);
		}
		for (unsigned s = 0; s < f->nspill; s++)
			if (op->mem.disp < f->spill[s] + size && f->spill[s] < op->mem.disp + op->size)
				m &= ~SPILL_BIT(s);
	}
	return m;
}

/*
 * A store of the value to a frame slot tracks the slot; a load of a
 * tracked slot puts the value in a register.  Returns true (and the new
 * state in *m) when instruction k was one of them.
 */
static bool spill_step(struct flow *f, size_t k, uint16_t wr, uint64_t *m)
{
	const cs_insn *insn = &f->fc->insn[k];
	const cs_x86 *x = &insn->detail->x86;
	int slot, reg;

	if (insn->id != X86_INS_MOV || x->op_count != 2)
		return false;
	if ((slot = frame_slot(f, &x->operands[0])) != -1 &&
	    (reg = ptr_reg(f, &x->operands[1])) >= 0 && ((SURE(*m) | MAYBE(*m)) & BIT(reg))) {
		if (slot == -2 && f->nspill == MAX_SPILL)
			return false;                   /* an escape, then */
		if (slot == -2) {
			f->spill[f->nspill] = x->operands[0].mem.disp;
			slot = (int)f->nspill++;
		}
		*m |= SPILL_BIT(slot);
		return true;
	}
	if ((reg = ptr_reg(f, &x->operands[0])) >= 0 &&
	    (slot = frame_slot(f, &x->operands[1])) >= 0 && (SPILL(*m) & BIT(slot))) {
		*m = (*m & ~BOTH(wr)) | BIT(reg);
		return true;
	}
	return false;
}

/*
 * The data effect of instruction k on the set: copies, compares, writes.
 * Records an escape when the value is used any other way.
 */
static uint64_t data_step(struct flow *f, size_t k, uint64_t m)
{
	const cs_insn *insn = &f->fc->insn[k];
	const cs_x86 *x = &insn->detail->x86;
	uint16_t rd, wr;
	int dst, src;

	if (!reg_masks(f, insn, &rd, &wr)) {
		note(f, FLOW_LOST, k);
		return 0;
	}
	if (zeroing(insn))
		rd = 0;
	if (wr & BIT(5))
		m &= ~((uint64_t)0xffff << 32);         /* a new frame (or none) */
	if (spill_step(f, k, wr, &m))
		return m;
	m = forget_slots(f, k, m);
	/* the address of a frame slot that holds it: passed on */
	if (insn->id == X86_INS_LEA && x->op_count == 2 &&
	    (src = frame_slot(f, &x->operands[1])) >= 0 && (SPILL(m) & BIT(src)))
		note(f, FLOW_ESCAPED, k);
	if (x->op_count == 2 && (dst = ptr_reg(f, &x->operands[0])) >= 0 &&
	    (src = ptr_reg(f, &x->operands[1])) >= 0 && ((SURE(m) | MAYBE(m)) & BIT(src))) {
		/* the copy is as sure as its source */
		uint64_t bit = SURE(m) & BIT(src) ? BIT(dst) : (uint64_t)BIT(dst) << 16;

		if (insn->id == X86_INS_MOV)
			return (m & ~BOTH(wr)) | bit;
		if (insn->id >= X86_INS_CMOVA && insn->id <= X86_INS_CMOVS)
			return m | bit;
	}
	if ((rd & SURE(m)) && insn->id != X86_INS_TEST && insn->id != X86_INS_CMP &&
	    !in_group(insn, CS_GRP_CALL) && !in_group(insn, CS_GRP_JUMP) &&
	    !in_group(insn, CS_GRP_RET))
		note(f, FLOW_ESCAPED, k);
	/* call *(%rbx) with the table's address in %rbx: a call pvlink cannot see */
	if (address_operand(insn) & SURE(m))
		note(f, FLOW_ESCAPED, k);
	return m & ~BOTH(wr);
}

/*
 * Where a direct branch goes within the function: its index, or -1 when
 * it leaves what was decoded (another section, a .cold part, a symbol the
 * linker resolves).
 */
static long branch_target(const struct flow *f, const cs_insn *insn)
{
	uint64_t t;
	size_t at;

	if (!direct_target(f->ctx, insn, &t) || t < f->fc->start || t >= f->fc->end ||
	    (at = find_insn(f->fc, t)) == (size_t)-1 || f->fc->insn[at].address != t)
		return -1;
	return (long)at;
}

/* The value leaves the function with a tail call: passed on if in an argument. */
static void leaves(struct flow *f, size_t k, uint64_t m, uint16_t regs)
{
	if (SURE(m) & regs)
		note(f, FLOW_ESCAPED, k);
}

/*
 * Control after instruction k (whose data effect left `mask`): fills
 * next[] with up to two successors and returns their number.
 */
static int control_step(struct flow *f, size_t k, uint64_t *mask, size_t next[2])
{
	const cs_insn *insn = &f->fc->insn[k];
	const cs_x86_op *op = &insn->detail->x86.operands[0];
	long t;

	if (in_group(insn, CS_GRP_RET)) {
		leaves(f, k, *mask, f->rets);
		return 0;
	}
	if (insn->id == X86_INS_UD2 || insn->id == X86_INS_INT3 || insn->id == X86_INS_HLT)
		return 0;
	if (in_group(insn, CS_GRP_CALL)) {
		uint16_t kept = x86_machine(f->ctx->e->arch)->callee_saved;

		leaves(f, k, *mask, f->args);
		/* frame slots survive the call; registers as the convention says */
		*mask = (*mask & (BOTH(kept) | (uint64_t)SPILL(*mask) << 32)) |
			(uint64_t)(uint16_t)(MAYBE(*mask) | (SURE(*mask) & ~kept)) << 16;
	} else if (in_group(insn, CS_GRP_JUMP)) {
		bool uncond = insn->id == X86_INS_JMP;

		if ((t = branch_target(f, insn)) >= 0) {
			next[0] = (size_t)t;
			if (uncond)
				return 1;
			next[1] = k + 1;
			return 2;
		}
		/* A tail call: direct, or through a slot of memory (not an index). */
		if (uncond && (op->type == X86_OP_IMM ||
			       (op->type == X86_OP_MEM && op->mem.index == X86_REG_INVALID))) {
			leaves(f, k, *mask, f->args);
			return 0;
		}
		note(f, FLOW_LOST, k);
		return 0;
	}
	next[0] = k + 1;
	return 1;
}

/* rep stos / rep movs: the string instructions that store through %rdi. */
static unsigned string_store(const cs_insn *insn)
{
	if (insn->detail->x86.prefix[0] != X86_PREFIX_REP)
		return 0;
	switch (insn->id) {
	case X86_INS_STOSB: case X86_INS_MOVSB: return 1;
	case X86_INS_STOSW: case X86_INS_MOVSW: return 2;
	case X86_INS_STOSD: case X86_INS_MOVSD: return 4;
	case X86_INS_STOSQ: case X86_INS_MOVSQ: return 8;
	}
	return 0;
}

/* A call of the C library function that fills its first argument. */
static bool fill_call(const struct flow *f, const cs_insn *insn)
{
	static const char *const names[] = { "memcpy", "memset", "memmove", "__memcpy_chk",
					     "__memset_chk", "__memmove_chk" };
	const struct reloc *r;
	const char *name;

	if (insn->id != X86_INS_CALL || insn->size != 5 || insn->bytes[0] != 0xe8 ||
	    !(r = find_reloc_by_offset(f->ctx->sec, insn->address + 1)))
		return false;
	name = f->ctx->e->syms[r->sym].name;
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if (!strcmp(name, names[k]))
			return true;
	return false;
}

/* The table's address is the destination of a bulk store (x86-64: %rdi). */
static bool bulk_store(const struct flow *f, size_t k, uint64_t m)
{
	const cs_insn *insn = &f->fc->insn[k];

	if (x86_machine(f->ctx->e->arch)->ptr_width != 0 || !(SURE(m) & BIT(7)))
		return false;
	return string_store(insn) || fill_call(f, insn);
}

/* Record the bulk store; the copy in %rdi is used up, others still count. */
static uint64_t fill_step(struct flow *f, size_t k, uint64_t m)
{
	uint16_t rd, wr;

	if (f->fill < 0)
		f->fill = (long)k;
	f->nfill++;
	if (!reg_masks(f, &f->fc->insn[k], &rd, &wr)) {
		note(f, FLOW_LOST, k);
		return 0;
	}
	return m & ~BOTH(wr | BIT(7));
}

/* The work list of the walk: instructions to visit, with the state on arrival. */
struct work {
	size_t   *at;
	uint64_t *m;
	size_t    n, cap;
};

static bool push(struct work *w, size_t at, uint64_t m)
{
	if (w->n == w->cap) {
		size_t cap = w->cap * 2 + 64;
		size_t *a = realloc(w->at, cap * sizeof(*a));
		uint64_t *b = a ? realloc(w->m, cap * sizeof(*b)) : NULL;

		if (a)
			w->at = a;
		if (!b)
			return false;
		w->m = b;
		w->cap = cap;
	}
	w->at[w->n] = at;
	w->m[w->n++] = m;
	return true;
}

/*
 * Walk from instruction `from` with the value in the registers of m.
 * Each instruction is walked again only when its state grows (at most 48
 * times), so the walk ends.
 */
static void walk(struct flow *f, size_t from, uint64_t m)
{
	size_t n = f->fc->n;
	uint64_t *seen = calloc(n + 1, sizeof(*seen));
	struct work w = { 0 };

	if (!seen || !push(&w, from, m))
		note(f, FLOW_LOST, from);
	while (seen && w.n && f->end != FLOW_CALLED) {
		size_t k = w.at[--w.n], next[2];
		int nn;

		m = w.m[w.n];
		if (k >= n) {
			note(f, FLOW_LOST, n - 1);        /* ran off the decoded code */
			continue;
		}
		if ((m | seen[k]) == seen[k])
			continue;
		/* Joining paths: a register may hold the value if it does on either. */
		m |= seen[k];
		seen[k] = m;
		if (!f->address &&
		    branches_through(f, &f->fc->insn[k], SURE(m) | MAYBE(m), SPILL(m))) {
			note(f, FLOW_CALLED, k);
			f->maybe = !branches_through(f, &f->fc->insn[k], SURE(m), SPILL(m));
			break;
		}
		m = f->address && bulk_store(f, k, m) ? fill_step(f, k, m) : data_step(f, k, m);
		nn = control_step(f, k, &m, next);
		for (int s = 0; s < nn && m; s++)
			if (!push(&w, next[s], m))
				note(f, FLOW_LOST, k);
	}
	free(w.at);
	free(w.m);
	free(seen);
}

/* Only plain instructions between the load and the branch: no other path. */
static bool straight(const struct func_code *fc, size_t from, size_t to)
{
	for (size_t k = from + 1; k < to; k++)
		if (in_group(&fc->insn[k], CS_GRP_JUMP) || in_group(&fc->insn[k], CS_GRP_CALL) ||
		    in_group(&fc->insn[k], CS_GRP_RET))
			return false;
	return to > from;
}

/* Show the load and the branch it reaches, as far as the report's fields allow. */
static void show(struct flow *f, const cs_insn *load, const cs_insn *b, struct ref *ref)
{
	const struct reloc *thunk;
	uint64_t gap = b->address - load->address;

	ref->len_a = load->size;
	ref->len_b = 0;
	ref->show_thunk = false;
	if (b->address < load->address || gap > 255)
		return;
	ref->len_b = b->size;
	ref->at_b = (uint8_t)gap;
	thunk = thunk_register(f->ctx, b) >= 0 ? find_reloc_by_offset(f->ctx->sec, b->address + 1) : NULL;
	if (thunk) {
		ref->thunk = *thunk;
		ref->show_thunk = true;
	}
}

/* Show only the instruction itself. */
static void describe_one(const cs_insn *insn, struct ref *ref)
{
	ref->len_a = insn->size;
	ref->len_b = 0;
	ref->show_thunk = false;
}

int flow_loaded_slot(struct x86 *x, const struct text_ctx *ctx, const struct func_code *fc,
		     size_t i, struct ref *ref)
{
	struct flow f = { .handle = x->handle, .ctx = ctx, .fc = fc, .rets = RETS,
			  .args = x86_machine(ctx->e->arch)->ptr_width == 0 ? ARGS_64 : ARGS_32 };
	const cs_insn *load = &fc->insn[i];
	int reg = load->detail->x86.op_count == 2 ? ptr_reg(&f, &load->detail->x86.operands[0]) : -1;

	if (reg < 0 || (load->id != X86_INS_MOV && load->id != X86_INS_MOVABS))
		return ref_not_patchable(ref, KIND_READ, "reads the field without calling it", NULL);
	walk(&f, i + 1, BIT(reg));
	switch (f.end) {
	case FLOW_CALLED:
		show(&f, load, &fc->insn[f.branch], ref);
		return ref_not_patchable(ref, fc->insn[f.branch].id == X86_INS_JMP ? KIND_JUMP : KIND_CALL,
			       f.maybe ?
			       "the loaded pointer may be called later, in a register a call between may have kept (a calling convention other than System V's)" :
			       straight(fc, i, f.branch) ?
			       "the loaded pointer is called later, not at once (other instructions between)" :
			       "the loaded pointer is called later, not at once (tested or kept in a register)", NULL);
	case FLOW_LOST:
		return ref_not_patchable(ref, KIND_READ,
			       "the loaded pointer could not be followed (a computed jump, or code pvlink did not decode): it may be called", NULL);
	case FLOW_ESCAPED:
		return ref_not_patchable(ref, KIND_READ,
			       "the loaded pointer is stored, returned, passed on or changed: pvlink cannot see whether it is called", NULL);
	default:
		return ref_not_patchable(ref, KIND_READ, "reads the field without calling it", NULL);
	}
}

int flow_misaligned(struct x86 *x, const struct text_ctx *ctx, const struct func_code *fc,
		    size_t i, struct ref *ref)
{
	const cs_insn *insn = &fc->insn[i];
	enum ref_kind kind = KIND_READ;

	if (insn->id == X86_INS_CALL || insn->id == X86_INS_JMP)
		kind = insn->id == X86_INS_JMP ? KIND_JUMP : KIND_CALL;
	else if (insn->id == X86_INS_MOV)
		flow_loaded_slot(x, ctx, fc, i, ref), kind = ref->kind;
	if (kind == KIND_READ)
		describe_one(insn, ref);
	return ref_not_patchable(ref, kind, "not aligned to a function-pointer slot", NULL);
}

/*
 * The bytes a bulk store at k writes, when straight-line code before it
 * sets the count with an immediate (rep: %rcx units; a call: %rdx); 0
 * when unknown.
 */
static uint64_t fill_bytes(const struct flow *f, size_t k)
{
	unsigned unit = string_store(&f->fc->insn[k]);
	int reg = unit ? 1 : 2;

	for (size_t j = k; j-- > 0;) {
		const cs_insn *p = &f->fc->insn[j];
		const cs_x86 *x = &p->detail->x86;
		uint16_t rd, wr;
		int width;

		if (in_group(p, CS_GRP_JUMP) || in_group(p, CS_GRP_CALL) || in_group(p, CS_GRP_RET) ||
		    !reg_masks(f, p, &rd, &wr))
			return 0;
		if (!(wr & BIT(reg)))
			continue;
		if (p->id == X86_INS_MOV && x->op_count == 2 && x->operands[1].type == X86_OP_IMM &&
		    x->operands[1].imm > 0 && gpr_number(x->operands[0].reg, &width) == reg &&
		    width <= 1)
			return (uint64_t)x->operands[1].imm * (unit ? unit : 1);
		return 0;
	}
	return 0;
}

int flow_table_address(struct x86 *x, const struct text_ctx *ctx, const struct func_code *fc,
		       size_t i, struct ref *ref)
{
	/* %rdx returns only the second half of a 16-byte struct: gcc's rep
	   stos leaves the address there in void functions */
	struct flow f = { .handle = x->handle, .ctx = ctx, .fc = fc, .rets = BIT(0),
			  .args = ARGS_64, .address = true, .fill = -1 };
	const cs_insn *insn = &fc->insn[i];
	const cs_x86 *ix = &insn->detail->x86;
	uint64_t bytes, room;
	int width, reg;

	if (x86_machine(ctx->e->arch)->ptr_width != 0 ||    /* bulk stores are recognised on x86-64 only */
	    (insn->id != X86_INS_LEA && insn->id != X86_INS_MOV) || ix->op_count != 2 ||
	    ix->operands[0].type != X86_OP_REG ||
	    (reg = gpr_number(ix->operands[0].reg, &width)) < 0 || width > 1)
		return 0;
	walk(&f, i + 1, BIT(reg));
	/* only a single fill and nothing else: any other use stays an address */
	if (f.fill < 0 || f.end != FLOW_NONE || f.nfill != 1)
		return 0;
	bytes = fill_bytes(&f, (size_t)f.fill);
	room = ref->ops->size > (uint64_t)ref->field ? ref->ops->size - (uint64_t)ref->field : 0;
	if (!bytes || (room && bytes > room))
		bytes = room;                   /* unknown count: the rest of the table */
	ref->width = (uint32_t)(bytes && bytes < UINT32_MAX ? bytes : ctx->e->arch->slot_size);
	show(&f, insn, &fc->insn[f.fill], ref);
	if (fill_call(&f, &fc->insn[f.fill]) && ref->len_b) {
		ref->thunk = *find_reloc_by_offset(ctx->sec, fc->insn[f.fill].address + 1);
		ref->show_thunk = true;         /* shows the callee by name */
	}
	ref_not_patchable(ref, KIND_WRITE, "fills the table (rep stos/movs, memcpy or memset onto its address)", NULL);
	return 1;
}

uint32_t flow_store_width(const cs_insn *insn, const struct ref *ref)
{
	const cs_x86 *x = &insn->detail->x86;
	uint64_t room = ref->ops->size > (uint64_t)ref->field ?
			ref->ops->size - (uint64_t)ref->field : 0;

	for (uint8_t k = 0; k < x->op_count; k++)
		if (x->operands[k].type == X86_OP_MEM)
			/* what lies past the table's end is another object */
			return room && x->operands[k].size > room ? (uint32_t)room :
			       x->operands[k].size;
	return 0;
}
