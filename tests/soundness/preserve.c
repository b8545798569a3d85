// sound: cc=clang
// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * clang's preserve_most and preserve_all callees keep almost every
 * register, %rax's neighbours included: the caller keeps the loaded
 * pointer in a register System V would call scratch (clang picks %rax)
 * and calls through it again.
 */
#include "sound.h"

#define PM __attribute__((preserve_most))
#define PA __attribute__((preserve_all))

struct ops_t {
	void (PM *f)(long);
	void (PA *g)(long);
};
struct ops_t ops;
PVOPS_TABLE(ops);

static long acc;

static PM void pm_add(long a) { acc += a; }
static PM void pm_mul(long a) { acc = acc * 3 + a; }
static PA void pa_xor(long a) { acc ^= a << 4; }

__attribute__((noinline)) static long most(long a, long b)
{
	void (PM *fp)(long) = ops.f;

	fp(a);
	fp(b);
	fp(a + b);
	return acc;
}

__attribute__((noinline)) static long all(long a)
{
	void (PA *fp)(long) = ops.g;

	for (long i = 0; i < a; i++)
		fp(i);
	return acc;
}

void sound_init(void)
{
	ops.f = sound_which ? pm_mul : pm_add;
	ops.g = pa_xor;
}

int sound_run(void)
{
	slog(most(SOUND_HIDE(5L), SOUND_HIDE(11L)));
	slog(all(SOUND_HIDE(7L)));
	return 0;
}
