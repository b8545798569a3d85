/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * a64.h - the AArch64 machine: decode functions with Capstone's ARM64
 * mode and classify each reference to an ops table.  Private to
 * arch/arm64/.
 */
#ifndef PVLINK_ARCH_ARM64_A64_H
#define PVLINK_ARCH_ARM64_A64_H

#include <capstone/capstone.h>

#include "arch.h"
#include "entries.h"
#include "scan.h"

extern const struct arch arch_aarch64;

/*
 * A decoded function (or stretch between function symbols): every
 * 4-byte word, in order.  A word Capstone cannot decode is kept as an
 * opaque instruction (id ARM64_INS_INVALID, no detail): every proof
 * treats it as a branch that may write any register.
 */
struct a64_func {
	uint64_t   start, end;
	cs_insn   *insn;
	cs_detail *detail;
	size_t     n, cap;
};

struct a64 {
	struct decoder  d;
	csh             handle;    /* with detail */
	cs_insn        *scratch;
	struct a64_func fc;        /* the function decoded last */
};

static inline struct a64 *a64_of(struct decoder *d)
{
	return (struct a64 *)d;   /* d is the first member */
}

static inline bool a64_opaque(const cs_insn *insn)
{
	return insn->id == ARM64_INS_INVALID;
}

/* struct arch's code interface (decode.c, classify.c, text.c). */
struct decoder *a64_decoder_open(const struct arch *arch, const char *path);
void a64_decoder_close(struct decoder *d);
int a64_decode(struct decoder *d, const struct text_ctx *ctx, uint64_t start, uint64_t end);
int a64_classify(struct decoder *d, const struct text_ctx *ctx, const struct reloc *r,
		 const struct symbol *func, struct refs *out);
void a64_format_ref(struct elf *e, const struct ref *r, char *buf, size_t size);
void a64_format_done(void);

/* Decode one word at addr into insn (and its detail); false: opaque. */
bool a64_decode_word(struct a64 *a, const uint8_t *word, uint64_t addr, cs_insn *insn,
		     cs_detail *detail);

/* The instruction of fc at addr, or (size_t)-1. */
size_t a64_find_insn(const struct a64_func *fc, uint64_t addr);

/* regs.c: the facts the proofs use. */

/* x0-x30 (or w0-w30) as 0-30; -1 for sp, the zero register and the rest. */
int a64_gpr(unsigned reg);

/* Might the instruction change general register n (0-30)?  Opaque ones may. */
bool a64_writes(csh handle, const cs_insn *insn, int n);

/* A branch, call, return, exception or opaque word: where straight-line code ends. */
bool a64_control_flow(const cs_insn *insn);

/* The target of b, bl, b.cond, cbz/cbnz, tbz/tbnz, adr as the assembler
   resolved it; false for anything else. */
bool a64_pc_target(const cs_insn *insn, uint64_t *target);

/* The section's decoded ways in (sweep.c), computed on first call; NULL when out of memory. */
const struct code_entries *a64_code_entries(struct a64 *a, const struct text_ctx *ctx);

#endif
