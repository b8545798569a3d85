/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * x86.h - the x86-64 and i386 machine: decode functions with Capstone and
 * classify each reference to an ops table: which form it is, and whether
 * rewriting it is proven safe.  Private to arch/x86/.
 */
#ifndef PVLINK_ARCH_X86_H
#define PVLINK_ARCH_X86_H

#include <capstone/capstone.h>

#include "arch.h"
#include "entries.h"
#include "scan.h"

extern const struct arch arch_x86_64, arch_i386;

/* What differs between the two modes beyond struct arch (machine.c). */
struct x86_machine {
	cs_mode     mode;            /* Capstone's decoder mode */
	int         ptr_width;       /* gpr_number() width of a pointer register */
	uint32_t    plt32;           /* a thunk branch's other relocation type */
	const char *got_suffix;      /* how a GOT reference is written: @GOTPCREL, @GOT */
	const char *got_hint;        /* what makes a GOT reference a direct one */
	const char *lea_hint;        /* what keeps the compiler from hoisting the address */
	const char *const *gpr_names;  /* by x86 number, for retpoline thunk names */
	int         ngpr;
	/* the standard convention's callee-saved registers (x86 numbers): the
	   audit follows a loaded value across calls with them; no patching
	   decision rests on a convention */
	uint16_t    callee_saved;
};

static inline const struct x86_machine *x86_machine(const struct arch *arch)
{
	return arch->priv;
}

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
	struct decoder d;
	csh handle;     /* Intel operand order, with detail: for the analysis */
	cs_insn *scratch;
	struct func_code fc;   /* the function decoded last */
};

static inline struct x86 *x86_of(struct decoder *d)
{
	return (struct x86 *)d;   /* d is the first member */
}

static inline bool insn_opaque(const cs_insn *insn)
{
	return insn->id == X86_INS_INVALID;
}

/* struct arch's code interface (decode.c, classify.c, text.c). */
struct decoder *x86_decoder_open(const struct arch *arch, const char *path);
void x86_decoder_close(struct decoder *d);
int x86_decode(struct decoder *d, const struct text_ctx *ctx, uint64_t start, uint64_t end);
int x86_classify(struct decoder *d, const struct text_ctx *ctx, const struct reloc *r,
		 const struct symbol *func, struct refs *out);
void x86_format_ref(struct elf *e, const struct ref *r, char *buf, size_t size);
void x86_format_done(void);

void x86_free_func(struct func_code *fc);

/* The section's decoded ways in, computed on first call; NULL when out of memory. */
const struct code_entries *code_entries_of(struct x86 *x, const struct text_ctx *ctx);

#endif
