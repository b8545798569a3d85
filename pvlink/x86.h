/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * x86.h - decode functions with Capstone and classify each reference to an
 * ops table: which form it is, and whether rewriting it is proven safe.
 */
#ifndef PVLINK_X86_H
#define PVLINK_X86_H

#include <capstone/capstone.h>

#include "scan.h"

/* One executable section, as the classifier needs to see it. */
struct text_ctx {
	struct elf           *e;
	struct section       *sec;
	const uint8_t        *bytes;
	const struct reloc   *rel;     /* the section's relocations, sorted by offset */
	size_t                nrel;
	const uint64_t       *land;    /* offsets other relocations point at, sorted */
	size_t                nland;
	const struct ops_set *ops;
};

/* A decoded function (or stretch of code without a function symbol). */
struct func_code {
	uint64_t start, end;
	cs_insn *insn;
	size_t   n;
};

struct x86 {
	csh handle;     /* Intel operand order, with detail: for the analysis */
	const struct arch *arch;
};

/* Decoders for the machine's mode (x86-64 or i386). */
int x86_open(struct x86 *x, const struct arch *arch);
void x86_close(struct x86 *x);

/* Decode [start, end) of the section; returns non-zero if Capstone fails. */
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

#endif
