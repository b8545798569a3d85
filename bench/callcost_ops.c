// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * callcost_ops.c - the targets of the call-cost harness and the table
 * that points at them, filled at start-up like a program choosing its
 * backend.
 */
#include "callcost.h"

struct cc_ops cc_ops;

/* noipa: gcc would otherwise fold the two identical bodies into one. */
__attribute__((noipa)) static long ident_inline(long x) { return x; }
__attribute__((noipa)) long ident_direct(long x) { return x; }

/* ident_inline(x) is `return x`: inline, mov %rdi,%rax (48 89 f8). */
static const uint8_t mov_rdi_rax[] = { 0x48, 0x89, 0xf8 };
const struct pvops_patch cc_patches[] = {
	{ (const void *)ident_inline, mov_rdi_rax, sizeof(mov_rdi_rax) },
};
const unsigned cc_npatches = sizeof(cc_patches) / sizeof(cc_patches[0]);

void cc_select(void)
{
	cc_ops.call = ident_direct;     /* the very function loop_direct calls */
	cc_ops.inl = ident_inline;
}
