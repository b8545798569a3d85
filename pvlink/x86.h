/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * x86.h - decode functions with Capstone and classify each reference to an
 * ops table: which form it is, and whether rewriting it is proven safe.
 */
#ifndef PVLINK_X86_H
#define PVLINK_X86_H

#include <capstone/capstone.h>

#include "entries.h"
#include "scan.h"

/* The ways into a section that decoding it shows (x86_entries.c). */
struct code_entries {
	uint64_t *v;        /* branch targets and computed addresses, sorted */
	size_t    n, cap;
	bool      done;     /* computed (only when a site needs it) */
	bool      unknown;  /* some code could not be decoded: the set is open */
};

/* One executable section, as the classifier needs to see it. */
struct text_ctx {
	struct elf           *e;
	struct section       *sec;
	const uint8_t        *bytes;
	const struct reloc   *rel;     /* the section's relocations, sorted by offset */
	size_t                nrel;
	const uint64_t       *land;    /* relocations, symbols and landing pads
	                                  pointing into the section, sorted */
	size_t                nland;
	const struct entries *entries; /* the object's unbounded ranges */
	struct code_entries  *code;    /* filled on first use */
	const struct ops_set *ops;
};

/*
 * A decoded function (or stretch of code without a function symbol).
 * An instruction Capstone cannot decode but libopcodes can is kept as an
 * opaque one (id X86_INS_INVALID, no operands, no groups), with
 * libopcodes' text in op_str; decoding goes on after it.
 */
struct func_code {
	uint64_t   start, end;
	cs_insn   *insn;
	cs_detail *detail;
	size_t     n, cap;
	size_t     opaque;    /* instructions only libopcodes knew */
	bool       complete;  /* every byte of [start, end) decoded */
};

struct x86 {
	csh handle;     /* Intel operand order, with detail: for the analysis */
	cs_insn *scratch;
	const struct arch *arch;
};

static inline bool insn_opaque(const cs_insn *insn)
{
	return insn->id == X86_INS_INVALID;
}

/* Decoders for the machine's mode (x86-64 or i386). */
int x86_open(struct x86 *x, const struct arch *arch);
void x86_close(struct x86 *x);

/*
 * Decode [start, end) of the section, past instructions Capstone does not
 * know (their length from libopcodes), up to bytes neither decoder knows.
 * Returns -1 (after one message) when out of memory.
 */
int x86_decode(struct x86 *x, const struct text_ctx *ctx, uint64_t start, uint64_t end,
	       struct func_code *fc);
void x86_free_func(struct func_code *fc);

/* The relocation at offset off of the section, or NULL. */
const struct reloc *find_reloc_at(const struct text_ctx *ctx, uint64_t off);

/*
 * Classify ref (its sec, reloc and func are set).  Returns false when the
 * relocation, once its instruction is decoded, does not reach an ops
 * table after all (a neighbouring object in the same section).
 */
bool x86_classify(struct x86 *x, const struct text_ctx *ctx, const struct func_code *fc,
		  struct ref *ref);

/* The section's decoded ways in, computed on first call; NULL when out of memory. */
const struct code_entries *code_entries_of(struct x86 *x, const struct text_ctx *ctx);
void code_entries_free(struct code_entries *ce);

#endif
