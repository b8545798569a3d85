/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * flow.h - where a value loaded from an ops table goes within its
 * function: to an indirect call or jump, into memory or another function,
 * or nowhere.  For the audit only: nothing here makes a site patchable.
 */
#ifndef PVLINK_ARCH_X86_FLOW_H
#define PVLINK_ARCH_X86_FLOW_H

#include "x86.h"

/*
 * Instruction i of fc loads a slot (ref's field) into a register, and no
 * call or jump through it follows at once.  Files ref, never patchable:
 * as a call or jump when some path of the function branches through the
 * loaded value (kept in the register or copied to another), else as a
 * read, saying whether pvlink could follow the value to its end.
 * Returns 0, like the classifier's not_patchable().
 */
int flow_loaded_slot(struct x86 *x, const struct text_ctx *ctx, const struct func_code *fc,
		     size_t i, struct ref *ref);

/*
 * Instruction i reaches a field that is not aligned to a slot (a packed
 * table, or part of a slot) and does not store to it.  Files ref, never
 * patchable, as a call or jump when it branches through the field, or
 * loads it and the walk above finds a branch through the value; else as
 * a read.  Returns 0.
 */
int flow_misaligned(struct x86 *x, const struct text_ctx *ctx, const struct func_code *fc,
		    size_t i, struct ref *ref);

/*
 * Instruction i puts the table's address (ref's table and field) in a
 * register.  When the only thing the function does with it is one bulk
 * store onto the table (rep stos/movs with it in %rdi, memcpy/memset
 * with it as the destination), refiles ref as a write of the bytes that
 * store covers (the rest of the table when the count is unknown) and
 * returns 1; otherwise leaves ref alone and returns 0.
 */
int flow_table_address(struct x86 *x, const struct text_ctx *ctx, const struct func_code *fc,
		       size_t i, struct ref *ref);

/* Bytes of the table a store's memory operand covers from ref's field (0: unknown). */
uint32_t flow_store_width(const cs_insn *insn, const struct ref *ref);

#endif
