/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * x86_safety.h - control- and data-flow facts about decoded code that the
 * classifier needs to prove a rewrite safe.
 */
#ifndef PVLINK_X86_SAFETY_H
#define PVLINK_X86_SAFETY_H

#include "x86.h"

/* General-purpose register number 0-15 (x86 encoding order) of a Capstone
   register, with its width (0: 64-bit, 1: 32, 2: 16, 3: 8); -1 if none. */
int gpr_number(x86_reg reg, int *width);
x86_reg gpr_reg64(int number);
bool gpr_callee_saved(const struct arch *arch, int number);

/* Index of the instruction that contains addr, or (size_t)-1. */
size_t find_insn(const struct func_code *fc, uint64_t addr);

/* Does any branch of the function, or any relocation elsewhere, land
   strictly between start and end? */
bool lands_inside(const struct text_ctx *ctx, const struct func_code *fc,
		  uint64_t start, uint64_t end);

/* Does the function jump through a computed address (a jump table)? */
bool has_computed_jump(const struct func_code *fc);

/* The register a call/jmp rel32 to a retpoline thunk branches through
   (__x86_indirect_thunk_REG, __llvm_retpoline_REG; REG named as the
   machine names its pointer registers: rax, r11 / eax, esi), or -1. */
int thunk_register(const struct text_ctx *ctx, const cs_insn *insn);

/* Does the instruction write any part of GPR `reg`? */
bool writes_reg(csh handle, const cs_insn *insn, int reg);

/* May GPR `reg` be read on some path starting at instruction `from`? */
bool reg_live_after(csh handle, const struct text_ctx *ctx, const struct func_code *fc,
		    size_t from, int reg);

#endif
