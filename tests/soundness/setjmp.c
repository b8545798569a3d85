// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * setjmp/longjmp around calls through one loaded pointer: the second
 * return from setjmp() restores the callee-saved registers as they were
 * at the setjmp() call, the loaded pointer among them, and the code
 * after it calls through that register again.
 */
#include <setjmp.h>

#include "sound.h"

struct ops_t {
	long (*f)(long);
	void (*bail)(long);
};
struct ops_t ops;
PVOPS_TABLE(ops);

static jmp_buf env;
static long seen;

static long plus2(long a) { return a + 2; }
static long times5(long a) { return a * 5; }
static void jump(long v) { seen += v; longjmp(env, (int)v); }

__attribute__((noinline)) static long around(long a)
{
	long (*fp)(long) = ops.f;
	long r = fp(a);
	int k = setjmp(env);

	if (k == 0)
		ops.bail(r & 7 ? r & 7 : 1);
	return fp(r + k) + fp(k);
}

__attribute__((noinline)) static long inside(long a)
{
	long (*volatile vfp)(long) = ops.f;
	long (*fp)(long) = ops.f;

	if (setjmp(env))
		return fp(a) + vfp(a + 1);
	fp(a);
	ops.bail(3);
	return -1;
}

void sound_init(void)
{
	ops.f = sound_which ? times5 : plus2;
	ops.bail = jump;
}

int sound_run(void)
{
	slog(around(SOUND_HIDE(3L)));
	slog(around(SOUND_HIDE(6L)));
	slog(inside(SOUND_HIDE(9L)));
	slog(seen);
	return 0;
}
