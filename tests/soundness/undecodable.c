// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Code the decoder never saw: Capstone 4.0.2 stops at instructions it
 * does not know (rdsspq, ptwrite, movdiri, movdir64b, serialize, wrssq,
 * rdpkru, wrpkru, kmovq).  Past one of them, a loop's backward jump
 * enters a site between its load and its call, with the register
 * reloaded from another slot.  A site is provably alone only when every
 * byte of its function was decoded.
 *
 * The unknown instruction sits in a branch never taken at run time
 * (%r13 = 0), so the program runs on any CPU.  Each loop is written in
 * assembly, so its shape does not depend on the compiler: the call at
 * 1: is the target of the `jmp 1b`.
 *
 *	long loop_NAME(long n, long never)   n >= 1
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
static long sub5(long a) { return a - 5; }

#define LOOP(name, bytes)                                                     \
	long loop_##name(long n, long never);                                 \
	__asm__(".text\n\t.globl loop_" #name "\n\t.type loop_" #name ",@function\n" \
		"loop_" #name ":\n\t"                                         \
		"push %rbx\n\tpush %r12\n\tpush %r13\n\t"                     \
		"mov %rdi,%r12\n\tmov %rsi,%r13\n\tmov $1,%edi\n\t"           \
		"mov ops(%rip),%rax\n"                                        \
		"1:\tcall *%rax\n\t"                                          \
		"mov %rax,%rdi\n\tdec %r12\n\tjz 2f\n\t"                      \
		"test %r13,%r13\n\tjz 3f\n\t"                                 \
		".byte " bytes "\n"                                           \
		"3:\tmov ops+8(%rip),%rax\n\tjmp 1b\n"                        \
		"2:\tmov %rdi,%rax\n\tpop %r13\n\tpop %r12\n\tpop %rbx\n\tret\n\t" \
		".size loop_" #name ",.-loop_" #name "\n\t.previous")

LOOP(rdsspq,    "0xf3,0x48,0x0f,0x1e,0xc8");
LOOP(ptwrite,   "0xf3,0x48,0x0f,0xae,0xe0");
LOOP(movdiri,   "0x48,0x0f,0x38,0xf9,0x07");
LOOP(movdir64b, "0x66,0x0f,0x38,0xf8,0x07");
LOOP(serialize, "0x0f,0x01,0xe8");
LOOP(wrssq,     "0x48,0x0f,0x38,0xf6,0x07");
LOOP(rdpkru,    "0x0f,0x01,0xee");
LOOP(wrpkru,    "0x0f,0x01,0xef");
LOOP(kmovq,     "0xc4,0xe1,0xfb,0x93,0xc1");

/*
 * The same from C: the unknown instruction in a never-taken branch of a
 * loop whose body calls through the table, so whatever the compiler
 * makes of the loop lies partly after it.
 */
__attribute__((noinline)) static long c_loop(long n, long never)
{
	long acc = 2;

	for (long i = 0; i < n; i++) {
		if (__builtin_expect(never, 0))
			__asm__ volatile(".byte 0xf3,0x48,0x0f,0x1e,0xc8" ::: "rax", "memory");
		acc = (i & 1 ? ops.g : ops.f)(acc);
	}
	return acc;
}

void sound_init(void)
{
	ops.f = sound_which ? times3 : plus1;
	ops.g = sub5;
}

int sound_run(void)
{
	long never = SOUND_HIDE(0L);

	slog(loop_rdsspq(4, never));
	slog(loop_ptwrite(4, never));
	slog(loop_movdiri(4, never));
	slog(loop_movdir64b(4, never));
	slog(loop_serialize(4, never));
	slog(loop_wrssq(4, never));
	slog(loop_rdpkru(4, never));
	slog(loop_wrpkru(4, never));
	slog(loop_kmovq(4, never));
	slog(c_loop(SOUND_HIDE(7L), never));
	return 0;
}
