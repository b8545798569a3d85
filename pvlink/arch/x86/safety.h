/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * safety.h - the facts about decoded code that the classifier needs to
 * prove a rewrite safe: ways in, registers written, retpoline thunks.
 */
#ifndef PVLINK_ARCH_X86_SAFETY_H
#define PVLINK_ARCH_X86_SAFETY_H

#include "x86.h"

/* General-purpose register number 0-15 (x86 encoding order) of a Capstone
   register, with its width (0: 64-bit, 1: 32, 2: 16, 3: 8); -1 if none. */
int gpr_number(x86_reg reg, int *width);
x86_reg gpr_reg64(int number);

/* Index of the instruction that contains addr, or (size_t)-1. */
size_t find_insn(const struct func_code *fc, uint64_t addr);

/*
 * The target of a direct branch (call, jmp, jcc) as an offset in the
 * section, UINT64_MAX when it leaves the section; false when insn is no
 * direct branch.
 */
bool direct_target(const struct text_ctx *ctx, const cs_insn *insn, uint64_t *target);

/*
 * Why control might enter strictly after start, up to end, other than by
 * falling through from start; NULL when nothing can (assumption A1:
 * relocations, symbols, landing pads, decoded branches and computed
 * addresses are every way in).
 */
const char *way_in(struct x86 *x, const struct text_ctx *ctx, uint64_t start, uint64_t end);

/* How many ways in (decoded branches, relocations, symbols, pads) name
   addr exactly; SIZE_MAX when the section's set is open. */
size_t ways_in_at(struct x86 *x, const struct text_ctx *ctx, uint64_t addr);

/* Does straight-line code end at insn (a branch, call, return, interrupt,
   or an instruction only libopcodes decoded)? */
bool control_flow(const cs_insn *insn);

/*
 * Does GPR reg hold the GOT's address at instruction i (i386 PIC)?  NULL
 * when proven, with the add's R_386_GOTPC relocation in *gotpc; else why
 * not (got.c).
 */
const char *got_register_proof(struct x86 *x, const struct text_ctx *ctx,
			       const struct func_code *fc, size_t i, int reg,
			       const struct reloc **gotpc);

/* The register a call/jmp rel32 to a retpoline thunk branches through
   (__x86_indirect_thunk_REG, __llvm_retpoline_REG; REG named as the
   machine names its pointer registers: rax, r11 / eax, esi), or -1. */
int thunk_register(const struct text_ctx *ctx, const cs_insn *insn);

/* Does the instruction write any part of GPR `reg` (an opaque one: maybe)? */
bool writes_reg(csh handle, const cs_insn *insn, int reg);

#endif
