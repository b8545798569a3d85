// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * classify.c - classify each reference to an ops table in AArch64 code.
 *
 * An ops call is `adrp xB, ops+F` and either `ldr xN, [xB,
 * #:lo12:ops+F]` or, when the compiler keeps the table's address for
 * several calls, `add xT, xB, #:lo12:ops` then `ldr xN, [xT, #F]`; then,
 * perhaps after a copy (`mov x16, xN`), `blr xN` or, for a tail call,
 * `br xN`.  Only the branch is rewritten (PVOPS_A64): `blr xN` -> `bl
 * target`, `br xN` -> `b target`, in its own 4 bytes.  The loads stay,
 * so every register holds what it held in the original program, on every
 * path (exceptions and tail calls included), whatever the callee's
 * convention.  What is left to prove is that the branch goes where the
 * original went: that the branch register holds the value of exactly
 * the one slot the entry names, on every path that reaches the branch.
 *
 * The proof (a site is recorded only with all of it):
 *  - P1: the adrp, the add if any, the load and the branch lie in one
 *    window of code in that order, in which nothing but a conditional
 *    branch (which only leaves the window) transfers control: no call,
 *    no unconditional branch, no word Capstone cannot decode;
 *  - P2: no way into the code enters the window after the adrp, up to and
 *    including the branch (way_in_between(), over the closed set of ways
 *    in: assumption A1), so every path to the branch runs the whole
 *    window from the adrp on;
 *  - P3: along the window, nothing writes the page register between the
 *    adrp and its use, the table register between the add and the load,
 *    or the loaded value's register between the load (or its copy) and
 *    the branch (a64_writes(), which errs towards "writes");
 *  - P4: the adrp's and the completing instruction's relocations name the
 *    same symbol and addend, so together they address exactly S + A; the
 *    load reads the 8 bytes of the slot S + A (+ its immediate), aligned;
 *  - P5: the slot holds at the branch what it held when the applier ran
 *    (the applier's contract: it is re-run when the slots change).
 * Then the register holds the slot's value at the branch, and `bl
 * target` reaches the same function with the same registers and the same
 * return address in x30; BTI does not check a direct branch.
 *
 * Everything else is reported with the reason it is not patched.  A
 * loaded slot that is not branched through in the window is counted as
 * a call that is not patchable unless it provably dies unused or only
 * compared: the audit must never count a call as a mere read.
 */
#include <string.h>

#include "warn.h"
#include "a64.h"

/* Longest window followed from a load or an add, in instructions; at_b
   (the load's distance to its branch) must fit a byte. */
#define WINDOW 63

#define BIT(n) (1u << (n))

static bool page_reloc(uint32_t type)
{
	return type == R_AARCH64_ADR_PREL_PG_HI21 || type == R_AARCH64_ADR_PREL_PG_HI21_NC;
}

/* Bytes a lo12 load/store relocation accesses, or 0 for another type. */
static unsigned ldst_bytes(uint32_t type)
{
	switch (type) {
	case R_AARCH64_LDST8_ABS_LO12_NC:   return 1;
	case R_AARCH64_LDST16_ABS_LO12_NC:  return 2;
	case R_AARCH64_LDST32_ABS_LO12_NC:  return 4;
	case R_AARCH64_LDST64_ABS_LO12_NC:  return 8;
	case R_AARCH64_LDST128_ABS_LO12_NC: return 16;
	default:                            return 0;
	}
}

/* Do two relocations address the same place (same symbol, or the same
   section and offset, and the same addend)? */
static bool same_place(struct elf *e, const struct reloc *a, const struct reloc *b)
{
	const struct symbol *x = &e->syms[a->sym], *y = &e->syms[b->sym];

	if (a->sym == b->sym)
		return a->addend == b->addend;
	return x->shndx && x->shndx == y->shndx && x->shndx < e->nsec &&
	       sym_offset(e, x) + (uint64_t)a->addend == sym_offset(e, y) + (uint64_t)b->addend;
}

static int reg_op(const cs_insn *insn, unsigned i)
{
	const cs_arm64 *x = &insn->detail->arm64;

	return i < x->op_count && x->operands[i].type == ARM64_OP_REG ?
	       a64_gpr(x->operands[i].reg) : -1;
}

static bool is_xreg(unsigned reg)
{
	return (reg >= ARM64_REG_X0 && reg <= ARM64_REG_X28) || reg == ARM64_REG_X29 ||
	       reg == ARM64_REG_X30;
}

/* The memory operand of a load or store: base register, displacement. */
static const cs_arm64_op *mem_op(const cs_insn *insn)
{
	const cs_arm64 *x = &insn->detail->arm64;

	for (uint8_t i = 0; i < x->op_count; i++)
		if (x->operands[i].type == ARM64_OP_MEM)
			return &x->operands[i];
	return NULL;
}

/* ldr xN, [xB, #imm]: a 64-bit load of one slot, no index, no writeback. */
static bool slot_load(const cs_insn *insn, int *n, int *base, int64_t *imm)
{
	const cs_arm64 *x = &insn->detail->arm64;
	const cs_arm64_op *m = mem_op(insn);

	if (insn->id != ARM64_INS_LDR || x->op_count != 2 || x->writeback || !m ||
	    x->operands[0].type != ARM64_OP_REG || !is_xreg(x->operands[0].reg) ||
	    m->mem.index != ARM64_REG_INVALID || (*base = a64_gpr(m->mem.base)) < 0)
		return false;
	*n = a64_gpr(x->operands[0].reg);
	*imm = m->mem.disp;
	return true;
}

/* mov xD, xS: the whole pointer copied. */
static bool copy(const cs_insn *insn, int *d, int *s)
{
	const cs_arm64 *x = &insn->detail->arm64;

	if (insn->id != ARM64_INS_MOV || x->op_count != 2 ||
	    x->operands[0].type != ARM64_OP_REG || x->operands[1].type != ARM64_OP_REG ||
	    !is_xreg(x->operands[0].reg) || !is_xreg(x->operands[1].reg))
		return false;
	*d = a64_gpr(x->operands[0].reg);
	*s = a64_gpr(x->operands[1].reg);
	return true;
}

/* Conditional branches only leave a window; everything else that
   transfers control ends it (P1). */
static bool leaves_only(const cs_insn *insn)
{
	switch (insn->id) {
	case ARM64_INS_CBZ: case ARM64_INS_CBNZ: case ARM64_INS_TBZ: case ARM64_INS_TBNZ:
		return true;
	case ARM64_INS_B:
		return insn->detail->arm64.cc != ARM64_CC_INVALID &&
		       insn->detail->arm64.cc != ARM64_CC_AL && insn->detail->arm64.cc != ARM64_CC_NV;
	default:
		return false;
	}
}

/* Does the instruction read a register of `regs`?  Opaque ones may. */
static bool reads_any(csh handle, const cs_insn *insn, uint32_t regs)
{
	cs_regs rd, wr;
	uint8_t nrd, nwr;

	if (a64_opaque(insn) || cs_regs_access(handle, insn, rd, &nrd, wr, &nwr) != CS_ERR_OK)
		return true;
	for (uint8_t i = 0; i < nrd; i++) {
		int n = a64_gpr(rd[i]);

		if (n >= 0 && (regs & BIT(n)))
			return true;
	}
	return false;
}

/* blr xN / br xN exactly as pvops_original() rebuilds them. */
static bool canonical_branch(const cs_insn *b)
{
	uint32_t w = (uint32_t)b->bytes[0] | (uint32_t)b->bytes[1] << 8 |
		     (uint32_t)b->bytes[2] << 16 | (uint32_t)b->bytes[3] << 24;
	uint32_t op = b->id == ARM64_INS_BR ? 0xd61f0000u : 0xd63f0000u;

	return w == (op | (uint32_t)reg_op(b, 0) << 5);
}

/* Compares and tests read a value without passing it on. */
static bool only_compares(const cs_insn *insn)
{
	switch (insn->id) {
	case ARM64_INS_CMP: case ARM64_INS_CMN: case ARM64_INS_TST: case ARM64_INS_CCMP:
	case ARM64_INS_CCMN: case ARM64_INS_CBZ: case ARM64_INS_CBNZ: case ARM64_INS_TBZ:
	case ARM64_INS_TBNZ:
		return true;
	default:
		return false;
	}
}

/* Registers that instruction k may write, among `regs` (P3). */
static uint32_t written(struct a64 *a, const cs_insn *insn, uint32_t regs)
{
	uint32_t w = 0;

	for (int n = 0; n <= 30; n++)
		if ((regs & BIT(n)) && a64_writes(a->handle, insn, n))
			w |= BIT(n);
	return w;
}

enum fate { FED, DIED, ESCAPED };

/* x0-x8: where a value may be returned (x8: an indirect result's address). */
#define RESULT_REGS 0x1ffu

/*
 * Does the conditional branch take the value along?  Not cbz on a
 * register holding it: taken, the value is NULL (`if (ops.f) ops.f()`).
 */
static bool carries(const cs_insn *insn, uint32_t held)
{
	int r = reg_op(insn, 0);

	return !(insn->id == ARM64_INS_CBZ && r >= 0 && (held & BIT(r)));
}

/*
 * Follow the value loaded at instruction i into register n through the
 * window after it: FED when a branch through a register holding it ends
 * the window (*branch its index), DIED when every copy is overwritten
 * having been at most compared, ESCAPED otherwise (passed on, stored,
 * returned, branched through after the window, held where the window
 * ends, or overwritten after a conditional branch took it elsewhere).
 * *left is the first conditional branch that took it along, or SIZE_MAX:
 * a FED value may be called there too.
 */
static enum fate follow_value(struct a64 *a, size_t i, int n, size_t *branch, size_t *left)
{
	const struct a64_func *fc = &a->fc;
	uint32_t held = BIT(n);

	*left = SIZE_MAX;
	for (size_t k = i + 1; k < fc->n && k <= i + WINDOW; k++) {
		const cs_insn *insn = &fc->insn[k];
		int d, s, r;

		if ((insn->id == ARM64_INS_BLR || insn->id == ARM64_INS_BR) &&
		    (r = reg_op(insn, 0)) >= 0 && (held & BIT(r))) {
			*branch = k;
			return FED;
		}
		if (insn->id == ARM64_INS_RET)
			return held & RESULT_REGS || *left != SIZE_MAX ? ESCAPED : DIED;
		if (a64_control_flow(insn) && !leaves_only(insn))
			return ESCAPED;
		if (leaves_only(insn) && *left == SIZE_MAX && carries(insn, held))
			*left = k;
		if (copy(insn, &d, &s) && (held & BIT(s))) {
			held |= BIT(d);
			continue;
		}
		if (reads_any(a->handle, insn, held) && !only_compares(insn))
			return ESCAPED;
		held &= ~written(a, insn, held);
		if (!held)
			return *left == SIZE_MAX ? DIED : ESCAPED;
	}
	return ESCAPED;
}

/*
 * adrp, or the adr GNU ld puts in its place to avoid Cortex-A53 erratum
 * 843419 when the page lies within 1 MiB (--fix-cortex-a53-843419, on by
 * default in Debian's gcc): the same page address, and the page
 * relocation stays with it under --emit-relocs.
 */
static bool sets_page(const cs_insn *insn)
{
	return insn->id == ARM64_INS_ADRP || insn->id == ARM64_INS_ADR;
}

/*
 * The adrp that sets register b for instruction k: searched backwards in
 * the window before k for the nearest instruction that may write b.  Its
 * index, or -1 when that is not an adrp or control flow comes first.
 */
static long page_setter(struct a64 *a, size_t k, int b)
{
	const struct a64_func *fc = &a->fc;

	for (size_t j = k; j-- > 0 && k - j <= WINDOW;) {
		const cs_insn *insn = &fc->insn[j];

		if (a64_control_flow(insn) && !leaves_only(insn))
			return -1;
		if (a64_writes(a->handle, insn, b))
			return sets_page(insn) && reg_op(insn, 0) == b ? (long)j : -1;
	}
	return -1;
}

struct ctx_a64 {
	struct a64            *a;
	const struct text_ctx *ctx;
	const struct reloc    *r;       /* the relocation being classified */
	const struct symbol   *func;
	struct refs           *out;
};

/* A new reference for relocation c->r at instruction k, the field at
   S + target; NULL when out of memory or when that is not in a table. */
static struct ref *new_ref(struct ctx_a64 *c, size_t k, int64_t target, bool *oom)
{
	const struct text_ctx *ctx = c->ctx;
	const struct ops_table *t;
	struct ref *ref;
	int64_t field;

	*oom = false;
	t = ops_find(ctx->ops, ctx->e, &ctx->e->syms[c->r->sym], target, 0, &field);
	if (!t)
		return NULL;
	ref = refs_add(c->out);
	if (!ref) {
		*oom = true;
		return NULL;
	}
	*ref = (struct ref){ .sec = ctx->sec, .reloc = *c->r, .func = c->func, .ops = t,
			     .field = field, .target = target,
			     .off = c->a->fc.insn[k].address, .len_a = 4 };
	return ref;
}

#define WHY_ESCAPED "the loaded pointer is used where pvlink does not follow it (it may be called)"

/*
 * The value a proven site branches through also leaves, earlier, with
 * the conditional branch at k: the site stays patched (the branch it
 * rewrites is reached only along the window), and the audit counts a
 * call that may be made wherever the value went.
 */
static int carried_off(struct ctx_a64 *c, size_t k, int64_t target)
{
	bool oom;
	struct ref *ref = new_ref(c, k, target, &oom);

	if (!ref)
		return oom ? -1 : 0;
	return ref_not_patchable(ref, KIND_CALL,
				 "the loaded pointer also leaves with a conditional branch before its call: pvlink does not follow it there (it may be called)",
				 NULL);
}

/*
 * The load at k of the slot at S + target, whose page register was set
 * by the adrp at index page (or -1 when unproven: why_page says why).
 */
static int classify_load(struct ctx_a64 *c, size_t k, int64_t target, long page,
			 const char *why_page)
{
	struct a64 *a = c->a;
	const cs_insn *load = &a->fc.insn[k], *b;
	size_t at = 0, left;
	bool oom;
	int n, base;
	int64_t imm;
	struct ref *ref = new_ref(c, k, target, &oom);
	enum fate fate;

	if (!ref)
		return oom ? -1 : 0;
	if (load->id == ARM64_INS_LDP || load->id == ARM64_INS_LDNP)
		return ref_not_patchable(ref, KIND_CALL, "loads two fields at once: pvlink does not follow them (they may be called)", NULL);
	if (!slot_load(load, &n, &base, &imm))
		return ref_not_patchable(ref, KIND_READ, "loads part of the field, or into a vector register", NULL);
	fate = follow_value(a, k, n, &at, &left);
	if (fate == DIED)
		return ref_not_patchable(ref, KIND_READ, "reads the field without calling it", NULL);
	if (fate == ESCAPED)
		return ref_not_patchable(ref, KIND_CALL, WHY_ESCAPED, NULL);
	b = &a->fc.insn[at];
	ref->kind = b->id == ARM64_INS_BR ? KIND_JUMP : KIND_CALL;
	ref->len_b = 4;
	ref->at_b = (uint8_t)(b->address - load->address);
	if (!canonical_branch(b))
		return ref_not_patchable(ref, ref->kind, "unusual encoding of the branch: the applier could not recognise it", NULL);
	if (ref->field % 8)
		return ref_not_patchable(ref, ref->kind, "calls through a misaligned field", NULL);
	if (page < 0)
		return ref_not_patchable(ref, ref->kind, why_page, NULL);
	const char *why = way_in_between(c->ctx, a64_code_entries(a, c->ctx),
					 a->fc.insn[page].address, b->address + 4);
	if (why)
		return ref_not_patchable(ref, ref->kind, why, NULL);
	ref->site = (struct pvops_site){ .form = PVOPS_A64 | PVOPS_REG |
					 (ref->kind == KIND_JUMP ? PVOPS_JUMP : 0),
					 .len = 4, .reg = (uint8_t)reg_op(b, 0) };
	ref->site_off = b->address;
	ref->patchable = true;
	return left == SIZE_MAX ? 0 : carried_off(c, left, target);
}

/* An instruction of the function with a relocation of type `lo12` (or a
   lo12 load/store when 0) to the same place as c->r, based on reg. */
static bool completed(struct ctx_a64 *c, int reg, uint32_t lo12)
{
	const struct a64_func *fc = &c->a->fc;

	for (size_t j = 0; j < fc->n; j++) {
		const cs_insn *insn = &fc->insn[j];
		const struct reloc *q = find_reloc_by_offset(c->ctx->sec, insn->address);
		const cs_arm64_op *m;
		int base;

		if (!q || a64_opaque(insn) || !same_place(c->ctx->e, c->r, q))
			continue;
		if (lo12 ? q->type != lo12 : !ldst_bytes(q->type) && q->type != R_AARCH64_ADD_ABS_LO12_NC)
			continue;
		m = mem_op(insn);
		base = insn->id == ARM64_INS_ADD ? reg_op(insn, 1) : m ? a64_gpr(m->mem.base) : -1;
		if (base == reg)
			return true;
	}
	return false;
}

/* A reference of its own for relocation c->r at instruction k. */
static int address_ref(struct ctx_a64 *c, size_t k, enum ref_kind kind, const char *reason,
		       const char *hint)
{
	bool oom;
	struct ref *ref = new_ref(c, k, c->r->addend, &oom);

	if (!ref)
		return oom ? -1 : 0;
	return ref_not_patchable(ref, kind, reason, hint);
}

#define GOT_HINT "build with -fno-pic, or give the table hidden visibility"

/* adrp xP, S+A: counted where the address is completed, if it is. */
static int classify_page(struct ctx_a64 *c, size_t k)
{
	int p = reg_op(&c->a->fc.insn[k], 0);
	bool got = c->r->type == R_AARCH64_ADR_GOT_PAGE;

	if (sets_page(&c->a->fc.insn[k]) && p >= 0 &&
	    completed(c, p, got ? R_AARCH64_LD64_GOT_LO12_NC : 0))
		return 0;
	return address_ref(c, k, KIND_ADDRESS,
			   "computes the table's page address for code pvlink does not follow",
			   NULL);
}

/* The adrp of the same place that sets register b for instruction k, or -1. */
static long proven_page(struct ctx_a64 *c, size_t k, int b)
{
	long page = b < 0 ? -1 : page_setter(c->a, k, b);
	const struct reloc *q;

	if (page < 0)
		return -1;
	q = find_reloc_by_offset(c->ctx->sec, c->a->fc.insn[page].address);
	return q && page_reloc(q->type) && same_place(c->ctx->e, c->r, q) ? page : -1;
}

#define WHY_PAGE "the table's page address is set outside the code just before the load (hoisted out of a loop, or kept across a call or branch)"

static bool is_store(unsigned id)
{
	switch (id) {
	case ARM64_INS_STR: case ARM64_INS_STRB: case ARM64_INS_STRH: case ARM64_INS_STUR:
	case ARM64_INS_STURB: case ARM64_INS_STURH: case ARM64_INS_STP: case ARM64_INS_STNP:
	case ARM64_INS_STLR: case ARM64_INS_STLRB: case ARM64_INS_STLRH:
		return true;
	default:
		return false;
	}
}

/* Bytes a store writes: its registers' width, twice for a pair. */
static uint32_t store_width(const cs_insn *insn)
{
	unsigned reg = insn->detail->arm64.operands[0].reg;
	uint32_t w = insn->id == ARM64_INS_STRB || insn->id == ARM64_INS_STURB ||
		     insn->id == ARM64_INS_STLRB ? 1 :
		     insn->id == ARM64_INS_STRH || insn->id == ARM64_INS_STURH ||
		     insn->id == ARM64_INS_STLRH ? 2 :
		     reg >= ARM64_REG_W0 && reg <= ARM64_REG_W30 ? 4 :
		     reg >= ARM64_REG_Q0 && reg <= ARM64_REG_Q31 ? 16 :
		     reg >= ARM64_REG_S0 && reg <= ARM64_REG_S31 ? 4 : 8;

	return insn->id == ARM64_INS_STP || insn->id == ARM64_INS_STNP ? 2 * w : w;
}

static int write_ref(struct ctx_a64 *c, size_t k, int64_t target)
{
	bool oom;
	struct ref *ref = new_ref(c, k, target, &oom);

	if (!ref)
		return oom ? -1 : 0;
	ref->width = store_width(&c->a->fc.insn[k]);
	return ref_not_patchable(ref, KIND_WRITE, "stores to the ops field", NULL);
}

/* ldr/str with #:lo12:S+A: one field, its page from an adrp. */
static int classify_ldst(struct ctx_a64 *c, size_t k)
{
	const cs_insn *insn = &c->a->fc.insn[k];
	const cs_arm64_op *m = mem_op(insn);

	if (is_store(insn->id))
		return write_ref(c, k, c->r->addend);
	if (!m)
		return address_ref(c, k, KIND_READ, "the relocation is not on a load or store", NULL);
	return classify_load(c, k, c->r->addend, proven_page(c, k, a64_gpr(m->mem.base)),
			     WHY_PAGE);
}

#define WHY_CALL "the table's address is kept in a register across a call: pvlink does not rest a proof on the callee's convention"
#define WHY_PASSED "the table's address is used in a way pvlink does not follow (passed on, stored or offset)"
#define WHY_KEPT "the table's address is kept in a register past a branch: pvlink does not follow it there"

/* x19-x28: where the audit (never a proof) follows the address across a call. */
#define CALLEE_SAVED (0x3ffu << 19)
#define ARG_REGS     0xffu

/* The use at j of the table's address held in a register: a load or store. */
static bool table_access(const cs_insn *insn, uint32_t held, int64_t *disp)
{
	const cs_arm64_op *m = a64_opaque(insn) ? NULL : mem_op(insn);
	int base = m ? a64_gpr(m->mem.base) : -1;

	if (base < 0 || !(held & BIT(base)) || m->mem.index != ARM64_REG_INVALID ||
	    insn->detail->arm64.writeback)
		return false;
	*disp = m->mem.disp;
	return true;
}

/*
 * add xT, xB, #:lo12:S+A: the table's address in xT, for the loads and
 * stores that follow.  Each load is a reference of its own, proven as
 * P1-P5 say while no call or unconditional branch lies between the add
 * and it; after a call it is reported, never patched.
 */
static int classify_add(struct ctx_a64 *c, size_t k)
{
	struct a64 *a = c->a;
	const cs_insn *add = &a->fc.insn[k];
	int t = reg_op(add, 0), s = reg_op(add, 1), ret = 0, d, src;
	long page = proven_page(c, k, s);
	uint32_t held = t >= 0 ? BIT(t) : 0;
	bool straight = true, noted = false, carried = false, at_ret = false;
	int64_t disp;

	if (add->id != ARM64_INS_ADD || t < 0 || s < 0)
		return address_ref(c, k, KIND_ADDRESS, WHY_PASSED, NULL);
	for (size_t j = k + 1; j < a->fc.n && held && !ret; j++) {
		const cs_insn *insn = &a->fc.insn[j];

		if (leaves_only(insn))
			carried = true;        /* the address goes where it is not followed */

		if (table_access(insn, held, &disp)) {
			int64_t target = c->r->addend + disp;

			if (is_store(insn->id) && (held & BIT(reg_op(insn, 0) & 31)) && !noted) {
				noted = true;
				ret = address_ref(c, k, KIND_ADDRESS, WHY_PASSED, NULL);
			} else if (is_store(insn->id)) {
				ret = write_ref(c, j, target);
			} else {
				ret = classify_load(c, j, target, straight ? page : -1,
						    straight ? WHY_PAGE : WHY_CALL);
			}
		} else if (copy(insn, &d, &src) && (held & BIT(src))) {
			held |= BIT(d);
			continue;
		} else if (insn->id == ARM64_INS_BL || insn->id == ARM64_INS_BLR) {
			if ((held & ARG_REGS) && !noted) {
				noted = true;
				ret = address_ref(c, k, KIND_ADDRESS, WHY_PASSED, NULL);
			}
			straight = false;
			held &= CALLEE_SAVED;
			continue;
		} else if (a64_control_flow(insn) && !leaves_only(insn)) {
			at_ret = insn->id == ARM64_INS_RET;
			break;
		} else if (reads_any(a->handle, insn, held) && !only_compares(insn) && !noted) {
			noted = true;
			ret = address_ref(c, k, KIND_ADDRESS, WHY_PASSED, NULL);
		}
		held &= ~written(a, insn, held);
	}
	/* calls through what is not followed are not counted: one site that is not */
	if (!ret && !noted && (carried || (held && !at_ret)))
		ret = address_ref(c, k, KIND_ADDRESS, WHY_KEPT, NULL);
	return ret;
}

/* Bytes no decoder knows: maybe a call, never patchable. */
static int classify_undecoded(struct ctx_a64 *c)
{
	const struct text_ctx *ctx = c->ctx;
	const struct ops_table *t;
	struct ref *ref;
	int64_t field;

	t = ops_find(ctx->ops, ctx->e, &ctx->e->syms[c->r->sym], c->r->addend, 0, &field);
	if (!t)
		return 0;
	if (!(ref = refs_add(c->out)))
		return -1;
	*ref = (struct ref){ .sec = ctx->sec, .reloc = *c->r, .func = c->func, .ops = t,
			     .field = field, .target = c->r->addend, .off = c->r->offset };
	return ref_not_patchable(ref, KIND_UNDECODED,
			     "in an instruction Capstone cannot decode: pvlink cannot tell what it does with the field",
			     NULL);
}

int a64_classify(struct decoder *d, const struct text_ctx *ctx, const struct reloc *r,
		 const struct symbol *func, struct refs *out)
{
	struct a64 *a = a64_of(d);
	struct ctx_a64 c = { a, ctx, r, func, out };
	size_t k = a64_find_insn(&a->fc, r->offset);

	if (k == (size_t)-1 || a64_opaque(&a->fc.insn[k]))
		return classify_undecoded(&c);
	switch (r->type) {
	case R_AARCH64_ADR_PREL_PG_HI21: case R_AARCH64_ADR_PREL_PG_HI21_NC:
	case R_AARCH64_ADR_GOT_PAGE:
		return classify_page(&c, k);
	case R_AARCH64_ADD_ABS_LO12_NC:
		return classify_add(&c, k);
	case R_AARCH64_LD64_GOT_LO12_NC: case R_AARCH64_LD64_GOTPAGE_LO15:
		return address_ref(&c, k, KIND_ADDRESS,
				   "reached through the GOT (-fpic): the call goes through a register",
				   GOT_HINT);
	case R_AARCH64_MOVW_UABS_G0: case R_AARCH64_MOVW_UABS_G0_NC:
	case R_AARCH64_MOVW_UABS_G1: case R_AARCH64_MOVW_UABS_G1_NC:
	case R_AARCH64_MOVW_UABS_G2: case R_AARCH64_MOVW_UABS_G2_NC:
	case R_AARCH64_MOVW_UABS_G3:
		/* counted once, at the low 16 bits every such address sets */
		if (r->type != R_AARCH64_MOVW_UABS_G0 && r->type != R_AARCH64_MOVW_UABS_G0_NC)
			return 0;
		return address_ref(&c, k, KIND_ADDRESS,
				   "the address is built by movz/movk (-mcmodel=large): pvlink does not follow it",
				   "build with -mcmodel=small");
	default:
		if (ldst_bytes(r->type))
			return classify_ldst(&c, k);
		return address_ref(&c, k, KIND_ADDRESS,
				   "the relocation does not give the slot's address (unexpected type)",
				   NULL);
	}
}
