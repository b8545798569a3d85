// sound: lang=c++
// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Exception edges into cleanups: a destructor run while an exception
 * propagates calls through the pointer the function loaded before the
 * throw, and a catch clause passes the pointer to itself (f(f)).
 */
#include "sound.h"

struct ops_t {
	long (*f)(long);
	long (*self)(void *, long);
};
ops_t ops;
PVOPS_TABLE(ops);

static long calls, cleaned;

static long maybe_throw(long x)
{
	if (++calls % 2 == 0)
		throw (int)x;
	return x + 40;
}

static long selfish(void *me, long n)
{
	if (n == 3)
		throw n;
	return me == (void *)selfish ? n * 4 : -1;
}

struct guard {
	long (*fp)(long);
	long v;
	~guard() { cleaned += fp(v) & 0xff; }
};

__attribute__((noinline)) static long inner(long x)
{
	long (*fp)(long) = ops.f;
	guard g = { fp, x };

	return fp(x) + fp(x + 1);
}

__attribute__((noinline)) static long outer(long x)
{
	try {
		return inner(x);
	} catch (int v) {
		return 1000 + v;
	}
}

__attribute__((noinline)) static long self(long n)
{
	long (*fp)(void *, long) = ops.self;

	try {
		return fp((void *)fp, n);
	} catch (long v) {
		return fp((void *)fp, v + 1) + 7;
	}
}

void sound_init(void)
{
	ops.f = maybe_throw;
	ops.self = selfish;
}

int sound_run(void)
{
	for (long i = 0; i < 5; i++)
		slog(outer(SOUND_HIDE(i)));
	slog(cleaned);
	slog(self(SOUND_HIDE(2L)));
	slog(self(SOUND_HIDE(3L)));
	return 0;
}
