// SPDX-License-Identifier: MIT
/*
 * div64.c - 64-bit division for the i386 build.
 *
 * gcc -m32 compiles a 64-bit `/` or `%` (printf's digits, timing's
 * averages) to calls of __udivdi3 and __umoddi3, in the unit's own
 * calling convention: with -mregparm=3 the dividend arrives in
 * %edx:%eax, which libgcc's copies (stack convention) would not read.
 * The kernel brings its own, as Linux avoids the calls instead.
 */
#include <stdint.h>

uint64_t __udivdi3(uint64_t n, uint64_t d);
uint64_t __umoddi3(uint64_t n, uint64_t d);

/* Shift and subtract, one quotient bit per step; d == 0 gives all ones. */
static uint64_t divmod(uint64_t n, uint64_t d, uint64_t *rem)
{
	uint64_t q = 0, r = 0;

	for (int i = 63; i >= 0; i--) {
		r = r << 1 | (n >> i & 1);
		if (r >= d) {
			r -= d;
			q |= 1ull << i;
		}
	}
	*rem = r;
	return q;
}

uint64_t __udivdi3(uint64_t n, uint64_t d)
{
	uint64_t r;

	return divmod(n, d, &r);
}

uint64_t __umoddi3(uint64_t n, uint64_t d)
{
	uint64_t r;

	divmod(n, d, &r);
	return r;
}
