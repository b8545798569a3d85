// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * A switch compiled to a jump table in the same function as the sites:
 * the table's entries are code addresses no branch instruction shows, and
 * cases that share a loaded pointer may be entered at the call.  Also a
 * case whose code is only "call through the pointer a previous case
 * loaded" after fall-through.
 */
#include "sound.h"

struct ops_t {
	long (*f)(long);
	long (*g)(long);
	long (*h)(long, long);
};
struct ops_t ops;
PVOPS_TABLE(ops);

static long inc(long a) { return a + 1; }
static long sq(long a) { return a * a; }
static long half(long a) { return a / 2; }
static long pair(long a, long b) { return a * 10 + b; }

__attribute__((noinline)) static long step(int op, long a)
{
	long (*fp)(long) = ops.g;

	switch (op) {
	case 0: fp = ops.f; /* fall through */
	case 1: a = fp(a); break;
	case 2: a = ops.h(a, 2); break;
	case 3: a = fp(a) + fp(a + 1); break;
	case 4: a = ops.f(a) - 1; /* fall through */
	case 5: a = ops.g(a); break;
	case 6: return ops.h(a, op);
	case 7: a = ops.f(ops.g(a)); break;
	default: a = -a; break;
	}
	return a;
}

void sound_init(void)
{
	ops.f = inc;
	ops.g = sound_which ? half : sq;
	ops.h = pair;
}

int sound_run(void)
{
	long a = 3;

	for (int i = 0; i < 20; i++) {
		a = step(SOUND_HIDE(i * 7 % 9), a) % 100003;
		slog(a);
	}
	return 0;
}
