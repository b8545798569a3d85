// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Tail calls through a loaded pointer with the arguments moved between
 * the load and the jump (`mov ops(%rip),%rax; mov %rdi,%rdx; ...;
 * jmp *%rax`, with retpolines a split site), a varargs callee, and a
 * pointer passed as an argument to itself, f(f): the register the load
 * fills is also an argument.
 */
#include <stdarg.h>

#include "sound.h"

struct ops_t {
	long (*f3)(long, long, long);
	long (*self)(void *, long);
	long (*va)(int, ...);
	long (*one)(long);
};
struct ops_t ops;
PVOPS_TABLE(ops);

static long f3a(long a, long b, long c) { return a * 100 + b * 10 + c; }
static long f3b(long a, long b, long c) { return a - b * c; }
static long one(long a) { return a ^ 0x55; }

static long selfish(void *me, long n)
{
	return me == (void *)selfish ? n * 2 + 1 : -n;
}

static long sum(int n, ...)
{
	va_list ap;
	long s = 0;

	va_start(ap, n);
	for (int i = 0; i < n; i++)
		s = s * 3 + va_arg(ap, long);
	va_end(ap);
	return s;
}

__attribute__((noinline)) long rotate(long a, long b, long c)
{
	return ops.f3(c, a, b);
}

__attribute__((noinline)) long swap_tail(long a, long b, long c)
{
	long (*fp)(long, long, long) = ops.f3;

	if (a > 100)
		return fp(b, a, c);
	return fp(c, b, a);
}

__attribute__((noinline)) long self_call(long n)
{
	return ops.self((void *)ops.self, n);
}

__attribute__((noinline)) long self_twice(long n)
{
	long (*fp)(void *, long) = ops.self;

	return fp((void *)fp, n) + fp((void *)fp, n + 1);
}

__attribute__((noinline)) long varargs(long a)
{
	return ops.va(4, a, a + 1, 7L, ops.one(a));
}

__attribute__((noinline)) long va_tail(long a, long b)
{
	return ops.va(2, b, a);
}

void sound_init(void)
{
	ops.f3 = sound_which ? f3b : f3a;
	ops.self = selfish;
	ops.va = sum;
	ops.one = one;
}

int sound_run(void)
{
	slog(rotate(SOUND_HIDE(1L), 2, 3));
	slog(swap_tail(SOUND_HIDE(4L), 5, 6));
	slog(swap_tail(SOUND_HIDE(400L), 5, 6));
	slog(self_call(SOUND_HIDE(21L)));
	slog(self_twice(SOUND_HIDE(8L)));
	slog(varargs(SOUND_HIDE(9L)));
	slog(va_tail(SOUND_HIDE(2L), 3));
	return 0;
}
