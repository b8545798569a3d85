// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * callcost.h - the ops table of the call-cost harness.
 *
 * Two slots that hold functions with the same body (return the
 * argument).  `call` holds ident_direct(), which compiled code also
 * calls directly: a patched site then calls the very function the floor
 * calls, so only the call instruction differs.  `inl` holds a function
 * registered with the applier as inline code, so its site becomes one
 * instruction.  The targets live in callcost_ops.c, apart from the
 * loops, so the compiler cannot inline them.
 */
#ifndef BENCH_CALLCOST_H
#define BENCH_CALLCOST_H

#include "pvops.h"

struct cc_ops {
	long (*call)(long x);
	long (*inl)(long x);
};

/* Hidden: PIE code then addresses the slot directly, not through the GOT. */
extern struct cc_ops cc_ops __attribute__((visibility("hidden")));
PVOPS_TABLE(cc_ops);

long ident_direct(long x);
void cc_select(void);
extern const struct pvops_patch cc_patches[];
extern const unsigned cc_npatches;

/* The timed loops (callcost_loops.c): n calls each, results chained. */
long loop_ops_call(long n);
long loop_ops_inline(long n);
long loop_direct(long n);
long loop_direct_nop7(long n);   /* the same, after a 7-byte NOP */

#endif
