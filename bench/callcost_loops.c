// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * callcost_loops.c - the timed loops.  This file goes through
 * `pvlink table`, once built plain and once with retpolines
 * (-mindirect-branch=thunk-extern).
 *
 * Each iteration passes the previous result to the next call, and the
 * empty asm makes the compiler treat that value as changed in a way it
 * cannot see: the calls can be neither dropped, hoisted nor merged, and
 * the function's result is consumed by the caller.  The loops are
 * aligned alike so that code placement does not favour one of them.
 */
#include "callcost.h"

#define LOOP(name, before, call)                                \
	__attribute__((noinline, aligned(64))) long name(long n) \
	{                                                       \
		long x = 0;                                     \
		for (long i = 0; i < n; i++) {                  \
			before;                                 \
			x = call(x);                            \
			__asm__ volatile("" : "+r"(x));         \
		}                                               \
		return x;                                       \
	}

/* nopl 0x0(%rax): the padding the applier once put before the call in a
 * 12-byte retpoline site (7-byte load + 5-byte thunk call); it keeps the
 * load now. */
#define NOP7 __asm__ volatile(".byte 0x0f, 0x1f, 0x80, 0, 0, 0, 0")

LOOP(loop_ops_call, , cc_ops.call)
LOOP(loop_ops_inline, , cc_ops.inl)
LOOP(loop_direct, , ident_direct)
LOOP(loop_direct_nop7, NOP7, ident_direct)
