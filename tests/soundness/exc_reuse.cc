// sound: lang=c++
// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Exception edge: the pointer is loaded once into a callee-saved register
 * (`mov ops(%rip),%rbx; call *%rbx`) and the landing pad calls *%rbx
 * again.  The handler is reached only through the unwinder, so an edge
 * that no branch shows still reads the register the load filled.
 */
#include "sound.h"

struct ops_t {
	long (*f)(long);
	long (*g)(long);
};
ops_t ops;
PVOPS_TABLE(ops);

static long calls;

static long thrower(long x)
{
	if (++calls % 3 == 1)
		throw x;
	return x * 7 + calls;
}

static long other(long x) { return x - 100; }

__attribute__((noinline)) static long once(long x)
{
	long (*fp)(long) = ops.f;

	try {
		return fp(x);
	} catch (...) {
		return fp(x + 1) + 1000;
	}
}

__attribute__((noinline)) static long twice(long x)
{
	long (*fp)(long) = ops.f;
	long r = 0;

	for (int i = 0; i < 3; i++) {
		try {
			r += fp(x + i);
		} catch (long v) {
			r += fp(v) * 2;
		}
	}
	return r;
}

void sound_init(void)
{
	ops.f = thrower;
	ops.g = other;
}

int sound_run(void)
{
	for (long i = 0; i < 4; i++)
		slog(once(SOUND_HIDE(i)));
	slog(twice(SOUND_HIDE(5L)));
	slog(ops.g(1));
	return 0;
}
