// sound: cc=gcc cflags=-fcall-saved-rdx
// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * gcc -fcall-saved-rdx: every function built here keeps %rdx, so the
 * caller may keep the loaded pointer in %rdx across a call and call it
 * again.  The callees are built with the same flag; nothing here calls
 * code built without it (results go through slog(), a store).
 */
#include "sound.h"

struct ops_t {
	long (*f)(long);
	long (*g)(long, long);
};
struct ops_t ops;
PVOPS_TABLE(ops);

static long inc(long a) { return a + 1; }
static long dbl(long a) { return a * 2; }
static long mix(long a, long b) { return a * 31 + b; }

__attribute__((noinline)) static long chain(long a)
{
	long (*fp)(long) = ops.f;

	a = fp(a);
	a = fp(a);
	return fp(a);
}

__attribute__((noinline)) static long pairs(long n)
{
	long (*fp)(long, long) = ops.g;
	long r = 0;

	for (long i = 0; i < n; i++)
		r = fp(r, i);
	return r;
}

void sound_init(void)
{
	ops.f = sound_which ? dbl : inc;
	ops.g = mix;
}

int sound_run(void)
{
	slog(chain(SOUND_HIDE(3L)));
	slog(pairs(SOUND_HIDE(5L)));
	return 0;
}
