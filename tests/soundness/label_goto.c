// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Labels as values: an interpreter whose "load" opcode falls through
 * into its "call" opcode.  gcc -O2 places the op_call label exactly on
 * `call *%rdx`, right after `mov ops(%rip),%rdx`: `goto *L[i]` enters the
 * site between its load and its call, with %rdx holding what op_load2
 * put there.
 */
#include "sound.h"

struct ops_t {
	long (*f)(long);
	long (*g)(long);
};
struct ops_t ops;
PVOPS_TABLE(ops);

static long plus1(long a) { return a + 1; }
static long times3(long a) { return a * 3; }
static long minus7(long a) { return a - 7; }

enum { LOAD, CALL, LOAD2, HALT };

__attribute__((noinline)) static long interp(const unsigned char *code, long acc)
{
	static void *const L[] = { &&op_load, &&op_call, &&op_load2, &&op_halt };
	long (*fp)(long) = 0;

	goto *L[*code++];
op_load2:
	fp = ops.g;
	goto *L[*code++];
op_load:
	fp = ops.f;
op_call:
	acc = fp(acc);
	goto *L[*code++];
op_halt:
	return acc;
}

void sound_init(void)
{
	ops.f = sound_which ? times3 : plus1;
	ops.g = minus7;
}

int sound_run(void)
{
	static const unsigned char p1[] = { LOAD, CALL, CALL, HALT };
	static const unsigned char p2[] = { LOAD2, CALL, LOAD, CALL, LOAD2, CALL, CALL, HALT };
	static const unsigned char p3[] = { LOAD, LOAD2, CALL, HALT };

	slog(interp(SOUND_HIDE((const unsigned char *)p1), 10));
	slog(interp(SOUND_HIDE((const unsigned char *)p2), 10));
	slog(interp(SOUND_HIDE((const unsigned char *)p3), 10));
	return 0;
}
