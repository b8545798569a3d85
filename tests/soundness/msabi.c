// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Callee convention other than System V: an ops table of ms_abi
 * functions.  In the Microsoft convention %rsi and %rdi are callee-saved,
 * so a caller may keep the loaded pointer there across the first call and
 * call it again: the second call reads the register the first site's load
 * filled.
 */
#include "sound.h"

#define MS __attribute__((ms_abi))

struct ops_t {
	long (MS *f)(long, long);
	long (MS *g)(long);
};
struct ops_t ops;
PVOPS_TABLE(ops);

static MS long add3(long a, long b) { return a + 3 * b; }
static MS long sub3(long a, long b) { return a - 3 * b; }
static MS long neg(long a) { return -a; }

/* An ms_abi caller: gcc keeps the pointer in %rdi, which both sides save. */
MS __attribute__((noinline)) static long twice(long a, long b)
{
	long (MS *fp)(long, long) = ops.f;
	long r = fp(a, b);

	return r + fp(r, a);
}

__attribute__((noinline)) static long loop(long n)
{
	long (MS *fp)(long, long) = ops.f;
	long r = 1;

	for (long i = 0; i < n; i++)
		r = fp(r, i) ^ fp(i, r);
	return r;
}

/* A System V caller: clang keeps the pointer in %rdi or %rsi. */
__attribute__((noinline)) static long many(long a, long b, long c, long d, long e)
{
	long (MS *fp)(long, long) = ops.f;
	long r = fp(a, b);

	r += fp(r, c);
	r += fp(d, r);
	return r + fp(e, a);
}

void sound_init(void)
{
	ops.f = sound_which ? sub3 : add3;
	ops.g = neg;
}

int sound_run(void)
{
	slog(twice(SOUND_HIDE(4L), SOUND_HIDE(9L)));
	slog(loop(SOUND_HIDE(6L)));
	slog(many(SOUND_HIDE(1L), 2, 3, 4, SOUND_HIDE(5L)));
	slog(ops.g(SOUND_HIDE(12L)));
	return 0;
}
